"""One bounded read of a regular file, for everything essaytui opens by name.

A file given by name may be a FIFO (opening it waits for a writer), a device (it
never ends), a /proc file (its size says 0) or one growing while it is read. So:
what is not a regular file is refused before it is opened, the file is opened
without blocking and checked again once open (a FIFO swapped in meanwhile), and the
size cap holds while reading, whatever `stat` said.
"""

from __future__ import annotations

import os
import stat
from enum import Enum
from pathlib import Path
from typing import Protocol

#: Bytes asked for at a time by `read_at_most`.
_READ_CHUNK = 1 << 20


class Readable(Protocol):
    """A binary stream (a file, standard input, a member of a zip archive)."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; b"" at the end."""
        ...


class Refusal(Enum):
    """Why a file was not read."""

    MISSING = "no such file"
    DIRECTORY = "is a directory"
    NOT_REGULAR = "is not a regular file"
    TOO_LARGE = "is too large"
    UNREADABLE = "cannot be read"


class FileRefused(Exception):
    """A file `read_regular_file` did not read; the caller words the message.

    Attributes:
        refusal: why.
        size: the size `stat` gave, for a file too large before reading (else None).
        cause: the OSError behind a missing or unreadable file (else None).
    """

    def __init__(
        self, refusal: Refusal, *, size: int | None = None, cause: OSError | None = None
    ) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.size = size
        self.cause = cause

    @property
    def reason(self) -> str:
        """The OS's words for a missing or unreadable file ("permission denied", …)."""
        if isinstance(self.cause, PermissionError):
            return "permission denied"
        if self.cause is not None:
            return str(self.cause.strerror or self.cause)
        return self.refusal.value


def read_at_most(stream: Readable, limit: int) -> bytes:
    """Up to `limit + 1` bytes of `stream`: more than `limit` means "too large".

    For what has no trustworthy size (standard input, /proc files, a zip member): the cap is counted
    while reading, and nothing is allocated up front.
    """
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def size_text(size: int) -> str:
    """A size in bytes as a reader says it: "3.2 MB", "12.0 KB", "512 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises:
        FileRefused: it is missing, a folder, not a regular file, larger than
            `limit`, or cannot be read.
    """
    try:
        info = path.stat()
    except FileNotFoundError as error:
        raise FileRefused(Refusal.MISSING, cause=error) from None
    except OSError as error:
        raise FileRefused(Refusal.UNREADABLE, cause=error) from None
    _check(info.st_mode)
    if info.st_size > limit:
        raise FileRefused(Refusal.TOO_LARGE, size=info.st_size)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as error:
        raise FileRefused(Refusal.MISSING, cause=error) from None
    except IsADirectoryError:
        raise FileRefused(Refusal.DIRECTORY) from None
    except OSError as error:
        raise FileRefused(Refusal.UNREADABLE, cause=error) from None
    with os.fdopen(descriptor, "rb") as handle:
        _check(os.fstat(handle.fileno()).st_mode)
        try:
            data = read_at_most(handle, limit)
        except OSError as error:
            raise FileRefused(Refusal.UNREADABLE, cause=error) from None
    if len(data) > limit:
        raise FileRefused(Refusal.TOO_LARGE)
    return data


def _check(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise FileRefused(Refusal.DIRECTORY)
    if not stat.S_ISREG(mode):
        raise FileRefused(Refusal.NOT_REGULAR)
