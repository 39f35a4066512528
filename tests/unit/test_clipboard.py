"""Where a copied quotation goes, with a real tmux and real programs.

tmux is started on a private socket, so the developer's own tmux is never touched; the
system clipboard is a real program on a PATH of the test's making (an `xclip` that keeps
what it is given), which pyperclip finds and runs as it would the real one.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from essaytui.clipboard import SYSTEM_CLIPBOARD, TERMINAL_CLIPBOARD, TMUX_BUFFER, copy_text

QUOTE = "“Russia’s major foreign policy orientation” — Dean Chen, ¶ 1"


@pytest.fixture
def tmux_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A tmux server of this test's own; the environment a program inside it sees."""
    socket = tmp_path / "tmux.sock"
    subprocess.run(
        ["tmux", "-S", str(socket), "new-session", "-d", "-s", "clip", "-x", "80", "-y", "24"],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    try:
        pid = subprocess.run(
            ["tmux", "-S", str(socket), "display", "-p", "#{pid}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        yield {"PATH": os.environ["PATH"], "TMUX": f"{socket},{pid},0", "TERM": "screen"}
    finally:
        subprocess.run(["tmux", "-S", str(socket), "kill-server"], check=False)


def tmux_buffer(env: dict[str, str]) -> str:
    socket = env["TMUX"].split(",")[0]
    return subprocess.run(
        ["tmux", "-S", socket, "show-buffer"], check=True, capture_output=True, text=True
    ).stdout


def test_inside_tmux_the_quotation_goes_to_the_tmux_buffer(tmux_server: dict[str, str]) -> None:
    sent: list[str] = []
    copied = copy_text(QUOTE, osc52=sent.append, environ=tmux_server)
    assert copied.way == TMUX_BUFFER
    assert tmux_buffer(tmux_server) == QUOTE
    assert sent == []  # tmux's default set-clipboard drops an app's OSC 52 anyway


def test_a_dead_tmux_falls_back_and_says_why(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "TMUX": f"{tmp_path / 'gone.sock'},1,0", "TERM": "xterm"}
    sent: list[str] = []
    copied = copy_text(QUOTE, osc52=sent.append, environ=env)
    assert copied.way == TERMINAL_CLIPBOARD
    assert sent == [QUOTE]


def fake_xclip(folder: Path) -> Path:
    """An `xclip` that keeps what it is given in `kept.txt` (and prints it for -o)."""
    folder.mkdir()
    kept = folder / "kept.txt"
    script = folder / "xclip"
    script.write_text(
        f'#!/bin/sh\nfor a in "$@"; do [ "$a" = "-o" ] && exec cat "{kept}"; done\n'
        f'cat > "{kept}"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return kept


def test_with_a_display_the_system_clipboard_tool_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = fake_xclip(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    sent: list[str] = []
    copied = copy_text(QUOTE, osc52=sent.append)
    assert copied.way == SYSTEM_CLIPBOARD
    assert kept.read_text(encoding="utf-8") == QUOTE
    assert sent == []


def test_a_display_without_a_clipboard_tool_falls_back_to_osc_52(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("DISPLAY", ":99")
    sent: list[str] = []
    copied = copy_text(QUOTE, osc52=sent.append, environ={**os.environ, "TERM": "xterm"})
    assert copied.way == TERMINAL_CLIPBOARD
    assert sent == [QUOTE]


def test_a_linux_console_without_tmux_or_display_has_nowhere_to_copy() -> None:
    sent: list[str] = []
    copied = copy_text(QUOTE, osc52=sent.append, environ={"PATH": "/usr/bin", "TERM": "linux"})
    assert copied.way is None
    assert "no tmux" in copied.problem
    assert sent == []
