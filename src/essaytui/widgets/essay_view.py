"""The essay, drawn with Textual's line API: only visible lines are rendered.

Everything is addressed by offsets into the essay's reading text. The view
keeps a `TextLayout` per width; rendering a line intersects its offset range
with the span lists (bisect), so a 4 MB essay scrolls like a 9 KB one.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.binding import BindingType
from textual.css.styles import RenderStyles
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from essaytui.actions import (
    FOOTNOTES,
    GLOSSARY,
    LINKS,
    READING,
    SELECTING,
    action,
)
from essaytui.model.annotation import COLORS, DEFAULT_COLOR, Kind
from essaytui.model.essay import CALLOUT_LABELS, EMPTY_ESSAY, Block, BlockKind, Essay, SpanKind
from essaytui.model.ranges import RangeIndex
from essaytui.model.selection import Unit, moved
from essaytui.model.text import is_cjk, superscript
from essaytui.sessions.layout import GAP, SIDENOTE_GAP
from essaytui.sessions.targets import FootnoteRef, LinkRef, MatchRef, Target, TermHit
from essaytui.widgets.contrast import legible
from essaytui.widgets.hyperlinks import essay_links, hyperlinks_wanted, with_hyperlinks
from essaytui.widgets.sidenote_layout import lay_out_sidenotes
from essaytui.widgets.table_layout import table_segments
from essaytui.widgets.text_layout import (
    LIST_INDENT,
    MAX_SHOWN_DEPTH,
    TextLayout,
    block_indent,
    marker_cells,
)

#: The margin's mark on the line where a bookmark is (one cell wide in every terminal).
BOOKMARK_MARK = "⚑"

#: Rows kept drawn (a few screens): beyond, the cache starts again.
ROWS_KEPT = 512
#: The most of the selected words that `v`'s hint repeats, in characters.
SELECTION_QUOTE = 14

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Mark:
    """A reader's annotation as drawn (bookmarks are listed, not drawn)."""

    start: int
    end: int
    kind: Kind
    fuzzy: bool = False
    color: str = DEFAULT_COLOR


#: How many cells more than the text column the pane must offer before a table too
#: wide for the column takes them (a few cells more would only shift its columns).
WIDE_TABLE_GAIN = 12


