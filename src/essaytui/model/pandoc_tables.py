"""pandoc's tables other than pipe tables, as markdown-it rules: grid tables
(``+---+---+`` rows), simple tables (a header line over dashed columns) and
multiline tables (between two full lines of dashes, rows parted by blank lines).

Each becomes the tokens markdown-it's pipe tables make (``table_open`` … ``th_open``
with its alignment, an ``inline`` token per cell … ``table_close``), so they take the
one table layout of the reader. A cell that runs over several lines is one line of
text. A table without a header starts and ends with a column line: its rows are
multiline (parted by blank lines) when a blank line sits inside, else one a line.

Each rule reads each line once: a grid table ends at the first line that is not one
of its rows, and where an opening line led nowhere, the lines up to where the search
stopped are not tried again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

# A grid table's rule line: +---+---+ (=== under the header, ":" for alignment).
_GRID_RULE = re.compile(r"\+(?:[-=:]+\+)+[ ]*")
# A simple or multiline table's column line: groups of dashes parted by spaces.
_COLUMNS = re.compile(r"-{2,}(?:[ ]+-{2,})+[ ]*")
# A multiline table's opening and closing line: dashes only.
_DASHES = re.compile(r"-{3,}[ ]*")
_DASH_RUN = re.compile(r"-+")


def pandoc_tables_plugin(md: MarkdownIt) -> None:
    """Read grid, simple and multiline tables (before paragraphs and rules)."""
    md.block.ruler.before("table", "grid_table", _grid_table)
    md.block.ruler.before("hr", "multiline_table", _multiline_table)
    md.block.ruler.before("hr", "headerless_table", _headerless_table)
    md.block.ruler.before("table", "simple_table", _simple_table)


@dataclass(slots=True)
class _Grid:
    """Rows of cell texts, how many head the table, and the columns' alignments."""

    rows: list[list[str]]
    header: int
    align: list[str]


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _failed(state: StateBlock, name: str, start_line: int) -> bool:
    known: tuple[int, int] | None = state.env.get(name)
    return known is not None and known[0] <= start_line < known[1]


def _push_table(state: StateBlock, grid: _Grid, start_line: int, end_line: int) -> None:
    columns = max(len(row) for row in grid.rows)
    token = state.push("table_open", "table", 1)
    token.map = [start_line, end_line]
    for number, row in enumerate(grid.rows):
        head = number < grid.header
        if number == 0:
            state.push("thead_open" if head else "tbody_open", "", 1)
        elif number == grid.header:
            state.push("thead_close", "", -1)
            state.push("tbody_open", "", 1)
        state.push("tr_open", "tr", 1)
        for column in range(columns):
            cell = "th" if head else "td"
            opening = state.push(f"{cell}_open", cell, 1)
            align = grid.align[column] if column < len(grid.align) else ""
            if align:
                opening.attrs = {"style": f"text-align:{align}"}
            inline = state.push("inline", "", 0)
            inline.content = row[column] if column < len(row) else ""
            inline.map = [start_line, end_line]
            inline.children = []
            state.push(f"{cell}_close", cell, -1)
        state.push("tr_close", "tr", -1)
    state.push("thead_close" if grid.header >= len(grid.rows) else "tbody_close", "", -1)
    state.push("table_close", "table", -1)


# -- grid tables -------------------------------------------------------------------------


