"""Tables laid out as grids: columns sized by content in cells,
long cells wrapped inside their column, alignment, a rule under the header, a cut
with › when even the narrowest columns do not fit, and offsets that map back to the
right screen line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from essaytui.model.essay import Block, BlockKind, Essay
from essaytui.model.files import load_essay
from essaytui.model.parse import parse_essay
from essaytui.widgets.table_layout import (
    CLIP_MARKER,
    COLUMN_RULE,
    MIN_COLUMN,
    TableGrid,
    lay_out_table,
    table_segments,
)
from essaytui.widgets.text_layout import TextLayout, wrap_text

CONSTRUCTS = Path(__file__).parent.parent / "data" / "constructs"
STYLES = (Style(), Style(dim=True), Style(bold=True))


def table_of(essay: Essay, number: int = 0) -> Block:
    return [block for block in essay.blocks if block.kind is BlockKind.TABLE][number]


def grid_of(source: str, width: int, number: int = 0) -> tuple[Essay, TableGrid]:
    essay = parse_essay(source)
    block = table_of(essay, number)
    assert block.table is not None
    return essay, lay_out_table(essay.reading_text, block.table, width, wrap_text)


def drawn(grid: TableGrid, essay: Essay) -> list[str]:
    text = essay.reading_text

    def plain(start: int, end: int) -> list[Segment]:
        return [Segment(text[start:end])]

    return [
        "".join(segment.text for segment in table_segments(grid, line, plain, STYLES))
        for line in range(len(grid.lines))
    ]


def test_columns_are_as_wide_as_their_widest_cell() -> None:
    essay, grid = grid_of("| Year | Trade |\n|---|---|\n| 2014 | $88bn $95bn |\n", 60)
    assert grid.widths == (4, 11)
    assert not grid.clipped
    assert drawn(grid, essay) == [
        "Year │ Trade      ",
        "─────┼────────────",
        "2014 │ $88bn $95bn",
    ]


def test_wide_characters_count_two_cells() -> None:
    essay = load_essay(CONSTRUCTS / "tables.md")
    block = table_of(essay, 2)
    assert block.table is not None
    grid = lay_out_table(essay.reading_text, block.table, 72, wrap_text)
    assert grid.widths == (6, 6, 8)  # 日本語, 列挙型, 整数常量
    lines = drawn(grid, essay)
    assert {cell_len(line) for line in lines} == {grid.natural_width}


def test_alignment_is_honoured() -> None:
    essay, grid = grid_of(
        "| Left | Centre | Right |\n|:--|:-:|--:|\n| a | b | c |\n",
        60,
    )
    assert drawn(grid, essay)[2] == "a    │   b    │     c"


def test_a_long_cell_wraps_inside_its_column() -> None:
    long = "every crate that relies on the layout keeps a test of its own " * 2
    essay, grid = grid_of(f"| Option | Cost |\n|---|---|\n| Nothing | {long} |\n", 40)
    lines = drawn(grid, essay)
    assert all(cell_len(line) <= 40 for line in lines)
    assert len(lines) > 4  # the row takes several lines
    assert all(line.startswith("        │ ") for line in lines[3:])  # column 1 blank
    # every word of the cell is shown once, in order
    shown = " ".join(line.split("│", 1)[1].strip() for line in lines[2:])
    assert shown == long.strip()


def test_a_table_that_cannot_fit_is_cut_with_a_marker() -> None:
    header = "|" + "|".join(f" column{n} " for n in range(12)) + "|"
    rule = "|" + "---|" * 12
    essay, grid = grid_of(f"{header}\n{rule}\n{header}\n", 60)
    assert grid.clipped
    assert all(width >= MIN_COLUMN for width in grid.widths)
    lines = drawn(grid, essay)
    assert all(cell_len(line) == 60 and line.endswith(CLIP_MARKER) for line in lines)


def test_narrowing_takes_from_the_widest_columns_first() -> None:
    essay, grid = grid_of(
        "| a | b |\n|---|---|\n| short | " + "long words " * 10 + "|\n",
        40,
    )
    assert grid.widths[0] == len("short")
    assert grid.natural_width == 40
    assert COLUMN_RULE in drawn(grid, essay)[0]


def test_an_offset_in_a_wrapped_row_maps_to_the_line_that_shows_it() -> None:
    source = "| a | b |\n|---|---|\n| one two three four five six | x |\n\nAfter.\n"
    essay = parse_essay(source)
    layout = TextLayout(essay, 20)
    text = essay.reading_text
    for word in ("one", "four", "six", "x", "After"):
        offset = text.index(word)
        line = layout.line_at(offset)
        block = layout.blocks[line]
        if block in layout.tables:
            grid = layout.tables[block]
            cells = grid.lines[line - layout.block_first_line[block]].cells
            assert any(c is not None and c[0] <= offset < c[1] for c in cells), word
        else:
            assert layout.starts[line] <= offset < layout.ends[line]


def test_line_starts_stay_in_order_for_the_layout() -> None:
    essay = load_essay(CONSTRUCTS / "tables.md")
    for width in (20, 40, 72, 120):
        layout = TextLayout(essay, width)
        assert list(layout.starts) == sorted(layout.starts)
        assert layout.tables  # every table has its grid


def test_a_cell_on_screen_gives_back_the_offset_under_it() -> None:
    essay, grid = grid_of("| Left | Right |\n|:--|--:|\n| ab | 日本 |\n", 60)
    text = essay.reading_text
    # "Left │ Right" over "ab   │  日本": a, b at cells 0, 1; 日 at 8-9, 本 at 10-11
    assert [text[grid.offset_at(text, 2, x)] for x in (0, 1)] == ["a", "b"]
    assert [text[grid.offset_at(text, 2, x)] for x in (8, 9, 10, 11)] == ["日", "日", "本", "本"]
    assert grid.offset_at(text, 2, 3) == text.index("ab") + 2  # padding: the cell's end
    assert grid.offset_at(text, 2, 30) == len(text)  # past the last cell: its end


_CELL = st.text(alphabet="ab 日本-", min_size=0, max_size=30).map(lambda s: " ".join(s.split()))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(_CELL, min_size=1, max_size=6), min_size=1, max_size=6),
    st.integers(min_value=10, max_value=90),
)
def test_any_table_fits_its_width_and_shows_every_cell_once(
    rows: list[list[str]], width: int
) -> None:
    columns = max(len(row) for row in rows)
    lines = ["| " + " | ".join(row + [""] * (columns - len(row))) + " |" for row in rows]
    source = "\n".join([lines[0], "|" + "---|" * columns, *lines[1:]]) + "\n"
    essay = parse_essay(source)
    tables = [block for block in essay.blocks if block.kind is BlockKind.TABLE]
    if not tables:
        return  # every cell empty: nothing to show
    block = tables[0]
    assert block.table is not None
    grid = lay_out_table(essay.reading_text, block.table, width, wrap_text)
    drawn_lines = drawn(grid, essay)
    for line in drawn_lines:
        assert cell_len(line) == (width if grid.clipped else grid.natural_width)
    if not grid.clipped:
        assert grid.natural_width <= width
        # each cell's words appear, in order, in its column
        text = essay.reading_text
        for row_number, row in enumerate(block.table.rows):
            for column, (start, end) in enumerate(row):
                pieces = [
                    text[piece[0] : piece[1]]
                    for line, number in zip(grid.lines, grid.rows, strict=True)
                    if number == row_number
                    and column < len(line.cells)
                    and (piece := line.cells[column]) is not None
                ]
                assert "".join(pieces).replace(" ", "") == text[start:end].replace(" ", "")
