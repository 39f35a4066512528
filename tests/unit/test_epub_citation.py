"""A book's citation carries what its package says: translators, editors, illustrators
(MARC roles, EPUB 3 refinements or EPUB 2 ``opf:role``), its number in a series and its
ISBN, in CSL-JSON, BibTeX and RIS; a real Standard Ebooks package gives only its author."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from epub_books import (
    LETTER_1,
    LETTER_2,
    NCX,
    NOTES_2,
    OPF2,
    XHTML_TYPE,
    epub2_book,
    opf3,
    page,
    real_standard_ebook,
    write_epub,
)
from test_citation import check_csl_item
from test_epub_cli import essaytui

from essaytui.interchange.citation import essay_reference, to_bibtex, to_csl_json, to_ris
from essaytui.model.epub import load_book

KEEPERS_METADATA = """
<dc:title>The Lighthouse Keepers</dc:title>
<dc:creator id="c1">Margaret Hale</dc:creator>
<meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
<dc:creator id="c2">Tomas Ring</dc:creator>
<meta refines="#c2" property="role" scheme="marc:relators">trl</meta>
<dc:contributor id="c3">Ida Moss</dc:contributor>
<meta refines="#c3" property="role" scheme="marc:relators">ill</meta>
<dc:identifier id="isbn">urn:isbn:9780000000019</dc:identifier>
<dc:publisher>Harbour Press</dc:publisher><dc:date>2019-05-01</dc:date>
<meta property="belongs-to-collection" id="col">Coastal Histories</meta>
<meta refines="#col" property="group-position">2</meta>
"""


def keepers(path: Path) -> Path:
    """An EPUB 3 with a translator and an illustrator refined by MARC roles, a series
    with its position, and an ISBN beside its own (uuid) identifier."""
    items = [("c1", "ch1.xhtml", XHTML_TYPE, "")]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, ["c1"], metadata=KEEPERS_METADATA),
        "OEBPS/ch1.xhtml": page("<h1>One</h1><p>The lamp was lit at dusk.</p>"),
    }
    return write_epub(path, files)


def test_an_epub3_books_translator_series_number_and_isbn_are_cited(tmp_path: Path) -> None:
    reference = essay_reference(load_book(keepers(tmp_path / "keepers.epub")))
    item = json.loads(json.dumps(to_csl_json(reference)))
    check_csl_item(item)
    assert item["author"] == [{"family": "Hale", "given": "Margaret"}]
    assert item["translator"] == [{"family": "Ring", "given": "Tomas"}]
    assert item["illustrator"] == [{"family": "Moss", "given": "Ida"}]
    assert item["collection-title"] == "Coastal Histories"
    assert item["collection-number"] == "2"
    assert item["ISBN"] == "9780000000019"
    [entry] = parse_string(to_bibtex([reference])).entries
    fields = {field.key: field.value for field in entry.fields}
    assert fields["author"] == "Hale, Margaret" and fields["translator"] == "Ring, Tomas"
    assert fields["illustrator"] == "Moss, Ida"
    assert fields["series"] == "Coastal Histories" and fields["number"] == "2"
    assert fields["isbn"] == "9780000000019"
    lines = to_ris([reference]).splitlines()
    assert "AU  - Hale, Margaret" in lines and "A4  - Ring, Tomas" in lines
    assert "T3  - Coastal Histories" in lines and "VL  - 2" in lines
    assert "SN  - 9780000000019" in lines


def test_an_epub2_books_editor_and_isbn_scheme_are_cited(tmp_path: Path) -> None:
    # OPF2: <dc:creator opf:role="edt">, <dc:identifier opf:scheme="ISBN">, calibre series
    assert 'opf:role="edt"' in OPF2 and 'opf:scheme="ISBN"' in OPF2
    book = epub2_book(tmp_path / "letters.epub")
    result = essaytui("cite", book, "--format", "ris", home=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "AU  - Reyes, Dora" in lines and "ED  - Park, Eli" in lines
    assert "SN  - 9780000000002" in lines
    assert "T3  - Valley Papers" in lines and "VL  - 1" in lines
    result = essaytui("cite", book, "--format", "csl-json", home=tmp_path)
    [item] = json.loads(result.stdout)
    check_csl_item(item)
    assert item["editor"] == [{"family": "Park", "given": "Eli"}]
    assert item["ISBN"] == "9780000000002" and item["collection-number"] == "1"
    result = essaytui("cite", book, "--format", "bibtex", home=tmp_path)
    assert "  editor = {Park, Eli}," in result.stdout
    assert "  isbn = {9780000000002}" in result.stdout


def test_an_epub2_translator_by_opf_role_is_cited(tmp_path: Path) -> None:
    editor = '<dc:creator opf:role="edt">Eli Park</dc:creator>'
    assert editor in OPF2
    translated = OPF2.replace(
        editor, editor + '\n<dc:contributor opf:role="trl">Ana Vidal</dc:contributor>'
    )
    files: dict[str, str | bytes] = {
        "content.opf": translated,
        "toc.ncx": NCX,
        "letter1.html": LETTER_1,
        "letter2.html": LETTER_2,
        "notes.html": NOTES_2,
    }
    book = write_epub(tmp_path / "translated.epub", files, opf="content.opf")
    reference = essay_reference(load_book(book))
    assert to_csl_json(reference)["translator"] == [{"family": "Vidal", "given": "Ana"}]
    assert "A4  - Vidal, Ana" in to_ris([reference]).splitlines()
    assert "  translator = {Vidal, Ana}," in to_bibtex([reference])


def test_a_real_standard_ebook_is_cited_with_its_author_only(tmp_path: Path) -> None:
    # Hume is both annotator and author (ann, aut); the portrait's artist (art), the
    # transcriber and the producers are not authors, translators or illustrators
    reference = essay_reference(load_book(real_standard_ebook(tmp_path / "hume.epub")))
    item = to_csl_json(reference)
    check_csl_item(item)
    assert item["author"] == [{"family": "Hume", "given": "David"}]
    assert not {"translator", "editor", "illustrator", "ISBN", "collection-number"} & set(item)
    # its collection is a set (Great Books of the Western World), not a series
    assert "collection-title" not in item
    ris = to_ris([reference]).splitlines()
    assert [line for line in ris if line.startswith(("AU", "A4", "ED"))] == ["AU  - Hume, David"]


DIARY_METADATA = """
<dc:title>The Diary of Samuel Pepys</dc:title>
<dc:creator id="author">Samuel Pepys</dc:creator>
<meta property="role" refines="#author" scheme="marc:relators">aut</meta>
<dc:contributor id="editor">Henry B. Wheatley</dc:contributor>
<meta property="role" refines="#editor" scheme="marc:relators">ann</meta>
<meta property="role" refines="#editor" scheme="marc:relators">edt</meta>
<meta property="role" refines="#editor" scheme="marc:relators">trc</meta>
<dc:contributor id="translator">Mynors Bright</dc:contributor>
<meta property="role" refines="#translator" scheme="marc:relators">trc</meta>
<meta property="role" refines="#translator" scheme="marc:relators">trl</meta>
"""


def test_a_contributor_with_several_roles_counts_in_each(tmp_path: Path) -> None:
    # Standard Ebooks' Pepys: the editor's first role is "ann", the decipherer's "trc"
    items = [("c1", "ch1.xhtml", XHTML_TYPE, "")]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, ["c1"], metadata=DIARY_METADATA),
        "OEBPS/ch1.xhtml": page("<h1>January 1659–60</h1><p>Blessed be God.</p>"),
    }
    book = write_epub(tmp_path / "pepys.epub", files)
    result = essaytui("cite", book, "--format", "bibtex", home=tmp_path)
    assert result.returncode == 0, result.stderr
    [entry] = parse_string(result.stdout).entries
    fields = {field.key: field.value for field in entry.fields}
    assert fields["author"] == "Pepys, Samuel"
    assert fields["editor"] == "Wheatley, Henry B."
    assert fields["translator"] == "Bright, Mynors"
    converted = essaytui("convert", book, home=tmp_path)
    assert converted.returncode == 0, converted.stderr
    front = converted.stdout.split("\n---\n", 1)[0].splitlines()
    assert "editor: Henry B. Wheatley" in front
    assert "annotator: Henry B. Wheatley" in front
    assert "translator: Mynors Bright" in front
    assert "author: Samuel Pepys" in front


GREAT_BOOKS = """
<meta property="belongs-to-collection" id="set">Great Books of the Western World</meta>
<meta refines="#set" property="collection-type">set</meta>
<meta refines="#set" property="group-position">35</meta>
"""
COASTAL = """
<meta property="belongs-to-collection" id="series">Coastal Histories</meta>
<meta refines="#series" property="collection-type">{kind}</meta>
<meta refines="#series" property="group-position">2</meta>
"""


@pytest.mark.parametrize(
    ("collections", "series"),
    [
        (GREAT_BOOKS, None),
        (GREAT_BOOKS + COASTAL.format(kind="series"), "Coastal Histories"),
        (COASTAL.format(kind="series") + GREAT_BOOKS, "Coastal Histories"),
        (COASTAL.format(kind=" Series "), "Coastal Histories"),
        (
            COASTAL.replace('<meta refines="#series" property="collection-type">{kind}</meta>', ""),
            "Coastal Histories",
        ),
    ],
    ids=["set", "set then series", "series then set", "loosely typed", "untyped"],
)
def test_a_set_is_no_series(tmp_path: Path, collections: str, series: str | None) -> None:
    items = [("c1", "ch1.xhtml", XHTML_TYPE, "")]
    metadata = "<dc:title>Enquiry</dc:title><dc:creator>David Hume</dc:creator>" + collections
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, ["c1"], metadata=metadata),
        "OEBPS/ch1.xhtml": page("<h1>I</h1><p>Moral philosophy may be treated two ways.</p>"),
    }
    book = write_epub(tmp_path / "enquiry.epub", files)
    meta = load_book(book).meta
    cited = essaytui("cite", book, "--format", "bibtex", home=tmp_path)
    assert cited.returncode == 0, cited.stderr
    [entry] = parse_string(cited.stdout).entries
    fields = {field.key: field.value for field in entry.fields}
    converted = essaytui("convert", book, home=tmp_path)
    assert converted.returncode == 0, converted.stderr
    front = converted.stdout.split("\n---\n", 1)[0]
    assert "Great Books" not in cited.stdout + front
    if series is None:
        assert "series" not in meta and "part" not in meta
        assert "series" not in fields and "number" not in fields
        assert "series:" not in front and "part:" not in front
    else:
        assert (meta["series"], meta["part"]) == (series, "2")
        assert (fields["series"], fields["number"]) == (series, "2")
        assert f"\nseries: {series}\npart: '2'\n" in front
