"""What every part of the reader screen stands on: the sessions of one reading, the
layout it is given, and the few moves everything else is made of (tell the reader, jump
and remember, lay out again, write a change without waiting on the event loop).

`ReaderActions` (what the keys do) and `ReaderScreen` (the panes and their messages)
build on this; neither needs to know the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import work
from textual.reactive import var
from textual.screen import Screen

from essaytui.model.annotation import AnchorStatus
from essaytui.model.essay import Essay
from essaytui.model.ranges import RangeIndex
from essaytui.sessions.annotations import AnnotationSession, Change, Loading, Placed
from essaytui.sessions.layout import (
    MEASURE,
    MEASURE_MAX,
    MEASURE_MIN,
    MEASURE_SETTING,
    SIDENOTES_SETTING,
    Plan,
    Want,
    plan,
)
from essaytui.sessions.navigator import Navigator, Place
from essaytui.sessions.position import ReadingPosition
from essaytui.sessions.search import Hit, Query, SearchSession
from essaytui.sessions.targets import FootnoteRef, MatchRef, Target
from essaytui.store import AnnotationStore, StoreBusy, StoreError
from essaytui.widgets.essay_view import EssayView, Mark
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.status import StatusLine

#: How long messages stay on the bottom line, in seconds.
SHORT, LONG = 4.0, 10.0


class ReaderBase(Screen[None]):
    """The reading's state and the moves the reader's actions and panes share."""

    #: The essay read (a new value, the complete parse of a long file, reaches every pane).
    essay: var[Essay] = var(None, always_update=True, init=False)  # type: ignore[arg-type]

    #: Where the text and the panes go at the current width (see `sessions.layout`).
    plan: var[Plan | None] = var(None, init=False)

    def __init__(self, essay: Essay, store: AnnotationStore | None = None) -> None:
        super().__init__()
        self.set_reactive(ReaderBase.essay, essay)
        self.store = store if store is not None else AnnotationStore.in_memory()
        self.navigator = Navigator()
        self.search = SearchSession(essay.reading_text, essay.footnotes)
        self.notes = AnnotationSession(essay, self.store)
        self.position = ReadingPosition(essay, self.store)
        self._side_ready = False
        #: What the reader asked of the panes (o, p, 1…5, z) and of the text's measure.
        self.outline_want = Want.AUTO
        self.side_want = Want.AUTO
        self.focus_mode = False
        self.measure = _setting_int(self.store, MEASURE_SETTING, MEASURE, MEASURE_MIN, MEASURE_MAX)
        self.sidenotes_on = self.store.get_setting(SIDENOTES_SETTING) != "off"
        self._after_side: list[Callable[[], object]] = []
        self._search_origin: Place | None = None
        #: Per footnote label, which of its references enter in Sources goes to next.
        self.next_ref: dict[str, int] = {}
        self._searching: Query | None = None
        self._search_next: Query | None = None
        #: The selection whose pane was opened (enter): its peek stays closed.
        self.peek_closed_for: Target | None = None

    @property
    def view(self) -> EssayView:
        """The essay view."""
        return self.query_one(EssayView)

    @property
    def status(self) -> StatusLine:
        """The status line."""
        return self.query_one(StatusLine)

    def say(self, message: str, seconds: float = SHORT) -> None:
        """Tell the reader something for a while on the bottom line (the search bar's,
        while it is open)."""
        bar = self.query_one(SearchBar)
        (bar if bar.display else self.status).say(message, seconds)

    def relayout(self, width: int | None = None) -> None:
        """Lay the screen out again (after a resize, or a pane, focus or measure change)."""
        self.plan = plan(
            width or self.size.width or self.app.size.width,
            self.measure,
            outline=self.outline_want,
            side=self.side_want,
            sidenotes=self.sidenotes_on and bool(self.essay.footnote_refs),
            focus=self.focus_mode,
        )

    @property
    def narrow(self) -> bool:
        """Whether the panes open over the essay (no room beside it)."""
        return self.plan is None or (self.plan.outline == 0 and self.plan.side == 0)

    def side_here(self, then: Callable[[], object]) -> bool:
        """Whether the side pane is mounted; if not, `then` runs as soon as it is."""
        if self._side_ready:
            return True
        self._after_side.append(then)
        return False

    def hide_side_if_narrow(self) -> None:
        """After a jump from a pane over the essay, give the essay the screen back."""
        if self.plan is not None and self.plan.side_over:
            self.side_want = Want.AUTO
            self.relayout()

    def here(self) -> Place:
        """Where the reader is now."""
        return Place(self.view.top_offset, self.view.target)

    def jump_to(self, offset: int, target: Target | None = None, *, center: bool = False) -> None:
        """Remember where we are, then show `offset` (at the top, or in the upper third)."""
        self.navigator.remember(self.here())
        self.refresh_bindings()
        view = self.view
        view.scroll_to_offset(offset)
        if center:
            view.center_on(offset)
        if target is not None:
            view.select_target(target, scroll=False)

    def arrive(self, offset: int, target: Target | None = None) -> None:
        """A jump from a pane: there, in the upper third, the essay focused again."""
        self.jump_to(offset, target, center=True)
        self.hide_side_if_narrow()
        self.view.focus()

    def go_to_place(self, place: Place) -> None:
        """Show `place` exactly as it was (back and forward)."""
        view = self.view
        view.scroll_to_offset(place.top_offset)
        view.select_target(place.target, scroll=False)
        view.focus()
        self.hide_side_if_narrow()
        self.refresh_bindings()

    def _show_search(self, error: str = "") -> None:
        view, search = self.view, self.search
        view.matches = _match_index(search.hits)
        view.current_match = search.current
        self.show_matches_in_sources(search.in_notes)
        bar = self.query_one(SearchBar)
        bar.set_count("invalid" if error and not search.hits else search.count)
        if error:
            self.say(error)
        if search.current >= 0:
            self._show_match()
        self.refresh_bindings()

    def _show_match(self) -> None:
        view, search = self.view, self.search
        hit = search.current_hit
        assert hit is not None
        view.current_match = search.current
        self.query_one(SearchBar).set_count(search.count)
        if hit.note:
            self._show_match_in_note(hit)
            return
        start, end = hit.start, hit.end
        row = view.row_of(start)
        if row is None or row > view.scrollable_content_region.height // 3:
            view.center_on(start)  # where the eye reads: the upper third
        view.select_target(MatchRef(start, end, search.current), scroll=False)

    def _show_match_in_note(self, hit: Hit) -> None:
        """A match in a footnote: its reference selected (the peek shows the note), and
        the note in Sources when Sources is on screen or the note is never referenced."""
        note = self.essay.footnotes_by_label.get(hit.note)
        if note is None:
            return
        number = f"note {note.number}" if note.number else f"note [^{note.label}]"
        view = self.view
        if note.refs:
            start, end = note.refs[0]
            row = view.row_of(start)
            if row is None or row > view.scrollable_content_region.height // 3:
                view.center_on(start)
            view.select_target(FootnoteRef(start, end, note.label), scroll=False)
            self.show_source_of_match(note.label, open_pane=False)
        else:
            self.show_source_of_match(note.label, open_pane=True)
        self.say(f"Match in {number}.")

    def show_matches_in_sources(self, in_notes: dict[str, list[tuple[int, int]]]) -> None:
        """Mark the search's matches in the Sources pane (once it is mounted)."""

    def show_source_of_match(self, label: str, *, open_pane: bool) -> None:
        """Show the source `label` in Sources if the pane is on screen (or `open_pane`)."""

    def reload_annotations(self) -> None:
        """Read the essay's annotations and show them; place moved ones in a worker."""
        try:
            loading = self.notes.read()
        except StoreError as error:
            self.say(str(error), seconds=LONG)
            return
        self.notes.take(loading)
        self._show_annotations()
        for warning in self.store.take_warnings():  # rows skipped as damaged, kept in the file
            self.say(f"⚠ {warning}", seconds=LONG)
        if loading.to_place:
            self._place_annotations(loading)

    @work(thread=True, exclusive=True, group="anchors", description="placing annotations")
    def _place_annotations(self, loading: Loading) -> None:
        placed = self.notes.place(loading)
        self.app.call_from_thread(self._placed, loading, placed)

    def _placed(self, loading: Loading, placed: Placed) -> None:
        rewrites = self.notes.take(loading, placed)
        self._show_annotations()
        if rewrites:
            self.perform(self.notes.rewrite(rewrites), quiet=True)

    def _show_annotations(self) -> None:
        self.view.set_marks(
            Mark(
                anchor.start,
                anchor.end,
                annotation.kind,
                fuzzy=anchor.status is AnchorStatus.FUZZY,
                color=annotation.color,
            )
            for annotation, anchor in self.notes.drawn()
        )
        for pane in self.query(NotesPane):  # none before the side pane arrives (or after)
            pane.set_annotations(self.notes.annotations, self.notes.anchors)

    def perform(self, change: Change | str, *, quiet: bool = False) -> bool:
        """Make `change` now; if another essaytui holds the database, in a worker that
        waits for it. Returns False when it is not going to be made (the reason is
        shown): nothing to do, or the write failed."""
        if isinstance(change, str):
            self.say(change)
            return False
        try:
            change = self.notes.make(change, wait=False)
        except StoreBusy:
            self.say("Waiting for the notes database (another essaytui is writing)…", LONG)
            self._perform_waiting(change, quiet)
            return True
        except StoreError as error:
            self.say(f"Not saved: {error}", seconds=LONG)
            return False
        self._made(change, quiet)
        return True

    @work(thread=True, group="store", description="waiting for the notes database")
    def _perform_waiting(self, change: Change, quiet: bool) -> None:
        try:
            change = self.notes.make(change, wait=True)
        except StoreError as error:
            self.app.call_from_thread(self.say, f"Not saved: {error}", LONG)
            return
        self.app.call_from_thread(self._made, change, quiet)

    async def perform_and_wait(self, change: Change | str) -> str | None:
        """Make `change`, waiting off the event loop if another essaytui holds the
        database; None once it is saved, else why it was not (the note editor stays
        open with the text)."""
        if isinstance(change, str):
            return change
        try:
            try:
                change = self.notes.make(change, wait=False)
            except StoreBusy:
                change = await asyncio.to_thread(self.notes.make, change, wait=True)
        except StoreError as error:
            self.say(f"Not saved: {error}", seconds=LONG)
            return str(error)
        self._made(change, quiet=False)
        return None

    def _made(self, change: Change, quiet: bool) -> None:
        self.notes.made(change)
        if not quiet:
            self.say(change.done if self.store.persistent else f"{change.done} (this session only)")
        self.reload_annotations()
        if change.focus:
            for pane in self.query(NotesPane):
                pane.highlight_annotation(change.focus)

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
        """Open at the saved place, found again by its sentence if the text changed."""
        try:
            offset = self.position.restore()
        except StoreError:
            return
        if offset is not None:
            self.view.scroll_to_offset(offset)


def _match_index(hits: list[Hit]) -> RangeIndex[int]:
    """The essay's own matches, each with its number among all the matches."""
    return RangeIndex((hit.start, hit.end, index) for index, hit in enumerate(hits) if not hit.note)


def _setting_int(store: AnnotationStore, key: str, default: int, low: int, high: int) -> int:
    """A whole-number setting within `[low, high]`, or `default`."""
    try:
        value = int(store.get_setting(key) or default)
    except (ValueError, StoreError):
        return default
    return max(low, min(high, value))
