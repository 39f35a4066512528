"""`import-notes` is an attack surface.

Every case is a real file imported into a real store, most through the CLI as a
subprocess: nothing may overwrite another essay's note, crash, hang, or send an
escape sequence to the terminal.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from essaytui_run import essaytui as cli

from essaytui.interchange import InterchangeError
from essaytui.interchange import w3c as interchange_module
from essaytui.interchange.w3c import read_web_annotation_file, to_web_annotation
from essaytui.model.annotation import (
    Annotation,
    Kind,
    as_deleted,
    format_time,
    later_than,
    make_annotation,
    parse_time,
    with_note,
)
from essaytui.model.essay import Essay
from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME

TEXT = "Opening words come first.\n\nThe two states signed a treaty in 2001. It held."


def essay(essay_id: str, path: str) -> Essay:
    return Essay(
        id=essay_id, title=essay_id, author="", reading_text=TEXT, blocks=(), source_path=path
    )


ESSAY_A, ESSAY_B = essay("essay-a", "/a.md"), essay("essay-b", "/b.md")


def note(on: Essay = ESSAY_A, text: str = "my note") -> Annotation:
    start = TEXT.index("signed")
    return make_annotation(on, start, start + 15, Kind.NOTE, note=text)


def one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def export_file(tmp_path: Path, annotations: list[Annotation], on: Essay = ESSAY_A) -> Path:
    path = tmp_path / f"export-{len(list(tmp_path.iterdir()))}.json"
    data = to_web_annotation(on, annotations, include_deleted=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def raw_item(path: Path, **changes: object) -> Path:
    """The export at `path` with its first item's fields changed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    item = data["first"]["items"][0]
    for key, value in changes.items():
        if key in ("tags", "section_trail", "color"):
            item["essaytui:data"][key] = value
        elif key in ("exact", "prefix", "suffix"):
            item["target"]["selector"][0][key] = value
        elif key == "note":
            item["body"]["value"] = value
        else:
            item[key] = value
    out = path.with_name(path.stem + "-changed.json")
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


# -- an id of another essay's note (17.13) --------------------------------------------------------


def test_an_id_of_another_essays_note_is_refused_never_an_overwrite(tmp_path: Path) -> None:
    data = tmp_path / "data"
    mine = note(ESSAY_B, "essay B's own note")
    with AnnotationStore.open(data) as store:
        store.add(mine)
    # The same id, filed under essay A, newer: today it would replace B's note.
    hostile = replace(
        with_note(mine, "overwritten!"), essay_id="essay-a", modified="2030-01-01T00:00:00.000Z"
    )
    hostile = replace(hostile, modified=format_time(parse_time(mine.modified)))
    hostile = with_note(hostile, "overwritten!")
    exported = export_file(tmp_path, [hostile])
    result = cli("import-notes", exported, data=data)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 updated, 0 deleted, 0 unchanged, 1 refused" in result.stdout
    assert f"note {mine.id} not imported: that id belongs to a note of another essay" in (
        result.stderr
    )
    with AnnotationStore.open(data) as store:
        kept = store.get(mine.id)
        assert kept is not None and kept.note == "essay B's own note"
        assert kept.essay_id == "essay-b"
    again = cli("import-notes", exported, data=data)
    assert "1 refused" in again.stdout


def test_importing_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    data = tmp_path / "data"
    live = [note(), note(text="second")]
    gone = as_deleted(note(text="deleted"))
    exported = export_file(tmp_path, [*live, gone])
    first = cli("import-notes", exported, data=data)
    assert "2 added, 0 updated, 1 deleted, 0 unchanged" in first.stdout
    second = cli("import-notes", exported, data=data)
    assert "0 added, 0 updated, 0 deleted, 3 unchanged" in second.stdout


# -- dates (17.14) ------------------------------------------------------------------------------


