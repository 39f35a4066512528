"""The essay, drawn with Textual's line API: only visible lines are rendered.

Everything is addressed by offsets into the essay's reading text. The view
keeps a `TextLayout` per width; rendering a line intersects its offset range
with the span lists (bisect), so a 4 MB essay scrolls like a 9 KB one.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from essaytui.model.essay import Block, BlockKind, Essay, SpanKind, word_starts
from essaytui.widgets.text_layout import LIST_INDENT, MAX_SHOWN_DEPTH, QUOTE_INDENT, TextLayout

#: The widest text column, in cells: a comfortable measure.
MAX_COLUMN = 80

ItemKind = Literal["footnote", "term", "link", "match"]


@dataclass(frozen=True, slots=True)
class Item:
    """Something in the text the reader selected: a footnote reference, term or link."""

    kind: ItemKind
    start: int
    end: int
    data: str


@dataclass(frozen=True, slots=True)
class Mark:
    """A user's annotation as drawn: `kind` is highlight, note or bookmark."""

    start: int
    end: int
    kind: str
    fuzzy: bool = False
    color: str = "yellow"


def _binding(
    key: str, action: str, description: str, *, show: bool = False, binding_id: str = ""
) -> Binding:
    return Binding(key, action, description, show=show, id=binding_id or f"essay.{action}")


