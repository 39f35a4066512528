"""The Library as a field tester met it: columns that follow each resize at once, authors
sorted by surname, time left that fits its column (Pilot, real files)."""

from __future__ import annotations

import re
from pathlib import Path

from epub_books import real_standard_ebook
from ready import until
from test_library_ui import open_library, shelve, write_series

from essaytui.app import EssayApp
from essaytui.sessions.library import Column, duration
from essaytui.store.library import Library
from essaytui.widgets.library_table import LibraryTable


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


def write_authors(folder: Path) -> list[Path]:
    """Texts whose authors' first names and surnames sort differently."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name, title in (("Ada Marsh", "Tides"), ("David Hume", "Miracles"), ("Bo Zeller", "Zinc")):
        path = folder / f"{title.lower()}.md"
        path.write_text(
            f"---\ntitle: {title}\nauthor: {name}\n---\n\n## {title}\n\nA few words.\n",
            encoding="utf-8",
        )
        made.append(path)
    return made


async def test_sort_by_author_goes_by_surname(tmp_path: Path, data_dir: Path) -> None:
    shelve(data_dir, write_authors(tmp_path / "texts"))
    app = EssayApp()  # the bundled essay, by Dean Chen, is listed too
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_library(pilot)
        table = screen.table
        x = table.widths[Column.TITLE] + 2 + 2  # inside the author column's header
        await pilot.click(LibraryTable, offset=(x, 0))
        await pilot.pause()
        assert screen.view.column is Column.AUTHOR
        authors = [row.text.author for row in screen.view.shown()]
        assert authors == ["Dean Chen", "David Hume", "Ada Marsh", "Bo Zeller"]
        # and so they are drawn, top to bottom
        lines = screen_lines(app)
        drawn = [next(i for i, line in enumerate(lines) if name in line) for name in authors]
        assert drawn == sorted(drawn)


async def test_a_long_time_left_fits_its_column(tmp_path: Path, data_dir: Path) -> None:
    shelve(data_dir, [real_standard_ebook(tmp_path / "enquiry.epub")])
    with Library.open(data_dir) as library:
        library.add_reading("elsewhere", 600 * 60, 3000)  # 5 words a minute: days of Hume
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_library(pilot)
        table = screen.table
        row = next(row for row in screen.view.shown() if row.text.author == "David Hume")
        left = row.cell(Column.LEFT)
        assert row.minutes_left > 100 * 60 and re.fullmatch(r"\d+ h", left), left
        line = next(line for line in screen_lines(app) if "An Enquiry" in line)
        start = sum(table.widths[c] + 2 for c in table.columns[: table.columns.index(Column.LEFT)])
        drawn = line[start : start + table.widths[Column.LEFT] + 2].strip()
        assert drawn == left, line
        assert "…" not in drawn
    for minutes in (59, 60, 99 * 60 + 59, 100 * 60, 6790, 599_999, 600_000, 10**8):
        assert len(duration(minutes)) <= table.widths[Column.LEFT], minutes
