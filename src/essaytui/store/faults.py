"""What a failed SQLite call means: busy, damaged, read-only, a failing disk; and how
long a call waits for another connection's lock."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

# SQLite primary result codes that mean the file itself is damaged.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_FULL = 13
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14
_SQLITE_IOERR = 10


def error_code(error: sqlite3.Error) -> int:
    code = getattr(error, "sqlite_errorcode", None)
    return (code & 0xFF) if isinstance(code, int) else -1


def _means(
    error: sqlite3.Error, codes: tuple[int, ...], words: tuple[str, ...], *, squeeze: bool = False
) -> bool:
    """True if `error` has one of SQLite's result `codes`, or (from an SQLite that does not
    give its code) its message holds one of `words` (spaces and dashes `squeeze`d out)."""
    if error_code(error) in codes:
        return True
    message = str(error).lower()
    if squeeze:
        message = message.replace(" ", "").replace("-", "")
    return any(word in message for word in words)


def is_busy(error: sqlite3.Error) -> bool:
    """Another connection holds the lock."""
    return _means(error, (_SQLITE_BUSY, _SQLITE_LOCKED), ("locked", "busy"))


@contextlib.contextmanager
def busy_timeout(connection: sqlite3.Connection, milliseconds: int, usual: int) -> Iterator[None]:
    """SQLite's own wait for a lock: `milliseconds` for the statements run inside (0: none,
    busy at once), `usual` (what the connection was opened with) again after."""
    if milliseconds == usual:
        yield
        return
    connection.execute(f"PRAGMA busy_timeout = {milliseconds}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA busy_timeout = {usual}")


def is_corrupt(error: sqlite3.Error) -> bool:
    """The file is not a database, or a damaged one."""
    return _means(error, (_SQLITE_CORRUPT, _SQLITE_NOTADB), ("not a database", "malformed"))


def is_read_only(error: sqlite3.Error) -> bool:
    """The file or its folder cannot be written (or its -wal/-shm files made)."""
    return _means(
        error, (_SQLITE_READONLY, _SQLITE_CANTOPEN), ("readonly", "unabletoopen"), squeeze=True
    )


def is_disk_fault(error: sqlite3.Error) -> bool:
    """A full disk, or one that fails to write (SQLite's "disk I/O error")."""
    return _means(error, (_SQLITE_IOERR, _SQLITE_FULL), ("disk i/o error", "disk is full"))


def explain(error: sqlite3.Error) -> str:
    """A reader-facing sentence for a failed write."""
    code = error_code(error)
    if code == _SQLITE_FULL or "full" in str(error).lower():
        return f"the disk is full ({error})"
    if is_busy(error):
        return f"another essaytui kept the notes database locked too long ({error})"
    if _means(error, (), ("readonly",), squeeze=True):
        return f"the notes database is read-only ({error})"
    return f"the notes database could not be written ({error})"
