"""How far through a text the reader is: one figure, for the status line and the library."""

from __future__ import annotations


def reading_progress(top: int, bottom: int, length: int) -> int:
    """Percent of the way through a text whose view shows `[top, bottom)` of `length`
    characters: 0 at the top, 100 only with the end on screen."""
    if bottom >= length:
        return 100
    scrollable = max(1, length - (bottom - top))
    return max(0, min(99, int(100 * top / scrollable)))
