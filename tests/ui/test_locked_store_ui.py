"""A notes database (or library) another essaytui holds locked never freezes the reader.

A real second process takes the write lock and keeps it until told. Meanwhile the
reader keeps answering keys, says it is waiting, and saves the note once the lock goes.
Nothing the interface's own thread writes waits for the lock: "last read" at opening,
the theme and the reading time are written once the lock goes, and the keys answer at
once meanwhile (they waited 30 s, and 5 s for the library, until this was measured).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import TextArea

from essaytui.app import EssayApp
from essaytui.model.annotation import Kind
from essaytui.screens.note_editor import NoteEditor
from essaytui.store import AnnotationStore
from essaytui.store.library import LIBRARY_NAME, Library
from essaytui.store.schema import DATABASE_NAME

#: Keys held up by a wait for the lock took 30 s (5 s for the library); answered, they
#: take well under a second even on a loaded machine.
ANSWERS_WITHIN = 4.0

HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("COMMIT")
"""


def hold(data_dir: Path, name: str = DATABASE_NAME) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir / name)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def release(holder: subprocess.Popen[str]) -> None:
    if holder.poll() is None:
        assert holder.stdin is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


async def test_a_highlight_waits_for_the_lock_while_the_keys_still_answer(
    data_dir: Path,
) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        holder = hold(data_dir)
        try:
            started = time.monotonic()
            await pilot.press("v", "h")
            assert "Waiting for the notes database" in app.reader.status.message
            top = app.reader.view.top_offset
            await pilot.press("j", "j")  # the reader answers meanwhile
            assert app.reader.view.top_offset > top
            assert time.monotonic() - started < ANSWERS_WITHIN
            app.reader.save_position()  # the 5 s save does not wait either
        finally:
            release(holder)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader.status.message.startswith("Highlighted.")
    with AnnotationStore.open(data_dir) as store:
        assert [a.kind for a in store.all_annotations(include_deleted=False)] == [Kind.HIGHLIGHT]


async def test_a_note_saved_while_locked_stays_in_the_editor_until_it_is_written(
    data_dir: Path,
) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one(TextArea).insert("written while another essaytui held the lock")
        holder = hold(data_dir)
        try:
            await pilot.press("ctrl+s")
            await pilot.pause(0.6)
            assert app.screen is editor  # not closed, not lost
            assert "Waiting for the notes database" in str(editor.query_one("#note-error").render())
        finally:
            release(holder)
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen is not editor:
                break
        assert app.screen is not editor
    with AnnotationStore.open(data_dir) as store:
        notes = [a.note for a in store.all_annotations(include_deleted=False)]
    assert notes == ["written while another essaytui held the lock"]


async def test_a_theme_chosen_while_locked_is_kept_once_the_lock_goes(data_dir: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        theme = next(name for name in app.available_themes if name != app.theme)
        holder = hold(data_dir)  # before the opening is recorded
        try:
            started = time.monotonic()
            app.theme = theme
            await pilot.press("j")
            assert time.monotonic() - started < ANSWERS_WITHIN
        finally:
            release(holder)
        for _ in range(60):  # tried again each second
            await pilot.pause(0.1)
            with AnnotationStore.open(data_dir) as store:
                last = store.last_read()
                if store.get_setting("theme") == theme and last is not None:
                    break
        essay_id = app.essay.id
    with AnnotationStore.open(data_dir) as store:
        assert store.get_setting("theme") == theme
        last = store.last_read()  # the opening, recorded once the lock went
        assert last is not None and last.essay_id == essay_id


async def test_reading_time_counted_while_the_library_is_locked_is_kept(data_dir: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(4):  # the gaps between keys are active reading time
            await pilot.press("j")
            await pilot.pause(0.05)
        essay_id = app.essay.id
        holder = hold(data_dir, LIBRARY_NAME)
        try:
            started = time.monotonic()
            app.record_reading()
            assert time.monotonic() - started < ANSWERS_WITHIN
        finally:
            release(holder)
        with Library.open(data_dir) as library:
            assert library.reading(essay_id).seconds == 0  # not written while locked
        app.record_reading()
    with Library.open(data_dir) as library:
        assert library.reading(essay_id).seconds > 0.1
