"""The note editor: a multi-line note on a passage; ctrl+s saves, escape cancels."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from essaytui.actions import EDITOR, action
from essaytui.model.text import sanitize
from essaytui.screens.confirm import ConfirmScreen

#: Called with the note's text; returns an error message, or None once it is saved.
SaveNote = Callable[[str], Awaitable[str | None]]

#: After this long without an answer from the store, the editor says it is waiting.
WAITING_AFTER = 0.3


class NoteArea(TextArea):
    """A text area that keeps control characters out of the terminal (issue 6)."""

    async def _on_paste(self, event: events.Paste) -> None:
        # Handled here instead of by TextArea, which would insert the raw text too.
        event.prevent_default()
        if not self.read_only:
            self.replace(sanitize(event.text), *self.selection)


class NoteEditor(ModalScreen[str | None]):
    """Edits a note. The note is saved (by `save`) before the editor closes.

    If saving fails (the disk is full, the database is locked for too long),
    the error is shown and the text stays in the editor.
    """

    DEFAULT_CSS = """
    NoteEditor { align: center middle; background: $background; }
    NoteEditor > Vertical {
        width: 80; max-width: 100%; height: 22; max-height: 100%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    NoteEditor #note-quote { color: $text-muted; height: auto; max-height: 5; }
    NoteEditor TextArea { height: 1fr; border: none; background: $surface; }
    NoteEditor #note-error { color: $text-error; height: auto; }
    NoteEditor #note-keys { color: $text-muted; height: 1; }
    """

    BINDINGS = [
        action(
            "ctrl+s",
            "save",
            "Save",
            id="note.save",
            group=EDITOR,
            show=True,
            priority=True,
            palette=False,
            help="save the note and close the editor",
        ),
        action(
            "escape",
            "cancel",
            "Cancel",
            id="note.cancel",
            group=EDITOR,
            show=True,
            priority=True,
            palette=False,
            help="close the editor (asks first when something was typed)",
        ),
    ]

    def __init__(self, quote: str, save: SaveNote, initial: str = "") -> None:
        super().__init__()
        self.quote = quote
        self.initial = initial
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical():
            shown = " ".join(sanitize(self.quote).split())
            if len(shown) > 300:
                shown = shown[:299] + "…"
            yield Static(f"“{shown}”", id="note-quote", markup=False)
            yield NoteArea(
                sanitize(self.initial), id="note-text", soft_wrap=True, show_line_numbers=False
            )
            yield Static("", id="note-error", markup=False)
            yield Static("ctrl+s save · escape cancel", id="note-keys")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Note"
        editor = self.query_one(TextArea)
        self.set_focus(editor)  # now: keys held for the editor go to it next
        editor.move_cursor(editor.document.end)

    @property
    def text(self) -> str:
        """The note as typed."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        # ctrl+s is a priority binding: it runs as soon as it arrives, while characters
        # typed just before it may still wait in the text area's queue. Save after them.
        self.query_one(TextArea).call_later(self._start_save)

    def _start_save(self) -> None:
        # In a worker of its own: a save waiting for a locked database must not hold up
        # the text area's (or any widget's) messages.
        self.run_worker(self._save_typed(), group="save", description="saving the note")

    async def _save_typed(self) -> None:
        if self._saving:
            return  # ctrl+s pressed again while the first save waits
        self._saving = True
        shown = self.query_one("#note-error", Static)
        waiting = self.set_timer(
            WAITING_AFTER,
            lambda: shown.update("Waiting for the notes database (another essaytui is writing)…"),
        )
        try:
            error = await self._save(self.text)
        finally:
            waiting.stop()
            self._saving = False
        if error is not None:
            shown.update(f"Not saved: {error}")
            return
        self.dismiss(self.text)

    _saving = False

    def action_cancel(self) -> None:
        # as for save: judge "nothing typed" only once what was typed has arrived
        self.query_one(TextArea).call_later(self._cancel_typed)

    def _cancel_typed(self) -> None:
        if self.text == sanitize(self.initial):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Throw away the note you typed?"), answered)
