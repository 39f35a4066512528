"""Snapshots of real-world constructs: tables as grids, CommonMark lists and
task boxes, images, TeX and a GitHub alert, at 120×40 and 80×24. The fixtures are
modelled on public documents (tests/data/constructs). Review a changed SVG before
accepting it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ready import opened

from essaytui.app import EssayApp

# the fixture comes from pytest-textual-snapshot and has no type hints
SnapCompare = Any

CONSTRUCTS = Path(__file__).parent.parent / "data" / "constructs"
SIZES = [(120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
@pytest.mark.parametrize("name", ["tables", "lists", "images", "math", "alerts"])
def test_construct(snap_compare: SnapCompare, name: str, size: tuple[int, int]) -> None:
    app = EssayApp(CONSTRUCTS / f"{name}.md")
    assert snap_compare(app, run_before=opened, terminal_size=size)


def test_a_table_too_wide_is_cut_with_a_marker(snap_compare: SnapCompare) -> None:
    """The last table of the RFC has twelve columns: at 80×24 it is cut with ›."""
    assert snap_compare(
        EssayApp(CONSTRUCTS / "tables.md"), run_before=opened, press=["G"], terminal_size=(80, 24)
    )
