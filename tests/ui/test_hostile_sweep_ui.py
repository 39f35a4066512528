"""Every place the reader shows a path, title, quote, note, tag or error message, swept
with markup (`[/b]`, `[bold]`), escape sequences (a title change, a background colour),
BEL, a C1 control and a bidirectional override.

Nothing may crash (Find note… built its hits as markup: `x [/b] y` ended the app), the
brackets must show as they are, and no control character may reach the screen: About's
"File:", the status line and Find note's "last seen at …" printed paths raw, so a file
named `about<ESC>]0;PWN<BEL>….md` retitled the terminal. The strings come in the way a
reader's would: the file's name, its front matter and text, the notes database, and an
imported W3C file (its `essay_path` and essay title).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from ready import opened
from rich.text import Text
from textual.app import App
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from essaytui.app import EssayApp
from essaytui.interchange.w3c import to_web_annotation
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.identity import new_essay_id, print_of_bytes
from essaytui.screens.about import AboutScreen
from essaytui.screens.help import HelpScreen
from essaytui.screens.note_editor import NoteEditor
from essaytui.screens.reader import ReaderScreen
from essaytui.store import AnnotationStore
from essaytui.widgets.notes import NotesPane

#: Markup, a title change (OSC 0), a green background (CSI), BEL, a C1 CSI and a
#: right-to-left override, in one string.
HOSTILE = "x [/b] y [bold]b[/bold] \x1b]0;PWN\x07\x1b[42mG \x9b31m \u202eevil\u202c z"
#: What of it must be on the screen, as it is.
LITERAL = "x [/b] y [bold]b[/bold]"
#: What must never be on the screen: C0 and C1 controls, DEL, bidirectional controls.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

FILE_NAME = "about\x1b]0;PWN\x07\x1b[42mGREEN [bold].md"  # no "/": a file name


def essay_text() -> str:
    quoted = json.dumps(HOSTILE)  # a JSON string is a YAML double-quoted one
    return f"""---
title: {quoted}
author: {quoted}
series: {quoted}
source: {quoted}
glossary:
  - term: Hostile term
    def: {quoted}
---

## Tricks {HOSTILE}

The passage about tricks, {HOSTILE}, with a source.[^1] A Hostile term too.

## After

More text to read.

