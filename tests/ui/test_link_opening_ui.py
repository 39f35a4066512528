"""Following a link opens only http, https and mailto addresses (through the real
`App.open_url`, which hands the address to Python's `webbrowser`); anything else is
shown and opens nothing. The browser is a small script named in `$BROWSER` (the seam
`webbrowser` itself reads) that writes down the arguments it was given.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.targets import LinkRef
from essaytui.widgets.essay_view import EssayView

HOSTILE = {
    "option": "--renderer-cmd-prefix=touch%20/tmp/pwned",
    "path": "/etc/passwd",
    "relative": "docs/guide.md",
    "ftp": "ftp://example.org/file",
    "ssh": "ssh://host.example.org",
}
SAFE = "https://example.org/ok"


@pytest.fixture
def browser_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point `$BROWSER` at a script that appends its arguments to the returned file."""
    log = tmp_path / "browser-argv.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a" >> "{log}"; done\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(script))
    # webbrowser reads $BROWSER once, the first time a browser is asked for
    monkeypatch.setattr("webbrowser._tryorder", None)
    monkeypatch.setattr("webbrowser._browsers", {})
    return log


def essay(folder: Path) -> Path:
    lines = ["# Links", ""]
    lines += [f"A link to [{name}]({url}) here." for name, url in HOSTILE.items()]
    lines += [f"And a [web page]({SAFE}).", ""]
    path = folder / "links.md"
    path.write_text("\n\n".join(lines), encoding="utf-8")
    return path


async def select(pilot: Pilot[None], view: EssayView, url: str) -> None:
    for _ in range(len(HOSTILE) + 2):
        await pilot.press("l")
        if isinstance(view.target, LinkRef) and view.target.url == url:
            return
    raise AssertionError(f"l never reached {url}")


async def test_links_that_are_not_web_or_mail_are_shown_and_never_opened(
    tmp_path: Path, browser_log: Path
) -> None:
    app = EssayApp(essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        view = reader.query_one(EssayView)
        for url in HOSTILE.values():
            await select(pilot, view, url)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen), url  # no "Open this address?"
            message = reader.status.message
            assert message.startswith("Not opened") and url in message
            assert not browser_log.exists()
        # the seam works: a web address, once confirmed, reaches the browser as it is
        await select(pilot, view, SAFE)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert browser_log.read_text().splitlines() == [SAFE]
