"""Snapshots of a book in the reader: a Standard Ebooks release's outline, chapters and
endnotes as sidenotes. Review a changed SVG before accepting it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from epub_books import standard_ebook

from essaytui.app import EssayApp

# the fixture comes from pytest-textual-snapshot and has no type hints
SnapCompare = Any


def test_book_120(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """At 120×40: the book's own outline (over the text, as at this width)."""
    app = EssayApp(standard_ebook(tmp_path / "hume.epub"))
    assert snap_compare(app, press=["o", "_"], terminal_size=(120, 40))


def test_book_120_endnote_peek(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """At 120×40: the first endnote's peek under its reference."""
    app = EssayApp(standard_ebook(tmp_path / "hume.epub"))
    assert snap_compare(app, press=["f", "_"], terminal_size=(120, 40))


def test_book_200_with_sidenotes(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """At 200×50: the endnotes set as sidenotes beside their references."""
    app = EssayApp(standard_ebook(tmp_path / "hume.epub"))
    assert snap_compare(
        app, press=["right_square_bracket", "right_square_bracket", "_"], terminal_size=(200, 50)
    )