def _grid_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A grid table: rule lines ``+---+`` around rows of ``|``-parted cells."""
    if state.is_code_block(start_line) or _failed(state, "_essaytui_grid", start_line):
        return False
    first = _line_text(state, start_line)
    if not first.startswith("+") or _GRID_RULE.fullmatch(first) is None:
        return False
    bounds = [index for index, char in enumerate(first.rstrip()) if char == "+"]
    line = start_line + 1
    while line < end_line and _line_text(state, line)[:1] in ("+", "|"):
        if state.sCount[line] != state.sCount[start_line]:
            break
        line += 1
    grid = _grid_rows(state, start_line, line, bounds)
    if grid is None:
        state.env["_essaytui_grid"] = (start_line, line)
        return False
    if not silent:
        _push_table(state, grid, start_line, line)
        state.line = line
    return True


def _grid_rows(state: StateBlock, start: int, end: int, bounds: list[int]) -> _Grid | None:
    """The rows of the grid table on lines `start` to `end`, None when it has none."""
    rows: list[list[str]] = []
    pending: list[list[str]] | None = None
    header = 0
    align = _grid_align(_line_text(state, start), bounds)
    for line in range(start + 1, end):
        text = _line_text(state, line)
        if text.startswith("+"):
            if pending is not None:
                rows.append([" ".join(" ".join(part).split()) for part in pending])
                pending = None
            if "=" in text and not header:
                header = len(rows)
                align = _grid_align(text, bounds) or align
            continue
        if pending is None:
            pending = [[] for _ in bounds[:-1]]
        for column, (left, right) in enumerate(zip(bounds, bounds[1:], strict=False)):
            pending[column].append(text[left + 1 : right].strip(" |"))
    if pending is not None:
        rows.append([" ".join(" ".join(part).split()) for part in pending])
    return _Grid(rows, header, align) if rows else None


def _grid_align(rule: str, bounds: list[int]) -> list[str]:
    """The alignments a rule line's colons give its columns (``:--`` left, ``--:``
    right, ``:-:`` center)."""
    align: list[str] = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        segment = rule[left + 1 : right]
        starts, ends = segment.startswith(":"), segment.endswith(":")
        align.append("center" if starts and ends else "left" if starts else "right" if ends else "")
    return align if any(align) else []


# -- simple and multiline tables ---------------------------------------------------------


def _columns(text: str) -> list[tuple[int, int]]:
    """The `(start, end)` of each run of dashes of a column line."""
    return [(match.start(), match.end()) for match in _DASH_RUN.finditer(text)]


def _cells(text: str, columns: list[tuple[int, int]]) -> list[str]:
    """A row's cells: from each column's start to the next column's (the first from the
    start of the line, the last to its end: text may stick out of its dashes)."""
    starts = [0, *(start for start, _ in columns[1:])]
    ends = [*starts[1:], len(text)]
    return [text[start:end].strip() for start, end in zip(starts, ends, strict=True)]


def _aligned(line: str, columns: list[tuple[int, int]]) -> list[str]:
    """Alignment from where the header's text sits over its dashes: flush right is
    right, flush left left, neither centred, both the default (pandoc's rule)."""
    align: list[str] = []
    for start, end in columns:
        segment = line[start:end].ljust(end - start)
        left, right = segment[:1] != " ", segment[-1:] != " "
        if not segment.strip() or (left and right):
            align.append("")
        else:
            align.append("left" if left else "right" if right else "center")
    return align


def _padded(state: StateBlock, line: int) -> str:
    """A line with its indentation (columns are found by position)."""
    text = state.src[state.bMarks[line] : state.eMarks[line]]
    return text[state.blkIndent :] if state.blkIndent else text


def _simple_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A simple table: a header line over a column line, rows to the next blank line."""
    if state.is_code_block(start_line) or start_line + 1 >= end_line:
        return False
    if state.isEmpty(start_line) or state.is_code_block(start_line + 1):
        return False
    rule = _padded(state, start_line + 1)
    if _COLUMNS.fullmatch(rule.strip(" ")) is None:
        return False
    if silent:
        return True
    columns = _columns(rule)
    head = _padded(state, start_line)
    rows = [_cells(head, columns)]
    align = _aligned(head, columns)
    line = start_line + 2
    while line < end_line and not state.isEmpty(line):
        text = _padded(state, line)
        if _COLUMNS.fullmatch(text.strip(" ")) is not None:
            line += 1  # a closing column line
            break
        rows.append(_cells(text, columns))
        line += 1
    _push_table(state, _Grid(rows, 1, align), start_line, line)
    state.line = line
    return True


def _multiline_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A multiline table: a line of dashes, header lines, a column line, rows parted by
    blank lines, a closing line of dashes."""
    if state.is_code_block(start_line) or _failed(state, "_essaytui_multiline", start_line):
        return False
    if _DASHES.fullmatch(_padded(state, start_line)) is None:
        return False
    line = start_line + 1
    while line < end_line and not state.isEmpty(line):
        if _COLUMNS.fullmatch(_padded(state, line).strip(" ")) is not None:
            break
        line += 1
    if line >= end_line or state.isEmpty(line) or line == start_line + 1:
        state.env["_essaytui_multiline"] = (start_line, line)
        return False
    if silent:
        return True
    columns = _columns(_padded(state, line))
    header_lines = [_padded(state, at) for at in range(start_line + 1, line)]
    header = _joined([_cells(text, columns) for text in header_lines])
    align = _aligned(header_lines[0], columns)
    rows = [header]
    block: list[list[str]] = []
    line += 1
    while line < end_line:
        text = _padded(state, line)
        if _DASHES.fullmatch(text) is not None:
            line += 1
            break
        if state.isEmpty(line):
            if block:
                rows.append(_joined(block))
                block = []
        else:
            block.append(_cells(text, columns))
        line += 1
    if block:
        rows.append(_joined(block))
    _push_table(state, _Grid(rows, 1, align), start_line, line)
    state.line = line
    return True


def _headerless_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A simple or multiline table without a header: a column line, rows, a closing
    column line; alignment from where the first row's text sits (pandoc's rule)."""
    if state.is_code_block(start_line) or _failed(state, "_essaytui_headerless", start_line):
        return False
    if _COLUMNS.fullmatch(_padded(state, start_line).strip(" ")) is None:
        return False
    close = _headerless_end(state, start_line, end_line)
    if close is None:
        return False
    if silent:
        return True
    columns = _columns(_padded(state, start_line))
    lines = [
        None if state.isEmpty(at) else _padded(state, at) for at in range(start_line + 1, close)
    ]
    first = lines[0]
    assert first is not None  # _headerless_end wants a row right under the column line
    if None in lines:  # multiline: rows parted by blank lines
        rows: list[list[str]] = []
        block: list[list[str]] = []
        for text in [*lines, None]:
            if text is not None:
                block.append(_cells(text, columns))
            elif block:
                rows.append(_joined(block))
                block = []
    else:
        rows = [_cells(text, columns) for text in lines if text is not None]
    _push_table(state, _Grid(rows, 0, _aligned(first, columns)), start_line, close + 1)
    state.line = close + 1
    return True


def _headerless_end(state: StateBlock, start_line: int, end_line: int) -> int | None:
    """The closing line of a headerless table opened at `start_line`, None when there is
    none (two blank lines in a row, or the end, come first: then the lines looked at are
    not tried again)."""
    line = start_line + 1
    if line >= end_line or state.isEmpty(line):
        return None
    while line < end_line:
        if state.isEmpty(line):
            if line + 1 >= end_line or state.isEmpty(line + 1):
                break
        else:
            text = _padded(state, line).strip(" ")
            if _COLUMNS.fullmatch(text) is not None or _DASHES.fullmatch(text) is not None:
                return line
        line += 1
    state.env["_essaytui_headerless"] = (start_line, line)
    return None


def _joined(lines: list[list[str]]) -> list[str]:
    """The cells of several lines of one row, each cell's lines joined by spaces."""
    width = max(len(cells) for cells in lines)
    return [
        " ".join(cells[column] for cells in lines if column < len(cells) and cells[column])
        for column in range(width)
    ]
