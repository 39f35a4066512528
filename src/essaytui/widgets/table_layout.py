"""A TABLE block laid out as a grid for one column width, and drawn line by line.

The table's text stays where the model put it in the reading text (rows on lines
of their own, cells at known offsets), so search, highlights and selections work
in a table as anywhere else; only the geometry is the grid's. `lay_out_table`
sizes the columns by their content in cells (wide characters count two), wraps a
cell too long for its column inside it, and puts a light rule between columns and
under the header. Each screen line of the grid holds, per column, the slice of
the reading text shown there. A table that does not fit even with its columns at
their narrowest is cut at the column's edge with `CLIP_MARKER` (it is never drawn
past the text column: the sidenotes and margins are someone else's).

`table_segments` draws one line, given a function that styles a slice of text as
the rest of the essay is styled, so only the lines on screen are ever drawn.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from essaytui.model.essay import Align, Table

#: Between two columns: a light rule with a cell of air on either side.
COLUMN_RULE = " │ "
#: Under the header, where a column rule crosses it.
HEADER_RULE_CROSS = "─┼─"
#: The last cell of a line cut at the edge of the text column.
CLIP_MARKER = "›"
#: A column is never made narrower than this (or than its widest cell, if less).
MIN_COLUMN = 6

#: `wrap_text`'s signature: text, its offset, width, and the arrays to append to.
Wrap = Callable[[str, int, int, "array[int]", "array[int]"], None]
#: Styles the reading text `[start, end)` as segments.
Styler = Callable[[int, int], list[Segment]]


class GridLine(NamedTuple):
    """One screen line of a table: per column, the slice of text shown (or None),
    whether it is a header line, or the rule under the header. (A named tuple: one
    is made per table row of the essay at every width, and a tuple is made fastest.)"""

    cells: tuple[tuple[int, int] | None, ...]
    header: bool = False
    rule: bool = False


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A table laid out at one width.

    Attributes:
        widths: each column's width in cells.
        align: each column's alignment.
        lines: the grid's screen lines, top to bottom.
        starts: the first offset shown on each line (what `TextLayout` indexes).
        ends: the last offset shown on each line, exclusive.
        width: the cells the text column has for the table.
        clipped: whether the grid is wider than `width` (cut, with `CLIP_MARKER`).
        rows: the table row each line shows (-1 for the rule under the header).
    """

    widths: tuple[int, ...]
    align: tuple[Align, ...]
    lines: tuple[GridLine, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    width: int
    clipped: bool
    rows: tuple[int, ...]

    @property
    def natural_width(self) -> int:
        """The cells the grid takes, rules included."""
        return sum(self.widths) + len(COLUMN_RULE) * max(0, len(self.widths) - 1)

    def line_of(self, offset: int) -> int:
        """The grid line showing `offset`. A line's start is that of its leftmost
        piece, so bisecting the starts finds the row, not always the line: a piece of
        a wrapped row's second column may be on a line above the one found."""
        found = max(0, bisect.bisect_right(self.starts, offset) - 1)
        row = self.rows[found]
        if row < 0:
            return found
        first = found
        while first > 0 and self.rows[first - 1] == row:
            first -= 1
        line = first
        while line < len(self.lines) and self.rows[line] == row:
            for piece in self.lines[line].cells:
                if piece is not None and piece[0] <= offset < piece[1]:
                    return line
            line += 1
        return found

    def offset_at(self, text: str, line: int, x: int) -> int:
        """The offset under cell `x` of grid line `line` (its nearest cell's text:
        the rules and padding belong to the cell they stand beside)."""
        grid_line = self.lines[line]
        left = 0
        for column, width in enumerate(self.widths):
            piece = grid_line.cells[column] if column < len(grid_line.cells) else None
            right = left + width + len(COLUMN_RULE)
            if x < right or column == len(self.widths) - 1:
                if piece is None:
                    return self.starts[line]
                start, end = piece
                room = width - cell_len(text[start:end])
                cells = left + _space_before(self.align[column], room)
                for offset in range(start, end):
                    cells += cell_len(text[offset])
                    if x < cells:
                        return offset
                return end
            left = right
        return self.starts[line]


def lay_out_table(text: str, table: Table, width: int, wrap: Wrap) -> TableGrid:
    """`table` (its cells are offsets into `text`) as a grid `width` cells wide.

    Every table of the essay is laid out when the essay is wrapped (the layout must
    know how many lines each takes), so a row whose cells all fit, the usual case, is
    one line made at once; only a cell too long for its column is wrapped.
    """
    columns = max(len(table.align), max((len(row) for row in table.rows), default=0))
    align = tuple(table.align) + (Align.DEFAULT,) * (columns - len(table.align))
    natural, sizes = _cell_sizes(text, table, columns)
    widths, clipped = _column_widths(natural, max(1, width))
    lines: list[GridLine] = []
    rows: list[int] = []
    starts: list[int] = []
    ends: list[int] = []

    def rule(at: int) -> None:
        lines.append(GridLine((), rule=True))
        rows.append(-1)
        starts.append(at)
        ends.append(at)

    for number, row in enumerate(table.rows):
        first = row[0][0] if row else (ends[-1] if ends else 0)
        if number == table.header and number:
            rule(first)
        header = number < table.header
        row_sizes = sizes[number]
        if all(0 <= size <= widths[column] for column, size in enumerate(row_sizes)):
            lines.append(GridLine(row + (None,) * (columns - len(row)), header=header))
            rows.append(number)
            starts.append(first)
            ends.append(row[-1][1] if row else first)
            continue
        pieces = [_wrapped(text, row[column], widths[column], wrap) for column in range(len(row))]
        pieces.extend([] for _ in range(columns - len(pieces)))
        for index in range(max((len(cell) for cell in pieces), default=1)):
            cells = tuple(cell[index] if index < len(cell) else None for cell in pieces)
            shown = [piece for piece in cells if piece is not None]
            lines.append(GridLine(cells, header=header))
            rows.append(number)
            starts.append(min(piece[0] for piece in shown) if shown else first)
            ends.append(max(piece[1] for piece in shown) if shown else first)
    if table.header and table.header >= len(table.rows):
        rule(ends[-1] if ends else 0)
    return TableGrid(
        widths=tuple(widths),
        align=align,
        lines=tuple(lines),
        starts=tuple(starts),
        ends=tuple(ends),
        width=width,
        clipped=clipped,
        rows=tuple(rows),
    )


def _cell_sizes(text: str, table: Table, columns: int) -> tuple[list[int], list[list[int]]]:
    """Each column's natural width (its widest line), and each cell's width in cells
    (-1 for a cell of several lines, which is always wrapped)."""
    natural = [0] * columns
    sizes: list[list[int]] = []
    for row in table.rows:
        row_sizes = []
        for column, (start, end) in enumerate(row):
            cell = text[start:end]
            if "\n" in cell:
                size = max(cell_len(piece) for piece in cell.split("\n"))
                row_sizes.append(-1)
            else:
                size = len(cell) if cell.isascii() else cell_len(cell)
                row_sizes.append(size)
            if size > natural[column]:
                natural[column] = size
        sizes.append(row_sizes)
    return natural, sizes


def _column_widths(natural: list[int], width: int) -> tuple[list[int], bool]:
    """Each column's width: its widest cell when the table fits; else the widest
    columns are narrowed first (to a common cap) until it does, none below
    `MIN_COLUMN`. A table that cannot fit so keeps its columns' widths (up to half
    the text column each) and is cut. Also whether it is cut."""
    rules = len(COLUMN_RULE) * max(0, len(natural) - 1)
    budget = width - rules
    if sum(natural) <= budget:
        return list(natural), False
    least = [min(size, MIN_COLUMN) for size in natural]
    if sum(least) > budget:
        # cut anyway: better whole words up to the cut than every cell broken
        # into slivers ("charli|e"); a very long cell still wraps
        return [min(size, max(MIN_COLUMN, width // 2)) for size in natural], True
    if sum(least) == budget:
        return least, False

    def total(cap: int) -> int:
        return sum(max(low, min(size, cap)) for low, size in zip(least, natural, strict=True))

    low, high = 0, max(natural)
    while low < high:  # the largest cap whose table fits
        middle = (low + high + 1) // 2
        if total(middle) <= budget:
            low = middle
        else:
            high = middle - 1
    widths = [max(floor, min(size, low)) for floor, size in zip(least, natural, strict=True)]
    spare = budget - sum(widths)
    for column, size in enumerate(natural):
        if spare <= 0:
            break
        if size > widths[column]:
            widths[column] += 1
            spare -= 1
    return widths, False


def _wrapped(text: str, cell: tuple[int, int], width: int, wrap: Wrap) -> list[tuple[int, int]]:
    """The pieces of one cell, wrapped at `width` (a line break in it starts a line)."""
    start, end = cell
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    position = start
    for piece in text[start:end].split("\n"):
        wrap(piece, position, width, starts, ends)
        position += len(piece) + 1
    return list(zip(starts, ends, strict=True))


def table_segments(
    grid: TableGrid,
    line: int,
    styled: Styler,
    styles: tuple[Style, Style, Style],
) -> list[Segment]:
    """Grid line `line` drawn: each column's piece styled by `styled`, aligned in its
    column; `styles` are those of the space around cells, of the rules, and of the
    header (laid over its cells). Cut at the grid's width with `CLIP_MARKER` when
    the table is wider."""
    base, rule_style, header_style = styles
    grid_line = grid.lines[line]
    segments: list[Segment] = []
    if grid_line.rule:
        rule = HEADER_RULE_CROSS.join("─" * width for width in grid.widths)
        segments.append(Segment(rule, rule_style))
    else:
        for column, width in enumerate(grid.widths):
            if column:
                segments.append(Segment(COLUMN_RULE, rule_style))
            piece = grid_line.cells[column] if column < len(grid_line.cells) else None
            cell = styled(*piece) if piece is not None and piece[1] > piece[0] else []
            if grid_line.header:
                cell = list(Segment.apply_style(cell, post_style=header_style))
            room = max(0, width - sum(segment.cell_length for segment in cell))
            before = _space_before(grid.align[column], room)
            if before:
                segments.append(Segment(" " * before, base))
            segments.extend(cell)
            if room - before:
                segments.append(Segment(" " * (room - before), base))
    if grid.clipped:
        segments = Segment.adjust_line_length(segments, grid.width - 1)
        segments.append(Segment(CLIP_MARKER, rule_style))
    return segments


def _space_before(align: Align, room: int) -> int:
    if align is Align.RIGHT:
        return room
    if align is Align.CENTER:
        return room // 2
    return 0
