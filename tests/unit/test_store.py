"""The AnnotationStore over a real SQLite file: API, migrations, merging."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from essaytui.model.annotation import (
    Annotation,
    Kind,
    as_deleted,
    make_annotation,
    with_note,
)
from essaytui.model.essay import Essay, Section
from essaytui.store import (
    AnnotationStore,
    MergeResult,
    StoreWriteError,
    UnknownAnnotation,
)
from essaytui.store.schema import DATABASE_NAME, SCHEMA_VERSION

TEXT = (
    "Introduction\n\nThe two states signed a treaty in 2001.\n\n"
    "Trade\n\nTrade grew quickly after the treaty, although energy deals lagged."
)


@pytest.fixture
def essay() -> Essay:
    trade = TEXT.index("Trade\n\n")
    return Essay(
        id="essay-1",
        title="Partners",
        author="A. Writer",
        reading_text=TEXT,
        blocks=(),
        sections=(
            Section(0, "Introduction", 2, 0, trade),
            Section(1, "Trade", 2, trade, len(TEXT)),
        ),
        source_path="/essays/partners.md",
    )


def annotate(essay: Essay, quote: str, kind: Kind = Kind.HIGHLIGHT, note: str = "") -> Annotation:
    start = essay.reading_text.index(quote)
    return make_annotation(essay, start, start + len(quote), kind, note=note)


def test_add_get_list_and_reopen(tmp_path: Path, essay: Essay) -> None:
    first = annotate(essay, "signed a treaty", Kind.NOTE, note="Check the **date**.")
    second = make_annotation(essay, TEXT.index("energy"), TEXT.index("energy") + 6, "highlight")
    with AnnotationStore.open(tmp_path) as store:
        assert store.persistent and store.problem is None and store.notice is None
        assert store.path == tmp_path / DATABASE_NAME
        store.add(second)
        store.add(first)
        assert store.get(first.id) == first
        assert store.get("no-such-id") is None
    with AnnotationStore.open(tmp_path) as store:
        assert store.list_for_essay("essay-1") == [first, second]
        assert store.list_for_essay("other") == []
        assert store.count() == 2
    # The file is a WAL database at the current schema version.
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()


def test_adding_the_same_id_twice_is_refused(tmp_path: Path, essay: Essay) -> None:
    annotation = annotate(essay, "signed a treaty")
    with AnnotationStore.open(tmp_path) as store:
        store.add(annotation)
        with pytest.raises(StoreWriteError, match="already exists"):
            store.add(annotation)
        assert store.count() == 1


def test_update_bumps_modified(tmp_path: Path, essay: Essay) -> None:
    annotation = annotate(essay, "signed a treaty")
    with AnnotationStore.open(tmp_path) as store:
        store.add(annotation)
        edited = with_note(annotation, "Now a note")
        assert edited.kind is Kind.NOTE
        stored = store.update(edited)
        assert stored.modified > edited.modified > annotation.modified
        assert stored.created == annotation.created
        assert store.get(annotation.id) == stored
        with pytest.raises(UnknownAnnotation):
            store.update(annotate(essay, "energy deals"))


def test_delete_keeps_a_marker_and_restore_undoes_it(tmp_path: Path, essay: Essay) -> None:
    annotation = annotate(essay, "signed a treaty")
    with AnnotationStore.open(tmp_path) as store:
        store.add(annotation)
        gone = store.delete(annotation.id)
        assert gone.is_deleted and gone.modified > annotation.modified
        assert store.list_for_essay("essay-1") == []
        assert store.list_for_essay("essay-1", include_deleted=True) == [gone]
        back = store.restore(annotation.id)
        assert not back.is_deleted and back.modified > gone.modified
        assert store.list_for_essay("essay-1") == [back]
        with pytest.raises(UnknownAnnotation):
            store.delete("0e0e0e0e-0000-4000-8000-000000000000")


def test_control_characters_in_notes_are_stored_as_typed(tmp_path: Path, essay: Essay) -> None:
    note = "title\x1b]0;pwned\x07 and \x00 nul and \u202e bidi"
    annotation = annotate(essay, "signed a treaty", Kind.NOTE, note=note)
    with AnnotationStore.open(tmp_path) as store:
        store.add(annotation)
    with AnnotationStore.open(tmp_path) as store:
        stored = store.get(annotation.id)
        assert stored is not None and stored.note == note


def test_positions_last_read_and_recent(tmp_path: Path) -> None:
    with AnnotationStore.open(tmp_path) as store:
        assert store.last_read() is None and store.recent() == []
        store.save_position("a", 10, quote="First.", title="A", progress=0.1)
        store.save_position("b", 20, quote="Second.", title="B", author="W", progress=2.0)
        store.save_position("a", 30, quote="Third.", title="A", progress=0.5)
        last = store.last_read()
        assert last is not None and (last.essay_id, last.offset, last.quote) == ("a", 30, "Third.")
        assert [p.essay_id for p in store.recent()] == ["a", "b"]
        b = store.position("b")
        assert b is not None and b.progress == 1.0 and b.author == "W"
        assert b.updated.endswith("Z")
        assert store.position("missing") is None


def test_settings(tmp_path: Path) -> None:
    with AnnotationStore.open(tmp_path) as store:
        assert store.get_setting("theme") is None
        assert store.get_setting("theme", "dark") == "dark"
        store.set_setting("theme", "light")
        store.set_setting("theme", "nord")
    with AnnotationStore.open(tmp_path) as store:
        assert store.get_setting("theme") == "nord"


def test_data_version_tells_another_connection_wrote(tmp_path: Path, essay: Essay) -> None:
    with AnnotationStore.open(tmp_path) as one, AnnotationStore.open(tmp_path) as two:
        before = one.data_version()
        assert one.data_version() == before
        two.add(annotate(essay, "signed a treaty"))
        after = one.data_version()
        assert after != before
        assert len(one.list_for_essay("essay-1")) == 1


def test_migrates_a_version_1_database_and_keeps_its_data(tmp_path: Path) -> None:
    # The first schema as it shipped, written out by hand on purpose: if
    # someone edits migration 1 instead of adding a new one, this fails.
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    connection.executescript(
        """
        CREATE TABLE annotations (
            id TEXT PRIMARY KEY NOT NULL, essay_id TEXT NOT NULL,
            essay_path TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '', suffix TEXT NOT NULL DEFAULT '',
            start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
            section_trail TEXT NOT NULL DEFAULT '[]', note TEXT NOT NULL DEFAULT '',
            color TEXT NOT NULL DEFAULT 'yellow', tags TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL, modified TEXT NOT NULL, deleted TEXT,
            text_hash TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX annotations_by_essay ON annotations (essay_id, start_offset);
        CREATE TABLE positions (
            essay_id TEXT PRIMARY KEY NOT NULL, essay_path TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '',
            top_offset INTEGER NOT NULL, quote TEXT NOT NULL DEFAULT '',
            text_hash TEXT NOT NULL DEFAULT '', updated TEXT NOT NULL
        );
        INSERT INTO annotations VALUES (
            '3f2b8e1c-8a4d-4c1e-9d7a-2b6f0e5c9a11', 'old-essay', '/old.md', 'note',
            'quoted words', 'before ', ' after', 5, 17, '["Part one"]', 'my old note',
            'green', '["tag"]', '2025-01-02T03:04:05.678Z', '2025-01-02T03:04:05.678Z',
            NULL, ''
        );
        INSERT INTO positions VALUES (
            'old-essay', '/old.md', 'Old', 'Someone', 1234, 'A sentence.', '',
            '2025-01-02T03:04:06.000Z'
        );
        PRAGMA user_version = 1;
        """
    )
    connection.close()
    with AnnotationStore.open(tmp_path) as store:
        annotation = store.get("3f2b8e1c-8a4d-4c1e-9d7a-2b6f0e5c9a11")
        assert annotation is not None
        assert annotation.note == "my old note"
        assert annotation.kind is Kind.NOTE
        assert annotation.section_trail == ("Part one",)
        assert annotation.tags == ("tag",)
        assert (annotation.start, annotation.end) == (5, 17)
        position = store.last_read()
        assert position is not None
        assert (position.essay_id, position.offset, position.progress) == ("old-essay", 1234, 0.0)
        store.set_setting("theme", "dark")  # the table migration 2 added
        assert store.get_setting("theme") == "dark"
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    connection.close()


def test_merge_by_id(tmp_path: Path, essay: Essay) -> None:
    old = annotate(essay, "signed a treaty", Kind.NOTE, note="v1")
    newer = with_note(old, "v2")
    other = annotate(essay, "energy deals")
    with AnnotationStore.open(tmp_path) as store:
        assert store.merge([old, other]) == MergeResult(2, 0, 0)
        assert store.merge([old, other]) == MergeResult(0, 0, 2)
        assert store.merge([newer]) == MergeResult(0, 1, 0)
        assert store.merge([old]) == MergeResult(0, 0, 1)  # older copy loses
        stored = store.get(old.id)
        assert stored is not None and stored.note == "v2"


def test_merge_never_resurrects_a_deletion(tmp_path: Path, essay: Essay) -> None:
    annotation = annotate(essay, "signed a treaty", Kind.NOTE, note="keep?")
    exported_before_delete = annotation
    with AnnotationStore.open(tmp_path) as store:
        store.add(annotation)
        store.delete(annotation.id)
        assert store.merge([exported_before_delete]) == MergeResult(0, 0, 1)
        stored = store.get(annotation.id)
        assert stored is not None and stored.is_deleted
    # A deletion made elsewhere arrives by import and deletes it here.
    with AnnotationStore.open(tmp_path / "other") as store:
        store.add(annotation)
        assert store.merge([as_deleted(annotation)]) == MergeResult(0, 0, 0, deleted=1)
        assert store.list_for_essay("essay-1") == []
        # On a tie of `modified` the deleted copy wins.
        tied = as_deleted(annotation)
        fresh = AnnotationStore.in_memory()
        fresh.add(replace(tied, deleted=None))
        assert fresh.merge([tied]) == MergeResult(0, 0, 0, deleted=1)
        fresh.close()


def test_merge_is_one_transaction(tmp_path: Path, essay: Essay) -> None:
    good = annotate(essay, "signed a treaty")
    with AnnotationStore.open(tmp_path, page_limit=None) as store:
        store.add(good)
        huge = [make_annotation(essay, 0, 5, Kind.NOTE, note="x" * 200_000) for _ in range(3)] + [
            good
        ]
    # Re-open with the database capped at its current size: the merge cannot
    # fit, and none of it may be left behind.
    pages = _page_count(tmp_path / DATABASE_NAME)
    with AnnotationStore.open(tmp_path, page_limit=pages + 2) as store:
        with pytest.raises(StoreWriteError, match="disk is full"):
            store.merge(huge)
        assert store.count() == 1


def _page_count(database: Path) -> int:
    connection = sqlite3.connect(database)
    count = int(connection.execute("PRAGMA page_count").fetchone()[0])
    connection.close()
    return count


def test_in_memory_store_has_the_same_api(essay: Essay) -> None:
    with AnnotationStore.in_memory("the folder is read-only") as store:
        assert not store.persistent
        assert store.problem == "the folder is read-only"
        assert store.path is None
        annotation = store.add(annotate(essay, "signed a treaty"))
        assert store.list_for_essay("essay-1") == [annotation]
        store.save_position("essay-1", 3)
        assert store.last_read() is not None
        store.set_setting("theme", "x")
        assert store.get_setting("theme") == "x"
        assert isinstance(store.data_version(), int)


def test_tags_and_trail_are_json(tmp_path: Path, essay: Essay) -> None:
    annotation = make_annotation(
        essay,
        TEXT.index("Trade grew"),
        TEXT.index("Trade grew") + 10,
        Kind.NOTE,
        note="n",
        tags=["économie", "a,b"],
    )
    assert annotation.section_trail == ("Trade",)
    with AnnotationStore.open(tmp_path) as store:
        store.add(annotation)
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    tags, trail = connection.execute("SELECT tags, section_trail FROM annotations").fetchone()
    connection.close()
    assert json.loads(tags) == ["économie", "a,b"]
    assert json.loads(trail) == ["Trade"]
