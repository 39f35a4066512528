"""Snapshots of the Library screen at 80×24 and 160×45. Review a changed SVG first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_library_ui import open_library, shelve, write_series
from textual.pilot import Pilot

from essaytui.app import EssayApp

# the fixture comes from pytest-textual-snapshot and has no type hints
SnapCompare = Any

# under the Library, a frozen copy of the bundled essay: a fix to the essay does not change them
ESSAY = Path(__file__).resolve().parents[1] / "data" / "frozen-essay" / "essay.md"


async def library_up(pilot: Pilot[None]) -> None:
    await open_library(pilot)  # it waits until the Library lists the text being read
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_library_narrow(snap_compare: SnapCompare, tmp_path: Path, data_dir: Path) -> None:
    shelve(data_dir, write_series(tmp_path / "texts"))
    assert snap_compare(EssayApp(ESSAY), run_before=library_up, terminal_size=(80, 24))


def test_library_wide(snap_compare: SnapCompare, tmp_path: Path, data_dir: Path) -> None:
    shelve(data_dir, write_series(tmp_path / "texts"))
    assert snap_compare(EssayApp(ESSAY), run_before=library_up, terminal_size=(160, 45))
