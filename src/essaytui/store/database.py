"""The notes database: opening, recovery, retries while locked, and following its file.

One file, `<data dir>/essaytui.sqlite3`, in WAL mode so a second reader
window can read while the first writes. Every write is one `BEGIN IMMEDIATE`
transaction committed before the method returns. Faults become `StoreError`s
with a plain message, and a damaged file is moved aside (never deleted). A
folder that cannot be written is opened read-only: the notes are shown, and
writes raise `StoreWriteError`.

**A locked database and the UI.** Another process may hold the
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
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote as url_quote

from essaytui import paths
from essaytui.model.annotation import Annotation
from essaytui.store.errors import StoreBusy, StoreError, StoreUnavailable, StoreWriteError
from essaytui.store.faults import (
    busy_timeout,
    explain,
    is_busy,
    is_corrupt,
    is_disk_fault,
    is_read_only,
)
from essaytui.store.rows import (
    BadRow,
    Position,
    annotation_from_row,
    decode,
    inert,
    position_from_row,
)
from essaytui.store.schema import DATABASE_NAME, MIGRATIONS, SCHEMA_VERSION

T = TypeVar("T")

#: How long SQLite itself waits for a lock in one attempt, holding the store's lock;
#: the store then retries (with its lock released) until LOCK_WAIT_SECONDS.
BUSY_TIMEOUT_MS = 100
#: How long a write keeps retrying a locked database before giving up.
LOCK_WAIT_SECONDS = 30.0
#: Warnings kept for the caller to show (bad rows, refused imports), at most.
MAX_WARNINGS = 200


def aside_name(database: Path, why: str) -> Path:
    """A dated name beside `database` that is not taken (`essaytui.sqlite3.<why>-<date>`)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}.{why}-{stamp}")
    counter = 2
    while aside.exists():
        aside = database.with_name(f"{database.name}.{why}-{stamp}-{counter}")
        counter += 1
    return aside


def move_aside(database: Path) -> Path:
    """Rename a damaged database (and its WAL files) to a dated name; return it."""
    aside = aside_name(database, "corrupt")
    os.replace(database, aside)
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    return aside


def file_identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of the file at `path`, or None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def copy_database(source: sqlite3.Connection, destination: Path) -> None:
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


def migrate_steps(connection: sqlite3.Connection, current: int) -> None:
    for migration in MIGRATIONS[current:]:
        for step in migration:
            _run_step(connection, step)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


