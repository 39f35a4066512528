"""EPUB books open as essays: chapters, the book's outline, notes as footnotes, metadata,
identity and the conversion cache (the model, no terminal)."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from epub_books import epub2_book, epub3_book, standard_ebook

from essaytui.interchange.citation import essay_reference
from essaytui.model.epub import book_markdown, is_book, load_book
from essaytui.model.epub import cache as book_cache
from essaytui.model.files import load_essay


def titles(path: Path) -> list[tuple[str, int, int]]:
    essay = load_essay(path)
    return [(s.title, s.level, s.parent) for s in essay.sections]


def test_an_epub3_nav_is_the_outline_nested_as_the_book_nests_it(tmp_path: Path) -> None:
    book = epub3_book(tmp_path / "keeper.epub")
    # the cover page and the notes chapter are not in the running text, so their
    # entries ("Notes") have nowhere to point
    assert titles(book) == [
        ("Part One: The Shore", 1, -1),
        ("Chapter 1. Arrival", 2, 0),
        ("Chapter 2. The Lamp", 2, 0),
        ("The storm", 3, 2),
    ]


def test_sections_start_at_the_text_their_entries_point_to(tmp_path: Path) -> None:
    essay = load_essay(epub3_book(tmp_path / "keeper.epub"))
    text = essay.reading_text
    starts = [text[s.start : s.start + 9] for s in essay.sections]
    assert starts == ["Part One:", "Chapter 1", "Chapter 2", "The storm"]
    assert essay.sections[1].end == essay.sections[2].start
    assert essay.sections[0].end == len(text)


def test_chapters_are_in_spine_order_and_the_cover_is_skipped(tmp_path: Path) -> None:
    essay = load_essay(epub3_book(tmp_path / "keeper.epub"))
    text = essay.reading_text
    assert text.index("Arrival") < text.index("The Lamp") < text.index("third week")
    assert "cover.jpg" not in text
    assert essay.meta["cover"] == "OEBPS/images/cover.jpg"
    assert "🖼 A map of the island" in text


def test_endnotes_become_footnotes_numbered_by_first_reference(tmp_path: Path) -> None:
    essay = load_essay(epub3_book(tmp_path / "keeper.epub"))
    notes = [(n.label, n.number, n.text, len(n.refs)) for n in essay.footnotes]
    assert notes == [
        ("1", 1, "Gulls nest on the cliffs from March.", 2),
        ("2", 2, "The jetty was rebuilt in 1909.", 1),
        ("3", 3, "The manual survives in the harbour museum.", 1),
    ]
    text = essay.reading_text
    # the notes chapter, its heading and the back links have left the running text
    assert "Gulls nest" not in text and "museum" not in text
    assert "↩" not in text and "Notes" not in text
    assert all("↩" not in note.text for note in essay.footnotes)


def test_an_epub2_ncx_is_the_outline_and_plain_links_find_their_notes(tmp_path: Path) -> None:
    essay = load_essay(epub2_book(tmp_path / "letters.epub"))
    assert [(s.title, s.level) for s in essay.sections] == [
        ("First letter", 1),
        ("A postscript", 2),
        ("Second letter", 1),
    ]
    assert [(n.text, len(n.refs)) for n in essay.footnotes] == [
        ("The spring floods of that year.", 2),
        ("Built by the writer's grandfather.", 1),
    ]
    # read leniently: HTML entities, upper-case tags, unclosed paragraphs
    assert "green again\u00a0and the river high" in essay.reading_text
    # a link between the book's own files keeps its text, not its address
    assert "See the postscript of my last." in essay.reading_text
    assert "spring floods" not in essay.reading_text


def test_the_metadata_goes_to_title_author_and_meta(tmp_path: Path) -> None:
    essay = load_essay(epub3_book(tmp_path / "keeper.epub"))
    assert essay.title == "The Lighthouse Keeper"
    assert essay.author == "Ada Marsh, Ben Ortiz"
    meta = dict(essay.meta)
    assert meta["translator"] == "Clara Dunn"
    assert meta["series"] == "Tales of the Coast" and meta["part"] == "2"
    assert meta["publisher"] == "Harbour Press" and meta["language"] == "en"
    assert meta["date"] == "1911-03-04" and meta["type"] == "book"
    assert meta["identifier"] == "urn:uuid:0b0c5c1e-1111-4222-8333-444455556666"
    epub2 = load_essay(epub2_book(tmp_path / "letters.epub"))
    assert epub2.author == "Dora Reyes" and epub2.meta["editor"] == "Eli Park"
    assert epub2.meta["series"] == "Valley Papers" and epub2.meta["part"] == "1"


def test_the_citation_of_a_book_is_a_book(tmp_path: Path) -> None:
    reference = essay_reference(load_essay(epub3_book(tmp_path / "keeper.epub")))
    assert reference.type == "book"
    assert [a.family for a in reference.authors] == ["Marsh", "Ortiz"]
    assert reference.publisher == "Harbour Press" and reference.issued == (1911, 3, 4)
    assert reference.series == "Tales of the Coast"


def test_a_standard_ebooks_release_reads_as_its_readers_expect(tmp_path: Path) -> None:
    essay = load_essay(standard_ebook(tmp_path / "hume.epub"))
    assert essay.title == "An Enquiry Concerning the Principles of Morals"
    assert essay.author == "David Hume" and essay.meta["publisher"] == "Standard Ebooks"
    assert [(s.title, s.level) for s in essay.sections] == [
        ("Titlepage", 1),
        ("Imprint", 1),
        ("Section I: Of the General Principles of Morals", 1),
        ("Section II: Of Benevolence", 1),
        ("Part I", 2),
        ("Part II", 2),
        ("Colophon", 1),
    ]
    assert [n.text for n in essay.footnotes] == [
        "See Appendix I.",
        "Plut. in Pericle.",
        "Cic. de Officiis, lib. 1.",
    ]
    text = essay.reading_text
    assert "Endnotes" not in text and "↩" not in text
    assert "this nature¹. In order" in text
    assert essay.meta["cover"] == "epub/images/cover.jpg"


def test_a_book_id_comes_from_its_package_identifier(tmp_path: Path) -> None:
    first = load_essay(epub3_book(tmp_path / "a.epub"))
    again = load_essay(epub3_book(tmp_path / "b.epub"))
    other = load_essay(epub3_book(tmp_path / "c.epub", identifier="isbn:9781111111111"))
    assert first.id.startswith("book-") and first.id == again.id
    assert other.id != first.id


def test_a_book_is_recognised_by_its_bytes_whatever_its_name(tmp_path: Path) -> None:
    named = epub3_book(tmp_path / "keeper.epub")
    renamed = tmp_path / "keeper.zip-download"
    named.rename(renamed)
    assert is_book(renamed)
    assert load_essay(renamed).title == "The Lighthouse Keeper"
    text = tmp_path / "notes.txt"
    text.write_text("PK but not a zip\n", encoding="utf-8")
    assert not is_book(text)


def test_the_first_part_of_a_long_book_is_a_prefix_of_the_whole(tmp_path: Path) -> None:
    chapters = {
        f"OEBPS/c{i}.xhtml": _page(f"<h1>Chapter {i}</h1>" + f"<p>Words of chapter {i}. </p>" * 200)
        for i in range(30)
    }
    book = _book(tmp_path / "long.epub", chapters)
    first = load_book(book, limit=4096)
    whole = load_book(book)
    assert not first.complete and whole.complete
    assert whole.reading_text.startswith(first.reading_text)
    assert len(first.reading_text) < len(whole.reading_text) // 5
    assert first.sections and first.sections[0].title == "Chapter 0"


def test_a_conversion_is_cached_and_reused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    book = epub3_book(tmp_path / "keeper.epub")
    made = book_markdown(book, cache_dir=cache)
    entries = list((cache / "books").glob("*.json"))
    assert len(entries) == 1
    stored = json.loads(entries[0].read_text(encoding="utf-8"))
    assert stored["converter"] == book_cache.CONVERTER_VERSION
    assert stored["markdown"] == made.markdown
    # what is read back is the cache's: changed on disk, the change shows
    stored["markdown"] = made.markdown.replace("gulls were loud", "gulls were quiet")
    entries[0].write_text(json.dumps(stored), encoding="utf-8")
    assert "gulls were quiet" in book_markdown(book, cache_dir=cache).markdown


@pytest.mark.parametrize(
    "damage",
    ["", "not json {", "[]", '{"format": "essaytui-book"}', "\x00\x01\x02"],
)
def test_a_cache_that_cannot_be_read_is_rebuilt(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    book = epub3_book(tmp_path / "keeper.epub")
    made = book_markdown(book, cache_dir=cache)
    (entry,) = (cache / "books").glob("*.json")
    entry.write_text(damage, encoding="utf-8")
    assert book_markdown(book, cache_dir=cache).markdown == made.markdown
    assert json.loads(entry.read_text(encoding="utf-8"))["markdown"] == made.markdown


def test_a_changed_book_is_a_new_cache_entry(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    book = epub3_book(tmp_path / "keeper.epub")
    book_markdown(book, cache_dir=cache)
    epub3_book(book, identifier="isbn:9782222222222")
    assert "isbn:9782222222222" in book_markdown(book, cache_dir=cache).markdown
    assert len(list((cache / "books").glob("*.json"))) == 2


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    book = epub3_book(tmp_path / "keeper.epub")
    assert "gulls were loud" in book_markdown(book, cache_dir=blocked).markdown


def test_the_cache_directory_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from essaytui import paths

    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(tmp_path / "elsewhere"))
    load_essay(epub3_book(tmp_path / "keeper.epub"))
    assert len(list((tmp_path / "elsewhere" / "books").glob("*.json"))) == 1


def _page(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>t</title></head><body>{body}</body></html>"
    )


def _book(path: Path, chapters: Mapping[str, str | bytes]) -> Path:
    from epub_books import XHTML_TYPE, opf3, write_epub

    names = [name for name in chapters if name.endswith(".xhtml")]
    items = [(f"i{n}", name.removeprefix("OEBPS/"), XHTML_TYPE, "") for n, name in enumerate(names)]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(
            items, [i for i, *_ in items], metadata="<dc:title>Long</dc:title>"
        ),
        **chapters,
    }
    return write_epub(path, files)


def test_os_cache_path_is_not_the_data_path(tmp_path: Path) -> None:
    from essaytui import paths

    assert paths.cache_dir() != paths.data_dir()
    assert os.environ[paths.CACHE_DIR_ENV]


def test_placeholder_identifiers_are_not_identities() -> None:
    from essaytui.model.epub import is_distinctive

    assert is_distinctive("urn:uuid:0b0c5c1e-1111-4222-8333-444455556666")
    assert is_distinctive("https://standardebooks.org/ebooks/david-hume/an-enquiry")
    assert is_distinctive("9780000000002")
    for weak in (
        "",
        "  ",
        "isbn",
        "calibre",
        "12",
        "urn:uuid:00000000-0000-0000-0000-000000000000",
    ):
        assert not is_distinctive(weak), weak


def test_a_book_without_identifier_is_found_by_its_text_when_moved_and_edited(
    tmp_path: Path,
) -> None:
    from essaytui.store import AnnotationStore

    first = epub3_book(tmp_path / "keeper.epub", identifier="unknown")
    with AnnotationStore.open(tmp_path / "data") as store:
        essay = load_essay(first)
        assert not essay.id.startswith("book-")
        known = store.identify(essay)
    # re-zipped with one more sentence (other bytes, the same text nearly) and moved
    moved = tmp_path / "shelf" / "keeper (edited).epub"
    moved.parent.mkdir()
    epub3_book(moved, identifier="unknown")
    edited = moved.read_bytes()
    first.unlink()
    from epub_books import CHAPTER_2, write_epub

    with zipfile.ZipFile(moved) as archive:
        files: dict[str, str | bytes] = {
            name: archive.read(name)
            for name in archive.namelist()
            if name not in ("mimetype", "META-INF/container.xml")
        }
    chapter = files["OEBPS/text/chapter-2.xhtml"]
    assert isinstance(chapter, bytes)
    files["OEBPS/text/chapter-2.xhtml"] = chapter.replace(
        b"stayed for two days.", b"stayed for two days. Then it was calm."
    )
    write_epub(moved, files)
    assert moved.read_bytes() != edited and CHAPTER_2
    with AnnotationStore.open(tmp_path / "data") as store:
        assert store.identify(load_essay(moved)) == known
    # the print sketches the book's words, not its compressed bytes
    from essaytui.model import identity
    from essaytui.model.epub.sample import text_sample

    found = identity.read_print(moved)
    sample = text_sample(moved, identity.HEAD_BYTES)
    assert found is not None and sample is not None and "Then it was calm." in sample
    assert found.sketch == identity.sketch_of(sample)


def test_a_long_books_first_screen_reads_only_the_cached_start(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    chapters = {
        f"OEBPS/c{i}.xhtml": _page(
            f"<h1>Chapter {i}</h1>"
            + "".join(
                f"<p>Paragraph {n} of chapter {i} goes on for a while."
                f'<a href="notes.xhtml#n{i}-{n}" epub:type="noteref">{n}</a></p>'
                for n in range(120)
            )
        )
        for i in range(60)
    }
    notes = "".join(
        f'<li id="n{i}-{n}" epub:type="endnote"><p>Note {i}.{n}.</p></li>'
        for i in range(60)
        for n in range(120)
    )
    chapters["OEBPS/notes.xhtml"] = _page(
        f'<section epub:type="endnotes"><ol>{notes}</ol></section>'
    )
    book = _book(tmp_path / "long.epub", chapters)
    whole = load_book(book, cache_dir=cache)
    (head,) = (cache / "books").glob("*.head.json")
    (full,) = [p for p in (cache / "books").glob("*.json") if p != head]
    kept = json.loads(head.read_text(encoding="utf-8"))["markdown"]
    assert "Chapter 0" in kept and "Chapter 59" not in kept and "Note 59.119." not in kept
    # the whole conversion is not read for the first screen: spoil it, the start still opens
    full.write_text("spoilt", encoding="utf-8")
    first = load_book(book, limit=4096, cache_dir=cache)
    assert not first.complete
    assert whole.reading_text.startswith(first.reading_text)
    shown = [note for note in first.footnotes if note.refs]
    assert shown and all(note.defined and note.text.startswith("Note 0.") for note in shown)


def test_a_long_first_chapter_is_converted_only_as_far_as_the_first_screen(
    tmp_path: Path,
) -> None:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the one long chapter, with <i>some</i> markup.</p>"
        for n in range(3000)
    )
    chapters = {
        "OEBPS/c0.xhtml": _page(f'<section epub:type="chapter"><h1>One</h1>{paragraphs}</section>'),
        "OEBPS/c1.xhtml": _page("<h1>Two</h1><p>The second chapter.</p>"),
    }
    book = _book(tmp_path / "one-long-chapter.epub", chapters)
    first = book_markdown(book, enough=4097)
    assert not first.complete
    assert "Paragraph 80 of" in first.markdown and "Paragraph 2999 of" not in first.markdown
    # enough for the first screen's parse (its limit), little more
    assert 4097 < len(first.markdown) < 3 * 4097
    whole = load_book(book)
    part = load_book(book, limit=4096)
    assert whole.reading_text.startswith(part.reading_text) and not part.complete


def test_links_between_chapters_lead_to_their_places_in_the_essay(tmp_path: Path) -> None:
    from essaytui.model.essay import SpanKind

    essay = load_essay(epub3_book(tmp_path / "keeper.epub"))
    text = essay.reading_text
    links = {
        text[span.start : span.end]: span.data
        for block in essay.blocks
        for span in block.spans
        if span.kind is SpanKind.LINK
    }
    # forward, to an id in a later chapter
    storm = links["the storms"]
    assert storm.startswith("#") and text[essay.anchors[storm[1:]] :].startswith("The storm")
    assert links["the coast"] == "https://example.org/coast"
    # backward, to a place already converted: that very place, not its chapter's start
    letters = load_essay(epub2_book(tmp_path / "letters.epub"))
    (back,) = [
        span.data for block in letters.blocks for span in block.spans if span.kind is SpanKind.LINK
    ]
    assert letters.reading_text[letters.anchors[back[1:]] :].startswith("P.S. The mill wheel")


GUTENBERG_CHAPTER = """<div class="chapter"><h2><a id="CHAPTER_I"></a>CHAPTER I.</h2>
<p>It was a dark night<a id="FNanchor_1_1" href="#Footnote_1_1" class="fnanchor">[1]</a>
and the rain fell.</p>
<p>Later that week<a id="FNanchor_2_2" href="#Footnote_2_2" class="fnanchor">[2]</a> it cleared.</p>
<div class="footnotes"><h3>FOOTNOTES:</h3>
<div class="footnote"><p><a id="Footnote_1_1" href="#FNanchor_1_1">
<span class="label">[1]</span></a> Of the new moon.</p></div>
<div class="footnote"><p><a id="Footnote_2_2" href="#FNanchor_2_2">
<span class="label">[2]</span></a> In April.</p></div>
</div></div>"""


def test_project_gutenberg_footnotes_and_headings(tmp_path: Path) -> None:
    """Project Gutenberg's markup: `[1]` links to a FOOTNOTES block at the chapter's end,
    headings that start with an empty anchor."""
    book = _book(tmp_path / "pg.epub", {"OEBPS/c.xhtml": _page(GUTENBERG_CHAPTER)})
    essay = load_essay(book)
    assert [(n.label, n.text) for n in essay.footnotes] == [
        ("1", "Of the new moon."),
        ("2", "In April."),
    ]
    text = essay.reading_text
    assert "FOOTNOTES" not in text and "[1]" not in text
    assert text.startswith("CHAPTER I.\n")


HEADING_GROUPS = """<section epub:type="chapter"><hgroup>
  <h2 epub:type="ordinal">II</h2>
  <p epub:type="title">Of the <i>Origin</i> of Ideas</p>
