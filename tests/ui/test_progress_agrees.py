"""One definition of progress: the percent on the status line when the reader quits is
the percent `essaytui list` gives for that essay (the real app through Pilot, then the
real CLI in a subprocess, over one data folder on disk)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ready import opened

from essaytui import paths
from essaytui.app import EssayApp
from essaytui.screens.reader import ReaderScreen


async def quit_at(keys: tuple[str, ...], data: Path, size: tuple[int, int]) -> int:
    """Open the bundled essay, press `keys`, quit; the status line's percent at quitting."""
    app = EssayApp(paths.default_essay(), data_dir=data)
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        status = str(screen.status.render())
        found = re.search(r"(\d+)%", status)
        assert found, status
        await pilot.press("q")
    return int(found.group(1))


def listed_percent(data: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", "list", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(data)},
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    recent = result.stdout.split("Bundled:")[0]
    found = re.search(r"(\d+)%\s+last read", recent)
    assert found, result.stdout
    return int(found.group(1))


@pytest.mark.parametrize(
    ("keys", "size"),
    [
        (("g",), (120, 40)),
        (("space", "space"), (80, 24)),
        (("space",) * 5, (120, 40)),
        (("G",), (200, 50)),
    ],
)
async def test_the_list_gives_the_percent_the_status_line_showed(
    tmp_path: Path, keys: tuple[str, ...], size: tuple[int, int]
) -> None:
    data = tmp_path / "data"
    shown = await quit_at(keys, data, size)
    assert listed_percent(data) == shown
    if keys == ("g",):
        assert shown == 0
    if keys == ("G",):
        assert shown == 100
