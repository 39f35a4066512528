"""The AnnotationStore: annotations, reading positions, settings and essay identities in SQLite.

One file, `<data dir>/essaytui.sqlite3`, in WAL mode so a second reader
window can read while the first writes. Every write is one `BEGIN IMMEDIATE`
transaction committed before the method returns. Faults become `StoreError`s
with a plain message, and a damaged file is moved aside (never deleted). A
folder that cannot be written is opened read-only: the notes are shown, and
writes raise `StoreWriteError`.

**A locked database and the UI (issue 17 item 8).** Another process may hold the
write lock. A write waits for it (up to `LOCK_WAIT_SECONDS`) unless called with
`wait=False`, in which case it makes one attempt and raises `StoreBusy` at once,
without sleeping: the UI thread may call it from a timer, keep the write queued,
say "waiting for the notes database" and try again later. Alternatively run the
waiting call in a worker thread (`@work(thread=True)`): the connection is shared
and guarded by one re-entrant lock, which is held only while SQLite runs a
statement, never while the retry sleeps, so the UI thread's reads go on meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple, Self, TypeVar
from urllib.parse import quote as url_quote

from essaytui import paths
from essaytui.model import identity
from essaytui.model.annotation import (
    Annotation,
    Kind,
    as_deleted,
    as_restored,
    later_than,
    now_iso,
    time_key,
)
from essaytui.model.identity import DocumentPrint
from essaytui.store.errors import (
    EditConflict,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    StoreWriteError,
    UnknownAnnotation,
)
from essaytui.store.schema import (
    DATABASE_NAME,
    MIGRATIONS,
    NOTE_SEARCH_TABLE,
    SCHEMA_VERSION,
    split_id,
    split_title_hash_essays,
)

if TYPE_CHECKING:
    from essaytui.model.essay import Essay

T = TypeVar("T")

#: How long SQLite itself waits for a lock in one attempt, holding the store's lock;
#: the store then retries (with its lock released) until LOCK_WAIT_SECONDS.
BUSY_TIMEOUT_MS = 100
#: How long a write keeps retrying a locked database before giving up.
LOCK_WAIT_SECONDS = 30.0
#: Warnings kept for the caller to show (bad rows, refused imports), at most.
MAX_WARNINGS = 200

# SQLite primary result codes that mean the file itself is damaged.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_FULL = 13
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14
_SQLITE_IOERR = 10

_SURROGATE = re.compile("[\ud800-\udfff]")

_ANNOTATION_COLUMNS = (
    "id, essay_id, essay_path, kind, exact, prefix, suffix, start_offset, end_offset, "
    "section_trail, note, color, tags, created, modified, deleted, text_hash"
)
_POSITION_COLUMNS = (
    "essay_id, essay_path, title, author, top_offset, quote, text_hash, progress, updated"
)
_INSERT_ANNOTATION = (
    f"INSERT INTO annotations ({_ANNOTATION_COLUMNS}) VALUES ({', '.join('?' * 17)})"
)
_UPDATE_ANNOTATION = (
    "UPDATE annotations SET "
    + ", ".join(f"{column} = ?" for column in _ANNOTATION_COLUMNS.split(", ")[1:])
    + " WHERE id = ?"
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


@dataclass(frozen=True, slots=True)
class EssayRecord:
    """An essay as an import file describes it: its id there, and its print if known."""

    id: str
    title: str = ""
    author: str = ""
    print: DocumentPrint | None = None


class MergeResult(NamedTuple):
    """What a merge did: notes added, changed, left as they were, deleted and refused.

    `deleted` counts deletion markers taken in (a note deleted elsewhere); `refused`
    counts notes not taken because their id belongs to a note of another essay here,
    or to a damaged row (the reasons are in `AnnotationStore.warnings`).
    """

    added: int
    updated: int
    unchanged: int
    deleted: int = 0
    refused: int = 0


class EssaySummary(NamedTuple):
    """An essay with live notes, as `essaytui list` shows one."""

    essay_id: str
    title: str
    path: str
    notes: int


@dataclass(frozen=True, slots=True)
class NoteHit:
    """An annotation found by `search_notes`, with the essay it is on.

    Attributes:
        annotation: the annotation (live).
        title: the essay's title as last seen ("" when unknown).
        path: the essay file last seen ("" when unknown).
        snippet: the quote around the match (its opening when the note or a tag
            matched), on one line.
    """

    annotation: Annotation
    title: str
    path: str
    snippet: str


#: Most notes one search returns.
SEARCH_LIMIT = 200
_SEARCH_WORD = re.compile(r"[^\s\"]+")


def search_terms(query: str) -> list[str]:
    """The words of a search, as FTS5 prefix terms: `"trade"*` (every word must occur;
    quotes and FTS5's operators are taken as plain text)."""
    return ['"' + word.replace('"', "") + '"*' for word in _SEARCH_WORD.findall(query)]


class _BadRow(ValueError):
    """A database row holds values essaytui never writes (edited by hand, or damaged)."""


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


def _is_read_only(error: sqlite3.Error) -> bool:
    if _error_code(error) in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
        return True
    message = str(error).lower().replace(" ", "").replace("-", "")
    return "readonly" in message or "unabletoopen" in message


def _is_disk_fault(error: sqlite3.Error) -> bool:
    """A full disk, or one that fails to write (SQLite's "disk I/O error")."""
    if _error_code(error) in (_SQLITE_IOERR, _SQLITE_FULL):
        return True
    message = str(error).lower()
    return "disk i/o error" in message or "disk is full" in message


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


def _inert(text: str) -> str:
    """A message made safe to show: it names the data folder, which may hold escapes."""
    from essaytui.model.text import sanitize_inline

    return sanitize_inline(storable(text))


def storable(text: str) -> str:
    """`text` with lone surrogates (from undecodable file names, or "\\ud800" in an
    import) replaced by U+FFFD: SQLite, files and terminals all need valid UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _decode(data: bytes) -> str:
    # A row written by another program may hold invalid UTF-8: show it, don't fail.
    return data.decode("utf-8", "replace")


def _json_strings(value: object, column: str) -> tuple[str, ...]:
    try:
        parsed = json.loads(str(value))
    except (TypeError, ValueError, RecursionError):
        raise _BadRow(f"{column} is not JSON") from None
    if not isinstance(parsed, list) or not all(isinstance(entry, str) for entry in parsed):
        raise _BadRow(f"{column} is not a list of strings")
    return tuple(parsed)


def _whole(value: object, column: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _BadRow(f"{column} is not a whole number")
    return value


def _text(value: object, column: str) -> str:
    if not isinstance(value, str):
        raise _BadRow(f"{column} is not text")
    return value


def _annotation_from_row(row: sqlite3.Row) -> Annotation:
    """The annotation a row holds.

    Raises:
        _BadRow: a value is not one essaytui writes.
    """
    try:
        kind = Kind(row["kind"])
    except ValueError:
        raise _BadRow(f"kind {str(row['kind'])[:20]!r} is unknown") from None
    deleted = row["deleted"]
    if deleted is not None and not isinstance(deleted, str):
        raise _BadRow("deleted is not text")
    start, end = _whole(row["start_offset"], "start"), _whole(row["end_offset"], "end")
    if end < start:
        raise _BadRow("end is before start")
    return Annotation(
        id=_text(row["id"], "id"),
        essay_id=_text(row["essay_id"], "essay_id"),
        essay_path=_text(row["essay_path"], "essay_path"),
        kind=kind,
        exact=_text(row["exact"], "exact"),
        prefix=_text(row["prefix"], "prefix"),
        suffix=_text(row["suffix"], "suffix"),
        start=start,
        end=end,
        section_trail=_json_strings(row["section_trail"], "section_trail"),
        note=_text(row["note"], "note"),
        color=_text(row["color"], "color"),
        tags=_json_strings(row["tags"], "tags"),
        created=_text(row["created"], "created"),
        modified=_text(row["modified"], "modified"),
        deleted=deleted,
        text_hash=_text(row["text_hash"], "text_hash"),
    )


def _annotation_values(a: Annotation) -> tuple[object, ...]:
    return (
        storable(a.id),
        storable(a.essay_id),
        storable(a.essay_path),
        str(a.kind),
        storable(a.exact),
        storable(a.prefix),
        storable(a.suffix),
        a.start,
        a.end,
        json.dumps([storable(t) for t in a.section_trail], ensure_ascii=False),
        storable(a.note),
        storable(a.color),
        json.dumps([storable(t) for t in a.tags], ensure_ascii=False),
        a.created,
        a.modified,
        a.deleted,
        a.text_hash,
    )


def _position_from_row(row: sqlite3.Row) -> Position:
    """The position a row holds.

    Raises:
        _BadRow: a value is not one essaytui writes.
    """
    progress = row["progress"]
    if isinstance(progress, bool) or not isinstance(progress, int | float):
        raise _BadRow("progress is not a number")
    if not math.isfinite(progress):
        raise _BadRow("progress is not a finite number")
    return Position(
        essay_id=_text(row["essay_id"], "essay_id"),
        essay_path=_text(row["essay_path"], "essay_path"),
        title=_text(row["title"], "title"),
        author=_text(row["author"], "author"),
        offset=_whole(row["top_offset"], "top_offset"),
        quote=_text(row["quote"], "quote"),
        text_hash=_text(row["text_hash"], "text_hash"),
        progress=min(1.0, max(0.0, float(progress))),
        updated=_text(row["updated"], "updated"),
    )


def _aside_name(database: Path, why: str) -> Path:
    """A dated name beside `database` that is not taken (`essaytui.sqlite3.<why>-<date>`)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}.{why}-{stamp}")
    counter = 2
    while aside.exists():
        aside = database.with_name(f"{database.name}.{why}-{stamp}-{counter}")
        counter += 1
    return aside


