"""What a failed SQLite call means: busy, damaged, read-only, a failing disk."""

from __future__ import annotations

import sqlite3

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


def is_busy(error: sqlite3.Error) -> bool:
    code = error_code(error)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return True
    message = str(error).lower()
    return "locked" in message or "busy" in message


def is_corrupt(error: sqlite3.Error) -> bool:
    if error_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def is_read_only(error: sqlite3.Error) -> bool:
    if error_code(error) in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
        return True
    message = str(error).lower().replace(" ", "").replace("-", "")
    return "readonly" in message or "unabletoopen" in message


def is_disk_fault(error: sqlite3.Error) -> bool:
    """A full disk, or one that fails to write (SQLite's "disk I/O error")."""
    if error_code(error) in (_SQLITE_IOERR, _SQLITE_FULL):
        return True
    message = str(error).lower()
    return "disk i/o error" in message or "disk is full" in message


def explain(error: sqlite3.Error) -> str:
    """A reader-facing sentence for a failed write."""
    code = error_code(error)
    if code == _SQLITE_FULL or "full" in str(error).lower():
        return f"the disk is full ({error})"
    if is_busy(error):
        return f"another essaytui kept the notes database locked too long ({error})"
    if "readonly" in str(error).lower().replace(" ", "").replace("-", ""):
        return f"the notes database is read-only ({error})"
    return f"the notes database could not be written ({error})"
