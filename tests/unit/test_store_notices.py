"""Every entry point that opens the notes store says what the store has to say.

A damaged database is moved aside by the first open; whatever opens the store says so
(on standard error for a command, in the reader's status line), and never a second
open that finds a fresh, empty database with nothing to tell. Run as real subprocesses
on real damaged files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from essaytui_run import essaytui

from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME

ESSAY = Path(__file__).resolve().parents[1] / "data" / "no-headings.md"


def damaged(data: Path, how: str) -> bytes:
    """A database with a note and a reading position, then damaged `how`; its bytes."""
    essay = load_essay(ESSAY)
    with AnnotationStore.open(data) as store:
        essay_id = store.identify(essay)
        store.add(make_annotation(essay, 3, 20, Kind.NOTE, note="kept somewhere"))
        store.save_position(essay_id, 0, essay_path=str(ESSAY), title=essay.title)
    database = data / DATABASE_NAME
    if how == "garbage":
        database.write_bytes(b"not a database at all\x00\xff" * 300)
    else:
        whole = database.read_bytes()
        database.write_bytes(whole[: len(whole) // 2])
    return database.read_bytes()


def asides(data: Path) -> list[Path]:
    return sorted(p for p in data.glob(f"{DATABASE_NAME}.corrupt-*") if "-wal" not in p.name)


COMMANDS = {
    "no path (plain text)": (),
    "list": ("list",),
    "cite": ("cite",),
    "export": ("export", str(ESSAY)),
    "notes search": ("notes", "search", "kept"),
}


@pytest.mark.parametrize("how", ["garbage", "truncated"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_says_the_database_was_moved_aside(
    tmp_path: Path, how: str, command: str
) -> None:
    data = tmp_path / "data"
    before = damaged(data, how)
    result = essaytui(*COMMANDS[command], data=data)
    assert "Traceback" not in result.stderr
    moved = asides(data)
    assert len(moved) == 1, result.stderr
    assert moved[0].read_bytes() == before  # kept, never deleted
    assert "damaged" in result.stderr and str(moved[0]) in result.stderr, result.stderr
    # Said once, by the run that moved it: the next run finds a sound database.
    again = essaytui(*COMMANDS[command], data=data)
    assert "damaged" not in again.stderr