def _move_aside(database: Path) -> Path:
    """Rename a damaged database (and its WAL files) to a dated name; return it."""
    aside = _aside_name(database, "corrupt")
    os.replace(database, aside)
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    return aside


def _file_identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of the file at `path`, or None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _copy_database(source: sqlite3.Connection, destination: Path) -> None:
    """Write everything `source` holds to a new database file `destination`."""
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        target.close()


def _run_step(connection: sqlite3.Connection, step: object) -> None:
    if isinstance(step, str):
        connection.execute(step)
    elif callable(step):
        step(connection)


def _migrate_steps(connection: sqlite3.Connection, current: int) -> None:
    for migration in MIGRATIONS[current:]:
        for step in migration:
            _run_step(connection, step)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


class AnnotationStore:
    """Annotations, reading positions, settings and essay identities of one user.

    Open with `AnnotationStore.open(data_dir)` (raises `StoreUnavailable`),
    `AnnotationStore.open_or_memory(data_dir)` (never raises; falls back to
    memory), or `AnnotationStore.in_memory(reason)`. Use as a context manager
    or call `close()`.

    Attributes:
        path: the database file, or None in memory.
        persistent: False when changes are not saved to disk (in memory, or
            read-only).
        read_only: True when the database could only be opened for reading:
            everything stored is readable, every write raises `StoreWriteError`.
        problem: why changes are not saved to disk, or None.
        notice: something the reader should be told once (e.g. a damaged
            database was moved aside), or None.
        warnings: rows skipped because they hold values essaytui never writes,
            and imported notes refused; one line each, for the caller to show
            (`take_warnings`).
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
        self.read_only = False
        self.problem = _inert(_problem) if _problem else None
        self.notice: str | None = None
        self.warnings: list[str] = []
        self._lock = threading.RLock()
        self._page_limit = page_limit
        self._busy_ms = BUSY_TIMEOUT_MS
        target = str(database) if _persistent else ":memory:"
        self._connection, self.notice = self._connect_or_move_aside(target)
        #: The file written to (device, inode): a write first checks it is still there.
        self._file = _file_identity(self.path) if self.path is not None else None

    def _connect_or_move_aside(self, target: str) -> tuple[sqlite3.Connection, str | None]:
        """A connection to `target`; a damaged file there is moved aside first (and the
        notice saying so returned with it).

        Raises:
            StoreUnavailable: the file cannot be opened, created or migrated.
        """
        try:
            return self._connect(target), None
        except sqlite3.DatabaseError as error:
            if not (self.persistent and _is_corrupt(error)):
                raise StoreUnavailable(
                    _inert(
                        f"Notes cannot be saved: the database {target} could not be opened "
                        f"({error})."
                    )
                ) from error
        assert self.path is not None
        aside = _move_aside(self.path)
        notice = _inert(
            f"The notes database was damaged; it was moved to {aside} and a new one was started."
        )
        try:
            return self._connect(target), notice
        except sqlite3.DatabaseError as second:
            raise StoreUnavailable(
                _inert(
                    f"Notes cannot be saved: a new database {target} could not be made ({second})."
                )
            ) from second

    # -- opening ----------------------------------------------------------------

    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str] | None = None, *, page_limit: int | None = None
    ) -> AnnotationStore:
        """The store in `paths.data_dir(data_dir)`, created if needed.

        A folder (or database file) that can be read but not written is opened
        read-only (`read_only`; `problem` says so).

        Raises:
            StoreUnavailable: the folder or database cannot be created, or read.
        """
        folder = paths.data_dir(data_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = error.strerror or str(error)
            raise StoreUnavailable(
                _inert(f"Notes cannot be saved: the folder {folder} cannot be created ({reason}).")
            ) from error
        if not folder.is_dir():
            raise StoreUnavailable(_inert(f"Notes cannot be saved: {folder} is not a folder."))
        database = folder / DATABASE_NAME
        if not os.access(folder, os.W_OK | os.X_OK) or (
            database.exists() and not os.access(database, os.W_OK)
        ):
            return cls._read_only(folder, database)
        try:
            return cls(database, page_limit=page_limit)
        except StoreUnavailable as error:
            cause = error.__cause__
            if not (isinstance(cause, sqlite3.Error) and database.is_file()):
                raise
            # e.g. a read-only file system that access() did not report
            if _is_read_only(cause):
                return cls._read_only(folder, database)
            # A full or failing disk: SQLite cannot even make its -shm file to read.
            if _is_disk_fault(cause):
                problem = (
                    f"The disk holding the notes folder {folder} is full or failing "
                    f"({cause}): your notes are shown, but changes can't be saved."
                )
                return cls._read_only(folder, database, problem=problem)
            raise

    @classmethod
    def _read_only(
        cls, folder: Path, database: Path, *, problem: str | None = None
    ) -> AnnotationStore:
        """The notes of a database that cannot be written, copied into memory.

        SQLite opens it with `mode=ro`, or `immutable=1` when its -wal/-shm files
        cannot be made; the copy is migrated in memory, so an older database
        reads like a current one. Nothing is ever written to the folder.

        Raises:
            StoreUnavailable: there is no database to read, or it cannot be read.
        """
        if not database.is_file():
            raise StoreUnavailable(
                _inert(f"Notes cannot be saved: the folder {folder} is not writable.")
            )
        location = url_quote(str(database.resolve()))
        snapshot: sqlite3.Connection | None = None
        last: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                source = sqlite3.connect(f"file:{location}?{options}", uri=True)
                try:
                    source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
                    source.backup(snapshot)
                finally:
                    source.close()
                break
            except sqlite3.Error as error:
                last = error
                snapshot = None
        if snapshot is None:
            raise StoreUnavailable(
                _inert(
                    f"Notes cannot be read: the database {database} could not be opened ({last})."
                )
            ) from last
        store = cls.__new__(cls)
        store.path = database
        store.persistent = False
        store.read_only = True
        store.notice = None
        store._file = None
        store.warnings = []
        store._lock = threading.RLock()
        store._page_limit = None
        store._busy_ms = BUSY_TIMEOUT_MS
        store.problem = _inert(
            problem
            or f"The notes folder {folder} is read-only: your notes are shown, "
            "but changes can't be saved."
        )
        try:
            store._prepare(snapshot, persistent=False)
        except (sqlite3.Error, StoreUnavailable) as error:
            snapshot.close()
            if isinstance(error, StoreUnavailable):
                raise
            raise StoreUnavailable(
                _inert(f"Notes cannot be read: the database {database} is damaged ({error}).")
            ) from error
        store._connection = snapshot
        return store

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
            self._prepare(connection, persistent=self.persistent)
        except BaseException:
            connection.close()
            raise
        return connection

    def _prepare(self, connection: sqlite3.Connection, *, persistent: bool) -> None:
        connection.isolation_level = None
        connection.row_factory = sqlite3.Row
        connection.text_factory = _decode
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if persistent:
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
                _migrate_steps(connection, current)
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

    def _warn(self, message: str) -> None:
        message = _inert(message)
        if message not in self.warnings and len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)

    def take_warnings(self) -> list[str]:
        """The warnings gathered since the last call (and forget them)."""
        with self._lock:
            taken, self.warnings = self.warnings, []
        return taken

    @contextlib.contextmanager
    def _busy_timeout(self, milliseconds: int) -> Iterator[None]:
        """SQLite's own wait for a lock, for the statements run inside."""
        if milliseconds == self._busy_ms:
            yield
            return
        self._connection.execute(f"PRAGMA busy_timeout = {milliseconds}")
        try:
            yield
        finally:
            self._connection.execute(f"PRAGMA busy_timeout = {self._busy_ms}")

    def _attempts(self, action: Callable[[], T], *, wait: bool) -> T:
        """Run `action` under the store's lock, retrying while the database is busy.

        The lock is released between attempts, so other threads' reads and writes
        interleave with a long wait; `wait=False` makes one attempt that does not
        wait for SQLite's lock either.
        """
        deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait else 0.0)
        pause = 0.01
        while True:
            with self._lock, self._busy_timeout(BUSY_TIMEOUT_MS if wait else 0):
                try:
                    return action()
                except sqlite3.OperationalError as error:
                    if not _is_busy(error):
                        raise
                    if time.monotonic() >= deadline:
                        if not wait:
                            raise StoreBusy(
                                "Not saved yet: another essaytui is writing to the notes database."
                            ) from error
                        raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    def _write(self, action: Callable[[sqlite3.Connection], T], *, wait: bool = True) -> T:
        """Run `action` in one transaction, committed before returning.

        Raises:
            StoreBusy: `wait` is False and the database is locked; nothing was saved.
            StoreWriteError: the write failed; nothing of it was kept.
        """
        if self.read_only:
            raise StoreWriteError(f"Could not save: {self.problem}")
        with self._lock:
            self._follow_file()
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

        try:
            return self._attempts(attempt, wait=wait)
        except sqlite3.Error as error:
            raise StoreWriteError(_inert(f"Could not save: {_explain(error)}.")) from error

    def _follow_file(self) -> None:
        """Make sure the next write reaches the file at `path`.

        A connection keeps writing to its file after the file is deleted (the data
        folder removed while the reader is open) or replaced (a backup restored over
        it): every note would go to a file no one can open again. So the database is
        made again at `path` with what this connection holds (when it is gone), or the
        new file there is used and what this connection held is kept beside it (when
        it was replaced). A warning says which.

        Raises:
            StoreWriteError: no database can be made at `path`; nothing is written.
        """
        if self.path is None or self._file is None:
            return
        found = _file_identity(self.path)
        if found == self._file:
            return
        database, old = self.path, self._connection
        try:
            database.parent.mkdir(parents=True, exist_ok=True)
            copy = _aside_name(database, "restored" if found is None else "replaced")
            _copy_database(old, copy)
            # Closed before a new file is opened at `path`: closing removes the WAL
            # files by name, and they must be this connection's, not the new file's.
            old.close()
            if found is None:
                os.replace(copy, database)
                said = (
                    f"The notes folder {database.parent} was removed while essaytui was "
                    "open: it was made again, with the notes this window had, and the "
                    "change was saved there."
                )
            else:
                # SQLite leaves the WAL of a file that moved: opened with the new file, it
                # would lay this connection's pages over it. Its content is in the copy.
                for suffix in ("-wal", "-shm"):
                    stale = database.with_name(database.name + suffix)
                    if stale.exists():
                        os.replace(stale, copy.with_name(copy.name + suffix))
                said = (
                    f"The notes database {database} was replaced by another file while "
                    "essaytui was open: the change was saved in the new one, and the notes "
                    f"this window had were kept in {copy}."
                )
            connection, notice = self._connect_or_move_aside(str(database))
        except (OSError, sqlite3.Error, StoreUnavailable) as error:
            raise StoreWriteError(
                _inert(
                    f"Could not save: the notes database {database} was removed or replaced, "
                    f"and a new one could not be made ({error})."
                )
            ) from error
        self._connection, self._file = connection, _file_identity(database)
        self._warn(said)
        if notice:
            self._warn(notice)

    def _read(self, sql: str, parameters: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self._attempts(
                lambda: self._connection.execute(sql, parameters).fetchall(), wait=True
            )
        except sqlite3.Error as error:
            raise StoreError(_inert(f"Could not read the notes database ({error}).")) from error

    def _valid(
        self, rows: Iterable[sqlite3.Row], read: Callable[[sqlite3.Row], T], what: str, key: str
    ) -> list[T]:
        """`read` of every row, skipping (and reporting) damaged ones: they stay as they are."""
        found: list[T] = []
        for row in rows:
            try:
                found.append(read(row))
            except _BadRow as why:
                self._warn(
                    f"{what} in the notes database is damaged ({why}; {str(row[key])[:40]}): "
                    "it is left as it is and not used"
                )
        return found

    def _annotations(self, rows: Iterable[sqlite3.Row]) -> list[Annotation]:
        return self._valid(rows, _annotation_from_row, "a note", "id")

    def _positions(self, rows: Iterable[sqlite3.Row]) -> list[Position]:
        return self._valid(rows, _position_from_row, "a reading position", "essay_id")

    # -- annotations --------------------------------------------------------------

    def add(self, annotation: Annotation, *, wait: bool = True) -> Annotation:
        """Store a new annotation exactly as given and return it.

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved (e.g. disk full, id already used).
        """

        def insert(connection: sqlite3.Connection) -> None:
            connection.execute(_INSERT_ANNOTATION, _annotation_values(annotation))

        try:
            self._write(insert, wait=wait)
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
            values = _annotation_values(annotation)
            cursor = connection.execute(_UPDATE_ANNOTATION, (*values[1:], values[0]))
            return cursor.rowcount

        if self._write(write, wait=wait) == 0:
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
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
            ).fetchone()
            if row is None:
                return None
            try:
                changed = change(_annotation_from_row(row))
            except _BadRow as why:
                raise StoreWriteError(
                    f"Could not save: that note is damaged in the notes database ({why})."
                ) from None
            connection.execute(
                "UPDATE annotations SET deleted = ?, modified = ? WHERE id = ?",
                (changed.deleted, changed.modified, annotation_id),
            )
            return changed

        result = self._write(write, wait=wait)
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
        """Undo `delete`.

        Raises:
            UnknownAnnotation: no annotation has that id.
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        return self._change(annotation_id, as_restored, wait=wait)

    def get(self, annotation_id: str) -> Annotation | None:
        """The annotation with that id (deleted or not), or None (also for a damaged row)."""
        rows = self._read(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        )
        found = self._annotations(rows)
        return found[0] if found else None

    def list_for_essay(self, essay_id: str, include_deleted: bool = False) -> list[Annotation]:
        """The essay's annotations in reading order (by start, then creation)."""
        where = "essay_id = ?" if include_deleted else "essay_id = ? AND deleted IS NULL"
        rows = self._read(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE {where} "
            "ORDER BY start_offset, end_offset, created, id",
            (essay_id,),
        )
        return self._annotations(rows)

    def all_annotations(self, include_deleted: bool = True) -> list[Annotation]:
        """Every annotation of every essay, by essay then reading order."""
        where = "" if include_deleted else "WHERE deleted IS NULL"
        rows = self._read(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations {where} "
            "ORDER BY essay_id, start_offset, end_offset, created, id"
        )
        return self._annotations(rows)

    def annotation_stamps(self) -> dict[str, tuple[str, str, str | None]]:
        """`id → (essay_id, modified, deleted)` of every annotation: every change to a
        note changes one of these, so comparing them finds what changed, cheaply."""
        rows = self._read("SELECT id, essay_id, modified, deleted FROM annotations")
        return {
            str(row[0]): (str(row[1]), str(row[2]), None if row[3] is None else str(row[3]))
            for row in rows
        }

    def annotation_essays(self) -> list[str]:
        """The ids of every essay with annotations (deleted ones too)."""
        return [str(row[0]) for row in self._read("SELECT DISTINCT essay_id FROM annotations")]

    def annotations_by_id(self, ids: Iterable[str]) -> list[Annotation]:
        """The annotations with these ids (deleted ones too; unknown ids left out)."""
        wanted = list(dict.fromkeys(ids))
        found: list[Annotation] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._read(
                f"SELECT {_ANNOTATION_COLUMNS} FROM annotations "
                f"WHERE id IN ({', '.join('?' * len(chunk))})",
                tuple(chunk),
            )
            found.extend(self._annotations(rows))
        return found

    def count(self) -> int:
        """How many annotations are stored, deleted ones included."""
        return int(self._read("SELECT count(*) FROM annotations")[0][0])

    def count_for_essay(self, essay_id: str) -> int:
        """How many live annotations an essay has."""
        rows = self._read(
            "SELECT count(*) FROM annotations WHERE essay_id = ? AND deleted IS NULL", (essay_id,)
        )
        return int(rows[0][0])

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
                self._remember_essay(connection, record)
            aliases: dict[tuple[str, str], str] = {}
            counts = dict.fromkeys(MergeResult._fields, 0)
            for annotation in incoming:
                key = (annotation.essay_id, annotation.essay_path)
                if key not in aliases:
                    aliases[key] = _alias_target(connection, *key)
                if aliases[key] != annotation.essay_id:
                    annotation = replace(annotation, essay_id=aliases[key])
                counts[self._merge_one(connection, annotation, rule)] += 1
            return MergeResult(**counts)

        return self._write(write, wait=wait)

    def _merge_one(
        self,
        connection: sqlite3.Connection,
        annotation: Annotation,
        wins: Callable[[Annotation, Annotation], bool],
    ) -> str:
        """Merge one annotation (see `merge`); returns the `MergeResult` field it counts in."""
        row = connection.execute(
            f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (annotation.id,)
        ).fetchone()
        if row is None:
            connection.execute(_INSERT_ANNOTATION, _annotation_values(annotation))
            return "deleted" if annotation.is_deleted else "added"
        try:
            existing = _annotation_from_row(row)
        except _BadRow as why:
            self._warn(
                f"note {annotation.id} not imported: the note with that id here is "
                f"damaged ({why}) and is left as it is"
            )
            return "refused"
        if existing.essay_id != annotation.essay_id:
            self._warn(
                f"note {annotation.id} not imported: that id belongs to a note of "
                "another essay here, which is left as it is"
            )
            return "refused"
        if annotation == existing or not wins(annotation, existing):
            return "unchanged"
        values = _annotation_values(annotation)
        connection.execute(_UPDATE_ANNOTATION, (*values[1:], values[0]))
        return "deleted" if annotation.is_deleted and not existing.is_deleted else "updated"

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
        wait: bool = True,
    ) -> Position:
        """Remember where the reader is in an essay (and that it was read now).

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        progress = float(progress)
        position = Position(
            essay_id=storable(essay_id),
            essay_path=storable(essay_path),
            title=storable(title),
            author=storable(author),
            offset=max(0, int(offset)),
            quote=storable(quote),
            text_hash=text_hash,
            progress=min(1.0, max(0.0, progress)) if math.isfinite(progress) else 0.0,
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

        self._write(write, wait=wait)
        return position

    def touch(
        self, essay_id: str, path: str, title: str, author: str, *, wait: bool = True
    ) -> None:
        """Record that an essay was opened now: it becomes the last one read.

        The saved place in it (if any) is kept; the path (unless `path` is "":
        read from standard input), title and author are brought up to date.

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        values = (storable(essay_id), storable(path), storable(title), storable(author), now_iso())
        self._write(
            lambda connection: connection.execute(
                "INSERT INTO positions (essay_id, essay_path, title, author, top_offset, updated) "
                "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (essay_id) DO UPDATE SET "
                # read from standard input (no path): the file it was read from stays
                "essay_path = CASE excluded.essay_path WHEN '' THEN essay_path "
                "ELSE excluded.essay_path END, title = excluded.title, "
                "author = excluded.author, updated = excluded.updated",
                values,
            ),
            wait=wait,
        )

    def position(self, essay_id: str) -> Position | None:
        """The saved position in an essay, or None (also for a damaged row)."""
        rows = self._read(
            f"SELECT {_POSITION_COLUMNS} FROM positions WHERE essay_id = ?", (essay_id,)
        )
        found = self._positions(rows)
        return found[0] if found else None

    def recent(self, limit: int = 20) -> list[Position]:
        """Positions of recently read essays, most recent first (damaged rows skipped)."""
        rows = self._read(
            f"SELECT {_POSITION_COLUMNS} FROM positions ORDER BY updated DESC, rowid DESC LIMIT ?",
            (limit,),
        )
        return self._positions(rows)

    def last_read(self) -> Position | None:
        """The essay read most recently, or None."""
        recent = self.recent(1)
        return recent[0] if recent else None

    # -- essay identity -------------------------------------------------------------------

    def identify(self, essay: Essay, *, source: bytes | None = None, record: bool = True) -> str:
        """The id the essay's notes and position are filed under (see `model.identity`).

        The front-matter id if there is one. Otherwise the essay of the path where
        it was read (`essay.source_path`), else the known essay that is the same
        document (the same bytes; or a close print whose recorded paths no longer
        hold it: moved, renamed, lightly edited), else a new one. `source` is the
        document's bytes when it has no file (standard input).

        `record=False` (for `export` and `list`) never writes: it returns the id
        the reader would use. With `record=True` a new path, a new essay and an
        edited file's print are remembered; a read-only store records nothing.
        Never raises: when the store cannot be read the id is worked out from the
        document alone.
        """
        declared = identity.declared_id(essay)
        if declared is not None:
            return declared
        path = storable(essay.source_path) if essay.source_path else None
        document = _Document(path, source)
        try:
            return self._identify(
                document, storable(essay.title), storable(essay.author), record=record
            )
        except StoreError as error:
            self._warn(f"the essay's notes could not be looked up ({error})")
            return identity.new_essay_id(path, document.print().digest)

    def _identify(self, document: _Document, title: str, author: str, *, record: bool) -> str:
        record = record and not self.read_only
        path = document.path
        if path is not None:
            rows = self._read(
                "SELECT essay_id, size, mtime_ns FROM essay_paths WHERE path = ?", (path,)
            )
            if rows:
                known = str(rows[0]["essay_id"])
                state = document.state()
                if record and state is not None and state != (rows[0]["size"], rows[0]["mtime_ns"]):
                    self._remember_print(known, document, title, author)
                return known
            legacy = self._legacy_id(path, title, author, record=record)
            if legacy is not None:
                if record:
                    self._remember_print(legacy, document, title, author)
                return legacy
        found, moved = self._same_document(document)
        if found is None:
            found = identity.new_essay_id(path, document.print().digest)
        if record:
            self._remember_print(found, document, title, author, moved=moved)
        return found

    def _legacy_id(self, path: str, title: str, author: str, *, record: bool) -> str | None:
        """An unregistered id that notes were filed under at `path` (imported from an
        older essaytui, or from another machine): the title hash of this essay's title
        and author, or the one generated id found there.

        A title hash that also has notes at other paths joined several files, as
        before migration 3: it is split the same way (`record`), and the id of this
        path's part returned.
        """
        rows = self._read(
            "SELECT essay_id FROM annotations WHERE essay_path = ? "
            "UNION SELECT essay_id FROM positions WHERE essay_path = ?",
            (path, path),
        )
        candidates = {str(row[0]) for row in rows}
        if not candidates:
            return None
        registered = {
            str(row[0])
            for row in self._read(
                f"SELECT id FROM essays WHERE id IN ({', '.join('?' * len(candidates))})",
                tuple(candidates),
            )
        }
        unregistered = candidates - registered
        hashed = identity.title_hash(title, author)
        if hashed not in unregistered:
            generated = [c for c in unregistered if identity.is_generated(c)]
            return generated[0] if len(generated) == 1 else None
        elsewhere = self._read(
            "SELECT 1 FROM annotations WHERE essay_id = ? AND essay_path NOT IN (?, '') "
            "UNION SELECT 1 FROM positions WHERE essay_id = ? AND essay_path NOT IN (?, '')",
            (hashed, path, hashed, path),
        )
        if not elsewhere:
            return hashed
        if record:
            try:
                self._write(lambda connection: split_title_hash_essays(connection, {hashed}))
            except StoreWriteError as error:
                self._warn(f"notes shared by several files could not be split ({error})")
                return hashed
        return split_id(hashed, path)

    def _same_document(self, document: _Document) -> tuple[str | None, bool]:
        """A known essay that `document` (at a new path) is, and whether it moved here.

        The same bytes: that essay (a copy; its other paths stay its own). A close
        print whose recorded paths no longer hold it: that essay, moved.
        """
        found = document.print()
        if found.digest:
            rows = self._read(
                "SELECT id FROM essays WHERE digest = ? ORDER BY created, id", (found.digest,)
            )
            if rows:
                return str(rows[0][0]), False
        if not found.sketch:
            return None, False
        scored: list[tuple[float, str, DocumentPrint]] = []
        for row in self._read("SELECT id, digest, sketch FROM essays WHERE sketch != ''"):
            known = DocumentPrint(str(row[1]), identity.sketch_from_text(str(row[2])))
            score = found.similarity(known)
            if score >= identity.CLOSE_SIMILARITY:
                scored.append((score, str(row[0]), known))
        scored.sort(key=lambda entry: (-entry[0], entry[1]))
        for _, essay_id, known in scored:
            if not self._held_elsewhere(essay_id, known, document.path):
                return essay_id, True
        return None, False

    def _held_elsewhere(self, essay_id: str, known: DocumentPrint, path: str | None) -> bool:
        """True if a recorded path of the essay still holds its document."""
        for row in self._read("SELECT path FROM essay_paths WHERE essay_id = ?", (essay_id,)):
            other = str(row[0])
            if other == path:
                continue
            there = identity.read_print(other)
            if there is not None and there.is_close(known):
                return True
        return False

    def _remember_print(
        self, essay_id: str, document: _Document, title: str, author: str, *, moved: bool = False
    ) -> None:
        """Record the essay's print and path; when it `moved` here, forget the paths
        that no longer hold it (so a new file there is a new essay)."""
        found = document.print()
        state = document.state() or (-1, -1)
        now = now_iso()
        stale: list[str] = []
        if moved and document.path is not None:
            for row in self._read(
                "SELECT path FROM essay_paths WHERE essay_id = ? AND path != ?",
                (essay_id, document.path),
            ):
                there = identity.read_print(str(row[0]))
                if there is None or not there.is_close(found):
                    stale.append(str(row[0]))

        def write(connection: sqlite3.Connection) -> None:
            connection.execute(
                "INSERT INTO essays (id, digest, sketch, title, author, created) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "digest = excluded.digest, sketch = excluded.sketch, "
                "title = excluded.title, author = excluded.author",
                (essay_id, found.digest, found.sketch_text(), title, author, now),
            )
            if document.path is not None:
                connection.execute(
                    "INSERT OR REPLACE INTO essay_paths (path, essay_id, size, mtime_ns, seen) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (document.path, essay_id, state[0], state[1], now),
                )
            for old in stale:
                connection.execute(
                    "DELETE FROM essay_paths WHERE path = ? AND essay_id = ?", (old, essay_id)
                )

        try:
            self._write(write)
        except StoreWriteError as error:
            self._warn(f"where this essay was read could not be remembered ({error})")

    def _remember_essay(self, connection: sqlite3.Connection, record: EssayRecord) -> None:
        """Inside a merge: keep an imported essay's print (or, for a front-matter id, its
        title, so its notes are listed by name), if this database lacks it."""
        if not record.id:
            return
        if not (
            identity.is_generated(record.id)
            or record.id == identity.title_hash(record.title, record.author)
        ):
            if record.title and not identity.looks_like_title_hash(record.id):
                connection.execute(
                    "INSERT OR IGNORE INTO essays (id, title, author, created) VALUES (?, ?, ?, ?)",
                    (
                        storable(record.id),
                        storable(record.title),
                        storable(record.author),
                        now_iso(),
                    ),
                )
            return
        if record.print is None:
            return
        connection.execute(
            "INSERT OR IGNORE INTO essays (id, digest, sketch, title, author, created) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                storable(record.id),
                record.print.digest,
                record.print.sketch_text(),
                storable(record.title),
                storable(record.author),
                now_iso(),
            ),
        )

    def essays_with_notes(self, exclude: Iterable[str] = ()) -> list[EssaySummary]:
        """Every essay with live notes (except those in `exclude`), most recent first,
        with its title when known and the path its latest note saw."""
        skip = set(exclude)
        rows = self._read(
            "SELECT a.essay_id, count(*), max(a.modified), "
            "(SELECT b.essay_path FROM annotations b WHERE b.essay_id = a.essay_id "
            " ORDER BY b.modified DESC LIMIT 1), "
            "(SELECT e.title FROM essays e WHERE e.id = a.essay_id) "
            "FROM annotations a WHERE a.deleted IS NULL GROUP BY a.essay_id "
            "ORDER BY 3 DESC, 1"
        )
        return [
            EssaySummary(str(row[0]), str(row[4] or ""), str(row[3] or ""), int(row[1]))
            for row in rows
            if str(row[0]) not in skip
        ]

    def essay_record(self, essay_id: str) -> EssayRecord | None:
        """What this database knows of an essay: title, author and print (None if nothing)."""
        rows = self._read(
            "SELECT title, author, digest, sketch FROM essays WHERE id = ?", (essay_id,)
        )
        if not rows:
            return None
        row = rows[0]
        digest, sketch = str(row["digest"] or ""), str(row["sketch"] or "")
        found = DocumentPrint(digest, identity.sketch_from_text(sketch)) if digest else None
        return EssayRecord(essay_id, str(row["title"] or ""), str(row["author"] or ""), found)

    def essays_with_digest(self, digest: str) -> list[str]:
        """The ids of the essays whose print has this digest (the same bytes)."""
        rows = self._read("SELECT id FROM essays WHERE digest = ? ORDER BY id", (digest,))
        return [str(row[0]) for row in rows]

    def join_essays(self, old: str, new: str) -> None:
        """File everything of essay `old` under `new`: the same document, known under
        two generated ids on two machines (the sync folder found it by its print). The
        later reading position is kept; `old` stays an alias of `new`, so notes filed
        under it later (an export, a reader still open) find their essay.

        Raises:
            StoreWriteError: nothing was changed.
        """

        def write(connection: sqlite3.Connection) -> None:
            connection.execute("UPDATE annotations SET essay_id = ? WHERE essay_id = ?", (new, old))
            connection.execute(
                "DELETE FROM positions WHERE essay_id = ? AND EXISTS (SELECT 1 FROM positions "
                "p WHERE p.essay_id = ? AND p.updated >= positions.updated)",
                (old, new),
            )
            connection.execute(
                "DELETE FROM positions WHERE essay_id = ? AND EXISTS "
                "(SELECT 1 FROM positions p WHERE p.essay_id = ?)",
                (new, old),
            )
            connection.execute("UPDATE positions SET essay_id = ? WHERE essay_id = ?", (new, old))
            connection.execute("UPDATE essay_paths SET essay_id = ? WHERE essay_id = ?", (new, old))
            connection.execute(
                "INSERT OR IGNORE INTO essays (id, digest, sketch, title, author, created) "
                "SELECT ?, digest, sketch, title, author, created FROM essays WHERE id = ?",
                (new, old),
            )
            connection.execute("DELETE FROM essays WHERE id = ?", (old,))
            connection.execute(
                "INSERT OR REPLACE INTO essay_aliases (alias, path, essay_id) VALUES (?, '', ?)",
                (old, new),
            )
            _refile_joined(connection)

        self._write(write)

    def refile_joined(self) -> int:
        """Move notes filed under an essay id joined into another since (`join_essays`)
        to that essay; how many moved.

        Raises:
            StoreWriteError: nothing was changed.
        """
        return self._write(_refile_joined)

    def essay_paths(self, essay_id: str) -> list[str]:
        """Every path the essay was read from, most recent first."""
        rows = self._read(
            "SELECT path FROM essay_paths WHERE essay_id = ? ORDER BY seen DESC, path",
            (essay_id,),
        )
        return [str(row[0]) for row in rows]

    # -- finding notes across essays -------------------------------------------------------

    def search_notes(self, query: str, limit: int = SEARCH_LIMIT) -> list[NoteHit]:
        """Live annotations of every essay whose quote, note or tags hold every word of
        `query` (each as a prefix: "grievan" finds "grievances"), best matches first.

        Raises:
            StoreError: the store cannot be read.
        """
        terms = search_terms(query)
        if not terms:
            return []
        columns = ", ".join(f"a.{c.strip()}" for c in _ANNOTATION_COLUMNS.split(","))
        titles = (
            "coalesce(nullif((SELECT e.title FROM essays e WHERE e.id = a.essay_id), ''), "
            "(SELECT p.title FROM positions p WHERE p.essay_id = a.essay_id), '')"
        )
        if self._has_note_search():
            rows = self._read(
                f"SELECT {columns}, {titles} AS essay_title, "
                # the quote around the match (its opening when the match is elsewhere)
                f"snippet({NOTE_SEARCH_TABLE}, 1, '', '', '…', 24) AS found "
                f"FROM {NOTE_SEARCH_TABLE} f JOIN annotations a ON a.id = f.id "
                f"WHERE {NOTE_SEARCH_TABLE} MATCH ? AND a.deleted IS NULL "
                "ORDER BY f.rank, a.modified DESC LIMIT ?",
                (" ".join(terms), limit),
            )
        else:
            words = [term[1:-2] for term in terms]
            where = " AND ".join(
                "(a.exact LIKE ? ESCAPE '\\' OR a.note LIKE ? ESCAPE '\\' "
                "OR a.tags LIKE ? ESCAPE '\\')"
                for _ in words
            )
            patterns: list[object] = []
            for word in words:
                like = "%" + re.sub(r"([%_\\])", r"\\\1", word) + "%"
                patterns += [like, like, like]
            rows = self._read(
                f"SELECT {columns}, {titles} AS essay_title, '' AS found FROM annotations a "
                f"WHERE {where} AND a.deleted IS NULL ORDER BY a.modified DESC LIMIT ?",
                (*patterns, limit),
            )
        hits: list[NoteHit] = []
        for row in rows:
            found = self._annotations([row])
            if found:
                annotation = found[0]
                snippet = " ".join(str(row["found"] or annotation.exact).split())
                hits.append(
                    NoteHit(
                        annotation, str(row["essay_title"] or ""), annotation.essay_path, snippet
                    )
                )
        return hits

    def _has_note_search(self) -> bool:
        rows = self._read(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (NOTE_SEARCH_TABLE,)
        )
        return bool(rows)

    def tags_in_use(self) -> list[str]:
        """Every tag on a live annotation, the most used first (for completing a tag).

        Raises:
            StoreError: the store cannot be read.
        """
        rows = self._read(
            "SELECT t.value, count(*) FROM annotations a, json_each(a.tags) t "
            "WHERE a.deleted IS NULL AND json_valid(a.tags) AND json_type(a.tags) = 'array' "
            "AND t.type = 'text' GROUP BY t.value ORDER BY 2 DESC, 1"
        )
        return [str(row[0]) for row in rows]

    # -- settings ---------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting (e.g. "theme"), or `default`."""
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: str, *, wait: bool = True) -> None:
        """Store a setting.

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        self._write(
            lambda connection: connection.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (storable(key), storable(value)),
            ),
            wait=wait,
        )

    # -- change detection ---------------------------------------------------------------

    def data_version(self) -> int:
        """A number that changes when another connection commits a change.

        Cheap enough to poll: compare with the last value to know whether to
        reload the Notes pane.
        """
        return int(self._read("PRAGMA data_version")[0][0])


class _Document:
    """The document being identified: its path and, computed once when needed, its
    print and file state."""

    def __init__(self, path: str | None, source: bytes | None) -> None:
        self.path = path
        self._source = source
        self._print: DocumentPrint | None = None

    def print(self) -> DocumentPrint:
        if self._print is None:
            found = None
            if self._source is not None:
                found = identity.print_of_bytes(self._source)
            elif self.path is not None:
                found = identity.read_print(self.path)
            self._print = found or DocumentPrint("", ())
        return self._print

    def state(self) -> tuple[int, int] | None:
        if self._source is not None or self.path is None:
            return None
        return identity.file_state(self.path)


def _check_base(connection: sqlite3.Connection, base: Annotation) -> None:
    """Inside a write: raise `EditConflict` unless `base` is the version stored."""
    row = connection.execute(
        f"SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE id = ?", (base.id,)
    ).fetchone()
    if row is None:
        return  # the update finds no row: UnknownAnnotation
    try:
        current = _annotation_from_row(row)
    except _BadRow:
        current = None
    if current is None or (current.modified, current.deleted) != (base.modified, base.deleted):
        deleted = current is not None and current.is_deleted and not base.is_deleted
        raise EditConflict(
            "That note was " + ("deleted" if deleted else "changed") + " since it was opened.",
            current,
        )


def _refile_joined(connection: sqlite3.Connection) -> int:
    """Notes under a generated id joined into another (`join_essays`) go to that one.

    Only aliases between generated ids with no path: those of migration 3 (a title hash
    split by path) route imports, and are left to `merge`.
    """
    cursor = connection.execute(
        "UPDATE annotations SET essay_id = (SELECT a.essay_id FROM essay_aliases a "
        "WHERE a.alias = annotations.essay_id AND a.path = '') WHERE essay_id IN "
        "(SELECT alias FROM essay_aliases WHERE path = '' AND alias LIKE 'doc-%' "
        "AND essay_id LIKE 'doc-%')"
    )
    return cursor.rowcount


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
