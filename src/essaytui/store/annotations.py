"""The annotations room of the store: notes and highlights, one transaction per change."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from enum import Enum

from essaytui.model.annotation import Annotation, as_deleted, as_restored, later_than, time_key
from essaytui.store.database import Database
from essaytui.store.errors import EditConflict, StoreWriteError, UnknownAnnotation
from essaytui.store.essays import remember_essay
from essaytui.store.rows import (
    ANNOTATION_COLUMNS,
    INSERT_ANNOTATION,
    UPDATE_ANNOTATION,
    BadRow,
    EssayRecord,
    MergeResult,
    NoteTally,
    annotation_from_row,
    annotation_values,
)
from essaytui.store.schema import index_words_of_notes


class Outcome(Enum):
    """What a merge did with one incoming annotation."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    REFUSED = "refused"

    @staticmethod
    def tally(counts: Counter[Outcome]) -> MergeResult:
        """The `MergeResult` of a merge whose outcomes were counted in `counts`."""
        return MergeResult(
            added=counts[Outcome.ADDED],
            updated=counts[Outcome.UPDATED],
            unchanged=counts[Outcome.UNCHANGED],
            deleted=counts[Outcome.DELETED],
            refused=counts[Outcome.REFUSED],
        )


class Annotations:
    """Adding, changing, deleting, listing and merging annotations."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, annotation: Annotation, *, wait: bool = True) -> Annotation:
        """Store a new annotation exactly as given and return it.

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved (e.g. disk full, id already used).
        """

        def insert(connection: sqlite3.Connection) -> None:
            connection.execute(INSERT_ANNOTATION, annotation_values(annotation))
            index_words_of_notes(connection, [annotation.id])

        try:
            self._db.write(insert, wait=wait)
        except StoreWriteError as error:
            if isinstance(error.__cause__, sqlite3.IntegrityError):
                raise StoreWriteError(
                    f"Could not save: an annotation with id {annotation.id} already exists."
                ) from error.__cause__
            raise
        return annotation

    def update(
        self, annotation: Annotation, *, wait: bool = True, base: Annotation | None = None
    ) -> Annotation:
        """Replace the stored annotation with the same id; bumps `modified`.

        With `base` (the version the change was made from), only if that is still the
        version stored: a note changed or deleted meanwhile (in another window) is
        never overwritten or brought back.

        Returns the annotation as stored.

        Raises:
            EditConflict: the stored version is not `base` any more; nothing was written.
            UnknownAnnotation: no annotation has that id.
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        stored = replace(annotation, modified=later_than(annotation.modified))
        self._replace(stored, wait=wait, base=base)
        return stored

    def _replace(
        self, annotation: Annotation, *, wait: bool = True, base: Annotation | None = None
    ) -> None:
        def write(connection: sqlite3.Connection) -> int:
            if base is not None:
                _check_base(connection, base)
            values = annotation_values(annotation)
            cursor = connection.execute(UPDATE_ANNOTATION, (*values[1:], values[0]))
            index_words_of_notes(connection, [annotation.id])
            return cursor.rowcount

        if self._db.write(write, wait=wait) == 0:
            raise UnknownAnnotation(f"no annotation with id {annotation.id}")

    def _change(
        self,
        annotation_id: str,
        change: Callable[[Annotation], Annotation],
        *,
        wait: bool = True,
    ) -> Annotation:
        def write(connection: sqlite3.Connection) -> Annotation | None:
            row = connection.execute(
                f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
            ).fetchone()
            if row is None:
                return None
            try:
                changed = change(annotation_from_row(row))
            except BadRow as why:
                raise StoreWriteError(
                    f"Could not save: that note is damaged in the notes database ({why})."
                ) from None
            connection.execute(
                "UPDATE annotations SET deleted = ?, modified = ? WHERE id = ?",
                (changed.deleted, changed.modified, annotation_id),
            )
            return changed

        result = self._db.write(write, wait=wait)
        if result is None:
            raise UnknownAnnotation(f"no annotation with id {annotation_id}")
        return result

    def delete(self, annotation_id: str, *, wait: bool = True) -> Annotation:
        """Mark an annotation deleted (it is kept; `restore` undoes this).

        Raises:
            UnknownAnnotation: no annotation has that id.
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        return self._change(annotation_id, as_deleted, wait=wait)

    def restore(self, annotation_id: str, *, wait: bool = True) -> Annotation:
        """Undo `delete` (raising as `delete` does)."""
        return self._change(annotation_id, as_restored, wait=wait)

    def get(self, annotation_id: str) -> Annotation | None:
        """The annotation with that id (deleted or not), or None (also for a damaged row)."""
        rows = self._db.read(
            f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        )
        found = self._db.annotations(rows)
        return found[0] if found else None

    def list_for_essay(self, essay_id: str, include_deleted: bool = False) -> list[Annotation]:
        """The essay's annotations in reading order (by start, then creation)."""
        where = "essay_id = ?" if include_deleted else "essay_id = ? AND deleted IS NULL"
        rows = self._db.read(
            f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE {where} "
            "ORDER BY start_offset, end_offset, created, id",
            (essay_id,),
        )
        return self._db.annotations(rows)

    def all_annotations(self, include_deleted: bool = True) -> list[Annotation]:
        """Every annotation of every essay, by essay then reading order."""
        where = "" if include_deleted else "WHERE deleted IS NULL"
        rows = self._db.read(
            f"SELECT {ANNOTATION_COLUMNS} FROM annotations {where} "
            "ORDER BY essay_id, start_offset, end_offset, created, id"
        )
        return self._db.annotations(rows)

    def note_tallies(self) -> dict[str, NoteTally]:
        """Per essay, its live notes, other annotations and tags, counted by SQLite (the
        Library's columns: building every annotation took 0.2 s for 10,000 notes)."""
        rows = self._db.read(
            "SELECT essay_id, sum(kind = 'note' OR trim(note, ' ' || char(9, 10, 13)) != ''), "
            "count(*) FROM annotations WHERE deleted IS NULL "
            "AND kind IN ('note', 'highlight', 'bookmark') GROUP BY essay_id"
        )
        tags: dict[str, list[str]] = {}
        for essay_id, tag in self._db.read(
            "SELECT DISTINCT a.essay_id, t.value FROM annotations a, json_each(a.tags) t "
            "WHERE a.deleted IS NULL AND json_valid(a.tags) AND json_type(a.tags) = 'array' "
            "AND t.type = 'text' ORDER BY 1, 2"
        ):
            tags.setdefault(str(essay_id), []).append(str(tag))
        return {
            str(essay_id): NoteTally(
                int(notes), int(count) - int(notes), tuple(tags.get(str(essay_id), ()))
            )
            for essay_id, notes, count in rows
        }

    def annotation_stamps(self) -> dict[str, tuple[str, str, str | None]]:
        """`id → (essay_id, modified, deleted)` of every annotation: every change to a
        note changes one of these, so comparing them finds what changed, cheaply."""
        rows = self._db.read("SELECT id, essay_id, modified, deleted FROM annotations")
        return {
            str(row[0]): (str(row[1]), str(row[2]), None if row[3] is None else str(row[3]))
            for row in rows
        }

    def annotation_essays(self) -> list[str]:
        """The ids of every essay with annotations (deleted ones too)."""
        return [str(row[0]) for row in self._db.read("SELECT DISTINCT essay_id FROM annotations")]

    def annotations_by_id(self, ids: Iterable[str]) -> list[Annotation]:
        """The annotations with these ids (deleted ones too; unknown ids left out)."""
        wanted = list(dict.fromkeys(ids))
        found: list[Annotation] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._db.read(
                f"SELECT {ANNOTATION_COLUMNS} FROM annotations "
                f"WHERE id IN ({', '.join('?' * len(chunk))})",
                tuple(chunk),
            )
            found.extend(self._db.annotations(rows))
        return found

    def count(self) -> int:
        """How many annotations are stored, deleted ones included."""
        return int(self._db.read("SELECT count(*) FROM annotations")[0][0])

    def merge(
        self,
        annotations: Iterable[Annotation],
        *,
        essays: Iterable[EssayRecord] = (),
        wait: bool = True,
        wins: Callable[[Annotation, Annotation], bool] | None = None,
    ) -> MergeResult:
        """Merge annotations (e.g. an import) by id, in one transaction.

        A new id is added; for a known id the copy with the newer `modified`
        wins, and on a tie a deleted copy wins, so re-importing an old export
        never resurrects a deleted note and importing twice changes nothing.
        An id that belongs to a note of *another* essay here is refused, never
        overwritten (and said in `warnings`), as is one whose row is damaged.
        Notes filed under an id this database retired (migration 3 split a
        title hash by path) go to the essay that took their path. `essays`
        describes the import's essays: one unknown here is remembered with its
        print, so opening that document later finds its notes. `wins(incoming,
        existing)` replaces the rule "newer `modified` wins" (the sync folder breaks
        ties by device); it is asked inside the transaction, about the row as it is.

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: nothing was merged.
        """
        incoming = list(annotations)
        records = list(essays)
        rule = wins or _wins

        def write(connection: sqlite3.Connection) -> MergeResult:
            for record in records:
                remember_essay(connection, record)
            aliases: dict[tuple[str, str], str] = {}
            counts: Counter[Outcome] = Counter()
            for annotation in incoming:
                key = (annotation.essay_id, annotation.essay_path)
                if key not in aliases:
                    aliases[key] = _alias_target(connection, *key)
                if aliases[key] != annotation.essay_id:
                    annotation = replace(annotation, essay_id=aliases[key])
                counts[self._merge_one(connection, annotation, rule)] += 1
            return Outcome.tally(counts)

        return self._db.write(write, wait=wait)

    def _merge_one(
        self,
        connection: sqlite3.Connection,
        annotation: Annotation,
        wins: Callable[[Annotation, Annotation], bool],
    ) -> Outcome:
        """Merge one annotation (see `merge`); returns what became of it."""
        row = connection.execute(
            f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation.id,)
        ).fetchone()
        if row is None:
            connection.execute(INSERT_ANNOTATION, annotation_values(annotation))
            index_words_of_notes(connection, [annotation.id])
            return Outcome.DELETED if annotation.is_deleted else Outcome.ADDED
        try:
            existing = annotation_from_row(row)
        except BadRow as why:
            self._db.warn(
                f"note {annotation.id} not imported: the note with that id here is "
                f"damaged ({why}) and is left as it is"
            )
            return Outcome.REFUSED
        if existing.essay_id != annotation.essay_id:
            self._db.warn(
                f"note {annotation.id} not imported: that id belongs to a note of "
                "another essay here, which is left as it is"
            )
            return Outcome.REFUSED
        if annotation == existing or not wins(annotation, existing):
            return Outcome.UNCHANGED
        values = annotation_values(annotation)
        connection.execute(UPDATE_ANNOTATION, (*values[1:], values[0]))
        index_words_of_notes(connection, [annotation.id])
        if annotation.is_deleted and not existing.is_deleted:
            return Outcome.DELETED
        return Outcome.UPDATED


