"""An edit saves only over the version it was made from (two readers on one file).

Two stores open one real SQLite file, as two essaytui windows do. B opened a note (its
editor shows that version); meanwhile A edits or deletes it; then B saves. B's text is
kept as a new note and said to be; A's edit or deletion stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from essaytui.model.annotation import Kind, make_annotation, with_note
from essaytui.model.essay import Essay
from essaytui.sessions.annotations import AnnotationSession, Draft
from essaytui.store import AnnotationStore, EditConflict

ESSAY = Essay(id="two", title="Two", author="", reading_text="z" * 400, blocks=())


@pytest.fixture
def windows(tmp_path: Path) -> Iterator[tuple[AnnotationStore, AnnotationStore]]:
    first, second = AnnotationStore.open(tmp_path), AnnotationStore.open(tmp_path)
    yield first, second
    first.close()
    second.close()


def live(store: AnnotationStore) -> list[str]:
    return sorted(a.note for a in store.list_for_essay(ESSAY.id))


def test_a_stale_update_is_refused_by_the_store(
    windows: tuple[AnnotationStore, AnnotationStore],
) -> None:
    a, b = windows
    note = a.add(make_annotation(ESSAY, 5, 40, Kind.NOTE, note="first"))
    opened = b.get(note.id)
    assert opened is not None
    a.update(with_note(note, "A's newer text"))
    with pytest.raises(EditConflict, match="changed"):
        b.update(with_note(opened, "B's stale text"), base=opened)
    a.delete(note.id)
    with pytest.raises(EditConflict, match="deleted"):
        b.update(with_note(opened, "B's stale text"), base=opened)
    stored = a.get(note.id)
    assert stored is not None and stored.is_deleted and stored.note == "A's newer text"


def test_an_edit_of_a_note_deleted_elsewhere_never_brings_it_back(
    windows: tuple[AnnotationStore, AnnotationStore],
) -> None:
    a, b = windows
    note = a.add(make_annotation(ESSAY, 5, 40, Kind.NOTE, note="to be deleted"))
    reader_b = AnnotationSession(ESSAY, b)
    opened = b.get(note.id)
    assert opened is not None
    a.delete(note.id)  # window A
    made = reader_b.make(
        reader_b.edit(opened, Draft("B kept writing", (), opened.color)), wait=True
    )
    assert "deleted elsewhere" in made.done and "new note" in made.done
    assert live(a) == ["B kept writing"]
    old = a.get(note.id)
    assert old is not None and old.is_deleted  # still deleted
    assert made.focus is not None and made.focus != note.id


def test_an_edit_over_a_newer_edit_keeps_both(
    windows: tuple[AnnotationStore, AnnotationStore],
) -> None:
    a, b = windows
    note = a.add(make_annotation(ESSAY, 5, 40, Kind.NOTE, note="draft"))
    reader_b = AnnotationSession(ESSAY, b)
    opened = b.get(note.id)
    assert opened is not None
    a.update(with_note(note, "A's edit"))
    made = reader_b.make(reader_b.edit(opened, Draft("B's edit", (), opened.color)), wait=True)
    assert "changed elsewhere" in made.done
    assert live(b) == ["A's edit", "B's edit"]
    # undo takes back what B made (the new note), not A's edit
    reader_b.made(made)
    undo = reader_b.undo()
    assert not isinstance(undo, str)
    reader_b.make(undo, wait=True)
    assert live(a) == ["A's edit"]


def test_a_fresh_edit_and_a_stale_delete(windows: tuple[AnnotationStore, AnnotationStore]) -> None:
    a, b = windows
    note = a.add(make_annotation(ESSAY, 5, 40, Kind.NOTE, note="one"))
    reader_b = AnnotationSession(ESSAY, b)
    opened = b.get(note.id)
    assert opened is not None
    made = reader_b.make(reader_b.edit(opened, "two"), wait=True)
    assert made.done == "Note saved."
    assert live(a) == ["two"]
    a.update(with_note(a.get(note.id) or note, "three"))
    deleted = reader_b.make(reader_b.delete(opened), wait=True)  # B still shows "one"
    assert "left as it is" in deleted.done
    assert live(a) == ["three"]
