"""Data faults in the real app: say why, keep the notes, offer export.

The faults are real: a data folder path that runs through a regular file, a
database file full of garbage, and a database at SQLite's page limit (the
store's `page_limit`, which makes writes fail with SQLITE_FULL exactly as a
full disk does).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from burst import burst
from ready import opened
from textual import events
from textual.command import CommandPalette
from textual.widgets import Static, TextArea

from essaytui import paths
from essaytui.app import EssayApp
from essaytui.cli import reader_app
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.note_editor import NoteEditor
from essaytui.screens.reader import ReaderScreen
from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.notes import NotesPane

DATA = Path(__file__).resolve().parents[1] / "data"
ESSAY = DATA / "no-headings.md"


def notes_text(app: EssayApp) -> str:
    pane = app.reader.query_one(NotesPane)
    return "\n".join(
        str(getattr(option.prompt, "plain", option.prompt))
        for option in (pane.get_option_at_index(i) for i in range(pane.option_count))
    )


def words(text: str) -> str:
    return " ".join(text.split())


async def test_data_dir_that_cannot_be_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("ESSAYTUI_DATA_DIR", str(blocker / "data"))
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))

    app = EssayApp(ESSAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        assert not app.store.persistent
        message = screen.status.message
        assert "Notes cannot be saved" in message
        assert f"{blocker / 'data'} cannot be created (Not a directory)" in message
        assert "export" in message

        await pilot.press("v", "h")
        await pilot.pause()
        assert screen.status.message == "Highlighted. (this session only)"
        quote = app.store.list_for_essay(screen.essay.id)[0].exact
        assert words(quote)[:40] in words(notes_text(app))

        # Export from the command palette: it goes to the home folder.
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Notes: export")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        exported = sorted(home.glob("essaytui-*.md"))
        assert len(exported) == 1
        assert exported[0] == screen.quoting.last_export
        assert f"Exported 1 annotations to {exported[0]}" in screen.status.message
        markdown = exported[0].read_text(encoding="utf-8")
        assert words(quote) in words(markdown.replace("> ", ""))
        assert (home / exported[0].with_suffix(".json").name).is_file()
    # Nothing was written where the folder should have been.
    assert blocker.read_text() == "a file, not a folder"


async def test_corrupt_database_is_moved_aside(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    garbage = b"this is not a database\x00\xff" * 200
    (data_dir / DATABASE_NAME).write_bytes(garbage)

    app = EssayApp(ESSAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        asides = sorted(data_dir.glob(f"{DATABASE_NAME}.corrupt-*"))
        assert len(asides) == 1
        assert asides[0].read_bytes() == garbage  # nothing deleted
        message = screen.status.message
        assert "damaged" in message and str(asides[0]) in message
        assert app.store.persistent
        # The fresh database takes notes.
        await pilot.press("v", "h")
        await pilot.pause()
        assert screen.status.message == "Highlighted."
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("SELECT count(*) FROM annotations").fetchone() == (1,)
    finally:
        connection.close()


class FullDiskApp(EssayApp):
    """The app with its store opened at SQLite's page limit: the "disk" is full.

    The store is the real one (`AnnotationStore.open(..., page_limit=...)`); only its
    size cap differs from what `EssayApp` opens.
    """

    page_limit = 0

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.store.close()
        self.store = AnnotationStore.open(self.data_dir, page_limit=self.page_limit)


async def test_disk_full_keeps_the_note_in_the_editor(data_dir: Path) -> None:
    with AnnotationStore.open(data_dir):
        pass
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    connection.close()
    FullDiskApp.page_limit = pages
    # Longer than a page: the row needs pages the database may not grow.
    note = "My note that must not be lost. " + "It goes on and on. " * 300

    app = FullDiskApp(ESSAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        await pilot.press("v", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        area = editor.query_one(TextArea)
        area.insert(note)
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The error is in the editor, the editor is still open, the text still in it.
        assert app.screen is editor
        error = str(editor.query_one("#note-error", Static).content)
        assert error.startswith("Not saved: Could not save: the disk is full")
        assert area.text == note
        assert "disk is full" in screen.status.message
        assert app.store.list_for_essay(screen.essay.id) == []
        # escape asks before throwing the typed note away.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor and area.text == note
        assert screen.query_one(EssayView).selected_range is not None
        assert "My note that must not be lost" not in notes_text(app)


async def test_the_reader_with_no_path_shows_the_damaged_database_notice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with AnnotationStore.open(data) as store:
        store.save_position("x", 0, essay_path=str(ESSAY), title="read before")
    (data / DATABASE_NAME).write_bytes(b"not a database at all\x00\xff" * 300)
    app = reader_app(None, data)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        moved = sorted(data.glob(f"{DATABASE_NAME}.corrupt-*"))
        assert len(moved) == 1
        message = app.reader.status.message
        assert "damaged" in message and str(moved[0]) in message, message
        assert app.essay_path == paths.default_essay()  # the last read is in the old file


async def test_a_full_disk_at_opening_shows_the_notes_and_says_changes_cannot_be_saved(
    data_dir: Path,
) -> None:
    import resource
    import signal

    essay = load_essay(ESSAY)
    with AnnotationStore.open(data_dir) as store:
        essay = dataclasses.replace(essay, id=store.identify(essay))
        store.add(make_annotation(essay, 3, 30, Kind.NOTE, note="weathered the storm"))
    # A real fault: every write past 16 KiB fails (EFBIG, as ENOSPC on a full disk), so
    # SQLite cannot make the -shm file it needs ("disk I/O error"). Only while the app
    # opens its store; the limit is given back before anything else runs.
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, hard))
    try:
        app = EssayApp(ESSAY)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        assert app.store.read_only
        message = app.reader.status.message
        assert "full or failing" in message and "changes can't be saved" in message
        assert "weathered the storm" in notes_text(app)


async def test_a_note_written_after_the_data_folder_was_removed_is_kept(data_dir: Path) -> None:
    import shutil

    app = EssayApp(ESSAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("v", "h")  # a highlight in the folder that will go
        await pilot.pause()
        shutil.rmtree(data_dir)
        await pilot.press("j", "v", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).insert("written after the folder went")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        message = app.reader.status.message
        assert "was removed while essaytui was open" in message, message
        assert str(data_dir) in message
        assert "written after the folder went" in notes_text(app)
    with AnnotationStore.open(data_dir) as store:
        kept = store.all_annotations(include_deleted=False)
    assert sorted(a.note for a in kept) == ["", "written after the folder went"]


async def test_keys_after_a_failed_ctrl_s_never_reach_the_note(data_dir: Path) -> None:
    with AnnotationStore.open(data_dir):
        pass
    connection = sqlite3.connect(data_dir / DATABASE_NAME)
    pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    connection.close()
    FullDiskApp.page_limit = pages
    note = "A note too long for the full disk. " * 200

    app = FullDiskApp(ESSAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("v", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        area = editor.query_one(TextArea)
        area.insert(note)
        await burst(pilot, events.Key("ctrl+s", None), "jjj")
        await pilot.pause()
        assert app.screen is editor  # not saved: the editor stays with the text
        assert area.text == note  # the j meant for the reader are not in it
        assert "disk is full" in str(editor.query_one("#note-error", Static).content)
