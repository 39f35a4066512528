"""A disk that is full (or fails) when the notes are opened: they are still read.

The fault is real: the commands run in a child process whose file size limit
(RLIMIT_FSIZE, with SIGXFSZ ignored) makes every write past 16 KiB fail with EFBIG,
as ENOSPC does on a full disk. SQLite cannot even make the 32 KiB -shm file it needs
to read a WAL database and says "disk I/O error" — the error a full tmpfs gives too.
The export goes to another place (a file smaller than the limit).
"""

from __future__ import annotations

import dataclasses
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore, StoreWriteError

ESSAY = Path(__file__).resolve().parents[1] / "data" / "no-headings.md"
#: What the child may write to any file: less than SQLite's -shm, more than an export.
LIMIT = 16 * 1024


def full_disk() -> None:
    """In the child, before it runs: writes past LIMIT fail (EFBIG), no signal."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, resource.RLIM_INFINITY))


def on_full_disk(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "essaytui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(data)},
        stdin=subprocess.DEVNULL,
        preexec_fn=full_disk,
        timeout=60,
        check=False,
    )


def notes_in(data: Path) -> str:
    """A data folder with one note on ESSAY (the database is larger than LIMIT)."""
    essay = load_essay(ESSAY)
    with AnnotationStore.open(data) as store:
        essay = dataclasses.replace(essay, id=store.identify(essay))
        store.add(make_annotation(essay, 3, 30, Kind.NOTE, note="weathered the storm"))
    assert (data / "essaytui.sqlite3").stat().st_size > LIMIT
    return essay.id


def test_the_fault_is_the_one_a_full_disk_gives(tmp_path: Path) -> None:
    data = tmp_path / "data"
    notes_in(data)
    probe = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "try:\n    c.execute('SELECT count(*) FROM annotations').fetchone()\n"
        "except sqlite3.Error as e:\n    print(e.sqlite_errorname, e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(data / "essaytui.sqlite3")],
        capture_output=True,
        text=True,
        preexec_fn=full_disk,
        timeout=60,
        check=False,
    )
    assert result.stdout.startswith("SQLITE_IOERR"), result
    assert "disk I/O error" in result.stdout


def test_export_search_and_list_work_on_a_full_disk(tmp_path: Path) -> None:
    data = tmp_path / "data"
    notes_in(data)
    elsewhere = tmp_path / "elsewhere.md"
    said = "full or failing (disk I/O error): your notes are shown, but changes can't be saved"

    exported = on_full_disk("export", str(ESSAY), "-o", str(elsewhere), data=data)
    assert exported.returncode == 0, exported.stderr
    assert said in exported.stderr
    assert "weathered the storm" in elsewhere.read_text(encoding="utf-8")

    found = on_full_disk("notes", "search", "weathered", data=data)
    assert found.returncode == 0, found.stderr
    assert "weathered the storm" in found.stdout and said in found.stderr

    listed = on_full_disk("list", data=data)
    assert listed.returncode == 0, listed.stderr
    assert "no-headings" in listed.stdout and said in listed.stderr

    imported = on_full_disk("import-notes", str(tmp_path / "none.json"), data=data)
    assert imported.returncode != 0 and "Traceback" not in imported.stderr


def test_the_store_opens_read_only_and_refuses_writes_plainly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    essay_id = notes_in(data)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, hard))
    try:
        store = AnnotationStore.open(data)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    with store:
        assert store.read_only
        assert store.problem is not None and "full or failing" in store.problem
        assert [a.note for a in store.list_for_essay(essay_id)] == ["weathered the storm"]
        with pytest.raises(StoreWriteError, match="changes can't be saved"):
            store.set_setting("theme", "x")
