"""List items laid out: a marker wider than the list indent ("10.",
"1. ☐") widens its item's indent, so the text never runs past the column and every
line of an item starts under its first."""

from __future__ import annotations

from rich.cells import cell_len

from essaytui.model.parse import parse_essay
from essaytui.widgets.text_layout import LIST_INDENT, TextLayout, block_indent


def test_a_two_digit_marker_widens_its_items_indent() -> None:
    items = "".join(f"1. item {n} with words enough to wrap at a narrow width\n" for n in range(12))
    essay = parse_essay(items)
    layout = TextLayout(essay, 30)
    for index, block in enumerate(essay.blocks):
        indent = block_indent(block)
        assert indent == max(LIST_INDENT, len(block.marker) + 1)
        lines = [line for line in range(len(layout)) if layout.blocks[line] == index]
        for line in lines:
            shown = essay.reading_text[layout.starts[line] : layout.ends[line]]
            assert indent + cell_len(shown) <= 30


def test_a_numbered_task_keeps_number_and_box() -> None:
    essay = parse_essay("1. [x] done\n2. [ ] open\n")
    assert [block.marker for block in essay.blocks] == ["1. ☑", "2. ☐"]
    assert [block_indent(block) for block in essay.blocks] == [5, 5]
