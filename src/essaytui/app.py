"""The essaytui application: loads the essay, shows the reader, keeps the theme."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from essaytui import paths
from essaytui.commands import GoToProvider
from essaytui.model.essay import Essay
from essaytui.model.source import EssayFileError, load_essay
from essaytui.screens.help import HelpScreen, remappable_bindings
from essaytui.screens.reader import ReaderScreen
from essaytui.store import AnnotationStore, StoreError

#: Files larger than this show their first part while the rest parses.
FIRST_SCREEN_LIMIT = 128 * 1024

#: Actions offered in the command palette: (title, action on the reader screen).
PALETTE_ACTIONS: list[tuple[str, str, str]] = [
    ("Read: next section", "view.action_section(1)", "]"),
    ("Read: previous section", "view.action_section(-1)", "["),
    ("Read: top", "view.action_top", "g"),
    ("Read: bottom", "view.action_bottom", "G"),
    ("Footnotes: select next reference", "view.action_footnote(1)", "f"),
    ("Footnotes: select previous reference", "view.action_footnote(-1)", "F"),
    ("Glossary: select next term", "view.action_term(1)", "t"),
    ("Glossary: select previous term", "view.action_term(-1)", "T"),
    ("Glossary: mark every term / first per section", "action_toggle_all_terms", "A"),
    ("Navigate: back", "action_back", "backspace"),
    ("Search: find in the essay", "action_search", "/"),
    ("Search: next match", "action_next_match(1)", "n"),
    ("Search: previous match", "action_next_match(-1)", "N"),
    ("View: show or hide the outline", "action_toggle_outline", "o"),
    ("View: show or hide the side pane", "action_toggle_side", "p"),
    ("View: focus the outline", "action_focus_pane('outline')", "1"),
    ("View: focus the essay", "action_focus_pane('essay')", "2"),
    ("View: focus the sources", "action_focus_pane('sources')", "3"),
    ("View: focus the glossary", "action_focus_pane('glossary')", "4"),
    ("View: focus the notes", "action_focus_pane('notes')", "5"),
    ("Notes: highlight the selection", "action_annotate('highlight')", "h"),
    ("Notes: annotate the selection", "action_annotate('note')", "a"),
    ("Notes: copy the selection as a quotation", "action_copy_quote", "y"),
    ("Notes: bookmark this place", "action_bookmark", "m"),
    ("Notes: export to Markdown (in the data folder)", "action_export", ""),
    ("Read: select text", "view.action_select", "v"),
]


def hold_collection() -> None:
    """No garbage collection until `settle_heap`: start-up allocates a great many
    long-lived objects (Textual's, the essay's), and collections passing over them
    again and again cost ~35 ms of the first screen."""
    gc.disable()


def settle_heap() -> None:
    """Take the loaded essay out of the garbage collector's way, and collect again.

    A multi-megabyte essay is a few hundred thousand long-lived objects; every full
    collection would walk them all (~80 ms at 4.4 MB), and one lands at random on a
    key press. Collected once, then frozen, they are skipped from then on (until the
    app closes: `EssayApp.on_unmount` unfreezes them).
    """
    gc.collect()
    gc.freeze()
    gc.enable()


class EssayApp(App[None]):
    """A terminal reader for long-form essays."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "essaytui"
    COMMANDS = App.COMMANDS | {GoToProvider}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", show=True, id="app.quit"),
        Binding("question_mark,f1", "help", "Help", show=True, id="app.help"),
    ]

    def __init__(
        self,
        path: Path | None = None,
        *,
        essay: Essay | None = None,
        data_dir: Path | None = None,
        source: str | None = None,
        source_bytes: bytes | None = None,
    ) -> None:
        """The reader on the essay at `path` (`essay`: its first part, parsed already).

        An essay with no file (read from standard input) comes as `source`, its
        text, and `source_bytes`, what was read: the rest is parsed from the text,
        and the bytes identify it.
        """
        # Collection is held while the essay is read and the app built (see
        # hold_collection), and again from `on_load` until the first screen is up. Given
        # back here, so an app that is never run leaves the process as it found it.
        collecting = gc.isenabled()
        hold_collection()
        try:
            super().__init__()
            self.data_dir = paths.data_dir(data_dir)
            self.essay_path = path or paths.default_essay()
            self._source = source
            if essay is None:
                essay = load_essay(self.essay_path, limit=FIRST_SCREEN_LIMIT)
            self.store = AnnotationStore.open_or_memory(self.data_dir)
            # Issue 10: the essay's identity is the document's, never its title's. Resolved
            # once here; the rest of a long essay keeps it (`_loaded`).
            identifier = self.store.identify(essay, source=source_bytes)
            self.essay = dataclasses.replace(essay, id=identifier)
            self.startup_warnings: list[str] = []
            #: binding id → keys, as remapped in keys.toml
            self.keymap_in_effect: dict[str, str] = {}
            self._apply_keymap()
            saved_theme = self.store.get_setting("theme")
            if saved_theme and saved_theme in self.available_themes:
                self.theme = saved_theme
        finally:
            if collecting:
                gc.enable()

    def on_load(self) -> None:
        hold_collection()  # until settle_heap, once the first screen is up

    @property
    def reader(self) -> ReaderScreen:
        """The reader screen (under any dialog)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ReaderScreen):
                return screen
        raise LookupError("no reader screen")

    @staticmethod
    def _remappable_owners() -> tuple[type[DOMNode], ...]:
        from essaytui.widgets.essay_view import EssayView
        from essaytui.widgets.notes import NotesPane

        return (EssayApp, ReaderScreen, EssayView, NotesPane)

    def _apply_keymap(self) -> None:
        from essaytui.keymap import KeymapError, load_keymap

        known = {
            binding.id
            for owner in self._remappable_owners()
            for binding in owner.BINDINGS
            if isinstance(binding, Binding) and binding.id
        }
        try:
            keymap, warnings = load_keymap(paths.keymap_file(), known)
        except KeymapError as error:
            self.startup_warnings.append(str(error))
            return
        self.startup_warnings.extend(warnings)
        if keymap:
            self.set_keymap(keymap)
            self.keymap_in_effect = keymap

    def watch_theme(self, theme: str) -> None:
        """Remember the reader's theme."""
        # A theme is not worth an error message; notes report their own problems.
        with contextlib.suppress(StoreError):
            self.store.set_setting("theme", theme)

    async def action_quit(self) -> None:
        """Save the reading position, then quit."""
        self.save_position()
        self.exit()

    def save_position(self) -> None:
        """Save the reading position, if the reader is showing."""
        with contextlib.suppress(LookupError):
            self.reader.save_position()

    def on_unmount(self) -> None:
        self._touch()  # issue 10: "last read" also when leaving
        self.store.close()
        gc.unfreeze()
        gc.enable()

    def _touch(self) -> None:
        """Record that this essay was read now (issue 10: at opening, not after a scroll)."""
        essay = self.essay
        with contextlib.suppress(StoreError):
            self.store.touch(essay.id, essay.source_path or "", essay.title, essay.author)

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.essay, self.store))
        self.call_after_refresh(self._touch)  # after the first screen: a write waits on disk
        if not self.essay.complete:
            # Parse the rest once the first screen is up: the parse competes for the GIL.
            self.set_timer(0.05, self._load_rest)
        else:
            self.call_after_refresh(settle_heap)

    @work(thread=True, exclusive=True, group="load")
    def _load_rest(self) -> None:
        try:
            if self._source is not None:
                from essaytui.model.parse import parse_essay

                essay = parse_essay(self._source)
            else:
                essay = load_essay(self.essay_path)
        except EssayFileError as error:
            # moved, deleted or changed into something unreadable since the first part
            self.call_from_thread(self._not_loaded, str(error))
            return
        self.call_from_thread(self._loaded, essay)

    def _not_loaded(self, error: str) -> None:
        settle_heap()
        self.reader.rest_unreadable(error)

    def _loaded(self, essay: Essay) -> None:
        essay = dataclasses.replace(essay, id=self.essay.id)  # issue 10: one identity
        self.essay = essay
        self.reader.set_essay(essay)
        self.call_after_refresh(settle_heap)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            rows = remappable_bindings(self.keymap_in_effect, self._remappable_owners())
            self.push_screen(HelpScreen(rows, str(paths.keymap_file())))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Help: show every key", "Keys and what they do (? or f1)", self.action_help
        )
        if not isinstance(screen, ReaderScreen):
            return
        for title, action, key in PALETTE_ACTIONS:
            yield SystemCommand(title, f"key: {key}", self._palette_callback(screen, action))

    def _palette_callback(self, screen: ReaderScreen, action: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            if action.startswith("view."):
                await screen.view.run_action(action.removeprefix("view.action_"))
            else:
                await screen.run_action(action.removeprefix("action_"))

        return run
