# ruff: noqa: E501
"""What a book's conversion says and leaves: missing documents named, a rule that only
set the notes apart taken away with them, decorative pictures left out, and a link's
peek naming its target in the book's words, never an id the conversion made."""

from __future__ import annotations

from pathlib import Path

from epub_books import (
    XHTML_TYPE,
    epub2_book,
    epub3_book,
    opf3,
    page,
    real_standard_ebook,
    write_epub,
)

from essaytui.model.epub import book_markdown, load_book
from essaytui.sessions.links import link_peek


def spine_with_holes(path: Path, missing: int) -> Path:
    names = ["ch1", *(f"ch{n}" for n in range(2, 2 + missing))]
    items = [(name, f"{name}.xhtml", XHTML_TYPE, "") for name in names]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, names, metadata="<dc:title>Holes</dc:title>"),
        "OEBPS/ch1.xhtml": page("<h1>One</h1><p>The only chapter there.</p>"),
    }
    return write_epub(path, files)


def test_a_missing_document_of_the_reading_order_is_named(tmp_path: Path) -> None:
    essay = load_book(spine_with_holes(tmp_path / "one.epub", 1))
    assert "1 document of the reading order is missing from the book: ch2.xhtml" in essay.warnings
    essay = load_book(spine_with_holes(tmp_path / "five.epub", 5))
    assert (
        "5 documents of the reading order are missing from the book: "
        "ch2.xhtml, ch3.xhtml, ch4.xhtml and 2 more"
    ) in essay.warnings


CANALS_B = """<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Of Small Canals</title></head><body>
<h1>Of Small Canals</h1><p>Small canals may carry boats of eight tons.</p><hr/>
<p>In place of locks, inclined planes raise the boats.</p><hr/>
<p id="fn1"><a href="a.html#ref1">*</a> As Adam Smith observed.</p></body></html>"""

CANALS_A = """<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Preface</title></head><body>
<h1>Preface</h1><p>Inland navigation matters.<a href="b.html#fn1" id="ref1"><sup>*</sup></a></p></body></html>"""

CANALS_OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="BookId">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Canals</dc:title>
<dc:identifier id="BookId">urn:uuid:5f0e0c1e-1111-4222-8333-444455556666</dc:identifier></metadata>
<manifest><item id="a" href="a.html" media-type="application/xhtml+xml"/>
<item id="b" href="b.html" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="a"/><itemref idref="b"/></spine></package>"""


def test_the_rule_before_the_notes_goes_with_them(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "content.opf": CANALS_OPF,
        "a.html": CANALS_A,
        "b.html": CANALS_B,
    }
    markdown = book_markdown(
        write_epub(tmp_path / "canals.epub", files, opf="content.opf")
    ).markdown
    text, _, notes = markdown.partition("\n\n[^1]: ")
    assert notes.startswith("As Adam Smith observed.")
    assert text.rstrip().endswith("inclined planes raise the boats.")
    assert text.count("\n---\n") == 2  # the front matter's; the rule between two paragraphs stays
    assert "eight tons.\n\n---\n\nIn place of locks" in text


def test_a_picture_with_empty_alt_is_left_out_of_the_text(tmp_path: Path) -> None:
    # Standard Ebooks' title page: <img alt="" src="../images/titlepage.svg"/>
    essay = load_book(real_standard_ebook(tmp_path / "hume.epub"))
    title_page = essay.reading_text[: essay.reading_text.index("Imprint")]
    assert "🖼" not in title_page and "By David Hume." in title_page
    assert essay.meta["cover"] == "epub/images/cover.svg"
    # a picture with words keeps them; the cover is still named
    keeper = load_book(epub3_book(tmp_path / "keeper.epub"))
    assert "🖼 A map of the island" in keeper.reading_text
    assert keeper.meta["cover"] == "OEBPS/images/cover.jpg"


def test_a_cross_chapter_links_peek_names_its_target(tmp_path: Path) -> None:
    # letter 2 links to letter1.html#ps: made an anchor of the conversion's own
    essay = load_book(epub2_book(tmp_path / "letters.epub"))
    made = [name for name in essay.anchors if name.startswith("epub-t-")]
    assert made
    peek = link_peek(essay, f"#{made[0]}")
    assert peek.startswith("Link to: A postscript\n")  # its entry in the book's contents
    assert "epub-" not in peek and "enter: go there" in peek
    keeper = load_book(epub3_book(tmp_path / "keeper.epub"))
    peeks = [link_peek(keeper, f"#{name}") for name in keeper.anchors]
    assert all("epub-" not in peek and "#" not in peek for peek in peeks)
    assert "Link to: The storm\n\nenter: go there (backspace comes back)" in peeks
