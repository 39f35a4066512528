"""Rows holding values essaytui never writes are skipped with a warning, and kept (17.12).

The rows are written into a real database with plain sqlite3, as a hand edit, a
buggy older version or another program would; then the store, `export`,
`import-notes` and `list` (as subprocesses) read it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from essaytui_run import essaytui as cli

from essaytui.interchange.w3c import to_web_annotation
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.essay import Essay
from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME

TEXT = "Opening words come first.\n\nThe two states signed a treaty in 2001. It held."
ESSAY = Essay(id="essay-a", title="A", author="", reading_text=TEXT, blocks=(), source_path="")

BAD = {
    "kind": "UPDATE annotations SET kind = 'bogus' WHERE id = ?",
    "tags": "UPDATE annotations SET tags = 'not json [' WHERE id = ?",
    "trail": "UPDATE annotations SET section_trail = '{\"a\": 1}' WHERE id = ?",
    "offsets": "UPDATE annotations SET start_offset = 'soon' WHERE id = ?",
    "bytes": "UPDATE annotations SET note = CAST(x'fffe41' AS TEXT) WHERE id = ?",
}


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A data folder whose notes of essay-a include one bad row of each kind."""
    data = tmp_path / "data"
    made = {}
    start = TEXT.index("signed")
    with AnnotationStore.open(data) as store:
        good = store.add(make_annotation(ESSAY, start, start + 6, Kind.NOTE, note="good"))
        for name in BAD:
            made[name] = store.add(make_annotation(ESSAY, 0, 7, Kind.NOTE, note=name)).id
        store.save_position("essay-a", 10, essay_path=str(tmp_path / "a.md"), title="A")
        store.save_position("other", 3, essay_path=str(tmp_path / "o.md"), title="Other")
    connection = sqlite3.connect(data / DATABASE_NAME)
    for name, statement in BAD.items():
        connection.execute(statement, (made[name],))
    connection.execute("UPDATE positions SET progress = 'lots' WHERE essay_id = 'other'")
    connection.commit()
    connection.close()
    essay_file = tmp_path / "a.md"
    essay_file.write_text("---\nid: essay-a\n---\n" + TEXT, encoding="utf-8")
    made["good"] = good.id
    return data, essay_file, made


def rows(data: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(data / DATABASE_NAME)
    connection.text_factory = bytes
    found = connection.execute("SELECT * FROM annotations ORDER BY id").fetchall()
    found += connection.execute("SELECT * FROM positions ORDER BY essay_id").fetchall()
    connection.close()
    return found


def test_the_store_skips_bad_rows_and_says_so(damaged: tuple[Path, Path, dict[str, str]]) -> None:
    data, _, made = damaged
    before = rows(data)
    with AnnotationStore.open(data) as store:
        shown = store.list_for_essay("essay-a")
        # the invalid UTF-8 one is readable: shown with U+FFFD, not dropped
        assert {a.note for a in shown} == {"good", "\ufffd\ufffdA"}
        assert store.get(made["kind"]) is None
        assert store.position("other") is None
        assert [p.essay_id for p in store.recent()] == ["essay-a"]
        warnings = store.take_warnings()
        assert any("kind 'bogus' is unknown" in w for w in warnings)
        assert any("tags is not JSON" in w for w in warnings)
        assert any("section_trail is not a list of strings" in w for w in warnings)
        assert any("start is not a whole number" in w for w in warnings)
        assert any("progress is not a number" in w for w in warnings)
        assert all("left as it is" in w for w in warnings)
    assert rows(data) == before  # kept in the file


def test_export_list_and_import_survive_bad_rows(
    tmp_path: Path, damaged: tuple[Path, Path, dict[str, str]]
) -> None:
    data, essay_file, made = damaged
    before = rows(data)
    for args in (("export", essay_file), ("export", essay_file, "--format", "json"), ("list",)):
        result = cli(*args, data=data)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "essaytui: warning: " in result.stderr
    exported = cli("export", essay_file, data=data).stdout
    assert "good" in exported and "bogus" not in exported
    # An import that meets a bad row with its id leaves that row alone.
    start = TEXT.index("signed")
    incoming = make_annotation(ESSAY, start, start + 6, Kind.NOTE, note="incoming")
    from dataclasses import replace

    incoming = replace(incoming, id=made["kind"], modified="2030-01-01T00:00:00.000Z")
    incoming = replace(incoming, modified=incoming.created)
    file = tmp_path / "in.json"
    file.write_text(json.dumps(to_web_annotation(ESSAY, [incoming])), encoding="utf-8")
    result = cli("import-notes", file, data=data)
    assert result.returncode == 0, result.stderr
    assert "1 refused" in result.stdout
    assert "is damaged" in result.stderr
    assert rows(data) == before
