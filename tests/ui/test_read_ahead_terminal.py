"""`essaytui BOOK.epub` in a real terminal (tmux) reads the book ahead in a second process
(`model.read_ahead`): the first screen, then the whole book, and no process left behind
when the reader closes, whether the child is done or still reading."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from epub_books import LONG_BOOK_FIRST, long_book

from essaytui.model.files import FIRST_SCREEN_LIMIT, cached_parts


class Terminal:
    """A private tmux server running one command at 100×30."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout

    def start(self, command: list[str], env: dict[str, str]) -> int:
        """Run `command` in a new session; its process id."""
        setting = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
        line = f"exec env {setting} {shlex.join(command)}"
        self.tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "reader", line)
        return int(self.tmux("list-panes", "-t", "reader", "-F", "#{pane_pid}").strip())

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "reader")

    def until(self, holds: Callable[[str], bool], what: str, within: float = 60.0) -> str:
        deadline = time.monotonic() + within
        while True:
            shown = self.screen()
            if holds(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not seen within {within} s; the screen:\n{shown}")
            time.sleep(0.05)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path / "tmux.sock")
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-S", str(term.socket), "kill-server"], check=False)


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2 :][:1] not in ("Z", "X")


def ended(pids: list[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while any(running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def reader(terminal: Terminal, tmp_path: Path, **more: str) -> tuple[Path, int, list[int]]:
    """`essaytui` on a 120-chapter book (`more`: environment), once its first sentence
    shows: the book, the reader's process and its children then."""
    book = long_book(tmp_path / "long.epub", chapters=120)
    env = {
        **more,
        "ESSAYTUI_CACHE_DIR": str(tmp_path / "cache"),
        "ESSAYTUI_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
    }
    app = terminal.start([sys.executable, "-m", "essaytui", str(book)], env)
    terminal.until(lambda shown: LONG_BOOK_FIRST in shown, "the first sentence")
    return book, app, children(app)


def test_the_book_is_read_ahead_and_the_reader_closes_with_its_child(
    terminal: Terminal, tmp_path: Path
) -> None:
    book, app, helpers = reader(terminal, tmp_path)
    assert len(helpers) == 1  # the child reading the rest of the book
    assert cached_parts(book, FIRST_SCREEN_LIMIT, tmp_path / "cache")[1] is False
    terminal.until(lambda shown: "§ 1/120 " in shown, "the whole book's 120 chapters")
    assert cached_parts(book, FIRST_SCREEN_LIMIT, tmp_path / "cache") == (True, True)
    assert not running(helpers[0])
    terminal.tmux("send-keys", "-t", "reader", "G")
    terminal.until(lambda shown: "§ 120/120 Chapter 120" in shown, "the end of the book")
    terminal.tmux("send-keys", "-t", "reader", "q")
    assert ended([app, *helpers], within=10.0)


@pytest.mark.parametrize("ahead", ["1", "0"])
def test_quitting_at_once_ends_the_conversion_and_leaves_no_half_written_file(
    terminal: Terminal, tmp_path: Path, ahead: str
) -> None:
    """Read ahead (the child is stopped) or in the reader's own process (the conversion
    stops between chapters): the reader does not wait for the whole book to quit."""
    book, app, helpers = reader(terminal, tmp_path, ESSAYTUI_READ_AHEAD=ahead)
    assert len(helpers) == int(ahead) and all(running(pid) for pid in helpers)
    terminal.tmux("send-keys", "-t", "reader", "q")
    assert ended([app, *helpers], within=10.0)
    cache = tmp_path / "cache"
    assert sorted(p.name for p in cache.rglob("*.tmp")) == []
    assert cached_parts(book, FIRST_SCREEN_LIMIT, cache) == (True, False)
