"""Jumps and the way back: backspace and forward, bookmarks, sections, annotations,
and following a footnote, a term or a link to where it leads."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from essaytui.model.annotation import Kind
from essaytui.screens.reading.layout import PaneLayout
from essaytui.screens.reading.reading import Reading
from essaytui.sessions.links import InBook, InEssay, Missing, Outside, Refused, ToSource, resolve
from essaytui.sessions.navigator import Place
from essaytui.sessions.targets import FootnoteRef, Target, TermHit
from essaytui.widgets.peek import Peek


class Navigation:
    """Where the reader goes, remembered so that back returns exactly there."""

    def __init__(self, reading: Reading, layout: PaneLayout) -> None:
        self.reading = reading
        self.layout = layout
        #: The selection whose pane was opened (enter): its peek stays closed.
        self.peek_closed_for: Target | None = None

    def here(self) -> Place:
        """Where the reader is now."""
        view = self.reading.view
        return Place(view.top_offset, view.target, view.top_gap)

    def remember(self, place: Place | None = None) -> None:
        """Remember `place` (else here) as the place back returns to."""
        self.reading.navigator.remember(place or self.here())
        self.reading.screen.refresh_bindings()

    def jump_to(self, offset: int, target: Target | None = None, *, center: bool = False) -> None:
        """Remember where we are, then show `offset` (at the top, or in the upper third)."""
        self.remember()
        view = self.reading.view
        view.scroll_to_offset(offset)
        if center:
            view.center_on(offset)
        if target is not None:
            view.select_target(target, scroll=False)

    def arrive(self, offset: int, target: Target | None = None) -> None:
        """A jump from a pane: there, in the upper third, the essay focused again."""
        self.jump_to(offset, target, center=True)
        self.layout.hide_side_if_narrow()
        self.reading.view.focus()

    def go_to_place(self, place: Place) -> None:
        """Show `place` exactly as it was (back and forward)."""
        view = self.reading.view
        view.scroll_to_offset(place.top_offset, gap=place.gap)
        view.select_target(place.target, scroll=False)
        view.focus()
        self.layout.hide_side_if_narrow()
        self.reading.screen.refresh_bindings()

    def back(self) -> None:
        """backspace: back to where the last jump left."""
        place = self.reading.navigator.back(self.here())
        if place is None:
            # past this text's first jump: the text the library opened it from, if any
            app = self.reading.screen.app
            previous: Callable[[], bool] | None = getattr(app, "back_to_previous_text", None)
            if previous is None or not previous():
                self.reading.say("Nothing to go back to.")
            return
        self.go_to_place(place)

    def forward(self) -> None:
        """Forward again to where back came from."""
        place = self.reading.navigator.forward(self.here())
        if place is None:
            self.reading.say("Nothing to go forward to.")
            return
        self.go_to_place(place)

    def bookmark_step(self, direction: int) -> None:
        """The next (1) or previous (-1) bookmark, round the essay."""
        reading = self.reading
        top = reading.view.top_offset
        starts = sorted(
            anchor.start for a, anchor in reading.notes.drawn() if a.kind is Kind.BOOKMARK
        )
        if not starts:
            reading.say("No bookmarks yet: m bookmarks the top of the view.")
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
        self.jump_to(self.reading.essay.sections[index].start)
        self.reading.view.focus()

    def section_chosen(self, start: int) -> None:
        """A section chosen in the outline: there, the text given back."""
        self.jump_to(start)
        self.layout.give_text_back()  # it was opened over the essay
        self.reading.view.focus()

    def go_to_annotation(self, annotation_id: str) -> None:
        """Jump to an annotation (its anchored or proposed place)."""
        anchor = self.reading.notes.anchors.get(annotation_id)
        if anchor is None or anchor.start < 0:
            self.reading.say("This note is not found in this edition of the essay.")
            return
        self.arrive(anchor.start)

    def note_targets(self) -> list[tuple[str, str, partial[None]]]:
        """Command-palette entries "Go to: note …" (title, help, callback)."""
        return [
            (title, help_text, partial(self.go_to_annotation, annotation_id))
            for title, help_text, annotation_id in self.reading.notes.palette_entries()
        ]

    # -- footnotes, terms, links ---------------------------------------------------------

    def _leave_for_pane(self, pane: str) -> None:
        self.remember()
        self.peek_closed_for = self.reading.view.target  # the pane shows it now, whole
        self.reading.screen.query_one(Peek).hide()
        self.layout.show_side(pane)

    def open_source(self, label: str) -> None:
        """Remember the place, then show and focus the source `label`."""
        if not self.layout.side_here(partial(self.open_source, label)):
            return
        self._leave_for_pane("sources")
        from essaytui.widgets.sources import SourcesPane  # (with the pane, after the first screen)

        sources = self.reading.screen.query_one(SourcesPane)
        sources.show_source(label)
        sources.focus()

    def open_term(self, term_id: str) -> None:
        """Remember the place, then show the glossary entry of `term_id`."""
        if not self.layout.side_here(partial(self.open_term, term_id)):
            return
        self._leave_for_pane("glossary")
        target = self.reading.view.target
        near = target.start if isinstance(target, TermHit) and target.term_id == term_id else None
        from essaytui.widgets.glossary import GlossaryPane

        self.reading.screen.query_one(GlossaryPane).open_term(term_id, focus=True, near=near)

    def open_link(self, url: str, *, noun: str = "address") -> None:
        """Go to a place in the essay (`#id`), or show an address and open it if asked."""
        from essaytui.screens.confirm import ConfirmScreen

        reading = self.reading
        match resolve(reading.essay, url):
            case InEssay(offset):
                self.jump_to(offset, center=False)
            case ToSource(label):
                self.open_source(label)
            case Missing(fragment):
                reading.say(f"No heading or anchor “#{fragment}” in this essay.")
            case InBook(member):
                reading.say(
                    f"This picture is inside the book ({member}): it can't be opened outside it.",
                    seconds=8,
                )
            case Refused():
                reading.say(
                    f"Not opened (only http, https and mailto addresses are): {url}", seconds=8
                )
            case Outside(address):
                app = reading.screen.app

                def opened(confirmed: bool | None) -> None:
                    if confirmed:
                        app.open_url(address)
                        reading.say(f"Opened {address}")

                app.push_screen(ConfirmScreen(f"Open this {noun}?\n\n{address}"), opened)

    def source_chosen(self, label: str) -> None:
        """Enter on a source: its next reference in the essay."""
        reading = self.reading
        note = reading.essay.footnotes_by_label.get(label)
        if note is None or not note.refs:
            reading.say("This source is never referenced in the text.")
            return
        index = reading.next_ref.get(label, 0) % len(note.refs)
        reading.next_ref[label] = index + 1
        start, end = note.refs[index]
        self.arrive(start, FootnoteRef(start, end, label))
        if len(note.refs) > 1:
            reading.say(f"Reference {index + 1} of {len(note.refs)} to note {note.number}.")
