"""A book in the reader: the outline is the book's, endnotes peek, jump and come back, and
a note stays with the book when it is reopened, renamed or moved."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from epub_books import (
    control_character_book,
    epub3_book,
    glossary_book,
    real_standard_ebook,
    standard_ebook,
)
from ready import opened, until
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.model.annotation import AnchorStatus, Kind
from essaytui.screens.note_editor import NoteEditor
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.targets import FootnoteRef, LinkRef, TermHit
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.side_pane import SidePane
from essaytui.widgets.sources import SourcesPane


def reader(app: EssayApp) -> ReaderScreen:
    for screen in reversed(app.screen_stack):
        if isinstance(screen, ReaderScreen):
            return screen
    raise AssertionError("no reader")


def view_of(app: EssayApp) -> EssayView:
    return reader(app).query_one(EssayView)


async def test_the_outline_shows_the_books_chapters_nested(tmp_path: Path) -> None:
    app = EssayApp(epub3_book(tmp_path / "keeper.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("1")
        await pilot.pause()
        outline = reader(app).query_one(OutlinePane)
        nesting = [(row.depth, row.section.title) for row in outline.rows]
        assert nesting == [
            (0, "Part One: The Shore"),
            (1, "Chapter 1. Arrival"),
            (1, "Chapter 2. The Lamp"),
            (2, "The storm"),
        ]
        # choosing a chapter in the outline takes the reader there
        outline.choose(outline.rows[2].section)
        await pilot.pause()
        view = view_of(app)
        text = view.essay.reading_text
        assert view.top_offset <= text.index("Chapter 2. The Lamp") < view.bottom_offset


async def test_f_enter_backspace_on_an_endnote(tmp_path: Path) -> None:
    app = EssayApp(standard_ebook(tmp_path / "hume.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("f")
        await pilot.pause()
        target = view.target
        assert isinstance(target, FootnoteRef) and target.label == "1"
        peek = reader(app).query_one(Peek)
        assert not peek.has_class("-hidden")
        assert "See Appendix I." in str(peek.render())
        top = view.top_offset
        await pilot.press("enter")
        await pilot.pause()
        screen = reader(app)
        assert screen.query_one(SidePane).active == "sources-tab"
        assert screen.query_one(SourcesPane).highlighted_label == "1"
        await pilot.press("backspace")
        await pilot.pause()
        assert view.has_focus
        assert view.top_offset == top and view.target == target


async def test_a_book_with_control_characters_opens_them_shown_as_pictures(
    tmp_path: Path,
) -> None:
    app = EssayApp(control_character_book(tmp_path / "controls.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        text = view.essay.reading_text
        assert "A bell\u2407 rang" in text and "Head\u241b[5m blink" in text
        assert "\x07" not in text and "\x1b" not in text
        await pilot.press("f")
        await pilot.pause()
        target = view.target
        assert isinstance(target, FootnoteRef) and target.label == "1"
        shown = str(reader(app).query_one(Peek).render())
        assert "First\u2407 note." in shown and "\x07" not in shown


async def test_a_note_on_a_book_survives_reopening_and_a_rename(tmp_path: Path) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    book = epub3_book(shelf / "keeper.epub")
    app = EssayApp(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        # the book fits on the screen: the search match says which sentence
        await pilot.press("slash", *"Nobody", "enter", "v", "a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"lonely start", "ctrl+s")
        (note,) = reader(app).notes.annotations
        assert note.kind is Kind.NOTE and note.exact.startswith("Nobody")
        book_id = app.essay.id
        await pilot.press("q")

    moved = tmp_path / "elsewhere" / "The Keeper (2nd copy).epub"
    moved.parent.mkdir()
    book.rename(moved)
    for path, size in ((moved, (120, 40)), (moved, (200, 50))):
        again = EssayApp(path)
        async with again.run_test(size=size) as pilot:
            await opened(pilot)
            await pilot.pause()
            assert again.essay.id == book_id
            (shown,) = reader(again).notes.annotations
            assert shown.id == note.id and shown.note == "lonely start"
            assert reader(again).notes.anchors[shown.id].status is AnchorStatus.ANCHORED


async def test_a_long_book_shows_its_first_part_then_the_rest(tmp_path: Path) -> None:
    from epub_books import XHTML_TYPE, opf3, page, write_epub

    chapters = {
        f"OEBPS/c{n}.xhtml": page(
            f"<h1>Chapter {n}</h1>" + f"<p>Sentence {n} of a long book. </p>" * 150
        )
        for n in range(40)
    }
    items = [(f"c{n}", f"c{n}.xhtml", XHTML_TYPE, "") for n in range(40)]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(
            items, [i for i, *_ in items], metadata="<dc:title>Long</dc:title>"
        ),
        **chapters,
    }
    book = write_epub(tmp_path / "long.epub", files)
    from essaytui.cli import reader_app

    app = reader_app(book, None)
    assert not app.essay.complete
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        for _ in range(200):
            if app.essay.complete:
                break
            await pilot.pause(0.05)
        assert app.essay.complete
        assert "Sentence 39 of a long book." in app.essay.reading_text
        assert len(app.essay.sections) == 40


async def test_the_books_glossary_in_the_glossary_pane(tmp_path: Path) -> None:
    from textual.widgets import Static

    app = EssayApp(glossary_book(tmp_path / "staithe.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("t")
        await pilot.pause()
        target = view.target
        assert isinstance(target, TermHit) and target.term_id == "ketch"
        assert "A two-masted sailing boat." in str(reader(app).query_one(Peek).render())
        await pilot.press("enter")
        await pilot.pause()
        screen = reader(app)
        assert screen.query_one(SidePane).active == "glossary-tab"
        entry = str(screen.query_one(GlossaryPane).query_one("#glossary-entry", Static).render())
        assert "A two-masted sailing boat." in entry and "2 occurrences" in entry
        await pilot.press("backspace")
        await pilot.pause()
        assert view.has_focus and view.target == target


async def test_enter_on_a_picture_inside_the_book_opens_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "browser-argv.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setattr("webbrowser._tryorder", None)
    monkeypatch.setattr("webbrowser._browsers", {})
    app = EssayApp(glossary_book(tmp_path / "staithe.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("l")
        target = view.target
        assert isinstance(target, LinkRef) and target.image
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)  # no "Open this image?"
        message = reader(app).status.message
        assert "inside the book" in message and "OEBPS/images/harbour.png" in message
        assert not log.exists()


async def test_a_link_back_shows_the_spot_it_names(tmp_path: Path) -> None:
    from epub_books import XHTML_TYPE, opf3, page, write_epub

    filler = "".join(f"<p>Line {n} of the first chapter.</p>" for n in range(60))
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(
            [("a", "a.xhtml", XHTML_TYPE, ""), ("b", "b.xhtml", XHTML_TYPE, "")],
            ["a", "b"],
            metadata="<dc:title>Back</dc:title>",
        ),
        "OEBPS/a.xhtml": page(f"<h1>One</h1>{filler}<p id='oath'>The oath at dawn.</p>{filler}"),
        "OEBPS/b.xhtml": page("<h1>Two</h1><p>Recall <a href='a.xhtml#oath'>the oath</a>.</p>"),
    }
    app = EssayApp(write_epub(tmp_path / "back.epub", files))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        text = view.essay.reading_text
        await pilot.press("end")
        await pilot.pause()
        await pilot.press("l")
        assert isinstance(view.target, LinkRef)
        await pilot.press("enter")
        await pilot.pause()
        assert view.top_offset <= text.index("The oath at dawn.") < view.bottom_offset
        assert view.top_offset > text.index("Line 20 of")


async def test_a_real_book_outline_jump_back_and_search(tmp_path: Path) -> None:
    """Standard Ebooks' Hume, zipped from its published sources (tests/data)."""
    app = EssayApp(real_standard_ebook(tmp_path / "enquiry.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen, view = reader(app), view_of(app)
        await until(pilot, lambda: view.essay.complete, "the whole book, not its first part")
        text = view.essay.reading_text
        await pilot.press("1")
        await pilot.pause()
        outline = screen.query_one(OutlinePane)
        chapters = [row.section.title for row in outline.rows if row.depth == 0]
        assert len(chapters) == 16 and chapters[2] == "I: Of the Different Species of Philosophy"
        (ten,) = [row for row in outline.rows if row.section.title == "X: Of Miracles"]
        parts = [row.section.title for row in outline.rows if row.path[:-1] == ten.path]
        assert parts == ["Part I", "Part II"]
        outline.choose(ten.section)
        await pilot.pause()
        assert view.top_offset <= text.index("Of Miracles\n") < view.bottom_offset
        view.focus()
        # the next note from Of Miracles is its first endnote, shown in the margin or a peek
        await pilot.press("f")
        await pilot.pause()
        target = view.target
        assert isinstance(target, FootnoteRef) and target.label == "20"
        assert view.essay.footnotes_by_label["20"].text == "Plutarch, in Vita Catonis."
        top = view.top_offset
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(SourcesPane).highlighted_label == target.label
        await pilot.press("backspace")
        await pilot.pause()
        assert view.has_focus and view.top_offset == top and view.target == target
        # search finds words in the endnotes too (only note 21 speaks of Muscovy)
        await pilot.press("slash", *"Muscovy", "enter")
        await pilot.pause()
        hits = screen.reading.search.hits
        assert hits and all(hit.note == "21" for hit in hits)


async def test_a_real_books_chapter_title_is_heading_never_quoted(tmp_path: Path) -> None:
    """Standard Ebooks' ``<hgroup>``: the title paragraph is the heading's, so `v )` then
    `a` at the chapter's start quotes the first two sentences of its text only."""
    app = EssayApp(real_standard_ebook(tmp_path / "enquiry.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen, view = reader(app), view_of(app)
        await until(pilot, lambda: view.essay.complete, "the whole book, not its first part")
        (two,) = [s for s in view.essay.sections if s.title == "II: Of the Origin of Ideas"]
        await pilot.press("1")
        await pilot.pause()
        screen.query_one(OutlinePane).choose(two)
        await pilot.pause()
        view.focus()
        await pilot.press("v", "right_parenthesis", "a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"faint copies", "ctrl+s")
        (note,) = screen.notes.annotations
        assert note.exact.startswith("Everyone will readily allow, that there is")
        assert note.exact.endswith("the force and vivacity of the original sentiment.")
        assert "Origin of Ideas" not in note.exact


@pytest.mark.parametrize("size", [(120, 40), (200, 50)])
async def test_a_note_on_a_real_book_survives_a_reopen(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    book = real_standard_ebook(tmp_path / "enquiry.epub")
    app = EssayApp(book)
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        await until(pilot, lambda: view_of(app).essay.complete, "the whole book in")
        await pilot.press("slash", *"Moral philosophy", "enter", "v", "a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"two kinds", "ctrl+s")
        (note,) = reader(app).notes.annotations
        assert note.exact == "Moral philosophy" and note.kind is Kind.NOTE
        await pilot.press("q")
    again = EssayApp(book)
    async with again.run_test(size=size) as pilot:
        await opened(pilot)
        await until(pilot, lambda: view_of(again).essay.complete, "the whole book in")
        (shown,) = reader(again).notes.annotations
        assert shown.id == note.id and shown.note == "two kinds"
        notes = reader(again).notes
        await until(pilot, lambda: shown.id in notes.anchors, "the note anchored")
        assert notes.anchors[shown.id].status is AnchorStatus.ANCHORED


async def test_the_rest_of_a_book_comes_wrapped_by_the_worker(tmp_path: Path) -> None:
    """The whole book is wrapped off the UI thread (`prepare_essay`); showing it takes
    that layout as it is, unless the width changed meanwhile."""
    from essaytui.cli import reader_app
    from essaytui.model.files import load_essay
    from essaytui.screens.reader import prepare_essay

    book = real_standard_ebook(tmp_path / "enquiry.epub")
    app = reader_app(book, tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen, view = reader(app), view_of(app)
        await until(pilot, lambda: view.essay.complete, "the app's own rest is in before ours")
        whole = dataclasses.replace(load_essay(book), id=app.essay.id)
        layout = prepare_essay(whole, view.wrapping)
        view.offer(layout)
        screen.essay = whole
        await pilot.pause()
        assert view.essay is whole and view.layout_lines is layout
        # offered, then the terminal narrowed: wrapped again at the new width
        other = dataclasses.replace(whole)
        offered = prepare_essay(other, view.wrapping)
        view.offer(offered)
        await pilot.resize_terminal(50, 40)
        await pilot.pause()
        screen.essay = other
        await pilot.pause()
        assert view.layout_lines.width == max(10, view.column_width)
        assert view.layout_lines.essay is other and view.layout_lines is not offered
        assert view.layout_lines.width < offered.width
        assert len(view.layout_lines) > len(offered)


async def test_a_long_book_reopens_where_it_was_left_beyond_its_first_part(
    tmp_path: Path,
) -> None:
    from essaytui.cli import reader_app

    book = real_standard_ebook(tmp_path / "enquiry.epub")

    async def complete(app: EssayApp, pilot: Pilot[None]) -> None:
        for _ in range(200):
            if app.essay.complete:
                return
            await pilot.pause(0.05)
        raise AssertionError("the rest of the book never came")

    first = reader_app(book, tmp_path / "data")
    assert not first.essay.complete  # only the first part: the place is beyond it
    async with first.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await complete(first, pilot)
        await pilot.press("slash", *"Tillotson", "enter", "escape")
        await pilot.pause()
        view = view_of(first)
        left_at = view.top_offset
        assert left_at > len(view.essay.reading_text) // 2
        await pilot.press("q")
    again = reader_app(book, tmp_path / "data")
    assert not again.essay.complete
    async with again.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await complete(again, pilot)
        await pilot.pause()
        # not the end of the first part, where the view stood while only it was in
        assert view_of(again).top_offset == left_at


async def test_a_text_opened_before_the_rest_of_a_book_is_in_stays(tmp_path: Path) -> None:
    """Another text opened while a long book's rest is still being read: the rest, once
    read, does not take the other text's place."""
    from epub_books import long_book

    book = long_book(tmp_path / "long.epub", chapters=60)
    other = tmp_path / "other.md"
    other.write_text("# The other text\n\nA short essay opened meanwhile.\n")
    app = EssayApp(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        assert not app.essay.complete
        app.open_essay(other)
        await until(pilot, lambda: app.essay_path == other, "the other text shown")
        await until(
            pilot,
            lambda: not any(w.group == "load" and not w.is_finished for w in app.workers),
            "the book's rest read",
        )
        await pilot.pause()
        assert app.essay_path == other and app.essay.title == "The other text"
        assert view_of(app).essay is reader(app).essay
        assert "A short essay opened meanwhile." in view_of(app).essay.reading_text


async def test_a_book_replaced_while_its_rest_is_read_is_filed_as_itself(
    tmp_path: Path,
) -> None:
    """The file holds another book by the time the rest is read: that book is shown under
    its own identity, and a note made on it is never filed under the first book's."""
    from epub_books import long_book

    path = tmp_path / "shelf.epub"
    long_book(path, chapters=30)
    app = EssayApp(path)  # its first part read and identified now
    first_id = app.essay.id
    other = epub3_book(tmp_path / "keeper.epub")
    other.replace(path)  # then the file is replaced, before the rest is read
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await until(pilot, lambda: app.essay.complete, "the file's whole text in")
        assert app.essay.title == "The Lighthouse Keeper" and app.essay.id != first_id
        assert str(view_of(app).border_title) == "The Lighthouse Keeper"
        await pilot.press("v", "h")
        await until(pilot, lambda: bool(reader(app).notes.annotations), "the highlight")
        assert app.store.list_for_essay(first_id) == []
        assert len(app.store.list_for_essay(app.essay.id)) == 1


async def test_a_search_made_while_the_rest_loads_finds_it_in_the_whole(tmp_path: Path) -> None:
    from epub_books import long_book

    book = long_book(tmp_path / "long.epub", chapters=100)
    app = EssayApp(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        # what typing in the search bar runs (keys typed by Pilot wait for the app to
        # idle, which the conversion beside it delays until the whole book is in)
        reader(app).finding.run("again")
        search = reader(app).reading.search
        await until(pilot, lambda: bool(search.hits), "matches in the first part")
        assert not app.essay.complete  # found in the first part, while the rest loads
        in_part = len(search.hits)
        await until(pilot, lambda: app.essay.complete, "the whole book in")
        # every paragraph of the 100 chapters says "again" once
        await until(pilot, lambda: len(search.hits) == 100 * 120, "matches in the whole")
        assert in_part < len(search.hits) and search.query == "again"
