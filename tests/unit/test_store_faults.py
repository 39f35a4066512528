"""Data faults: each gets a plain message and loses nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from essaytui.model.annotation import Annotation, Kind, make_annotation
from essaytui.model.essay import Essay
from essaytui.store import AnnotationStore, StoreError, StoreUnavailable, StoreWriteError
from essaytui.store.schema import DATABASE_NAME
from essaytui.store.store import BUSY_TIMEOUT_MS

SRC = str(Path(__file__).resolve().parents[2] / "src")
ESSAY = Essay(id="faults", title="Faults", author="", reading_text="x" * 1000, blocks=())


def note(size: int = 100) -> Annotation:
    return make_annotation(ESSAY, 10, 20, Kind.NOTE, note="n" * size)


# -- a data dir that cannot be created or written ------------------------------------


def test_data_dir_blocked_by_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="cannot be created") as caught:
        AnnotationStore.open(blocker / "essaytui")
    assert str(blocker / "essaytui") in str(caught.value)
    assert isinstance(caught.value, StoreError)
    with pytest.raises(StoreUnavailable):
        AnnotationStore.open(blocker)


def test_database_path_taken_by_a_folder(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).mkdir()
    with pytest.raises(StoreUnavailable, match="could not be opened"):
        AnnotationStore.open(tmp_path)


def test_open_or_memory_keeps_notes_for_the_session(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    store = AnnotationStore.open_or_memory(blocker / "data")
    assert not store.persistent
    assert store.problem is not None and "cannot be created" in store.problem
    kept = store.add(note())
    assert store.list_for_essay("faults") == [kept]
    store.close()


# -- a corrupt database file ----------------------------------------------------------


def _asides(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".corrupt-" in p.name)


def test_garbage_file_is_moved_aside_and_a_fresh_database_started(tmp_path: Path) -> None:
    garbage = b"this is not a database at all\x00\xff" * 100
    (tmp_path / DATABASE_NAME).write_bytes(garbage)
    with AnnotationStore.open(tmp_path) as store:
        assert store.notice is not None and "moved to" in store.notice
        asides = [p for p in _asides(tmp_path) if not p.name.endswith(("-wal", "-shm"))]
        assert len(asides) == 1
        assert asides[0].name.startswith(DATABASE_NAME + ".corrupt-2")
        assert asides[0].read_bytes() == garbage  # kept, never deleted
        assert str(asides[0]) in store.notice
        kept = store.add(note())
        assert store.get(kept.id) == kept
    with AnnotationStore.open(tmp_path) as store:
        assert store.notice is None


def test_damaged_pages_fail_the_integrity_check_and_are_moved_aside(tmp_path: Path) -> None:
    with AnnotationStore.open(tmp_path) as store:
        for _ in range(60):
            store.add(note(3000))
    database = tmp_path / DATABASE_NAME
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    data = bytearray(database.read_bytes())
    # Scribble over the b-tree pages past the schema page, keep the header.
    for page in range(2, len(data) // page_size, 3):
        offset = page * page_size
        data[offset : offset + 64] = b"\xa5" * 64
    database.write_bytes(bytes(data))
    with AnnotationStore.open(tmp_path) as store:
        assert store.notice is not None and "damaged" in store.notice
        assert store.count() == 0
    assert len([p for p in _asides(tmp_path) if not p.name.endswith(("-wal", "-shm"))]) == 1


# -- a database locked by another process ------------------------------------------------

_HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO settings (key, value) VALUES ('holder', 'was here')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
connection.close()
"""


def test_write_waits_for_a_lock_held_by_another_process(tmp_path: Path) -> None:
    # Held longer than SQLite's own busy timeout, so the store's retry loop
    # (not just SQLite's busy handler) has to carry the write through.
    hold = BUSY_TIMEOUT_MS / 1000 + 0.8
    with AnnotationStore.open(tmp_path) as store:
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLD_LOCK, str(tmp_path / DATABASE_NAME), str(hold)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "locked"
            kept = store.add(note())
            store.set_setting("theme", "mine")
        finally:
            assert holder.wait(timeout=30) == 0
        assert store.get(kept.id) == kept
        assert store.get_setting("holder") == "was here"
        assert store.get_setting("theme") == "mine"


# -- the disk full during a write ------------------------------------------------------------


def _fill(store: AnnotationStore) -> tuple[list[Annotation], Annotation, StoreWriteError]:
    saved: list[Annotation] = []
    for _ in range(400):
        attempt = note(8000)
        try:
            store.add(attempt)
        except StoreWriteError as error:
            return saved, attempt, error
        saved.append(attempt)
    raise AssertionError("the disk never filled up")


def _check_full(store: AnnotationStore, database: Path) -> None:
    saved, lost, error = _fill(store)
    assert saved, "nothing fit at all"
    message = str(error)
    assert message.startswith("Could not save:")
    assert "full" in message
    assert "\n" not in message
    # Nothing half-written: the failed note is absent, every earlier one intact.
    assert store.get(lost.id) is None
    assert store.list_for_essay("faults") == sorted(
        saved, key=lambda a: (a.start, a.end, a.created, a.id)
    )
    connection = sqlite3.connect(database)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 256 KB tmpfs if this machine lets us mount one, else None."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
            capture_output=True,
            check=False,
        )
        mounted = result.returncode == 0
    try:
        yield mount_point if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_disk_full_is_a_readable_error_and_nothing_is_half_written(
    tmp_path: Path, tiny_disk: Path | None
) -> None:
    if tiny_disk is not None:
        # A real full file system.
        with AnnotationStore.open(tiny_disk) as store:
            _check_full(store, tiny_disk / DATABASE_NAME)
    # Always also: SQLite's own size cap, which fails with SQLITE_FULL for real.
    folder = tmp_path / "capped"
    with AnnotationStore.open(folder) as store:
        pass
    connection = sqlite3.connect(folder / DATABASE_NAME)
    pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    connection.close()
    with AnnotationStore.open(folder, page_limit=pages + 40) as store:
        _check_full(store, folder / DATABASE_NAME)


def test_database_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    connection.execute("CREATE TABLE future (x)")
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    with pytest.raises(StoreUnavailable, match="newer essaytui"):
        AnnotationStore.open(tmp_path)
    store = AnnotationStore.open_or_memory(tmp_path)
    assert not store.persistent and store.problem is not None and "newer" in store.problem
    store.close()
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 99
    connection.close()
