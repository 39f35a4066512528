"""Without a terminal: plain text, standard input, closed pipes.

Real subprocess runs of the CLI with pipes, files and pseudo-terminals for its
standard streams; every run has a timeout, so a regression to the old hang (the
full-screen reader waiting for keys on a pipe) fails instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from essaytui import paths
from essaytui.model.files import MAX_BYTES, load_essay
from essaytui.model.plain import cell_width, render_plain, wrap

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = paths.default_essay()
ESSAY = """---
title: Pipes and the reader
author: Ann Author
---

# Pipes and the reader

The opening paragraph is long enough that it has to be wrapped at least once or twice when the
width is narrow, and it cites a source.[^src]

> A quoted passage, set off from the text,
> over two lines.

- a first item
- a second item that is long enough to wrap onto a continuation line at forty columns
  - a nested item

1. one
2. two

```
code   keeps   its   spacing
```

## A second part

Escapes in the text \x1b]0;pwned\x07 are shown, never sent.

[^src]: The source, with *emphasis*, long enough to wrap under its number as well.
"""


def run(
    *args: str | Path,
    data_dir: Path,
    stdin: bytes | int | None = subprocess.DEVNULL,
    env: dict[str, str] | None = None,
    **options: object,
) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "ESSAYTUI_DATA_DIR": str(data_dir), **(env or {})}
    environment.pop("ESSAYTUI_DEBUG", None)
    given: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    given.update({"input": stdin} if isinstance(stdin, bytes) else {"stdin": stdin})
    given.update(options)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "essaytui", *map(str, args)],
        env=environment,
        timeout=60,
        check=False,
        **given,
    )


def essay_file(tmp_path: Path) -> Path:
    path = tmp_path / "pipes.md"
    path.write_text(ESSAY, encoding="utf-8")
    return path


# -- plain text to a pipe --------------------------------------------------------------------


def test_a_pipe_gets_the_essay_as_plain_text(tmp_path: Path) -> None:
    result = run(essay_file(tmp_path), data_dir=tmp_path / "data", env={"COLUMNS": "40"})
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out and "\x07" not in out
    lines = out.splitlines()
    assert lines[:3] == ["Pipes and the reader", "====================", "Ann Author"]
    assert out.count("Pipes and the reader") == 1  # the first heading is the title
    assert all(cell_width(line) <= 40 for line in lines if not line.startswith("    code")), out
    assert "source.¹" in out  # the marker stays in the text
    assert "> A quoted passage, set off from the" in out
    assert "•  a second item that is long enough" in out
    assert "enough to\n   wrap onto" in out  # a continuation under the item's text
    assert "   •  a nested item" in out
    assert "1. one\n2. two" in out
    assert "    code   keeps   its   spacing" in out
    assert "A second part\n-------------" in out
    assert "␛]0;pwned␇" in out
    notes = out.split("Notes\n-----\n")[1]
    assert notes.startswith("\n1.  The source, with emphasis, long")
    assert "\n    enough to wrap" in notes


def test_without_columns_the_width_is_80(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", str(BUNDLED)],
        capture_output=True,
        env={**environment, "ESSAYTUI_DATA_DIR": str(tmp_path / "data")},
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    assert max(cell_width(line) for line in lines) == 80
    essay = load_essay(BUNDLED)
    assert lines[0] == essay.title
    assert result.stdout.decode("utf-8") == render_plain(essay, 80)


def test_to_a_file_too(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with out.open("wb") as handle:
        result = run(essay_file(tmp_path), data_dir=tmp_path / "data", stdout=handle)
    assert result.returncode == 0
    assert out.read_text(encoding="utf-8").startswith("Pipes and the reader\n")


def test_the_plain_renderer_measures_wide_characters_in_cells() -> None:
    assert cell_width("日本") == 4 and cell_width("e\u0301") == 1
    lines = wrap("日本語の文章 " * 12, 20, "> ", "> ")
    assert all(cell_width(line) <= 20 for line in lines)
    assert wrap("a " + "x" * 50, 20)[1:] == ["x" * 20, "x" * 20, "x" * 10]


# -- standard input ------------------------------------------------------------------------------


def test_dash_reads_the_essay_from_standard_input(tmp_path: Path) -> None:
    result = run("-", data_dir=tmp_path / "data", stdin=ESSAY.encode(), env={"COLUMNS": "60"})
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert out.startswith("Pipes and the reader\n")
    assert "\n1.  The source, with emphasis" in out


def test_standard_input_that_is_not_an_essay_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    cases = {
        b"": "standard input: is empty",
        b"   \n\n": "standard input: is empty",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64: "standard input: is a binary file",
    }
    for given, message in cases.items():
        result = run("-", data_dir=data, stdin=given)
        assert result.returncode == 2
        assert result.stdout == b""
        assert result.stderr.decode().strip() == f"essaytui: {message}" or (
            message in result.stderr.decode() and len(result.stderr.splitlines()) == 1
        ), result.stderr


def test_standard_input_over_the_size_limit_is_refused_while_reading(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "essaytui", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(tmp_path / "data")},
    )
    assert process.stdin is not None
    chunk = b"word " * 200_000  # 1 MB
    try:
        for _ in range(MAX_BYTES // len(chunk) + 2):
            process.stdin.write(chunk)
    except BrokenPipeError:
        pass  # it stopped reading at the limit: what is wanted
    finally:
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
    assert process.wait(timeout=60) == 2
    assert process.stdout is not None and process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    assert out == b""
    assert err.decode().strip() == "essaytui: standard input: is too large (the limit is 64 MB)"


def test_no_terminal_at_all_is_one_line_and_exit_2_never_a_hang(tmp_path: Path) -> None:
    """Output to a terminal, but no keys to be had: stdin is /dev/null and the process
    has no controlling terminal (a new session), so /dev/tty cannot be opened."""
    leader, follower = os.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "essaytui", str(BUNDLED)],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "ESSAYTUI_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm"},
            start_new_session=True,
        )
        os.close(follower)
        follower = -1
        _, err = process.communicate(timeout=60)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert process.returncode == 2
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("essaytui: no terminal to read keys from")


# -- a closed pipe ---------------------------------------------------------------------------


def closed_pipe_run(*args: str | Path, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    """Run with standard output a pipe nobody reads any more (`… | head -1`, after head)."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        return run(*args, data_dir=data_dir, stdout=writing, stderr=subprocess.PIPE)
    finally:
        os.close(writing)


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for args in (
        ("list",),
        (BUNDLED,),
        ("export", BUNDLED),
        ("convert", ROOT / "tests" / "data" / "blog" / "no-notes.txt"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "essaytui", *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "ESSAYTUI_DATA_DIR": str(data)},
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (args, result.stderr)
        closed = closed_pipe_run(*args, data_dir=data)
        assert b"Traceback" not in closed.stderr, (args, closed.stderr)
        assert b"BrokenPipe" not in closed.stderr, (args, closed.stderr)
        assert closed.returncode == 141, (args, closed.returncode, closed.stderr)


def test_list_piped_to_head(tmp_path: Path) -> None:
    """The shell pipeline itself, with output large enough that head closes it early."""
    result = subprocess.run(
        f"{sys.executable} -m essaytui list | head -1; "
        f"{sys.executable} -m essaytui {BUNDLED} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(tmp_path / "data")},
        timeout=60,
        check=False,
    )
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == "Bundled:"
