"""The jump list: where the reader was before each jump, to go back and forward again.

Like a browser's history or vim's jump list (ctrl+o / ctrl+i): a jump remembers the
place it leaves; `back` returns there and remembers the place it left, so `forward` can
return to it; a new jump after going back drops the places ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

from essaytui.sessions.targets import Target

#: How many places each direction remembers.
HISTORY_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Place:
    """Where the reader was: the offset at the top of the view, the selection, and the
    blank rows above the offset's line at the top (a view can stop on the gap between
    two blocks, and the gap has no offset of its own)."""

    top_offset: int
    target: Target | None = None
    gap: int = 0


class Navigator:
    """Places to go back and forward to."""

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self._back: list[Place] = []
        self._forward: list[Place] = []

    @property
    def can_go_back(self) -> bool:
        """Whether there is a place to go back to."""
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        """Whether there is a place to go forward to (after going back)."""
        return bool(self._forward)

    def remember(self, here: Place) -> None:
        """A jump leaves `here`: remember it (no two equal places in a row)."""
        self._forward.clear()
        if not self._back or self._back[-1] != here:
            self._back.append(here)
            del self._back[: -self.limit]

    def back(self, here: Place) -> Place | None:
        """The place before the last jump (`here` is kept for `forward`), or None."""
        if not self._back:
            return None
        place = self._back.pop()
        self._forward.append(here)
        del self._forward[: -self.limit]
        return place

    def forward(self, here: Place) -> Place | None:
        """The place `back` left (`here` is kept for `back`), or None."""
        if not self._forward:
            return None
        place = self._forward.pop()
        self._back.append(here)
        del self._back[: -self.limit]
        return place
