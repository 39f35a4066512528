"""Where sidenotes go in the margin: plain Python, no Textual (the essay view draws them).

Each note starts on its reference's line, or below the note before it when that line is
taken; it runs until the next reference's line and is cut with "…" there (the peek and
Sources hold it whole). A note referenced again shows "↑" and its number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size

#: Far above any line: the first note's place is never taken.
_NOWHERE = -(1 << 30)


def lay_out_sidenotes(
    placed: Sequence[tuple[int, str]],
    lines_of: Callable[[str], list[str]],
    number_of: Callable[[str], str],
    *,
    top: int,
    height: int,
    width: int,
    selected: str | None,
) -> dict[int, tuple[str, bool]]:
    """The sidenotes on the rows of a window: row (from `top`) → (text, selected).

    Args:
        placed: `(line, label)` of each reference from above the window to its end, in
            order (a note whose reference just scrolled off keeps its place).
        lines_of: a label → its note wrapped to `width`.
        number_of: a label → its number as shown ("¹²").
        top: the first line of the window; height: how many lines it has.
        width: the sidenote column's width, in cells.
        selected: the label of the selected footnote, if any.
    """
    rows: dict[int, tuple[str, bool]] = {}
    free = _NOWHERE
    seen: set[str] = set()
    for position, (line, label) in enumerate(placed):
        begin = max(line, free)
        end = placed[position + 1][0] if position + 1 < len(placed) else begin + height
        end = max(end, begin + 1)
        lines = ["↑ " + number_of(label)] if label in seen else lines_of(label)
        seen.add(label)
        room = end - begin
        if len(lines) > room:
            lines = [*lines[: room - 1], clip(lines[room - 1], width)]
        for offset, text in enumerate(lines):
            row = begin + offset - top
            if 0 <= row < height:
                rows[row] = (text, label == selected)
        free = begin + len(lines)
    return rows


def clip(line: str, width: int) -> str:
    """`line` ending in "…" within `width` cells."""
    if cell_len(line) < width:
        return line.rstrip() + "…"
    return set_cell_size(line, width - 1) + "…"
