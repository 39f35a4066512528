"""The peek: a small popup under the line with a footnote's source or a term's definition."""

from __future__ import annotations

from textual.widgets import Static


class Peek(Static):
    """Shows text near a place in the essay without moving anything."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__("", id=id, classes=classes, markup=False)
        self.can_focus = False
