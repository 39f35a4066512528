"""Snapshots of the reader. Review a changed SVG before accepting it.

They show a frozen copy of the bundled essay (tests/data/frozen-essay): a fix to the
bundled essay or its glossary does not change them. Each waits until the reader is all
there (its side pane in) before its keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ready import opened

from essaytui.app import EssayApp

# the fixture comes from pytest-textual-snapshot and has no type hints
SnapCompare = Any

ESSAY = Path(__file__).resolve().parents[1] / "data" / "frozen-essay" / "essay.md"


def test_bundled_essay_wide(snap_compare: SnapCompare) -> None:
    assert snap_compare(EssayApp(ESSAY), run_before=opened, terminal_size=(120, 40))


def test_bundled_essay_narrow(snap_compare: SnapCompare) -> None:
    assert snap_compare(EssayApp(ESSAY), run_before=opened, terminal_size=(80, 24))


def test_peek_open(snap_compare: SnapCompare) -> None:
    assert snap_compare(EssayApp(ESSAY), run_before=opened, press=["f"], terminal_size=(120, 40))


def test_glossary_entry_open(snap_compare: SnapCompare) -> None:
    assert snap_compare(
        EssayApp(ESSAY), run_before=opened, press=["t", "enter"], terminal_size=(120, 40)
    )


def test_help_screen_narrow(snap_compare: SnapCompare) -> None:
    assert snap_compare(
        EssayApp(ESSAY), run_before=opened, press=["question_mark"], terminal_size=(80, 24)
    )


def test_bundled_essay_160(snap_compare: SnapCompare) -> None:
    """At 160×45: the outline and the text, its footnotes as sidenotes in the margin."""
    assert snap_compare(
        EssayApp(ESSAY), run_before=opened, press=["j", "j", "j", "f"], terminal_size=(160, 45)
    )


def test_bundled_essay_200_with_sidenotes(snap_compare: SnapCompare) -> None:
    """At 200×50: all three panes and sidenotes; the selected note is bold."""
    assert snap_compare(
        EssayApp(ESSAY), run_before=opened, press=["f", "f"], terminal_size=(200, 50)
    )
