"""The reader screen: the coordinator of the outline, the essay and the side pane.

Panes never reach into each other: they post messages, and this screen tells
the others what to show (data down, messages up).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import DescendantBlur, DescendantFocus, Resize
from textual.lazy import Lazy
from textual.message import Message
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane

from essaytui.model.anchoring import (
    Anchor,
    nearest_occurrence,
    reanchor_all,
    reanchor_offset,
)
from essaytui.model.annotation import (
    AnchorStatus,
    Annotation,
    Kind,
    as_deleted,
    make_annotation,
    now_iso,
    relocated,
    text_hash,
    with_note,
)
from essaytui.model.essay import Essay
from essaytui.model.search import SearchError, TextSearch, compile_query
from essaytui.model.source import sanitize
from essaytui.store import AnnotationStore, StoreError
from essaytui.typeahead import hold_keys
from essaytui.widgets.essay_view import EssayView, Item, Mark
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.sources import SourcesPane
from essaytui.widgets.status import StatusLine, reading_status

#: Below this width the panes become overlays and start hidden.
WIDE_LAYOUT = 120
#: How many places the back stack remembers.
HISTORY_LIMIT = 100
UNSAFE_SCHEMES = ("javascript:", "data:", "file:", "vbscript:")
#: The file in the export folder that quotations are added to when no clipboard works.
QUOTATIONS_FILE = "quotations.md"
#: Texts longer than this are searched in a worker thread.
SEARCH_IN_WORKER = 512 * 1024


@dataclass(frozen=True)
class Place:
    """Where the reader was: the offset at the top of the view and the selection."""

    top_offset: int
    item: Item | None


class SidePane(TabbedContent):
    """Sources, Glossary and Notes in tabs, mounted just after the first screen."""

    class Ready(Message):
        """The pane is mounted (it comes a frame after the essay; see `SidePlaceholder`)."""

        def __init__(self, pane: SidePane) -> None:
            super().__init__()
            self.pane = pane

    def on_mount(self) -> None:
        self.post_message(self.Ready(self))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self._mark_focus()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        # focus may be moving to another widget in the pane: look once it has landed
        self.call_later(self._mark_focus)

    def _mark_focus(self) -> None:
        focused = self.screen.focused
        inside = focused is not None and self in focused.ancestors
        if inside != self.has_class("-focus-within"):
            # Restyle this node alone (its border): a :focus-within rule, or a class
            # change with the usual update, restyles every widget inside on each move.
            self.set_class(inside, "-focus-within", update=False)
            self.app.stylesheet.apply(self)
            self.refresh()


class SidePlaceholder(Lazy):
    """Holds the side pane's place until it is mounted, right after the first screen.

    The essay is on screen ~30 ms sooner (the pane is ~20 widgets), and the layout does
    not move when the pane arrives: the placeholder has its size and border.
    """


class ReaderScreen(Screen[None]):
    """Reading one essay."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", show=True, id="reader.search"),
        Binding("n", "next_match(1)", "Next match", show=False, id="reader.next_match"),
        Binding("N", "next_match(-1)", "Previous match", show=False, id="reader.previous_match"),
        Binding("backspace", "back", "Back", show=True, id="reader.back"),
        Binding("o", "toggle_outline", "Outline", show=True, id="reader.outline"),
        Binding("p", "toggle_side", "Side pane", show=True, id="reader.side"),
        Binding(
            "1", "focus_pane('outline')", "Focus outline", show=False, id="reader.focus_outline"
        ),
        Binding("2", "focus_pane('essay')", "Focus essay", show=False, id="reader.focus_essay"),
        Binding(
            "3", "focus_pane('sources')", "Focus sources", show=False, id="reader.focus_sources"
        ),
        Binding(
            "4", "focus_pane('glossary')", "Focus glossary", show=False, id="reader.focus_glossary"
        ),
        Binding("5", "focus_pane('notes')", "Focus notes", show=False, id="reader.focus_notes"),
        Binding("A", "toggle_all_terms", "All term marks", show=False, id="reader.all_terms"),
        Binding("escape", "clear_search", "Clear search", show=False, id="reader.clear_search"),
        Binding("h", "annotate('highlight')", "Highlight", show=False, id="reader.highlight"),
        Binding("a", "annotate('note')", "Note", show=False, id="reader.note"),
        Binding("y", "copy_quote", "Copy quote", show=False, id="reader.copy"),
        Binding("m", "bookmark", "Bookmark", show=False, id="reader.bookmark"),
    ]

    def __init__(self, essay: Essay, store: AnnotationStore | None = None) -> None:
        super().__init__()
        self.essay = essay
        self.store = store if store is not None else AnnotationStore.in_memory()
        self.annotations: list[Annotation] = []
        self.anchors: dict[str, Anchor] = {}
        self._deleted: list[str] = []
        self._data_version = -1
        self._saved_top = -1
        self._position_restored = False
        self.history: list[Place] = []
        self._next_ref: dict[str, int] = {}
        self._narrow: bool | None = None
        self._query = ""
        self._search_cache: TextSearch | None = None
        self._rest_unreadable = False
        self._side_ready = False
        self._after_side: list[Callable[[], object]] = []

    # -- building --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        essay = self.essay
        with Horizontal(id="main"):
            yield OutlinePane(essay, id="outline")
            yield EssayView(essay, id="essay")
            with SidePlaceholder(SidePane(id="side", initial="sources-tab")):
                with TabPane("Sources", id="sources-tab"):
                    yield SourcesPane(essay, id="sources")
                with TabPane("Glossary", id="glossary-tab"):
                    yield GlossaryPane(essay, id="glossary")
                with TabPane("Notes", id="notes-tab"):
                    yield NotesPane(essay, id="notes")
        yield SearchBar(id="search", classes="-hidden")
        yield StatusLine(id="status")
        yield KeyHints(id="keys")
        yield Peek(id="peek", classes="-hidden")

    @property
    def view(self) -> EssayView:
        """The essay view."""
        return self.query_one(EssayView)

    def say(self, message: str, seconds: float = 4.0) -> None:
        """Tell the reader something for a while, on the bottom line.

        While the search bar is open it holds the bottom line, and the message goes there.
        """
        bar = self.query_one(SearchBar)
        if bar.display:
            bar.say(message, seconds)
        else:
            self.status.say(message, seconds)

    @property
    def status(self) -> StatusLine:
        """The status line."""
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        view = self.view
        view.border_title = Text(self.essay.title)
        if self.essay.author:
            view.border_subtitle = Text(self.essay.author)
        view.focus()
        self._update_status()
        if self.essay.warnings:
            self.say(self._warning_summary(), seconds=8)
        for warning in getattr(self.app, "startup_warnings", []):
            self.say(f"⚠ {warning}", seconds=10)
        if self.store.notice:
            self.say(self.store.notice, seconds=12)
        if self.store.problem:
            self.say(
                f"{self.store.problem} Your notes are kept for this session: "
                "export them from the command palette (ctrl+p).",
                seconds=15,
            )
        self.reload_annotations()
        self.restore_position()
        self.set_interval(5, self.save_position, name="save-position")
        self.set_interval(2, self._poll_store, name="poll-store")

    def _warning_summary(self) -> str:
        warnings = self.essay.warnings
        more = f" (+{len(warnings) - 1} more)" if len(warnings) > 1 else ""
        return f"⚠ {warnings[0]}{more}"

    def rest_unreadable(self, error: str) -> None:
        """The rest of a long essay could not be read: read on in its first part.

        The reading position is not saved from here on (it would be measured against a
        partial text); the one saved before stays.
        """
        self._rest_unreadable = True
        self._update_status()
        self.say(f"Only the first part could be read: {error}", seconds=15)

    def set_essay(self, essay: Essay) -> None:
        """Swap in a new version of the essay (the complete parse of a large file)."""
        self.essay = essay
        self.view.set_essay(essay)
        self.query_one(OutlinePane).set_essay(essay)
        if self._side_ready:  # else the pane takes it up when it arrives
            for pane in self._side_panes():
                pane.set_essay(essay)
        self.reload_annotations()
        if not self._position_restored:
            self.restore_position()
        self._update_status()
        if essay.warnings:
            self.say(self._warning_summary(), seconds=8)

    # -- layout ------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < WIDE_LAYOUT
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self.set_class(narrow, "-narrow")
        self.query_one(OutlinePane).set_class(narrow, "-hidden")
        for side in self.query(SidePane):
            side.set_class(narrow, "-hidden")

    @on(SidePane.Ready)
    def _side_arrived(self, event: SidePane.Ready) -> None:
        self._side_ready = True
        event.pane.set_class(bool(self._narrow), "-hidden")
        for pane in self._side_panes():
            if pane.essay is not self.essay:
                pane.set_essay(self.essay)
        self.query_one(NotesPane).set_annotations(self.annotations, self.anchors)
        waiting, self._after_side = self._after_side, []
        for then in waiting:
            then()

    def _side_panes(self) -> tuple[SourcesPane, GlossaryPane, NotesPane]:
        """The panes in the side pane's tabs (once it has arrived)."""
        return self.query_one(SourcesPane), self.query_one(GlossaryPane), self.query_one(NotesPane)

    def _side_here(self, then: Callable[[], object]) -> bool:
        """Whether the side pane is mounted; if not, `then` runs as soon as it is."""
        if self._side_ready:
            return True
        self._after_side.append(then)
        return False

    def _hide_side(self) -> None:
        for side in self.query(SidePane):
            side.add_class("-hidden")

    def _show_side(self, tab: str) -> None:
        side = self.query_one(SidePane)
        side.remove_class("-hidden")
        side.active = tab

    def action_toggle_outline(self) -> None:
        outline = self.query_one(OutlinePane)
        outline.toggle_class("-hidden")
        if outline.has_class("-hidden") and outline.has_focus:
            self.view.focus()
        elif not outline.has_class("-hidden") and self._narrow:
            outline.focus()

    def action_toggle_side(self) -> None:
        if not self._side_here(self.action_toggle_side):
            return
        side = self.query_one(SidePane)
        side.toggle_class("-hidden")
        focused = self.focused
        if (
            side.has_class("-hidden")
            and focused is not None
            and side in focused.ancestors_with_self
        ):
            self.view.focus()

    def action_focus_pane(self, pane: str) -> None:
        if pane == "outline":
            outline = self.query_one(OutlinePane)
            outline.remove_class("-hidden")
            outline.focus()
        elif pane == "essay":
            self.view.focus()
        elif self._side_here(partial(self.action_focus_pane, pane)):
            self._show_side(f"{pane}-tab")
            self._focus_side(pane)

    def _focus_side(self, pane: str) -> None:
        if pane == "sources":
            self.query_one(SourcesPane).focus()
        elif pane == "glossary":
            glossary = self.query_one(GlossaryPane)
            target = "#glossary-occurrences" if glossary.term is not None else "#glossary-terms"
            glossary.query_one(target).focus()
        elif pane == "notes":
            self.query_one(NotesPane).focus()

    def action_toggle_all_terms(self) -> None:
        view = self.view
        view.toggle_all_terms()
        self.say(
            "Marking every glossary term."
            if view.show_all_terms
            else "Marking the first glossary term of each section."
        )

    # -- where we are ------------------------------------------------------------

    def _update_status(self) -> None:
        view = self.view
        top = view.top_offset
        self.status.set_status(
            reading_status(
                self.essay, top, view.bottom_offset, rest_unreadable=self._rest_unreadable
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

    @on(OutlinePane.SectionChosen)
    def _section_chosen(self, event: OutlinePane.SectionChosen) -> None:
        self.jump_to(event.section.start)
        if self._narrow:
            self.query_one(OutlinePane).add_class("-hidden")
        self.view.focus()

    # -- jumps and the back stack ------------------------------------------------

    def go_to_section(self, index: int) -> None:
        """Jump to section `index` (from the command palette)."""
        self.jump_to(self.essay.sections[index].start)
        self.view.focus()

    def note_targets(self) -> list[tuple[str, str, Callable[[], None]]]:
        """Command-palette entries "Go to: note …" (title, help, callback)."""
        found: list[tuple[str, str, Callable[[], None]]] = []
        for annotation in self.annotations:
            quote = " ".join(sanitize(annotation.exact).split())[:60]
            note = " ".join(sanitize(annotation.note).split())[:60]
            found.append(
                (
                    f"Go to: {annotation.kind.value} “{quote}”",
                    note or annotation.modified[:10],
                    partial(self.go_to_annotation, annotation.id),
                )
            )
        return found

    def _here(self) -> Place:
        view = self.view
        return Place(view.top_offset, view.item)

    def remember(self) -> None:
        """Push the current place on the back stack (no consecutive duplicates)."""
        place = self._here()
        if self.history and self.history[-1] == place:
            return
        self.history.append(place)
        del self.history[:-HISTORY_LIMIT]

    def jump_to(self, offset: int, item: Item | None = None) -> None:
        """Remember where we are, then show `offset` at the top."""
        self.remember()
        view = self.view
        view.scroll_to_offset(offset)
        if item is not None:
            view.select_item(item, scroll=False)

    def action_back(self) -> None:
        if not self.history:
            self.say("Nothing to go back to.")
            return
        place = self.history.pop()
        view = self.view
        view.scroll_to_offset(place.top_offset)
        view.select_item(place.item, scroll=False)
        view.focus()
        if self._narrow:
            self._hide_side()

    # -- footnotes, terms, links ---------------------------------------------------

    @on(EssayView.ItemSelected)
    def _item_selected(self, event: EssayView.ItemSelected) -> None:
        self._place_peek()

    def _peek_text(self, item: Item) -> str:
        if item.kind == "footnote":
            note = self.essay.footnotes_by_label.get(item.data)
            if note is None or not note.defined:
                return f"[^{item.data}] is referenced but never defined."
            number = f"{note.number}. " if note.number else ""
            return f"{number}{note.text}\n\nenter: open in Sources"
        if item.kind == "term":
            term = self.essay.terms_by_id.get(item.data)
            if term is None:
                return ""
            return f"{term.name}: {term.definition}\n\nenter: open in Glossary"
        if item.kind == "link":
            return f"Link: {item.data}\n\nenter: open it"
        return ""

    def _place_peek(self) -> None:
        peek = self.query_one(Peek)
        view = self.view
        item = view.item
        text = self._peek_text(item) if item is not None else ""
        if not text:
            peek.add_class("-hidden")
            return
        layout = view.layout_lines
        row = layout.line_at(item.start) - round(view.scroll_y) if item else -1
        height = view.scrollable_content_region.height
        if not 0 <= row < height:
            peek.add_class("-hidden")
            return
        region = view.scrollable_content_region
        width = min(70, max(20, region.width - 4))
        peek.styles.width = width
        peek.update(text)
        x = region.x + max(0, (region.width - width) // 2)
        below = region.y + row + 1
        space_below = region.bottom - below
        lines_needed = min(12, 2 + len(text) // max(1, width - 4) + text.count("\n") + 1)
        y = below if space_below >= min(lines_needed, 6) else max(0, region.y + row - lines_needed)
        peek.styles.offset = (x, y)
        peek.remove_class("-hidden")

    @on(EssayView.ItemFollowed)
    def _item_followed(self, event: EssayView.ItemFollowed) -> None:
        item = event.item
        if item.kind == "footnote":
            self.open_source(item.data)
        elif item.kind == "term":
            self.open_term(item.data)
        elif item.kind == "link":
            self.open_link(item.data)

    def open_source(self, label: str) -> None:
        """Remember the place, then show and focus the source `label`."""
        if not self._side_here(partial(self.open_source, label)):
            return
        self.remember()
        self.query_one(Peek).add_class("-hidden")
        self._show_side("sources-tab")
        sources = self.query_one(SourcesPane)
        sources.show_source(label)
        sources.focus()

    def open_term(self, term_id: str) -> None:
        """Remember the place, then show the glossary entry of `term_id`."""
        if not self._side_here(partial(self.open_term, term_id)):
            return
        self.remember()
        self.query_one(Peek).add_class("-hidden")
        self._show_side("glossary-tab")
        item = self.view.item
        near = item.start if item is not None and item.data == term_id else None
        self.query_one(GlossaryPane).open_term(term_id, focus=True, near=near)

    def open_link(self, url: str) -> None:
        """Show a link's address; open it only if it is a web address and asked to."""
        from essaytui.screens.confirm import ConfirmScreen

        if url.strip().lower().startswith(UNSAFE_SCHEMES):
            self.say(f"Not opened (unsafe address): {url}", seconds=8)
            return

        def opened(confirmed: bool | None) -> None:
            if confirmed:
                self.app.open_url(url)
                self.say(f"Opened {url}")

        self.app.push_screen(ConfirmScreen(f"Open this address?\n\n{url}"), opened)

    @on(SourcesPane.SourceChosen)
    def _source_chosen(self, event: SourcesPane.SourceChosen) -> None:
        note = self.essay.footnotes_by_label.get(event.label)
        if note is None or not note.refs:
            self.say("This source is never referenced in the text.")
            return
        index = self._next_ref.get(event.label, 0) % len(note.refs)
        self._next_ref[event.label] = index + 1
        start, end = note.refs[index]
        self.jump_to(max(0, start - 1), Item("footnote", start, end, event.label))
        self._center_on(start)
        if len(note.refs) > 1:
            self.say(f"Reference {index + 1} of {len(note.refs)} to note {note.number}.")
        if self._narrow:
            self._hide_side()
        self.view.focus()

    def _center_on(self, offset: int) -> None:
        view = self.view
        line = view.layout_lines.line_at(offset)
        view.scroll_to(
            y=max(0, line - view.scrollable_content_region.height // 3),
            animate=False,
            immediate=True,
        )

    @on(SourcesPane.LinkChosen)
    def _link_chosen(self, event: SourcesPane.LinkChosen) -> None:
        self.open_link(event.url)

    @on(GlossaryPane.OccurrenceChosen)
    def _occurrence_chosen(self, event: GlossaryPane.OccurrenceChosen) -> None:
        self.jump_to(event.start, Item("term", event.start, event.end, event.term_id))
        self._center_on(event.start)
        if self._narrow:
            self._hide_side()
        self.view.focus()

    # -- search -----------------------------------------------------------------------

    def action_search(self) -> None:
        bar = self.query_one(SearchBar)
        with self.app.batch_update():
            # the bar takes the status line's place while a search is on
            self.status.add_class("-hidden")
            bar.remove_class("-hidden")
        # Now, not later (Widget.focus waits a turn): the keys typed after / go to the bar.
        self.set_focus(bar.input)

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self.run_search(event.query)

    def run_search(self, query: str) -> None:
        """Find every match of `query`; select the first at or after the top of the view."""
        bar = self.query_one(SearchBar)
        view = self.view
        self._query = query
        if not query.strip():
            view.set_matches([])
            bar.set_count("")
            return
        try:
            pattern = compile_query(query)
        except SearchError as error:
            view.set_matches([])
            bar.set_count("invalid")
            self.say(str(error))
            return
        text = self.essay.reading_text
        if len(text) > SEARCH_IN_WORKER:
            # A long text (or an unlucky regular expression) must not freeze the keys.
            bar.set_count("searching…")
            self._search_worker(query, pattern, text)
            return
        self._show_matches(query, self._text_search(text).find(query, pattern))

    def _text_search(self, text: str) -> TextSearch:
        """The search over `text` (the essay's), its case-folded copy kept between queries."""
        search = self._search_cache
        if search is None or search.text is not text:
            search = self._search_cache = TextSearch(text)
        return search

    @work(thread=True, exclusive=True, group="search", description="search")
    def _search_worker(self, query: str, pattern: re.Pattern[str], text: str) -> None:
        matches = self._text_search(text).find(query, pattern)
        self.app.call_from_thread(self._show_matches, query, matches)

    def _show_matches(self, query: str, matches: list[tuple[int, int]]) -> None:
        if query != self._query:
            return  # the reader has typed on since
        view = self.view
        bar = self.query_one(SearchBar)
        if not matches:
            view.set_matches([])
            bar.set_count("no match")
            return
        top = view.top_offset
        current = bisect.bisect_left(matches, (top, -1))
        if current >= len(matches):
            current = 0
        view.set_matches(matches, current)
        self._show_match()

    def _show_match(self) -> None:
        view = self.view
        bar = self.query_one(SearchBar)
        start, _ = view.matches[view.current_match]
        view.scroll_to_offset(start, top=False, margin=3)
        bar.set_count(f"{view.current_match + 1}/{len(view.matches)}")

    @on(SearchBar.Submitted)
    def _search_submitted(self, event: SearchBar.Submitted) -> None:
        self.view.focus()

    @on(SearchBar.Closed)
    def _search_closed(self, event: SearchBar.Closed) -> None:
        self.clear_search()

    def action_clear_search(self) -> None:
        if not self.view.matches:
            raise SkipAction()
        self.clear_search()

    def clear_search(self) -> None:
        """Clear the matches and hide the bar."""
        bar = self.query_one(SearchBar)
        bar.input.value = ""
        with self.app.batch_update():
            bar.add_class("-hidden")
            self.status.remove_class("-hidden")
        if bar.message:
            self.status.say(bar.message, seconds=6)  # still to be read once the bar is gone
        self.view.set_matches([])
        self.view.focus()

    def action_next_match(self, direction: int) -> None:
        view = self.view
        if not view.matches:
            self.say("No search: press / to search.")
            return
        count = len(view.matches)
        index = view.current_match + direction
        if index >= count:
            self.say("Search wrapped to the top.")
        elif index < 0:
            self.say("Search wrapped to the bottom.")
        view.current_match = index % count
        view.refresh()
        self._show_match()

    # -- annotations ------------------------------------------------------------------

    def reload_annotations(self) -> None:
        """Read this essay's annotations from the store and place them in the text."""
        try:
            self._data_version = self.store.data_version()
            annotations = self.store.list_for_essay(self.essay.id)
        except StoreError as error:
            self.say(str(error), seconds=10)
            return
        text = self.essay.reading_text
        current_hash = text_hash(text) if self.essay.complete else ""
        anchors: dict[str, Anchor] = {}
        stale = [a for a in annotations if a.text_hash != current_hash or not self.essay.complete]
        for annotation, found in zip(stale, reanchor_all(stale, text), strict=True):
            anchors[annotation.id] = found
        rewritten: list[Annotation] = []
        for annotation in annotations:
            anchor = anchors.get(annotation.id)
            if anchor is None:
                anchors[annotation.id] = Anchor(
                    AnchorStatus.ANCHORED, annotation.start, annotation.end, 1.0, 1.0, 1.0
                )
            elif (
                self.essay.complete
                and anchor.status is AnchorStatus.ANCHORED
                and annotation.text_hash != current_hash
            ):
                # Exact anchors are rewritten to the new text; fuzzy ones wait for the reader.
                rewritten.append(relocated(annotation, self.essay, anchor.start, anchor.end))
        if rewritten:
            try:
                for annotation in rewritten:
                    self.store.update(annotation)
                annotations = self.store.list_for_essay(self.essay.id)
                self._data_version = self.store.data_version()
            except StoreError as error:
                self.say(str(error), seconds=10)
        self.annotations = annotations
        self.anchors = anchors
        self._show_annotations()

    def _show_annotations(self) -> None:
        marks = []
        for annotation in self.annotations:
            anchor = self.anchors.get(annotation.id)
            if anchor is None or not anchor.drawn:
                continue
            marks.append(
                Mark(
                    anchor.start,
                    anchor.end,
                    annotation.kind.value,
                    fuzzy=anchor.status is AnchorStatus.FUZZY,
                    color=annotation.color,
                )
            )
        self.view.set_marks(marks)
        for notes in self.query(NotesPane):  # none until the side pane arrives
            notes.set_annotations(self.annotations, self.anchors)

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "notes-tab":
            self._poll_store()

    def _poll_store(self) -> None:
        try:
            version = self.store.data_version()
        except StoreError:
            return
        if version != self._data_version:
            self.reload_annotations()

    def _selection_or_hint(self) -> tuple[int, int] | None:
        selected = self.view.selected_range
        if selected is None:
            self.say("Select text first: v starts a selection (or drag with the mouse).")
        return selected

    def action_annotate(self, kind: str) -> None:
        selected = self._selection_or_hint()
        if selected is None:
            return
        start, end = selected
        if kind == "highlight":
            annotation = make_annotation(self.essay, start, end, Kind.HIGHLIGHT)
            if self._add(annotation, "Highlighted."):
                self.view.end_selection()
            return

        def save(note: str) -> str | None:
            annotation = make_annotation(self.essay, start, end, Kind.NOTE, note=note)
            return None if self._add(annotation, "Note saved.") else self._last_error

        def closed(note: str | None) -> None:
            if note is not None:
                self.view.end_selection()
            self.view.focus()

        from essaytui.screens.note_editor import NoteEditor  # TextArea: ~10 ms, when needed

        hold_keys(self)  # what is typed next is the note
        self.app.push_screen(NoteEditor(self.essay.quote(start, end), save), closed)

    _last_error = ""

    def _add(self, annotation: Annotation, done: str) -> bool:
        try:
            self.store.add(annotation)
        except StoreError as error:
            self._last_error = str(error)
            self.say(f"Not saved: {error}", seconds=10)
            return False
        saved = done if self.store.persistent else f"{done} (this session only)"
        self.say(saved)
        self.reload_annotations()
        for notes in self.query(NotesPane):
            notes.highlight_annotation(annotation.id)
        return True

    def action_bookmark(self) -> None:
        top = self.view.top_offset
        start, end = self.essay.sentence_bounds(top)
        if end <= start:
            start, end = top, top
        annotation = make_annotation(self.essay, start, end, Kind.BOOKMARK)
        self._add(annotation, "Bookmarked.")

    def citation(self, start: int, end: int) -> str:
        """The passage as a quotation with author, title and section."""
        quote = " ".join(self.essay.quote(start, end).split())
        parts = [self.essay.author] if self.essay.author else []
        parts.append(f"“{self.essay.title}”" if self.essay.title else "")
        trail = self.essay.section_trail(start)
        if trail:
            parts.append(f"§ {trail[-1]}")
        return f"“{quote}” — " + ", ".join(part for part in parts if part)

    def action_copy_quote(self) -> None:
        selected = self._selection_or_hint()
        if selected is None:
            return
        from essaytui.clipboard import TERMINAL_CLIPBOARD, copy_text

        quotation = self.citation(*selected)
        self.last_quotation = quotation
        self.view.end_selection()
        copied = copy_text(quotation, osc52=self.app.copy_to_clipboard)
        if copied.way is None:
            self._offer_quotation_file(copied.problem)
        elif copied.way == TERMINAL_CLIPBOARD:
            self.say(
                f"Copied the quotation ({copied.way}). If nothing pastes, this terminal "
                "ignores it: ctrl+p, “write the last quotation to a file”.",
                seconds=8,
            )
        else:
            self.say(f"Copied the quotation with its citation ({copied.way}).")

    #: The last quotation copied with y (for "write the last quotation to a file").
    last_quotation = ""

    def _offer_quotation_file(self, problem: str) -> None:
        from essaytui.screens.confirm import ConfirmScreen

        path = export_folder(self.store) / QUOTATIONS_FILE

        def answered(write: bool | None) -> None:
            if write:
                self.action_write_quotation()

        self.app.push_screen(
            ConfirmScreen(
                f"The quotation could not be copied: {problem}.\n\nAdd it to {path} instead?"
            ),
            answered,
        )

    def action_write_quotation(self) -> None:
        """Add the last quotation copied to the quotations file, and say where."""
        if not self.last_quotation:
            self.say("No quotation yet: select a passage (v) and press y.")
            return
        path = export_folder(self.store) / QUOTATIONS_FILE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"{self.last_quotation}\n\n")
        except OSError as error:
            self.say(f"Could not write {path}: {error.strerror or error}", seconds=10)
            return
        self.say(f"Added the quotation to {path}", seconds=10)

    def go_to_annotation(self, annotation_id: str) -> None:
        """Jump to an annotation (its anchored or proposed place)."""
        anchor = self.anchors.get(annotation_id)
        if anchor is None or anchor.start < 0:
            self.say("This note is not found in this edition of the essay.")
            return
        self.jump_to(anchor.start)
        self._center_on(anchor.start)
        if self._narrow:
            self._hide_side()
        self.view.focus()

    @on(NotesPane.Requested)
    def _notes_request(self, event: NotesPane.Requested) -> None:
        request, annotation_id = event.request, event.annotation_id
        if request == "undo":
            self._undo_delete()
            return
        annotation = next((a for a in self.annotations if a.id == annotation_id), None)
        if annotation is None:
            self.say("No note is highlighted.")
            return
        if request == "go":
            self.go_to_annotation(annotation.id)
        elif request == "edit":
            self._edit(annotation)
        elif request == "delete":
            self._write(
                lambda: self.store.update(as_deleted(annotation)), "Deleted: u brings it back."
            )
            self._deleted.append(annotation.id)
        elif request == "reattach":
            self._reattach(annotation)
        elif request == "confirm":
            anchor = self.anchors.get(annotation.id)
            if anchor is None or anchor.start < 0:
                self.say("There is no proposed place: select new text, then r.")
                return
            moved = relocated(annotation, self.essay, anchor.start, anchor.end)
            self._write(lambda: self.store.update(moved), "Place confirmed.")

    def _write(self, action: Callable[[], object], done: str) -> bool:
        try:
            action()
        except StoreError as error:
            self.say(f"Not saved: {error}", seconds=10)
            return False
        self.say(done)
        self.reload_annotations()
        return True

    def _undo_delete(self) -> None:
        if not self._deleted:
            self.say("Nothing to undo.")
            return
        annotation_id = self._deleted.pop()
        self._write(lambda: self.store.restore(annotation_id), "Restored.")

    def _edit(self, annotation: Annotation) -> None:
        def save(note: str) -> str | None:
            ok = self._write(lambda: self.store.update(with_note(annotation, note)), "Note saved.")
            return None if ok else "the note could not be written (see the status line)"

        def closed(_: str | None) -> None:
            for notes in self.query(NotesPane):
                notes.focus()

        from essaytui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(annotation.exact, save, initial=annotation.note), closed)

    def _reattach(self, annotation: Annotation) -> None:
        selected = self.view.selected_range
        if selected is None:
            self.say("Select the new place in the essay first (v), then press r here.")
            return
        moved = relocated(annotation, self.essay, *selected)
        if self._write(lambda: self.store.update(moved), "Re-attached to the selection."):
            self.view.end_selection()

    def action_export(self) -> None:
        """Write this essay's annotations as Markdown and JSON files, and say where."""
        from essaytui.store.interchange import to_markdown, to_web_annotation

        annotations = self.annotations
        stamp = now_iso()[:19].replace(":", "").replace("-", "")
        folder = export_folder(self.store)
        stem = f"essaytui-{self.essay.id[:40]}-{stamp}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            markdown = folder / f"{stem}.md"
            markdown.write_text(to_markdown(self.essay, annotations), encoding="utf-8")
            data = to_web_annotation(self.essay, annotations)
            (folder / f"{stem}.json").write_text(
                json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        except OSError as error:
            self.say(f"Export failed: {error.strerror or error}", seconds=10)
            return
        self.last_export = markdown
        self.say(f"Exported {len(annotations)} annotations to {markdown} (and .json)", seconds=12)

    last_export: Path | None = None

    # -- reading position ----------------------------------------------------------------

    def save_position(self) -> None:
        """Remember the offset at the top of the view (and its sentence) in the store."""
        if not self.essay.complete:
            return
        top = self.view.top_offset
        if top == self._saved_top:
            return
        start, end = self.essay.sentence_bounds(top)
        text = self.essay.reading_text
        try:
            self.store.save_position(
                self.essay.id,
                top,
                quote=text[top : min(end, top + 200)] if end > top else text[top : top + 80],
                essay_path=self.essay.source_path or "",
                title=self.essay.title,
                author=self.essay.author,
                text_hash=text_hash(text),
                progress=self.view.bottom_offset / max(1, len(text)),
            )
        except StoreError as error:
            self.say(str(error), seconds=8)
            return
        self._saved_top = top

    def restore_position(self) -> None:
        """Open at the saved place, found again by its sentence if the text changed."""
        try:
            position = self.store.position(self.essay.id)
        except StoreError:
            return
        if position is None:
            self._position_restored = True
            return
        text = self.essay.reading_text
        offset = position.offset
        if self.essay.complete:
            offset = reanchor_offset(offset, position.quote, text, position.text_hash)
        else:
            # Only the first part is parsed: place it now if its sentence is there already.
            found = nearest_occurrence(text, position.quote, offset) if position.quote else None
            if found is None:
                return
            offset = found
        self._position_restored = True
        self._saved_top = offset
        self.view.scroll_to_offset(min(offset, len(text)))


def export_folder(store: AnnotationStore) -> Path:
    """Where the in-app export writes: the data folder, or home when that is unusable."""
    if store.persistent and store.path is not None:
        return store.path.parent / "exports"
    return Path.home()
