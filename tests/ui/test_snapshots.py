"""Snapshots of the reader. Review a changed SVG before accepting it."""

from __future__ import annotations

from typing import Any

from essaytui.app import EssayApp

# the fixture comes from pytest-textual-snapshot and has no type hints
SnapCompare = Any


def test_bundled_essay_wide(snap_compare: SnapCompare) -> None:
    assert snap_compare(EssayApp(), press=["_"], terminal_size=(120, 40))


def test_bundled_essay_narrow(snap_compare: SnapCompare) -> None:
    assert snap_compare(EssayApp(), press=["_"], terminal_size=(80, 24))


def test_peek_open(snap_compare: SnapCompare) -> None:
    assert snap_compare(EssayApp(), press=["f", "_"], terminal_size=(120, 40))


def test_glossary_entry_open(snap_compare: SnapCompare) -> None:
    assert snap_compare(EssayApp(), press=["t", "enter", "_"], terminal_size=(120, 40))


def test_help_screen_narrow(snap_compare: SnapCompare) -> None:
    assert snap_compare(EssayApp(), press=["question_mark", "_"], terminal_size=(80, 24))


def test_bundled_essay_160(snap_compare: SnapCompare) -> None:
    """At 160×45: the outline and the text, its footnotes as sidenotes in the margin."""
    assert snap_compare(EssayApp(), press=["j", "j", "j", "f", "_"], terminal_size=(160, 45))


def test_bundled_essay_200_with_sidenotes(snap_compare: SnapCompare) -> None:
    """At 200×50: all three panes and sidenotes; the selected note is bold."""
    assert snap_compare(EssayApp(), press=["f", "f", "_"], terminal_size=(200, 50))
