"""Reading an EPUB's zip archive without trusting it.

Nothing is extracted to disk: members are read into memory by name, each read capped
twice — by the size the archive declares (refused before reading when too large, or
compressed implausibly well: a zip bomb) and by the bytes actually produced — and all
reads of one book share a budget. Member names are never used as paths on disk; a name
with ``..`` or a leading ``/`` is simply not found.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import BinaryIO

from essaytui.model.epub.errors import BookError, MemberError
from essaytui.model.regular_file import read_at_most, size_text

#: The largest member read (a chapter of XHTML; a 50 MB chapter is refused).
MAX_MEMBER_BYTES = 16 * 1024 * 1024

#: Bytes one book may decompress in all (a long novel is ~2-10 MB of XHTML).
MAX_BOOK_BYTES = 256 * 1024 * 1024

#: Deflate compresses at most ~1030:1; text rarely beyond 20:1. Above this ratio a
#: member over `_BOMB_FLOOR` bytes is a zip bomb.
MAX_RATIO = 200
_BOMB_FLOOR = 1024 * 1024

#: Members listed in a book at most (a book of 10,000 chapters has ~10,050).
MAX_MEMBERS = 100_000


class Archive:
    """The members of an EPUB, read by name with capped sizes."""

    def __init__(self, source: Path | BinaryIO, name: str) -> None:
        """Open the archive at `source` (a path, or a seekable stream of its bytes).

        Raises:
            BookError: it is not a zip archive, or a broken one.
        """
        self.name = name
        try:
            self._zip = zipfile.ZipFile(source)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise BookError(f"{name}: is not an EPUB (not a readable zip archive)") from None
        if len(infos) > MAX_MEMBERS:
            raise BookError(
                f"{name}: has too many files inside ({len(infos):,}; the limit is {MAX_MEMBERS:,})"
            )
        self._members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            clean = _clean_name(info.filename)
            if clean is not None and not info.is_dir():
                self._members.setdefault(clean, info)
        self._spent = 0

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()

    def __contains__(self, name: str) -> bool:
        return name in self._members

    def names(self) -> list[str]:
        """Every member's (clean) name, in the archive's order."""
        return list(self._members)

    def declared_size(self, name: str) -> int:
        """The uncompressed size the archive declares for `name` (0 if not there)."""
        info = self._members.get(name)
        return info.file_size if info is not None else 0

    def read(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """The bytes of member `name`.

        Raises:
            MemberError: no such member, too large, a zip bomb, broken, or the book's
                budget is spent (the message says which, in a few words).
        """
        info = self._members.get(name)
        if info is None:
            raise MemberError("is missing from the book")
        if info.flag_bits & 0x1:
            raise MemberError("is encrypted")
        if info.file_size > limit:
            raise MemberError(
                f"is too large ({size_text(info.file_size)}; the limit is {size_text(limit)})"
            )
        if info.file_size > _BOMB_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise MemberError("is compressed implausibly well (a zip bomb?)")
        if self._spent + info.file_size > MAX_BOOK_BYTES:
            raise MemberError(f"is past what one book may hold ({size_text(MAX_BOOK_BYTES)})")
        try:
            with self._zip.open(info) as stream:
                data = read_at_most(stream, limit)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise MemberError(f"is damaged ({_short(error)})") from None
        except RuntimeError:  # zipfile: "File is encrypted, password required"
            raise MemberError("is encrypted") from None
        self._spent += len(data)
        if len(data) > limit:
            raise MemberError(f"is too large (the limit is {size_text(limit)})")
        return data


def _clean_name(name: str) -> str | None:
    """A member's name as links name it, or None for a name that climbs out of the book
    (``../``) or starts at the root: such a member is never read."""
    name = name.replace("\\", "/")
    if name.startswith("/") or "\x00" in name:
        return None
    clean = posixpath.normpath(name)
    if clean == ".." or clean.startswith("../"):
        return None
    return clean


def resolve(base: str, href: str) -> str | None:
    """The member an `href` written in member `base` names (without its fragment), or
    None when it leaves the book or names another site."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return base
    if path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def _short(error: BaseException) -> str:
    return " ".join(str(error).split())[:80] or type(error).__name__
