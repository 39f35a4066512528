"""A data folder that cannot be written still shows the reader's notes.

The denial is real: the folder is chmod'ed read-only, and the check runs in a child
process that, when the tests run as root, first gives up root's power to write past mode
bits (tests/unit/without_privileges.py), so the kernel refuses it as it refuses anyone.
Before, the store demanded a writable folder and the reader fell back to an
empty in-memory store: the notes were there, but not shown.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from without_privileges import DROP_CAPABILITIES

from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME, MIGRATIONS

ESSAY = """---
id: read-only-essay
title: A read-only test
---

## First part

The first sentence is here. The second sentence follows it.

""" + "\n\n".join(f"Filler paragraph {i} so the essay scrolls a little." for i in range(30))

DROP = DROP_CAPABILITIES

STORE_CHECK = (
    """
import json, os, sys
from essaytui.store import AnnotationStore, StoreWriteError
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
essay = load_essay(__import__("pathlib").Path(sys.argv[2]))
"""
    + DROP
    + """
store = AnnotationStore.open(sys.argv[1])
report = {
    "read_only": store.read_only,
    "persistent": store.persistent,
    "problem": store.problem,
    "notes": [a.note for a in store.list_for_essay("read-only-essay")],
    "position": store.position("read-only-essay").offset,
}
try:
    store.add(make_annotation(essay, 0, 5, Kind.NOTE, note="new"))
except StoreWriteError as error:
    report["write"] = str(error)
try:
    store.save_position("read-only-essay", 1)
except StoreWriteError as error:
    report["position_write"] = str(error)
report["identify"] = store.identify(essay)
report["files"] = sorted(os.listdir(sys.argv[1]))
print(json.dumps(report))
"""
)

APP_CHECK = (
    """
import asyncio, json, sys
from pathlib import Path
from essaytui.app import EssayApp
from essaytui.widgets.notes import NotesPane

async def look(path, data):
    app = EssayApp(Path(path), data_dir=Path(data))
    report = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reader = app.reader
        pane = reader.query_one(NotesPane)
        report["notes"] = [a.note for a in reader.notes.annotations]
        report["problem"] = app.store.problem
        report["first_message"] = reader.status.message
        await pilot.press("m")
        await pilot.pause()
        report["after_bookmark"] = reader.status.message
        report["listed"] = [
            str(getattr(option.prompt, "plain", option.prompt))
            for option in (pane.get_option_at_index(i) for i in range(pane.option_count))
            if option.id
        ]
        await pilot.press("q")
    return report

"""
    + DROP
    + """
print(json.dumps(asyncio.run(look(sys.argv[2], sys.argv[1]))))
"""
)


@pytest.fixture
def locked_folder() -> Iterator[tuple[Path, Path]]:
    """A folder with notes in it and an essay, made read-only for the child that checks."""
    root = Path(tempfile.mkdtemp(prefix="essaytui-ro-"))
    root.chmod(0o755)
    data = root / "data"
    essay_path = root / "essay.md"
    essay_path.write_text(ESSAY, encoding="utf-8")
    essay_path.chmod(0o644)
    essay = load_essay(essay_path)
    with AnnotationStore.open(data) as store:
        start = essay.reading_text.index("The second")
        store.add(make_annotation(essay, start, start + 10, Kind.NOTE, note="kept note"))
        store.save_position("read-only-essay", start, essay_path=str(essay_path))
    (data / DATABASE_NAME).chmod(0o444)
    data.chmod(0o555)
    try:
        yield data, essay_path
    finally:
        data.chmod(0o755)
        shutil.rmtree(root)


def run_child(script: str, *args: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={
            **os.environ,
            "ESSAYTUI_DATA_DIR": str(args[0]),
            # where 'nobody' may look (pytest's own tmp_path is private to root)
            "HOME": str(args[0].parent),
            "XDG_CONFIG_HOME": str(args[0].parent / "config"),
            "XDG_DATA_HOME": str(args[0].parent / "xdg"),
        },
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_a_read_only_folder_shows_the_notes_and_refuses_writes(
    locked_folder: tuple[Path, Path],
) -> None:
    data, essay_path = locked_folder
    before = sorted(os.listdir(data))
    report = run_child(STORE_CHECK, data, essay_path)
    assert report["read_only"] is True and report["persistent"] is False
    assert report["notes"] == ["kept note"]
    assert isinstance(report["position"], int) and report["position"] > 0
    problem = str(report["problem"])
    assert f"The notes folder {data} is read-only" in problem
    assert "changes can't be saved" in problem
    assert str(report["write"]).startswith("Could not save: The notes folder")
    assert "can't be saved" in str(report["position_write"])
    assert report["identify"] == "read-only-essay"
    assert report["files"] == before == [DATABASE_NAME]  # no -wal, -shm or journal made


def test_the_reader_lists_the_notes_of_a_read_only_folder(locked_folder: tuple[Path, Path]) -> None:
    data, essay_path = locked_folder
    report = run_child(APP_CHECK, data, essay_path)
    assert report["notes"] == ["kept note"]
    listed = report["listed"]
    assert isinstance(listed, list) and len(listed) == 1 and "kept note" in listed[0]
    assert "is read-only: your notes are shown, but changes can't be saved" in str(
        report["problem"]
    )
    assert "read-only" in str(report["first_message"])
    assert "Not saved" in str(report["after_bookmark"])


def test_an_older_database_in_a_read_only_folder_is_migrated_in_memory(tmp_path: Path) -> None:
    """Version 2 on disk, read-only: the copy in memory is version 3, the file stays 2."""
    import sqlite3

    folder = Path(tempfile.mkdtemp(prefix="essaytui-ro-old-"))
    try:
        folder.chmod(0o755)
        data = folder / "data"
        data.mkdir()
        connection = sqlite3.connect(data / DATABASE_NAME)
        for migration in MIGRATIONS[:2]:
            for step in migration:
                assert isinstance(step, str)
                connection.execute(step)
        connection.execute(
            "INSERT INTO positions (essay_id, essay_path, title, author, top_offset, updated) "
            "VALUES ('x', '/x.md', 'X', '', 5, '2025-01-01T00:00:00.000Z')"
        )
        connection.execute("PRAGMA user_version = 2")
        connection.commit()
        connection.close()
        data.chmod(0o755)
        (data / DATABASE_NAME).chmod(0o644)
        data.chmod(0o555)
        script = (
            "import json, sys\nfrom essaytui.store import AnnotationStore\n"
            + DROP
            + "store = AnnotationStore.open(sys.argv[1])\n"
            "print(json.dumps([store.read_only, [p.essay_id for p in store.recent()]]))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, str(data)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == [True, ["x"]]
        data.chmod(0o755)
        connection = sqlite3.connect(data / DATABASE_NAME)
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        connection.close()
        assert stat.S_IMODE((data / DATABASE_NAME).stat().st_mode) == 0o644
    finally:
        data.chmod(0o755)
        shutil.rmtree(folder)
