"""Repainting whole rows under an overlay that moves or closes.

When an overlay (the peek) moves, Textual repaints only the cells it uncovers. A wide
(CJK) character that straddles the overlay's edge is then cut in two: its half inside
the repainted cells is drawn as a space, its half outside is not drawn again, and the
terminal shows neither (因此 read 因). Repainting the rows the overlay covered, from
the widget's first cell to its last, draws every such character whole.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget


def repaint_rows(widget: Widget, *regions: Region | None) -> None:
    """Repaint `widget`'s full rows under each of `regions` (screen coordinates)."""
    content = widget.content_region
    for region in regions:
        if region is None or not region:
            continue
        top = max(region.y, content.y)
        bottom = min(region.bottom, content.bottom)
        if bottom > top:
            widget.refresh(Region(0, top - content.y, content.width, bottom - top))
