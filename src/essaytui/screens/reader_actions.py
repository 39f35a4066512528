"""What the reader's own keys do: one short method per action, on the reader screen.

Kept apart from `reader.py` (which composes the panes and routes their messages) so
either can be read alone. The work itself is done by the sessions and the panes; an
action here says which, and what to tell the reader.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from textual import on, work
from textual.actions import SkipAction
from textual.app import App
from textual.binding import BindingType
from textual.command import Hit, Hits, Provider

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
from essaytui.screens.reader_base import ReaderBase
from essaytui.sessions.annotations import Draft
from essaytui.sessions.layout import (
    MEASURE_MAX,
    MEASURE_MIN,
    MEASURE_SETTING,
    SIDENOTES_SETTING,
    Want,
)
from essaytui.sessions.links import InEssay, Missing, Outside, Refused, ToSource, resolve
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

#: The file in the export folder that quotations are added to when no clipboard works.
QUOTATIONS_FILE = "quotations.md"


def export_folder(store: AnnotationStore) -> Path:
    """Where the in-app export writes: the data folder, or home when that is unusable."""
    if store.persistent and store.path is not None:
        return store.path.parent / "exports"
    return Path.home()


class ReaderActions(ReaderBase):
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            previous: Callable[[], bool] | None = getattr(self.app, "can_go_back_a_text", None)
            return self.navigator.can_go_back or (previous is not None and previous())
        if action == "forward":
            return self.navigator.can_go_forward
        if action == "next_match":
            return bool(self.search.hits)
        if action == "clear_search":
            return bool(self.search.query) or None
        if action == "color":
            # only while selecting; otherwise the key goes on to its pane binding
            return self.view.selected_range is not None
        return True

    # -- panes ------------------------------------------------------------------------

    def action_toggle_outline(self) -> None:
        outline = self.query_one(OutlinePane)
        shown = not outline.has_class("-hidden")
        self.outline_want = Want.HIDDEN if shown else Want.SHOWN
        self.relayout()
        if shown and outline.has_focus:
            self.view.focus()
        elif not shown and self.plan is not None and self.plan.outline_over:
            outline.focus()

    def action_toggle_side(self) -> None:
        if not self.side_here(self.action_toggle_side):
            return
        side = self.query_one(SidePane)
        shown = not side.has_class("-hidden")
        self.side_want = Want.HIDDEN if shown else Want.SHOWN
        self.relayout()
        focused = self.focused
        if shown and focused is not None and side in focused.ancestors:
            self.view.focus()

    def action_focus_mode(self) -> None:
        self.focus_mode = not self.focus_mode
        self.outline_want = self.side_want = Want.AUTO
        self.relayout()
        self.view.focus()
        self.say(
            "Focus: the essay alone (z again for the panes)." if self.focus_mode else "Panes back."
        )

    def action_measure(self, step: int) -> None:
        measure = max(MEASURE_MIN, min(MEASURE_MAX, self.measure + step))
        if measure == self.measure:
            self.say(
                f"The text is already {measure} cells wide (from {MEASURE_MIN} to {MEASURE_MAX})."
            )
            return
        self.measure = measure
        self.relayout()
        with contextlib.suppress(StoreError):
            self.store.set_setting(MEASURE_SETTING, str(measure), wait=False)
        self.say(f"Text {measure} cells wide (at most; the terminal may leave less).")

    def action_toggle_sidenotes(self) -> None:
        self.sidenotes_on = not self.sidenotes_on
        self.relayout()
        with contextlib.suppress(StoreError):
            shown = "on" if self.sidenotes_on else "off"
            self.store.set_setting(SIDENOTES_SETTING, shown, wait=False)
        self.say(
            "Footnotes in the margin where there is room."
            if self.sidenotes_on
            else "Footnotes in peeks."
        )

    def action_focus_pane(self, pane: str) -> None:
        if pane == "outline":
            outline = self.query_one(OutlinePane)
            if outline.has_class("-hidden"):
                self.outline_want = Want.SHOWN
                self.relayout()
            outline.focus()
        elif pane == "essay":
            self.view.focus()
            self.query_one(Peek).hide()
            self.hide_side_if_narrow()
            if self.plan is not None and self.plan.outline_over:
                self.outline_want = Want.AUTO
                self.relayout()
        elif self.side_here(partial(self.action_focus_pane, pane)):
            side = self.query_one(SidePane)
            if side.has_class("-hidden"):
                self.side_want = Want.SHOWN
                self.relayout()
            side.show_tab(pane)
            if pane == "sources":
                self.query_one(SourcesPane).focus()
            elif pane == "glossary":
                self.query_one(GlossaryPane).focus_list()
            else:
                self.query_one(NotesPane).focus()

    def action_about(self) -> None:
        from essaytui.screens.about import AboutScreen

        self.app.push_screen(AboutScreen(self.essay))

    def action_toggle_all_terms(self) -> None:
        view = self.view
        view.show_all_terms = not view.show_all_terms
        self.say(
            "Marking every glossary term."
            if view.show_all_terms
            else "Marking the first glossary term of each section."
        )

    # -- jumps ------------------------------------------------------------------------

    def action_back(self) -> None:
        place = self.navigator.back(self.here())
        if place is None:
            # past this text's first jump: the text the library opened it from, if any
            previous: Callable[[], bool] | None = getattr(self.app, "back_to_previous_text", None)
            if previous is None or not previous():
                self.say("Nothing to go back to.")
            return
        self.go_to_place(place)

    def action_forward(self) -> None:
        place = self.navigator.forward(self.here())
        if place is None:
            self.say("Nothing to go forward to.")
            return
        self.go_to_place(place)

    def action_bookmark_step(self, direction: int) -> None:
        top = self.view.top_offset
        starts = sorted(anchor.start for a, anchor in self.notes.drawn() if a.kind is Kind.BOOKMARK)
        if not starts:
            self.say("No bookmarks yet: m bookmarks the top of the view.")
            return
        later = [start for start in starts if start > top]
        earlier = [start for start in starts if start < top]
        if direction > 0:
            offset = later[0] if later else starts[0]
        else:
            offset = earlier[-1] if earlier else starts[-1]
        self.jump_to(offset)

    def go_to_section(self, index: int) -> None:
        """Jump to section `index` (from the command palette)."""
        self.jump_to(self.essay.sections[index].start)
        self.view.focus()

    def go_to_annotation(self, annotation_id: str) -> None:
        """Jump to an annotation (its anchored or proposed place)."""
        anchor = self.notes.anchors.get(annotation_id)
        if anchor is None or anchor.start < 0:
            self.say("This note is not found in this edition of the essay.")
            return
        self.arrive(anchor.start)

    def note_targets(self) -> list[tuple[str, str, partial[None]]]:
        """Command-palette entries "Go to: note …" (title, help, callback)."""
        return [
            (title, help_text, partial(self.go_to_annotation, annotation_id))
            for title, help_text, annotation_id in self.notes.palette_entries()
        ]

    @on(OutlinePane.SectionChosen)
    def _section_chosen(self, event: OutlinePane.SectionChosen) -> None:
        self.jump_to(event.section.start)
        if self.plan is not None and self.plan.outline_over:
            self.outline_want = Want.AUTO  # it was opened over the essay: give the text back
            self.relayout()
        self.view.focus()

    # -- footnotes, terms, links ---------------------------------------------------------

    def open_source(self, label: str) -> None:
        """Remember the place, then show and focus the source `label`."""
        if not self.side_here(partial(self.open_source, label)):
            return
        self.navigator.remember(self.here())
        self.refresh_bindings()
        self.query_one(Peek).hide()
        self._show_side("sources")
        sources = self.query_one(SourcesPane)
        sources.show_source(label)
        sources.focus()

    def open_term(self, term_id: str) -> None:
        """Remember the place, then show the glossary entry of `term_id`."""
        if not self.side_here(partial(self.open_term, term_id)):
            return
        self.navigator.remember(self.here())
        self.refresh_bindings()
        self.query_one(Peek).hide()
        self._show_side("glossary")
        target = self.view.target
        near = target.start if isinstance(target, TermHit) and target.term_id == term_id else None
        self.query_one(GlossaryPane).open_term(term_id, focus=True, near=near)

    def _show_side(self, pane: str) -> None:
        """Show the side pane at `pane` (beside the text if it fits, else over it)."""
        side = self.query_one(SidePane)
        if side.has_class("-hidden"):
            self.side_want = Want.SHOWN
            self.relayout()
        side.show_tab(pane)

    def open_link(self, url: str, *, noun: str = "address") -> None:
        """Go to a place in the essay (`#id`), or show an address and open it if asked."""
        from essaytui.screens.confirm import ConfirmScreen

        match resolve(self.essay, url):
            case InEssay(offset):
                self.jump_to(offset, center=False)
            case ToSource(label):
                self.open_source(label)
            case Missing(fragment):
                self.say(f"No heading or anchor “#{fragment}” in this essay.")
            case Refused():
                self.say(
                    f"Not opened (only http, https and mailto addresses are): {url}", seconds=8
                )
            case Outside(address):

                def opened(confirmed: bool | None) -> None:
                    if confirmed:
                        self.app.open_url(address)
                        self.say(f"Opened {address}")

                self.app.push_screen(ConfirmScreen(f"Open this {noun}?\n\n{address}"), opened)

    @on(SourcesPane.SourceChosen)
    def _source_chosen(self, event: SourcesPane.SourceChosen) -> None:
        note = self.essay.footnotes_by_label.get(event.label)
        if note is None or not note.refs:
            self.say("This source is never referenced in the text.")
            return
        index = self.next_ref.get(event.label, 0) % len(note.refs)
        self.next_ref[event.label] = index + 1
        start, end = note.refs[index]
        self.arrive(start, FootnoteRef(start, end, event.label))
        if len(note.refs) > 1:
            self.say(f"Reference {index + 1} of {len(note.refs)} to note {note.number}.")

    @on(SourcesPane.LinkChosen)
    def _link_chosen(self, event: SourcesPane.LinkChosen) -> None:
        self.open_link(event.url)

    @on(GlossaryPane.OccurrenceChosen)
    def _occurrence_chosen(self, event: GlossaryPane.OccurrenceChosen) -> None:
        self.arrive(event.start, TermHit(event.start, event.end, event.term_id))

    # -- search ------------------------------------------------------------------------

    def action_search(self) -> None:
        bar = self.query_one(SearchBar)
        self._search_origin = self.here()
        with self.app.batch_update():
            # the bar takes the status line's place while a search is on
            self.status.add_class("-hidden")
            bar.remove_class("-hidden")
        # Now, not later (Widget.focus waits a turn): the keys typed after / go to the bar.
        self.set_focus(bar.input)

    def action_search_selection(self) -> None:
        view = self.view
        selected = view.selected_range
        target = view.target
        if selected is not None:
            start, end = selected
        elif isinstance(target, TermHit | LinkRef):
            start, end = target.start, target.end
        else:
            self.say("Select a word or a term first (v, then w; or t), then *.")
            return
        words = " ".join(self.essay.quote(start, end).split())
        view.end_selection()
        self.action_search()
        self.query_one(SearchBar).input.value = words  # runs the search (Input.Changed)

    def action_next_match(self, direction: int) -> None:
        if not self.search.hits:
            self.say("No search: press / to search.")
            return
        self.navigator.remember(self.here())
        wrapped = self.search.step(direction)
        if wrapped:
            self.say(wrapped)
        self._show_match()
        self.refresh_bindings()

    def action_clear_search(self) -> None:
        if not self.search.query:
            raise SkipAction()
        self.clear_search()

    def clear_search(self) -> None:
        """Clear the matches and hide the bar."""
        bar = self.query_one(SearchBar)
        with self.app.batch_update():
            bar.add_class("-hidden")
            self.status.remove_class("-hidden")
        if bar.message:
            self.status.say(bar.message, seconds=6)  # still to be read once the bar is gone
        with bar.input.prevent(bar.input.Changed):
            bar.input.value = ""
        self.search.clear()
        self._show_search()
        if isinstance(self.view.target, MatchRef):
            self.view.target = None
        self.set_focus(self.view)

    # -- annotations --------------------------------------------------------------------

    def _selection_or_hint(self) -> tuple[int, int] | None:
        selected = self.view.selected_range
        if selected is None:
            self.say("Select text first: v starts a selection (or drag with the mouse).")
        return selected

    #: The colour chosen (1–5) for the selection begun at this offset: (anchor, colour).
    _chosen_color: tuple[int, str] | None = None

    def _selection_color(self) -> str:
        """The colour chosen for the current selection, else the default."""
        view = self.view
        chosen = self._chosen_color
        if chosen is not None and view.selection is not None and view.selection[0] == chosen[0]:
            return chosen[1]
        return COLORS[0]

    def action_color(self, number: int) -> None:
        selected = self.view.selected_range
        if selected is None or not 1 <= number <= len(COLORS):
            return
        color = COLORS[number - 1]
        change = self.notes.recolor(*selected, color)
        if change is not None:
            if self.perform(change):
                self.view.end_selection()
            return
        assert self.view.selection is not None
        self._chosen_color = (self.view.selection[0], color)
        self.say(f"Colour: {color}. h highlights the selection in it, a writes a note.")

    def action_highlight(self) -> None:
        selected = self._selection_or_hint()
        if selected is None:
            return
        if self.perform(self.notes.highlight(*selected, self._selection_color())):
            self.view.end_selection()

    def action_annotate(self) -> None:
        selected = self._selection_or_hint()
        if selected is None:
            return
        from essaytui.screens.note_editor import NoteEditor  # TextArea: ~10 ms, when needed

        async def save(draft: Draft) -> str | None:
            return await self.perform_and_wait(self.notes.note(*selected, draft))

        def closed(draft: Draft | None) -> None:
            if draft is not None:
                self.view.end_selection()
            self.view.focus()

        hold_keys(self)  # what is typed next is the note
        self.app.push_screen(
            NoteEditor(
                self.essay.quote(*selected),
                save,
                color=self._selection_color(),
                known_tags=self.notes.tags_in_use(),
            ),
            closed,
        )

    def action_bookmark(self) -> None:
        top = self.view.top_offset
        start, end = self.essay.sentence_bounds(top)
        if end <= start:
            start, end = top, top
        self.perform(self.notes.bookmark(start, end))

    def action_undo(self) -> None:
        self.perform(self.notes.undo())

    def action_copy_quote(self) -> None:
        selected = self._selection_or_hint()
        if selected is None:
            return
        self.view.end_selection()
        self._cite(*selected, self.notes.citation_style())

    @work(thread=True, group="cite", exclusive=True, description="citing")
    def _cite(self, start: int, end: int, style: str) -> None:
        """Make the quotation off the event loop: the citation processor's first use loads
        it (~0.2 s)."""
        from essaytui.interchange.citation import CitationError

        try:
            quotation = self.notes.quotation(start, end, style)
        except CitationError as error:
            self.app.call_from_thread(self.say, f"Not copied: {error}", 10)
            return
        self.app.call_from_thread(self._copy_quotation, quotation)

    def _copy_quotation(self, quotation: str) -> None:
        from essaytui.clipboard import TERMINAL_CLIPBOARD, copy_text

        self.last_quotation = quotation
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

    def action_choose_style(self, key: str) -> None:
        """Make `key` the citation style (a setting, kept in the notes database)."""
        from essaytui.interchange.citation import CitationError

        try:
            change = self.notes.choose_style(key)
        except CitationError as error:
            self.say(str(error))
            return
        self.perform(change)

    def action_find_note(self) -> None:
        """The palette again, searching the notes of every essay."""
        from textual.command import CommandPalette

        self.app.push_screen(
            CommandPalette(providers=[FindNoteProvider], placeholder="Find a note in any essay…")
        )

    def action_export(self) -> None:
        """Write this essay's annotations as Markdown and JSON files, and say where."""
        try:
            markdown, count = self.notes.export(export_folder(self.store))
        except OSError as error:
            self.say(f"Export failed: {error.strerror or error}", seconds=10)
            return
        self.last_export = markdown
        self.say(f"Exported {count} annotations to {markdown} (and .json)", seconds=12)

    last_export: Path | None = None

    # -- the Notes pane ------------------------------------------------------------------

    def _asked(self, event: NotesPane._Request) -> Annotation | None:
        annotation = self.notes.get(event.annotation_id) if event.annotation_id else None
        if annotation is None:
            self.say("No note is highlighted.")
        return annotation

    @on(NotesPane.GoTo)
    def _notes_go(self, event: NotesPane.GoTo) -> None:
        if (annotation := self._asked(event)) is not None:
            self.go_to_annotation(annotation.id)

    @on(NotesPane.Delete)
    def _notes_delete(self, event: NotesPane.Delete) -> None:
        if (annotation := self._asked(event)) is not None:
            self.perform(self.notes.delete(annotation))

    @on(NotesPane.Undo)
    def _notes_undo(self, event: NotesPane.Undo) -> None:
        self.action_undo()

    @on(NotesPane.Confirm)
    def _notes_confirm(self, event: NotesPane.Confirm) -> None:
        if (annotation := self._asked(event)) is not None:
            self.perform(self.notes.confirm(annotation))

    @on(NotesPane.Reattach)
    def _notes_reattach(self, event: NotesPane.Reattach) -> None:
        annotation = self._asked(event)
        if annotation is None:
            return
        selected = self.view.selected_range
        if selected is None:
            self.say(
                "Select the new place in the essay first (v), then come back here "
                "(ctrl+p, “Focus notes”: 1–5 colour a selection) and press r."
            )
            return
        if self.perform(self.notes.reattach(annotation, *selected)):
            self.view.end_selection()

    @on(NotesPane.Edit)
    def _notes_edit(self, event: NotesPane.Edit) -> None:
        annotation = self._asked(event)
        if annotation is None:
            return
        from essaytui.screens.note_editor import NoteEditor

        async def save(draft: Draft) -> str | None:
            return await self.perform_and_wait(self.notes.edit(annotation, draft))

        def closed(_: Draft | None) -> None:
            self.query_one(NotesPane).focus()

        self.app.push_screen(
            NoteEditor(
                annotation.exact,
                save,
                initial=annotation.note,
                tags=annotation.tags,
                color=annotation.color,
                known_tags=self.notes.tags_in_use(),
            ),
            closed,
        )


