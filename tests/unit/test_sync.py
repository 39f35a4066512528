"""The sync folder: real data folders (SQLite files) sharing one real folder on disk."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from essaytui.interchange.sync import (
    ANNOTATIONS_DIR,
    POSITIONS_DIR,
    SyncError,
    SyncReport,
    annotation_path,
    device_id,
    essay_key,
    is_conflict_copy,
    positions_elsewhere,
    sync_folder,
)
from essaytui.model.annotation import Annotation, Kind, format_time, make_annotation
from essaytui.model.essay import Essay
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def essay() -> Essay:
    return load_essay(DATA / "tiny.md")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "Sync"
    shared.mkdir()
    return shared


@pytest.fixture
def machines(tmp_path: Path) -> Iterator[list[AnnotationStore]]:
    stores = [AnnotationStore.open(tmp_path / name) for name in ("laptop", "desk", "phone")]
    yield stores
    for store in stores:
        store.close()


def note_on(essay: Essay, quote: str, note: str = "", when: str | None = None) -> Annotation:
    start = essay.reading_text.index(quote)
    made = make_annotation(essay, start, start + len(quote), Kind.NOTE if note else "highlight")
    made = replace(made, note=note)
    return replace(made, created=when, modified=when) if when else made


def at(minutes: float) -> str:
    """A time `minutes` after a fixed moment an hour ago (clocks of the tests)."""
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    return format_time(base + timedelta(minutes=minutes))


def contents(store: AnnotationStore) -> dict[str, Annotation]:
    return {a.id: a for a in store.all_annotations(include_deleted=True)}


def file_times(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): path.stat().st_mtime_ns
        for path in folder.rglob("*")
        if path.is_file()
    }


def quotes(essay: Essay) -> list[str]:
    words = essay.reading_text.split()
    return sorted({w for w in words if len(w) > 4 and essay.reading_text.count(w) >= 1})


def test_notes_travel_between_two_machines_and_a_second_sync_writes_nothing(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    essay = replace(essay, id=laptop.identify(essay))
    for quote, note in (("comprehensive", "the key word"), ("official", ""), ("friends", "")):
        laptop.add(note_on(essay, quote, note))
    sent = sync_folder(laptop, folder)
    assert sent.sent == 3 and sent.received == 0
    came = sync_folder(desk, folder)
    assert (came.added, came.received, came.sent) == (3, 3, 0)
    assert came.summary() == "3 notes from another machine (3 new)"
    assert contents(desk) == contents(laptop)
    files = file_times(folder)
    for store in (laptop, desk, laptop):
        again = sync_folder(store, folder)
        assert again.summary() == "nothing new" and again.warnings == []
    assert file_times(folder) == files  # nothing was rewritten: no engine conflict
    ids = sorted(contents(laptop))
    names = sorted(p.stem for p in (folder / ANNOTATIONS_DIR / essay_key(essay.id)).iterdir())
    assert names == ids


def test_three_machines_converge_on_the_later_edit_and_the_deletion(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, phone = machines
    first = note_on(essay, "comprehensive", "v1", at(0))
    second = note_on(essay, "official", "keep", at(0))
    laptop.merge([first, second])
    for store in (laptop, desk, phone):
        sync_folder(store, folder)
    desk.merge([replace(first, note="desk edit", modified=at(5))])
    phone.merge([replace(first, note="phone edit", modified=at(7))])
    laptop.merge([replace(second, deleted=at(6), modified=at(6))])
    for store in (desk, phone, laptop, desk, phone):
        sync_folder(store, folder)
    results = [contents(store) for store in machines]
    assert results[0] == results[1] == results[2]
    assert results[0][first.id].note == "phone edit"
    assert results[0][second.id].is_deleted


def test_an_edit_made_after_a_deletion_elsewhere_keeps_the_note_and_says_so(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    kept = note_on(essay, "comprehensive", "first", at(0))
    laptop.merge([kept])
    sync_folder(laptop, folder)
    sync_folder(desk, folder)
    laptop.merge([replace(kept, deleted=at(10), modified=at(10))])
    desk.merge([replace(kept, note="edited later", modified=at(12))])
    sync_folder(laptop, folder)
    report = sync_folder(desk, folder)
    assert report.kept_after_deletion == 1
    back = sync_folder(laptop, folder)
    assert back.restored == 1 and back.updated == 1
    for store in (laptop, desk):
        found = store.get(kept.id)
        assert found is not None and not found.is_deleted and found.note == "edited later"


def test_equal_times_are_settled_by_device_the_same_way_on_both_sides(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    base = note_on(essay, "comprehensive", "base", at(0))
    laptop.merge([base])
    sync_folder(laptop, folder)
    sync_folder(desk, folder)
    laptop.merge([replace(base, note="laptop", modified=at(3))])
    desk.merge([replace(base, note="desk", modified=at(3))])
    sync_folder(laptop, folder)
    sync_folder(desk, folder)
    sync_folder(laptop, folder)
    higher = max((device_id(laptop), "laptop"), (device_id(desk), "desk"))[1]
    for store in (laptop, desk):
        found = store.get(base.id)
        assert found is not None and found.note == higher


def test_a_month_offline_with_500_edits_merges_with_the_other_side(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    words = essay.reading_text.split()
    month = timedelta(days=30)
    start = datetime.now(UTC) - month
    before = format_time(start - timedelta(days=1))
    shared = [note_on(essay, words[i], f"shared {i}", before) for i in range(40)]
    laptop.merge(shared)
    sync_folder(laptop, folder)
    sync_folder(desk, folder)
    offline: list[Annotation] = []
    for i in range(500):
        moment = format_time(start + month * i / 500)
        if i < 40:
            offline.append(replace(shared[i], note=f"offline {i}", modified=moment))
        else:
            offline.append(note_on(essay, words[i % len(words)], f"new {i}", moment))
    laptop.merge(offline)
    # meanwhile the desk, online, edited ten of the shared notes after the laptop did
    desk.merge([replace(n, note="desk later", modified=at(30)) for n in shared[:10]])
    sync_folder(desk, folder)
    report = sync_folder(laptop, folder)
    assert report.sent == 490 and report.updated == 10
    sync_folder(desk, folder)
    assert contents(desk) == contents(laptop)
    assert len(contents(desk)) == 500
    assert {contents(desk)[n.id].note for n in shared[:10]} == {"desk later"}


def test_conflict_copies_of_the_engines_are_merged_and_removed(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    first = note_on(essay, "comprehensive", "base", at(0))
    second = note_on(essay, "official", "base", at(0))
    laptop.merge([first, second])
    sync_folder(laptop, folder)
    target = annotation_path(folder, first)
    syncthing = target.with_name(f"{first.id}.sync-conflict-20261207-101010-ABCDEF7.json")
    newer = json.loads(target.read_text())
    newer["modified"] = at(9)
    newer["body"] = {"type": "TextualBody", "value": "from the conflict copy"}
    syncthing.write_text(json.dumps(newer))
    other = annotation_path(folder, second)
    dropbox = other.with_name(f"{second.id} (Desk's conflicted copy 2026-12-07).json")
    older = json.loads(other.read_text())
    older["created"] = older["modified"] = at(-30)
    older["body"] = {"type": "TextualBody", "value": "an older copy"}
    dropbox.write_text(json.dumps(older))
    assert is_conflict_copy(syncthing.name) and is_conflict_copy(dropbox.name)
    report = sync_folder(desk, folder)
    assert report.conflicts_merged == 2 and not syncthing.exists() and not dropbox.exists()
    got = desk.get(first.id)
    assert got is not None and got.note == "from the conflict copy"
    assert json.loads(target.read_text())["body"]["value"] == "from the conflict copy"
    kept = desk.get(second.id)
    assert kept is not None and kept.note == "base"
    sync_folder(laptop, folder)
    assert contents(laptop) == contents(desk)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "is empty"),
        (b'{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:uu', "not valid JSON"),
        (b"\xff\xfe not text", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a": ' + b"[" * 70 + b"1" + b"]" * 70 + b"}", "nested too deeply"),
        (b'{"type": "Annotation"}', "not a valid annotation"),
    ],
)
def test_a_bad_file_is_skipped_with_a_warning_and_left_for_the_next_sync(
    essay: Essay, folder: Path, machines: list[AnnotationStore], content: bytes, why: str
) -> None:
    laptop, desk, _ = machines
    good = note_on(essay, "comprehensive", "good", at(0))
    laptop.merge([good])
    sync_folder(laptop, folder)
    half = annotation_path(folder, replace(good, id="6f1c2a9e-5b55-4c1e-9a43-0d3f1d2e7a10"))
    half.write_bytes(content)
    report = sync_folder(desk, folder)
    assert report.added == 1 and desk.get(good.id) is not None
    assert any(why in warning and "left as it is" in warning for warning in report.warnings)
    assert half.read_bytes() == content  # left as it was
    # the engine finishes writing the file: the next sync takes it in
    finished = json.loads(annotation_path(folder, good).read_text())
    finished["id"] = "urn:uuid:6f1c2a9e-5b55-4c1e-9a43-0d3f1d2e7a10"
    half.write_text(json.dumps(finished))
    assert sync_folder(desk, folder).added == 1


def test_a_huge_file_is_not_read(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    laptop.merge([note_on(essay, "comprehensive", "x", at(0))])
    sync_folder(laptop, folder)
    huge = (
        folder / ANNOTATIONS_DIR / essay_key(essay.id) / f"{'1' * 8}-2222-4333-8444-{'5' * 12}.json"
    )
    with open(huge, "wb") as handle:
        handle.write(b'{"note": "' + b"a" * (9 * 1024 * 1024) + b'"}')
    report = sync_folder(desk, folder)
    assert report.added == 1
    assert any("larger than" in w for w in report.warnings)
    assert huge.stat().st_size > 9 * 1024 * 1024


def test_escape_codes_in_every_field_arrive_inert(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    bad = note_on(essay, "comprehensive", "n", at(0))
    laptop.merge([bad])
    sync_folder(laptop, folder)
    path = annotation_path(folder, bad)
    raw = json.loads(path.read_text())
    escape = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J"
    raw["body"]["value"] = "note" + escape
    raw["target"]["selector"][0]["exact"] = "quote" + escape
    raw["essaytui:data"]["tags"] = ["tag" + escape]
    raw["essaytui:data"]["section_trail"] = ["section" + escape]
    raw["essaytui:data"]["color"] = "red" + escape
    raw["modified"] = at(5)
    path.write_text(json.dumps(raw))
    sync_folder(desk, folder)
    got = desk.get(bad.id)
    assert got is not None
    fields = [got.note, got.exact, got.color, *got.tags, *got.section_trail]
    assert all("\x1b" not in text and "\x07" not in text for text in fields)


def test_files_for_another_essays_ids_are_refused(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    mine = note_on(essay, "comprehensive", "desk's own note", at(0))
    desk.merge([mine])
    # a file claiming the desk note's id, for another essay, in that essay's folder
    hostile = replace(mine, essay_id="someone-else", note="overwritten!", modified=at(50))
    intruder = annotation_path(folder, hostile)
    intruder.parent.mkdir(parents=True)
    intruder.write_text(json.dumps(json.loads(_file_of(hostile))))
    # a file in the right essay's folder whose content names another essay
    moved = replace(note_on(essay, "official", "x", at(0)), essay_id="third-essay", modified=at(1))
    misplaced = folder / ANNOTATIONS_DIR / essay_key(essay.id) / f"{moved.id}.json"
    misplaced.parent.mkdir(parents=True, exist_ok=True)
    misplaced.write_text(_file_of(moved))
    report = sync_folder(desk, folder)
    got = desk.get(mine.id)
    assert got is not None and got.note == "desk's own note" and got.essay_id == essay.id
    assert desk.get(moved.id) is None
    assert report.refused == 2
    assert intruder.exists() and misplaced.exists()
    assert laptop.count() == 0


def _file_of(annotation: Annotation) -> str:
    from essaytui.interchange.sync import Version, annotation_file

    return annotation_file(Version(annotation, "abcdef0123456789"), None).decode()


def test_unknown_fields_are_kept_when_a_file_is_rewritten(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    kept = note_on(essay, "comprehensive", "first", at(0))
    laptop.merge([kept])
    sync_folder(laptop, folder)
    path = annotation_path(folder, kept)
    raw = json.loads(path.read_text())
    raw["future:field"] = {"x": 1}
    raw["essaytui:data"]["rating"] = 5
    path.write_text(json.dumps(raw))
    sync_folder(desk, folder)
    desk.update(replace(kept, note="second"))
    sync_folder(desk, folder)
    again = json.loads(path.read_text())
    assert again["body"]["value"] == "second"
    assert again["future:field"] == {"x": 1} and again["essaytui:data"]["rating"] == 5


def test_a_file_deleted_by_hand_is_written_again_and_nothing_is_lost(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    kept = note_on(essay, "comprehensive", "keep me", at(0))
    laptop.merge([kept])
    sync_folder(laptop, folder)
    sync_folder(desk, folder)
    annotation_path(folder, kept).unlink()
    shutil.rmtree(folder / "essays")
    sync_folder(desk, folder)
    assert annotation_path(folder, kept).is_file()
    assert (folder / "essays" / f"{essay_key(essay.id)}.json").is_file()
    for store in (laptop, desk):
        found = store.get(kept.id)
        assert found is not None and not found.is_deleted


def test_notes_of_an_essay_this_machine_lacks_are_kept_and_attach_when_it_appears(
    tmp_path: Path, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    text = "# Untitled thoughts\n\n" + " ".join(f"word{i}" for i in range(400)) + "\n"
    here = tmp_path / "laptop-copy.md"
    here.write_text(text)
    essay = load_essay(here)
    essay = replace(essay, id=laptop.identify(essay))
    laptop.add(note_on(essay, "word17", "a note"))
    sync_folder(laptop, folder)
    report = sync_folder(desk, folder)
    assert report.notes_only == ["Untitled thoughts"]
    assert desk.essay_paths(essay.id) == []
    there = tmp_path / "elsewhere" / "desk-copy.md"
    there.parent.mkdir()
    there.write_text(text)
    opened = load_essay(there)
    assert desk.identify(opened) == essay.id
    assert [a.note for a in desk.list_for_essay(essay.id)] == ["a note"]


def test_reading_positions_travel_per_device(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    laptop.save_position(essay.id, 120, quote="China and", progress=0.63, title=essay.title)
    desk.save_position(essay.id, 5, progress=0.05, title=essay.title)
    sync_folder(laptop, folder)
    sync_folder(desk, folder)
    files = sorted((folder / POSITIONS_DIR / essay_key(essay.id)).iterdir())
    assert sorted(f.stem for f in files) == sorted([device_id(laptop), device_id(desk)])
    elsewhere = positions_elsewhere(folder, essay.id, device_id(desk))
    assert len(elsewhere) == 1
    assert elsewhere[0].progress == 0.63 and elsewhere[0].offset == 120
    assert positions_elsewhere(folder, essay.id, device_id(laptop))[0].progress == 0.05


def test_a_missing_folder_is_an_error(tmp_path: Path, machines: list[AnnotationStore]) -> None:
    with pytest.raises(SyncError, match="not there"):
        sync_folder(machines[0], tmp_path / "gone")


def test_git_s_own_folder_is_refused_even_when_remembered_from_before(
    tmp_path: Path, machines: list[AnnotationStore]
) -> None:
    """The reader syncs with the remembered folder without the command line's checks."""
    import subprocess

    bare, work = tmp_path / "notes.git", tmp_path / "work"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    before = sorted(p.name for p in bare.iterdir())
    with pytest.raises(SyncError, match=r"is a bare git repository: clone it \(git clone "):
        sync_folder(machines[0], bare)
    with pytest.raises(SyncError, match=re.escape(f"sync with its work tree {work} instead")):
        sync_folder(machines[0], work / ".git")
    assert sorted(p.name for p in bare.iterdir()) == before
    sync_folder(machines[0], work)  # the work tree itself is a folder like any other


