"""Finding notes across essays: SQLite FTS5 kept by triggers, migrated into
databases made before it, searched from another process and from the command line."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from essaytui_run import essaytui

from essaytui import paths
from essaytui.model.annotation import Annotation, Kind, make_annotation, with_note, with_tags
from essaytui.model.essay import Essay
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore
from essaytui.store.rows import annotation_values
from essaytui.store.schema import DATABASE_NAME, MIGRATIONS, NOTE_SEARCH_TABLE, SCHEMA_VERSION
from essaytui.store.search import NoteSearch, search_terms


@pytest.fixture(scope="module")
def bundled() -> Essay:
    return load_essay(paths.default_essay())


def note_on(essay: Essay, phrase: str, note: str = "", tags: tuple[str, ...] = ()) -> Annotation:
    start = essay.reading_text.index(phrase)
    return make_annotation(essay, start, start + len(phrase), Kind.NOTE, note=note, tags=tags)


def found(store: AnnotationStore, query: str) -> list[str]:
    return [hit.annotation.id for hit in store.search_notes(query)]


def test_search_finds_quote_note_and_tags_by_word_and_prefix(
    tmp_path: Path, bundled: Essay
) -> None:
    with AnnotationStore.open(tmp_path) as store:
        trade = note_on(
            bundled, "bilateral trade was worth merely", "Compare the IMF data", ("econ",)
        )
        history = note_on(bundled, "bitter rivalries", "Sino-Soviet split")
        store.add(trade)
        store.add(history)
        assert found(store, "bilateral") == [trade.id]
        assert found(store, "IMF") == [trade.id]
        assert found(store, "econ") == [trade.id]
        assert found(store, "rivalr") == [history.id]
        assert found(store, "soviet split") == [history.id]
        assert found(store, "bilateral soviet") == []  # every word must occur
        assert found(store, '"AND" OR ( NEAR *') == []  # FTS5 syntax is plain text here
        assert found(store, "   ") == []


def test_search_follows_edits_and_deletions(tmp_path: Path, bundled: Essay) -> None:
    with AnnotationStore.open(tmp_path) as store:
        annotation = store.add(note_on(bundled, "bitter rivalries", "first thought"))
        assert found(store, "thought") == [annotation.id]
        edited = store.update(with_tags(with_note(annotation, "second idea"), ["memory"]))
        assert found(store, "thought") == []
        assert found(store, "idea") == found(store, "memory") == [edited.id]
        store.delete(edited.id)
        assert found(store, "idea") == []
        store.restore(edited.id)
        assert found(store, "idea") == [edited.id]


WRITER = """
import sys
from essaytui import paths
from essaytui.model.annotation import Kind, make_annotation, with_note
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore

essay = load_essay(paths.default_essay())
with AnnotationStore.open(sys.argv[1]) as store:
    if sys.argv[2] == "add":
        start = essay.reading_text.index("bitter rivalries")
        made = make_annotation(essay, start, start + 16, Kind.NOTE, note="zhenbao border clash")
        store.add(made)
        print(made.id)
    elif sys.argv[2] == "edit":
        store.update(with_note(store.get(sys.argv[3]), "ussri crossing"))
    else:
        store.delete(sys.argv[3])