class FindNoteProvider(Provider):
    """ "Find note…": the notes of every essay whose quote, note or tags hold the words
    typed (the store's full-text search, off the event loop)."""

    async def search(self, query: str) -> Hits:
        import asyncio

        from essaytui.model.text import sanitize_inline
        from essaytui.widgets.inert import inert, inert_markup

        reader = next(
            (s for s in reversed(self.app.screen_stack) if isinstance(s, ReaderActions)), None
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
            # Content, not a str: the palette parses a str as markup, and a note or a
            # title such as "x [/b] y" ended the app (MarkupError)
            yield Hit(
                1.0 - rank / (len(hits) + 1),
                inert(f"“{snippet}” — {'this essay' if here else title}"),
                partial(open_note, self.app, annotation.id, annotation.essay_id, hit.path),
                text=snippet,
                help=inert_markup(
                    f"{where} · {annotation.kind.value} · {annotation.modified[:10]}"
                ),
            )


@runtime_checkable
class OpensEssays(Protocol):
    """An app that can show another essay in its reader (`EssayApp`)."""

    def open_essay(self, path: Path, annotation_id: str | None = None) -> None:
        """Read the essay at `path` and show it, at `annotation_id` when given."""


def open_note(app: object, annotation_id: str, essay_id: str, path: str) -> None:
    """Show a note found by "Find note…": here, or in its own essay opened at it."""
    assert isinstance(app, App) and isinstance(app, OpensEssays)
    reader = next(s for s in reversed(app.screen_stack) if isinstance(s, ReaderActions))
    if essay_id == reader.essay.id:
        reader.go_to_annotation(annotation_id)
        return
    if not path or not Path(path).is_file():
        reader.say(f"The essay of that note is not found (last seen at {path or 'no file'}).")
        return
    app.open_essay(Path(path), annotation_id)