class Database:
    """The connection to one notes database, shared by the store's rooms.

    Open with `Database.open(data_dir)` (raises `StoreUnavailable`) or
    `Database.in_memory(reason)`. Every read goes through `read`, every write
    through `write` (one transaction, retried while another process holds the lock).

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
        persistent: bool = True,
        problem: str | None = None,
        snapshot: sqlite3.Connection | None = None,
    ) -> None:
        """Open (creating and migrating) the database file `database`; or, given a
        `snapshot` (an in-memory copy of the unwritable file `database`), use that,
        read-only.

        Prefer `open`. `page_limit` caps the database size in pages
        (`PRAGMA max_page_count`); tests use it to fill the "disk".

        Raises:
            StoreUnavailable: the file cannot be opened, created or migrated.
        """
        self.read_only = snapshot is not None
        self.persistent = persistent and not self.read_only
        self.path: Path | None = Path(database) if persistent or self.read_only else None
        self.problem = inert(problem) if problem else None
        self.notice: str | None = None
        self.warnings: list[str] = []
        self._lock = threading.RLock()
        self._page_limit = None if self.read_only else page_limit
        self._busy_ms = BUSY_TIMEOUT_MS
        if snapshot is not None:
            self._connection = self._migrated_snapshot(snapshot, Path(database))
        else:
            target = str(database) if self.persistent else ":memory:"
            self._connection, self.notice = self._connect_or_move_aside(target)
        #: The file written to (device, inode): a write first checks it is still there.
        self._file = file_identity(self.path) if self.persistent and self.path else None

    def _migrated_snapshot(
        self, snapshot: sqlite3.Connection, database: Path
    ) -> sqlite3.Connection:
        """`snapshot` prepared and migrated in memory (closed when that fails).

        Raises:
            StoreUnavailable: the copy is damaged, or newer than this essaytui.
        """
        try:
            self._prepare(snapshot, persistent=False)
        except (sqlite3.Error, StoreUnavailable) as error:
            snapshot.close()
            if isinstance(error, StoreUnavailable):
                raise
            raise StoreUnavailable(
                inert(f"Notes cannot be read: the database {database} is damaged ({error}).")
            ) from error
        return snapshot

    def _connect_or_move_aside(self, target: str) -> tuple[sqlite3.Connection, str | None]:
        """A connection to `target`; a damaged file there is moved aside first (and the
        notice saying so returned with it).

        Raises:
            StoreUnavailable: the file cannot be opened, created or migrated.
        """
        try:
            return self._connect(target), None
        except sqlite3.DatabaseError as error:
            if not (self.persistent and is_corrupt(error)):
                raise StoreUnavailable(
                    inert(
                        f"Notes cannot be saved: the database {target} could not be opened "
                        f"({error})."
                    )
                ) from error
        assert self.path is not None
        aside = move_aside(self.path)
        notice = inert(
            f"The notes database was damaged; it was moved to {aside} and a new one was started."
        )
        try:
            return self._connect(target), notice
        except sqlite3.DatabaseError as second:
            raise StoreUnavailable(
                inert(
                    f"Notes cannot be saved: a new database {target} could not be made ({second})."
                )
            ) from second

    # -- opening ----------------------------------------------------------------

    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str] | None = None, *, page_limit: int | None = None
    ) -> Database:
        """The database in `paths.data_dir(data_dir)`, created if needed.

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
                inert(f"Notes cannot be saved: the folder {folder} cannot be created ({reason}).")
            ) from error
        if not folder.is_dir():
            raise StoreUnavailable(inert(f"Notes cannot be saved: {folder} is not a folder."))
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
            if is_read_only(cause):
                return cls._read_only(folder, database)
            # A full or failing disk: SQLite cannot even make its -shm file to read.
            if is_disk_fault(cause):
                problem = (
                    f"The disk holding the notes folder {folder} is full or failing "
                    f"({cause}): your notes are shown, but changes can't be saved."
                )
                return cls._read_only(folder, database, problem=problem)
            raise

    @classmethod
    def _read_only(cls, folder: Path, database: Path, *, problem: str | None = None) -> Database:
        """The notes of a database that cannot be written, copied into memory.

        SQLite opens it with `mode=ro`, or `immutable=1` when its -wal/-shm files
        cannot be made; the copy is migrated in memory, so an older database
        reads like a current one. Nothing is ever written to the folder.

        Raises:
            StoreUnavailable: there is no database to read, or it cannot be read.
        """
        if not database.is_file():
            raise StoreUnavailable(
                inert(f"Notes cannot be saved: the folder {folder} is not writable.")
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
                inert(
                    f"Notes cannot be read: the database {database} could not be opened ({last})."
                )
            ) from last
        return cls(
            database,
            problem=problem
            or f"The notes folder {folder} is read-only: your notes are shown, "
            "but changes can't be saved.",
            snapshot=snapshot,
        )

    @classmethod
    def in_memory(cls, reason: str = "") -> Database:
        """A store that lives only as long as this session (same API, `persistent=False`)."""
        return cls(":memory:", persistent=False, problem=reason or "notes are kept in memory")

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
        connection.text_factory = decode
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
                migrate_steps(connection, current)
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
                if not is_busy(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.2)

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        with self._lock:
            self._connection.close()

    # -- plumbing ---------------------------------------------------------------

    def warn(self, message: str) -> None:
        message = inert(message)
        if message not in self.warnings and len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)

    def take_warnings(self) -> list[str]:
        """The warnings gathered since the last call (and forget them)."""
        with self._lock:
            taken, self.warnings = self.warnings, []
        return taken

    def _attempts(self, action: Callable[[], T], *, wait: bool) -> T:
        """Run `action` under the store's lock, retrying while the database is busy.

        The lock is released between attempts, so other threads' reads and writes
        interleave with a long wait; `wait=False` makes one attempt that does not
        wait for SQLite's lock either.
        """
        deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait else 0.0)
        pause = 0.01
        while True:
            waits = BUSY_TIMEOUT_MS if wait else 0
            with self._lock, busy_timeout(self._connection, waits, self._busy_ms):
                try:
                    return action()
                except sqlite3.OperationalError as error:
                    if not is_busy(error):
                        raise
                    if time.monotonic() >= deadline:
                        if not wait:
                            raise StoreBusy(
                                "Not saved yet: another essaytui is writing to the notes database."
                            ) from error
                        raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    def write(self, action: Callable[[sqlite3.Connection], T], *, wait: bool = True) -> T:
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
            raise StoreWriteError(inert(f"Could not save: {explain(error)}.")) from error

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
        found = file_identity(self.path)
        if found == self._file:
            return
        database, old = self.path, self._connection
        try:
            database.parent.mkdir(parents=True, exist_ok=True)
            copy = aside_name(database, "restored" if found is None else "replaced")
            copy_database(old, copy)
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
                inert(
                    f"Could not save: the notes database {database} was removed or replaced, "
                    f"and a new one could not be made ({error})."
                )
            ) from error
        self._connection, self._file = connection, file_identity(database)
        self.warn(said)
        if notice:
            self.warn(notice)

    def read(self, sql: str, parameters: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self._attempts(
                lambda: self._connection.execute(sql, parameters).fetchall(), wait=True
            )
        except sqlite3.Error as error:
            raise StoreError(inert(f"Could not read the notes database ({error}).")) from error

    def _valid(
        self, rows: Iterable[sqlite3.Row], read: Callable[[sqlite3.Row], T], what: str, key: str
    ) -> list[T]:
        """`read` of every row, skipping (and reporting) damaged ones: they stay as they are."""
        found: list[T] = []
        for row in rows:
            try:
                found.append(read(row))
            except BadRow as why:
                self.warn(
                    f"{what} in the notes database is damaged ({why}; {str(row[key])[:40]}): "
                    "it is left as it is and not used"
                )
        return found

    def annotations(self, rows: Iterable[sqlite3.Row]) -> list[Annotation]:
        """The annotations the rows hold; damaged rows skipped and reported."""
        return self._valid(rows, annotation_from_row, "a note", "id")

    def positions(self, rows: Iterable[sqlite3.Row]) -> list[Position]:
        """The reading positions the rows hold; damaged rows skipped and reported."""
        return self._valid(rows, position_from_row, "a reading position", "essay_id")

    def change_stamp(self) -> tuple[int, int, int]:
        """What changes whenever anything is committed to the database: by another
        connection (`PRAGMA data_version`) or by this one (its total changes); the
        connection's identity too, as `_follow_file` may open a new one.

        Raises:
            StoreError: the store cannot be read.
        """
        version = self.data_version()
        return id(self._connection), version, self._connection.total_changes

    def data_version(self) -> int:
        """A number that changes when another connection commits a change.

        Cheap enough to poll: compare with the last value to know whether to
        reload the Notes pane.
        """
        return int(self.read("PRAGMA data_version")[0][0])
