"""Scrolling a dialog's box by name, for the `scroll('…')` actions of About and help."""

from __future__ import annotations

from textual.containers import VerticalScroll


def scroll_box(box: VerticalScroll, where: str) -> None:
    """Scroll `box`: a line ("down", "up"), half a page ("half_down", "half_up"), a page
    ("page_down", "page_up"), or to either end ("home", "end")."""
    if where in ("half_down", "half_up"):
        half = max(1, box.scrollable_content_region.height // 2)
        box.scroll_to(y=box.scroll_y + (half if where == "half_down" else -half), animate=False)
        return
    moves = {
        "down": box.scroll_down,
        "up": box.scroll_up,
        "page_down": box.scroll_page_down,
        "page_up": box.scroll_page_up,
        "home": box.scroll_home,
        "end": box.scroll_end,
    }
    moves[where](animate=False)
