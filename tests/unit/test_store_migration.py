"""Migration 3: notes filed under a colliding title hash are split by path.

The database is made the way the released essaytui made it: today's first two
migrations, then the rows its reader wrote for two RFCs titled "Summary" (one id,
sha256("Summary\\0")[:16]) and for an essay with a front-matter id.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from essaytui_run import essaytui

from essaytui.interchange.w3c import read_export
from essaytui.model.files import load_essay
from essaytui.model.identity import title_hash
from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME, MIGRATIONS, SCHEMA_VERSION

SUMMARY = title_hash("Summary", "")
COLUMNS = (
    "id, essay_id, essay_path, kind, exact, prefix, suffix, start_offset, end_offset, "
    "section_trail, note, color, tags, created, modified, deleted, text_hash"
)


def old_database(folder: Path) -> Path:
    """A version-2 database, made by the shipped migrations, with SQL only."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / DATABASE_NAME
    connection = sqlite3.connect(database)
    for migration in MIGRATIONS[:2]:
        for step in migration:
            assert isinstance(step, str)  # the shipped ones are plain SQL
            connection.execute(step)
    connection.execute("PRAGMA user_version = 2")
    connection.commit()
    connection.close()
    return database


def add_note(
    connection: sqlite3.Connection,
    number: int,
    essay_id: str,
    path: str,
    note: str,
    *,
    trail: tuple[str, ...] = ("Summary",),
    deleted: str | None = None,
) -> str:
    identifier = f"00000000-0000-4000-8000-{number:012d}"
    connection.execute(
        f"INSERT INTO annotations ({COLUMNS}) VALUES (?, ?, ?, 'note', 'This RFC', '', '', "
        "0, 8, ?, ?, 'yellow', '[]', '2025-03-01T10:00:00.000Z', '2025-03-01T10:00:00.000Z', "
        "?, '')",
        (identifier, essay_id, path, json.dumps(list(trail)), note, deleted),
    )
    return identifier


