"""Keys typed in a burst reach the input they were typed for, whole and in order.

Each test sends its keys the way a terminal does (`burst`: every key handed to the app
before it handles the first) and then checks where every character went.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

from burst import burst
from textual import events
from textual.widgets import Input, TextArea

from essaytui.app import EssayApp
from essaytui.model.annotation import Kind
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.note_editor import NoteEditor
from essaytui.store import AnnotationStore
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.search_bar import SearchBar

CTRL_S = events.Key("ctrl+s", None)
ESCAPE = events.Key("escape", "\x1b")
# What people type into notes: letters, digits, punctuation, spaces; no newline.
NOTE_ALPHABET = string.ascii_letters + string.digits + " .,;:!?'\"()-/&%$#@*+=<>[]{}~^_|"


def typed_note(seed: int, length: int = 300) -> str:
    chooser = random.Random(seed)
    return "".join(chooser.choice(NOTE_ALPHABET) for _ in range(length)).strip() or "x"


def stored(data_dir: Path) -> list[tuple[Kind, str]]:
    with AnnotationStore.open(data_dir) as store:
        return [(a.kind, a.note) for a in store.all_annotations(include_deleted=False)]


async def test_a_note_typed_in_one_burst_then_ctrl_s_is_saved_whole(data_dir: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        expected: list[str] = []
        for round_number in range(20):
            note = typed_note(round_number)
            # v selects a sentence; a, the note and ctrl+s come in one read
            await pilot.press("j", "v")
            await burst(pilot, "a", note, CTRL_S)
            await pilot.pause()
            assert not isinstance(app.screen, NoteEditor), f"round {round_number}: still open"
            expected.append(note)
        notes = [note for kind, note in stored(data_dir)]
        assert sorted(notes) == sorted(expected)
        kinds = {kind for kind, _ in stored(data_dir)}
        assert kinds == {Kind.NOTE}  # no letter ran as a reader command (m, h, …)


async def test_escape_right_after_typing_asks_before_throwing_the_note_away() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        await burst(pilot, "a", "a thought worth keeping", ESCAPE)
        assert isinstance(app.screen, ConfirmScreen)  # the typed text counted
        await pilot.press("n")
        assert app.screen.query_one(TextArea).text == "a thought worth keeping"


async def test_a_search_typed_in_one_burst_lands_in_the_search_bar(data_dir: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        # e, m, p, a, t, h, y are all reader keys when the essay has the focus
        await burst(pilot, "/empathy")
        bar = app.reader.query_one(SearchBar)
        assert bar.input.value == "empathy"
        assert app.focused is bar.input
        await burst(pilot, ESCAPE, "/Yalta\n")
        assert bar.input.value == "Yalta"
        assert app.reader.view.matches, "the search ran"
        view: object = app.reader.view
        assert app.focused is view  # enter went back to reading
        assert stored(data_dir) == []  # no stray bookmark from the m


async def test_a_burst_after_ctrl_p_goes_into_the_palette() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, events.Key("ctrl+p", None), "go to foot")
        await pilot.pause(0.1)
        assert isinstance(app.focused, Input)
        assert app.focused.value == "go to foot"


async def test_letters_typed_fast_on_the_glossary_list_all_reach_its_filter() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        glossary = app.reader.query_one(GlossaryPane)
        assert glossary.query_one("#glossary-terms").has_focus
        await burst(pilot, "mancha")
        field = glossary.query_one("#glossary-filter", Input)
        assert field.value == "mancha"
        assert field.has_focus


async def test_editing_a_note_from_the_notes_pane_keeps_every_key(data_dir: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "a")
        await pilot.press(*"first")
        await pilot.press("ctrl+s")
        await pilot.press("5")
        # "edit" holds d (delete) and u (undo): typed into the editor, never run
        await burst(pilot, "e", " - edited, undone? no", CTRL_S)
        await pilot.pause()
        assert [note for _, note in stored(data_dir)] == ["first - edited, undone? no"]


async def test_keys_typed_after_ctrl_s_in_one_burst_go_to_the_reader(data_dir: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.reader.query_one(EssayView)
        before = view.scroll_y
        await burst(pilot, "vwa", "hello note", CTRL_S, "jjj")
        for _ in range(20):
            if not isinstance(app.screen, NoteEditor) and view.scroll_y == before + 3:
                break
            await pilot.pause(0.05)
        assert [note for _, note in stored(data_dir)] == ["hello note"]
        assert not isinstance(app.screen, NoteEditor)
        assert view.scroll_y == before + 3  # the three j scrolled the essay