def test_years_below_1000_are_padded_and_times_compare_as_times() -> None:
    assert format_time(parse_time("0005-01-01T00:00:00Z")) == "0005-01-01T00:00:00.000Z"
    assert later_than("0005-01-01T00:00:00.000Z") > "2020"  # now: it sorts after, as it should
    assert later_than("9999-12-31T23:59:59.999Z") < "9999"  # cannot go further: now instead


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("0005-01-01T00:00:00Z", "before 1970"),
        ("0001-01-01T00:00:00+01:00", "outside the range of dates"),
        ("9999-12-31T23:30:00-01:00", "outside the range of dates"),
        ("9999-12-31T23:59:59.999Z", "in the future"),
        ("2024-02-30T00:00:00Z", "not an ISO-8601 date-time"),
    ],
)
def test_impossible_or_hostile_times_are_refused_in_one_line(
    tmp_path: Path, value: str, why: str
) -> None:
    exported = raw_item(export_file(tmp_path, [note()]), modified=value)
    message = one_line_error(cli("import-notes", exported, data=tmp_path / "data"), why)
    assert message.startswith("essaytui: import-notes: ") and "item 1" in message
    assert not (tmp_path / "data" / DATABASE_NAME).exists() or cli_count(tmp_path / "data") == 0


def cli_count(data: Path) -> int:
    with AnnotationStore.open(data) as store:
        return store.count()


def test_a_note_stored_with_a_far_future_time_can_still_be_edited_and_deleted(
    tmp_path: Path,
) -> None:
    """A database written before times were checked may hold year 9999."""
    stuck = replace(note(), modified="9999-12-31T23:59:59.999Z")
    with AnnotationStore.open(tmp_path) as store:
        store.add(stuck)
        edited = store.update(with_note(stuck, "edited anyway"))
        assert edited.note == "edited anyway"
        deleted = store.delete(stuck.id)
        assert deleted.is_deleted
        restored = store.restore(stuck.id)
        assert not restored.is_deleted


def test_a_year_5_copy_never_overwrites_a_2026_note(tmp_path: Path) -> None:
    """Compared as strings, '5-01-01…' > '2026-…'; as times it is far older."""
    mine = note(text="the 2026 note")
    with AnnotationStore.open(tmp_path) as store:
        store.add(mine)
        old = replace(with_note(mine, "year five"), modified="5-01-01T00:00:00.000Z")
        result = store.merge([old])
        assert result.unchanged == 1
        kept = store.get(mine.id)
        assert kept is not None and kept.note == "the 2026 note"


# -- lone surrogates and size (17.15) -------------------------------------------------------------


def test_a_lone_surrogate_never_raises_anywhere(tmp_path: Path) -> None:
    data = tmp_path / "data"
    exported = raw_item(export_file(tmp_path, [note()]), note="bad \ud800 note", tags=["\udfff"])
    text = exported.read_text(encoding="utf-8")
    assert "\\ud800" in text  # json.dumps escapes it; json.loads gives it back lone
    result = cli("import-notes", exported, data=data)
    assert result.returncode == 0, result.stderr
    with AnnotationStore.open(data) as store:
        (stored,) = store.all_annotations()
        assert stored.note == "bad \ufffd note" and stored.tags == ("\ufffd",)
        # Written directly, too (a path from an undecodable file name).
        store.add(replace(note(), essay_path="/x/\udcff.md", note="\ud83d"))
    essay_file = tmp_path / "a.md"
    essay_file.write_text("---\nid: essay-a\n---\n" + TEXT, encoding="utf-8")
    for args in (("export", essay_file), ("export", essay_file, "--format", "json"), ("list",)):
        shown = cli(*args, data=data)
        assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr


def test_dev_zero_and_a_fifo_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    one_line_error(cli("import-notes", "/dev/zero", data=data, timeout=20), "not a regular file")
    fifo = tmp_path / "notes.json"
    os.mkfifo(fifo)
    one_line_error(cli("import-notes", fifo, data=data, timeout=20), "not a regular file")


