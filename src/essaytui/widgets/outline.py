"""The outline: the essay's sections as a nested list; the current one follows the reading.

Drawn with the line API (`render_line` for the rows on screen), like the essay view: a
`Tree` widget built a node per section and laid itself out again on each, and it was one
of the costs of the first screen. It looks as the tree did: the same guides (`├ └ │`),
the same ▼/▶ before a section with subsections, the same cursor, hover and focus styles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from essaytui.model.essay import EMPTY_ESSAY, Essay, Section
from essaytui.widgets.lists import LIST_BINDINGS

#: Before a section with subsections, open and closed (the tree's own marks).
OPEN, CLOSED = "▼ ", "▶ "
#: Cells of indentation per level, and the guides drawn in them: (no line, a line going
#: on, the last child, a child with siblings after it).
INDENT = 2
SPACE, VERTICAL, LAST, CROSS = "  ", "│ ", "└ ", "├ "
#: What a pane with no sections shows.
NO_SECTIONS = "(no sections)"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the outline: a section, and how it hangs in the nesting."""

    section: Section
    #: The section's ancestors' indexes, outermost first, then its own.
    path: tuple[int, ...]
    #: Whether each section of `path` is the last of its siblings.
    lasts: tuple[bool, ...]
    #: Whether the section has subsections.
    has_children: bool

    @property
    def depth(self) -> int:
        """0 for a top-level section."""
        return len(self.path) - 1


def children_of(sections: tuple[Section, ...] | list[Section]) -> list[list[int]]:
    """For each section index, its subsections' indexes; the last entry holds the top level."""
    children: list[list[int]] = [[] for _ in range(len(sections) + 1)]
    for section in sections:
        children[section.parent if section.parent >= 0 else -1].append(section.index)
    return children


def visible_rows(sections: tuple[Section, ...] | list[Section], closed: set[int]) -> list[Row]:
    """The rows shown: every section whose ancestors are all open, in reading order."""
    children = children_of(sections)
    rows: list[Row] = []
    stack: list[tuple[int, tuple[int, ...], tuple[bool, ...]]] = []
    top = children[-1]
    for position in range(len(top) - 1, -1, -1):
        stack.append((top[position], (), ()))
    while stack:
        index, path, lasts = stack.pop()
        siblings = children[sections[index].parent if sections[index].parent >= 0 else -1]
        own_path, own_lasts = (*path, index), (*lasts, siblings[-1] == index)
        kids = children[index]
        rows.append(Row(sections[index], own_path, own_lasts, bool(kids)))
        if kids and index not in closed:
            for position in range(len(kids) - 1, -1, -1):
                stack.append((kids[position], own_path, own_lasts))
    return rows