[^1]: A source that says {HOSTILE}.
"""


def screen_text(app: App[Any]) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_inert(app: App[Any], *literals: str) -> str:
    """The screen as drawn: no control character, and each of `literals` as it is."""
    shown = screen_text(app)
    for line in shown.splitlines():
        assert CONTROL.search(line) is None, (CONTROL.findall(line), line)
    for literal in literals:
        assert literal in shown, (literal, shown)
    assert app.is_running and app.return_code is None
    return shown


@pytest.fixture
def hostile_essay(tmp_path: Path) -> Path:
    folder = tmp_path / "essays"
    folder.mkdir()
    path = folder / FILE_NAME
    path.write_text(essay_text(), encoding="utf-8")
    return path


def store_notes(path: Path, data_dir: Path) -> None:
    """A note on the essay (note and tags hostile), and one imported from a W3C file on an
    essay whose path holds escapes and is gone."""
    app = EssayApp(path)
    essay = app.essay
    app.store.close()
    start = essay.reading_text.index("The passage about tricks")
    note = make_annotation(essay, start, start + 30, Kind.NOTE, note=f"tricks {HOSTILE}")
    with AnnotationStore.open(data_dir) as store:
        store.add(replace(note, tags=(HOSTILE, "[/tag")))
    other = replace(
        make_annotation(essay, start, start + 30, Kind.NOTE, note=f"tricks elsewhere {HOSTILE}"),
        id="0f0f0f0f-0000-4000-8000-000000000001",
        essay_path=f"/gone/{FILE_NAME}",
    )
    export = path.parent / "import.json"
    # written as `export --format json` writes it, about an essay elsewhere
    # with the print of its document, so that this database remembers its title
    other_id = new_essay_id(f"/gone/{FILE_NAME}", "0" * 64)
    other = replace(other, essay_id=other_id)
    collection = to_web_annotation(
        replace(essay, id=other_id, title=HOSTILE),
        [other],
        fingerprint=print_of_bytes(b"another document altogether " * 40),
    )
    export.write_text(json.dumps(collection), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", "import-notes", str(export)],
        capture_output=True,
        text=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(data_dir)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "1 added" in result.stdout, result.stderr


async def palette_search(pilot: Pilot[None], words: str, expect: str) -> None:
    """Type `words` into the palette, then wait for a hit showing `expect` (hits arrive
    from a worker)."""
    await pilot.press(*words)
    for _ in range(100):
        await pilot.pause(0.1)
        if expect in screen_text(pilot.app):
            return


async def test_every_place_shows_hostile_strings_as_inert_text(
    hostile_essay: Path, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the help screen names keys.toml, in a folder of the reader's environment
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config \x1b]0;PWN\x07 [/b]"))
    store_notes(hostile_essay, data_dir)
    app = EssayApp(hostile_essay)
    async with app.run_test(size=(160, 60)) as pilot:
        await opened(pilot)
        # the essay, its outline, its title and the status line
        assert_inert(app, f"Tricks {LITERAL}", f"tricks, {LITERAL}")
        # About: the title, the front matter and the file's name
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen)
        shown = assert_inert(app, LITERAL, "File: ")
        about = app.screen.query_one("#about-text", Static).content
        assert isinstance(about, Text)
        # the file's line (the series' parts in the library may follow it)
        assert "/essays/about␛]0;PWN␇␛[42mGREEN [bold].md\n" in about.plain + "\n"
        assert ";PWN␇␛[42mGREEN [bold].md" in shown
        await pilot.press("escape")
        # the palette: sections, footnotes, terms, notes and their help lines
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await palette_search(pilot, "tricks", "Go to:")
        assert_inert(app, "[/b]")
        await pilot.press("escape")
        await pilot.pause()
        # Find note…: the notes of every essay, the imported one's title and path
        app.reader.action_find_note()
        await pilot.pause()
        await palette_search(pilot, "elsewhere", "” — x [/b]")
        assert_inert(
            app, f"“The passage about tricks, x [/” — {LITERAL}", f"Tricks {LITERAL} ␛]0;PWN␇"
        )
        await pilot.press("enter")
        await pilot.pause()
        message = app.reader.status.message
        assert message.startswith("The essay of that note is not found (last seen at")
        assert_inert(app, "last seen at /gone/about␛]0;PWN␇")
        # the panes: sources, glossary, notes (note and tags)
        for pane in ("3", "4", "5"):
            await pilot.press(pane)
            await pilot.pause()
            assert_inert(app, "[/b]")
        shown = assert_inert(app, f"tricks {LITERAL}", "[/tag")
        # a tag filter names the tag in the pane's title (parsed as markup when a str)
        notes = app.reader.query_one(NotesPane)
        for _ in notes.tags():
            await pilot.press("number_sign")
            await pilot.pause()
            assert_inert(app)
            assert notes.tag_filter and notes.filter_label.startswith("#")
        await pilot.press("F")
        # the glossary entry: its definition
        await pilot.press("4", "enter")
        await pilot.pause()
        assert_inert(app, "Hostile term", LITERAL)
        await pilot.press("5")
        await pilot.pause()
        # the note editor shows the quote and the note
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert_inert(app, "[/b]")
        await pilot.press("escape")
        await pilot.pause()
        # a peek at the footnote
        await pilot.press("2", "f")
        await pilot.pause()
        assert_inert(app, f"A source that says {LITERAL}")
        # the help screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("G")  # its end names the file
        await pilot.pause()
        assert_inert(app, "config ␛]0;PWN␇", "[/b]/essaytui/keys.toml")
        await pilot.press("escape")
        await pilot.pause()
        # a notification and a status message
        app.notify(HOSTILE, title=HOSTILE)
        app.reader.say(HOSTILE)
        await pilot.pause()
        assert_inert(app, LITERAL)


def long_essay_text() -> str:
    paragraphs = [f"Paragraph {n} goes on for a while, " * 12 for n in range(1500)]
    return "---\ntitle: Long\n---\n\n## One\n\n" + "\n\n".join(paragraphs) + "\n"


async def test_the_first_part_message_names_the_file_inertly(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(long_essay_text(), encoding="utf-8")
    app = EssayApp(path)  # the first part is read now, the rest once the app runs
    assert not app.essay.complete
    path.unlink()
    # wide enough for the whole message: at 160 columns the status line shortens it
    async with app.run_test(size=(300, 40)) as pilot:
        await opened(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert screen.status.message.startswith("Only the first part could be read:")
        assert_inert(app, "Only the first part could be read:", "GREEN [bold].md")


async def test_find_note_shows_a_quote_with_brackets_as_text(
    tmp_path: Path, data_dir: Path
) -> None:
    """The palette's Find note… built its hits as markup: `x [/b] y` ended the app."""
    path = tmp_path / "shell.md"
    path.write_text(
        "---\ntitle: Shell [/b] tricks\n---\n\nUse arr[i] and x [/i] y, then x [/b] y.\n",
        encoding="utf-8",
    )
    app = EssayApp(path)
    start = app.essay.reading_text.index("Use arr")
    note = make_annotation(app.essay, start, start + 38, Kind.HIGHLIGHT)
    app.store.add(note)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        app.reader.action_find_note()
        await pilot.pause()
        await palette_search(pilot, "arr", "this essay")
        assert_inert(app, "“Use arr[i] and x [/i] y, then x [/b] y” — this essay")
