"""`essaytui add / remove / search / stats / library`, run as real subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from essaytui_run import essaytui

from essaytui.cli import COMMANDS

DATA = Path(__file__).resolve().parents[1] / "data"


def run(*args: str | Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return essaytui(*args, data=data_dir)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("essaytui: "), result.stderr
    assert fragment in lines[0]


def essays(folder: Path, count: int, words: str = "harbour grain") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"e{n:05d}.md").write_text(
            f"# Essay {n}\n\n## Part one\n\nText number {n} speaks of {words}.\n", encoding="utf-8"
        )
    return folder


def test_commands_are_listed_in_help(tmp_path: Path) -> None:
    assert {"add", "remove", "library", "search", "stats"} <= set(COMMANDS)
    text = ok(run("--help", data_dir=tmp_path)).stdout
    for line in ("essaytui add PATH", "essaytui library", "essaytui search WORD", "essaytui stats"):
        assert line in text


def test_add_search_remove(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = essays(tmp_path / "texts", 3)
    (folder / "bad.md").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "copy.md").write_text((folder / "e00000.md").read_text())
    result = ok(run("add", folder, data_dir=data))
    assert "added 3 text(s)" in result.stderr
    skipped = [line for line in result.stderr.splitlines() if "skipped " in line and ":" in line]
    assert any("bad.md: is a binary file" in line for line in skipped), result.stderr
    # copy.md comes first in name order, so the original is the one called a copy
    assert any("e00000.md: the same text as" in line for line in skipped), result.stderr
    found = ok(run("search", "harbour", "--texts", data_dir=data))
    assert found.stdout.count("Part one · paragraph 1") == 3
    assert "\x1b" not in found.stdout  # piped: plain
    none = run("search", "zebra", data_dir=data)
    assert none.returncode == 1 and none.stdout == ""
    assert "nothing matches" in none.stderr
    removed = ok(run("remove", folder / "e00001.md", data_dir=data))
    assert "notes, if any, stay" in removed.stderr
    found = ok(run("search", "harbour", "--texts", data_dir=data))
    assert found.stdout.count("Part one") == 2


def test_search_finds_notes_too_and_regex(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ok(run("add", DATA / "cjk.md", data_dir=data))
    assert "cjk.md" in ok(run("search", "東京", data_dir=data)).stdout
    assert ok(run("search", "re:全面.+关系", "--texts", data_dir=data)).stdout
    assert run("search", "东京", "--notes", data_dir=data).returncode == 1
    one_line_error(run("search", "re:(", data_dir=data), "regular expression")


def test_remove_unknown_and_add_missing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run("remove", tmp_path / "nowhere.md", data_dir=data)
    assert result.returncode == 1 and "not in the library" in result.stderr
    result = run("add", tmp_path / "nowhere.md", data_dir=data)
    assert result.returncode == 1
    assert "nowhere.md: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_stats_without_reading(tmp_path: Path) -> None:
    assert "No reading time" in ok(run("stats", data_dir=tmp_path / "d")).stdout


def test_library_needs_a_terminal(tmp_path: Path) -> None:
    one_line_error(run("library", data_dir=tmp_path / "d"), "needs a terminal")


def _interruptible() -> None:
    """In the child before it runs: ctrl+c as a terminal gives it. A program inherits an
    ignored or blocked SIGINT from its parent (a test worker may be one) and Python then
    leaves it so: the signal this test sends was lost once in a full run."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_add_reports_progress_and_ctrl_c_keeps_what_was_added(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = essays(tmp_path / "many", 3000)
    env = dict(os.environ, ESSAYTUI_DATA_DIR=str(data))
    process = subprocess.Popen(
        [sys.executable, "-m", "essaytui", "add", str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_interruptible,
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # the first progress line: some are added
    assert "looked at" in first, first
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 130, rest
    assert "Traceback" not in rest
    assert "added so far stay" in rest
    found = ok(run("search", "harbour", "--texts", data_dir=data)).stderr
    count = int(found.split()[1])
    assert count > 0


def test_data_dir_before_or_after_each_library_command(tmp_path: Path) -> None:
    elsewhere, data = tmp_path / "env-data", tmp_path / "data"
    folder = essays(tmp_path / "texts", 2, words="lighthouse")

    def given(*args: str | Path) -> subprocess.CompletedProcess[str]:
        # ESSAYTUI_DATA_DIR names another folder: only --data-dir may be used
        return essaytui(*args, data=elsewhere)

    ok(given("--data-dir", data, "add", folder))
    assert "e00001.md" in ok(given("search", "lighthouse", "--data-dir", data)).stdout
    assert "e00000.md" in ok(given("--data-dir", data, "search", "lighthouse")).stdout
    ok(given("stats", "--data-dir", data))
    ok(given("--data-dir", data, "stats"))
    ok(given("remove", folder / "e00000.md", "--data-dir", data))
    result = ok(given("--data-dir", data, "search", "lighthouse"))
    assert "e00000.md" not in result.stdout and "e00001.md" in result.stdout
    for args in (("--data-dir", data, "library"), ("library", "--data-dir", data)):
        one_line_error(given(*args), "needs a terminal")
    assert (data / "library.sqlite3").is_file()
    assert not (elsewhere / "library.sqlite3").exists()


def test_add_takes_books_and_quarto_files_from_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from epub_books import epub3_book

    monkeypatch.setenv("ESSAYTUI_CACHE_DIR", str(tmp_path / "cache"))
    data, folder = tmp_path / "data", tmp_path / "shelf"
    folder.mkdir()
    epub3_book(folder / "keeper.epub")
    quarto = DATA / "dialects" / "quarto-post.qmd"
    (folder / "nested").mkdir()
    (folder / "nested" / "waiting.qmd").write_bytes(quarto.read_bytes())
    (folder / "notes.bin").write_bytes(b"\x00\x01")  # not a text: never looked at
    result = ok(run("add", folder, data_dir=data))
    assert "added 2 text(s)" in result.stderr, result.stderr
    found = ok(run("search", "jetty", data_dir=data)).stdout
    assert "The Lighthouse Keeper" in found and "keeper.epub" in found
    found = ok(run("search", "median", "--texts", data_dir=data)).stdout
    assert "Why the Median Lies About Waiting Times" in found and "waiting.qmd" in found


def test_stats_says_durations_as_the_library_does() -> None:
    from essaytui.cli.library import duration
    from essaytui.sessions.library import duration as column

    assert [duration(s) for s in (40, 180, 3_900, 113 * 3_600 + 300)] == [
        "40 s",
        "3 min",
        "1 h 05",
        "113 h",
    ]
    for minutes in (1, 59, 61, 5_999, 6_000, 600_000, 60 * 24 * 9_999):
        assert duration(minutes * 60) == column(minutes)