class EssayView(ScrollView, can_focus=True):
    """The reading column."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "j,down", "line_down", "Line down", id="essay.line_down", group=READING, palette=False
        ),
        action("k,up", "line_up", "Line up", id="essay.line_up", group=READING, palette=False),
        action(
            "space,pagedown",
            "page_down",
            "Page down",
            id="essay.page_down",
            group=READING,
            palette=False,
        ),
        action("b,pageup", "page_up", "Page up", id="essay.page_up", group=READING, palette=False),
        action(
            "d,ctrl+d",
            "half_page(1)",
            "Half page down",
            id="essay.half_down",
            group=READING,
            palette=False,
        ),
        action(
            "u,ctrl+u",
            "half_page(-1)",
            "Half page up",
            id="essay.half_up",
            group=READING,
            palette=False,
        ),
        action("g,home", "top", "Top", id="essay.top", group=READING),
        action("G,end", "bottom", "Bottom", id="essay.bottom", group=READING),
        action(
            "right_square_bracket",
            "section(1)",
            "Next section",
            id="essay.next_section",
            group=READING,
        ),
        action(
            "left_square_bracket",
            "section(-1)",
            "Previous section",
            id="essay.previous_section",
            group=READING,
        ),
        action(
            "f",
            "footnote(1)",
            "Next footnote",
            id="essay.next_footnote",
            group=FOOTNOTES,
            show=True,
            help="select the next footnote reference; its source shows in a peek",
        ),
        action(
            "F", "footnote(-1)", "Previous footnote", id="essay.previous_footnote", group=FOOTNOTES
        ),
        action(
            "t",
            "term(1)",
            "Next glossary term",
            id="essay.next_term",
            group=GLOSSARY,
            show=True,
            help="select the next glossary term; its definition shows in a peek",
        ),
        action("T", "term(-1)", "Previous glossary term", id="essay.previous_term", group=GLOSSARY),
        action(
            "l",
            "link(1)",
            "Next link",
            id="essay.next_link",
            group=LINKS,
            help="select the next link or image; enter jumps there (inside the essay) "
            "or shows the address and opens it if asked",
        ),
        action("L", "link(-1)", "Previous link", id="essay.previous_link", group=LINKS),
        action(
            "enter",
            "follow",
            "Follow the selection",
            id="essay.follow",
            group=FOOTNOTES,
            show=True,
            palette=False,
            help="follow the selection: footnote → Sources, term → Glossary, "
            "link → its place in the essay, or its address shown",
        ),
        action(
            "escape", "clear", "Clear selection", id="essay.clear", group=READING, palette=False
        ),
        action(
            "v",
            "select",
            "Select text",
            id="essay.select",
            group=SELECTING,
            help="start a selection: the sentence at the selected reference or match, "
            "or the first of body text at the top of the view (headings are never quoted)",
        ),
        # While selecting, these move the selection's end.
        action(
            "w",
            "extend('word', 1)",
            "Word forward",
            id="essay.extend_word",
            group=SELECTING,
            palette=False,
        ),
        action(
            "b",
            "extend('word', -1)",
            "Word back",
            id="essay.extend_word_back",
            group=SELECTING,
            palette=False,
        ),
        action(
            "right_parenthesis",
            "extend('sentence', 1)",
            "Sentence forward",
            id="essay.extend_sentence",
            group=SELECTING,
            palette=False,
        ),
        action(
            "left_parenthesis",
            "extend('sentence', -1)",
            "Sentence back",
            id="essay.extend_sentence_back",
            group=SELECTING,
            palette=False,
        ),
        action(
            "right_curly_bracket",
            "extend('paragraph', 1)",
            "Paragraph forward",
            id="essay.extend_paragraph",
            group=SELECTING,
            palette=False,
        ),
        action(
            "left_curly_bracket",
            "extend('paragraph', -1)",
            "Paragraph back",
            id="essay.extend_paragraph_back",
            group=SELECTING,
            palette=False,
        ),
        action(
            "right",
            "extend('char', 1)",
            "Character forward",
            id="essay.extend_char",
            group=SELECTING,
            palette=False,
        ),
        action(
            "left",
            "extend('char', -1)",
            "Character back",
            id="essay.extend_char_back",
            group=SELECTING,
            palette=False,
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "essay--text",
        "essay--heading1",
        "essay--heading2",
        "essay--heading3",
        "essay--code",
        "essay--math",
        "essay--image",
        "essay--callout",
        *(f"essay--callout-{kind}" for kind in CALLOUT_LABELS),
        "essay--table-header",
        "essay--link",
        "essay--footnote",
        "essay--footnote-missing",
        "essay--term",
        "essay--match",
        "essay--match-current",
        "essay--highlight",
        *(f"essay--highlight-{color}" for color in COLORS),
        "essay--note",
        "essay--fuzzy",
        "essay--selection",
        "essay--item",
        "essay--quote-bar",
        "essay--rule",
        "essay--meta",
        "essay--sidenote",
        "essay--sidenote-current",
        "essay--margin-note",
        "essay--margin-highlight",
    }

    DEFAULT_CSS = """
    EssayView { background: $surface; }
    """

    #: True while a focus change restyles a view (see `watch_has_focus`).
    _restyling_focus: ClassVar[bool] = False

    @classmethod
    def _get_component_classes(cls) -> frozenset[str]:  # type: ignore[override]  # lru_cache'd
        # Textual restyles each component class on every restyle of the view; given none,
        # it keeps their styles as they were (Stylesheet._process_component_classes).
        return frozenset() if cls._restyling_focus else super()._get_component_classes()

    def watch_has_focus(self, has_focus: bool) -> None:
        """Restyle the view for focus (its border) without its ~40 component classes,
        which look the same focused or not (no rule in app.tcss names them with :focus):
        restyling them took ~7 ms of every focus move (/, enter, back, a note saved)."""
        EssayView._restyling_focus = True
        try:
            super().watch_has_focus(has_focus)
        finally:
            EssayView._restyling_focus = False

    # -- messages -----------------------------------------------------------

    @dataclass
    class TargetSelected(Message):
        """The selected footnote reference / term / link / match changed (None: cleared)."""

        view: EssayView
        target: Target | None

        @property
        def control(self) -> EssayView:
            return self.view

    @dataclass
    class TargetFollowed(Message):
        """The reader pressed enter on (or clicked) a footnote reference, term or link."""

        view: EssayView
        target: Target

        @property
        def control(self) -> EssayView:
            return self.view

    @dataclass
    class Moved(Message):
        """The offset at the top of the view changed."""

        view: EssayView
        top_offset: int

        @property
        def control(self) -> EssayView:
            return self.view

    @dataclass
    class Notice(Message):
        """Something to tell the reader in the status line."""

        view: EssayView
        text: str

        @property
        def control(self) -> EssayView:
            return self.view

    # -- state ----------------------------------------------------------------

    #: The essay shown; a new one (the complete parse) keeps the place.
    essay: var[Essay] = var(EMPTY_ESSAY, always_update=True, init=False)
    #: The selected footnote reference, term, link or match.
    target: var[Target | None] = var(None, init=False)
    #: The text selection as (anchor, cursor) while selecting.
    selection: var[tuple[int, int] | None] = var(None, init=False)
    #: Every term occurrence marked, or only the first per section.
    show_all_terms: var[bool] = var(False, init=False)
    #: The search matches, and the index of the current one (-1: none).
    matches: var[RangeIndex[int]] = var(RangeIndex, always_update=True, init=False)
    current_match: var[int] = var(-1, init=False)
    #: The text column's width in cells (the measure the layout gave it).
    text_width: var[int] = var(72, init=False)
    #: The sidenote column's width beside the text, 0 for no sidenotes.
    sidenote_width: var[int] = var(0, init=False)

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        #: Rows drawn, by layout line and width (without sidenotes): scrolling by a line
        #: draws one new row, not the screenful (before `super().__init__`, which refreshes).
        self._rows: dict[tuple[int, int], Strip] = {}
        super().__init__(id=id)
        self._layout: TextLayout | None = None
        #: A layout built off the UI thread for the essay about to be shown (`prepare`).
        self._prepared: TextLayout | None = None
        self._styles: dict[str, Style] = {}
        self._style_cache: dict[tuple[str, frozenset[str]], Style] = {}
        #: The styles the rows were drawn with (see `_check_styles`); None: not yet known.
        self._drawn_with: tuple[Style, dict[str, RenderStyles]] | None = None
        self._styles_checked = False
        #: The content region while lines are rendered (`_content`), else None.
        self._region_in_render: Region | None = None
        #: The sidenotes laid out for one window (its key: what they depend on).
        self._sidenote_cache: tuple[object, dict[int, tuple[str, bool]]] | None = None
        #: Every link of the essay, for the essay it was found in.
        self._all_links: tuple[Essay, RangeIndex[LinkRef]] | None = None
        #: True once a line of essay text has been rendered (the benchmark waits on it).
        self.painted = False
        self._visible_terms: RangeIndex[str] = RangeIndex()
        self._footnote_refs: RangeIndex[str] = RangeIndex()
        self._marks: RangeIndex[Mark] = RangeIndex()
        self._last_top = -1
        #: The exact reading-text offset at the top of the view; survives rewrapping.
        self._top_anchor = 0
        self._mouse_anchor: int | None = None
        self._wrapped_notes: dict[tuple[str, int, str], list[str]] = {}
        #: Links drawn as terminal hyperlinks (OSC 8) too.
        self._hyperlinks = hyperlinks_wanted()
        self.set_reactive(EssayView.essay, essay)
        self._essay_changed()

    # -- essay and layout -------------------------------------------------------

    def watch_essay(self, essay: Essay) -> None:
        """Another version of the essay (e.g. the complete parse): keep the place."""
        self._essay_changed()
        self._style_cache.clear()
        self._sync_layout()

    def _essay_changed(self) -> None:
        self._rows.clear()
        self._layout = None
        self._footnote_refs = RangeIndex(self.essay.footnote_refs)
        self._compute_visible_terms()

    @property
    def column_width(self) -> int:
        """Cells in the text column: its measure, or what the view leaves of it."""
        return max(10, min(self.text_width, self._content.width - 2 * GAP))

    @property
    def text_x(self) -> int:
        """The first cell of the text column: centred, or with its sidenotes."""
        width = self._content.width
        block = self.column_width + (SIDENOTE_GAP + self.sidenote_width if self.sidenotes else 0)
        return max(0, (width - block) // 2)

    @property
    def text_column(self) -> tuple[int, int]:
        """The text column on the screen: (its first cell, its width)."""
        return (self.scrollable_content_region.x + self.text_x, self.column_width)

    @property
    def sidenotes(self) -> bool:
        """Whether footnotes are set in the margin beside the text."""
        return self.sidenote_width > 0 and bool(self._footnote_refs)

    def watch_text_width(self) -> None:
        self._sync_layout()

    def watch_sidenote_width(self) -> None:
        self._sidenote_cache = None
        self._redraw()

    @property
    def layout_lines(self) -> TextLayout:
        """The layout at the current width; a new width rewraps and keeps the top offset."""
        width = max(10, self.column_width)
        table_width = self._table_width()
        if (
            self._layout is None
            or self._layout.width != width
            or self._layout.table_width != table_width
        ):
            prepared, self._prepared = self._prepared, None
            if (
                prepared is not None
                and prepared.essay is self.essay
                and (prepared.width, prepared.table_width) == (width, table_width)
            ):
                self._layout = prepared
            else:
                self._layout = TextLayout(self.essay, width, table_width)
            self.virtual_size = Size(self.scrollable_content_region.width, len(self._layout))
            self._region_in_render = None  # the scroll bar may come or go: ask again
            line = self._layout.line_at(self._top_anchor)
            # Silently: this may run while rendering, and the place has not changed.
            self.set_reactive(EssayView.scroll_y, float(line))
            self.set_reactive(EssayView.scroll_target_y, float(line))
            self._redraw()
        return self._layout

    def wrapping(self, essay: Essay) -> tuple[int, int]:
        """The width and table width `essay` would be wrapped at now, for a worker thread
        to build its `TextLayout` before the essay is shown (`offer`): wrapping a 10 MB book
        takes ~1 s, a frozen second were it done on the UI thread when the whole book
        replaces its first part. Asked on the UI thread: the view's size comes from
        Textual's compositor, which a worker thread must not drive."""
        sidenotes = self.sidenote_width > 0 and bool(essay.footnote_refs)
        return max(10, self.column_width), self._table_width(sidenotes)

    def offer(self, layout: TextLayout) -> None:
        """A layout `prepare` built: taken when its essay is shown next, if the width has
        not changed since (else the essay is wrapped again, as any other)."""
        self._prepared = layout

    def _table_width(self, sidenotes: bool | None = None) -> int:
        """Cells a table too wide for the column may take: the pane's width from the
        column's start (less a gap), when no sidenotes are set beside the column."""
        if self.sidenotes if sidenotes is None else sidenotes:
            return 0
        room = self._content.width - self.text_x - GAP
        return room if room >= self.column_width + WIDE_TABLE_GAIN else 0

    def _layout_is_current(self) -> bool:
        return (
            self._layout is not None
            and self._layout.width == max(10, self.column_width)
            and self._layout.table_width == self._table_width()
        )

    def _sync_layout(self) -> None:
        self.layout_lines  # noqa: B018 - rewraps if the width changed
        self.refresh()
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
    def top_gap(self) -> int:
        """How many blank rows between blocks sit at the top of the view above the line
        of `top_offset` (they share its offset: without them the top is a row lower)."""
        layout = self._layout
        if layout is None or not len(layout):
            return 0
        line = round(self.scroll_y)
        anchor_line = layout.line_at(self._top_anchor)
        if anchor_line <= line or any(layout.blocks[at] != -1 for at in range(line, anchor_line)):
            return 0
        return anchor_line - line

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

    def row_of(self, offset: int) -> int | None:
        """The row of the view (0 at the top of its text) showing `offset`, if on screen."""
        row = self.layout_lines.line_at(offset) - round(self.scroll_y)
        return row if 0 <= row < self.scrollable_content_region.height else None

    def scroll_to_offset(
        self, offset: int, *, top: bool = True, margin: int = 2, gap: int = 0
    ) -> None:
        """Bring `offset` into view: at the top (`top=True`, under `gap` blank rows
        between blocks where there are so many) or only if it is off screen."""
        layout = self.layout_lines
        line = layout.line_at(offset)
        height = self.scrollable_content_region.height
        if top:
            while gap > 0 and line > 0 and layout.blocks[line - 1] == -1:
                line -= 1
                gap -= 1
            # `force`: the scroll bar is judged at the next layout, and a text that has
            # just replaced a shorter one (no scroll bar) would not scroll until then
            self.scroll_to(y=line, animate=False, immediate=True, force=True)
            # Keep the exact offset, not just its line's start, so back restores it.
            # Before the view has a size, nothing can scroll yet: remember the offset.
            if round(self.scroll_y) == line or height <= 0:
                self._top_anchor = max(layout.starts[line], offset) if len(layout) else 0
                self._announce_top()
        else:
            current = round(self.scroll_y)
            if line < current:
                self.scroll_to(y=max(0, line - margin), animate=False, immediate=True, force=True)
            elif line >= current + height:
                below = max(0, line - height + 1 + margin)
                self.scroll_to(y=below, animate=False, immediate=True, force=True)
        self.refresh()

    def center_on(self, offset: int) -> None:
        """Scroll so `offset` sits in the upper third of the view (where the eye reads)."""
        line = self.layout_lines.line_at(offset)
        self.scroll_to(
            y=max(0, line - self.scrollable_content_region.height // 3),
            animate=False,
            immediate=True,
            force=True,
        )

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        layout = self._layout
        if layout is None:
            return
        line = round(new_value)
        anchor_line = layout.line_at(self._top_anchor) if len(layout) else 0
        if line != anchor_line:
            # the line scrolled to, in the layout it was chosen in, names the new top
            self._top_anchor = layout.offset_of_line(line)
        if not self._layout_is_current():
            self._sync_layout()  # the width changed meanwhile: rewrap, keeping that top
            return
        self._announce_top()

    def _announce_top(self) -> None:
        top = self._top_anchor
        if top != self._last_top:
            self._last_top = top
            self.post_message(self.Moved(self, top))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Judged when the next row is drawn: the component classes' styles are applied
        # after this call.
        self._styles_checked = False

    def _check_styles(self) -> None:
        """Keep the rows drawn while the styles they were drawn with hold. A focus change
        restyles the view (its border) but no row: redrawing the screenful cost ~6 ms a
        focus move at 4.4 MB. A theme or a style that does change drops them."""
        self._styles_checked = True
        drawn_with = (self.rich_style, dict(self._component_styles))
        if drawn_with != self._drawn_with:
            self._drawn_with = drawn_with
            self._styles.clear()
            self._style_cache.clear()
            self._rows.clear()

    # -- what is marked ----------------------------------------------------------

    def watch_target(self, old: Target | None, target: Target | None) -> None:
        self._forget_rows_of(old, target)
        self.refresh()
        self.post_message(self.TargetSelected(self, target))

    def _forget_rows_of(self, *targets: Target | None) -> None:
        """Drop the rows drawn that show one of `targets` (the selection's mark moved
        off or onto them); the other rows stay. Redrawing the screenful was ~5 ms of
        each footnote or term selected at 4.4 MB."""
        layout = self._layout
        if layout is None or not len(layout) or not self._layout_is_current():
            self._rows.clear()
            return
        lines: set[int] = set()
        for target in targets:
            if target is None:
                continue
            first = layout.line_at(target.start)
            last = layout.line_at(max(target.start, target.end - 1))
            if layout.tables and (
                layout.blocks[first] in layout.tables or layout.blocks[last] in layout.tables
            ):
                self._rows.clear()  # a table's cells sit side by side: lines are no guide
                return
            lines.update(range(min(first, last), max(first, last) + 1))
        width = self.scrollable_content_region.width
        self._rows = {
            key: strip
            for key, strip in self._rows.items()
            if key[1] == width and key[0] not in lines
        }

    def validate_selection(self, selection: tuple[int, int] | None) -> tuple[int, int] | None:
        # Headings are never part of a quotation (many were added by the editors): a
        # selection starts in body text and stops before the next heading.
        if selection is None:
            return None
        anchor, cursor = selection
        anchor = self.essay.body_at_or_after(anchor)
        return (anchor, self.essay.within_body(anchor, cursor))

    def watch_selection(self) -> None:
        self._redraw()

    def watch_show_all_terms(self) -> None:
        self._compute_visible_terms()
        self._redraw()

    def watch_matches(self) -> None:
        self._redraw()

    def watch_current_match(self) -> None:
        self._redraw()

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
        self._visible_terms = RangeIndex(visible)

    def set_marks(self, marks: Iterable[Mark]) -> None:
        """The reader's highlights, notes and bookmarks to draw."""
        self._marks = RangeIndex((mark.start, mark.end, mark) for mark in marks)
        self._redraw()

    # -- what is drawn ---------------------------------------------------------

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
        cache_key = (f"{block.kind}{block.level}{block.callout}", keys)
        style = self._style_cache.get(cache_key)
        if style is not None:
            return style
        style = self._base + self._style("text")
        if block.kind is BlockKind.HEADING:
            style += self._style(f"heading{min(block.level, 3)}")
        elif block.kind is BlockKind.CODE:
            style += self._style("code")
        elif block.kind is BlockKind.MATH:
            style += self._style("math")
        elif block.kind is BlockKind.CALLOUT:
            style += self._style("callout")
            if block.callout in CALLOUT_LABELS:  # a warning looks like one
                style += self._style(f"callout-{block.callout}")
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
        style = legible(style, None, self._base.bgcolor)  # 4.5:1 in any theme
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
        for term_start, term_end, _ in self._visible_terms.overlapping(start, end):
            found.append((term_start, term_end, "term"))
        current = self.current_match
        for match_start, match_end, index in self.matches.overlapping(start, end):
            found.append((match_start, match_end, "match-current" if index == current else "match"))
        for mark_start, mark_end, mark in self._marks.overlapping(start, end):
            if mark.kind is not Kind.BOOKMARK:
                key = "fuzzy" if mark.fuzzy else ("note" if mark.kind is Kind.NOTE else "highlight")
                found.append((mark_start, mark_end, key))
                if not mark.fuzzy and mark.color in COLORS:
                    # drawn in the reader's colour (a note keeps its underline)
                    found.append((mark_start, mark_end, f"highlight-{mark.color}"))
        if self.selection is not None:
            low, high = sorted(self.selection)
            if low < end and high > start:
                found.append((low, high, "selection"))
        target = self.target
        if target is not None and target.start < end and target.end > start:
            found.append((target.start, target.end, "item"))
        return found

    def _redraw(self) -> None:
        """What the rows show changed (the essay, a mark, the selection, a search, the
        target): drop the rows drawn and repaint. A plain `refresh` (scrolling, a style
        of the view's frame) keeps them."""
        self._rows.clear()
        self.refresh()

    @property
    def _content(self) -> Region:
        """`scrollable_content_region`, worked out once while the view's lines are
        rendered: Textual works it out on every call, ~9 times a row (a fifth of drawing
        one)."""
        region = self._region_in_render
        return region if region is not None else self.scrollable_content_region

    def render_lines(self, crop: Region) -> list[Strip]:
        self._region_in_render = self.scrollable_content_region
        try:
            return super().render_lines(crop)
        finally:
            self._region_in_render = None

    def render_line(self, y: int) -> Strip:
        if not self._styles_checked:
            self._check_styles()
        if self.sidenotes:  # a sidenote's rows follow the view, not the text
            return self._drawn_row(y)
        key = (round(self.scroll_y) + y, self._content.width)
        strip = self._rows.get(key)
        if strip is None:
            if len(self._rows) >= ROWS_KEPT:
                self._rows.clear()
            strip = self._rows[key] = self._drawn_row(y)
        return strip

    def _drawn_row(self, y: int) -> Strip:
        width = self._content.width
        base = self._base
        strip = self._text_line(y, width, base)
        if self.sidenotes:
            x = self.text_x + self.column_width + SIDENOTE_GAP
            strip = self._with_sidenote(strip, y, x, base)
        return strip.crop_extend(0, width, base).apply_offsets(0, round(self.scroll_y) + y)

    def _text_line(self, y: int, width: int, base: Style) -> Strip:
        """Row `y` of the view: the text column's line there (sidenotes come after)."""
        layout = self.layout_lines
        line = round(self.scroll_y) + y
        if line >= len(layout):
            if not len(layout) and y == 0:
                return self._message_line("This essay has no text.", width)
            return Strip.blank(0, base)
        block_index = layout.blocks[line]
        if block_index < 0:
            return Strip.blank(0, base)
        block = self.essay.blocks[block_index]
        start, end = layout.starts[line], layout.ends[line]
        column = layout.width
        margin = self.text_x
        segments = self._margin(start, end, margin, base)
        first_line = layout.block_first_line[block_index] == line
        segments.extend(self._prefix(block, first_line, base))
        if block.kind is BlockKind.RULE:
            rule_width = column - sum(segment.cell_length for segment in segments) + margin
            segments.append(Segment("─" * max(0, rule_width), base + self._style("rule")))
        elif block_index in layout.tables:
            grid_line = line - layout.block_first_line[block_index]
            segments.extend(
                table_segments(
                    layout.tables[block_index],
                    grid_line,
                    lambda start, end: self._text_segments(start, end, block_index),
                    (base, base + self._style("rule"), self._style("table-header")),
                )
            )
            self.painted = True
        else:
            pieces = self._text_segments(start, end, block_index)
            if self._hyperlinks:
                pieces = with_hyperlinks(pieces, start, block.spans)
            segments.extend(pieces)
            if start < end:
                self.painted = True
        return Strip(segments)

    def _margin(self, start: int, end: int, width: int, base: Style) -> list[Segment]:
        """The cells left of the text: blank, or a mark where the reader annotated.

        ▎ beside a highlighted line, ✎ on the first line of a note and ▎ on the rest, ⚑ on
        the line where a bookmark is, so the reader's own marks never look like a term's
        or a link's.
        """
        if not width:
            return []
        kinds = {
            (mark.kind, mark.start >= start)
            for _, _, mark in self._marks.overlapping(start, max(end, start + 1))
        }
        bookmark = (Kind.BOOKMARK, True) in kinds
        kinds = {kind for kind in kinds if kind[0] is not Kind.BOOKMARK}
        if (not kinds and not bookmark) or width < 2:
            return [Segment(" " * width, base)]
        note = bookmark or any(kind is Kind.NOTE for kind, _ in kinds)
        if (Kind.NOTE, True) in kinds:
            symbol = "✎"
        elif bookmark:
            symbol = BOOKMARK_MARK
        else:
            symbol = "▎"
        style = legible(
            base + self._style("margin-note" if note else "margin-highlight"), None, base.bgcolor
        )
        return [Segment(" " * (width - 2), base), Segment(symbol, style), Segment(" ", base)]

    # -- sidenotes ---------------------------------------------------------------------

    def _with_sidenote(self, strip: Strip, row: int, x: int, base: Style) -> Strip:
        """`strip` with the sidenote line of view row `row` from cell `x` on."""
        piece = self.sidenote_rows().get(row)
        if piece is None:
            return strip
        text, current = piece
        style = base + self._style("sidenote-current" if current else "sidenote")
        style = legible(style, None, base.bgcolor)
        strip = strip.crop_extend(0, x, base)
        return Strip([*strip, Segment(text, style)])

    def sidenote_rows(self) -> dict[int, tuple[str, bool]]:
        """The sidenotes of the rows on screen: view row → (text, selected).

        Each note starts on its reference's row, or below the note before it when that
        row is taken; it runs until the next reference's row and is cut with "…" there
        (the peek and Sources hold it whole). Laid out from a screen above the view, so
        a note whose reference just scrolled off keeps its place.
        """
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        key = (top, height, self.sidenote_width, self.column_width, self.essay.id, self.target)
        if self._sidenote_cache is not None and self._sidenote_cache[0] == key:
            return self._sidenote_cache[1]
        rows = self._lay_out_sidenotes(top, height)
        self._sidenote_cache = (key, rows)
        return rows

    def _lay_out_sidenotes(self, top: int, height: int) -> dict[int, tuple[str, bool]]:
        layout = self.layout_lines
        if not len(layout):
            return {}
        first = layout.offset_of_line(max(0, top - height))
        last = layout.ends[min(len(layout) - 1, top + height - 1)]
        refs = self._footnote_refs
        index = refs.first_from(first)
        placed: list[tuple[int, str]] = []  # (line of the reference, label)
        while index < len(refs) and refs[index][0] <= last:
            start, _, label = refs[index]
            placed.append((layout.line_at(start), label))
            index += 1
        target = self.target
        return lay_out_sidenotes(
            placed,
            self._note_lines,
            self._note_number,
            top=top,
            height=height,
            width=self.sidenote_width,
            selected=target.label if isinstance(target, FootnoteRef) else None,
        )

    def _note_number(self, label: str) -> str:
        note = self.essay.footnotes_by_label.get(label)
        return superscript(note.number) if note is not None and note.number else f"[^{label}]"

    def _note_lines(self, label: str) -> list[str]:
        """The note of `label` wrapped to the sidenote column (cached per width)."""
        key = (label, self.sidenote_width, self.essay.id)
        lines = self._wrapped_notes.get(key)
        if lines is None:
            note = self.essay.footnotes_by_label.get(label)
            body = (
                " ".join(note.text.split())
                if note is not None and note.defined
                else "(not defined)"
            )
            # a CJK note follows its number without a space: rich wraps at spaces, and
            # a run of CJK is one "word" to it, so the number stood alone on its line
            gap = "" if is_cjk(body[:1]) else " "
            text = Text(f"{self._note_number(label)}{gap}{body}")
            lines = [
                line.plain.rstrip() for line in text.wrap(self.app.console, self.sidenote_width)
            ]
            self._wrapped_notes[key] = lines
        return lines

    def sidenote_is_shown(self, label: str) -> bool:
        """Whether the sidenote of `label` begins on screen (whole or cut)."""
        if not self.sidenotes:
            return False
        lines = self._note_lines(label)
        return bool(lines) and lines[0] in (text for text, _ in self.sidenote_rows().values())

    def sidenote_is_whole(self, label: str) -> bool:
        """Whether the sidenote of `label` is on screen uncut (then no peek is needed)."""
        if not self.sidenotes:
            return False
        shown = [text for text, _ in self.sidenote_rows().values()]
        lines = self._note_lines(label)
        return bool(lines) and lines[0] in shown and lines[-1] in shown

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
                marker = f"{block.marker} ".rjust(marker_cells(block))
                segments.append(Segment(indent + marker, base + self._style("meta")))
            else:
                segments.append(Segment(indent + " " * marker_cells(block), base))
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
        margin = self.text_x
        column = x - margin - block_indent(block)
        start, end = layout.starts[line], layout.ends[line]
        grid = layout.tables.get(layout.blocks[line])
        if grid is not None:  # a grid line's cells are not one run of text
            first = layout.block_first_line[layout.blocks[line]]
            return grid.offset_at(self.essay.reading_text, line - first, column)
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

    # -- targets: footnotes, terms, links ----------------------------------------

    def select_target(self, target: Target | None, *, scroll: bool = True) -> None:
        """Select (and show) a footnote reference, term occurrence, link or match."""
        if target is not None and scroll:
            self.scroll_to_offset(target.start, top=False)
        self.target = target

    def _step(
        self,
        found: RangeIndex[T],
        make: Callable[[int, int, T], Target],
        kind: type,
        direction: int,
        noun: str,
    ) -> None:
        """Select the next (`direction` 1) or previous (-1) of `found`, wrapping around."""
        if not found:
            self.post_message(self.Notice(self, f"This essay has no {noun}s."))
            return
        target = self.target
        if target is not None and isinstance(target, kind):
            index = (
                found.first_from(target.start + 1)
                if direction > 0
                else found.first_from(target.start) - 1
            )
        elif direction > 0:
            index = found.first_from(self.top_offset)
        else:
            index = found.last_before(self.bottom_offset)
        if index >= len(found):
            index = 0
            self.post_message(self.Notice(self, f"Last {noun} reached: back to the first."))
        elif index < 0:
            index = len(found) - 1
            self.post_message(self.Notice(self, f"First {noun} reached: on to the last."))
        start, end, data = found[index]
        self.select_target(make(start, end, data))

    def action_footnote(self, direction: int) -> None:
        self._step(self._footnote_refs, FootnoteRef, FootnoteRef, direction, "footnote reference")

    def action_term(self, direction: int) -> None:
        self._step(self._visible_terms, TermHit, TermHit, direction, "glossary term")

    def on_key(self, event: events.Key) -> None:
        # `l` in an essay without links is disabled (so the palette leaves it out), and a
        # disabled key would do nothing at all: say why instead.
        if self._links() or self.selection is not None:
            return
        bound = self._bindings.key_to_bindings.get(event.key, ())
        if any(binding.action.startswith("link(") for binding in bound):
            event.stop()
            self.post_message(self.Notice(self, "This essay has no links."))

    def action_link(self, direction: int) -> None:
        self._step(self._links(), _same_link, LinkRef, direction, "link")

    def _links(self) -> RangeIndex[LinkRef]:
        """Every link and image of the essay (collected once per essay)."""
        if self._all_links is None or self._all_links[0] is not self.essay:
            self._all_links = (self.essay, RangeIndex(essay_links(self.essay)))
        return self._all_links[1]

    def action_follow(self) -> None:
        target = self.target
        if target is None:
            links = self._links()
            index = links.first_from(self.top_offset)
            if index < len(links) and links[index][0] < self.bottom_offset:
                target = links[index][2]  # enter opens the first link on screen
                self.select_target(target, scroll=False)
        if target is None or isinstance(target, MatchRef):
            raise SkipAction()
        self.post_message(self.TargetFollowed(self, target))

    def action_clear(self) -> None:
        if self.selection is not None:
            self.selection = None
            self.post_message(self.Notice(self, "Selection cancelled."))
            return
        if self.target is None or isinstance(self.target, MatchRef):
            raise SkipAction()  # a match goes with its search: the reader clears both
        self.target = None

    # -- text selection ------------------------------------------------------------

    def action_select(self) -> None:
        if self.selection is not None:
            raise SkipAction()
        target = self.target
        essay = self.essay
        if isinstance(target, MatchRef) and essay.body_at_or_after(target.start) == target.start:
            start, end = target.start, target.end  # exactly what the search found
            what = "the match"
        else:
            # a heading is never quoted: the first sentence of body text at or below it
            point = target.start if target is not None else self.top_offset
            start, end = essay.sentence_bounds(essay.body_at_or_after(point))
            what = "1 sentence"
        self.selection = (start, end)
        self.post_message(self.Notice(self, selection_hint(essay.quote(start, end), what)))

    def action_extend(self, unit: str, direction: int) -> None:
        if self.selection is None:
            raise SkipAction()
        anchor, cursor = self.selection
        cursor = moved(self.essay, cursor, Unit(unit), direction)
        if self.essay.within_body(anchor, cursor) != cursor:
            cursor = self.essay.within_body(anchor, cursor)
            self.post_message(self.Notice(self, "The selection stops at the section's heading."))
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "extend":
            return self.selection is not None
        if action == "footnote":
            return bool(self.essay.footnote_refs)
        if action == "term":
            return bool(self.essay.glossary)
        if action == "link":
            return bool(self._links())
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

    def target_at(self, offset: int) -> Target | None:
        """The footnote marker, marked term or link at `offset`, if any."""
        index = self._footnote_refs.index_at(offset)
        if index >= 0:
            return FootnoteRef(*self._footnote_refs[index])
        index = self._visible_terms.index_at(offset)
        if index >= 0:
            return TermHit(*self._visible_terms[index])
        links = self._links()
        index = links.index_at(offset)
        if index >= 0:
            return links[index][2]
        return None

    def _click(self, offset: int) -> None:
        """A click on a footnote marker, term or link follows it."""
        target = self.target_at(offset)
        if target is not None:
            self.select_target(target, scroll=False)
            self.post_message(self.TargetFollowed(self, target))


def selection_hint(quote: str, what: str) -> str:
    """What `v` selected and what `)` adds, short enough to sit beside the figures of an
    80-column status line: "Selected 1 sentence (“In all aspects…”); ) adds one more"."""
    words = quote.split()
    head = ""
    for word in words:
        if head and len(head) + 1 + len(word) > SELECTION_QUOTE:
            break
        head = f"{head} {word}" if head else word
    head = head[:SELECTION_QUOTE]
    more = "…" if head != " ".join(words) else ""
    return f"Selected {what} (“{head.rstrip(',;:')}{more}”); ) adds one more"


def _same_link(start: int, end: int, link: LinkRef) -> LinkRef:
    return link
