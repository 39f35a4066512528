"""Citations and notes in the reader: colours (keys 1–5 while selecting), tags and
colour in the note editor, the reader's own editor (ctrl+e), Notes filters, the citation
style, Find note."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from ready import opened
from textual.color import Color
from textual.command import CommandPalette
from textual.widgets import Input, Select, Static, TextArea

from essaytui.actions import all_bindings, help_of
from essaytui.app import EssayApp
from essaytui.interchange.styles import STYLE_SETTING
from essaytui.model.annotation import COLORS, Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.screens.note_editor import NoteEditor
from essaytui.screens.reader import ReaderScreen
from essaytui.store import AnnotationStore
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.notes import NotesPane

ESSAY = """---
id: cite-ui
title: Colours and tags
author: Ann Author
---

## First part

The first sentence is here. The second sentence follows it. A third one ends it.

Another paragraph starts. It has two sentences.

## Second part

The closing paragraph talks about something else entirely. It ends here.

## Appendix

""" + "\n\n".join(f"Filler paragraph {n} goes on for a while." for n in range(60))


def write(folder: Path, text: str = ESSAY, name: str = "essay.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


async def go_to(app: EssayApp, phrase: str) -> EssayView:
    view = app.reader.view
    view.scroll_to_offset(view.essay.reading_text.index(phrase))
    return view


# -- colours ----------------------------------------------------------------------------------


async def test_a_colour_key_while_selecting_colours_the_next_highlight(tmp_path: Path) -> None:
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await go_to(app, "Another paragraph")
        await pilot.press("v", "2")
        assert "Colour: green" in app.reader.status.message
        await pilot.press("h")
        (made,) = app.reader.notes.annotations
        assert made.kind is Kind.HIGHLIGHT and made.color == "green"
        # drawn in its colour
        view = app.reader.view
        ranges = view._ranges_on(made.start, made.end, view.essay.block_index_at(made.start))
        assert (made.start, made.end, "highlight-green") in ranges


async def test_without_a_selection_the_same_keys_still_focus_the_panes(tmp_path: Path) -> None:
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.focused, NotesPane)
        await pilot.press("2")
        assert isinstance(app.focused, EssayView)
        # both are bindings with ids and help: the colour keys under "Selecting text"
        found = {binding.id: binding for _, binding in all_bindings(EssayApp)}
        green, notes = found["reader.color_green"], found["reader.focus_notes"]
        assert green.key == "2" and notes.key == "5"
        assert green.group is not None and green.group.description == "Selecting text"
        assert "while selecting" in help_of(green)


async def test_a_colour_key_on_a_highlight_recolours_it_and_undo_takes_it_back(
    tmp_path: Path,
) -> None:
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await go_to(app, "The closing")
        await pilot.press("v", "h")
        (first,) = app.reader.notes.annotations
        assert first.color == "yellow"
        await go_to(app, "The closing")
        await pilot.press("v", "3")
        (blue,) = app.reader.notes.annotations
        assert blue.id == first.id and blue.color == "blue"
        await pilot.press("ctrl+z")
        (back,) = app.reader.notes.annotations
        assert back.color == "yellow"


def _wcag(color: Color) -> float:
    def channel(value: int) -> float:
        value_01 = value / 255
        return value_01 / 12.92 if value_01 <= 0.03928 else ((value_01 + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(one: Color, two: Color) -> float:
    high, low = sorted((_wcag(one), _wcag(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_highlight_colours_keep_the_text_readable_in_every_theme(tmp_path: Path) -> None:
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        checked = []
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            view = app.reader.view
            text = view.get_component_rich_style("essay--text")
            if text.color is None or text.color.triplet is None:
                continue  # ansi themes: the terminal's own colours, not known here
            for name in COLORS:
                style = view.get_component_rich_style(f"essay--highlight-{name}")
                assert style.bgcolor is not None
                foreground = Color.from_rich_color(style.color or text.color)
                background = Color.from_rich_color(style.bgcolor)
                ratio = contrast(foreground, background)
                assert ratio >= 4.5, (theme, name, round(ratio, 2))
                # Textual's own choice of text for that background agrees
                assert background.get_contrast_text(1.0).brightness == pytest.approx(
                    Color.from_rich_color(style.color).brightness, abs=0.15
                )
            checked.append(theme)
        assert "textual-dark" in checked and "textual-light" in checked


# -- the note editor -------------------------------------------------------------------------


async def test_tags_are_completed_from_the_tags_in_use_and_saved_with_the_colour(
    tmp_path: Path, data_dir: Path
) -> None:
    path = write(tmp_path)
    essay = load_essay(path)
    with AnnotationStore.open(data_dir) as store:
        start = essay.reading_text.index("The first")
        store.add(
            make_annotation(essay, start, start + 9, Kind.NOTE, note="x", tags=("diplomacy",))
        )
    app = EssayApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await go_to(app, "Another paragraph")
        await pilot.press("v", "4", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one("#note-color", Select).value == "pink"  # chosen with 4
        await pilot.press(*"why it matters", "tab")
        tags = editor.query_one("#note-tags", Input)
        assert app.focused is tags
        await pilot.press(*"trade dip")
        await pilot.pause(0.2)
        assert tags._suggestion == "trade diplomacy"
        await pilot.press("right")
        assert tags.value == "trade diplomacy"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        made = next(a for a in app.reader.notes.annotations if a.note == "why it matters")
        assert made.tags == ("trade", "diplomacy") and made.color == "pink"
        # e in Notes edits the tags and the colour too
        notes = app.reader.query_one(NotesPane)
        await pilot.press("5")
        notes.highlight_annotation(made.id)
        await pilot.press("e")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, NoteEditor)
        assert again.query_one("#note-tags", Input).value == "trade diplomacy"
        again.query_one("#note-tags", Input).value = "#trade, econ"
        again.query_one("#note-color", Select).value = "blue"
        await pilot.press("ctrl+s")
        await pilot.pause()
        edited = app.reader.notes.get(made.id)
        assert edited is not None and edited.tags == ("trade", "econ") and edited.color == "blue"


def fake_editor(folder: Path, body: str) -> Path:
    script = folder / "fake-editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


async def test_ctrl_e_opens_the_note_in_the_readers_editor_and_brings_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the file is the last argument, after the editor's own options
    script = fake_editor(
        tmp_path, 'for file; do :; done; printf "written in my editor\\n" >> "$file"'
    )
    monkeypatch.setenv("VISUAL", f"{script} --wait")  # options are kept
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await go_to(app, "Another paragraph")
        await pilot.press("v", "a", *"typed here", "enter", "ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "typed here\nwritten in my editor"
        await pilot.press("ctrl+s")
        await pilot.pause()
        (note,) = app.reader.notes.annotations
        assert note.note == "typed here\nwritten in my editor"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('printf "half-written" > "$1"; exit 3', "exited with status 3"),
        ('rm "$1"', "could not be read back"),
    ],
)
async def test_a_failing_editor_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, body)))
    monkeypatch.delenv("VISUAL", raising=False)
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("v", "a", *"keep me", "ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "keep me"
        assert message in str(editor.query_one("#note-error", Static).content)


async def test_without_an_editor_ctrl_e_says_how_to_set_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("EDITOR", "/no/such/editor")
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("v", "a", *"still here", "ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "still here"
        assert "could not be run" in str(editor.query_one("#note-error", Static).content)
        monkeypatch.delenv("EDITOR")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Set $VISUAL or $EDITOR" in str(editor.query_one("#note-error", Static).content)


# -- the Notes pane's filters -------------------------------------------------------------------


async def test_notes_filter_by_kind_colour_and_tag_with_a_label(
    tmp_path: Path, data_dir: Path
) -> None:
    path = write(tmp_path)
    essay = load_essay(path)
    text = essay.reading_text
    with AnnotationStore.open(data_dir) as store:
        for phrase, kind, color, tags in (
            ("The first", Kind.HIGHLIGHT, "green", ("alpha",)),
            ("Another", Kind.NOTE, "yellow", ("beta",)),
            ("The closing", Kind.NOTE, "green", ("alpha", "beta")),
        ):
            start = text.index(phrase)
            store.add(
                make_annotation(essay, start, start + 7, kind, note="n", color=color, tags=tags)
            )
    app = EssayApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("5")
        await pilot.pause()
        notes = app.reader.query_one(NotesPane)

        def listed() -> int:
            return sum(1 for i in range(notes.option_count) if notes.get_option_at_index(i).id)

        assert listed() == 3 and str(notes.border_title).endswith("showing: all")
        await pilot.press("C", "C")  # all → yellow → green
        assert listed() == 2 and "showing: green only" in str(notes.border_title)
        await pilot.press("number_sign")  # #alpha
        assert "green · #alpha only" in str(notes.border_title) and listed() == 2
        await pilot.press("f", "f")  # highlights → notes
        assert str(notes.border_title) == "Notes (1) · showing: notes · green · #alpha only"
        assert listed() == 1
        await pilot.press("number_sign")  # #beta
        assert listed() == 1 and "#beta" in str(notes.border_title)
        await pilot.press("C", "C", "C", "C")  # blue, pink, purple, all
        await pilot.press("C")  # yellow
        assert listed() == 1  # the yellow note tagged beta
        await pilot.press("C", "C", "C", "C")  # → purple
        assert listed() == 0
        prompt = str(notes.get_option_at_index(0).prompt)
        assert prompt == "None shown: notes · purple · #beta only. F shows everything."
        await pilot.press("F")
        assert listed() == 3 and str(notes.border_title).endswith("showing: all")


# -- citation style and y ----------------------------------------------------------------------


async def test_the_citation_style_is_chosen_from_the_palette_and_kept(
    tmp_path: Path, data_dir: Path
) -> None:
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p", *"citation style: APA")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert "Citation style: APA." in app.reader.status.message
        await go_to(app, "The closing")
        await pilot.pause()
        await pilot.press("v", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard == (
            "“The closing paragraph talks about something else entirely” (Author, n.d., ¶ 3)."
            "\n\nAuthor, A. (n.d.). Colours and tags."
        )
    with AnnotationStore.open(data_dir) as store:
        assert store.get_setting(STYLE_SETTING) == "apa"


# -- Find note ---------------------------------------------------------------------------------


async def test_find_note_opens_another_essay_at_the_passage(tmp_path: Path, data_dir: Path) -> None:
    long_text = "# Elsewhere\n\n" + "\n\n".join(
        f"Paragraph {n} of filler that goes on for a while." for n in range(80)
    )
    other_path = write(tmp_path, long_text + "\n\nThe zeppelin passage is here.\n", "other.md")
    other = load_essay(other_path)
    with AnnotationStore.open(data_dir) as store:
        other = other.__class__(**{**other.__dict__, "id": store.identify(other)})
        start = other.reading_text.index("The zeppelin")
        store.add(make_annotation(other, start, start + 12, Kind.NOTE, note="airships"))
        store.touch(other.id, str(other_path), other.title, other.author)
    app = EssayApp(write(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p", *"find note", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"airships")
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        here = app.reader
        assert here.essay.id == other.id and here.essay.title == "Elsewhere"
        view = here.view
        assert view.top_offset <= start <= view.bottom_offset
