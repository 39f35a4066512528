"""Highlights, notes and bookmarks: reading them from the store and placing them in the
text, the keys that make them (h, a, 1…5 while selecting, m, ctrl+z), what the Notes
pane asks of one, and writes that wait while another essaytui holds the database."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, cast

from essaytui.model.annotation import COLORS, AnchorStatus, Annotation
from essaytui.screens.reading.navigation import Navigation
from essaytui.screens.reading.reading import LONG, Reading
from essaytui.sessions.annotations import Change, Draft, Loading, Placed
from essaytui.store import StoreBusy, StoreError
from essaytui.typeahead import hold_keys
from essaytui.ui_thread import show_from_worker
from essaytui.widgets.essay_view import Mark

if TYPE_CHECKING:
    # imported with the side pane, after the first screen (`ReaderScreen.side_pane`)
    from essaytui.widgets.notes import NotesPane


class Annotations:
    """The annotations of one reading, in the text and in the Notes pane."""

    def __init__(self, reading: Reading, navigation: Navigation) -> None:
        self.reading = reading
        self.navigation = navigation
        #: The colour chosen (1–5) for the selection begun at this offset: (anchor, colour).
        self._chosen_color: tuple[int, str] | None = None

    # -- reading and showing -----------------------------------------------------------

    def reload(self) -> None:
        """Read the essay's annotations and show them; place moved ones in a worker."""
        reading = self.reading
        try:
            loading = reading.notes.read()
        except StoreError as error:
            reading.say(str(error), seconds=LONG)
            return
        reading.notes.take(loading)
        self.show()
        for warning in reading.store.take_warnings():  # rows skipped as damaged, kept in the file
            reading.say(f"⚠ {warning}", seconds=LONG)
        if loading.to_place:
            reading.screen.run_worker(
                partial(self._place, loading),
                thread=True,
                exclusive=True,
                group="anchors",
                description="placing annotations",
            )

    def _place(self, loading: Loading) -> None:
        placed = self.reading.notes.place(loading)
        show_from_worker(self.reading.screen.app, self._placed, loading, placed)

    def _placed(self, loading: Loading, placed: Placed) -> None:
        rewrites = self.reading.notes.take(loading, placed)
        self.show()
        if rewrites:
            self.perform(self.reading.notes.rewrite(rewrites), quiet=True)

    def show(self) -> None:
        """Draw the annotations in the text and list them in Notes (once it is there)."""
        notes = self.reading.notes
        self.reading.view.set_marks(
            Mark(
                anchor.start,
                anchor.end,
                annotation.kind,
                fuzzy=anchor.status is AnchorStatus.FUZZY,
                color=annotation.color,
            )
            for annotation, anchor in notes.drawn()
        )
        # none before the side pane arrives (after the first screen, with its module)
        for pane in self.reading.screen.query("NotesPane"):
            cast("NotesPane", pane).set_annotations(notes.annotations, notes.anchors)

    def poll(self) -> None:
        """Read again when another essaytui wrote (or some notes are still unplaced)."""
        try:
            notes = self.reading.notes
            if notes.changed_elsewhere() or notes.unsettled:
                self.reload()
        except StoreError:
            return

    # -- writing -----------------------------------------------------------------------

    def perform(self, change: Change | str, *, quiet: bool = False) -> bool:
        """Make `change` now; if another essaytui holds the database, in a worker that
        waits for it. Returns False when it is not going to be made (the reason is
        shown): nothing to do, or the write failed."""
        reading = self.reading
        if isinstance(change, str):
            reading.say(change)
            return False
        try:
            change = reading.notes.make(change, wait=False)
        except StoreBusy:
            reading.say("Waiting for the notes database (another essaytui is writing)…", LONG)
            reading.screen.run_worker(
                partial(self._perform_waiting, change, quiet),
                thread=True,
                group="store",
                description="waiting for the notes database",
            )
            return True
        except StoreError as error:
            reading.say(f"Not saved: {error}", seconds=LONG)
            return False
        self._made(change, quiet)
        return True

    def _perform_waiting(self, change: Change, quiet: bool) -> None:
        call = partial(show_from_worker, self.reading.screen.app)
        try:
            change = self.reading.notes.make(change, wait=True)
        except StoreError as error:
            call(self.reading.say, f"Not saved: {error}", LONG)
            return
        call(self._made, change, quiet)

    async def perform_and_wait(self, change: Change | str) -> str | None:
        """Make `change`, waiting off the event loop if another essaytui holds the
        database; None once it is saved, else why it was not (the note editor stays
        open with the text)."""
        if isinstance(change, str):
            return change
        notes = self.reading.notes
        try:
            try:
                change = notes.make(change, wait=False)
            except StoreBusy:
                change = await asyncio.to_thread(notes.make, change, wait=True)
        except StoreError as error:
            self.reading.say(f"Not saved: {error}", seconds=LONG)
            return str(error)
        self._made(change, quiet=False)
        return None

    def _made(self, change: Change, quiet: bool) -> None:
        reading = self.reading
        reading.notes.made(change)
        if not quiet:
            persistent = reading.store.persistent
            reading.say(change.done if persistent else f"{change.done} (this session only)")
        self.reload()
        if change.focus:
            for pane in reading.screen.query("NotesPane"):
                cast("NotesPane", pane).highlight_annotation(change.focus)

    # -- the keys ------------------------------------------------------------------------

    def selection_or_hint(self) -> tuple[int, int] | None:
        """The selected range, or None after saying how to select."""
        selected = self.reading.view.selected_range
        if selected is None:
            self.reading.say("Select text first: v starts a selection (or drag with the mouse).")
        return selected

    def _selection_color(self) -> str:
        """The colour chosen for the current selection, else the default."""
        view = self.reading.view
        chosen = self._chosen_color
        if chosen is not None and view.selection is not None and view.selection[0] == chosen[0]:
            return chosen[1]
        return COLORS[0]

    def color(self, number: int) -> None:
        """1…5 while selecting: the colour, or recolour what the selection touches."""
        view = self.reading.view
        selected = view.selected_range
        if selected is None or not 1 <= number <= len(COLORS):
            return
        color = COLORS[number - 1]
        change = self.reading.notes.recolor(*selected, color)
        if change is not None:
            if self.perform(change):
                view.end_selection()
            return
        assert view.selection is not None
        self._chosen_color = (view.selection[0], color)
        self.reading.say(f"Colour: {color}. h highlights the selection in it, a writes a note.")

    def highlight(self) -> None:
        """h: highlight the selection (or remove the highlight it is on)."""
        selected = self.selection_or_hint()
        if selected is None:
            return
        if self.perform(self.reading.notes.highlight(*selected, self._selection_color())):
            self.reading.view.end_selection()

    def annotate(self) -> None:
        """a: a note on the selection, in the note editor."""
        selected = self.selection_or_hint()
        if selected is None:
            return
        from essaytui.screens.note_editor import NoteEditor  # TextArea: ~10 ms, when needed

        reading = self.reading

        async def save(draft: Draft) -> str | None:
            return await self.perform_and_wait(reading.notes.note(*selected, draft))

        def closed(draft: Draft | None) -> None:
            if draft is not None:
                reading.view.end_selection()
            reading.view.focus()

        hold_keys(reading.screen)  # what is typed next is the note
        reading.screen.app.push_screen(
            NoteEditor(
                reading.essay.quote(*selected),
                save,
                color=self._selection_color(),
                known_tags=reading.notes.tags_in_use(),
            ),
            closed,
        )

    def bookmark(self) -> None:
        """m: bookmark the sentence at the top of the view."""
        reading = self.reading
        top = reading.view.top_offset
        start, end = reading.essay.sentence_bounds(top)
        if end <= start:
            start, end = top, top
        self.perform(reading.notes.bookmark(start, end))

    def undo(self) -> None:
        """ctrl+z: take back the last change."""
        self.perform(self.reading.notes.undo())

    # -- what the Notes pane asks ----------------------------------------------------------

    def _asked(self, event: NotesPane.Request) -> Annotation | None:
        annotation = self.reading.notes.get(event.annotation_id) if event.annotation_id else None
        if annotation is None:
            self.reading.say("No note is highlighted.")
        return annotation

    def go_to(self, event: NotesPane.GoTo) -> None:
        """Enter in Notes: the annotation in the essay."""
        if (annotation := self._asked(event)) is not None:
            self.navigation.go_to_annotation(annotation.id)

    def delete(self, event: NotesPane.Delete) -> None:
        """d in Notes: delete (undoable)."""
        if (annotation := self._asked(event)) is not None:
            self.perform(self.reading.notes.delete(annotation))

    def confirm(self, event: NotesPane.Confirm) -> None:
        """Accept the place found for a moved annotation."""
        if (annotation := self._asked(event)) is not None:
            self.perform(self.reading.notes.confirm(annotation))

    def reattach(self, event: NotesPane.Reattach) -> None:
        """r in Notes: move a lost annotation to the selection."""
        annotation = self._asked(event)
        if annotation is None:
            return
        selected = self.reading.view.selected_range
        if selected is None:
            self.reading.say(
                "Select the new place in the essay first (v), then come back here "
                "(ctrl+p, “Focus notes”: 1–5 colour a selection) and press r."
            )
            return
        if self.perform(self.reading.notes.reattach(annotation, *selected)):
            self.reading.view.end_selection()

    def edit(self, event: NotesPane.Edit) -> None:
        """e in Notes: edit the note in the editor."""
        annotation = self._asked(event)
        if annotation is None:
            return
        from essaytui.screens.note_editor import NoteEditor

        reading = self.reading

        async def save(draft: Draft) -> str | None:
            return await self.perform_and_wait(reading.notes.edit(annotation, draft))

        def closed(_: Draft | None) -> None:
            reading.screen.query_one("NotesPane").focus()

        reading.screen.app.push_screen(
            NoteEditor(
                annotation.exact,
                save,
                initial=annotation.note,
                tags=annotation.tags,
                color=annotation.color,
                known_tags=reading.notes.tags_in_use(),
            ),
            closed,
        )
