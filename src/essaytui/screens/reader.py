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

from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from essaytui.model.essay import Essay
from essaytui.model.search import SearchError
from essaytui.screens.reader_actions import ReaderActions
from essaytui.sessions.annotations import AnnotationSession
from essaytui.sessions.layout import (
    Plan,
)
from essaytui.sessions.links import link_peek
from essaytui.sessions.navigator import Navigator
from essaytui.sessions.position import ReadingPosition
from essaytui.sessions.search import Hit, Query, SearchSession
from essaytui.sessions.targets import FootnoteRef, LinkRef, MatchRef, Target, TermHit
from essaytui.store import StoreError
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.side_pane import TABS, SidePane, SidePlaceholder
from essaytui.widgets.sources import SourcesPane
from essaytui.widgets.status import WORDS_PER_MINUTE, StatusLine, reading_status

#: Seconds between saves of the reading position, and between looks for notes
#: another essaytui wrote.
SAVE_EVERY = 5.0
POLL_EVERY = 2.0
#: How long messages stay on the bottom line, in seconds.
SHORT, LONG = 4.0, 10.0


class ReaderScreen(ReaderActions):
    """Reading one essay."""

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

    def on_mount(self) -> None:
        self.relayout()  # before the first frame: the panes where the budget puts them
        view = self.view
        self.query_one(Peek).beneath = view
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
        self.search = SearchSession(essay.reading_text, essay.footnotes)
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
        self.search.set_text(essay.reading_text, essay.footnotes)
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
                # learned from the reader's own reading (the app keeps it)
                pace=getattr(self.app, "words_per_minute", WORDS_PER_MINUTE),
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
            case LinkRef(url=url, image=image):
                return link_peek(self.essay, url, image), ""
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
            case LinkRef(url=url, image=image):
                self.open_link(url, noun="image" if image else "address")
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

    def _found(self, query: Query, matches: list[Hit], error: str) -> None:
        if self._searching is query:
            self._searching = None
            waiting, self._search_next = self._search_next, None
            if waiting is not None:
                self._start_search(waiting)
        if self.search.found(query, matches, self.view.top_offset):
            self._show_search(error)

    def show_matches_in_sources(self, in_notes: dict[str, list[tuple[int, int]]]) -> None:
        if self.side_here(partial(self.show_matches_in_sources, in_notes)):
            self.query_one(SourcesPane).matches = in_notes

    def show_source_of_match(self, label: str, *, open_pane: bool) -> None:
        if not self.side_here(partial(self.show_source_of_match, label, open_pane=open_pane)):
            return
        side = self.query_one(SidePane)
        if open_pane:
            self._show_side("sources")
        elif side.has_class("-hidden") or side.active != TABS["sources"]:
            return  # the peek shows the note
        self.query_one(SourcesPane).show_source(label)

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

    # -- the reading position ------------------------------------------------------------


def _place(pane: Widget, width: int, over: bool) -> None:
    """Show `pane` beside the essay (`width` cells), over it, or not at all."""
    pane.set_class(not width and not over, "-hidden")
    pane.set_class(over, "-over")
    pane.styles.width = width or None  # over the essay, the stylesheet gives the width
