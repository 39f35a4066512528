"""The layout budget: the essay's text gets its measure first, the panes what is left.

A reader reads the essay; the panes serve it. So the text column is given its measure
(72 cells unless the reader set another, 50–100), and a pane goes beside it only if the
text still gets at least `MIN_TEXT` cells (or its whole measure, if that is smaller).
Where the margin beside the text is wide enough, footnotes are set there as sidenotes
(Tufte's margin notes), and the Sources pane steps aside for them.

Each pane is `AUTO` (the budget decides), `SHOWN` (the reader asked for it: beside the
text if it fits, else over it) or `HIDDEN`. `z` (focus) shows the essay alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: The settings (in the store) that remember the measure and whether sidenotes are on.
MEASURE_SETTING = "measure"
SIDENOTES_SETTING = "sidenotes"
#: The text column, in cells: by default, and the range the reader may set.
MEASURE = 72
MEASURE_MIN = 50
MEASURE_MAX = 100
#: The narrowest text column beside a pane (the measure, if the reader set one narrower).
MIN_TEXT = 66
#: The essay view's frame: its border (2 cells) and scroll bar (1).
FRAME = 3
#: Cells kept clear on each side of the text inside the view.
GAP = 2
#: The outline's width: a fifth of the terminal, within these bounds.
OUTLINE_MIN, OUTLINE_MAX = 24, 40
#: The side pane's width, and its narrowest.
SIDE, SIDE_MIN = 46, 38
#: Sidenotes need at least this much margin, use at most this, and keep this from the text.
SIDENOTE_MIN, SIDENOTE_MAX, SIDENOTE_GAP = 30, 44, 3


class Want(StrEnum):
    """What the reader asked of a pane."""

    AUTO = "auto"
    SHOWN = "shown"
    HIDDEN = "hidden"


@dataclass(frozen=True, slots=True)
class Plan:
    """Where everything goes at one terminal width.

    Attributes:
        outline: the outline's width beside the essay, 0 when it is not beside it.
        side: the side pane's width beside the essay, 0 when it is not beside it.
        outline_over: the outline is shown over the essay (asked for, no room beside it).
        side_over: the side pane is shown over the essay.
        text: the text column's width.
        sidenotes: the sidenote column's width, 0 without sidenotes.
    """

    outline: int
    side: int
    outline_over: bool
    side_over: bool
    text: int
    sidenotes: int


@dataclass(frozen=True, slots=True)
class Wants:
    """What the reader asked of the layout.

    Attributes:
        outline: of the outline (o, 1).
        side: of the side pane (p, 3, 4, 5).
        focus: the essay alone (z).
        measure: the text column's width (+, -).
        sidenotes: footnotes in the margin where there is room.
    """

    outline: Want = Want.AUTO
    side: Want = Want.AUTO
    focus: bool = False
    measure: int = MEASURE
    sidenotes: bool = True


def outline_width(width: int) -> int:
    """The outline's width in a terminal `width` cells wide."""
    return max(OUTLINE_MIN, min(OUTLINE_MAX, width // 5))


def plan(
    width: int,
    measure: int = MEASURE,
    *,
    outline: Want = Want.AUTO,
    side: Want = Want.AUTO,
    sidenotes: bool = True,
    focus: bool = False,
) -> Plan:
    """The layout for a terminal `width` cells wide (see the module docstring)."""
    measure = max(MEASURE_MIN, min(MEASURE_MAX, measure))
    need = min(measure, MIN_TEXT)
    if focus:
        outline = Want.HIDDEN if outline is Want.AUTO else outline
        side = Want.HIDDEN if side is Want.AUTO else side
    outline_size = outline_width(width)
    # In order of preference: what goes beside the text, and whether sidenotes do.
    choices: list[tuple[bool, bool, bool]] = [
        (True, True, True),
        (True, False, True),
        (True, True, False),
        (False, True, False),
        (True, False, False),
        (False, False, True),
        (False, False, False),
    ]
    for with_outline, with_side, with_notes in choices:
        if with_outline and outline is Want.HIDDEN or not with_outline and outline is Want.SHOWN:
            continue
        if with_side and side is Want.HIDDEN or not with_side and side is Want.SHOWN:
            continue
        if with_notes and not sidenotes:
            continue
        room = width - FRAME - 2 * GAP
        room -= outline_size if with_outline else 0
        side_size = 0
        if with_side:
            # what the text's measure leaves, within the side pane's bounds
            side_size = max(SIDE_MIN, min(SIDE, room - measure))
            room -= side_size
        panes = with_outline or with_side
        if room < (need if panes else 1):
            continue
        text = min(measure, room)
        notes = 0
        if with_notes:
            notes = min(SIDENOTE_MAX, room - text - SIDENOTE_GAP)
            if notes < SIDENOTE_MIN:
                continue
        return Plan(
            outline_size if with_outline else 0,
            side_size,
            outline is Want.SHOWN and not with_outline,
            side is Want.SHOWN and not with_side,
            text,
            notes,
        )
    # Nothing fits beside the text: the essay alone, asked-for panes over it.
    text = max(10, min(measure, width - FRAME - 2 * GAP))
    return Plan(0, 0, outline is Want.SHOWN, side is Want.SHOWN, text, 0)