"""


def test_search_sees_what_another_process_wrote(tmp_path: Path) -> None:
    def other(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", WRITER, str(tmp_path), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return result.stdout.strip()

    with AnnotationStore.open(tmp_path) as store:  # open before the other process writes
        assert found(store, "zhenbao") == []
        note_id = other("add")
        assert found(store, "zhenbao") == [note_id]
        other("edit", note_id)
        assert found(store, "zhenbao") == [] and found(store, "ussri") == [note_id]
        other("delete", note_id)
        assert found(store, "ussri") == []


def test_notes_search_on_the_command_line(tmp_path: Path, bundled: Essay) -> None:
    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        # the reader records the essay (and its title) when it opens it
        store.touch(bundled.id, str(paths.default_essay()), bundled.title, bundled.author)
        annotation = store.add(
            note_on(
                bundled, "bilateral trade was worth merely", "trade figures vs rhetoric", ("econ",)
            )
        )
    result = essaytui("notes", "search", "rhetoric", data=data)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "“bilateral trade was worth merely”"  # the quote
    assert lines[2] == "  ✎ trade figures vs rhetoric"
    assert (
        "Strategic partners with caveats: China & Russia — § Frustrations beneath the surface"
        in lines[1]
    )
    assert f"note · {annotation.modified[:10]} · #econ" in lines[1]
    assert "1 note(s) match" in result.stderr
    with AnnotationStore.open(data) as store:
        store.delete(annotation.id)
    gone = essaytui("notes", "search", "rhetoric", data=data)
    assert gone.returncode == 1 and gone.stdout == "" and "no note matches" in gone.stderr
    usage = essaytui("notes", data=data)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def _database_of_schema_3(folder: Path) -> Path:
    """A notes database exactly as essaytui made it before search existed (schema 3)."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / DATABASE_NAME
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("BEGIN")
    for migration in MIGRATIONS[:3]:
        for step in migration:
            if isinstance(step, str):
                connection.execute(step)
            else:
                step(connection)
    connection.execute("PRAGMA user_version = 3")
    connection.execute("COMMIT")
    return database


def test_an_existing_database_is_migrated_and_its_notes_indexed(
    tmp_path: Path, bundled: Essay
) -> None:
    assert SCHEMA_VERSION == 5
    database = _database_of_schema_3(tmp_path)
    old = note_on(bundled, "hundred years of humiliation", "national narrative", ("memory",))
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute(
        "INSERT INTO annotations VALUES (" + ", ".join("?" * 17) + ")",
        annotation_values(old),
    )
    connection.close()
    with AnnotationStore.open(tmp_path) as store:
        version = store.database.read("PRAGMA user_version")[0][0]
        assert version == 5
        assert found(store, "humiliation") == [old.id]
        assert found(store, "narrative") == found(store, "memory") == [old.id]
        assert store.tags_in_use() == ["memory"]
    # the index and its triggers are part of the schema now
    connection = sqlite3.connect(database)
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert NOTE_SEARCH_TABLE in names
    assert {"annotations_fts_insert", "annotations_fts_update", "annotations_fts_delete"} <= names


def test_tags_in_use_counts_live_notes_and_skips_damaged_rows(
    tmp_path: Path, bundled: Essay
) -> None:
    with AnnotationStore.open(tmp_path) as store:
        for tags in (("china", "trade"), ("trade",), ("history",)):
            store.add(note_on(bundled, "bitter rivalries", "n", tags))
        gone = store.add(note_on(bundled, "bitter rivalries", "n", ("gone",)))
        store.delete(gone.id)
        store.database.write(
            lambda c: c.execute("UPDATE annotations SET tags = 'not json' WHERE id = ?", (gone.id,))
        )
        assert store.tags_in_use() == ["trade", "china", "history"]


def test_search_terms_quote_every_word() -> None:
    assert search_terms('trade "war" x*') == ['"trade"*', '"war"*', '"x*"*']
    assert json.dumps(search_terms("")) == "[]"


def test_without_fts5_search_falls_back_to_a_plain_scan(tmp_path: Path, bundled: Essay) -> None:
    """Where SQLite has no FTS5, migration 4 adds no index (has_fts5) and search scans."""
    with AnnotationStore.open(tmp_path) as store:
        kept = store.add(note_on(bundled, "bitter rivalries", "100% sure_thing", ("econ",)))
        store.add(note_on(bundled, "bitter rivalries", "100 percent"))

        def drop(connection: sqlite3.Connection) -> None:
            for trigger in ("insert", "update", "delete"):
                connection.execute(f"DROP TRIGGER annotations_fts_{trigger}")
            connection.execute(f"DROP TABLE {NOTE_SEARCH_TABLE}")

        store.database.write(drop)
        assert not NoteSearch(store.database).has_index()
        assert found(store, "rivalr econ") == [kept.id]
        assert found(store, "100%") == [kept.id]  # % and _ are plain characters
        assert found(store, "sure_") == [kept.id]
        assert found(store, "zzz") == []
