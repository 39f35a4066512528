"""A book's own glossary, its pictures and its links back, as the reader gets them."""

from __future__ import annotations

from pathlib import Path

from epub_books import XHTML_TYPE, glossary_book, opf3, page, write_epub

from essaytui.model.epub import book_markdown
from essaytui.model.essay import IN_BOOK, Essay, SpanKind
from essaytui.model.files import load_essay
from essaytui.sessions.links import InBook, InEssay, link_peek, resolve


def _book(path: Path, documents: dict[str, str]) -> Path:
    items = [(f"d{n}", name, XHTML_TYPE, "") for n, name in enumerate(documents)]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(
            items, [i for i, *_ in items], metadata="<dc:title>Book</dc:title>"
        ),
        **{f"OEBPS/{name}": page(body) for name, body in documents.items()},
    }
    return write_epub(path, files)


def _links(essay: Essay) -> dict[str, str]:
    text = essay.reading_text
    return {
        text[span.start : span.end]: span.data
        for block in essay.blocks
        for span in block.spans
        if span.kind is SpanKind.LINK
    }


def test_a_glossary_section_becomes_the_essays_glossary(tmp_path: Path) -> None:
    essay = load_essay(glossary_book(tmp_path / "staithe.epub"))
    terms = {term.name: term for term in essay.glossary}
    assert set(terms) == {"ketch", "staithe"}
    assert terms["ketch"].definition == "A two-masted sailing boat."
    # two <dt> for one <dd>: one term with a second spelling
    assert terms["staithe"].aliases == ("staith",)
    text = essay.reading_text
    # matched in the running text (a plural too), and the glossary itself left it
    assert [text[s:e] for s, e in terms["ketch"].occurrences] == ["ketch", "ketches"]
    assert len(terms["staithe"].occurrences) == 2
    assert "A two-masted sailing boat" not in text and "Glossary" not in text
    assert [section.title for section in essay.sections] == ["The Harbour"]


def test_a_dl_under_a_glossary_heading_is_a_glossary(tmp_path: Path) -> None:
    book = _book(
        tmp_path / "dl.epub",
        {
            "a.xhtml": "<h1>One</h1><p>The reeve kept the manor's rolls.</p>",
            "b.xhtml": "<h1>Glossary of Terms</h1><dl><dt>reeve</dt><dd>A manor's <em>overseer</em>"
            ".</dd><dd>Elected yearly.</dd></dl>",
        },
    )
    essay = load_essay(book)
    (term,) = essay.glossary
    assert (term.name, term.definition) == ("reeve", "A manor's overseer. Elected yearly.")
    assert [essay.reading_text[s:e] for s, e in term.occurrences] == ["reeve"]
    assert "Glossary" not in essay.reading_text


def test_a_dl_that_is_no_glossary_stays_in_the_text(tmp_path: Path) -> None:
    book = _book(
        tmp_path / "cast.epub",
        {"a.xhtml": "<h1>Cast</h1><dl><dt>Hamlet</dt><dd>Prince of Denmark.</dd></dl>"},
    )
    essay = load_essay(book)
    assert essay.glossary == ()
    assert "Prince of Denmark." in essay.reading_text


def test_a_picture_in_the_book_is_named_as_one(tmp_path: Path) -> None:
    essay = load_essay(glossary_book(tmp_path / "staithe.epub"))
    (image,) = [s for b in essay.blocks for s in b.spans if s.kind is SpanKind.IMAGE]
    assert essay.reading_text[image.start : image.end] == "🖼 A map of the harbour"
    assert image.data == IN_BOOK + "OEBPS/images/harbour.png"
    assert resolve(essay, image.data) == InBook("OEBPS/images/harbour.png")
    assert "can't be opened outside" in link_peek(essay, image.data, image=True)


def test_a_link_back_lands_on_its_spot_not_its_chapters_start(tmp_path: Path) -> None:
    book = _book(
        tmp_path / "back.epub",
        {
            "a.xhtml": "<h1>One</h1><p>Opening words.</p>"
            "<p><span id='oath'>The oath was sworn at dawn.</span></p><p>Later.</p>",
            "b.xhtml": "<h1>Two</h1><p>Recall <a href='a.xhtml#oath'>the oath</a> and "
            "<a href='a.xhtml#gone'>a lost place</a> and <a href='a.xhtml'>chapter one</a>.</p>",
        },
    )
    essay = load_essay(book)
    text = essay.reading_text
    links = _links(essay)

    def lands(label: str) -> str:
        place = resolve(essay, links[label])
        assert isinstance(place, InEssay)
        return text[place.offset :]

    assert lands("the oath").startswith("The oath was sworn")
    # an id the earlier chapter does not have, or no id: the chapter's start
    assert lands("a lost place").startswith("One\n")
    assert lands("chapter one").startswith("One\n")
    # the first screen's conversion does not look for links back: one that led to its
    # chapter's start leaves it incomplete, so that the whole conversion follows
    first = book_markdown(book, enough=10_000)
    assert "The oath was sworn" in first.markdown and not first.complete
    assert book_markdown(book).complete
