"""The notes database removed or replaced while a store has it open.

A connection goes on writing to a deleted file, and to the old file when another is
moved over it: without a check, every note after that goes where no one can open it
again. These tests remove and replace the real files under an open store.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from essaytui.model.annotation import Annotation, Kind, make_annotation
from essaytui.model.essay import Essay
from essaytui.store import AnnotationStore, StoreWriteError
from essaytui.store.schema import DATABASE_NAME

ESSAY = Essay(id="gone", title="Gone", author="", reading_text="y" * 500, blocks=())


def note(text: str) -> Annotation:
    return make_annotation(ESSAY, 10, 30, Kind.NOTE, note=text)


def notes_at(folder: Path) -> list[str]:
    with AnnotationStore.open(folder) as store:
        return sorted(a.note for a in store.list_for_essay(ESSAY.id))


def notes_in_file(database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return sorted(row[0] for row in connection.execute("SELECT note FROM annotations"))
    finally:
        connection.close()


def copies(folder: Path) -> list[Path]:
    """The copies of what an open store held when its file was replaced."""
    found = folder.glob(f"{DATABASE_NAME}.replaced-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm")))


def test_a_removed_data_folder_is_made_again_with_every_note(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        store.add(note("written before"))
        shutil.rmtree(data)
        store.add(note("written after"))
        warnings = store.take_warnings()
        assert any("was removed while essaytui was open" in w for w in warnings), warnings
        assert any(str(data) in w for w in warnings)
        assert [a.note for a in store.list_for_essay(ESSAY.id)] == [
            "written before",
            "written after",
        ]
    assert notes_at(data) == ["written after", "written before"]


def test_a_removed_database_file_alone_is_made_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        store.add(note("one"))
        for name in (DATABASE_NAME, DATABASE_NAME + "-wal", DATABASE_NAME + "-shm"):
            (data / name).unlink(missing_ok=True)
        store.set_setting("theme", "nord")
        store.add(note("two"))
    assert notes_at(data) == ["one", "two"]
    with AnnotationStore.open(data) as store:
        assert store.get_setting("theme") == "nord"


def test_a_database_replaced_by_another_gets_the_write_and_the_old_is_kept(
    tmp_path: Path,
) -> None:
    data, other = tmp_path / "data", tmp_path / "other"
    with AnnotationStore.open(other) as elsewhere:
        elsewhere.add(note("from the other database"))
    with AnnotationStore.open(data) as store:
        store.add(note("only in the first"))
        os.replace(other / DATABASE_NAME, data / DATABASE_NAME)
        store.add(note("written after the swap"))
        warnings = store.take_warnings()
    assert notes_at(data) == ["from the other database", "written after the swap"]
    kept = copies(data)
    assert len(kept) == 1
    assert notes_in_file(kept[0]) == ["only in the first"]
    assert any("was replaced by another file" in w and str(kept[0]) in w for w in warnings)


def test_a_database_replaced_by_garbage_is_moved_aside_and_the_write_kept(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        store.add(note("before"))
        garbage = tmp_path / "garbage"
        garbage.write_bytes(b"no database here\x00" * 500)
        os.replace(garbage, data / DATABASE_NAME)
        store.add(note("after"))
        warnings = store.take_warnings()
    assert notes_at(data) == ["after"]
    assert len(list(data.glob(f"{DATABASE_NAME}.corrupt-*"))) == 1
    kept = copies(data)
    assert notes_in_file(kept[0]) == ["before"]
    assert any("damaged" in w for w in warnings)


def test_a_folder_that_cannot_be_made_again_is_never_reported_saved(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        store.add(note("kept in memory of the reader only"))
        shutil.rmtree(data)
        data.write_text("a file where the folder was")
        with pytest.raises(StoreWriteError, match="could not be made"):
            store.add(note("lost?"))
    assert data.read_text() == "a file where the folder was"
