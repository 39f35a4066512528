"""Wrapping an essay's blocks into screen lines for one column width.

A line is a slice `[start, end)` of the reading text plus the block it belongs
to; blank lines between blocks have block -1. Lines live in compact arrays so a
4 MB essay wraps in a fraction of a second and costs a few MB.
"""

from __future__ import annotations

import bisect
from array import array

from rich.cells import cell_len, get_character_cell_size

from essaytui.model.essay import Block, BlockKind, Essay
from essaytui.widgets.table_layout import TableGrid, lay_out_table

#: Cells a block is indented per level of block quote ("▎ ").
QUOTE_INDENT = 2
#: Deeper nesting is drawn at this depth, so the text keeps its width.
MAX_SHOWN_DEPTH = 8
#: Cells a block is indented per level of list.
LIST_INDENT = 3


def marker_cells(block: Block) -> int:
    """Cells of a list block's innermost level: its marker and a space ("10. ",
    "1. ☐ "), at least `LIST_INDENT`, so every line of the block starts in line."""
    return max(LIST_INDENT, cell_len(block.marker) + 1) if block.marker else LIST_INDENT


def block_indent(block: Block) -> int:
    """Cells to the left of a block's text (quote bars, list markers)."""
    depth = min(block.list_depth, MAX_SHOWN_DEPTH)
    lists = (depth - 1) * LIST_INDENT + marker_cells(block) if depth else 0
    return min(block.quote_depth, MAX_SHOWN_DEPTH) * QUOTE_INDENT + lists


def wrap_text(text: str, base: int, width: int, starts: array[int], ends: array[int]) -> None:
    """Append the wrapped lines of `text` (no newlines) as offsets from `base`.

    Breaks after spaces; a word longer than the width is cut. Text with wide (CJK)
    characters is measured in cells and broken by the Unicode line-breaking rules
    (`line_break`): between ideographs, never before closing punctuation nor after
    opening punctuation.
    """
    width = max(1, width)
    length = len(text)
    if length == 0:
        starts.append(base)
        ends.append(base)
        return
    if cell_len(text) == length:
        _wrap_narrow(text, base, width, starts, ends)
    else:
        _wrap_wide(text, base, width, starts, ends)


def _wrap_narrow(text: str, base: int, width: int, starts: array[int], ends: array[int]) -> None:
    length = len(text)
    position = 0
    while position < length:
        if length - position <= width:
            starts.append(base + position)
            ends.append(base + length)
            return
        cut = text.rfind(" ", position, position + width + 1)
        if cut <= position:
            cut = position + width
            following = cut
        else:
            following = cut + 1
        starts.append(base + position)
        ends.append(base + cut)
        position = following
        while position < length and text[position] == " ":
            position += 1


def _wrap_wide(text: str, base: int, width: int, starts: array[int], ends: array[int]) -> None:
    # the line-breaking rules are needed (and their module imported) for wide text only
    from essaytui.widgets.line_break import line_end

    length = len(text)
    position = 0
    while position < length:
        cells = 0
        index = position
        while index < length:
            size = get_character_cell_size(text[index])
            if cells + size > width:
                break
            cells += size
            index += 1
        if index >= length:
            starts.append(base + position)
            ends.append(base + length)
            return
        # one character at least, even one wider than the line
        cut = line_end(text, position, max(index, position + 1))
        end = cut
        while end > position and text[end - 1] == " ":
            end -= 1
        starts.append(base + position)
        ends.append(base + max(end, position))
        position = cut
        while position < length and text[position] == " ":
            position += 1


def _wraps(grid: TableGrid) -> bool:
    """Whether a row of `grid` takes more than one line (a cell wrapped in its column)."""
    rows = [row for row in grid.rows if row >= 0]
    return len(set(rows)) < len(rows)


class TextLayout:
    """The essay wrapped at one width: parallel arrays of line start/end/block."""

    def __init__(self, essay: Essay, width: int, table_width: int = 0) -> None:
        self.essay = essay
        self.width = max(10, width)
        #: Cells a table too wide for the text column may take (the pane's width right
        #: of the column's start); 0: tables keep to the column.
        self.table_width = table_width
        self.starts: array[int] = array("q")
        self.ends: array[int] = array("q")
        self.blocks: array[int] = array("l")
        #: Index of each block's first line.
        self.block_first_line: array[int] = array("l")
        #: The grid of each TABLE block, by block index.
        self.tables: dict[int, TableGrid] = {}
        self._wrap_all()

    def _wrap_all(self) -> None:
        text = self.essay.reading_text
        starts, ends, blocks = self.starts, self.ends, self.blocks
        previous: Block | None = None
        for index, block in enumerate(self.essay.blocks):
            if previous is not None and previous.kind is BlockKind.CALLOUT:
                previous = None  # a callout's label heads its text: no blank line
            if previous is not None and not (
                block.list_depth
                and previous.list_depth
                and block.quote_depth == previous.quote_depth
            ):
                starts.append(block.start)
                ends.append(block.start)
                blocks.append(-1)
            self.block_first_line.append(len(starts))
            before = len(starts)
            available = self.width - block_indent(block)
            if block.kind is BlockKind.RULE:
                starts.append(block.start)
                ends.append(block.end)
            elif block.kind is BlockKind.TABLE and block.table is not None:
                grid = lay_out_table(text, block.table, available, wrap_text)
                wider = self.table_width - block_indent(block)
                if wider > available and (grid.clipped or _wraps(grid)):
                    # cut or wrapped in the column, while the pane has room beside it
                    grid = lay_out_table(text, block.table, wider, wrap_text)
                self.tables[index] = grid
                starts.extend(grid.starts)
                ends.extend(grid.ends)
            else:
                position = block.start
                for piece in text[block.start : block.end].split("\n"):
                    if block.kind is BlockKind.CODE or block.kind is BlockKind.MATH:
                        _hard_wrap(piece, position, available, starts, ends)
                    else:
                        wrap_text(piece, position, available, starts, ends)
                    position += len(piece) + 1
            blocks.extend([index] * (len(starts) - before))
            previous = block

    def __len__(self) -> int:
        return len(self.starts)

    def line_at(self, offset: int) -> int:
        """The line showing `offset` (the line before, for offsets between lines)."""
        if not self.starts:
            return 0
        line = bisect.bisect_right(self.starts, offset) - 1
        line = max(0, line)
        # Blank separator lines share their start with the next block's first line.
        while line + 1 < len(self.starts) and self.starts[line + 1] == offset:
            line += 1
        while line > 0 and self.blocks[line] == -1:
            line -= 1
        grid = self.tables.get(self.blocks[line]) if self.tables else None
        if grid is not None:  # a wrapped row's cells are side by side, not in order
            first = self.block_first_line[self.blocks[line]]
            line = first + grid.line_of(offset)
        return line

    def offset_of_line(self, line: int) -> int:
        """The reading-text offset shown first on `line` (for the top of the view)."""
        if not self.starts:
            return 0
        line = max(0, min(line, len(self.starts) - 1))
        return self.starts[line]


def _hard_wrap(text: str, base: int, width: int, starts: array[int], ends: array[int]) -> None:
    """Code keeps its spaces: cut at the width, counting cells."""
    width = max(1, width)
    if not text:
        starts.append(base)
        ends.append(base)
        return
    position = 0
    cells = 0
    line_start = 0
    for position, char in enumerate(text):
        size = get_character_cell_size(char)
        if cells + size > width and position > line_start:
            starts.append(base + line_start)
            ends.append(base + position)
            line_start = position
            cells = 0
        cells += size
    starts.append(base + line_start)
    ends.append(base + len(text))
