"""Derived data kept under the user cache directory: the files and how they are written.

A cache entry is one file named by a key derived from the bytes it was made from, so a
changed file is a different name and an entry is never out of date, only unused. Writes
go to a temporary file renamed into place, so a reader never sees half a file; the
folder keeps the most recently written entries. Callers store data formats (JSON), never
code: nothing here unpickles or evaluates. Converted books (`model.epub.cache`) and
parsed essays (`model.essay_cache`) are kept this way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def file_key(path: Path) -> str:
    """The sha256 of the file's bytes (read in pieces; ~20 ms for 10 MB).

    Raises:
        OSError: it cannot be read.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_entry(entry: Path, max_bytes: int) -> bytes | None:
    """The bytes of a cache entry, or None when it is missing, unreadable or larger
    than `max_bytes`."""
    try:
        if entry.stat().st_size > max_bytes:
            return None
        return entry.read_bytes()
    except OSError:
        return None


def write_entry(entry: Path, pieces: Iterable[bytes]) -> bool:
    """Write `pieces` as the entry's file, atomically; False when it cannot be written
    (a cache that cannot be written is no loss, only slower)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                for piece in pieces:
                    out.write(piece)
            os.replace(temporary, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


def prune(folder: Path, keep: int) -> None:
    """Delete all but the `keep` most recently written entries of `folder`."""
    with contextlib.suppress(OSError):
        found = [(p.stat().st_mtime, p) for p in folder.glob("*.json")]
        found.sort(reverse=True)
        for _, old in found[keep:]:
            with contextlib.suppress(OSError):
                old.unlink()