def _check_base(connection: sqlite3.Connection, base: Annotation) -> None:
    """Inside a write: raise `EditConflict` unless `base` is the version stored."""
    row = connection.execute(
        f"SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (base.id,)
    ).fetchone()
    if row is None:
        return  # the update finds no row: UnknownAnnotation
    try:
        current = annotation_from_row(row)
    except BadRow:
        current = None
    if current is None or (current.modified, current.deleted) != (base.modified, base.deleted):
        deleted = current is not None and current.is_deleted and not base.is_deleted
        raise EditConflict(
            "That note was " + ("deleted" if deleted else "changed") + " since it was opened.",
            current,
        )


def _alias_target(connection: sqlite3.Connection, essay_id: str, path: str) -> str:
    """The essay that notes filed under a retired id at `path` belong to now."""
    row = connection.execute(
        "SELECT essay_id FROM essay_aliases WHERE alias = ? AND path = ?", (essay_id, path)
    ).fetchone()
    if row is not None:
        return str(row[0])
    rows = connection.execute(
        "SELECT DISTINCT essay_id FROM essay_aliases WHERE alias = ?", (essay_id,)
    ).fetchall()
    return str(rows[0][0]) if len(rows) == 1 else essay_id


def _wins(incoming: Annotation, existing: Annotation) -> bool:
    """True if `incoming` should replace `existing` in a merge (times compared as times)."""
    if incoming == existing:
        return False
    newer, older = time_key(incoming.modified), time_key(existing.modified)
    if newer != older:
        return newer > older
    return incoming.is_deleted and not existing.is_deleted
