"""The peek: a small box near a reference with a footnote's source or a term's definition.

It sits just below the line it belongs to, or just above it when there is no room
below, and never covers that line, the status line or the key hints (it stays inside
the essay's text area). A text too long for the room is cut with a line saying how to
read all of it.
"""

from __future__ import annotations

from array import array

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from essaytui.widgets.overlay import repaint_rows
from essaytui.widgets.text_layout import wrap_text

#: The widest a peek gets, in cells (border and padding included).
PEEK_WIDTH = 70
#: The narrowest a peek gets.
PEEK_MIN_WIDTH = 20
#: The tallest a peek gets, in lines (border included).
PEEK_MAX_HEIGHT = 12
#: Cells of border and padding left and right.
_FRAME_WIDTH = 4
#: Lines of border top and bottom.
_FRAME_HEIGHT = 2


class Peek(Static):
    """Shows text near a place in the essay without moving anything."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__("", id=id, classes=classes, markup=False)
        self.can_focus = False
        #: The text shown, and whether it was cut to fit.
        self.shown = ""
        self.cut = False
        #: Where the peek is on the screen, None while hidden.
        self.placed: Region | None = None
        #: The widget the peek lies over: its rows are repainted when the peek moves.
        self.beneath: Widget | None = None

    def lie_over(self, widget: Widget) -> None:
        """The peek lies over `widget`: its rows are repainted when the peek moves."""
        self.beneath = widget

    def show_near(
        self,
        text: str,
        area: Region,
        row: int,
        *,
        more: str = "",
        column: tuple[int, int] | None = None,
    ) -> None:
        """Show `text` next to line `row` of `area` (the essay's text, on the screen).

        Args:
            text: what to show (plain text).
            area: where the peek may go: the essay's text region in screen cells.
            row: the line it belongs to, counted from the top of `area`.
            more: the last line when `text` had to be cut ("enter: the whole note").
            column: the text column as (first cell, width) on the screen: the peek then
                covers it and one cell either side, so no letter behind shows past it.
        """
        if column is not None:
            left = max(area.x, column[0] - 1)
            right = min(area.right, column[0] + column[1] + 1)
            x, width = left, max(min(PEEK_MIN_WIDTH, area.width), right - left)
        else:
            width = min(PEEK_WIDTH, max(PEEK_MIN_WIDTH, area.width - 4))
            x = area.x + max(0, (area.width - width) // 2)
        lines = self._wrap(text, width - _FRAME_WIDTH)
        below = area.height - row - 1  # lines under the reference's own line
        above = row
        wanted = min(PEEK_MAX_HEIGHT, len(lines) + _FRAME_HEIGHT)
        if wanted <= below or below >= above:
            room, y = below, area.y + row + 1
        else:
            room, y = above, area.y + row - min(wanted, above)
        height = min(wanted, room)
        if height < _FRAME_HEIGHT + 1:
            self.hide()
            return
        inner = height - _FRAME_HEIGHT
        self.cut = len(lines) > inner
        # the lines as wrapped here, by the essay's own rules (CJK punctuation included)
        shown = [*lines[: max(0, inner - 1)], more or "…"] if self.cut else lines
        self.shown = "\n".join(shown)
        self.styles.width = width
        self.styles.height = height
        self.update(self.shown)
        self.styles.offset = (x, y)
        self._moved_to(Region(x, y, width, height))
        self.remove_class("-hidden")

    def hide(self) -> None:
        """Take the peek away."""
        self.add_class("-hidden")
        self._moved_to(None)

    def _moved_to(self, placed: Region | None) -> None:
        before, self.placed = self.placed, placed
        if placed != before and self.beneath is not None:
            # wide characters cut by its old and new edges are drawn whole again
            repaint_rows(self.beneath, before, placed)

    def _wrap(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            starts: array[int] = array("q")
            ends: array[int] = array("q")
            wrap_text(paragraph, 0, max(1, width), starts, ends)
            lines.extend(paragraph[start:end] for start, end in zip(starts, ends, strict=True))
        return lines or [""]
