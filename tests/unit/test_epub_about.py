"""About this edition (`i`) for books: the series with its part once, no front-matter
value twice, and counts in the singular when there is one."""

from __future__ import annotations

from pathlib import Path

from epub_books import XHTML_TYPE, epub2_book, epub3_book, opf3, page, write_epub
from test_epub_citation import keepers

from essaytui.model.epub import load_book
from essaytui.screens.about import about_text

ONE_NOTE = """<section epub:type="chapter" id="one"><h1>The Only Chapter</h1>
<p>The lamp was lit.<a href="#n1" epub:type="noteref">1</a></p>
<aside id="n1" epub:type="footnote"><p>At dusk.</p></aside></section>"""


def test_the_part_is_shown_with_its_series_and_not_again(tmp_path: Path) -> None:
    text = about_text(load_book(keepers(tmp_path / "keepers.epub"))).plain
    assert "Series\nCoastal Histories, part 2" in text
    also = text.partition("\nAlso\n")[2].partition("\n\nLength")[0]
    assert "translator: Tomas Ring" in also and "publisher: Harbour Press" in also
    assert "part:" not in also and "series:" not in also
    # the ISBN is given once although the package lists it as an identifier too
    assert text.count("9780000000019") == 1
    # an EPUB 2 book whose identifier is its ISBN: shown once
    letters = about_text(load_book(epub2_book(tmp_path / "letters.epub"))).plain
    assert letters.count("9780000000002") == 1
    assert "Series\nValley Papers, part 1" in letters


def test_one_section_and_one_note_are_counted_in_the_singular(tmp_path: Path) -> None:
    items = [("one", "one.xhtml", XHTML_TYPE, "")]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, ["one"], metadata="<dc:title>Alone</dc:title>"),
        "OEBPS/one.xhtml": page(ONE_NOTE),
    }
    essay = load_book(write_epub(tmp_path / "alone.epub", files))
    assert len(essay.sections) == 1
    text = about_text(essay).plain
    assert "· 1 section · 1 note · 0 glossary terms" in text
    several = about_text(load_book(epub3_book(tmp_path / "keeper.epub"))).plain
    assert " sections · 3 notes · 0 glossary terms" in several


def test_the_length_of_a_first_part_says_it_is_one(tmp_path: Path) -> None:
    from epub_books import long_book

    from essaytui.model.files import FIRST_SCREEN_LIMIT

    book = long_book(tmp_path / "long.epub", chapters=20)
    part = about_text(load_book(book, limit=FIRST_SCREEN_LIMIT)).plain
    whole = about_text(load_book(book)).plain
    assert "Length\nThe first part (the whole is not in yet): " in part
    assert "first part" not in whole and "Length\n" in whole
