"""The Library: every text held, with its series, progress, time left and notes."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, cast

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from essaytui.actions import LIBRARY, action, key_display
from essaytui.commands import as_markup
from essaytui.model.text import sanitize_inline
from essaytui.sessions.library import LibraryRow, LibraryView
from essaytui.ui_thread import show_from_worker
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.library_table import LibraryTable

if TYPE_CHECKING:
    from essaytui.model.essay import Essay
    from essaytui.screens.reader import ReaderScreen
    from essaytui.store.library import Library, LibraryText, TextHit
    from essaytui.store.rows import NoteHit


class LibraryHost(Protocol):
    """What the Library needs of the app (the app imports this screen, not the reverse)."""

    data_dir: Path
    essay: Essay
    #: binding id → keys, as remapped in keys.toml
    keymap_in_effect: dict[str, str]

    @property
    def library(self) -> Library: ...

    @property
    def reader(self) -> ReaderScreen: ...

    def library_rows(self) -> list[LibraryRow]: ...

    def gather_library(self) -> bool: ...

    def open_library_text(self, text: LibraryText, at: int | None = None) -> None: ...

    def neighbour_part(self, step: int) -> LibraryText | None: ...

    def action_library(self) -> None: ...

    def push_screen(self, screen: Screen[None]) -> object: ...

    def open_essay(
        self, path: Path, annotation_id: str | None = None, at: int | None = None
    ) -> object: ...


class LibraryScreen(Screen[bool]):
    """Every text of the library in a table: `enter` opens one where it was left."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "escape",
            "close",
            "Back",
            id="library.close",
            group=LIBRARY,
            show=True,
            palette=False,
            help="in the Library: back to the text (from the filter: back to the table)",
        ),
        action(
            "enter",
            "open_text",
            "Open",
            id="library.open",
            group=LIBRARY,
            show=True,
            palette=False,
            help="in the Library: open the text where you left it",
        ),
        action(
            "slash",
            "filter",
            "Filter",
            id="library.filter",
            group=LIBRARY,
            show=True,
            palette=False,
            help="in the Library: filter by title, author, series or the tags of its notes",
        ),
        action(
            "s",
            "sort",
            "Sort",
            id="library.sort",
            group=LIBRARY,
            show=True,
            palette=False,
            help="in the Library: sort by the next column (a series stays in part order)",
        ),
        action(
            "S",
            "reverse",
            "Reverse",
            id="library.reverse",
            group=LIBRARY,
            palette=False,
            help="in the Library: reverse the order",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = LibraryView([])
        #: the rows in the table, in its order
        self._shown: list[LibraryRow] = []

    @property
    def essay_app(self) -> LibraryHost:
        """The app (typed)."""
        return cast("LibraryHost", self.app)

    @property
    def table(self) -> LibraryTable:
        """The table of texts."""
        return self.query_one(LibraryTable)

    def compose(self) -> ComposeResult:
        yield Static("Library", id="library-title")
        yield Input(placeholder="Filter: title, author, series, tag…", id="library-filter")
        yield LibraryTable(id="library-table")
        yield Static("", id="library-status")
        yield KeyHints()

    def on_mount(self) -> None:
        self.fill(self.essay_app.library_rows())
        self.table.focus()
        # after the first frame: its reading and stat-ing would compete with it
        self.call_after_refresh(self.refresh_library)

    def fill(self, rows: list[LibraryRow]) -> None:
        """Show `rows` (kept in the view's order and filter), the cursor on the same text,
        or on the text being read when it was not listed before (the cursor starts there)."""
        reading = self.essay_app.essay.id
        listed = any(row.text.essay_id == reading for row in self.view.rows)
        self.view.rows = rows
        self._show(None if listed else reading)

    def _show(self, at_text: str | None = None) -> None:
        current = self.current_row()
        keep = current.text.essay_id if current is not None else self.essay_app.essay.id
        keep = at_text or keep
        shown = self._shown = self.view.shown()
        at = next((i for i, row in enumerate(shown) if row.text.essay_id == keep), 0)
        self.table.show(shown, at)
        arrow = "↓" if not self.view.descending else "↑"
        missing = sum(1 for row in shown if row.missing)
        order = f"sorted by {self.view.column.value} {arrow}"
        said = f"{len(shown)} of {len(self.view.rows)} texts · {order}"
        if missing:
            said += f" · {missing} missing (✗: its notes stay; export works)"
        self.query_one("#library-status", Static).update(said)

    def current_row(self) -> LibraryRow | None:
        """The text under the cursor."""
        shown = self._shown
        if not shown:
            return None
        return shown[min(self.table.cursor_row, len(shown) - 1)]

    @work(thread=True, exclusive=True, group="library")
    def refresh_library(self) -> None:
        """Bring the library up to date (bundled essay, texts read, changed files) in the
        background, then show it again."""
        if self.essay_app.gather_library():
            rows = self.essay_app.library_rows()
            show_from_worker(self.app, self.fill, rows)

    @on(Input.Changed, "#library-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self.view.filter = event.value
        self._show()

    @on(Input.Submitted, "#library-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(LibraryTable.HeaderClicked)
    def _header(self, event: LibraryTable.HeaderClicked) -> None:
        self.view.sort_by(event.column)
        self._show()

    @on(LibraryTable.RowClicked)
    def _clicked(self) -> None:
        self.action_open_text()

    def action_filter(self) -> None:
        """Type to filter."""
        self.query_one("#library-filter", Input).focus()

    def action_sort(self) -> None:
        """Sort by the next column."""
        shown = self.table.columns
        at = shown.index(self.view.column) if self.view.column in shown else -1
        self.view.column, self.view.descending = shown[(at + 1) % len(shown)], False
        self._show()

    def action_reverse(self) -> None:
        """Reverse the order."""
        self.view.descending = not self.view.descending
        self._show()

    def action_close(self) -> None:
        """Back to the text (from the filter: back to the table)."""
        if self.focused is self.query_one("#library-filter"):
            self.table.focus()
            return
        self.dismiss(True)

    def action_open_text(self) -> None:
        """Open the text under the cursor where it was left."""
        row = self.current_row()
        if row is None:
            return
        if row.missing:
            self.notify(
                f"{row.text.path} is missing: its notes stay (essaytui export works); "
                "put the file back or add it where it is now",
                severity="warning",
            )
            return
        self.dismiss(False)
        self.essay_app.open_library_text(row.text)


def library_commands(app: LibraryHost) -> Iterator[SystemCommand]:
    """The palette's library commands: the Library, searching it, the series' parts."""
    keys = app.keymap_in_effect.get("app.library", "B").split(",")
    shown = " ".join(key_display(key) for key in keys if key)
    yield SystemCommand(
        "Library",
        as_markup(f"every text, its series, progress and notes ({shown})"),
        app.action_library,
    )
    yield SystemCommand(
        "Search the library…",
        "every sentence and footnote of every text in the library; enter opens it there",
        lambda: app.push_screen(
            CommandPalette(providers=[LibrarySearchProvider], placeholder="Search the library…")
        ),
    )
    for step, name in ((1, "Next part"), (-1, "Previous part")):
        found = app.neighbour_part(step)
        if found is not None:
            label = found.place.label() if found.place else ""
            yield SystemCommand(
                f"Series: {name.lower()}",
                sanitize_inline(f"{label}: {found.title}"),
                partial(app.open_library_text, found),
            )


class LibrarySearchProvider(Provider):
    """The sentences of the library's texts that hold the words typed."""

    async def search(self, query: str) -> Hits:
        from essaytui.model.search import SearchError

        if not hasattr(type(self.app), "library_rows") or len(query.strip()) < 2:
            return
        app = cast("LibraryHost", self.app)
        try:
            hits, notes = await asyncio.to_thread(_search, app, query)
        except SearchError:
            return
        for note in notes:  # your own words first
            quote = sanitize_inline(f"✎ {note.annotation.note or note.snippet}")
            yield Hit(
                1.0,
                Content(quote),
                partial(_open_note, app, note),
                text=quote,
                help=as_markup(sanitize_inline(f"your note · {note.title} · “{note.snippet}”")),
            )
        for rank, hit in enumerate(hits):
            title = sanitize_inline(hit.snippet)
            where = sanitize_inline(f"{hit.title} — § {hit.section}" if hit.section else hit.title)
            if hit.note:
                where += f" · note {hit.note}"
            yield Hit(
                1.0 - rank / (len(hits) + 1),
                Content(title),
                partial(_open_hit, app, hit),
                text=title,
                help=as_markup(where),
            )


def _search(app: LibraryHost, query: str) -> tuple[list[TextHit], list[NoteHit]]:
    from essaytui.model.search import REGEX_PREFIX
    from essaytui.store import AnnotationStore, StoreError
    from essaytui.store.library import Library, LibraryError

    # its own connections: this runs in a thread
    try:
        with Library.open(app.data_dir) as library:
            hits = library.search(query, limit=30)
    except (LibraryError, sqlite3.Error):
        hits = []
    notes: list[NoteHit] = []
    if not query.startswith(REGEX_PREFIX):
        with contextlib.suppress(StoreError), AnnotationStore.open(app.data_dir) as store:
            notes = store.search_notes(query, limit=10)
    return hits, notes


def _open_note(app: LibraryHost, note: NoteHit) -> None:
    annotation = note.annotation
    if annotation.essay_id == app.essay.id:
        app.reader.go_to_annotation(annotation.id)
    elif note.path and Path(note.path).is_file():
        held = app.library.text(annotation.essay_id)
        if held is not None:
            app.open_library_text(held, at=annotation.start)
        else:
            app.open_essay(Path(note.path), annotation.id)


def _open_hit(app: LibraryHost, hit: TextHit) -> None:
    held = app.library.text(hit.essay_id)
    if held is not None:
        if held.essay_id == app.essay.id:
            app.reader.navigation.jump_to(hit.start)
        else:
            app.open_library_text(held, at=hit.start)
