"""The Library's rows in plain Python: progress, time left, notes, filter and order."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.essay import progress_percent, reading_progress
from essaytui.model.files import load_essay
from essaytui.sessions.library import (
    Column,
    LibraryView,
    library_rows,
    size_label,
    surname_first,
    when,
)
from essaytui.sessions.reading_time import PAUSE_AFTER, ReadingClock, words_between
from essaytui.store import AnnotationStore
from essaytui.store.library import Library, LibraryText
from essaytui.widgets.status import reading_status

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.md"


def test_rows_carry_progress_notes_tags_and_time_left(tmp_path: Path) -> None:
    essay = load_essay(TINY)
    store = AnnotationStore.open(tmp_path)
    library = Library.open(tmp_path)
    essay = dataclasses.replace(essay, id=store.identify(essay))
    library.put(essay.id, essay, TINY)
    store.add(make_annotation(essay, 0, 5, Kind.HIGHLIGHT, tags=("ports",)))
    store.add(make_annotation(essay, 6, 12, Kind.NOTE, note="why?", tags=("trade",)))
    rows = library_rows(library.texts(), [], store.note_tallies(), 100)
    (row,) = rows
    assert (row.notes, row.highlights) == (1, 1)
    assert row.tags == ("ports", "trade")
    assert row.cell(Column.NOTES) == "1 ✎ 1 ▌"
    assert row.minutes_left == max(1, round(row.text.words / 100))
    view = LibraryView(rows)
    view.filter = "trade"
    assert view.shown() == rows
    view.filter = "nothing-like-it"
    assert view.shown() == []


def test_progress_is_the_status_lines_figure() -> None:
    essay = load_essay(TINY)
    length = len(essay.reading_text)
    for top, bottom in ((0, 100), (length // 2, length // 2 + 80), (length - 50, length)):
        status = reading_status(essay, top, bottom)
        assert f"{progress_percent(reading_progress(length, top, bottom))}%" in str(status)


def test_sort_by_column_and_again_reverses() -> None:
    view = LibraryView([])
    view.sort_by(Column.SIZE)
    assert (view.column, view.descending) == (Column.SIZE, False)
    view.sort_by(Column.SIZE)
    assert view.descending
    view.sort_by(Column.TITLE)
    assert not view.descending


def test_words_and_days() -> None:
    assert when("", date(2026, 12, 7)) == "never"
    assert when("2026-12-07 10:00", date(2026, 12, 7)) == "today"
    assert when("2026-12-06T10:00", date(2026, 12, 7)) == "yesterday"
    assert when("2026-12-01", date(2026, 12, 7)) == "6 days ago"
    assert when("2026-01-01", date(2026, 12, 7)) == "2026-01-01"
    assert size_label(812) == "812 B"
    assert size_label(14 * 1024) == "14 KB"
    assert size_label(int(3.2 * 1024 * 1024)) == "3.2 MB"


def test_reading_clock_pauses_after_two_minutes() -> None:
    clock = ReadingClock()
    clock.key(0.0)
    clock.key(30.0)
    clock.key(60.0)
    clock.key(60.0 + PAUSE_AFTER + 1)  # away: not counted
    clock.key(60.0 + PAUSE_AFTER + 11)
    assert clock.take() == 70.0
    assert clock.take() == 0.0
    assert words_between("one two three four", 0, 8) == 2
    assert words_between("one two three four", 8, 0) == 0


def test_library_shows_the_saved_place_as_the_status_line_does(tmp_path: Path) -> None:
    from essaytui.sessions.position import ReadingPosition

    store = AnnotationStore.open(tmp_path)
    library = Library.open(tmp_path)
    essay = load_essay(TINY)
    essay = dataclasses.replace(essay, id=store.identify(essay))
    library.put(essay.id, essay, TINY)
    length = len(essay.reading_text)
    for top, bottom in ((length // 4, length // 4 + 300), (length - 100, length)):
        ReadingPosition(essay, store).save(top, bottom, wait=True)
        (row,) = library_rows(library.texts(), store.recent(), {})
        assert row.percent == progress_percent(reading_progress(length, top, bottom))
        assert f"{row.percent}%" in str(reading_status(essay, top, bottom))


def test_note_tallies_count_as_the_annotations_say(tmp_path: Path) -> None:
    import sqlite3

    from essaytui.model.annotation import as_deleted
    from essaytui.store.schema import DATABASE_NAME

    essay = load_essay(TINY)
    with AnnotationStore.open(tmp_path) as store:
        essay = dataclasses.replace(essay, id=store.identify(essay))
        made = [
            make_annotation(essay, 0, 5, Kind.HIGHLIGHT, tags=("ports", "trade")),
            make_annotation(essay, 6, 12, Kind.HIGHLIGHT, note=" words \n", tags=("trade",)),
            make_annotation(essay, 13, 14, Kind.BOOKMARK),
            make_annotation(essay, 15, 20, Kind.NOTE, note="", tags=("ports",)),
            make_annotation(essay, 21, 25, Kind.NOTE, note="gone", tags=("gone",)),
            make_annotation(essay, 26, 30, Kind.HIGHLIGHT, note="\t"),
        ]
        for annotation in made:
            store.add(annotation)
        store.delete(made[4].id)
        damaged = make_annotation(essay, 31, 33, Kind.NOTE, note="bad")
        store.add(damaged)
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    connection.execute("UPDATE annotations SET kind = 'bogus' WHERE id = ?", (damaged.id,))
    connection.commit()
    connection.close()
    with AnnotationStore.open(tmp_path) as store:
        tally = store.note_tallies()[essay.id]
        live = store.all_annotations(include_deleted=False)  # the damaged row is skipped
        assert as_deleted(made[4]).id not in {a.id for a in live}
        written = sum(1 for a in live if a.kind is Kind.NOTE or a.note.strip())
        assert (tally.notes, tally.highlights) == (written, len(live) - written) == (2, 3)
        assert tally.tags == ("ports", "trade")  # each once; the deleted note's not at all


def shelf_text(title: str, author: str) -> LibraryText:
    return LibraryText(
        essay_id=title, path=f"/nowhere/{title}.md", title=title, author=author, series="",
        part=0, words=1000, length=6000, size=6000, mtime_ns=0, added="2026-01-01",
    )  # fmt: skip


def test_sort_by_author_files_under_the_surname_then_the_title() -> None:
    texts = [
        shelf_text("Treatise", "David Hume"),
        shelf_text("Strategic partners", "Dean Chen"),
        shelf_text("Tides", "Ada Marsh"),
        shelf_text("Enquiry", "Hume, David"),
        shelf_text("Earthsea", "Ursula K. Le Guin"),
        shelf_text("Dream", "Martin Luther King Jr."),
        shelf_text("Anonymous pamphlet", ""),
        shelf_text("Joint essay", "Zoe Adams & Bea Young"),
    ]
    view = LibraryView(library_rows(texts, [], {}))
    view.sort_by(Column.AUTHOR)
    assert [row.text.title for row in view.shown()] == [
        "Anonymous pamphlet",
        "Joint essay",  # Adams
        "Strategic partners",  # Chen
        "Earthsea",  # Guin
        "Enquiry",  # Hume, David: the same name as David Hume, so by title
        "Treatise",
        "Dream",  # King
        "Tides",  # Marsh
    ]
    assert surname_first("Ada Marsh") == ("marsh", "ada")
    assert surname_first("Hume, David") == surname_first("David Hume")
