"""The AnnotationStore: annotations, reading positions and settings in SQLite.

One file, `<data dir>/essaytui.sqlite3`, in WAL mode so a second reader
window can read while the first writes. Every write is one `BEGIN IMMEDIATE`
transaction committed before the method returns; a database locked by another
process is waited for and retried. Faults become `StoreError`s with a plain
message, and a damaged file is moved aside (never deleted).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import NamedTuple, Self, TypeVar

from essaytui import paths
from essaytui.model.annotation import (
    Annotation,
    Kind,
    as_deleted,
    as_restored,
    later_than,
    now_iso,
)
from essaytui.store.errors import StoreError, StoreUnavailable, StoreWriteError, UnknownAnnotation
from essaytui.store.schema import DATABASE_NAME, MIGRATIONS, SCHEMA_VERSION

T = TypeVar("T")

#: How long SQLite itself waits for a lock before reporting "database is locked".
BUSY_TIMEOUT_MS = 2000
#: How long a write keeps retrying a locked database before giving up.
LOCK_WAIT_SECONDS = 30.0

# SQLite primary result codes that mean the file itself is damaged.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_FULL = 13

_ANNOTATION_COLUMNS = (
    "id, essay_id, essay_path, kind, exact, prefix, suffix, start_offset, end_offset, "
    "section_trail, note, color, tags, created, modified, deleted, text_hash"
)
_POSITION_COLUMNS = (
    "essay_id, essay_path, title, author, top_offset, quote, text_hash, progress, updated"
)


@dataclass(frozen=True, slots=True)
class Position:
    """Where the reader was in an essay.

    `offset` is the reading-text offset at the top of the view and `quote` the
    sentence there, so the place can be found again if the text changes.
    `progress` is 0..1; `updated` is UTC ISO-8601 with `Z`.
    """

    essay_id: str
    essay_path: str
    title: str
    author: str
    offset: int
    quote: str
    text_hash: str
    progress: float
    updated: str


class MergeResult(NamedTuple):
    """How many annotations a merge added, changed and left as they were."""

    added: int
    updated: int
    unchanged: int


def _error_code(error: sqlite3.Error) -> int:
    code = getattr(error, "sqlite_errorcode", None)
    return (code & 0xFF) if isinstance(code, int) else -1


def _is_busy(error: sqlite3.Error) -> bool:
    code = _error_code(error)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return True
    message = str(error).lower()
    return "locked" in message or "busy" in message


def _is_corrupt(error: sqlite3.Error) -> bool:
    if _error_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def _explain(error: sqlite3.Error) -> str:
    """A reader-facing sentence for a failed write."""
    code = _error_code(error)
    if code == _SQLITE_FULL or "full" in str(error).lower():
        return f"the disk is full ({error})"
    if _is_busy(error):
        return f"another essaytui kept the notes database locked too long ({error})"
    if "readonly" in str(error).lower().replace(" ", "").replace("-", ""):
        return f"the notes database is read-only ({error})"
    return f"the notes database could not be written ({error})"


def _annotation_from_row(row: sqlite3.Row) -> Annotation:
    return Annotation(
        id=row["id"],
        essay_id=row["essay_id"],
        essay_path=row["essay_path"],
        kind=Kind(row["kind"]),
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        start=row["start_offset"],
        end=row["end_offset"],
        section_trail=tuple(json.loads(row["section_trail"])),
        note=row["note"],
        color=row["color"],
        tags=tuple(json.loads(row["tags"])),
        created=row["created"],
        modified=row["modified"],
        deleted=row["deleted"],
        text_hash=row["text_hash"],
    )


def _annotation_values(a: Annotation) -> tuple[object, ...]:
    return (
        a.id,
        a.essay_id,
        a.essay_path,
        str(a.kind),
        a.exact,
        a.prefix,
        a.suffix,
        a.start,
        a.end,
        json.dumps(list(a.section_trail), ensure_ascii=False),
        a.note,
        a.color,
        json.dumps(list(a.tags), ensure_ascii=False),
        a.created,
        a.modified,
        a.deleted,
        a.text_hash,
    )


def _position_from_row(row: sqlite3.Row) -> Position:
    return Position(
        essay_id=row["essay_id"],
        essay_path=row["essay_path"],
        title=row["title"],
        author=row["author"],
        offset=row["top_offset"],
        quote=row["quote"],
        text_hash=row["text_hash"],
        progress=float(row["progress"]),
        updated=row["updated"],
    )


def _move_aside(database: Path) -> Path:
    """Rename a damaged database (and its WAL files) to a dated name; return it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}.corrupt-{stamp}")
    counter = 2
    while aside.exists():
        aside = database.with_name(f"{database.name}.corrupt-{stamp}-{counter}")
        counter += 1
    os.replace(database, aside)
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    return aside


