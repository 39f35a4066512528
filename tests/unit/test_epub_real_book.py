"""A real book, as its publisher released it: Standard Ebooks' edition of Hume's *An
Enquiry Concerning Human Understanding* (tests/data/standard-ebooks, CC0), zipped from
its published sources. What the synthetic books cannot hold: a whole book's markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from epub_books import REAL_STANDARD_EBOOK, real_standard_ebook
from essaytui_run import essaytui

from essaytui.model.epub import book_markdown
from essaytui.model.essay import BlockKind, Essay
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
    # each chapter's entry is at its heading, the numeral and the title in one heading
    for section in essay.sections:
        if section.level == 1 and ": " in section.title:
            block = essay.blocks[essay.block_index_at(section.start)]
            assert block.kind is BlockKind.HEADING
            # (a noteref may follow: "VI: Of Probability⁹")
            assert essay.reading_text[block.start : block.end].startswith(section.title)


def test_a_chapters_title_in_its_heading_group_is_part_of_its_heading(essay: Essay) -> None:
    # <hgroup><h2 epub:type="ordinal">II</h2><p epub:type="title">Of the Origin of Ideas</p>
    text = essay.reading_text
    start = text.index("II: Of the Origin of Ideas")
    index = essay.block_index_at(start)
    heading, first = essay.blocks[index], essay.blocks[index + 1]
    assert heading.kind is BlockKind.HEADING
    assert text[heading.start : heading.end] == "II: Of the Origin of Ideas"
    assert first.kind is BlockKind.PARAGRAPH
    assert text[first.start :].startswith("Everyone will readily allow")
    paragraphs = [text[b.start : b.end] for b in essay.blocks if b.kind is BlockKind.PARAGRAPH]
    assert not any(p.startswith("Of the Origin of Ideas") for p in paragraphs)
    # the title's noteref moved with it
    heading = essay.blocks[essay.block_index_at(text.index("VI: Of Probability"))]
    assert heading.kind is BlockKind.HEADING
    assert text[heading.start : heading.end] == "VI: Of Probability⁹"


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


def test_the_library_search_counts_a_chapters_paragraphs_from_its_first(
    book: Path, tmp_path: Path
) -> None:
    # the title in the heading group was counted as paragraph 1
    data = tmp_path / "data"
    added = essaytui("add", book, data=data)
    assert added.returncode == 0, added.stderr
    found = essaytui("search", "Everyone will readily allow", "--texts", data=data)
    assert found.returncode == 0, found.stderr
    assert "§ II: Of the Origin of Ideas · paragraph 1\n" in found.stdout
