"""A real book, as its publisher released it: Standard Ebooks' edition of Hume's *An
Enquiry Concerning Human Understanding* (tests/data/standard-ebooks, CC0), zipped from
its published sources. What the synthetic books cannot hold: a whole book's markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from epub_books import REAL_STANDARD_EBOOK, real_standard_ebook

from essaytui.model.epub import book_markdown
from essaytui.model.essay import Essay
from essaytui.model.files import load_essay

#: Endnotes in the book's endnotes.xhtml, each with a link back.
ENDNOTES = 34


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_standard_ebook(tmp_path_factory.mktemp("hume") / "enquiry.epub")


@pytest.fixture(scope="module")
def essay(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Essay:
    return load_essay(book, cache_dir=tmp_path_factory.mktemp("cache"))


def test_the_sources_hold_what_the_tests_count() -> None:
    notes = (REAL_STANDARD_EBOOK / "epub" / "text" / "endnotes.xhtml").read_text("utf-8")
    assert len(re.findall(r'epub:type="endnote"', notes)) == ENDNOTES
    assert len(re.findall(r'epub:type="backlink"', notes)) == ENDNOTES


def test_every_endnote_is_a_footnote_referenced_from_the_text(essay: Essay) -> None:
    assert essay.complete and not essay.warnings
    assert len(essay.footnotes) == ENDNOTES
    assert [note.label for note in essay.footnotes] == [str(n) for n in range(1, ENDNOTES + 1)]
    for note in essay.footnotes:
        assert note.defined and note.refs and note.text.strip()
        # the link back (↩) went with the note's markup
        assert "↩" not in note.text
    first = essay.footnotes[0]
    assert first.text.startswith("It is probable that no more was meant by those")
    start, _ = first.refs[0]
    # the first reference is in Section II, after "the less lively ones"-like prose
    assert essay.section_at(start) is not None
    assert essay.section_at(start).title == "II: Of the Origin of Ideas"  # type: ignore[union-attr]


def test_the_endnotes_chapter_leaves_the_running_text(essay: Essay) -> None:
    assert "Endnotes" not in [section.title for section in essay.sections]
    assert "↩" not in essay.reading_text
    assert "It is probable that no more was meant by those" not in essay.reading_text


def test_the_outline_is_the_books_toc_nested(essay: Essay) -> None:
    top = [s.title for s in essay.sections if s.level == 1]
    assert top[:3] == ["Titlepage", "Imprint", "I: Of the Different Species of Philosophy"]
    assert "XII: Of the Academical or Sceptical Philosophy" in top
    assert top[-2:] == ["Colophon", "Uncopyright"]
    # the toc's 30 entries but "Endnotes": that chapter is beside the text now
    assert len(essay.sections) == 29
    twelve = next(s for s in essay.sections if s.title.startswith("XII:"))
    parts = [s.title for s in essay.sections if s.parent == twelve.index]
    assert parts == ["Part I", "Part II", "Part III"]
    # each chapter's entry is at its heading: the numeral, then the title
    for section in essay.sections:
        numeral, _, title = section.title.partition(": ")
        if section.level == 1 and title:
            heading = essay.reading_text[section.start : section.start + len(section.title)]
            assert heading == f"{numeral}\n\n{title}"


def test_the_author_is_the_author_though_he_also_annotated(book: Path) -> None:
    # the package gives Hume two roles, "ann" then "aut": he is the book's author
    markdown = book_markdown(book).markdown
    front = markdown.split("\n---\n", 1)[0]
    assert "\nauthor: David Hume\n" in front
    assert "annotator:" not in front
    assert "\ntitle: An Enquiry Concerning Human Understanding\n" in front


def test_the_first_part_is_the_start_of_the_whole(book: Path, essay: Essay, tmp_path: Path) -> None:
    first = load_essay(book, limit=8 * 1024, cache_dir=tmp_path)
    assert not first.complete
    assert essay.reading_text.startswith(first.reading_text)
    assert first.id == essay.id
