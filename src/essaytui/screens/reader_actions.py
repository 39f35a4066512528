"""What the reader's own keys do: one short method per action, on the reader screen.

Kept apart from `reader.py` (which composes the panes and routes their messages) so
either can be read alone. The work itself is done by the sessions and the panes; an
action here says which, and what to tell the reader.
"""

from __future__ import annotations

import contextlib
import re
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.binding import BindingType
from textual.command import Hit, Hits, Provider
from textual.screen import Screen

from essaytui.actions import (
    ANNOTATIONS,
    GENERAL,
    GLOSSARY,
    JUMPS,
    PANES,
    SEARCH,
    SELECTING,
    action,
)
from essaytui.interchange.styles import STYLES
from essaytui.model.annotation import COLORS, Annotation, Kind
from essaytui.sessions.annotations import Draft
from essaytui.sessions.layout import (
    MEASURE_MAX,
    MEASURE_MIN,
    MEASURE_SETTING,
    SIDENOTES_SETTING,
    Want,
)
from essaytui.sessions.targets import FootnoteRef, LinkRef, MatchRef, TermHit
from essaytui.store import AnnotationStore, StoreError
from essaytui.typeahead import hold_keys
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.side_pane import SidePane
from essaytui.widgets.sources import SourcesPane

if TYPE_CHECKING:
    from essaytui.screens.reader import ReaderScreen

#: Addresses never opened, whatever the reader answers.
UNSAFE_SCHEMES = ("javascript:", "data:", "file:", "vbscript:")
#: The file in the export folder that quotations are added to when no clipboard works.
QUOTATIONS_FILE = "quotations.md"


def export_folder(store: AnnotationStore) -> Path:
    """Where the in-app export writes: the data folder, or home when that is unusable."""
    if store.persistent and store.path is not None:
        return store.path.parent / "exports"
    return Path.home()


def slug(title: str) -> str:
    """A heading's anchor as GitHub makes it: `#goals-and-non-goals`."""
    kept = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return kept.replace(" ", "-")


