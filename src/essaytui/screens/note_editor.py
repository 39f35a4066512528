"""The note editor: a multi-line note on a passage, its tags and its colour; ctrl+s saves,
escape cancels, ctrl+e writes the note in the reader's own editor ($VISUAL, $EDITOR)."""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from textual import events
from textual.app import ComposeResult, SuspendNotSupported
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Select, Static, TextArea

from essaytui.actions import EDITOR, action
from essaytui.model.annotation import COLORS, DEFAULT_COLOR, parse_tags
from essaytui.model.text import sanitize, sanitize_inline
from essaytui.screens.confirm import ConfirmScreen
from essaytui.sessions.annotations import Draft
from essaytui.store.store import LOCK_WAIT_SECONDS
from essaytui.typeahead import drop_held_keys, hold_keys
from essaytui.widgets.inert import inert

#: Called with what was written; returns an error message, or None once it is saved.
SaveNote = Callable[[Draft], Awaitable[str | None]]
#: Where the note goes when there is no terminal to lend the editor (textual-web, tests):
#: the editor runs without one, and is given this long.
DETACHED_EDITOR_SECONDS = 300.0


def editor_command() -> list[str] | None:
    """The reader's own editor, as `$VISUAL` or else `$EDITOR` says (with its options)."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                continue
            if words:
                return words
    return None


class TagSuggester(Suggester):
    """Completes the last word of a tag line from the tags already used."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, word = value.rpartition(" ")
        word = word.lstrip("#")
        if not word:
            return None
        typed = {tag.casefold() for tag in parse_tags(head)}
        for tag in self.tags:
            # the Input shows a suggestion that begins with what was typed, as typed
            if tag.startswith(word) and tag != word and tag.casefold() not in typed:
                return value[: len(value) - len(word)] + tag
        return None


#: After this long without an answer from the store, the editor says it is waiting.
WAITING_AFTER = 0.3


class NoteArea(TextArea):
    """A text area that keeps control characters out of the terminal."""

    async def _on_paste(self, event: events.Paste) -> None:
        # Handled here instead of by TextArea, which would insert the raw text too.
        event.prevent_default()
        if not self.read_only:
            self.replace(sanitize(event.text), *self.selection)