def test_losing_the_state_file_costs_one_full_read_not_a_note(
    essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    laptop.merge([note_on(essay, w, "n", at(0)) for w in ("comprehensive", "official")])
    sync_folder(laptop, folder)
    sync_folder(desk, folder)
    assert desk.path is not None
    state = desk.path.parent / "sync-state.json"
    state.write_text("{ damaged")
    files = file_times(folder)
    report = sync_folder(desk, folder)
    assert isinstance(report, SyncReport) and report.summary() == "nothing new"
    assert file_times(folder) == files
    os.remove(state)
    assert sync_folder(desk, folder).summary() == "nothing new"


def test_when_says_how_long_ago_in_words() -> None:
    from essaytui.interchange.sync import when

    now = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert when("2026-12-07T14:59:30.000Z", now) == "just now"
    assert when("2026-12-07T09:00:00.000Z", now) == "today"
    assert when("2026-12-06T23:00:00.000Z", now) == "yesterday"
    assert when("2026-12-01T10:00:00.000Z", now) == "6 days ago"


def test_another_machines_place_is_found_in_an_edited_text(essay: Essay) -> None:
    from essaytui.interchange.sync import RemotePosition
    from essaytui.model.annotation import text_hash
    from essaytui.sessions.sync import offer, remote_offset

    text = essay.reading_text
    same = RemotePosition("a" * 16, "laptop", 40, 0.5, "", text_hash(text), at(0))
    assert remote_offset(essay, same) == 40
    quote = text[text.index("official") :][:30]
    moved = RemotePosition("a" * 16, "laptop", 3, 0.5, quote, "0" * 64, at(0))
    assert remote_offset(essay, moved) == text.index("official")
    lost = RemotePosition("a" * 16, "", 3, 0.5, "not in the text", "0" * 64, at(0))
    assert remote_offset(essay, lost) == len(text) // 2
    assert offer(lost).startswith("continue at 50 % (another machine, ")


def test_two_machines_with_different_copies_of_an_essay_do_not_rewrite_its_file(
    tmp_path: Path, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    for store, title in ((laptop, "First title"), (desk, "Edited title")):
        path = tmp_path / f"{title}.md"
        path.write_text(f"---\nid: shared-essay\ntitle: {title}\n---\n\nSome text here.\n")
        essay = load_essay(path)
        store.identify(essay)
        store.touch(essay.id, str(path), essay.title, essay.author)
        start = essay.reading_text.index("text")
        store.add(make_annotation(essay, start, start + 4, "highlight"))
    for store in (laptop, desk, laptop, desk):
        sync_folder(store, folder)
    files = file_times(folder)
    for store in (laptop, desk):
        sync_folder(store, folder)
    assert file_times(folder) == files
    listed = json.loads((folder / "essays" / f"{essay_key('shared-essay')}.json").read_text())
    assert listed["title"] == "First title" and len(listed["paths"]) == 2


def test_links_and_fifos_in_the_folder_are_not_read(
    tmp_path: Path, essay: Essay, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    kept = note_on(essay, "comprehensive", "n", at(0))
    laptop.merge([kept])
    laptop.save_position(essay.id, 10, progress=0.5)
    sync_folder(laptop, folder)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = replace(note_on(essay, "official", "from outside", at(1)), essay_id="outsider")
    (outside / f"{secret.id}.json").write_text(_file_of(secret))
    (folder / ANNOTATIONS_DIR / essay_key("outsider")).symlink_to(outside)
    key_folder = folder / ANNOTATIONS_DIR / essay_key(essay.id)
    (key_folder / f"{'7' * 8}-7777-4777-8777-{'7' * 12}.json").symlink_to(
        outside / f"{secret.id}.json"
    )
    os.mkfifo(folder / POSITIONS_DIR / essay_key(essay.id) / f"{'ab' * 8}.json")
    report = sync_folder(desk, folder)
    assert report.added == 1 and desk.get(secret.id) is None
    assert [p.progress for p in positions_elsewhere(folder, essay.id, device_id(desk))] == [0.5]


def test_the_same_document_read_on_two_machines_before_syncing_is_joined(
    tmp_path: Path, folder: Path, machines: list[AnnotationStore]
) -> None:
    laptop, desk, _ = machines
    text = "# Notes on rivers\n\n" + " ".join(f"river{i}" for i in range(300)) + "\n"
    ids: list[str] = []
    made: list[Annotation] = []
    for store, name, quote in ((laptop, "a", "river10"), (desk, "b", "river20")):
        path = tmp_path / name / "rivers.md"
        path.parent.mkdir()
        path.write_text(text)
        essay = load_essay(path)
        essay = replace(essay, id=store.identify(essay))
        store.save_position(essay.id, 5, essay_path=str(path), title=essay.title)
        ids.append(essay.id)
        made.append(store.add(note_on(essay, quote, f"from {name}")))
    assert ids[0] != ids[1]  # first read at different paths: two ids
    reports = [sync_folder(store, folder) for store in (laptop, desk, laptop, desk)]
    assert any(r.joined == ["Notes on rivers"] for r in reports)
    canonical = min(ids)
    for store, name in ((laptop, "a"), (desk, "b")):
        opened = load_essay(tmp_path / name / "rivers.md")
        assert store.identify(opened) == canonical
        notes = store.list_for_essay(canonical)
        assert sorted(n.note for n in notes) == ["from a", "from b"]
    keys = sorted(p.name for p in (folder / ANNOTATIONS_DIR).iterdir())
    assert keys == [essay_key(canonical)]
    assert sorted(p.stem for p in (folder / "essays").iterdir()) == [essay_key(canonical)]
    files = file_times(folder)
    for store in (laptop, desk):
        assert sync_folder(store, folder).summary() == "nothing new"
    assert file_times(folder) == files