class EssayView(ScrollView, can_focus=True):
    """The reading column."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("j,down", "line_down", "Line down"),
        _binding("k,up", "line_up", "Line up"),
        _binding("space,pagedown", "page_down", "Page down"),
        _binding("b,pageup", "page_up", "Page up"),
        _binding("d", "half_page(1)", "Half page down", binding_id="essay.half_down"),
        _binding("u", "half_page(-1)", "Half page up", binding_id="essay.half_up"),
        _binding("g,home", "top", "Top"),
        _binding("G,end", "bottom", "Bottom"),
        _binding(
            "right_square_bracket",
            "section(1)",
            "Next section",
            binding_id="essay.next_section",
        ),
        _binding(
            "left_square_bracket",
            "section(-1)",
            "Previous section",
            binding_id="essay.previous_section",
        ),
        _binding("f", "footnote(1)", "Footnote", show=True, binding_id="essay.next_footnote"),
        _binding("F", "footnote(-1)", "Previous footnote", binding_id="essay.previous_footnote"),
        _binding("t", "term(1)", "Term", show=True, binding_id="essay.next_term"),
        _binding("T", "term(-1)", "Previous term", binding_id="essay.previous_term"),
        _binding("enter", "follow", "Follow", show=True),
        _binding("escape", "clear", "Clear selection"),
        _binding("v", "select", "Select text", binding_id="essay.select"),
        # While selecting, these move the selection's end.
        _binding("w", "extend('word', 1)", "Word forward", binding_id="essay.extend_word"),
        _binding("b", "extend('word', -1)", "Word back", binding_id="essay.extend_word_back"),
        _binding(
            "right_parenthesis",
            "extend('sentence', 1)",
            "Sentence forward",
            binding_id="essay.extend_sentence",
        ),
        _binding(
            "left_parenthesis",
            "extend('sentence', -1)",
            "Sentence back",
            binding_id="essay.extend_sentence_back",
        ),
        _binding(
            "right_curly_bracket",
            "extend('paragraph', 1)",
            "Paragraph forward",
            binding_id="essay.extend_paragraph",
        ),
        _binding(
            "left_curly_bracket",
            "extend('paragraph', -1)",
            "Paragraph back",
            binding_id="essay.extend_paragraph_back",
        ),
        _binding("right", "extend('char', 1)", "Character forward", binding_id="essay.extend_char"),
        _binding(
            "left", "extend('char', -1)", "Character back", binding_id="essay.extend_char_back"
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "essay--text",
        "essay--heading1",
        "essay--heading2",
        "essay--heading3",
        "essay--code",
        "essay--link",
        "essay--footnote",
        "essay--footnote-missing",
        "essay--term",
        "essay--match",
        "essay--match-current",
        "essay--highlight",
        "essay--note",
        "essay--fuzzy",
        "essay--selection",
        "essay--item",
        "essay--quote-bar",
        "essay--rule",
        "essay--meta",
    }

    DEFAULT_CSS = """
    EssayView { background: $surface; }
    """

    # -- messages -----------------------------------------------------------

    class _ViewMessage(Message):
        """A message from the essay view (its `control`)."""

        def __init__(self, view: EssayView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> EssayView:
            return self.view

    class ItemSelected(_ViewMessage):
        """The selected footnote reference / term / link changed (None: cleared)."""

        def __init__(self, view: EssayView, item: Item | None) -> None:
            super().__init__(view)
            self.item = item

    class ItemFollowed(_ViewMessage):
        """The reader pressed enter on (or clicked) a footnote reference, term or link."""

        def __init__(self, view: EssayView, item: Item) -> None:
            super().__init__(view)
            self.item = item

    class Moved(_ViewMessage):
        """The offset at the top of the view changed."""

        def __init__(self, view: EssayView, top_offset: int) -> None:
            super().__init__(view)
            self.top_offset = top_offset

    class Notice(_ViewMessage):
        """Something to tell the reader in the status line."""

        def __init__(self, view: EssayView, text: str) -> None:
            super().__init__(view)
            self.text = text

    # -- state ----------------------------------------------------------------

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.essay = essay
        self._layout: TextLayout | None = None
        self._styles: dict[str, Style] = {}
        self._style_cache: dict[tuple[str, frozenset[str]], Style] = {}
        #: True once a line of essay text has been rendered (the benchmark waits on it).
        self.painted = False
        self.item: Item | None = None
        #: The text selection as (anchor, cursor) while selecting.
        self.selection: tuple[int, int] | None = None
        self.show_all_terms = False
        self._visible_terms: list[tuple[int, int, str]] = []
        self._visible_term_starts: list[int] = []
        self.matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self.current_match = -1
        self._marks: list[Mark] = []
        self._mark_starts: list[int] = []
        self._longest_mark = 0
        self._last_top = -1
        #: The exact reading-text offset at the top of the view; survives rewrapping.
        self._top_anchor = 0
        self._mouse_anchor: int | None = None
        self._compute_visible_terms()

    # -- essay and layout -------------------------------------------------------

    def set_essay(self, essay: Essay) -> None:
        """Show another version of the essay (e.g. the complete parse), keeping the place."""
        self.essay = essay
        self._layout = None
        self._compute_visible_terms()
        self._style_cache.clear()
        self._sync_layout()

    @property
    def column_width(self) -> int:
        """Cells in the text column."""
        return max(10, min(MAX_COLUMN, self.scrollable_content_region.width - 2))

    @property
    def layout_lines(self) -> TextLayout:
        """The layout at the current width; a new width rewraps and keeps the top offset."""
        width = max(10, self.column_width)
        if self._layout is None or self._layout.width != width:
            self._layout = TextLayout(self.essay, width)
            self.virtual_size = Size(self.scrollable_content_region.width, len(self._layout))
            line = self._layout.line_at(self._top_anchor)
            # Silently: this may run while rendering, and the place has not changed.
            self.set_reactive(EssayView.scroll_y, float(line))
            self.set_reactive(EssayView.scroll_target_y, float(line))
            self.refresh()
        return self._layout

    def _layout_is_current(self) -> bool:
        return self._layout is not None and self._layout.width == max(10, self.column_width)

    def _sync_layout(self) -> None:
        self.layout_lines  # noqa: B018 - rewraps if the width changed
        self._refresh_all()
        self._announce_top()

    def on_resize(self, event: events.Resize) -> None:
        self._sync_layout()

    def on_mount(self) -> None:
        self._sync_layout()

    @property
    def top_offset(self) -> int:
        """The reading-text offset at the top of the view (exact, across resizes)."""
        return self._top_anchor

    @property
    def bottom_offset(self) -> int:
        """The reading-text offset at the end of the last visible line."""
        layout = self.layout_lines
        if not len(layout):
            return 0
        last = min(
            len(layout) - 1, round(self.scroll_y) + self.scrollable_content_region.height - 1
        )
        return layout.ends[last]

    def scroll_to_offset(self, offset: int, *, top: bool = True, margin: int = 2) -> None:
        """Bring `offset` into view: at the top (`top=True`) or only if it is off screen."""
        layout = self.layout_lines
        line = layout.line_at(offset)
        height = self.scrollable_content_region.height
        if top:
            self.scroll_to(y=line, animate=False, immediate=True)
            # Keep the exact offset, not just its line's start, so back restores it.
            # Before the view has a size, nothing can scroll yet: remember the offset.
            if round(self.scroll_y) == line or height <= 0:
                self._top_anchor = max(layout.starts[line], offset) if len(layout) else 0
                self._announce_top()
        else:
            current = round(self.scroll_y)
            if line < current:
                self.scroll_to(y=max(0, line - margin), animate=False, immediate=True)
            elif line >= current + height:
                self.scroll_to(y=max(0, line - height + 1 + margin), animate=False, immediate=True)
        self._refresh_all()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._layout_is_current():
            return
        assert self._layout is not None
        line = round(new_value)
        anchor_line = self._layout.line_at(self._top_anchor) if len(self._layout) else 0
        if line != anchor_line:
            self._top_anchor = self._layout.offset_of_line(line)
        self._announce_top()

    def _announce_top(self) -> None:
        top = self._top_anchor
        if top != self._last_top:
            self._last_top = top
            self.post_message(self.Moved(self, top))

    def _refresh_all(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._style_cache.clear()

    # -- what is drawn ---------------------------------------------------------

    def _compute_visible_terms(self) -> None:
        occurrences = self.essay.term_occurrences
        if self.show_all_terms:
            visible = list(occurrences)
        else:
            seen: set[tuple[int, str]] = set()
            visible = []
            section_starts = [section.start for section in self.essay.sections]
            for start, end, term_id in occurrences:
                section = bisect.bisect_right(section_starts, start) - 1
                key = (section, term_id)
                if key not in seen:
                    seen.add(key)
                    visible.append((start, end, term_id))
        self._visible_terms = visible
        self._visible_term_starts = [start for start, _, _ in visible]

    def toggle_all_terms(self) -> None:
        """Mark every term occurrence, or only the first per section."""
        self.show_all_terms = not self.show_all_terms
        self._compute_visible_terms()
        self._refresh_all()

    def set_matches(self, matches: list[tuple[int, int]], current: int = -1) -> None:
        """Search matches to highlight, and which one is current."""
        self.matches = matches
        self._match_starts = [start for start, _ in matches]
        self.current_match = current
        self._refresh_all()

    def set_marks(self, marks: Iterable[Mark]) -> None:
        """The user's highlights, notes and bookmarks to draw."""
        self._marks = sorted(marks, key=lambda mark: (mark.start, mark.end))
        self._mark_starts = [mark.start for mark in self._marks]
        self._longest_mark = max((mark.end - mark.start for mark in self._marks), default=0)
        self._refresh_all()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"essay--{name}", partial=True)
            self._styles[name] = style
        return style

    @property
    def _base(self) -> Style:
        """The widget's own style, computed once per theme (it is costly)."""
        style = self._styles.get("")
        if style is None:
            style = self.rich_style
            self._styles[""] = style
        return style

    def _combined(self, block_index: int, keys: frozenset[str]) -> Style:
        block = self.essay.blocks[block_index]
        # Blocks of one kind and level look alike: cache by those, not by block.
        cache_key = (f"{block.kind}{block.level}", keys)
        style = self._style_cache.get(cache_key)
        if style is not None:
            return style
        style = self._base + self._style("text")
        if block.kind is BlockKind.HEADING:
            style += self._style(f"heading{min(block.level, 3)}")
        elif block.kind is BlockKind.CODE:
            style += self._style("code")
        elif block.kind is BlockKind.DEFINITION_TERM:
            style += Style(bold=True)
        for key in sorted(keys):
            if key == "em":
                style += Style(italic=True)
            elif key == "strong":
                style += Style(bold=True)
            elif key == "strike":
                style += Style(strike=True)
            else:
                style += self._style(key)
        self._style_cache[cache_key] = style
        return style

    def _ranges_on(self, start: int, end: int, block_index: int) -> list[tuple[int, int, str]]:
        """Every styled range meeting `[start, end)`, as (start, end, style key)."""
        found: list[tuple[int, int, str]] = []
        block = self.essay.blocks[block_index]
        for span in block.spans:
            if span.start < end and span.end > start:
                if span.kind is SpanKind.FOOTNOTE_REF:
                    note = self.essay.footnotes_by_label.get(span.data)
                    defined = note is not None and note.defined
                    found.append(
                        (span.start, span.end, "footnote" if defined else "footnote-missing")
                    )
                elif span.kind is SpanKind.LINK:
                    found.append((span.start, span.end, "link"))
                else:
                    found.append((span.start, span.end, str(span.kind)))
        _collect(found, self._visible_terms, self._visible_term_starts, start, end, "term")
        if self.matches:
            index = max(0, bisect.bisect_right(self._match_starts, start) - 1)
            while index < len(self.matches) and self.matches[index][0] < end:
                match_start, match_end = self.matches[index]
                if match_end > start:
                    key = "match-current" if index == self.current_match else "match"
                    found.append((match_start, match_end, key))
                index += 1
        if self._marks:
            index = bisect.bisect_left(self._mark_starts, start - self._longest_mark)
            while index < len(self._marks) and self._marks[index].start < end:
                mark = self._marks[index]
                if mark.end > start and mark.kind != "bookmark":
                    key = (
                        "fuzzy" if mark.fuzzy else ("note" if mark.kind == "note" else "highlight")
                    )
                    found.append((mark.start, mark.end, key))
                index += 1
        if self.selection is not None:
            low, high = sorted(self.selection)
            if low < end and high > start:
                found.append((low, high, "selection"))
        if self.item is not None and self.item.start < end and self.item.end > start:
            found.append((self.item.start, self.item.end, "item"))
        return found

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self.layout_lines
        line = round(self.scroll_y) + y
        base = self._base
        if line >= len(layout):
            if not len(layout) and y == 0:
                return self._message_line("This essay has no text.", width)
            return Strip.blank(width, base)
        block_index = layout.blocks[line]
        if block_index < 0:
            return Strip.blank(width, base)
        block = self.essay.blocks[block_index]
        start, end = layout.starts[line], layout.ends[line]
        column = layout.width
        margin = max(0, (width - column) // 2)
        segments: list[Segment] = [Segment(" " * margin, base)] if margin else []
        first_line = layout.block_first_line[block_index] == line
        segments.extend(self._prefix(block, first_line, base))
        if block.kind is BlockKind.RULE:
            rule_width = column - sum(segment.cell_length for segment in segments) + margin
            segments.append(Segment("─" * max(0, rule_width), base + self._style("rule")))
        else:
            segments.extend(self._text_segments(start, end, block_index))
            if start < end:
                self.painted = True
        strip = Strip(segments)
        return strip.crop_extend(0, width, base).apply_offsets(0, line)

    def _message_line(self, text: str, width: int) -> Strip:
        margin = max(0, (width - len(text)) // 2)
        return Strip([Segment(" " * margin + text, self._base + self._style("meta"))]).crop_extend(
            0, width, self._base
        )

    def _prefix(self, block: Block, first_line: bool, base: Style) -> list[Segment]:
        segments: list[Segment] = []
        if block.quote_depth:
            bar = self._style("quote-bar")
            segments.append(Segment("▎ " * min(block.quote_depth, MAX_SHOWN_DEPTH), base + bar))
        if block.list_depth:
            indent = " " * ((min(block.list_depth, MAX_SHOWN_DEPTH) - 1) * LIST_INDENT)
            if first_line and block.marker:
                marker = f"{block.marker} ".rjust(LIST_INDENT)
                segments.append(Segment(indent + marker, base + self._style("meta")))
            else:
                segments.append(Segment(indent + " " * LIST_INDENT, base))
        return segments

    def _text_segments(self, start: int, end: int, block_index: int) -> list[Segment]:
        text = self.essay.reading_text
        ranges = self._ranges_on(start, end, block_index)
        if not ranges:
            return [Segment(text[start:end], self._combined(block_index, frozenset()))]
        cuts = {start, end}
        for range_start, range_end, _ in ranges:
            if start < range_start < end:
                cuts.add(range_start)
            if start < range_end < end:
                cuts.add(range_end)
        points = sorted(cuts)
        segments: list[Segment] = []
        for piece_start, piece_end in zip(points, points[1:], strict=False):
            keys = frozenset(
                key
                for range_start, range_end, key in ranges
                if range_start <= piece_start and range_end >= piece_end
            )
            segments.append(Segment(text[piece_start:piece_end], self._combined(block_index, keys)))
        return segments

    # -- positions on screen -------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int | None:
        """The reading-text offset under content coordinates (x, y), if any."""
        layout = self.layout_lines
        line = round(self.scroll_y) + y
        if not 0 <= line < len(layout) or layout.blocks[line] < 0:
            return None
        block = self.essay.blocks[layout.blocks[line]]
        margin = max(0, (self.scrollable_content_region.width - layout.width) // 2)
        indent = (
            min(block.quote_depth, MAX_SHOWN_DEPTH) * QUOTE_INDENT
            + min(block.list_depth, MAX_SHOWN_DEPTH) * LIST_INDENT
        )
        column = x - margin - indent
        start, end = layout.starts[line], layout.ends[line]
        from rich.cells import get_character_cell_size

        cells = 0
        text = self.essay.reading_text
        for offset in range(start, end):
            size = get_character_cell_size(text[offset])
            if column < cells + size:
                return offset
            cells += size
        return end

    # -- scrolling actions -----------------------------------------------------------

    def _not_selecting(self) -> None:
        if self.selection is not None:
            raise SkipAction()

    def action_line_down(self) -> None:
        if self.selection is not None:
            self._extend_line(1)
            return
        self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True)

    def action_line_up(self) -> None:
        if self.selection is not None:
            self._extend_line(-1)
            return
        self.scroll_to(y=self.scroll_y - 1, animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.scroll_to(
            y=self.scroll_y + max(1, self.scrollable_content_region.height - 1),
            animate=False,
            immediate=True,
        )

    def action_page_up(self) -> None:
        self._not_selecting()
        self.scroll_to(
            y=self.scroll_y - max(1, self.scrollable_content_region.height - 1),
            animate=False,
            immediate=True,
        )

    def action_half_page(self, direction: int) -> None:
        self._not_selecting()
        step = max(1, self.scrollable_content_region.height // 2)
        self.scroll_to(y=self.scroll_y + direction * step, animate=False, immediate=True)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_section(self, direction: int) -> None:
        sections = self.essay.sections
        if not sections:
            self.post_message(self.Notice(self, "This essay has no sections."))
            return
        top = self.top_offset
        if direction > 0:
            following = [section for section in sections if section.start > top]
            if not following:
                self.post_message(self.Notice(self, "This is the last section."))
                return
            self.scroll_to_offset(following[0].start)
        else:
            earlier = [section for section in sections if section.start < top]
            if not earlier:
                self.scroll_to(y=0, animate=False, immediate=True)
                return
            self.scroll_to_offset(earlier[-1].start)

    # -- items: footnotes, terms -------------------------------------------------

    def select_item(self, item: Item | None, *, scroll: bool = True) -> None:
        """Select (and show) a footnote reference, term occurrence or link."""
        self.item = item
        if item is not None and scroll:
            self.scroll_to_offset(item.start, top=False)
        self._refresh_all()
        self.post_message(self.ItemSelected(self, item))

    def _step_item(
        self, kind: ItemKind, found: Sequence[tuple[int, int, str]], direction: int, noun: str
    ) -> None:
        if not found:
            self.post_message(self.Notice(self, f"This essay has no {noun}s."))
            return
        starts = [start for start, _, _ in found]
        if self.item is not None and self.item.kind == kind:
            origin = self.item.start
            index = (
                bisect.bisect_right(starts, origin)
                if direction > 0
                else bisect.bisect_left(starts, origin) - 1
            )
        else:
            top, bottom = self.top_offset, self.bottom_offset
            if direction > 0:
                index = bisect.bisect_left(starts, top)
            else:
                index = bisect.bisect_right(starts, bottom) - 1
        if index >= len(found):
            index = 0
            self.post_message(self.Notice(self, f"Last {noun} reached: back to the first."))
        elif index < 0:
            index = len(found) - 1
            self.post_message(self.Notice(self, f"First {noun} reached: on to the last."))
        start, end, data = found[index]
        self.select_item(Item(kind, start, end, data))

    def action_footnote(self, direction: int) -> None:
        self._step_item("footnote", self.essay.footnote_refs, direction, "footnote reference")

    def action_term(self, direction: int) -> None:
        self._step_item("term", self._visible_terms, direction, "glossary term")

    def action_follow(self) -> None:
        item = self.item or self._links_near_top()
        if item is None:
            raise SkipAction()
        if self.item is None:
            self.select_item(item, scroll=False)
        self.post_message(self.ItemFollowed(self, item))

    def _links_near_top(self) -> Item | None:
        """The first link on screen, so enter opens a link without selecting it first."""
        top, bottom = self.top_offset, self.bottom_offset
        index = self.essay.block_index_at(top)
        blocks = self.essay.blocks
        while 0 <= index < len(blocks) and blocks[index].start <= bottom:
            for span in blocks[index].spans:
                if span.kind is SpanKind.LINK and top <= span.start < bottom:
                    return Item("link", span.start, span.end, span.data)
            index += 1
        return None

    def action_clear(self) -> None:
        if self.selection is not None:
            self.selection = None
            self._refresh_all()
            self.post_message(self.Notice(self, "Selection cancelled."))
            return
        if self.item is None:
            raise SkipAction()
        self.select_item(None, scroll=False)

    # -- text selection ------------------------------------------------------------

    def action_select(self) -> None:
        if self.selection is not None:
            raise SkipAction()
        anchor_point = self.item.start if self.item is not None else self.top_offset
        start, end = self.essay.sentence_bounds(anchor_point)
        if self.item is not None and self.item.kind in ("match",):
            start, end = self.item.start, self.item.end
        self.selection = (start, end)
        self._refresh_all()
        self.post_message(
            self.Notice(
                self,
                "Selecting: w/b words, )/( sentences, }/{ paragraphs; "
                "h highlight, a note, y copy, escape cancel.",
            )
        )

    def action_extend(self, unit: str, direction: int) -> None:
        if self.selection is None:
            raise SkipAction()
        anchor, cursor = self.selection
        text = self.essay.reading_text
        if unit == "char":
            cursor = max(0, min(len(text), cursor + direction))
        elif unit == "word":
            cursor = _next_word(text, cursor, direction)
        elif unit == "sentence":
            if direction > 0:
                # from the first character after the cursor that is not space (an offset in
                # the gap after a sentence belongs to that sentence, not the next)
                probe = cursor
                while probe < len(text) and (probe == cursor or text[probe].isspace()):
                    probe += 1
                _, end = self.essay.sentence_bounds(min(len(text), probe))
                cursor = max(cursor, end)
            else:
                # Back to the end of the previous sentence.
                start, _ = self.essay.sentence_bounds(max(0, cursor - 1))
                previous = start - 1
                while previous > 0 and text[previous].isspace():
                    previous -= 1
                if previous <= 0:
                    cursor = 0
                else:
                    _, end = self.essay.sentence_bounds(previous)
                    cursor = end if end < cursor else start
        elif unit == "paragraph":
            index = self.essay.block_index_at(cursor)
            if direction > 0:
                block = self.essay.blocks[index]
                if cursor >= block.end and index + 1 < len(self.essay.blocks):
                    block = self.essay.blocks[index + 1]
                cursor = block.end
            else:
                block = self.essay.blocks[index]
                if cursor <= block.start and index > 0:
                    block = self.essay.blocks[index - 1]
                cursor = block.start
        self.selection = (anchor, cursor)
        self.scroll_to_offset(cursor, top=False)

    def _extend_line(self, direction: int) -> None:
        assert self.selection is not None
        anchor, cursor = self.selection
        layout = self.layout_lines
        line = layout.line_at(cursor)
        column = cursor - layout.starts[line]
        target = line + direction
        while 0 <= target < len(layout) and layout.blocks[target] < 0:
            target += direction
        if not 0 <= target < len(layout):
            return
        cursor = min(layout.ends[target], layout.starts[target] + column)
        self.selection = (anchor, cursor)
        self.scroll_to_offset(cursor, top=False)

    @property
    def selected_range(self) -> tuple[int, int] | None:
        """The selected text as (start, end), or None."""
        if self.selection is None:
            return None
        low, high = sorted(self.selection)
        return (low, high) if high > low else None

    def end_selection(self) -> None:
        """Leave selection mode."""
        self.selection = None
        self._refresh_all()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "extend":
            return self.selection is not None
        if action == "footnote":
            return bool(self.essay.footnote_refs)
        if action == "term":
            return bool(self.essay.glossary)
        if action == "section":
            return bool(self.essay.sections)
        return True

    # -- mouse -------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        # event.x/y count the border; offset_at wants content coordinates
        spot = event.get_content_offset_capture(self)
        offset = self.offset_at(spot.x, spot.y)
        if offset is None or event.button != 1:
            return
        self._mouse_anchor = offset
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._mouse_anchor is None:
            return
        spot = event.get_content_offset_capture(self)
        offset = self.offset_at(spot.x, max(0, spot.y))
        if offset is not None and offset != self._mouse_anchor:
            self.selection = (self._mouse_anchor, offset)
            self._refresh_all()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._mouse_anchor is None:
            return
        self.release_mouse()
        anchor = self._mouse_anchor
        self._mouse_anchor = None
        spot = event.get_content_offset_capture(self)
        offset = self.offset_at(spot.x, max(0, spot.y))
        if offset is None or offset == anchor:
            if self.selection is not None and self.selected_range is None:
                self.selection = None
            self._click(anchor)
            return
        self.selection = (anchor, offset)
        self._refresh_all()

    def _click(self, offset: int) -> None:
        """A click on a footnote marker, term or link follows it."""
        for start, end, label in self.essay.footnote_refs[
            max(0, bisect.bisect_right(self.essay.footnote_refs, (offset, 1 << 62, "")) - 1) :
        ][:1]:
            if start <= offset < end:
                item = Item("footnote", start, end, label)
                self.select_item(item, scroll=False)
                self.post_message(self.ItemFollowed(self, item))
                return
        index = bisect.bisect_right(self._visible_term_starts, offset) - 1
        if index >= 0:
            start, end, term_id = self._visible_terms[index]
            if start <= offset < end:
                item = Item("term", start, end, term_id)
                self.select_item(item, scroll=False)
                self.post_message(self.ItemFollowed(self, item))
                return
        block = self.essay.blocks[self.essay.block_index_at(offset)]
        for span in block.spans:
            if span.kind is SpanKind.LINK and span.start <= offset < span.end:
                item = Item("link", span.start, span.end, span.data)
                self.select_item(item, scroll=False)
                self.post_message(self.ItemFollowed(self, item))
                return


def _collect(
    found: list[tuple[int, int, str]],
    ranges: Sequence[tuple[int, int, str]],
    starts: Sequence[int],
    start: int,
    end: int,
    key: str,
) -> None:
    index = max(0, bisect.bisect_right(starts, start) - 1)
    while index < len(ranges) and ranges[index][0] < end:
        range_start, range_end, _ = ranges[index]
        if range_end > start:
            found.append((range_start, range_end, key))
        index += 1


def _next_word(text: str, cursor: int, direction: int) -> int:
    """The end of the next word (forward) or the start of the previous one (back)."""
    if direction > 0:
        window = word_starts(text, cursor + 1, min(len(text), cursor + 200))
        if not window:
            return min(len(text), cursor + 1)
        position = window[0]
        while position < len(text) and (text[position].isalnum() or text[position] in "'’-"):
            position += 1
        return position
    window = word_starts(text, max(0, cursor - 200), cursor)
    return window[-1] if window else max(0, cursor - 1)