</hgroup><p>Everyone will readily allow it.</p></section>
<section epub:type="chapter"><hgroup><p epub:type="label">Book</p>
  <h2 epub:type="ordinal">III</h2><p epub:type="subtitle">The Sequel</p></hgroup>
<p>The third begins.</p></section>
<section epub:type="preface"><header><h2>Preface</h2>
  <p epub:type="bridgehead">In which nothing happens.</p></header><p>Start.</p></section>
<section epub:type="chapter"><header><h2 epub:type="ordinal">IV</h2>
  <p epub:type="title">The Header Title</p></header><p>Fourth.</p></section>"""


def test_a_heading_groups_paragraphs_are_part_of_its_heading(tmp_path: Path) -> None:
    from epub_books import XHTML_TYPE, opf3, page, write_epub

    from essaytui.model.essay import BlockKind

    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(
            [("c", "c.xhtml", XHTML_TYPE, "")], ["c"], metadata="<dc:title>Groups</dc:title>"
        ),
        "OEBPS/c.xhtml": page(HEADING_GROUPS),
    }
    essay = load_essay(write_epub(tmp_path / "groups.epub", files))
    text = essay.reading_text
    blocks = [(b.kind, text[b.start : b.end]) for b in essay.blocks]
    assert blocks == [
        (BlockKind.HEADING, "II: Of the Origin of Ideas"),
        (BlockKind.PARAGRAPH, "Everyone will readily allow it."),
        (BlockKind.HEADING, "Book: III: The Sequel"),
        (BlockKind.PARAGRAPH, "The third begins."),
        (BlockKind.HEADING, "Preface"),
        # a header's bridgehead is no part of the title
        (BlockKind.PARAGRAPH, "In which nothing happens."),
        (BlockKind.PARAGRAPH, "Start."),
        (BlockKind.HEADING, "IV: The Header Title"),
        (BlockKind.PARAGRAPH, "Fourth."),
    ]