class ReaderActions(Screen[None]):
    """The key actions of `ReaderScreen` (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "slash",
            "search",
            "Search",
            id="reader.search",
            group=SEARCH,
            show=True,
            help="search (case-insensitive; re: for a regular expression), from the top "
            "of the view",
        ),
        action("n", "next_match(1)", "Next match", id="reader.next_match", group=SEARCH),
        action("N", "next_match(-1)", "Previous match", id="reader.previous_match", group=SEARCH),
        action(
            "asterisk",
            "search_selection",
            "Search for this",
            id="reader.search_selection",
            group=SEARCH,
            help="search for the selected text, term or link",
        ),
        action(
            "escape",
            "clear_search",
            "Clear search",
            id="reader.clear_search",
            group=SEARCH,
            palette=False,
        ),
        action(
            "backspace,ctrl+o,less_than_sign",
            "back",
            "Back",
            id="reader.back",
            group=JUMPS,
            show=True,
            help="back to exactly where you were before the last jump",
        ),
        action(
            "greater_than_sign",
            "forward",
            "Forward",
            id="reader.forward",
            group=JUMPS,
            help="forward again to where back came from",
        ),
        action(
            "apostrophe",
            "bookmark_step(1)",
            "Next bookmark",
            id="reader.next_bookmark",
            group=JUMPS,
            help="go to the next bookmark (m makes one)",
        ),
        action(
            "grave_accent",
            "bookmark_step(-1)",
            "Previous bookmark",
            id="reader.previous_bookmark",
            group=JUMPS,
        ),
        action(
            "o",
            "toggle_outline",
            "Show or hide the outline",
            id="reader.outline",
            group=PANES,
            show=True,
            hint="Outline",
        ),
        action(
            "p",
            "toggle_side",
            "Show or hide the side pane",
            id="reader.side",
            group=PANES,
            show=True,
            hint="Side pane",
        ),
        # While a selection is active, 1–5 colour it (check_action); otherwise they fall
        # through to the pane keys below, bound to the same keys.
        *(
            action(
                str(number),
                f"color({number})",
                f"Colour {color}",
                id=f"reader.color_{color}",
                group=SELECTING,
                help=f"while selecting: {color} for the highlight or note (recolours the "
                "ones the selection touches)",
            )
            for number, color in enumerate(COLORS, start=1)
        ),
        action(
            "1", "focus_pane('outline')", "Focus outline", id="reader.focus_outline", group=PANES
        ),
        action("2", "focus_pane('essay')", "Focus essay", id="reader.focus_essay", group=PANES),
        action(
            "3", "focus_pane('sources')", "Focus sources", id="reader.focus_sources", group=PANES
        ),
        action(
            "4", "focus_pane('glossary')", "Focus glossary", id="reader.focus_glossary", group=PANES
        ),
        action("5", "focus_pane('notes')", "Focus notes", id="reader.focus_notes", group=PANES),
        action(
            "z",
            "focus_mode",
            "Focus mode",
            id="reader.focus_mode",
            group=PANES,
            help="the essay alone (the status line stays); z again for the panes",
        ),
        action(
            "plus,equals_sign",
            "measure(4)",
            "Wider text",
            id="reader.wider",
            group=PANES,
            help="a wider text column (up to 100 cells; remembered)",
        ),
        action(
            "minus",
            "measure(-4)",
            "Narrower text",
            id="reader.narrower",
            group=PANES,
            help="a narrower text column (down to 50 cells; remembered)",
        ),
        action(
            "i",
            "about",
            "About this edition",
            id="reader.about",
            group=GENERAL,
            help="title, series, author, the author's note, source, editorial note, length",
        ),
        action(
            "A",
            "toggle_all_terms",
            "All term marks",
            id="reader.all_terms",
            group=GLOSSARY,
            help="mark every glossary term, or only the first in each section",
        ),
        action(
            "h",
            "highlight",
            "Highlight",
            id="reader.highlight",
            group=ANNOTATIONS,
            help="highlight the selection; on a highlighted passage, remove the highlight",
        ),
        action(
            "a",
            "annotate",
            "Note",
            id="reader.note",
            group=ANNOTATIONS,
            help="write a note on the selection (ctrl+s saves, escape cancels)",
        ),
        action(
            "y",
            "copy_quote",
            "Copy quote",
            id="reader.copy",
            group=ANNOTATIONS,
            help="copy the selection as a quotation with its citation",
        ),
        action(
            "m",
            "bookmark",
            "Bookmark",
            id="reader.bookmark",
            group=ANNOTATIONS,
            help="bookmark the sentence at the top of the view",
        ),
        action(
            "ctrl+z",
            "undo",
            "Undo",
            id="reader.undo",
            group=ANNOTATIONS,
            help="take back the last highlight, note, removal or deletion",
        ),
    ]

    #: What the palette offers beside the keys: (title, help line, action).
    COMMANDS_WITHOUT_KEYS: ClassVar[list[tuple[str, str, str]]] = [
        (
            "Panes: Footnotes in the margin or in peeks",
            "sidenotes where the terminal leaves room beside the text; else peeks (remembered)",
            "toggle_sidenotes",
        ),
        (
            "Highlights and notes: Find note…",
            "search the quotes, notes and tags of every essay; opens the essay at the passage",
            "find_note",
        ),
        *(
            (
                f"Highlights and notes: Citation style: {style.name}",
                "how y cites a quotation and the Markdown export its essay",
                f"choose_style('{style.key}')",
            )
            for style in STYLES.values()
        ),
        (
            "Highlights and notes: Export to Markdown and JSON",
            "this essay's annotations, as files in the data folder's exports",
            "export",
        ),
        (
            "Highlights and notes: Write the last quotation to a file",
            f"adds what y copied last to {QUOTATIONS_FILE} in the exports folder",
            "write_quotation",
        ),
    ]

    # Everything below runs on a ReaderScreen; `me` names it with its full type.

    @property
    def me(self) -> ReaderScreen:
        from essaytui.screens.reader import ReaderScreen

        assert isinstance(self, ReaderScreen)
        return self

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        me = self.me
        if action == "back":
            return me.navigator.can_go_back
        if action == "forward":
            return me.navigator.can_go_forward
        if action == "next_match":
            return bool(me.search.matches)
        if action == "clear_search":
            return bool(me.search.query) or None
        if action == "color":
            # only while selecting; otherwise the key goes on to its pane binding
            return me.view.selected_range is not None
        return True

    # -- panes ------------------------------------------------------------------------

    def action_toggle_outline(self) -> None:
        me = self.me
        outline = self.query_one(OutlinePane)
        shown = not outline.has_class("-hidden")
        me.outline_want = Want.HIDDEN if shown else Want.SHOWN
        me.relayout()
        if shown and outline.has_focus:
            me.view.focus()
        elif not shown and me.plan is not None and me.plan.outline_over:
            outline.focus()

    def action_toggle_side(self) -> None:
        me = self.me
        if not me.side_here(self.action_toggle_side):
            return
        side = self.query_one(SidePane)
        shown = not side.has_class("-hidden")
        me.side_want = Want.HIDDEN if shown else Want.SHOWN
        me.relayout()
        focused = self.focused
        if shown and focused is not None and side in focused.ancestors:
            me.view.focus()

    def action_focus_mode(self) -> None:
        me = self.me
        me.focus_mode = not me.focus_mode
        me.outline_want = me.side_want = Want.AUTO
        me.relayout()
        me.view.focus()
        me.say(
            "Focus: the essay alone (z again for the panes)." if me.focus_mode else "Panes back."
        )

    def action_measure(self, step: int) -> None:
        me = self.me
        measure = max(MEASURE_MIN, min(MEASURE_MAX, me.measure + step))
        if measure == me.measure:
            me.say(
                f"The text is already {measure} cells wide (from {MEASURE_MIN} to {MEASURE_MAX})."
            )
            return
        me.measure = measure
        me.relayout()
        with contextlib.suppress(StoreError):
            me.store.set_setting(MEASURE_SETTING, str(measure), wait=False)
        me.say(f"Text {measure} cells wide (at most; the terminal may leave less).")

    def action_toggle_sidenotes(self) -> None:
        me = self.me
        me.sidenotes_on = not me.sidenotes_on
        me.relayout()
        with contextlib.suppress(StoreError):
            me.store.set_setting(SIDENOTES_SETTING, "on" if me.sidenotes_on else "off", wait=False)
        me.say(
            "Footnotes in the margin where there is room."
            if me.sidenotes_on
            else "Footnotes in peeks."
        )

    def action_focus_pane(self, pane: str) -> None:
        me = self.me
        if pane == "outline":
            outline = self.query_one(OutlinePane)
            if outline.has_class("-hidden"):
                me.outline_want = Want.SHOWN
                me.relayout()
            outline.focus()
        elif pane == "essay":
            me.view.focus()
            self.query_one(Peek).hide()
            me.hide_side_if_narrow()
            if me.plan is not None and me.plan.outline_over:
                me.outline_want = Want.AUTO
                me.relayout()
        elif me.side_here(partial(self.action_focus_pane, pane)):
            side = self.query_one(SidePane)
            if side.has_class("-hidden"):
                me.side_want = Want.SHOWN
                me.relayout()
            side.show_tab(pane)
            if pane == "sources":
                self.query_one(SourcesPane).focus()
            elif pane == "glossary":
                self.query_one(GlossaryPane).focus_list()
            else:
                self.query_one(NotesPane).focus()

    def action_about(self) -> None:
        from essaytui.screens.about import AboutScreen

        self.app.push_screen(AboutScreen(self.me.essay))

    def action_toggle_all_terms(self) -> None:
        view = self.me.view
        view.show_all_terms = not view.show_all_terms
        self.me.say(
            "Marking every glossary term."
            if view.show_all_terms
            else "Marking the first glossary term of each section."
        )

    # -- jumps ------------------------------------------------------------------------

    def action_back(self) -> None:
        me = self.me
        place = me.navigator.back(me.here())
        if place is None:
            me.say("Nothing to go back to.")
            return
        me.go_to_place(place)

    def action_forward(self) -> None:
        me = self.me
        place = me.navigator.forward(me.here())
        if place is None:
            me.say("Nothing to go forward to.")
            return
        me.go_to_place(place)

    def action_bookmark_step(self, direction: int) -> None:
        me = self.me
        top = me.view.top_offset
        starts = sorted(anchor.start for a, anchor in me.notes.drawn() if a.kind is Kind.BOOKMARK)
        if not starts:
            me.say("No bookmarks yet: m bookmarks the top of the view.")
            return
        later = [start for start in starts if start > top]
        earlier = [start for start in starts if start < top]
        if direction > 0:
            offset = later[0] if later else starts[0]
        else:
            offset = earlier[-1] if earlier else starts[-1]
        me.jump_to(offset)

    def go_to_section(self, index: int) -> None:
        """Jump to section `index` (from the command palette)."""
        self.me.jump_to(self.me.essay.sections[index].start)
        self.me.view.focus()

    def go_to_annotation(self, annotation_id: str) -> None:
        """Jump to an annotation (its anchored or proposed place)."""
        me = self.me
        anchor = me.notes.anchors.get(annotation_id)
        if anchor is None or anchor.start < 0:
            me.say("This note is not found in this edition of the essay.")
            return
        me.arrive(anchor.start)

    def note_targets(self) -> list[tuple[str, str, partial[None]]]:
        """Command-palette entries "Go to: note …" (title, help, callback)."""
        return [
            (title, help_text, partial(self.go_to_annotation, annotation_id))
            for title, help_text, annotation_id in self.me.notes.palette_entries()
        ]

    @on(OutlinePane.SectionChosen)
    def _section_chosen(self, event: OutlinePane.SectionChosen) -> None:
        me = self.me
        me.jump_to(event.section.start)
        if me.plan is not None and me.plan.outline_over:
            me.outline_want = Want.AUTO  # it was opened over the essay: give the text back
            me.relayout()
        me.view.focus()

    # -- footnotes, terms, links ---------------------------------------------------------

    def open_source(self, label: str) -> None:
        """Remember the place, then show and focus the source `label`."""
        me = self.me
        if not me.side_here(partial(self.open_source, label)):
            return
        me.navigator.remember(me.here())
        self.refresh_bindings()
        self.query_one(Peek).hide()
        self._show_side("sources")
        sources = self.query_one(SourcesPane)
        sources.show_source(label)
        sources.focus()

    def open_term(self, term_id: str) -> None:
        """Remember the place, then show the glossary entry of `term_id`."""
        me = self.me
        if not me.side_here(partial(self.open_term, term_id)):
            return
        me.navigator.remember(me.here())
        self.refresh_bindings()
        self.query_one(Peek).hide()
        self._show_side("glossary")
        target = me.view.target
        near = target.start if isinstance(target, TermHit) and target.term_id == term_id else None
        self.query_one(GlossaryPane).open_term(term_id, focus=True, near=near)

    def _show_side(self, pane: str) -> None:
        """Show the side pane at `pane` (beside the text if it fits, else over it)."""
        me = self.me
        side = self.query_one(SidePane)
        if side.has_class("-hidden"):
            me.side_want = Want.SHOWN
            me.relayout()
        side.show_tab(pane)

    def open_link(self, url: str) -> None:
        """Go to a place in the essay (`#id`), or show an address and open it if asked."""
        from essaytui.screens.confirm import ConfirmScreen

        me = self.me
        if url.startswith("#"):
            offset = self.internal_link(url[1:])
            if offset is None:
                me.say(f"No heading or anchor “{url}” in this essay.")
            else:
                me.jump_to(offset, center=False)
            return
        if url.strip().lower().startswith(UNSAFE_SCHEMES):
            me.say(f"Not opened (unsafe address): {url}", seconds=8)
            return

        def opened(confirmed: bool | None) -> None:
            if confirmed:
                self.app.open_url(url)
                me.say(f"Opened {url}")

        self.app.push_screen(ConfirmScreen(f"Open this address?\n\n{url}"), opened)

    def internal_link(self, fragment: str) -> int | None:
        """Where `#fragment` points in the essay: a heading by its GitHub-style slug."""
        wanted = fragment.strip().lower()
        for section in self.me.essay.sections:
            if slug(section.title) == wanted:
                return section.start
        return None

    @on(SourcesPane.SourceChosen)
    def _source_chosen(self, event: SourcesPane.SourceChosen) -> None:
        me = self.me
        note = me.essay.footnotes_by_label.get(event.label)
        if note is None or not note.refs:
            me.say("This source is never referenced in the text.")
            return
        index = me.next_ref.get(event.label, 0) % len(note.refs)
        me.next_ref[event.label] = index + 1
        start, end = note.refs[index]
        me.arrive(start, FootnoteRef(start, end, event.label))
        if len(note.refs) > 1:
            me.say(f"Reference {index + 1} of {len(note.refs)} to note {note.number}.")

    @on(SourcesPane.LinkChosen)
    def _link_chosen(self, event: SourcesPane.LinkChosen) -> None:
        self.open_link(event.url)

    @on(GlossaryPane.OccurrenceChosen)
    def _occurrence_chosen(self, event: GlossaryPane.OccurrenceChosen) -> None:
        self.me.arrive(event.start, TermHit(event.start, event.end, event.term_id))

    # -- search ------------------------------------------------------------------------

    def action_search(self) -> None:
        me = self.me
        bar = self.query_one(SearchBar)
        me._search_origin = me.here()
        with self.app.batch_update():
            # the bar takes the status line's place while a search is on
            me.status.add_class("-hidden")
            bar.remove_class("-hidden")
        # Now, not later (Widget.focus waits a turn): the keys typed after / go to the bar.
        self.set_focus(bar.input)

    def action_search_selection(self) -> None:
        me = self.me
        view = me.view
        selected = view.selected_range
        target = view.target
        if selected is not None:
            start, end = selected
        elif isinstance(target, TermHit | LinkRef):
            start, end = target.start, target.end
        else:
            me.say("Select a word or a term first (v, then w; or t), then *.")
            return
        words = " ".join(me.essay.quote(start, end).split())
        view.end_selection()
        self.action_search()
        self.query_one(SearchBar).input.value = words  # runs the search (Input.Changed)

    def action_next_match(self, direction: int) -> None:
        me = self.me
        if not me.search.matches:
            me.say("No search: press / to search.")
            return
        me.navigator.remember(me.here())
        wrapped = me.search.step(direction)
        if wrapped:
            me.say(wrapped)
        me._show_match()
        self.refresh_bindings()

    def action_clear_search(self) -> None:
        if not self.me.search.query:
            raise SkipAction()
        self.clear_search()

    def clear_search(self) -> None:
        """Clear the matches and hide the bar."""
        me = self.me
        bar = self.query_one(SearchBar)
        with self.app.batch_update():
            bar.add_class("-hidden")
            me.status.remove_class("-hidden")
        if bar.message:
            me.status.say(bar.message, seconds=6)  # still to be read once the bar is gone
        with bar.input.prevent(bar.input.Changed):
            bar.input.value = ""
        me.search.clear()
        me._show_search()
        if isinstance(me.view.target, MatchRef):
            me.view.target = None
        self.set_focus(me.view)

    # -- annotations --------------------------------------------------------------------

    def _selection_or_hint(self) -> tuple[int, int] | None:
        selected = self.me.view.selected_range
        if selected is None:
            self.me.say("Select text first: v starts a selection (or drag with the mouse).")
        return selected

    #: The colour chosen (1–5) for the selection begun at this offset: (anchor, colour).
    _chosen_color: tuple[int, str] | None = None

    def _selection_color(self) -> str:
        """The colour chosen for the current selection, else the default."""
        view = self.me.view
        chosen = self._chosen_color
        if chosen is not None and view.selection is not None and view.selection[0] == chosen[0]:
            return chosen[1]
        return COLORS[0]

    def action_color(self, number: int) -> None:
        me = self.me
        selected = me.view.selected_range
        if selected is None or not 1 <= number <= len(COLORS):
            return
        color = COLORS[number - 1]
        change = me.notes.recolor(*selected, color)
        if change is not None:
            if me.perform(change):
                me.view.end_selection()
            return
        assert me.view.selection is not None
        self._chosen_color = (me.view.selection[0], color)
        me.say(f"Colour: {color}. h highlights the selection in it, a writes a note.")

    def action_highlight(self) -> None:
        selected = self._selection_or_hint()
        if selected is None:
            return
        if self.me.perform(self.me.notes.highlight(*selected, self._selection_color())):
            self.me.view.end_selection()

    def action_annotate(self) -> None:
        me = self.me
        selected = self._selection_or_hint()
        if selected is None:
            return
        from essaytui.screens.note_editor import NoteEditor  # TextArea: ~10 ms, when needed

        async def save(draft: Draft) -> str | None:
            return await me.perform_and_wait(me.notes.note(*selected, draft))

        def closed(draft: Draft | None) -> None:
            if draft is not None:
                me.view.end_selection()
            me.view.focus()

        hold_keys(self)  # what is typed next is the note
        self.app.push_screen(
            NoteEditor(
                me.essay.quote(*selected),
                save,
                color=self._selection_color(),
                known_tags=me.notes.tags_in_use(),
            ),
            closed,
        )

    def action_bookmark(self) -> None:
        me = self.me
        top = me.view.top_offset
        start, end = me.essay.sentence_bounds(top)
        if end <= start:
            start, end = top, top
        me.perform(me.notes.bookmark(start, end))

    def action_undo(self) -> None:
        self.me.perform(self.me.notes.undo())

    def action_copy_quote(self) -> None:
        me = self.me
        selected = self._selection_or_hint()
        if selected is None:
            return
        me.view.end_selection()
        self._cite(*selected, me.notes.citation_style())

    @work(thread=True, group="cite", exclusive=True, description="citing")
    def _cite(self, start: int, end: int, style: str) -> None:
        """Make the quotation off the event loop: the citation processor's first use loads
        it (~0.2 s)."""
        from essaytui.interchange.citation import CitationError

        try:
            quotation = self.me.notes.quotation(start, end, style)
        except CitationError as error:
            self.app.call_from_thread(self.me.say, f"Not copied: {error}", 10)
            return
        self.app.call_from_thread(self._copy_quotation, quotation)

    def _copy_quotation(self, quotation: str) -> None:
        me = self.me
        from essaytui.clipboard import TERMINAL_CLIPBOARD, copy_text

        self.last_quotation = quotation
        copied = copy_text(quotation, osc52=self.app.copy_to_clipboard)
        if copied.way is None:
            self._offer_quotation_file(copied.problem)
        elif copied.way == TERMINAL_CLIPBOARD:
            me.say(
                f"Copied the quotation ({copied.way}). If nothing pastes, this terminal "
                "ignores it: ctrl+p, “write the last quotation to a file”.",
                seconds=8,
            )
        else:
            me.say(f"Copied the quotation with its citation ({copied.way}).")

    #: The last quotation copied with y (for "write the last quotation to a file").
    last_quotation = ""

    def _offer_quotation_file(self, problem: str) -> None:
        from essaytui.screens.confirm import ConfirmScreen

        path = export_folder(self.me.store) / QUOTATIONS_FILE

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
        me = self.me
        if not self.last_quotation:
            me.say("No quotation yet: select a passage (v) and press y.")
            return
        path = export_folder(me.store) / QUOTATIONS_FILE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"{self.last_quotation}\n\n")
        except OSError as error:
            me.say(f"Could not write {path}: {error.strerror or error}", seconds=10)
            return
        me.say(f"Added the quotation to {path}", seconds=10)

    def action_choose_style(self, key: str) -> None:
        """Make `key` the citation style (a setting, kept in the notes database)."""
        from essaytui.interchange.citation import CitationError

        try:
            change = self.me.notes.choose_style(key)
        except CitationError as error:
            self.me.say(str(error))
            return
        self.me.perform(change)

    def action_find_note(self) -> None:
        """The palette again, searching the notes of every essay."""
        from textual.command import CommandPalette

        self.app.push_screen(
            CommandPalette(providers=[FindNoteProvider], placeholder="Find a note in any essay…")
        )

    def action_export(self) -> None:
        """Write this essay's annotations as Markdown and JSON files, and say where."""
        me = self.me
        try:
            markdown, count = me.notes.export(export_folder(me.store))
        except OSError as error:
            me.say(f"Export failed: {error.strerror or error}", seconds=10)
            return
        self.last_export = markdown
        me.say(f"Exported {count} annotations to {markdown} (and .json)", seconds=12)

    last_export: Path | None = None

    # -- the Notes pane ------------------------------------------------------------------

    def _asked(self, event: NotesPane._Request) -> Annotation | None:
        me = self.me
        annotation = me.notes.get(event.annotation_id) if event.annotation_id else None
        if annotation is None:
            me.say("No note is highlighted.")
        return annotation

    @on(NotesPane.GoTo)
    def _notes_go(self, event: NotesPane.GoTo) -> None:
        if (annotation := self._asked(event)) is not None:
            self.go_to_annotation(annotation.id)

    @on(NotesPane.Delete)
    def _notes_delete(self, event: NotesPane.Delete) -> None:
        if (annotation := self._asked(event)) is not None:
            self.me.perform(self.me.notes.delete(annotation))

    @on(NotesPane.Undo)
    def _notes_undo(self, event: NotesPane.Undo) -> None:
        self.action_undo()

    @on(NotesPane.Confirm)
    def _notes_confirm(self, event: NotesPane.Confirm) -> None:
        if (annotation := self._asked(event)) is not None:
            self.me.perform(self.me.notes.confirm(annotation))

    @on(NotesPane.Reattach)
    def _notes_reattach(self, event: NotesPane.Reattach) -> None:
        me = self.me
        annotation = self._asked(event)
        if annotation is None:
            return
        selected = me.view.selected_range
        if selected is None:
            me.say(
                "Select the new place in the essay first (v), then come back here "
                "(ctrl+p, “Focus notes”: 1–5 colour a selection) and press r."
            )
            return
        if me.perform(me.notes.reattach(annotation, *selected)):
            me.view.end_selection()

    @on(NotesPane.Edit)
    def _notes_edit(self, event: NotesPane.Edit) -> None:
        me = self.me
        annotation = self._asked(event)
        if annotation is None:
            return
        from essaytui.screens.note_editor import NoteEditor

        async def save(draft: Draft) -> str | None:
            return await me.perform_and_wait(me.notes.edit(annotation, draft))

        def closed(_: Draft | None) -> None:
            self.query_one(NotesPane).focus()

        self.app.push_screen(
            NoteEditor(
                annotation.exact,
                save,
                initial=annotation.note,
                tags=annotation.tags,
                color=annotation.color,
                known_tags=me.notes.tags_in_use(),
            ),
            closed,
        )


