"""The Library's table of texts, drawn a line at a time.

Only the rows on screen are formatted and drawn: Textual's `DataTable` measured every
cell of every row (8,000 for a library of 1,000 texts) before its first frame, most of
the Library's opening time (bench/RESULTS.md, "The library").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from essaytui.actions import LIBRARY, action
from essaytui.model.text import sanitize_inline
from essaytui.sessions.library import DURATION_CELLS, Column, LibraryRow

#: Cells each column gets; the title takes what is left (at least `TITLE_MIN`).
WIDTHS = {
    Column.AUTHOR: 16,
    Column.SERIES: 20,
    Column.PROGRESS: 4,
    Column.LEFT: DURATION_CELLS,
    Column.LAST_READ: 10,
    Column.NOTES: 9,
    Column.SIZE: 7,
}
TITLE_MIN = 18

#: Below this width the author and size columns are left out (the filter still finds
#: an author), so that the title keeps some room at 80 columns.
WIDE = 110
NARROW_DROPS = (Column.AUTHOR, Column.SIZE)
#: ... and the series column is narrower: at 80 the notes column would be cut otherwise.
NARROW_SERIES = 18

#: Cells of space either side of a cell's text.
PADDING = 1

#: Rows drawn and kept (a few screenfuls); scrolling back reuses them.
STRIPS_KEPT = 400


#: The most cells a column of names grows to when its texts are longer than its
#: width and the terminal has room to spare.
GROWS_TO = {Column.SERIES: 40, Column.AUTHOR: 30}
#: The title keeps at least this much (or its longest, if shorter) before another
#: column grows.
TITLE_KEEPS = 40


def column_layout(
    width: int, natural: Mapping[Column, int] | None = None
) -> tuple[list[Column], dict[Column, int]]:
    """The columns shown at `width` cells, and the cells each gets.

    `natural` is the longest text of each column: where the title would be left more
    than it needs, the series and author columns grow towards theirs (up to
    `GROWS_TO`), and the title keeps the rest.
    """
    wide = width >= WIDE
    columns = [c for c in Column if wide or c not in NARROW_DROPS]
    widths = {**WIDTHS} if wide else {**WIDTHS, Column.SERIES: NARROW_SERIES}
    fixed = sum(widths[c] for c in columns if c in widths)
    # padding either side of every column, and the scroll bar
    rest = width - fixed - 2 * PADDING * len(columns) - 2
    natural = natural or {}
    keep = max(TITLE_MIN, min(TITLE_KEEPS, natural.get(Column.TITLE, TITLE_KEEPS)))
    for column, cap in GROWS_TO.items():
        if column not in columns:
            continue
        grow = min(cap, natural.get(column, 0)) - widths[column]
        grow = min(grow, rest - keep)
        if grow > 0:
            widths[column] += grow
            rest -= grow
    return columns, {**widths, Column.TITLE: max(TITLE_MIN, rest)}


def natural_widths(rows: Iterable[LibraryRow]) -> dict[Column, int]:
    """The cells of the longest title, series and author of `rows` (as shown)."""
    found = dict.fromkeys((Column.TITLE, *GROWS_TO), 0)
    for row in rows:
        for column in found:
            found[column] = max(found[column], cell_len(sanitize_inline(row.cell(column))))
    return found


def clip(text: str, width: int) -> str:
    """`text` in exactly `width` cells: cut with "…", or padded with spaces."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


