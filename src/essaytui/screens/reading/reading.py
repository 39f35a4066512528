"""The state of one reading that every part of the reader screen shares: the essay, the
notes store, the sessions (`essaytui.sessions`), and the bottom line the reader is told
things on."""

from __future__ import annotations

from collections.abc import Sequence

from textual.screen import Screen

from essaytui.model.essay import Essay
from essaytui.sessions.annotations import AnnotationSession
from essaytui.sessions.navigator import Navigator
from essaytui.sessions.position import ReadingPosition
from essaytui.sessions.search import SearchSession
from essaytui.store import AnnotationStore, StoreBusy, StoreError
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.status import WORDS_PER_MINUTE, StatusLine, reading_status

#: How long messages stay on the bottom line, in seconds.
SHORT, LONG = 4.0, 10.0


class Reading:
    """One essay being read on `screen`: its sessions, and the moves every part makes."""

    def __init__(self, screen: Screen[None], essay: Essay, store: AnnotationStore) -> None:
        self.screen = screen
        self.store = store
        self.essay = essay
        self.navigator = Navigator()
        self.search = SearchSession(essay.reading_text, essay.footnotes)
        self.notes = AnnotationSession(essay, store)
        self.position = ReadingPosition(essay, store)
        #: Per footnote label, which of its references enter in Sources goes to next.
        self.next_ref: dict[str, int] = {}

    def restart(self, essay: Essay) -> None:
        """Another essay: its own notes, place, jumps and search."""
        self.navigator = Navigator()
        self.search = SearchSession(essay.reading_text, essay.footnotes)
        self.notes = AnnotationSession(essay, self.store)
        self.position = ReadingPosition(essay, self.store)
        self.next_ref = {}

    def update(self, essay: Essay) -> None:
        """A new version of the essay (the complete parse of a long file), or another."""
        self.essay = essay
        self.search.set_text(essay.reading_text, essay.footnotes)
        self.notes.essay = essay
        self.position.essay = essay

    @property
    def view(self) -> EssayView:
        """The essay view."""
        return self.screen.query_one(EssayView)

    @property
    def status(self) -> StatusLine:
        """The status line."""
        return self.screen.query_one(StatusLine)

    def say(self, message: str, seconds: float = SHORT) -> None:
        """Tell the reader something for a while on the bottom line (the search bar's,
        while it is open)."""
        bar = self.screen.query_one(SearchBar)
        (bar if bar.display else self.status).say(message, seconds)

    def show_status(self) -> None:
        """Section, progress and time left on the status line, for what is in view."""
        view = self.view
        target = view.target
        focus = (
            target.start if target is not None and view.row_of(target.start) is not None else None
        )
        self.status.set_status(
            reading_status(
                self.essay,
                view.top_offset,
                view.bottom_offset,
                focus=focus,
                rest_unreadable=self.position.frozen,
                # learned from the reader's own reading (the app keeps it)
                pace=getattr(self.screen.app, "words_per_minute", WORDS_PER_MINUTE),
            )
        )

    def startup_messages(self, warnings: Sequence[str]) -> list[str]:
        """What the reader is told as the essay opens: the essay's warnings, `warnings`
        (about keys.toml), and the state of the notes store."""
        store = self.store
        found = [self.warning_summary()] if self.essay.warnings else []
        found += [f"⚠ {warning}" for warning in warnings]
        if store.notice:
            found.append(store.notice)
        if store.problem and store.read_only:
            found.append(store.problem)  # "… your notes are shown, but …"
        elif store.problem:
            found.append(
                f"{store.problem} Your notes are kept for this session: "
                "export them from the command palette (ctrl+p)."
            )
        return found

    def warning_summary(self) -> str:
        """The essay's first warning, and how many more."""
        warnings = self.essay.warnings
        more = f" (+{len(warnings) - 1} more)" if len(warnings) > 1 else ""
        return f"⚠ {warnings[0]}{more}"

    def save_position(self) -> None:
        """Remember the offset at the top of the view (and its sentence); never waits."""
        view = self.view
        try:
            self.position.save(view.top_offset, view.bottom_offset, wait=False)
        except StoreBusy:
            return  # another essaytui is writing: the next save will do
        except StoreError as error:
            self.say(str(error), seconds=8)

    def restore_position(self) -> None:
        """Open at the saved place, found again by its sentence if the text changed
        (unless the text was opened at another place meanwhile)."""
        if self.position.restored:
            return
        try:
            offset = self.position.restore()
        except StoreError:
            return
        if offset is not None:
            self.view.scroll_to_offset(offset)
