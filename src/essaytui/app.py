"""The essaytui application: loads the essay, shows the reader, keeps the theme."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen

from essaytui import paths
from essaytui.actions import GENERAL, action, bindings_of
from essaytui.commands import GoToProvider, palette_commands
from essaytui.model.essay import Essay, reading_progress
from essaytui.model.files import FIRST_SCREEN_LIMIT, EssayFileError, load_essay
from essaytui.model.text import sanitize, sanitize_inline
from essaytui.screens.reader import ReaderScreen, prepare_essay
from essaytui.store import AnnotationStore, StoreBusy, StoreError
from essaytui.typeahead import TypeaheadApp
from essaytui.ui_thread import is_closing, show_from_worker

if TYPE_CHECKING:
    from textual import events

    from essaytui.interchange.sync import RemotePosition
    from essaytui.model.read_ahead import ReadAhead
    from essaytui.sessions.library import LibraryRow
    from essaytui.sessions.reading_time import ReadingClock
    from essaytui.sessions.sync import ReaderSync, SyncOutcome
    from essaytui.store.library import Library, LibraryText
    from essaytui.widgets.text_layout import TextLayout


#: Texts left for another that `backspace` can go back to, the latest kept.
TEXTS_KEPT_FOR_BACK = 100

#: A write from the interface's thread that found the notes database locked is tried
#: again this many seconds later, up to this many times in all (as long as a write in a
#: worker waits: `store.LOCK_WAIT_SECONDS`).
RETRY_SECONDS = 1.0
WRITE_ATTEMPTS = 30

#: How often the active reading time is written to the library (seconds).
READING_FLUSH_SECONDS = 60.0


def hold_collection() -> None:
    """No garbage collection until `settle_heap`: start-up allocates a great many
    long-lived objects (Textual's, the essay's), and collections passing over them
    again and again cost ~35 ms of the first screen."""
    gc.disable()


#: Set to "0", the heap is not settled at start: collection just resumes. The test suite
#: sets it: it starts hundreds of apps in one process, and a full collection at each start
#: would walk everything the earlier tests left (a test starts the app without it, and
#: holds that the heap is settled).
SETTLE_HEAP = "ESSAYTUI_SETTLE_HEAP"


def settle_heap() -> None:
    """Take the loaded essay out of the garbage collector's way, and collect again.

    A multi-megabyte essay is a few hundred thousand long-lived objects; every full
    collection would walk them all (~80 ms at 4.4 MB), and one lands at random on a
    key press. Collected once, then frozen, they are skipped from then on (until the
    app closes: `EssayApp.on_unmount` unfreezes them). Not with ESSAYTUI_SETTLE_HEAP=0.
    """
    if os.environ.get(SETTLE_HEAP) == "0":
        gc.enable()
        return
    gc.collect()
    gc.freeze()
    gc.enable()


def release_heap() -> None:
    """Undo `settle_heap` when the app closes: what it froze is collected again (with
    ESSAYTUI_SETTLE_HEAP=0 it froze nothing, and what the caller froze stays so)."""
    if os.environ.get(SETTLE_HEAP) != "0":
        gc.unfreeze()
    gc.enable()


def settle_rest_heap() -> None:
    """`settle_heap` once the rest of a long essay is in, without the collection: that
    would walk the whole essay with every key held (~0.1 s for a 10 MB book, ~0.3 s
    when the collection waited for it). What the reading made is frozen as it is: a
    book's conversion frees its chapters' garbage as it goes (`epub.chapters`), and
    the parse leaves next to none (~70 objects for 10 MB)."""
    if os.environ.get(SETTLE_HEAP) == "0":
        gc.enable()
        return
    gc.freeze()
    gc.enable()


class EssayApp(TypeaheadApp[None]):
    """A terminal reader for long-form essays."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "essaytui"
    COMMANDS = App.COMMANDS | {GoToProvider}

    #: Show the Library screen over the reader once it is up (`essaytui library`).
    open_library_first = False

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "q",
            "quit",
            "Quit",
            id="app.quit",
            group=GENERAL,
            show=True,
            help="quit (your place is saved)",
        ),
        action(
            "question_mark,f1",
            "help",
            "Help",
            id="app.help",
            group=GENERAL,
            show=True,
            help="every key, and how to remap them",
        ),
        # Textual binds ctrl+p itself; this row puts it in the help (and the key hints).
        action(
            "ctrl+p",
            "command_palette",
            "Command palette",
            id="app.palette",
            group=GENERAL,
            palette=False,
            help="every action, and go to a section, footnote, term or note",
        ),
        action(
            "B",
            "library",
            "Library",
            id="app.library",
            group=GENERAL,
            help="the Library: every text, its series, progress and notes",
        ),
        action(
            "alt+n",
            "next_part",
            "Next part",
            id="app.next_part",
            group=GENERAL,
            help="open the next part of this text's series (in the library)",
        ),
        action(
            "alt+p",
            "previous_part",
            "Previous part",
            id="app.previous_part",
            group=GENERAL,
            help="open the previous part of this text's series (in the library)",
        ),
    ]

    def __init__(
        self,
        path: Path | None = None,
        *,
        essay: Essay | None = None,
        data_dir: Path | None = None,
        source: str | None = None,
        source_bytes: bytes | None = None,
        store: AnnotationStore | None = None,
        ahead: ReadAhead | None = None,
    ) -> None:
        """The reader on the essay at `path` (`essay`: its first part, parsed already). An
        essay with no file (standard input) comes as `source`, its text, and `source_bytes`,
        what was read: the rest is parsed from the text, the bytes identify it. `store` is
        the notes store when the caller opened it already (its notice, such as a damaged
        database moved aside, is shown); the app closes it. `ahead`: a process reading
        the whole of `path` into the essay cache (`model.read_ahead`), which the rest
        waits for instead of reading it here."""
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
            self._ahead = ahead
            #: Set when the reader closes: a book still converting in a worker stops.
            self._reader_closing = threading.Event()
            #: Texts shown in place of the first (a worker reading the first's rest
            #: checks it has not changed since it began).
            self._texts_shown = 0
            if essay is None:
                essay = load_essay(self.essay_path, limit=FIRST_SCREEN_LIMIT)
            self.store = (
                store if store is not None else AnnotationStore.open_or_memory(self.data_dir)
            )
            # Issue 10: the essay's identity is the document's, never its title's. Resolved
            # once here; the rest of a long essay keeps it (`_loaded`).
            identifier = self.store.identify(essay, source=source_bytes)
            self.essay = dataclasses.replace(essay, id=identifier)
            self.startup_warnings: list[str] = []
            #: binding id → keys, as remapped in keys.toml
            self.keymap_in_effect: dict[str, str] = {}
            self._apply_keymap()
            #: the sync folder's session, once one is set (`_start_sync`)
            self.sync: ReaderSync | None = None
            #: where another machine is further on in this essay, offered once
            self.elsewhere: RemotePosition | None = None
            self._quitting = False
            self._library: Library | None = None
            #: texts left for another: (path, top offset), the last left last
            self._came_from: list[tuple[Path, int]] = []
            #: (essay id, step) → the series' next/previous part in the library
            self._neighbours: dict[tuple[str, int], LibraryText | None] = {}
            self._first_screen_up = False  # (the library is not opened before it is)
            self._clock: ReadingClock | None = None
            self._pace: float | None = None
            #: how far through the text the reading time's words were last counted
            #: from (`reading_progress`)
            self._counted_from = -1.0  # unknown until the first count
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

    @classmethod
    def binding_owners(cls) -> list[type[DOMNode]]:
        """Every screen and widget class whose bindings the help screen, the palette and
        keys.toml know, in the help's order. A new screen or pane with keys adds its class
        here (imported here, when asked: the first screen needs none of the dialogs)."""
        from essaytui.screens.about import AboutScreen
        from essaytui.screens.confirm import ConfirmScreen
        from essaytui.screens.help import HelpFilter, HelpScreen
        from essaytui.screens.library import LibraryScreen
        from essaytui.screens.note_editor import NoteEditor
        from essaytui.widgets.essay_view import EssayView
        from essaytui.widgets.glossary import GlossaryPane
        from essaytui.widgets.library_table import LibraryTable
        from essaytui.widgets.lists import ReaderList
        from essaytui.widgets.notes import NotesPane
        from essaytui.widgets.outline import OutlinePane
        from essaytui.widgets.search_bar import SearchBar

        return [
            AboutScreen,
            ConfirmScreen,
            HelpFilter,
            HelpScreen,
            LibraryScreen,
            LibraryTable,
            NoteEditor,
            ReaderScreen,
            EssayView,
            GlossaryPane,
            ReaderList,
            NotesPane,
            OutlinePane,
            SearchBar,
        ]

    def _apply_keymap(self) -> None:
        """Read keys.toml. Its ids are checked against the bindings once the first screen
        is up (that needs every screen's module, which the first screen does not)."""
        from essaytui.keymap import KeymapError, load_keymap

        try:
            keymap, warnings = load_keymap(paths.keymap_file())
        except KeymapError as error:
            self.startup_warnings.append(str(error))
            return
        self.startup_warnings.extend(warnings)
        if keymap:
            self.set_keymap(keymap)
            self.keymap_in_effect = keymap

    def _check_keymap(self) -> None:
        from essaytui.actions import hint_of, known_ids
        from essaytui.keymap import clashes, unknown_ids

        name = paths.keymap_file().name
        keymap = self.keymap_in_effect
        problems = unknown_ids(keymap, known_ids(type(self)), name)
        problems += clashes(
            binding_chains(type(self)),
            keymap,
            lambda key: self._normalize_keymap({"key": key})["key"],
            hint_of,
        )
        for warning in problems:
            self.startup_warnings.append(warning)
            with contextlib.suppress(LookupError):
                self.reader.say(f"⚠ {warning}", seconds=10)

    def watch_theme(self, theme: str) -> None:
        """Remember the reader's theme (a failure is not worth an error message)."""

        def remember() -> None:
            if self.theme == theme:  # not one chosen since
                self.store.set_setting("theme", theme, wait=False)

        self._write_soon(remember)

    def _write_soon(self, write: Callable[[], object], attempts: int = WRITE_ATTEMPTS) -> None:
        """A small write of the notes database from the interface's thread, which never
        waits for its lock: while another essaytui holds it, the write is tried again a
        second later (the keys answer meanwhile), up to `attempts` times in all. `write`
        makes its write with `wait=False` (and may decide it is no longer needed)."""
        try:
            write()
        except StoreBusy:
            if attempts > 1 and not self._reader_closing.is_set():
                self.set_timer(RETRY_SECONDS, lambda: self._write_soon(write, attempts - 1))
        except StoreError:
            return  # not worth an error message: the next save or opening writes it again

    async def action_quit(self) -> None:
        """Save the reading position, then quit (after a sync, with a sync folder set:
        `q` again quits at once)."""
        self.save_position()
        self.record_reading()
        if self.sync is not None and not self._quitting:
            self._quitting = True
            with contextlib.suppress(LookupError):
                self.reader.say("Syncing your notes… (q again quits at once)", 30)
            self._sync_now(then_exit=True)
            return
        self.exit()

    # -- the sync folder ------------------------------------------------------------------

    def _start_sync(self) -> None:
        """With a sync folder set, sync in the background (the essay has just opened)."""
        try:
            if not self.store.get_setting(paths.SYNC_FOLDER_SETTING):
                return  # the sync's modules are not even imported
        except StoreError:
            return
        from essaytui.sessions.sync import ReaderSync

        sync = ReaderSync(self.store, self.essay.id)
        if sync.active:
            self.sync = sync
            self._sync_now()

    @work(thread=True, group="sync")
    def _sync_now(self, then_exit: bool = False) -> None:
        sync = self.sync
        if sync is None:
            return
        outcome = sync.run(self.essay.id)
        show_from_worker(self, self._synced, outcome, then_exit)

    def _synced(self, outcome: SyncOutcome, then_exit: bool) -> None:
        """Show what a background sync brought (or quit, after the last one)."""
        if then_exit:
            self.exit()
            return
        from essaytui.sessions.sync import offer

        reader = self.reader
        joined = (outcome.rekeyed or {}).get(self.essay.id)
        if joined is not None:
            # the same document was known on another machine first: its id now
            self.essay = dataclasses.replace(self.essay, id=joined)
            reader.essay = dataclasses.replace(reader.essay, id=joined)
        elif outcome.received:
            reader.annotations.reload()
        if outcome.elsewhere is not None and outcome.elsewhere != self.elsewhere:
            self.elsewhere = outcome.elsewhere
            # a notice above the status line (app.tcss), for Textual's usual time: the
            # status line keeps its section, percentage and time left in sight
            came = f"{outcome.message}\n" if outcome.message else ""
            self.notify(
                f"{came}Read further elsewhere: {offer(outcome.elsewhere)}.\n"
                "Command palette: “Sync: continue there”."
            )
            self.set_timer(self.NOTIFICATION_TIMEOUT + 0.5, self._repaint_status)
        elif outcome.message:
            reader.say(outcome.message, 10)

    def action_continue_elsewhere(self) -> None:
        """Go to where another machine is further on in this essay."""
        from essaytui.sessions.sync import remote_offset

        remote, self.elsewhere = self.elsewhere, None
        if remote is not None:
            reader = self.reader
            reader.navigation.jump_to(remote_offset(reader.essay, remote))
            self.clear_notifications()  # the offer is taken
            self.call_after_refresh(self._repaint_status)

    def _repaint_status(self) -> None:
        """Draw the status row whole again once a notice over the screen has gone: the
        compositor redrew only the cells it thought changed, and one cell of the notice
        could stay behind at the row's end."""
        with contextlib.suppress(LookupError):
            self.reader.status.refresh()

    def save_position(self) -> None:
        """Save the reading position, if the reader is showing."""
        with contextlib.suppress(LookupError):
            self.reader.save_position()

    def on_unmount(self) -> None:
        self._reader_closing.set()
        if self._ahead is not None:
            self._ahead.stop()  # a child still reading the book: the worker waiting for it ends
        self._touch()  # "last read" also when leaving
        self.record_reading()
        if self._library is not None:
            self._library.close()
        self.store.close()
        release_heap()

    def _parts_known(self) -> None:
        """Let the key hints ask for the next and previous part of a series now that the
        first screen is written: that opens the library (its SQLite file, its schema),
        which cost 20–60 ms before the first frame for a text that is part of a series."""
        self._first_screen_up = True
        self.refresh_bindings()

    def _touch(self) -> None:
        """Record that this essay was read now (at opening, not only after a scroll)."""
        essay = self.essay
        try:
            if not self.reader.reading.position.shown:
                return
        except LookupError:
            return

        def touch() -> None:
            if self.essay.id == essay.id:  # a text opened since is the last one read
                path = essay.source_path or ""
                self.store.touch(essay.id, path, essay.title, essay.author, wait=False)

        self._write_soon(touch)

    def get_default_screen(self) -> ReaderScreen:
        """The reader is the app's first screen (not pushed from `on_mount`: Textual runs
        `on_mount` inside its start-up batch, and a screen pushed there has its first frame
        drawn and then dropped; the terminal saw nothing until the next full repaint,
        ~90 ms later at 9 KB and ~570 ms at 4.4 MB, bench/PROFILE.md row 7)."""
        return ReaderScreen(self.essay, self.store, warnings=self.startup_warnings)

    def on_mount(self) -> None:
        self.call_after_refresh(self._parts_known)
        self.call_after_refresh(self._touch)  # after the first screen: a write waits on disk
        self.call_after_refresh(self._shelve)
        self.set_interval(READING_FLUSH_SECONDS, self.record_reading)
        if self.open_library_first:
            # at once: the reader's first frame would only be drawn to be covered
            self.reader.reading.position.shown = False
            self.action_library()
        self.call_after_refresh(self._start_sync)
        if self.keymap_in_effect:
            self.call_after_refresh(self._check_keymap)
        if not self.essay.complete:
            # Parse the rest once the first screen is written: the parse competes for the
            # GIL with the first layout (bench/PROFILE.md row 8).
            self.call_after_refresh(self.set_timer, 0.05, self._load_rest)
        else:
            self.call_after_refresh(settle_heap)

    @work(thread=True, exclusive=True, group="load")
    def _load_rest(self) -> None:
        from essaytui.model.epub.chapters import STOP

        stopping = STOP.set(self._reader_closing)  # the reader closing ends a book's conversion
        try:
            self._read_rest()
        finally:
            STOP.reset(stopping)

    def _read_rest(self) -> None:
        first, path = self._texts_shown, self.essay_path
        try:
            if self._source is not None:
                from essaytui.model.parse import parse_essay

                essay = parse_essay(self._source)
            else:
                if self._ahead is not None and self._ahead.path == path:
                    self._ahead.wait_whole()  # then the cache holds it (or this reads it)
                    if self._ahead.stopped:
                        return  # the reader is closing: its exit waits for this thread
                essay = load_essay(path)
        except EssayFileError as error:
            # moved, deleted or changed into something unreadable since the first part (or
            # the conversion stopped as the reader closed: then this is not shown)
            show_from_worker(self, self._not_loaded, first, str(error))
            return
        if is_closing(self):  # also once the reader has closed (`_reader_closing`)
            return
        parsed = essay.id  # the file's own (a book's identifier): is it still the same text?
        essay = dataclasses.replace(essay, id=self.essay.id)  # one identity for both parts
        show_from_worker(self, self._loaded, first, essay, self._prepared(essay), parsed)

    def _prepared(self, essay: Essay) -> TextLayout | None:
        """`prepare_essay` for the reader's view (None if there is none to show it)."""
        try:
            view = self.call_from_thread(lambda: self.reader.view)
        except (LookupError, NoMatches):
            return None
        try:
            return prepare_essay(essay, lambda whole: self.call_from_thread(view.wrapping, whole))
        except (LookupError, NoMatches):
            return None

    def open_essay(
        self, path: Path, annotation_id: str | None = None, at: int | None = None
    ) -> None:
        """Read the essay at `path` (in a worker) and show it instead of this one, at the
        annotation `annotation_id` when given ("Find note…"), or at the offset `at`.
        Every way of opening another text comes here, so that `backspace`, once the new
        text's own jumps are undone, comes back to this one where it was left."""
        self._read_essay(path, annotation_id, at, remember=True)

    @work(thread=True, exclusive=True, group="open")
    def _read_essay(
        self, path: Path, annotation_id: str | None, at: int | None, *, remember: bool
    ) -> None:
        try:
            essay = load_essay(path)
        except EssayFileError as error:
            said = f"Not opened: {error}"
            show_from_worker(self, lambda: self.reader.say(said, 10))
            return
        essay = dataclasses.replace(essay, id=self.store.identify(essay))
        show_from_worker(self, self._show_essay, path, essay, annotation_id, at, remember)

    def _show_essay(
        self,
        path: Path,
        essay: Essay,
        annotation_id: str | None,
        at: int | None = None,
        remember: bool = True,
    ) -> None:
        if remember:
            self._remember_place()  # now, not when asked: a text that fails to open is no step
        self.record_reading()
        self._counted_from = -1.0
        self.essay_path, self.essay, self._source = path, essay, None
        self._texts_shown += 1
        reader = self.reader
        reader.open_essay(essay)
        self._touch()
        self._shelve()
        if at is not None:
            reader.call_after_refresh(reader.open_at, at)
        self.elsewhere = None
        if self.sync is not None:
            self._start_sync()
        if annotation_id is not None:
            # after the reader's first layout (it restores the saved place on mount)
            reader.call_after_refresh(reader.go_to_annotation, annotation_id)

    def _remember_place(self) -> None:
        """Keep the text being read and its place, for `backspace` from the next one (not
        a text read from a pipe: there is no file to come back to)."""
        if self._source is not None:
            return
        with contextlib.suppress(LookupError, NoMatches):
            self._came_from.append((self.essay_path, self.reader.view.top_offset))
            del self._came_from[:-TEXTS_KEPT_FOR_BACK]

    def _not_loaded(self, shown: int, error: str) -> None:
        settle_heap()
        if shown == self._texts_shown:
            self.reader.rest_unreadable(error)

    def _loaded(
        self, shown: int, essay: Essay, layout: TextLayout | None = None, parsed: str = ""
    ) -> None:
        """The whole essay in place of its first part, unless another text was shown
        meanwhile (`shown`: `_texts_shown` when the worker began; `layout`: its wrapping,
        done by the worker that read it, `prepare_essay`; `parsed`: the id the parse gave
        it, before it took the first part's)."""
        if shown != self._texts_shown:
            return
        if self._source is None and self._replaced_meanwhile(
            dataclasses.replace(essay, id=parsed or essay.id)
        ):
            return
        if essay.id != self.essay.id:  # joined with another machine's meanwhile (sync)
            essay, layout = dataclasses.replace(essay, id=self.essay.id), None
        self.essay = essay
        if layout is not None:
            self.reader.view.offer(layout)
        self.reader.essay = essay
        self._shelve()
        self.call_after_refresh(settle_rest_heap)

    def _replaced_meanwhile(self, whole: Essay) -> bool:
        """Whether the file now holds another text than the first part shown (replaced
        while the rest was read: another book, by the identity rules): if so it is shown
        as that text, filed under its own identity, never under the first part's."""
        identified = self.store.identify(whole)
        if identified == self.essay.id:
            return False
        self._show_essay(
            self.essay_path, dataclasses.replace(whole, id=identified), None, remember=False
        )
        self.reader.say("The file changed while it was read: this is what it holds now", 10)
        return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification, its words made inert for the terminal and never markup: what
        it says may name a file or quote one."""
        del markup  # nothing the reader is told is markup
        super().notify(
            sanitize(message),
            title=sanitize_inline(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_command_palette(self) -> None:
        """Open the command palette; keys typed right after ctrl+p go into its search."""
        self.hold_keys()
        super().action_command_palette()

    def action_help(self) -> None:
        from essaytui.actions import LIBRARY
        from essaytui.screens.help import HelpScreen
        from essaytui.screens.library import LibraryScreen

        if not isinstance(self.screen, HelpScreen):
            # asked from the Library, its own keys come first
            first = LIBRARY if isinstance(self.screen, LibraryScreen) else None
            self.push_screen(HelpScreen(self.keymap_in_effect, str(paths.keymap_file()), first))

    def get_key_display(self, binding: Binding) -> str:
        """Keys as a person types them (`]`, `ctrl+p`), in the hints as in the help."""
        from essaytui.actions import key_display

        return key_display(binding.key.split(",")[0])

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Help: show every key", "Keys and what they do (? or f1)", self.action_help
        )
        if isinstance(screen, ReaderScreen):
            yield from palette_commands(screen, self.keymap_in_effect)
            yield from self._sync_commands()
            from essaytui.screens.library import library_commands

            yield from library_commands(self)

    def _sync_commands(self) -> Iterable[SystemCommand]:
        if self.elsewhere is not None:
            from essaytui.sessions.sync import offer

            yield SystemCommand(
                "Sync: continue there", offer(self.elsewhere), self.action_continue_elsewhere
            )
        if self.sync is not None:
            yield SystemCommand(
                "Sync: sync notes now", f"with {self.sync.folder}", lambda: self._sync_now()
            )

    # -- the library ----------------------------------------------------------------------

    @property
    def library(self) -> Library:
        """The library of this data folder (opened on first use; in memory if it cannot be)."""
        if self._library is None:
            from essaytui.store.library import Library, LibraryError

            try:
                self._library = Library.open(self.data_dir)
            except LibraryError:
                self._library = Library.in_memory()
        return self._library

    def library_rows(self) -> list[LibraryRow]:
        """The Library screen's rows, as the store and the library have them now."""
        from essaytui.sessions.library import library_rows

        try:
            positions = self.store.recent(100_000)
            tallies = self.store.note_tallies()
        except StoreError:
            positions, tallies = [], {}
        pace = self.library.reading().words_per_minute
        return library_rows(self.library.texts(), positions, tallies, pace)

    def gather_library(self) -> bool:
        """Bring the library up to date (run in a worker: it reads and indexes files);
        whether anything changed. Its own connections: the app's belong to its thread."""
        from essaytui.store.intake import gather
        from essaytui.store.library import Library, LibraryError

        try:
            with (
                Library.open(self.data_dir) as library,
                AnnotationStore.open(self.data_dir) as store,
            ):
                report = gather(library, store)
        except (LibraryError, StoreError):
            return False
        # added, indexed again or moved: what the Library shows has changed
        return bool(report.added or report.already or report.skipped)

    @work(thread=True, group="shelve")
    def _shelve(self) -> None:
        """Hold the essay being read in the library (indexed if its file changed)."""
        from essaytui.store.library import Library, LibraryError

        essay, path = self.essay, self.essay.source_path
        if not path or self._source is not None:
            return
        if not essay.complete:
            return  # `_loaded` shelves it: parsing it here too would do the rest's work twice
        try:
            with Library.open(self.data_dir) as library:
                library.forget_others_at(Path(path), essay.id)
                library.put(essay.id, essay, Path(path))
                self._pace = library.reading().words_per_minute
        except (LibraryError, EssayFileError, OSError, sqlite3.Error):
            return
        show_from_worker(self, self._show_series)
        show_from_worker(self, self._library_holds_it)

    def _library_holds_it(self) -> None:
        """The text being read is in the library now: a Library opened before it was (a
        `B` pressed at once) lists it too; its own gathering may have found it already
        there and shown nothing new."""
        module = sys.modules.get("essaytui.screens.library")  # imported when it is shown
        screen = self.screen
        # one not mounted yet fills itself when it is, with the library as it is then
        if module is not None and isinstance(screen, module.LibraryScreen) and screen.is_mounted:
            screen.fill(self.library_rows())

    def _show_series(self) -> None:
        """Say on the status line which part of a series this is ("Part 5 of …", or
        "Part 5" when the series names itself nowhere), and, when the library holds the
        next part, its key (shown at the end of this one)."""
        from essaytui.model.series import part_label

        self._neighbours.clear()  # the library holds this text now, and may be new
        hint = ""
        following = self.neighbour_part(1)
        # a part whose file is gone cannot be opened: no key offered for it
        if following is not None and not following.missing:
            keys = self.keymap_in_effect.get("app.next_part", "alt+n")
            hint = f"{self.get_key_display(Binding(keys, '', ''))} next part"
        # the reader may be closing (the quit came first)
        with contextlib.suppress(LookupError, NoMatches):
            self.reader.status.set_series(part_label(self.essay.meta), hint)

    def open_library_text(self, text: LibraryText, at: int | None = None) -> None:
        """Read a text of the library instead of this one (where it was left, or at `at`);
        `backspace`, once this text's own jumps are undone, comes back here."""
        if text.essay_id == self.essay.id and at is None:
            return
        self.open_essay(Path(text.path), at=at)

    def can_go_back_a_text(self) -> bool:
        """Whether `backspace` past this text's first jump has a text to go back to."""
        return bool(self._came_from)

    def back_to_previous_text(self) -> bool:
        """Go back to the text (and the place in it) read before this one was opened;
        False when there is none."""
        while self._came_from:
            path, offset = self._came_from.pop()
            if path.is_file():
                self._read_essay(path, None, offset, remember=False)
                return True
        return False

    def action_library(self) -> None:
        """Show the Library."""
        from essaytui.screens.library import LibraryScreen

        if not isinstance(self.screen, LibraryScreen):
            self.push_screen(LibraryScreen(), callback=self._library_closed)

    def _library_closed(self, back_to_text: bool | None) -> None:
        """The Library closed: back on the text under it, which is now shown (and read)."""
        if back_to_text:
            with contextlib.suppress(LookupError):
                reader = self.reader
                if not reader.reading.position.shown:
                    reader.reading.position.shown = True
                    self._touch()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next/previous part only where there is one."""
        if action in ("next_part", "previous_part"):
            if not self._first_screen_up:
                return False  # asked again once it is (`_parts_known`)
            # in a series the keys always answer, if only to say there is no such part
            return self._in_series()
        return super().check_action(action, parameters)

    def _in_series(self) -> bool:
        from essaytui.model.series import series_place

        place = series_place(self.essay.meta)
        return place is not None and bool(place.part)

    def neighbour_part(self, step: int) -> LibraryText | None:
        """The next (`step` 1) or previous (-1) part of this text's series in the library
        (worked out once per text: bindings ask on every refresh)."""
        key = (self.essay.id, step)
        if key not in self._neighbours:
            self._neighbours[key] = self._find_part(step)
        return self._neighbours[key]

    def _find_part(self, step: int) -> LibraryText | None:
        from essaytui.model.series import series_place

        place = series_place(self.essay.meta)
        if place is None or not place.part:
            return None
        parts = [p for p in self.library.parts(place, self.essay.author) if p.part]
        later = [p for p in parts if (p.part - place.part) * step > 0]
        if not later:
            return None
        return min(later, key=lambda p: abs(p.part - place.part))

    def series_parts(self) -> list[str]:
        """The parts of this text's series held in the library, one line each ("▸" marks
        this one, "✗" a missing file), for About this edition."""
        from essaytui.model.series import series_place

        place = series_place(self.essay.meta)
        if place is None:
            return []
        lines = []
        for part in self.library.parts(place, self.essay.author):
            mark = "▸" if part.essay_id == self.essay.id else ("✗" if part.missing else " ")
            # a part without a number is named by its title alone, in the library's order
            number = f"Part {part.part}: " if part.part else ""
            lines.append(f"{mark} {number}{part.title}")
        return lines

    def action_next_part(self) -> None:
        """Open the next part of the series."""
        self._open_part(1)

    def action_previous_part(self) -> None:
        """Open the previous part of the series."""
        self._open_part(-1)

    def _open_part(self, step: int) -> None:
        """Open the part `step` away, or say why not (none in the library, file gone)."""
        which = "next" if step > 0 else "previous"
        found = self.neighbour_part(step)
        if found is None:
            self.reader.say(f"No {which} part of this series in the library")
        elif found.missing:
            self.reader.say(f"The {which} part's file is gone: {found.path}")
        else:
            self.open_library_text(found)

    async def on_event(self, event: events.Event) -> None:
        """Every key counts as reading (two minutes without one is a pause)."""
        from textual import events

        if isinstance(event, events.Key):
            self.reading_clock.key(time.monotonic())
        await super().on_event(event)

    @property
    def reading_clock(self) -> ReadingClock:
        """The clock of active reading time."""
        if self._clock is None:
            from essaytui.sessions.reading_time import ReadingClock

            self._clock = ReadingClock()
        return self._clock

    @property
    def words_per_minute(self) -> float:
        """The reader's pace, learned from their reading (the default until it is read,
        in the background, when the text is shelved)."""
        from essaytui.store.pace import DEFAULT_WPM

        return self._pace or DEFAULT_WPM

    def record_reading(self) -> None:
        """Add the reading time counted so far (and the words read) to the library."""
        if self._clock is None:
            return
        seconds = self._clock.take()
        if seconds <= 0:
            return  # no reading since the last count: where it was counted from stays
        from essaytui.sessions.reading_time import words_read
        from essaytui.store.faults import is_busy
        from essaytui.store.library import LibraryError

        try:
            view = self.reader.view
            length, top = len(self.essay.reading_text), view.top_offset
            progress = reading_progress(length, top, view.bottom_offset)
        except (LookupError, NoMatches):
            return
        # first count of this text: from the top of the view (what is on screen is read)
        start = top / max(1, length) if self._counted_from < 0 else self._counted_from
        words = words_read(self.essay, start, progress)
        try:
            # the interface's thread does not wait for another process's write
            self.library.add_reading(self.essay.id, seconds, words, wait=False)
        except sqlite3.Error as error:
            if is_busy(error):
                self._clock.seconds += seconds  # counted at the next flush, with its words
                return
        except LibraryError:
            pass
        self._counted_from = progress
        with contextlib.suppress(LibraryError, sqlite3.Error):
            self._pace = self.library.reading().words_per_minute


def binding_chains(app: type[DOMNode]) -> list[list[list[Binding]]]:
    """Where the focus can be, each as the bindings that apply there, the most specific
    first: a pane of the reader, the reader, the app (or a dialog, then the app). Two
    bindings in one chain that share a key both apply when that key is pressed."""
    from essaytui.screens.about import AboutScreen
    from essaytui.screens.confirm import ConfirmScreen
    from essaytui.screens.help import HelpFilter, HelpScreen
    from essaytui.screens.library import LibraryScreen
    from essaytui.screens.note_editor import NoteEditor
    from essaytui.widgets.essay_view import EssayView
    from essaytui.widgets.glossary import GlossaryPane
    from essaytui.widgets.library_table import LibraryTable
    from essaytui.widgets.lists import ReaderList
    from essaytui.widgets.notes import NotesPane
    from essaytui.widgets.outline import OutlinePane
    from essaytui.widgets.search_bar import SearchBar

    def own(owner: type[DOMNode]) -> list[Binding]:
        # what the class declares and what it inherits, as Textual merges them
        return [b for cls in reversed(owner.__mro__) for b in bindings_of(cls)]

    top = own(app)
    reader = [own(ReaderScreen), top]
    chains = [
        [own(pane), *reader] for pane in (EssayView, OutlinePane, NotesPane, ReaderList, SearchBar)
    ]
    chains.append([own(ReaderList), own(GlossaryPane), *reader])
    chains += [
        [own(dialog), top] for dialog in (AboutScreen, ConfirmScreen, HelpScreen, NoteEditor)
    ]
    chains.append([own(HelpFilter), own(HelpScreen), top])
    chains.append([own(LibraryTable), own(LibraryScreen), top])
    return chains
