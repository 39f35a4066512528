"""Search: the bar, the matches in the essay and its notes, next and previous, and the
search that was a jump (backspace returns from where it began)."""

from __future__ import annotations

from functools import partial

from textual.actions import SkipAction

from essaytui.model.ranges import RangeIndex
from essaytui.model.search import SearchError
from essaytui.screens.reading.layout import PaneLayout
from essaytui.screens.reading.navigation import Navigation
from essaytui.screens.reading.reading import Reading
from essaytui.sessions.navigator import Place
from essaytui.sessions.search import Hit, Query
from essaytui.sessions.targets import FootnoteRef, LinkRef, MatchRef, TermHit
from essaytui.ui_thread import show_from_worker
from essaytui.widgets.search_bar import SearchBar


class Finding:
    """The search of one reading, shown in the essay, the bar and Sources."""

    def __init__(self, reading: Reading, layout: PaneLayout, navigation: Navigation) -> None:
        self.reading = reading
        self.layout = layout
        self.navigation = navigation
        self._origin: Place | None = None
        self._searching: Query | None = None
        self._next: Query | None = None

    @property
    def bar(self) -> SearchBar:
        """The search bar."""
        return self.reading.screen.query_one(SearchBar)

    # -- the keys ------------------------------------------------------------------------

    def open(self) -> None:
        """/: the bar, in the status line's place, with the keys."""
        self._origin = self.navigation.here()
        with self.reading.screen.app.batch_update():
            self.reading.status.set_shown(False)
            self.bar.open()

    def search_selection(self) -> None:
        """*: search for the selected text, term or link."""
        reading = self.reading
        view = reading.view
        selected = view.selected_range
        target = view.target
        if selected is not None:
            start, end = selected
        elif isinstance(target, TermHit | LinkRef):
            start, end = target.start, target.end
        else:
            reading.say("Select a word or a term first (v, then w; or t), then *.")
            return
        words = " ".join(reading.essay.quote(start, end).split())
        view.end_selection()
        self.open()
        self.bar.search_for(words)  # runs the search (SearchBar.Changed)

    def step(self, direction: int) -> None:
        """n / N: the next or previous match."""
        reading = self.reading
        if not reading.search.hits:
            reading.say("No search: press / to search.")
            return
        self.navigation.remember()
        wrapped = reading.search.step(direction)
        if wrapped:
            reading.say(wrapped)
        self._show_match()
        reading.screen.refresh_bindings()

    def escape(self) -> None:
        """escape: clear the search, or let the key go on when there is none."""
        if not self.reading.search.query:
            raise SkipAction()
        self.clear()

    def clear(self) -> None:
        """Clear the matches and hide the bar."""
        reading, bar = self.reading, self.bar
        with reading.screen.app.batch_update():
            bar.close()
            reading.status.set_shown(True)
        if bar.message:
            reading.status.say(bar.message, seconds=6)  # still to be read once the bar is gone
        bar.clear()
        reading.search.clear()
        self._show()
        view = reading.view
        if isinstance(view.target, MatchRef):
            view.target = None
        reading.screen.set_focus(view)

    def submitted(self) -> None:
        """enter in the bar: keep the matches, back to reading."""
        origin, self._origin = self._origin, None
        view = self.reading.view
        if origin is not None and origin.top_offset != view.top_offset:
            self.navigation.remember(origin)  # the search was a jump: backspace returns
        view.focus()

    # -- searching -------------------------------------------------------------------------

    def run(self, text: str) -> None:
        """Find every match of `text`; the first at or after the top of the view is current."""
        bar = self.bar
        bar.clear_message()  # a message about the query typed before no longer applies
        search = self.reading.search
        try:
            query = search.begin(text)
        except SearchError as error:
            self._show(str(error))
            return
        if query is None:
            self._show()
        elif search.needs_worker(query):
            bar.set_count("searching…")
            if self._searching is None:
                self._start(query)
            else:
                self._next = query  # one search at a time; the newest runs next
        else:
            self._found(query, search.run(query), "")

    def _start(self, query: Query) -> None:
        self._searching = query
        self.reading.screen.run_worker(
            partial(self._work, query), thread=True, group="search", description="search"
        )

    def _work(self, query: Query) -> None:
        try:
            matches, error = self.reading.search.run(query), ""
        except SearchError as problem:
            matches, error = [], str(problem)
        show_from_worker(self.reading.screen.app, self._found, query, matches, error)

    def _found(self, query: Query, matches: list[Hit], error: str) -> None:
        if self._searching is query:
            self._searching = None
            waiting, self._next = self._next, None
            if waiting is not None:
                self._start(waiting)
        if self.reading.search.found(query, matches, self.reading.view.top_offset):
            self._show(error)

    # -- showing -------------------------------------------------------------------------

    def _show(self, error: str = "") -> None:
        reading = self.reading
        view, search = reading.view, reading.search
        view.matches = _match_index(search.hits)
        view.current_match = search.current
        self._show_in_sources(search.in_notes)
        self.bar.set_count("invalid" if error and not search.hits else search.count)
        if error:
            reading.say(error)
        if search.current >= 0:
            self._show_match()
        reading.screen.refresh_bindings()

    def _show_match(self) -> None:
        view, search = self.reading.view, self.reading.search
        hit = search.current_hit
        assert hit is not None
        view.current_match = search.current
        self.bar.set_count(search.count)
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
        reading = self.reading
        note = reading.essay.footnotes_by_label.get(hit.note)
        if note is None:
            return
        number = f"note {note.number}" if note.number else f"note [^{note.label}]"
        view = reading.view
        if note.refs:
            start, end = note.refs[0]
            row = view.row_of(start)
            if row is None or row > view.scrollable_content_region.height // 3:
                view.center_on(start)
            view.select_target(FootnoteRef(start, end, note.label), scroll=False)
            self._show_source(note.label, open_pane=False)
        else:
            self._show_source(note.label, open_pane=True)
        reading.say(f"Match in {number}.")

    def _show_in_sources(self, in_notes: dict[str, list[tuple[int, int]]]) -> None:
        """Mark the search's matches in the Sources pane (once it is mounted)."""
        if self.layout.side_here(partial(self._show_in_sources, in_notes)):
            from essaytui.widgets.sources import (
                SourcesPane,  # (with the pane, after the first screen)
            )

            self.reading.screen.query_one(SourcesPane).matches = in_notes

    def _show_source(self, label: str, *, open_pane: bool) -> None:
        """Show the source `label` in Sources if the pane is on screen (or `open_pane`)."""
        from essaytui.widgets.side_pane import TABS, SidePane
        from essaytui.widgets.sources import SourcesPane

        if not self.layout.side_here(partial(self._show_source, label, open_pane=open_pane)):
            return
        screen = self.reading.screen
        if open_pane:
            self.layout.show_side("sources")
        elif not self.layout.side_shown or screen.query_one(SidePane).active != TABS["sources"]:
            return  # the peek shows the note
        screen.query_one(SourcesPane).show_source(label)


def _match_index(hits: list[Hit]) -> RangeIndex[int]:
    """The essay's own matches, each with its number among all the matches."""
    return RangeIndex((hit.start, hit.end, index) for index, hit in enumerate(hits) if not hit.note)
