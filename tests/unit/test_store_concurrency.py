"""Several real processes on one notes database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME

SRC = str(Path(__file__).resolve().parents[2] / "src")

# Opens the store, says "ready", waits for a line on stdin, then adds COUNT
# annotations (0 = forever) and prints each id once add() has returned.
_WRITER = """
import sys
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.essay import Essay
from essaytui.store import AnnotationStore

data_dir, essay_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
essay = Essay(id=essay_id, title="T", author="", reading_text="word " * 400, blocks=())
with AnnotationStore.open(data_dir) as store:
    print("ready", flush=True)
    sys.stdin.readline()
    number = 0
    while count == 0 or number < count:
        start = (number * 7) % 1900
        annotation = make_annotation(
            essay, start, start + 9, Kind.NOTE, note=f"{essay_id} note {number} " * 20
        )
        store.add(annotation)
        print(annotation.id, flush=True)
        number += 1
"""


def _writer(data_dir: Path, essay_id: str, count: int) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(data_dir), essay_id, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _start_together(writers: list[subprocess.Popen[str]]) -> None:
    """Wait until every writer has opened the store, then let all of them go."""
    for writer in writers:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()


def _finish(process: subprocess.Popen[str]) -> list[str]:
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, err
    assert err == ""
    return out.split()


def test_two_processes_writing_at_once_both_keep_their_notes(tmp_path: Path) -> None:
    writers = [_writer(tmp_path, f"essay-{n}", 60) for n in range(2)]
    _start_together(writers)
    reported = [_finish(writer) for writer in writers]
    with AnnotationStore.open(tmp_path) as store:
        for n, ids in enumerate(reported):
            assert len(ids) == 60
            stored = {a.id for a in store.list_for_essay(f"essay-{n}")}
            assert stored == set(ids)


def test_three_processes_adding_200_each_make_600(tmp_path: Path) -> None:
    # Nobody creates the database first: the three race to create and migrate it.
    writers = [_writer(tmp_path, "shared", 200) for _ in range(3)]
    _start_together(writers)
    reported = [_finish(writer) for writer in writers]
    assert sum(len(ids) for ids in reported) == 600
    with AnnotationStore.open(tmp_path) as store:
        assert store.count() == 600
        assert {a.id for a in store.list_for_essay("shared")} == {
            id_ for ids in reported for id_ in ids
        }


def test_writer_killed_mid_write_loses_nothing_it_reported(tmp_path: Path) -> None:
    writer = _writer(tmp_path, "killed", 0)
    _start_together([writer])
    assert writer.stdout is not None
    reported: list[str] = []
    while len(reported) < 150:
        line = writer.stdout.readline()
        assert line, writer.stderr.read() if writer.stderr else "writer died"
        reported.append(line.strip())
    os.kill(writer.pid, signal.SIGKILL)
    rest, _ = writer.communicate(timeout=30)
    # Lines already printed when it was killed were saved too.
    reported += rest.split()
    assert writer.returncode == -signal.SIGKILL
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    stored = {row[0] for row in connection.execute("SELECT id FROM annotations")}
    connection.close()
    assert set(reported) <= stored
    with AnnotationStore.open(tmp_path) as store:
        assert store.notice is None
        assert store.count() == len(stored)