@pytest.fixture
def colliding(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The data folder, and the two RFC files whose notes share one id."""
    one = tmp_path / "rfcs" / "2388-try-expr.md"
    two = tmp_path / "rfcs" / "1598-gat.md"
    one.parent.mkdir()
    one.write_text("# Summary\n\nThis RFC proposes try blocks.\n", encoding="utf-8")
    two.write_text("# Summary\n\nThis RFC proposes generic associated types.\n", encoding="utf-8")
    data = tmp_path / "data"
    connection = sqlite3.connect(old_database(data))
    add_note(connection, 1, SUMMARY, str(one), "note on try blocks")
    add_note(
        connection,
        2,
        SUMMARY,
        str(one),
        "deleted on try blocks",
        deleted="2025-03-02T10:00:00.000Z",
    )
    add_note(connection, 3, SUMMARY, str(two), "note on GATs")
    add_note(connection, 4, "kept-id", "/elsewhere/kept.md", "a front-matter essay", trail=())
    # The reader kept one position per id: the last file opened took it.
    connection.execute(
        "INSERT INTO positions (essay_id, essay_path, title, author, top_offset, quote, "
        "text_hash, updated, progress) VALUES (?, ?, 'Summary', '', 40, 'This RFC', '', "
        "'2025-03-03T10:00:00.000Z', 0.5)",
        (SUMMARY, str(two)),
    )
    connection.commit()
    connection.close()
    return data, one, two


def notes_by_essay(store: AnnotationStore) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for annotation in store.all_annotations(include_deleted=True):
        found.setdefault(annotation.essay_id, set()).add(annotation.note)
    return found


def test_colliding_notes_are_split_by_the_path_each_last_saw(
    colliding: tuple[Path, Path, Path],
) -> None:
    data, one, two = colliding
    with AnnotationStore.open(data) as store:
        assert store.count() == 4  # nothing deleted
        by_essay = notes_by_essay(store)
        assert SUMMARY not in by_essay
        assert by_essay["kept-id"] == {"a front-matter essay"}  # front-matter ids are kept
        first, second = store.identify(load_essay(one)), store.identify(load_essay(two))
        assert first != second
        assert by_essay[first] == {"note on try blocks", "deleted on try blocks"}
        assert by_essay[second] == {"note on GATs"}
        assert [a.note for a in store.list_for_essay(first)] == ["note on try blocks"]
        # The position went with the file it was saved for.
        assert store.position(first) is None
        position = store.position(second)
        assert position is not None and (position.offset, position.essay_path) == (40, str(two))
    connection = sqlite3.connect(data / DATABASE_NAME)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    connection.close()


def test_a_title_hash_of_one_file_is_re_keyed_and_found_again(tmp_path: Path) -> None:
    """No collision: the essay still moves to a path-based id, and its file finds it."""
    path = tmp_path / "intro.md"
    path.write_text("# Introduction\n\nA tool.\n", encoding="utf-8")
    data = tmp_path / "data"
    connection = sqlite3.connect(old_database(data))
    add_note(connection, 1, title_hash("Introduction", ""), str(path), "mine", trail=())
    connection.commit()
    connection.close()
    with AnnotationStore.open(data) as store:
        essay_id = store.identify(load_essay(path))
        assert [a.note for a in store.list_for_essay(essay_id)] == ["mine"]


def test_an_export_made_before_the_split_imports_where_it_belongs(
    tmp_path: Path, colliding: tuple[Path, Path, Path]
) -> None:
    """An old export names the title hash; its notes go to the essay of their path."""
    data, one, two = colliding
    items = []
    for number, path, note in ((1, one, "edited on try blocks"), (3, two, "edited on GATs")):
        items.append(
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "id": f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
                "type": "Annotation",
                "motivation": "commenting",
                "created": "2025-03-01T10:00:00.000Z",
                "modified": "2025-03-05T10:00:00.000Z",
                "body": {"type": "TextualBody", "value": note},
                "target": {
                    "source": f"urn:essaytui:{SUMMARY}",
                    "selector": [{"type": "TextQuoteSelector", "exact": "This RFC"}],
                },
                "essaytui:data": {"essay_id": SUMMARY, "essay_path": str(path), "kind": "note"},
            }
        )
    exported = tmp_path / "old-export.json"
    exported.write_text(
        json.dumps({"type": "AnnotationCollection", "first": {"items": items}}), encoding="utf-8"
    )
    with AnnotationStore.open(data) as store:
        result = store.merge(read_export(exported).annotations)
        assert (result.updated, result.refused) == (2, 0), store.warnings
        first, second = store.identify(load_essay(one)), store.identify(load_essay(two))
        by_essay = notes_by_essay(store)
        assert "edited on try blocks" in by_essay[first]
        assert by_essay[second] == {"edited on GATs"}


def test_list_shows_each_essay_once_with_its_path(colliding: tuple[Path, Path, Path]) -> None:
    data, one, two = colliding
    result = essaytui("list", data=data)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert out.count(str(one)) == 1 and out.count(str(two)) == 1
    recent, rest = out.split("Other essays with notes:")
    assert str(two) in recent and "50%" in recent
    assert str(one) in rest.split("Bundled:")[0] and "1 note(s)" in rest
    assert "/elsewhere/kept.md" in rest and "(file missing)" in rest


def test_an_old_export_of_colliding_notes_imported_later_is_split_too(
    tmp_path: Path, colliding: tuple[Path, Path, Path]
) -> None:
    """Into a database made after the split: the title hash arrives with two files' notes."""
    _, one, two = colliding
    connection = sqlite3.connect(old_database(tmp_path / "elsewhere"))
    add_note(connection, 7, SUMMARY, str(one), "on try blocks, from elsewhere")
    add_note(connection, 8, SUMMARY, str(two), "on GATs, from elsewhere")
    add_note(connection, 9, SUMMARY, "", "no path at all")
    rows = connection.execute(f"SELECT {COLUMNS} FROM annotations").fetchall()
    connection.close()
    with AnnotationStore.open(tmp_path / "fresh") as store:
        connection = sqlite3.connect(tmp_path / "fresh" / DATABASE_NAME)
        connection.executemany(
            f"INSERT INTO annotations ({COLUMNS}) VALUES ({', '.join('?' * 17)})", rows
        )
        connection.commit()
        connection.close()
        first = store.identify(load_essay(one))
        assert first != SUMMARY
        assert [a.note for a in store.list_for_essay(first)] == ["on try blocks, from elsewhere"]
        second = store.identify(load_essay(two))
        assert [a.note for a in store.list_for_essay(second)] == ["on GATs, from elsewhere"]
        assert store.count() == 3  # the one without a path is kept, under an essay of its own
        assert SUMMARY not in {a.essay_id for a in store.all_annotations()}