class AnnotationStore:
    """Annotations, reading positions and settings of one user.

    Open with `AnnotationStore.open(data_dir)` (raises `StoreUnavailable`),
    `AnnotationStore.open_or_memory(data_dir)` (never raises; falls back to
    memory), or `AnnotationStore.in_memory(reason)`. Use as a context manager
    or call `close()`.

    Attributes:
        path: the database file, or None in memory.
        persistent: False when notes only live for this session.
        problem: why notes are not saved to disk, or None.
        notice: something the reader should be told once (e.g. a damaged
            database was moved aside), or None.
    """

    def __init__(
        self,
        database: str | os.PathLike[str],
        *,
        page_limit: int | None = None,
        _persistent: bool = True,
        _problem: str | None = None,
    ) -> None:
        """Open (creating and migrating) the database file `database`.

        Prefer the `open` classmethods. `page_limit` caps the database size in
        pages (`PRAGMA max_page_count`); tests use it to fill the "disk".

        Raises:
            StoreUnavailable: the file cannot be opened, created or migrated.
        """
        self.path: Path | None = Path(database) if _persistent else None
        self.persistent = _persistent
        self.problem = _problem
        self.notice: str | None = None
        self._lock = threading.RLock()
        self._page_limit = page_limit
        target = str(database) if _persistent else ":memory:"
        try:
            self._connection = self._connect(target)
        except sqlite3.DatabaseError as error:
            if not (_persistent and _is_corrupt(error)):
                raise StoreUnavailable(
                    f"Notes cannot be saved: the database {target} could not be opened ({error})."
                ) from error
            assert self.path is not None
            aside = _move_aside(self.path)
            self.notice = (
                f"The notes database was damaged; it was moved to {aside} "
                "and a new one was started."
            )
            try:
                self._connection = self._connect(target)
            except sqlite3.DatabaseError as second:
                raise StoreUnavailable(
                    f"Notes cannot be saved: a new database {target} could not be made ({second})."
                ) from second

    # -- opening ----------------------------------------------------------------

    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str] | None = None, *, page_limit: int | None = None
    ) -> AnnotationStore:
        """The store in `paths.data_dir(data_dir)`, created if needed.

        Raises:
            StoreUnavailable: the folder or database cannot be created or written.
        """
        folder = paths.data_dir(data_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = error.strerror or str(error)
            raise StoreUnavailable(
                f"Notes cannot be saved: the folder {folder} cannot be created ({reason})."
            ) from error
        if not folder.is_dir():
            raise StoreUnavailable(f"Notes cannot be saved: {folder} is not a folder.")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StoreUnavailable(f"Notes cannot be saved: the folder {folder} is not writable.")
        return cls(folder / DATABASE_NAME, page_limit=page_limit)

    @classmethod
    def in_memory(cls, reason: str = "") -> AnnotationStore:
        """A store that lives only as long as this session (same API, `persistent=False`)."""
        return cls(":memory:", _persistent=False, _problem=reason or "notes are kept in memory")

    @classmethod
    def open_or_memory(cls, data_dir: str | os.PathLike[str] | None = None) -> AnnotationStore:
        """`open`, or an in-memory store whose `problem` says why it could not be opened."""
        try:
            return cls.open(data_dir)
        except StoreUnavailable as error:
            return cls.in_memory(str(error))

    def _connect(self, target: str) -> sqlite3.Connection:
        connection = sqlite3.connect(
            target,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            connection.row_factory = sqlite3.Row
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.persistent:
                # Reading the header is what notices a file that is not a database.
                self._retry(lambda: connection.execute("PRAGMA journal_mode = WAL").fetchone())
                # FULL: a committed note survives a power cut too, not just a crash.
                connection.execute("PRAGMA synchronous = FULL")
                check = connection.execute("PRAGMA integrity_check").fetchall()
                if [tuple(row) for row in check] != [("ok",)]:
                    raise sqlite3.DatabaseError(
                        "database disk image is malformed (integrity_check failed)"
                    )
            connection.execute("PRAGMA foreign_keys = ON")
            if self._page_limit is not None:
                connection.execute(f"PRAGMA max_page_count = {int(self._page_limit)}")
            self._migrate(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _migrate(self, connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"Notes cannot be saved: the database was made by a newer essaytui "
                f"(schema {version}, this one knows {SCHEMA_VERSION})."
            )

        def migrate() -> None:
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                current = connection.execute("PRAGMA user_version").fetchone()[0]
                for step in MIGRATIONS[current:]:
                    for statement in step:
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

        self._retry(migrate)

    @staticmethod
    def _retry(action: Callable[[], T]) -> T:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = 0.01
        while True:
            try:
                return action()
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.2)

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        with self._lock:
            self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------

    def _write(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """Run `action` in one transaction, committed before returning.

        Raises:
            StoreWriteError: the write failed; nothing of it was kept.
        """
        connection = self._connection

        def attempt() -> T:
            connection.execute("BEGIN IMMEDIATE")
            try:
                result = action(connection)
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    # SQLite has already rolled back if it could not go on.
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                raise
            return result

        with self._lock:
            try:
                return self._retry(attempt)
            except sqlite3.Error as error:
                raise StoreWriteError(f"Could not save: {_explain(error)}.") from error

    def _read(self, sql: str, parameters: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._retry(lambda: self._connection.execute(sql, parameters).fetchall())
            except sqlite3.Error as error:
                raise StoreError(f"Could not read the notes database ({error}).") from error

    # -- annotations --------------------------------------------------------------

    def add(self, annotation: Annotation) -> Annotation:
        """Store a new annotation exactly as given and return it.

        Raises:
            StoreWriteError: it was not saved (e.g. disk full, id already used).
        """

        def insert(connection: sqlite3.Connection) -> None:
            connection.execute(
                f"INSERT INTO annotations ({_ANNOTATION_COLUMNS}) VALUES ({', '.join('?' * 17)})",
                _annotation_values(annotation),
            )

        try:
            self._write(insert)
        except StoreWriteError as error:
            if isinstance(error.__cause__, sqlite3.IntegrityError):
                raise StoreWriteError(
                    f"Could not save: an annotation with id {annotation.id} already exists."
                ) from error.__cause__
            raise
        return annotation

    def update(self, annotation: Annotation) -> Annotation:
        """Replace the stored annotation with the same id; bumps `modified`.

        Returns the annotation as stored.

        Raises:
            UnknownAnnotation: no annotation has that id.
            StoreWriteError: it was not saved.
        """
        stored = replace(annotation, modified=later_than(annotation.modified))
        self._replace(stored)
        return stored

    def _replace(self, annotation: Annotation) -> None:
        def write(connection: sqlite3.Connection) -> int:
            values = _annotation_values(annotation)
            cursor = connection.execute(
                "UPDATE annotations SET "
                + ", ".join(f"{column} = ?" for column in _ANNOTATION_COLUMNS.split(", ")[1:])
                + " WHERE id = ?",
                (*values[1:], annotation.id),
            )
            return cursor.rowcount

        if self._write(write) == 0:
            raise UnknownAnnotation(f"no annotation with id {annotation.id}")

    def _change(self, annotation_id: str, change: Callable[[Annotation], Annotation]) -> Annotation:
        def write(connection: sqlite3.Connection) -> Annotation | None:
            row = connection.execute(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
            ).fetchone()
            if row is None:
                return None
            changed = change(_annotation_from_row(row))
            connection.execute(
                "UPDATE annotations SET deleted = ?, modified = ? WHERE id = ?",
                (changed.deleted, changed.modified, annotation_id),
            )
            return changed

        result = self._write(write)
        if result is None:
            raise UnknownAnnotation(f"no annotation with id {annotation_id}")
        return result

    def delete(self, annotation_id: str) -> Annotation:
        """Mark an annotation deleted (it is kept; `restore` undoes this).

        Raises:
            UnknownAnnotation: no annotation has that id.
            StoreWriteError: it was not saved.
        """
        return self._change(annotation_id, as_deleted)

    def restore(self, annotation_id: str) -> Annotation:
        """Undo `delete`.

        Raises:
            UnknownAnnotation: no annotation has that id.
            StoreWriteError: it was not saved.
        """
        return self._change(annotation_id, as_restored)

    def get(self, annotation_id: str) -> Annotation | None:
        """The annotation with that id (deleted or not), or None."""
        rows = self._read(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        )
        return _annotation_from_row(rows[0]) if rows else None

    def list_for_essay(self, essay_id: str, include_deleted: bool = False) -> list[Annotation]:
        """The essay's annotations in reading order (by start, then creation)."""
        where = "essay_id = ?" if include_deleted else "essay_id = ? AND deleted IS NULL"
        rows = self._read(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE {where} "
            "ORDER BY start_offset, end_offset, created, id",
            (essay_id,),
        )
        return [_annotation_from_row(row) for row in rows]

    def all_annotations(self, include_deleted: bool = True) -> list[Annotation]:
        """Every annotation of every essay, by essay then reading order."""
        where = "" if include_deleted else "WHERE deleted IS NULL"
        rows = self._read(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations {where} "
            "ORDER BY essay_id, start_offset, end_offset, created, id"
        )
        return [_annotation_from_row(row) for row in rows]

    def count(self) -> int:
        """How many annotations are stored, deleted ones included."""
        return int(self._read("SELECT count(*) FROM annotations")[0][0])

    def merge(self, annotations: Iterable[Annotation]) -> MergeResult:
        """Merge annotations (e.g. an import) by id, in one transaction.

        A new id is added; for a known id the copy with the newer `modified`
        wins, and on a tie a deleted copy wins, so re-importing an old export
        never resurrects a deleted note and importing twice changes nothing.

        Raises:
            StoreWriteError: nothing was merged.
        """
        incoming = list(annotations)

        def write(connection: sqlite3.Connection) -> MergeResult:
            added = updated = unchanged = 0
            for annotation in incoming:
                row = connection.execute(
                    f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?",
                    (annotation.id,),
                ).fetchone()
                if row is None:
                    connection.execute(
                        f"INSERT INTO annotations ({_ANNOTATION_COLUMNS}) "
                        f"VALUES ({', '.join('?' * 17)})",
                        _annotation_values(annotation),
                    )
                    added += 1
                    continue
                existing = _annotation_from_row(row)
                if _wins(annotation, existing):
                    values = _annotation_values(annotation)
                    connection.execute(
                        "UPDATE annotations SET "
                        + ", ".join(
                            f"{column} = ?" for column in _ANNOTATION_COLUMNS.split(", ")[1:]
                        )
                        + " WHERE id = ?",
                        (*values[1:], annotation.id),
                    )
                    updated += 1
                else:
                    unchanged += 1
            return MergeResult(added, updated, unchanged)

        return self._write(write)

    # -- reading positions ----------------------------------------------------------

    def save_position(
        self,
        essay_id: str,
        offset: int,
        *,
        quote: str = "",
        essay_path: str = "",
        title: str = "",
        author: str = "",
        text_hash: str = "",
        progress: float = 0.0,
    ) -> Position:
        """Remember where the reader is in an essay (and that it was read now).

        Raises:
            StoreWriteError: it was not saved.
        """
        position = Position(
            essay_id=essay_id,
            essay_path=essay_path,
            title=title,
            author=author,
            offset=max(0, int(offset)),
            quote=quote,
            text_hash=text_hash,
            progress=min(1.0, max(0.0, float(progress))),
            updated=now_iso(),
        )

        def write(connection: sqlite3.Connection) -> None:
            connection.execute(
                f"INSERT OR REPLACE INTO positions ({_POSITION_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    position.essay_id,
                    position.essay_path,
                    position.title,
                    position.author,
                    position.offset,
                    position.quote,
                    position.text_hash,
                    position.progress,
                    position.updated,
                ),
            )

        self._write(write)
        return position

    def position(self, essay_id: str) -> Position | None:
        """The saved position in an essay, or None."""
        rows = self._read(
            f"SELECT {_POSITION_COLUMNS} FROM positions WHERE essay_id = ?", (essay_id,)
        )
        return _position_from_row(rows[0]) if rows else None

    def recent(self, limit: int = 20) -> list[Position]:
        """Positions of recently read essays, most recent first."""
        rows = self._read(
            f"SELECT {_POSITION_COLUMNS} FROM positions ORDER BY updated DESC, rowid DESC LIMIT ?",
            (limit,),
        )
        return [_position_from_row(row) for row in rows]

    def last_read(self) -> Position | None:
        """The essay read most recently, or None."""
        recent = self.recent(1)
        return recent[0] if recent else None

    # -- settings ---------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting (e.g. "theme"), or `default`."""
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting.

        Raises:
            StoreWriteError: it was not saved.
        """
        self._write(
            lambda connection: connection.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value)
            )
        )

    # -- change detection ---------------------------------------------------------------

    def data_version(self) -> int:
        """A number that changes when another connection commits a change.

        Cheap enough to poll: compare with the last value to know whether to
        reload the Notes pane.
        """
        return int(self._read("PRAGMA data_version")[0][0])

    def essay_ids(self) -> list[str]:
        """Ids of every essay that has annotations or a saved position, sorted."""
        rows = self._read(
            "SELECT essay_id FROM annotations UNION SELECT essay_id FROM positions ORDER BY 1"
        )
        return [str(row[0]) for row in rows]


def _wins(incoming: Annotation, existing: Annotation) -> bool:
    """True if `incoming` should replace `existing` in a merge."""
    if incoming == existing:
        return False
    if incoming.modified != existing.modified:
        return incoming.modified > existing.modified
    return incoming.is_deleted and not existing.is_deleted