class LibraryTable(ScrollView, can_focus=True):
    """The texts, one a row under a header that stays; a cursor row, `j/k/g/G` and the
    arrow and page keys; a click on a header sorts by it, a click on a row opens it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action("j", "cursor_down", "Down", id="library.down", group=LIBRARY, palette=False),
        action("k", "cursor_up", "Up", id="library.up", group=LIBRARY, palette=False),
        action("g", "first", "First", id="library.first", group=LIBRARY, palette=False),
        action("G", "last", "Last", id="library.last", group=LIBRARY, palette=False),
        # the keys every Textual list answers (no id: not remapped, as in DataTable)
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "library--header",
        "library--stripe",
        "library--cursor",
        "library--missing",
    }

    @dataclass
    class HeaderClicked(Message):
        """The reader clicked a column's header (to sort by it)."""

        table: LibraryTable
        column: Column

        @property
        def control(self) -> LibraryTable:
            return self.table

    @dataclass
    class RowClicked(Message):
        """The reader clicked a row (to open its text)."""

        table: LibraryTable
        index: int

        @property
        def control(self) -> LibraryTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.rows: list[LibraryRow] = []
        self.columns, self.widths = column_layout(80)
        #: the longest text of the columns that grow, for `column_layout`
        self._natural: dict[Column, int] = {}
        self._cursor = 0
        self._strips: dict[tuple[int, bool], Strip] = {}
        self._styles: dict[str, Style] = {}

    # -- what is shown ---------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the table holds."""
        return len(self.rows)

    @property
    def cursor_row(self) -> int:
        """The index of the row under the cursor (0 when there are none)."""
        return self._cursor

    @property
    def page(self) -> int:
        """Rows on screen at once (the header takes a line)."""
        return max(1, self.scrollable_content_region.height - 1)

    def show(self, rows: list[LibraryRow], cursor: int = 0) -> None:
        """Hold `rows` (in order), the cursor on the row at `cursor`."""
        self.rows = rows
        self._natural = natural_widths(rows)
        if self.size.width:
            self.columns, self.widths = column_layout(self.size.width, self._natural)
        self._cursor = max(0, min(cursor, len(rows) - 1))
        self._strips.clear()
        self.virtual_size = Size(0, len(rows) + 1)  # as wide as it is: no sideways scroll
        self.refresh()
        self._reveal()

    def move_cursor(self, row: int) -> None:
        """Put the cursor on the row at `row` (kept within the rows) and show it."""
        if not self.rows:
            return
        self._cursor = max(0, min(row, len(self.rows) - 1))
        self.refresh()
        self._reveal()

    def _reveal(self) -> None:
        """Scroll so that the cursor's row is on screen."""
        if self.scrollable_content_region.height <= 1:
            return  # not laid out yet: `on_resize` does it
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + self.page:
            self.scroll_to(y=self._cursor - self.page + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.columns, self.widths = column_layout(event.size.width, self._natural)
        self._strips.clear()
        self.virtual_size = Size(0, len(self.rows) + 1)
        # The screen is drawn at the new size before this event arrives, with the old
        # columns; without a repaint they stayed until the next key.
        self.refresh()
        self._reveal()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # the theme, or the focus, changed how rows look
        self._strips.clear()

    # -- the keys and the mouse ------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """The next text."""
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        """The previous text."""
        self.move_cursor(self._cursor - 1)

    def action_page_down(self) -> None:
        """A screenful further."""
        self.scroll_to(y=self.scroll_y + self.page, animate=False, immediate=True)
        self.move_cursor(self._cursor + self.page)

    def action_page_up(self) -> None:
        """A screenful back."""
        self.scroll_to(y=self.scroll_y - self.page, animate=False, immediate=True)
        self.move_cursor(self._cursor - self.page)

    def action_first(self) -> None:
        """The first text."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """The last text."""
        self.move_cursor(len(self.rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            column = self.column_at(offset.x)
            if column is not None:
                self.post_message(self.HeaderClicked(self, column))
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self.rows):
            self.move_cursor(index)
            self.post_message(self.RowClicked(self, index))

    def column_at(self, x: int) -> Column | None:
        """The column drawn at cell `x`, if any."""
        left = 0
        for column in self.columns:
            left += self.widths[column] + 2 * PADDING
            if x < left:
                return column
        return None

    # -- what is drawn ---------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self._component(name) if name else self.rich_style
        return style

    def _component(self, name: str) -> Style:
        """A component class's style; a translucent background (the stripes') laid over
        the table's own, as Textual's DataTable does: Rich has no translucency."""
        component = f"library--{name}"
        style = self.get_component_rich_style(component, partial=True)
        background = self.get_component_styles(component).background
        under = self.rich_style.bgcolor
        if 0 < background.a < 1 and under is not None:
            blended = Color.from_rich_color(under) + background
            style += Style(bgcolor=blended.rich_color)
        return style

    def _line(self, cells: list[str], style: Style) -> Strip:
        pad = " " * PADDING
        text = "".join(
            pad + clip(cell, self.widths[column]) + pad
            for cell, column in zip(cells, self.columns, strict=True)
        )
        width = self.scrollable_content_region.width
        return Strip([Segment(text, style)]).crop_extend(0, width, style)

    def render_line(self, y: int) -> Strip:
        base = self._style("")
        if y == 0:
            return self._line([c.value for c in self.columns], base + self._style("header"))
        index = round(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(self.scrollable_content_region.width, base)
        key = (index, index == self._cursor)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= STRIPS_KEPT:
                self._strips.clear()
            strip = self._strips[key] = self._row_line(index)
        return strip

    def _row_line(self, index: int) -> Strip:
        row = self.rows[index]
        style = self._style("")
        if index % 2 == 0:  # DataTable's stripes: the first row, the third…
            style += self._style("stripe")
        if row.missing:
            style += self._style("missing")
        if index == self._cursor:
            style += self._style("cursor")
        return self._line([sanitize_inline(row.cell(c)) for c in self.columns], style)
