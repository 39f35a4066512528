"""Global options go before or after the command, as the README writes them.

`essaytui --data-dir DIR list` and `essaytui list --data-dir DIR` are the same command,
for every command. Each run is a real subprocess whose environment points the data
folder elsewhere (an empty folder), so only a `--data-dir` that was honoured finds the
note written into DIR.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from essaytui import paths
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore

PHRASE = "bitter rivalries"
NOTE = "marmalade-and-ravens"


def run(*args: str | Path, elsewhere: Path) -> subprocess.CompletedProcess[str]:
    """The CLI with ESSAYTUI_DATA_DIR set to `elsewhere`: a `--data-dir` must win over it."""
    return subprocess.run(
        [sys.executable, "-m", "essaytui", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(elsewhere)},
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(a data folder holding one note on the bundled essay, an empty one, an export)."""
    root = tmp_path_factory.mktemp("global-options")
    data, empty = root / "data", root / "empty"
    essay_path = paths.default_essay()
    essay = load_essay(essay_path)
    start = essay.reading_text.index(PHRASE)
    with AnnotationStore.open(data) as store:
        store.add(make_annotation(essay, start, start + len(PHRASE), Kind.NOTE, note=NOTE))
    exported = run("export", essay_path, "--data-dir", data, "--format", "json", elsewhere=empty)
    assert exported.returncode == 0, exported.stderr
    export = root / "notes.json"
    export.write_text(exported.stdout, encoding="utf-8")
    return data, empty, export


def both_ways(command: list[str], data: Path, empty: Path) -> list[str]:
    """The standard output of `command` with `--data-dir data` before it and after it."""
    outputs = []
    for args in (
        ["--data-dir", str(data), *command],
        [f"--data-dir={data}", *command],
        [*command, "--data-dir", str(data)],
    ):
        result = run(*args, elsewhere=empty)
        assert result.returncode == 0, (args, result.stderr)
        assert "error" not in result.stderr and "no such file" not in result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2], command
    return outputs


def test_list_reads_the_data_dir_written_before_or_after(folders: tuple[Path, Path, Path]) -> None:
    data, empty, _ = folders
    listed = both_ways(["list"], data, empty)[0]
    plain = run("list", elsewhere=empty)
    assert plain.returncode == 0
    assert "1 note(s)" in listed and "note(s)" not in plain.stdout, (listed, plain.stdout)


def test_export_and_notes_search_read_the_data_dir(folders: tuple[Path, Path, Path]) -> None:
    data, empty, _ = folders
    exported = both_ways(["export", str(paths.default_essay()), "--format", "json"], data, empty)[0]
    assert NOTE in exported
    found = both_ways(["notes", "search", "marmalade"], data, empty)[0]
    assert PHRASE in found or NOTE in found
    # the action's own place for it works as well
    inner = run("notes", "--data-dir", data, "search", "marmalade", elsewhere=empty)
    assert inner.returncode == 0 and inner.stdout == found, inner.stderr


def test_cite_and_convert_take_the_option_before_or_after(
    folders: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    data, empty, _ = folders
    cited = both_ways(["cite", "--format", "text"], data, empty)[0]
    assert "Strategic Partners" in cited
    post = tmp_path / "post.txt"
    post.write_text("A title\n\nSome words here.[1]\n\nNotes\n\n1. A source.\n", "utf-8")
    converted = both_ways(["convert", str(post)], data, empty)[0]
    assert "[^1]" in converted


def test_import_notes_writes_into_the_data_dir(
    folders: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, export = folders
    empty = tmp_path / "env"
    for index, args in enumerate(
        (
            ["--data-dir", str(tmp_path / "a"), "import-notes", str(export)],
            ["import-notes", str(export), "--data-dir", str(tmp_path / "b")],
        )
    ):
        result = run(*args, elsewhere=empty)
        assert result.returncode == 0, result.stderr
        target = tmp_path / "ab"[index]
        with AnnotationStore.open(target) as store:
            notes = [hit.annotation.note for hit in store.search_notes("marmalade")]
        assert notes == [NOTE]
    assert not empty.exists() or not any(empty.iterdir())


def test_a_bad_global_option_is_one_line(folders: tuple[Path, Path, Path]) -> None:
    _, empty, _ = folders
    result = run("--data-dir", elsewhere=empty)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--data-dir" in result.stderr.strip().splitlines()[-1]
