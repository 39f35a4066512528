"""The outline: the essay's sections as a tree; the current one follows the reading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import var
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from essaytui.model.essay import EMPTY_ESSAY, Essay, Section
from essaytui.widgets.lists import LIST_BINDINGS


class OutlinePane(Tree[Section]):
    """A tree of sections. Enter or a click asks the reader to jump there."""

    BINDINGS: ClassVar[list[BindingType]] = LIST_BINDINGS

    @dataclass
    class SectionChosen(Message):
        """The reader chose a section to jump to."""

        pane: OutlinePane
        section: Section

        @property
        def control(self) -> OutlinePane:
            return self.pane

    #: The essay whose sections are shown (bound to the reader's).
    essay: var[Essay] = var(EMPTY_ESSAY, always_update=True, init=False)

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__("Outline", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.border_title = "Outline"
        self._section_nodes: list[TreeNode[Section]] = []
        self.set_reactive(OutlinePane.essay, essay)
        self.watch_essay(essay)

    def action_first(self) -> None:
        self.action_scroll_home()

    def action_last(self) -> None:
        self.action_scroll_end()

    def render_label(self, node: TreeNode[Section], base_style: Style, style: Style) -> Text:
        """The label, cut to the pane's width with an ellipsis (no sideways scrolling)."""
        label = super().render_label(node, base_style, style)
        depth = 0
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth += 1
            parent = parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth
        if room > 1 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label

    def watch_essay(self, essay: Essay) -> None:
        """Rebuild the tree for `essay`."""
        self.clear()
        self._section_nodes = []
        nodes = self._section_nodes
        for section in essay.sections:
            parent = nodes[section.parent] if section.parent >= 0 else self.root
            node = parent.add(Text(section.title), data=section, expand=True, allow_expand=False)
            nodes.append(node)
        for node in nodes:
            if node.children:
                node.allow_expand = True
        if not nodes:
            self.root.add_leaf("(no sections)")

    def show_section(self, section: Section | None) -> None:
        """Highlight the section being read without taking focus."""
        if section is None or section.index >= len(self._section_nodes):
            return
        node = self._section_nodes[section.index]
        if self.cursor_node is not node:
            self.move_cursor(node)

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected[Section]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.SectionChosen(self, event.node.data))