def test_the_size_cap_holds_while_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """/proc files say they are 0 bytes long: the cap must count what is read."""
    proc = Path("/proc/self/maps")
    assert proc.stat().st_size == 0 and len(proc.read_bytes()) > 2000
    monkeypatch.setattr(interchange_module, "MAX_IMPORT_BYTES", 1000)
    with pytest.raises(InterchangeError, match="too large"):
        read_web_annotation_file(proc)


# -- control characters (17.16, 17.19) ------------------------------------------------------------


def test_imported_text_has_its_control_characters_made_visible(tmp_path: Path) -> None:
    data = tmp_path / "data"
    exported = raw_item(
        export_file(tmp_path, [note()]),
        tags=["\u001b]2;PWNED\u0007", "ok"],
        note="a \x1b[2J note \x9b31m",
        section_trail=["\x1b]0;x\x07"],
        color="\x1b[5m",
    )
    result = cli("import-notes", exported, data=data)
    assert result.returncode == 0, result.stderr
    with AnnotationStore.open(data) as store:
        (stored,) = store.all_annotations()
    assert stored.tags == ("␛]2;PWNED␇", "ok")
    assert stored.note == "a ␛[2J note \ufffd31m"
    assert stored.section_trail == ("␛]0;x␇",)
    everything = repr(stored)
    for control in ("\\x1b", "\\x07", "\\x9b"):
        assert control not in everything


def test_export_to_a_pipe_shows_escapes_as_symbols(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        store.add(replace(note(), note="typed \x1b]0;pwned\x07 here", tags=("\x1b[31m",)))
    essay_file = tmp_path / "a.md"
    essay_file.write_text("---\nid: essay-a\n---\n" + TEXT, encoding="utf-8")
    for form in ("markdown", "json"):
        result = cli("export", essay_file, "--format", form, data=data)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "␛]0;pwned␇" in result.stdout or "\\u001b]0;pwned\\u0007" in result.stdout
    # -o FILE: the data as it is, for a program to read.
    out = tmp_path / "out.md"
    assert cli("export", essay_file, "-o", out, data=data).returncode == 0
    assert "typed \x1b]0;pwned\x07 here" in out.read_text(encoding="utf-8")


def test_argparse_messages_are_inert(tmp_path: Path) -> None:
    """A glob passes a file named with an escape sequence: argparse quotes it back."""
    name = "b\x1b]2;PWNED\x07.md"
    for args in (("a.md", name), ("export", "--format", name), ("list", name)):
        result = cli(*args, data=tmp_path / "data")
        assert result.returncode == 2
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr, result.stderr
        # shown as symbols, or quoted by repr() (inert as well)
        assert "b␛]2;PWNED␇.md" in result.stderr or "b\\x1b]2;PWNED\\x07.md" in result.stderr


def test_store_messages_are_inert_where_they_are_made(tmp_path: Path) -> None:
    blocker = tmp_path / "x\x1b]2;PWNED\x07"
    blocker.write_text("a file, not a folder")
    store = AnnotationStore.open_or_memory(blocker / "data")
    assert store.problem is not None and "x␛]2;PWNED␇" in store.problem
    assert "\x1b" not in store.problem
    store.close()
    damaged = tmp_path / "d\x1b[2J"
    damaged.mkdir()
    (damaged / DATABASE_NAME).write_bytes(b"not a database at all, just junk" * 100)
    with AnnotationStore.open(damaged) as store:
        assert store.notice is not None and "d␛[2J" in store.notice
        assert "\x1b" not in store.notice


def test_the_database_file_is_not_touched_by_a_refused_import(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        store.add(note(ESSAY_B))
    before = sqlite3.connect(data / DATABASE_NAME).execute("SELECT * FROM annotations").fetchall()
    exported = raw_item(export_file(tmp_path, [note()]), created="9999-01-01T00:00:00Z")
    one_line_error(cli("import-notes", exported, data=data), "in the future")
    after = sqlite3.connect(data / DATABASE_NAME).execute("SELECT * FROM annotations").fetchall()
    assert before == after
