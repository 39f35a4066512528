"""The search bar: incremental, case-insensitive, `re:` for a regular expression."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from essaytui.actions import SEARCH, action
from essaytui.widgets.inert import inert
from essaytui.widgets.status import PassingMessage

#: The count's narrowest width, padding left out (`app.tcss`: min-width 12, padding 1).
MIN_COUNT_CELLS = 10


class SearchBar(Horizontal):
    """An input and a "3/12" counter. Posts Changed as you type, Closed on escape."""

    BINDINGS = [
        action(
            "escape",
            "close",
            "Close search",
            id="search.close",
            group=SEARCH,
            show=True,
            palette=False,
            help="in the search bar: clear the search and close it; "
            "enter keeps the matches and goes back to reading",
        ),
    ]

    @dataclass
    class _BarMessage(Message):
        """A message from the search bar (its `control`)."""

        bar: SearchBar

        @property
        def control(self) -> SearchBar:
            return self.bar

    @dataclass
    class Changed(_BarMessage):
        """The query changed (incremental search)."""

        query: str

    @dataclass
    class Submitted(_BarMessage):
        """Enter: keep the matches and go back to reading."""

        query: str

    class Closed(_BarMessage):
        """Escape: clear the search."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.display = False  # until `open`
        self._count = ""
        #: The text on show in the count.
        self._shown = ""
        self._message = PassingMessage(self, self._show)

    def compose(self) -> ComposeResult:
        # One line in place of the status line (as in less and vim): showing the bar then
        # moves nothing else on the screen, so opening it repaints one line, not all.
        yield Label("/", id="search-prompt", markup=False)
        yield Input(
            placeholder="Search (re: for a regular expression)", id="search-input", compact=True
        )
        # counts, errors and messages quote the query and the essay: text, never markup
        yield Label("", id="search-count", markup=False)

    @property
    def input(self) -> Input:
        """The query input."""
        return self.query_one("#search-input", Input)

    def open(self) -> None:
        """Show the bar and give it the keys typed from now on."""
        # Shown and hidden by its own style, not a class: a class restyles the bar and its
        # three widgets from the stylesheet (~5 ms at 4.4 MB), the style lays out alone.
        self.display = True
        # Now, not later (Widget.focus waits a turn): the keys typed next go to the bar.
        self.screen.set_focus(self.input)

    def close(self) -> None:
        """Hide the bar (the query stays until `clear`)."""
        self.display = False

    def clear(self) -> None:
        """Empty the query without a `Changed` (the search is cleared by the caller)."""
        with self.input.prevent(Input.Changed):
            self.input.value = ""

    def search_for(self, text: str) -> None:
        """Put `text` in the query, as if typed (a `Changed` follows)."""
        self.input.value = text

    def set_count(self, text: str) -> None:
        """Show "3/12", "no match" or an error."""
        self._count = text
        self._show()

    @property
    def count(self) -> str:
        """The count on show ("3/12"), or why there is none."""
        return self._count

    @property
    def message(self) -> str:
        """The message on show in the bar, "" when none."""
        return self._message.text

    def clear_message(self) -> None:
        """Take away the message on show (it was about an earlier query)."""
        self._message.clear()

    def say(self, message: str, seconds: float = 4.0) -> None:
        """Show a message for a while where the count is (the status line is hidden)."""
        self._message.show(message, seconds)

    def _show(self) -> None:
        message = self._message.text
        shown = (f"{self._count} · {message}" if message else self._count).strip(" ·")
        if shown == self._shown:
            return
        # The count is as wide as its text (at least MIN_COUNT_CELLS): a text of the same
        # width, or one that stays within the minimum, repaints one line instead of laying
        # out the screen (~10 ms at 4.4 MB; a search shows two counts per key typed).
        widths = (cell_len(shown), cell_len(self._shown))
        same_width = widths[0] == widths[1] or max(widths) <= MIN_COUNT_CELLS
        self._shown = shown
        self.query_one("#search-count", Label).update(inert(shown), layout=not same_width)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))

    def action_close(self) -> None:
        self.post_message(self.Closed(self))