class OutlinePane(ScrollView, can_focus=True):
    """The sections, nested. Enter or a click asks the reader to jump there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *LIST_BINDINGS,
        # the keys the Textual tree answered, kept (no ids: as before, not remappable)
        Binding("up", "cursor_up", "Cursor Up", show=False),
        Binding("down", "cursor_down", "Cursor Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("space", "toggle_node", "Toggle", show=False),
        Binding("shift+space", "toggle_expand_all", "Expand or collapse all", show=False),
        Binding("shift+left", "cursor_parent", "Cursor to parent", show=False),
        Binding("shift+right", "cursor_parent_next_sibling", "Cursor to next ancestor", show=False),
        Binding("shift+up", "cursor_previous_sibling", "Cursor to previous sibling", show=False),
        Binding("shift+down", "cursor_next_sibling", "Cursor to next sibling", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "outline--cursor",
        "outline--guides",
        "outline--guides-hover",
        "outline--guides-selected",
        "outline--highlight",
        "outline--highlight-line",
        "outline--label",
    }

    # The tree's own look (Textual's `Tree` DEFAULT_CSS), so the outline looks the same.
    DEFAULT_CSS = """
    OutlinePane {
        background: $surface;
        color: $foreground;
        & > .outline--label {}
        & > .outline--guides { color: $surface-lighten-2; }
        & > .outline--guides-hover { color: $surface-lighten-2; }
        & > .outline--guides-selected { color: $block-cursor-blurred-background; }
        & > .outline--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        & > .outline--highlight {}
        & > .outline--highlight-line { background: $block-hover-background; }
        &:focus {
            background-tint: $foreground 5%;
            & > .outline--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .outline--guides { color: $surface-lighten-3; }
            & > .outline--guides-hover { color: $surface-lighten-3; }
            & > .outline--guides-selected { color: $block-cursor-background; }
        }
        &:light {
            & > .outline--guides { color: $surface-darken-1; }
            & > .outline--guides-hover { color: $block-cursor-background; }
            & > .outline--guides-selected { color: $block-cursor-background; }
        }
    }
    """

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
    #: The row under the cursor, -1 for none.
    cursor_line: var[int] = var(-1, init=False)
    #: The row under the mouse, -1 for none.
    hover_line: var[int] = var(-1, init=False)

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.border_title = "Outline"
        #: Sections whose subsections are folded away (by index).
        self.closed: set[int] = set()
        self.rows: list[Row] = []
        #: The line of each section shown, by its index.
        self._lines: dict[int, int] = {}
        self.set_reactive(OutlinePane.essay, essay)
        self._build()

    # -- what is shown --------------------------------------------------------------------

    def watch_essay(self, old: Essay, essay: Essay) -> None:
        """Show `essay`'s sections; a section folded stays folded if it is still there (the
        complete parse of a long essay brings the same sections and more)."""
        before = old.sections
        self.closed = {
            index
            for index in self.closed
            if index < min(len(before), len(essay.sections))
            and essay.sections[index].title == before[index].title
        }
        self._build()

    def _build(self) -> None:
        cursor = self.cursor_section
        self.rows = visible_rows(self.essay.sections, self.closed)
        self._lines = {row.section.index: line for line, row in enumerate(self.rows)}
        self.virtual_size = Size(0, len(self.rows) or 1)
        line = -1 if cursor is None else self._line_of(cursor)
        self.set_reactive(OutlinePane.cursor_line, min(line, len(self.rows) - 1))
        self.refresh()

    @property
    def cursor_section(self) -> Section | None:
        """The section under the cursor."""
        line = self.cursor_line
        return self.rows[line].section if 0 <= line < len(self.rows) else None

    @property
    def last_line(self) -> int:
        """The last row's line."""
        return len(self.rows) - 1

    def _line_of(self, section: Section) -> int:
        """The row showing `section`, or that of its nearest ancestor shown (it is folded)."""
        sections = self.essay.sections
        index = section.index
        while index not in self._lines:
            if not 0 <= index < len(sections) or sections[index].parent < 0:
                return -1
            index = sections[index].parent
        return self._lines[index]

    def show_section(self, section: Section | None) -> None:
        """Highlight the section being read (or, folded away, its parent) without taking
        focus."""
        if section is None or section.index >= len(self.essay.sections):
            return
        line = self._line_of(section)
        if line >= 0 and line != self.cursor_line:
            self.move_to(line)

    def choose(self, section: Section) -> None:
        """Move to `section` and ask the reader to jump there, as enter does."""
        self.move_to(self._line_of(section))
        self.action_select_cursor()

    def move_to(self, line: int, animate: bool = False) -> None:
        """Put the cursor on `line` (kept within the rows) and bring it into view."""
        if not self.rows:
            return
        self.cursor_line = max(0, min(line, self.last_line))
        self.scroll_to_region(
            Region(0, self.cursor_line, max(1, self.size.width), 1),
            animate=animate,
            force=True,
            origin_visible=False,
            x_axis=False,
        )

    def watch_cursor_line(self) -> None:
        self.refresh()

    def watch_hover_line(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = y + self.scroll_offset.y
        width = self.size.width
        base = self.rich_style
        if not self.rows:
            if line:
                return Strip.blank(width, base)
            return Strip(Text(NO_SECTIONS, style=base).render(self.app.console)).extend_cell_length(
                width, base
            )
        if line >= len(self.rows):
            return Strip.blank(width, base)
        return self._draw(line, self.rows[line], width, base)

    def _draw(self, line: int, row: Row, width: int, base: Style) -> Strip:
        """One row: guides, the ▼/▶ mark, the title cut to fit, padded to `width`."""
        hovered = self._section_at(self.hover_line)
        cursor = self._section_at(self.cursor_line)
        path = row.path
        line_style = base
        if hovered is not None and hovered in path:
            line_style = self.get_component_rich_style("outline--highlight-line")
        line_style += Style(meta={"line": line})
        guides = self._guides(row, hovered, cursor)
        label_style = self.get_component_rich_style("outline--label", partial=True)
        if self.hover_line == line:
            label_style += self.get_component_rich_style("outline--highlight", partial=True)
        if self.cursor_line == line:
            label_style += self.get_component_rich_style("outline--cursor", partial=False)
        mark = (
            (OPEN if row.section.index not in self.closed else CLOSED) if row.has_children else ""
        )
        label = Text.assemble((mark, line_style + Style(meta={"toggle": True})))
        label.append(row.section.title, style=label_style)
        room = self.scrollable_content_region.width - row.depth * INDENT
        if room > 1 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        text = Text(style=line_style)
        for guide, style in guides:
            text.append(guide, style=style)
        text.append_text(label)
        # (Rich leaves a text with no spans of its own unstyled: its style goes under all)
        segments = list(Segment.apply_style(text.render(self.app.console), line_style))
        strip = Strip(segments, text.cell_len)
        return strip.extend_cell_length(width, line_style).crop(0, width)

    def _section_at(self, line: int) -> int | None:
        return self.rows[line].section.index if 0 <= line < len(self.rows) else None

    def _guides(self, row: Row, hovered: int | None, cursor: int | None) -> list[tuple[str, Style]]:
        """The guides before a row, styled as the tree styled them: under the hovered or the
        selected (focused cursor's) section, in their own colours."""
        if row.depth == 0:
            return []
        focused = self.has_focus
        plain = self.get_component_rich_style("outline--guides", partial=True)
        hover_style = plain + self.get_component_rich_style("outline--guides-hover", partial=True)
        selected_style = plain + self.get_component_rich_style(
            "outline--guides-selected", partial=True
        )
        path, lasts = row.path, row.lasts
        hover = path[0] == hovered
        selected = path[0] == cursor and focused
        style = plain
        guides: list[tuple[str, Style]] = []
        for position in range(1, len(path)):
            if hover:
                style = hover_style
            if selected:
                style = selected_style
            if position < len(path) - 1:
                guides.append((SPACE if lasts[position] else VERTICAL, style))
            hover = hover or path[position] == hovered
            selected = (selected or path[position] == cursor) and focused
        guides.append((LAST if lasts[-1] else CROSS, style))
        return guides

    # -- the keys -------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_to(self.last_line if self.cursor_line == -1 else self.cursor_line - 1)

    def action_cursor_down(self) -> None:
        self.move_to(0 if self.cursor_line == -1 else self.cursor_line + 1)

    def action_page_down(self) -> None:
        start = max(0, self.cursor_line)
        self.move_to(start + self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        start = self.last_line if self.cursor_line == -1 else self.cursor_line
        self.move_to(start - (self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.last_line)

    def action_select_cursor(self) -> None:
        """Jump to the section under the cursor (and, as the tree did, fold or unfold it)."""
        section = self.cursor_section
        if section is None:
            return
        self.post_message(self.SectionChosen(self, section))
        self._toggle(section.index)

    def action_toggle_node(self) -> None:
        section = self.cursor_section
        if section is not None:
            self._toggle(section.index)

    def action_toggle_expand_all(self) -> None:
        """Fold every sibling of the cursor's section, or unfold them all if all are folded."""
        section = self.cursor_section
        if section is None:
            return
        siblings = children_of(self.essay.sections)[section.parent if section.parent >= 0 else -1]
        parents = [index for index in siblings if self.has_subsections(index)]
        if all(index in self.closed for index in parents):
            self.closed.difference_update(parents)
        else:
            self.closed.update(parents)
        self._build()
        self.move_to(self._line_of(section))

    def has_subsections(self, index: int) -> bool:
        """Whether the section `index` has subsections."""
        return any(s.parent == index for s in self.essay.sections)

    def _toggle(self, index: int) -> None:
        if not self.has_subsections(index):
            return
        self.closed.symmetric_difference_update({index})
        self._build()

    def action_cursor_parent(self) -> None:
        section = self.cursor_section
        if section is not None and section.parent >= 0:
            self.move_to(self._line_of(self.essay.sections[section.parent]))

    def action_cursor_parent_next_sibling(self) -> None:
        section = self.cursor_section
        if section is not None and section.parent >= 0:
            self._to_sibling(self.essay.sections[section.parent], 1)

    def action_cursor_previous_sibling(self) -> None:
        section = self.cursor_section
        if section is not None and not self._to_sibling(section, -1) and section.parent >= 0:
            self.move_to(self._line_of(self.essay.sections[section.parent]))

    def action_cursor_next_sibling(self) -> None:
        section = self.cursor_section
        if section is not None and not self._to_sibling(section, 1) and section.parent >= 0:
            self._to_sibling(self.essay.sections[section.parent], 1)

    def _to_sibling(self, section: Section, step: int) -> bool:
        """Move to the sibling `step` away from `section`; whether there is one."""
        siblings = children_of(self.essay.sections)[section.parent if section.parent >= 0 else -1]
        position = siblings.index(section.index) + step
        if not 0 <= position < len(siblings):
            return False
        self.move_to(self._line_of(self.essay.sections[siblings[position]]))
        return True

    # -- the mouse ------------------------------------------------------------------------

    def _line_under(self, event: events.MouseEvent) -> int:
        spot = event.get_content_offset(self)
        if spot is None:
            return -1
        line = spot.y + self.scroll_offset.y
        return line if 0 <= line < len(self.rows) else -1

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hover_line = self._line_under(event)

    def on_leave(self, event: events.Leave) -> None:
        self.hover_line = -1

    def on_click(self, event: events.Click) -> None:
        """A click on ▼/▶ folds or unfolds; anywhere else on a row jumps there."""
        line = self._line_under(event)
        if line < 0:
            return
        event.stop()
        row = self.rows[line]
        spot = event.get_content_offset(self)
        mark_at = row.depth * INDENT
        if row.has_children and spot is not None and mark_at <= spot.x < mark_at + len(OPEN):
            self._toggle(row.section.index)
            return
        self.move_to(line)
        self.action_select_cursor()
