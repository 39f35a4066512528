"""Writes against a database another process holds locked.

The UI must never sleep on the event loop for the lock: a write can be asked not to
wait (`wait=False` → `StoreBusy` at once), and a waiting write in a worker thread
must not keep the UI thread's reads waiting too. The lock is held by a real second
process that releases it only when told, so nothing here depends on timing.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from essaytui.model.annotation import Annotation, Kind, make_annotation
from essaytui.model.essay import Essay
from essaytui.store import AnnotationStore, StoreBusy, StoreWriteError
from essaytui.store.schema import DATABASE_NAME

TEXT = "The two states signed a treaty in 2001. It held for a while."
ESSAY = Essay(id="locked", title="Locked", author="", reading_text=TEXT, blocks=())

HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO settings (key, value) VALUES ('holder', 'was here')")
print("locked", flush=True)
sys.stdin.readline()  # until the test says so
connection.execute("COMMIT")
print("released", flush=True)
"""


def note(text: str) -> Annotation:
    return make_annotation(ESSAY, 4, 10, Kind.NOTE, note=text)


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[AnnotationStore, subprocess.Popen[str]]]:
    """An open store, and a process holding its write lock until told to let go."""
    store = AnnotationStore.open(tmp_path)
    store.add(note("before the lock"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / DATABASE_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        yield store, holder
    finally:
        release(holder)
        store.close()


def release(holder: subprocess.Popen[str]) -> None:
    if holder.poll() is None:
        assert holder.stdin is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


def test_a_write_that_may_not_wait_says_busy_at_once(
    held: tuple[AnnotationStore, subprocess.Popen[str]],
) -> None:
    store, holder = held
    attempt = note("made while locked")
    # If this waited for the lock it would wait for ever (the holder waits for us),
    # give up after LOCK_WAIT_SECONDS and raise a plain StoreWriteError.
    with pytest.raises(StoreBusy, match="another essaytui is writing"):
        store.add(attempt, wait=False)
    with pytest.raises(StoreBusy):
        store.save_position("locked", 3, wait=False)
    with pytest.raises(StoreBusy):
        store.set_setting("theme", "x", wait=False)
    assert holder.poll() is None  # it still holds the lock: we did not wait it out
    assert issubclass(StoreBusy, StoreWriteError)
    assert store.get(attempt.id) is None  # nothing half-saved
    release(holder)
    store.add(attempt, wait=False)  # the write kept by the caller goes through later
    assert store.get(attempt.id) == attempt


def test_a_waiting_write_in_a_worker_does_not_hold_up_reads(
    held: tuple[AnnotationStore, subprocess.Popen[str]],
) -> None:
    store, holder = held
    waiting = note("saved by the worker")
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            store.add(waiting)  # waits for the lock, retrying
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    writer = threading.Thread(target=worker)
    writer.start()
    seen: list[list[str]] = []
    reader = threading.Thread(
        target=lambda: seen.append([a.note for a in store.list_for_essay("locked")])
    )
    reader.start()
    # The reader finishes while the writer still waits for the other process; were
    # the store's lock held through the writer's retries, it would wait for ever.
    reader.join(timeout=20)
    assert not reader.is_alive(), "a read waited for another thread's locked write"
    assert seen == [["before the lock"]]
    assert writer.is_alive() and holder.poll() is None
    release(holder)
    writer.join(timeout=30)
    assert not writer.is_alive() and errors == []
    assert store.get(waiting.id) == waiting
    assert store.get_setting("holder") == "was here"