class FindNoteProvider(Provider):
    """ "Find note…": the notes of every essay whose quote, note or tags hold the words
    typed (the store's full-text search, off the event loop)."""

    async def search(self, query: str) -> Hits:
        import asyncio

        from essaytui.model.source import sanitize_inline
        from essaytui.screens.reader import ReaderScreen
        from essaytui.store import StoreError

        reader = next(
            (s for s in reversed(self.app.screen_stack) if isinstance(s, ReaderScreen)), None
        )
        if reader is None or not query.strip():
            return
        try:
            hits = await asyncio.to_thread(reader.store.search_notes, query, 50)
        except StoreError:
            return
        for rank, hit in enumerate(hits):
            annotation = hit.annotation
            here = annotation.essay_id == reader.essay.id
            title = sanitize_inline(hit.title or "another essay")
            snippet = " ".join(sanitize_inline(hit.snippet).split())[:70]
            where = " › ".join(annotation.section_trail) or "Opening"
            yield Hit(
                1.0 - rank / (len(hits) + 1),
                f"“{snippet}” — {'this essay' if here else title}",
                partial(open_note, self.app, annotation.id, annotation.essay_id, hit.path),
                text=snippet,
                help=sanitize_inline(
                    f"{where} · {annotation.kind.value} · {annotation.modified[:10]}"
                ).replace("[", "\\["),
            )


def open_note(app: object, annotation_id: str, essay_id: str, path: str) -> None:
    """Show a note found by "Find note…": here, or in its own essay opened at it."""
    from essaytui.app import EssayApp

    assert isinstance(app, EssayApp)
    reader = app.reader
    if essay_id == reader.essay.id:
        reader.go_to_annotation(annotation_id)
        return
    if not path or not Path(path).is_file():
        reader.say(f"The essay of that note is not found (last seen at {path or 'no file'}).")
        return
    app.open_essay(Path(path), annotation_id)
