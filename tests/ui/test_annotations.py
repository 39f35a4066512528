"""Selecting, highlighting, notes, bookmarks, the Notes pane and the reading position."""

from __future__ import annotations

from pathlib import Path

from ready import opened
from textual.widgets import TextArea

from essaytui.app import EssayApp
from essaytui.model.annotation import AnchorStatus, Kind
from essaytui.model.text import BLOCK_SEPARATOR
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.note_editor import NoteEditor
from essaytui.screens.reader import ReaderScreen
from essaytui.store import AnnotationStore
from essaytui.widgets.notes import NotesPane

ESSAY = """---
id: test-annotations
title: A test of notes
author: Ann Author
---

## First part

The first sentence is here. The second sentence follows it. A third one ends the paragraph.

Another paragraph starts. It has two sentences.

## Second part

The closing paragraph talks about something else entirely. It ends here.

## Appendix

""" + "\n\n".join(
    f"Filler paragraph {i} goes on for a while so the essay scrolls." for i in range(60)
)


def write_essay(folder: Path, text: str = ESSAY) -> Path:
    path = folder / "notes-essay.md"
    path.write_text(text, encoding="utf-8")
    return path


async def test_v_selects_the_sentence_and_keys_move_its_end(tmp_path: Path) -> None:
    app = EssayApp(write_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        text = view.essay.reading_text
        await pilot.press("v")
        assert view.selected_range is not None
        start, end = view.selected_range
        # a heading is never quoted: the first sentence of body text below it
        assert text[start:end] == "The first sentence is here."
        await pilot.press("escape")
        assert view.selection is None
        # put the top of the view on the first paragraph
        view.scroll_to_offset(text.index("The first sentence"))
        await pilot.press("v")
        assert view.selected_range is not None
        start, end = view.selected_range
        assert text[start:end] == "The first sentence is here."
        await pilot.press("right_parenthesis")
        _, end = view.selected_range
        assert text[start:end].endswith("The second sentence follows it.")
        await pilot.press("left_parenthesis")
        _, end = view.selected_range
        assert end < text.index("The second sentence follows")
        await pilot.press("right_curly_bracket")
        _, end = view.selected_range
        assert text[end - len("paragraph.") : end] == "paragraph."
        await pilot.press("right_curly_bracket")
        _, end = view.selected_range
        assert text[:end].endswith("two sentences.")
        await pilot.press("left_curly_bracket")
        _, end = view.selected_range
        assert text[end:].startswith("Another paragraph")
        before = view.selection
        await pilot.press("w")
        assert view.selection != before
        _, after_word = view.selection or (0, 0)
        await pilot.press("b")
        _, after_back = view.selection or (0, 0)
        assert after_back < after_word
        await pilot.press("right")
        assert (view.selection or (0, 0))[1] == after_back + 1
        await pilot.press("left")
        assert (view.selection or (0, 0))[1] == after_back


async def test_h_highlights_and_the_note_survives_a_restart(tmp_path: Path, data_dir: Path) -> None:
    path = write_essay(tmp_path)
    app = EssayApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        text = view.essay.reading_text
        view.scroll_to_offset(text.index("The first sentence"))
        await pilot.press("v", "right_parenthesis", "h")
        assert view.selection is None
        notes = app.reader.query_one(NotesPane)
        assert [a.kind for a in app.reader.notes.annotations] == [Kind.HIGHLIGHT]
        assert notes.highlighted_id == app.reader.notes.annotations[0].id
        assert "Highlighted." in app.reader.status.message
    with AnnotationStore.open(data_dir) as store:
        (saved,) = store.list_for_essay("test-annotations")
    assert saved.exact == "The first sentence is here. The second sentence follows it."
    assert saved.section_trail == ("First part",)
    again = EssayApp(path)
    async with again.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.pause()
        (shown,) = again.reader.notes.annotations
        assert shown.id == saved.id
        assert again.reader.notes.anchors[shown.id].status is AnchorStatus.ANCHORED


async def test_h_without_a_selection_explains(tmp_path: Path) -> None:
    app = EssayApp(write_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("h")
        assert app.reader.notes.annotations == []
        assert "Select text first" in app.reader.status.message


async def test_a_opens_the_editor_and_ctrl_s_saves_the_note(tmp_path: Path) -> None:
    app = EssayApp(write_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        view.scroll_to_offset(view.essay.reading_text.index("Another paragraph"))
        await pilot.press("v", "a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"why this matters")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ReaderScreen)
        (note,) = app.reader.notes.annotations
        assert note.kind is Kind.NOTE
        assert note.note == "why this matters"
        assert note.exact == "Another paragraph starts."


async def test_escape_in_the_editor_asks_before_throwing_away_text(tmp_path: Path) -> None:
    app = EssayApp(write_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("v", "a")
        await pilot.press(*"draft")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "draft"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, ReaderScreen)
        assert app.reader.notes.annotations == []
        # nothing typed: escape closes at once
        await pilot.press("v", "a", "escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_y_copies_the_quote_with_its_citation(tmp_path: Path) -> None:
    app = EssayApp(write_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        view.scroll_to_offset(view.essay.reading_text.index("The closing"))
        await pilot.press("v", "y")
        await app.workers.wait_for_complete()  # the citation is made in a worker
        await pilot.pause()
        # Chicago author-date by default; the paragraph (headings not counted) is the
        # locator, never the section heading
        assert app.clipboard == (
            "“The closing paragraph talks about something else entirely” (Author, n.d., ¶ 3)."
            "\n\nAuthor, Ann. n.d. “A Test of Notes.”"
        )
        assert "Second part" not in app.clipboard
        assert view.selection is None


async def test_m_bookmarks_the_top_of_the_view(tmp_path: Path) -> None:
    app = EssayApp(write_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        view.scroll_to_offset(view.essay.reading_text.index("The closing"))
        await pilot.press("m")
        (mark,) = app.reader.notes.annotations
        assert mark.kind is Kind.BOOKMARK
        assert mark.exact.startswith("The closing paragraph")


async def test_notes_pane_enter_edit_delete_undo_and_filter(tmp_path: Path) -> None:
    app = EssayApp(write_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        text = view.essay.reading_text
        view.scroll_to_offset(text.index("The closing"))
        await pilot.press("v", "h")
        view.scroll_to_offset(0)
        await pilot.press("m")
        screen = app.reader
        notes = screen.query_one(NotesPane)
        await pilot.press("5")
        assert notes.has_focus
        # the highlight is in the second section: find and choose it
        highlight = next(a for a in screen.notes.annotations if a.kind is Kind.HIGHLIGHT)
        notes.highlight_annotation(highlight.id)
        await pilot.press("enter")
        assert view.has_focus
        assert view.top_offset <= text.index("The closing") <= view.bottom_offset
        await pilot.press("backspace")
        assert view.top_offset == 0
        # edit: the note is saved and `modified` moves on
        await pilot.press("5")
        notes.highlight_annotation(highlight.id)
        await pilot.press("e")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"edited", "ctrl+s")
        edited = next(a for a in screen.notes.annotations if a.id == highlight.id)
        assert edited.note == "edited" and edited.kind is Kind.NOTE
        assert edited.modified > highlight.modified
        # delete, then undo
        notes.highlight_annotation(highlight.id)
        await pilot.press("x")
        assert all(a.id != highlight.id for a in screen.notes.annotations)
        await pilot.press("u")
        assert any(a.id == highlight.id for a in screen.notes.annotations)
        # the filter by kind, named in the pane's title
        await pilot.press("f")
        assert notes.kind_filter == "highlight"
        assert "showing: highlights only" in str(notes.border_title)
        await pilot.press("f")
        assert notes.kind_filter == "note"
        listed = [notes.get_option_at_index(i).id for i in range(notes.option_count)]
        assert highlight.id in listed
        assert all(a.id not in listed for a in screen.notes.annotations if a.kind is Kind.BOOKMARK)


async def test_a_second_instance_sees_notes_written_by_the_first(tmp_path: Path) -> None:
    path = write_essay(tmp_path)
    first, second = EssayApp(path), EssayApp(path)
    async with first.run_test(size=(120, 40)) as one, second.run_test(size=(120, 40)) as two:
        await one.press("v", "h")
        await two.pause()
        second.reader.annotations.poll()
        assert [a.id for a in second.reader.notes.annotations] == [
            a.id for a in first.reader.notes.annotations
        ]
        await two.press("m")
        first.reader.annotations.poll()
        assert len(first.reader.notes.annotations) == 2


async def test_reading_position_reopens_at_the_same_sentence(tmp_path: Path) -> None:
    path = write_essay(tmp_path)
    app = EssayApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        await pilot.press("space", "space", "j")
        top = view.top_offset
        await pilot.press("q")
    again = EssayApp(path)
    async with again.run_test(size=(70, 20)) as pilot:
        await opened(pilot)
        await pilot.pause()
        assert again.reader.view.top_offset == top


async def test_edited_essay_reanchors_and_lists_orphans(tmp_path: Path) -> None:
    path = write_essay(tmp_path)
    app = EssayApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        text = view.essay.reading_text
        view.scroll_to_offset(text.index("Another paragraph"))
        await pilot.press("v", "h")
        view.scroll_to_offset(text.index("The closing"))
        await pilot.press("v", "h")
    edited = ESSAY.replace("## First part\n", "## First part\n\nA new opening line.\n").replace(
        "The closing paragraph talks about something else entirely. ", ""
    )
    path.write_text(edited, encoding="utf-8")
    again = EssayApp(path)
    async with again.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = again.reader
        statuses = sorted(screen.notes.anchors[a.id].status for a in screen.notes.annotations)
        assert statuses == sorted([AnchorStatus.ANCHORED, AnchorStatus.ORPHAN])
        session = screen.notes
        moved = next(
            a for a in session.annotations if session.anchors[a.id].status is AnchorStatus.ANCHORED
        )
        new_text = again.reader.view.essay.reading_text
        assert new_text[moved.start : moved.end] == "Another paragraph starts."
        notes = screen.query_one(NotesPane)
        labels = [str(notes.get_option_at_index(i).prompt) for i in range(notes.option_count)]
        assert "Not found in this edition" in labels
        # re-attach the orphan to a new selection: same id, note and created date
        orphan = next(a for a in screen.notes.annotations if a.id != moved.id)
        again.reader.view.scroll_to_offset(new_text.index("It ends here"))
        await pilot.press("v")
        # 5 colours a selection: the palette's "Focus notes" keeps it
        await screen.run_action("focus_pane('notes')")
        await pilot.pause()
        assert again.reader.view.selected_range is not None
        notes.highlight_annotation(orphan.id)
        await pilot.press("r")
        reattached = next(a for a in screen.notes.annotations if a.id == orphan.id)
        assert screen.notes.anchors[orphan.id].status is AnchorStatus.ANCHORED
        assert reattached.created == orphan.created
        assert reattached.exact == "It ends here."
        assert BLOCK_SEPARATOR not in reattached.exact


async def test_palette_goes_to_a_note(tmp_path: Path) -> None:
    app = EssayApp(write_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        text = view.essay.reading_text
        view.scroll_to_offset(text.index("The closing"))
        await pilot.press("v", "h")
        view.scroll_to_offset(0)
        await pilot.press("ctrl+p")
        await pilot.press(*"go to highlight")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert view.top_offset <= text.index("The closing") <= view.bottom_offset


async def test_sentence_steps_cross_wide_gaps_between_sentences(tmp_path: Path) -> None:
    path = write_essay(tmp_path, "# T\n\nOne sentence.   Two sentence.  \u00a0 Three.\n")
    app = EssayApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        text = view.essay.reading_text
        await pilot.press("v")
        assert view.selection is not None
        ends = [view.selection[1]]
        for _ in range(2):
            await pilot.press("right_parenthesis")
            assert view.selection is not None
            ends.append(view.selection[1])
        # v takes the first sentence below the heading; each ) reaches the end of the next
        expected = [text.index(s) + len(s) for s in ("One sentence.", "Two sentence.", "Three.")]
        assert ends == expected


async def test_saving_an_edit_of_a_note_deleted_in_another_window_keeps_both(
    data_dir: Path,
) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "a", *"first", "ctrl+s")
        await pilot.pause()
        await pilot.press("5", "e")  # window B opens the editor on "first"
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        with AnnotationStore.open(data_dir) as window_a:
            (note,) = window_a.all_annotations(include_deleted=False)
            window_a.delete(note.id)
        app.screen.query_one(TextArea).insert(" and more")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        message = app.reader.status.message
        assert "deleted elsewhere" in message and "new note" in message, message
    with AnnotationStore.open(data_dir) as store:
        everything = {a.note: a.is_deleted for a in store.all_annotations()}
    assert everything == {"first": True, "first and more": False}