class NoteEditor(ModalScreen[Draft | None]):
    """Edits a note, its tags and its colour. The note is saved (by `save`) before the
    editor closes.

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
    NoteEditor #note-meta { height: 3; }
    NoteEditor #note-meta Label { padding: 1 1 0 0; }
    NoteEditor #note-tags { width: 1fr; }
    NoteEditor #note-color { width: 16; }
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
        action(
            "ctrl+e",
            "external_editor",
            "Your editor",
            id="note.external_editor",
            group=EDITOR,
            show=True,
            priority=True,
            palette=False,
            help="write the note in your own editor ($VISUAL or $EDITOR); the reader "
            "comes back with the text when it closes (nothing is lost if it fails)",
        ),
    ]

    def __init__(
        self,
        quote: str,
        save: SaveNote,
        initial: str = "",
        *,
        tags: Sequence[str] = (),
        color: str = DEFAULT_COLOR,
        known_tags: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.quote = quote
        self.initial = initial
        self.initial_tags = tuple(tags)
        self.initial_color = color if color in COLORS else DEFAULT_COLOR
        self.known_tags = list(known_tags)
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
            with Horizontal(id="note-meta"):
                yield Label("Tags")
                yield Input(
                    self._shown_tags,
                    placeholder="words, completed from your tags (→ accepts)",
                    id="note-tags",
                    suggester=TagSuggester(self.known_tags),
                )
                yield Select(
                    [(color, color) for color in COLORS],
                    value=self.initial_color,
                    allow_blank=False,
                    id="note-color",
                )
            yield Static("", id="note-error", markup=False)
            yield Static(
                "ctrl+s save · tab tags, colour · ctrl+e your editor · escape cancel",
                id="note-keys",
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Note"
        editor = self.query_one(TextArea)
        self.set_focus(editor)  # now: keys held for the editor go to it next
        editor.move_cursor(editor.document.end)

    @property
    def _shown_tags(self) -> str:
        # as the note itself: a tag is shown (and saved again) inert for the terminal
        return " ".join(sanitize_inline(tag) for tag in self.initial_tags)

    @property
    def text(self) -> str:
        """The note as typed."""
        return self.query_one(TextArea).text

    @property
    def draft(self) -> Draft:
        """The note, its tags and its colour as they stand."""
        color = self.query_one("#note-color", Select).value
        return Draft(
            self.text,
            parse_tags(self.query_one("#note-tags", Input).value),
            color if isinstance(color, str) and color in COLORS else DEFAULT_COLOR,
        )

    def action_save(self) -> None:
        # Keys typed after ctrl+s (in the same burst) are meant for the reader: they wait
        # until the save is done and the editor closed, and never reach the note.
        self._save_state = False
        hold_keys(self, until=self._save_settled, seconds=LOCK_WAIT_SECONDS + 5)
        # ctrl+s is a priority binding: it runs as soon as it arrives, while characters
        # typed just before it may still wait in the text area's queue. Save after them.
        self.query_one(TextArea).call_later(self._start_save)

    def _save_settled(self) -> bool:
        """Whether the keys held since ctrl+s may go on: the save failed (the editor
        stays; they were dropped), or the editor is gone and the reader has the focus."""
        if self._save_state is None:
            return True
        if not self._save_state:
            return False
        app = self.app
        return app.screen is not self and (app.focused is not None or self not in app.screen_stack)

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
        draft = self.draft
        try:
            error = await self._save(draft)
        finally:
            waiting.stop()
            self._saving = False
        if error is not None:
            shown.update(inert(f"Not saved: {error}"))
            drop_held_keys(self)
            self._save_state = None
            return
        self._save_state = True
        self.dismiss(draft)

    _saving = False
    #: Since ctrl+s: False while saving, True once saved (closing); None: no save pending.
    _save_state: bool | None = None

    def action_cancel(self) -> None:
        # as for save: judge "nothing typed" only once what was typed has arrived
        self.query_one(TextArea).call_later(self._cancel_typed)

    def _cancel_typed(self) -> None:
        draft = self.draft
        if (draft.text, draft.tags, draft.color) == (
            sanitize(self.initial),
            parse_tags(self._shown_tags),
            self.initial_color,
        ):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Throw away the note you typed?"), answered)

    # -- the reader's own editor ---------------------------------------------------------

    def action_external_editor(self) -> None:
        # as for save: the text typed just before ctrl+e goes to the editor too
        self.query_one(TextArea).call_later(self._start_external)

    def _start_external(self) -> None:
        self.run_worker(self._external(), group="external", exclusive=True)

    async def _external(self) -> None:
        """Write the note to a file, open it in the reader's editor, read it back.

        The text in the editor stays as it was unless the editor exits normally and the
        file can be read: a missing editor, a crash or a deleted file lose nothing.
        """
        shown = self.query_one("#note-error", Static)
        command = editor_command()
        if command is None:
            shown.update("Set $VISUAL or $EDITOR to write notes in your own editor.")
            return
        area = self.query_one(TextArea)
        with tempfile.TemporaryDirectory(prefix="essaytui-note-") as folder:
            path = Path(folder) / "note.md"
            try:
                path.write_text(area.text, encoding="utf-8")
                status = await self._run_editor([*command, str(path)])
            except (OSError, subprocess.SubprocessError) as error:
                shown.update(f"Your editor could not be run ({error}); the note is as it was.")
                return
            if status != 0:
                shown.update(f"Your editor exited with status {status}; the note is as it was.")
                return
            try:
                written = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                shown.update(f"The note could not be read back ({error}); it is as it was.")
                return
        if written.endswith("\n"):
            written = written[:-1]  # editors end the file with a newline
        area.load_text(sanitize(written))
        area.move_cursor(area.document.end)
        shown.update("")
        self.set_focus(area)

    async def _run_editor(self, command: list[str]) -> int:
        """Run the editor with the terminal lent to it; where the reader cannot lend it
        (textual-web, a headless run) the editor runs without one, off the event loop."""
        try:
            with self.app.suspend():
                return subprocess.run(command, check=False).returncode
        except SuspendNotSupported:
            result = await asyncio.to_thread(
                subprocess.run,
                command,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=DETACHED_EDITOR_SECONDS,
                check=False,
            )
            return result.returncode
