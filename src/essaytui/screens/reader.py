"""The reader screen: composes the panes, lays them out and routes their messages.

The state of the reading lives in plain-Python sessions (`essaytui.sessions`): where
the reader has been (`Navigator`), the search (`SearchSession`), the annotations
(`AnnotationSession`) and the saved place (`ReadingPosition`). Panes never reach into
each other: they post messages, and this screen tells the sessions and the other panes
(data down, messages up). What can be slow runs in workers: searching a long text or
with a regular expression, placing annotations in an edited text, and writes that wait
for a database another essaytui holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Resize
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from essaytui.model.annotation import AnchorStatus
from essaytui.model.essay import Essay
from essaytui.model.ranges import RangeIndex
from essaytui.model.search import SearchError
from essaytui.screens.reader_actions import ReaderActions
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
from essaytui.sessions.search import Query, SearchSession
from essaytui.sessions.targets import FootnoteRef, LinkRef, MatchRef, Target, TermHit
from essaytui.store import AnnotationStore, StoreBusy, StoreError
from essaytui.widgets.essay_view import EssayView, Mark
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.side_pane import SidePane, SidePlaceholder
from essaytui.widgets.sources import SourcesPane
from essaytui.widgets.status import StatusLine, reading_status

#: Seconds between saves of the reading position, and between looks for notes
#: another essaytui wrote.
SAVE_EVERY = 5.0
POLL_EVERY = 2.0
#: How long messages stay on the bottom line, in seconds.
SHORT, LONG = 4.0, 10.0


class ReaderScreen(ReaderActions):
    """Reading one essay."""

    #: The essay read (a new value, the complete parse of a long file, reaches every pane).
    essay: var[Essay] = var(None, always_update=True, init=False)  # type: ignore[arg-type]
    #: Where the text and the panes go at the current width (see `sessions.layout`).
    plan: var[Plan | None] = var(None, init=False)

    def __init__(self, essay: Essay, store: AnnotationStore | None = None) -> None:
        super().__init__()
        self.set_reactive(ReaderScreen.essay, essay)
        self.store = store if store is not None else AnnotationStore.in_memory()
        self.navigator = Navigator()
        self.search = SearchSession(essay.reading_text)
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

    # -- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        essay = self.essay
        with Horizontal(id="main"):
            yield OutlinePane(essay, id="outline").data_bind(ReaderScreen.essay)
            yield EssayView(essay, id="essay").data_bind(ReaderScreen.essay)
            with SidePlaceholder(SidePane(id="side")):  # Sources, the first tab, shows first
                with TabPane("Sources", id="sources-tab"):
                    yield SourcesPane(essay, id="sources").data_bind(ReaderScreen.essay)
                with TabPane("Glossary", id="glossary-tab"):
                    yield GlossaryPane(essay, id="glossary").data_bind(ReaderScreen.essay)
                with TabPane("Notes", id="notes-tab"):
                    yield NotesPane(essay, id="notes").data_bind(ReaderScreen.essay)
        yield SearchBar(id="search", classes="-hidden")
        yield StatusLine(id="status")
        yield KeyHints(id="keys")
        yield Peek(id="peek", classes="-hidden")

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

    def on_mount(self) -> None:
        self.relayout()  # before the first frame: the panes where the budget puts them
        view = self.view
        view.border_title = Text(self.essay.title)
        if self.essay.author:
            view.border_subtitle = Text(self.essay.author)
        view.focus()
        self._update_status()
        for warning in self._startup_messages():
            self.say(warning, seconds=LONG)
        self.reload_annotations()
        self.restore_position()
        self.set_interval(SAVE_EVERY, self.save_position, name="save-position")
        self.set_interval(POLL_EVERY, self._poll_store, name="poll-store")

    def _startup_messages(self) -> list[str]:
        found = [self._warning_summary()] if self.essay.warnings else []
        found += [f"⚠ {warning}" for warning in getattr(self.app, "startup_warnings", [])]
        if self.store.notice:
            found.append(self.store.notice)
        if self.store.problem and self.store.read_only:
            found.append(self.store.problem)  # "… your notes are shown, but …"
        elif self.store.problem:
            found.append(
                f"{self.store.problem} Your notes are kept for this session: "
                "export them from the command palette (ctrl+p)."
            )
        return found

    def _warning_summary(self) -> str:
        warnings = self.essay.warnings
        more = f" (+{len(warnings) - 1} more)" if len(warnings) > 1 else ""
        return f"⚠ {warnings[0]}{more}"

    def open_essay(self, essay: Essay) -> None:
        """Read another essay in this screen: its own notes, place, jumps and search."""
        self.save_position()
        self.navigator = Navigator()
        self.search = SearchSession(essay.reading_text)
        self.notes = AnnotationSession(essay, self.store)
        self.position = ReadingPosition(essay, self.store)
        self.next_ref = {}
        view = self.view
        view.target = None
        view.selection = None
        view.scroll_to(y=0, animate=False, immediate=True)
        view.border_title = Text(essay.title)
        view.border_subtitle = Text(essay.author) if essay.author else ""
        self.essay = essay
        self.relayout()
        self.refresh_bindings()

    def watch_essay(self, essay: Essay) -> None:
        """A new version of the essay (the complete parse of a large file), or another."""
        self.search.set_text(essay.reading_text)
        self.notes.essay = essay
        self.position.essay = essay
        self.reload_annotations()
        if not self.position.restored:
            self.restore_position()
        self._update_status()
        if essay.warnings:
            self.say(self._warning_summary(), seconds=8)

    def rest_unreadable(self, error: str) -> None:
        """The rest of a long essay could not be read: read on in its first part (its
        position is no longer saved: it would be measured on a part)."""
        self.position.frozen = True
        self._update_status()
        self.say(f"Only the first part could be read: {error}", seconds=15)

    # -- layout --------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.relayout(event.size.width)

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

    def watch_plan(self, plan: Plan | None) -> None:
        if plan is None:
            return
        self.set_class(self.narrow, "-narrow")
        with self.app.batch_update():
            _place(self.query_one(OutlinePane), plan.outline, plan.outline_over)
            for side in self.query(SidePane):
                _place(side, plan.side, plan.side_over)
            for placeholder in self.query(SidePlaceholder):
                _place(placeholder, plan.side, False)
            view = self.view
            view.text_width = plan.text
            view.sidenote_width = plan.sidenotes
        self._place_peek()

    @property
    def narrow(self) -> bool:
        """Whether the panes open over the essay (no room beside it)."""
        return self.plan is None or (self.plan.outline == 0 and self.plan.side == 0)

    @on(SidePane.Ready)
    def _side_arrived(self, event: SidePane.Ready) -> None:
        self._side_ready = True
        if self.plan is None:
            self.relayout()
        else:
            _place(event.pane, self.plan.side, self.plan.side_over)
        self._show_annotations()
        waiting, self._after_side = self._after_side, []
        for then in waiting:
            then()

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

    # -- where we are ----------------------------------------------------------------------

    def _update_status(self) -> None:
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
            )
        )

    @on(EssayView.Moved)
    def _moved(self, event: EssayView.Moved) -> None:
        self.query_one(OutlinePane).show_section(self.essay.section_at(event.top_offset))
        self._update_status()
        self._place_peek()

    @on(EssayView.Notice)
    def _notice(self, event: EssayView.Notice) -> None:
        self.say(event.text)

    # -- jumps -----------------------------------------------------------------------------

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

    # -- footnotes, terms, links ---------------------------------------------------------

    @on(EssayView.TargetSelected)
    def _target_selected(self, event: EssayView.TargetSelected) -> None:
        self._place_peek()
        self._update_status()

    def _peek_text(self, target: Target) -> tuple[str, str]:
        """What the peek shows for `target`, and its last line when cut."""
        match target:
            case FootnoteRef(label=label):
                note = self.essay.footnotes_by_label.get(label)
                if note is None or not note.defined:
                    return f"[^{label}] is referenced but never defined.", ""
                number = f"{note.number}. " if note.number else ""
                return f"{number}{note.text}\n\nenter: open in Sources", "… enter: the whole note"
            case TermHit(term_id=term_id):
                term = self.essay.terms_by_id.get(term_id)
                if term is None:
                    return "", ""
                return (
                    f"{term.name}: {term.definition}\n\nenter: open in Glossary",
                    "… enter: the whole entry",
                )
            case LinkRef(url=url):
                where = "go there" if url.startswith("#") else "open it"
                return f"Link: {url}\n\nenter: {where}", ""
            case MatchRef():
                return "", ""

    def _place_peek(self) -> None:
        peek = self.query_one(Peek)
        view = self.view
        target = view.target
        text, more = self._peek_text(target) if target is not None else ("", "")
        row = view.row_of(target.start) if target is not None else None
        if isinstance(target, FootnoteRef) and view.sidenote_is_whole(target.label):
            text = ""  # the whole note is in the margin beside its line
        if not text or row is None:
            peek.hide()
            return
        peek.show_near(text, view.scrollable_content_region, row, more=more)

    @on(EssayView.TargetFollowed)
    def _target_followed(self, event: EssayView.TargetFollowed) -> None:
        match event.target:
            case FootnoteRef(label=label):
                self.open_source(label)
            case TermHit(term_id=term_id):
                self.open_term(term_id)
            case LinkRef(url=url):
                self.open_link(url)
            case MatchRef():
                pass

    # -- search ------------------------------------------------------------------------------

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self.run_search(event.query)

    def run_search(self, text: str) -> None:
        """Find every match of `text`; the first at or after the top of the view is current."""
        bar = self.query_one(SearchBar)
        bar.clear_message()  # a message about the query typed before no longer applies
        try:
            query = self.search.begin(text)
        except SearchError as error:
            self._show_search(str(error))
            return
        if query is None:
            self._show_search()
        elif self.search.needs_worker(query):
            bar.set_count("searching…")
            if self._searching is None:
                self._start_search(query)
            else:
                self._search_next = query  # one search at a time; the newest runs next
        else:
            self._found(query, self.search.run(query), "")

    def _start_search(self, query: Query) -> None:
        self._searching = query
        self._search_worker(query)

    @work(thread=True, group="search", description="search")
    def _search_worker(self, query: Query) -> None:
        try:
            matches, error = self.search.run(query), ""
        except SearchError as problem:
            matches, error = [], str(problem)
        self.app.call_from_thread(self._found, query, matches, error)

    def _found(self, query: Query, matches: list[tuple[int, int]], error: str) -> None:
        if self._searching is query:
            self._searching = None
            waiting, self._search_next = self._search_next, None
            if waiting is not None:
                self._start_search(waiting)
        if self.search.found(query, matches, self.view.top_offset):
            self._show_search(error)

    def _show_search(self, error: str = "") -> None:
        view, search = self.view, self.search
        view.matches = _match_index(search.matches)
        view.current_match = search.current
        bar = self.query_one(SearchBar)
        bar.set_count("invalid" if error and not search.matches else search.count)
        if error:
            self.say(error)
        if search.current >= 0:
            self._show_match()
        self.refresh_bindings()

    def _show_match(self) -> None:
        view, search = self.view, self.search
        start, end = search.matches[search.current]
        view.current_match = search.current
        row = view.row_of(start)
        if row is None or row > view.scrollable_content_region.height // 3:
            view.center_on(start)  # where the eye reads: the upper third
        view.select_target(MatchRef(start, end, search.current), scroll=False)
        self.query_one(SearchBar).set_count(search.count)

    @on(SearchBar.Submitted)
    def _search_submitted(self, event: SearchBar.Submitted) -> None:
        origin, self._search_origin = self._search_origin, None
        if origin is not None and origin.top_offset != self.view.top_offset:
            self.navigator.remember(origin)  # the search was a jump: backspace returns
            self.refresh_bindings()
        self.view.focus()

    @on(SearchBar.Closed)
    def _search_closed(self, event: SearchBar.Closed) -> None:
        self.clear_search()

    # -- annotations -----------------------------------------------------------------------

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
        if self._side_ready:
            self.query_one(NotesPane).set_annotations(self.notes.annotations, self.notes.anchors)

    def _poll_store(self) -> None:
        try:
            # also when some notes ran out of time to be placed: another try
            if self.notes.changed_elsewhere() or self.notes.unsettled:
                self.reload_annotations()
        except StoreError:
            return

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "notes-tab":
            self._poll_store()

    def perform(self, change: Change | str, *, quiet: bool = False) -> bool:
        """Make `change` now; if another essaytui holds the database, in a worker that
        waits for it. Returns False when it is not going to be made (the reason is
        shown): nothing to do, or the write failed."""
        if isinstance(change, str):
            self.say(change)
            return False
        try:
            self.notes.make(change, wait=False)
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
            self.notes.make(change, wait=True)
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
                self.notes.make(change, wait=False)
            except StoreBusy:
                await asyncio.to_thread(self.notes.make, change, wait=True)
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
        if change.focus and self._side_ready:
            self.query_one(NotesPane).highlight_annotation(change.focus)

    # -- the reading position ------------------------------------------------------------

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


def _match_index(matches: list[tuple[int, int]]) -> RangeIndex[int]:
    return RangeIndex((start, end, index) for index, (start, end) in enumerate(matches))


def _place(pane: Widget, width: int, over: bool) -> None:
    """Show `pane` beside the essay (`width` cells), over it, or not at all."""
    pane.set_class(not width and not over, "-hidden")
    pane.set_class(over, "-over")
    pane.styles.width = width or None  # over the essay, the stylesheet gives the width


def _setting_int(store: AnnotationStore, key: str, default: int, low: int, high: int) -> int:
    """A whole-number setting within `[low, high]`, or `default`."""
    try:
        value = int(store.get_setting(key) or default)
    except (ValueError, StoreError):
        return default
    return max(low, min(high, value))
