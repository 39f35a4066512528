"""The state of a list the parse is inside: ordered lists number their items."""

from __future__ import annotations

from essaytui.model.parse import parse_essay
from essaytui.model.parse.html_blocks import OpenList


def test_an_ordered_list_counts_from_its_start_with_its_delimiter() -> None:
    numbered = OpenList(True, 9, ")")
    assert [numbered.next_marker() for _ in range(3)] == ["9)", "10)", "11)"]
    bullets = OpenList(False)
    assert [bullets.next_marker() for _ in range(2)] == ["•", "•"]


def test_markdown_and_html_lists_are_numbered_alike() -> None:
    markdown = parse_essay("# T\n\n3. a\n4. b\n")
    html = parse_essay('# T\n\n<ol start="3"><li>a</li><li>b</li></ol>\n')
    assert [b.marker for b in markdown.blocks if b.marker] == ["3.", "4."]
    assert [b.marker for b in html.blocks if b.marker] == ["3.", "4."]
