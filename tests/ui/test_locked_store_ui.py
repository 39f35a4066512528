"""A notes database another essaytui holds locked never freezes the reader.

A real second process takes the write lock and keeps it until told. Meanwhile the
reader keeps answering keys, says it is waiting, and saves the note once the lock goes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import TextArea

from essaytui.app import EssayApp
from essaytui.model.annotation import Kind
from essaytui.screens.note_editor import NoteEditor
from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME

HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("COMMIT")
"""


def hold(data_dir: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir / DATABASE_NAME)],
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
            await pilot.press("v", "h")
            assert "Waiting for the notes database" in app.reader.status.message
            top = app.reader.view.top_offset
            await pilot.press("j", "j")  # the reader answers meanwhile
            assert app.reader.view.top_offset > top
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
