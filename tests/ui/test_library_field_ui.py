"""The Library as a field tester met it: columns that follow each resize at once, authors
sorted by surname, time left that fits its column (Pilot, real files)."""

from __future__ import annotations

from pathlib import Path

from ready import until
from test_library_ui import open_library, shelve, write_series

from essaytui.app import EssayApp


def screen_lines(app: EssayApp) -> list[str]:
    """The whole screen as it would be written to the terminal, line by line."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def header(app: EssayApp) -> str:
    """The table's header line as drawn on the screen."""
    return next(line for line in screen_lines(app) if line.lstrip().startswith("Title "))


async def test_the_columns_follow_each_resize_at_once(tmp_path: Path, data_dir: Path) -> None:
    shelve(data_dir, write_series(tmp_path / "texts"))
    app = EssayApp()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_library(pilot)
        await until(pilot, lambda: "Size" in header(app), "the wide layout at 200")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        # no key pressed: the 120 layout is drawn, every column on screen
        for name in ("Read", "Left", "Last read", "Notes", "Size"):
            assert name in header(app), (name, header(app))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert "Notes" in header(app) and "Author" not in header(app), header(app)
