"""Snapshots of the Markdown dialects (issue 22): a Quarto post (inline notes, a
callout, sub- and superscripts), a Material for MkDocs page (meta header, admonitions,
content tabs, emoji), a MyST lecture (directives, roles, targets) and pandoc's tables,
at 120×40 and 80×24. The fixtures are modelled on public documents
(tests/data/dialects). Review a changed SVG before accepting it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from essaytui.app import EssayApp

# the fixture comes from pytest-textual-snapshot and has no type hints
SnapCompare = Any

DIALECTS = Path(__file__).parent.parent / "data" / "dialects"
SIZES = [(120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
@pytest.mark.parametrize("name", ["quarto-post.qmd", "mkdocs-wiki.md"])
def test_dialect(snap_compare: SnapCompare, name: str, size: tuple[int, int]) -> None:
    assert snap_compare(EssayApp(DIALECTS / name), press=["_"], terminal_size=size)


@pytest.mark.parametrize("name", ["myst-lecture.md", "pandoc-tables.md"])
def test_dialect_at_120x40(snap_compare: SnapCompare, name: str) -> None:
    assert snap_compare(EssayApp(DIALECTS / name), press=["_"], terminal_size=(120, 40))
