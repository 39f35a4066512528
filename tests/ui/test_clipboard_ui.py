"""`y` says where the quotation went, or offers a file when nothing can take it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from essaytui.app import EssayApp
from essaytui.screens.confirm import ConfirmScreen
from essaytui.widgets.status import StatusLine


def status_text(app: EssayApp) -> str:
    return app.reader.query_one(StatusLine).message


async def test_inside_tmux_y_fills_the_tmux_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    socket = tmp_path / "tmux.sock"
    subprocess.run(
        ["tmux", "-S", str(socket), "new-session", "-d", "-x", "80", "-y", "24"],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    try:
        monkeypatch.setenv("TMUX", f"{socket},1,0")
        app = EssayApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("j", "v", "y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "(tmux buffer)" in status_text(app)
        buffer = subprocess.run(
            ["tmux", "-S", str(socket), "show-buffer"], capture_output=True, text=True, check=True
        ).stdout
        assert buffer.startswith("“") and "(Chen, n.d., ¶ 1).\n\nChen, Dean. n.d." in buffer
        assert app.clipboard == ""  # no OSC 52 sent into tmux, where it would be dropped
    finally:
        subprocess.run(["tmux", "-S", str(socket), "kill-server"], check=False)


async def test_without_any_clipboard_y_offers_to_write_the_quotation_to_a_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "linux")  # the Linux console: no OSC 52, no display, no tmux
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "v", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        written = data_dir / "exports" / "quotations.md"
        assert "Added the quotation to" in status_text(app)
        text = written.read_text(encoding="utf-8")
        assert text.startswith("“") and "Chen, Dean. n.d." in text
        # the palette's "write the last quotation to a file" adds it again
        app.reader.quoting.write_quotation()
        assert written.read_text(encoding="utf-8").count("Chen, Dean. n.d.") == 2


async def test_in_a_terminal_with_osc_52_y_says_it_was_sent_that_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "v", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "(terminal clipboard, OSC 52)" in status_text(app)
        assert "(Chen, n.d., ¶ 1)." in app.clipboard
