"""Converted books, kept under the user cache directory so a book opens again at once.

One JSON file per book, named by the sha256 of the book file's bytes and the converter's
version: a changed file, or a new converter, is a different name. A file that cannot be
read, is not JSON, or does not have the expected shape is ignored (and overwritten by the
next conversion): the cache is derived data and never trusted blindly. Writes go to a
temporary file renamed into place, so a reader never sees half a file. Nothing is
pickled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from essaytui.model.cache import file_key, prune, read_entry, write_entry

__all__ = ["CachedBook", "file_key", "load", "store"]

#: Bumped whenever a change to the conversion changes its Markdown.
CONVERTER_VERSION = 7

#: The folder of converted books inside the cache directory.
BOOKS_FOLDER = "books"

#: Cached files larger than this are not read (a converted book is a few MB).
MAX_CACHED_BYTES = 512 * 1024 * 1024

#: Converted books kept at most; the least recently written go first.
MAX_CACHED_BOOKS = 64

_FORMAT = "essaytui-book"


@dataclass(frozen=True)
class CachedBook:
    """A book's conversion as cached: its Markdown, outline and warnings."""

    markdown: str
    outline: tuple[tuple[int, str, str], ...]
    warnings: tuple[str, ...]

    def with_text(self, markdown: str) -> CachedBook:
        """The same book with other Markdown (its start)."""
        return CachedBook(markdown, self.outline, self.warnings)


def _entry(folder: Path, key: str, head: bool = False) -> Path:
    part = ".head" if head else ""
    return folder / BOOKS_FOLDER / f"{key}-v{CONVERTER_VERSION}{part}.json"


def load(folder: Path, key: str, *, head: bool = False) -> CachedBook | None:
    """The cached conversion of the book with `key` (`head`: only its start, when one was
    kept), or None (missing or unusable)."""
    raw = read_entry(_entry(folder, key, head), MAX_CACHED_BYTES)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return _checked(data, key)


def _checked(data: object, key: str) -> CachedBook | None:
    if not isinstance(data, dict):
        return None
    if data.get("format") != _FORMAT or data.get("converter") != CONVERTER_VERSION:
        return None
    if data.get("key") != key:
        return None
    markdown, outline, warnings = data.get("markdown"), data.get("outline"), data.get("warnings")
    if not isinstance(markdown, str) or not isinstance(outline, list):
        return None
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        return None
    entries: list[tuple[int, str, str]] = []
    for item in outline:
        if not (isinstance(item, list) and len(item) == 3):
            return None
        level, title, anchor = item
        if not (isinstance(level, int) and isinstance(title, str) and isinstance(anchor, str)):
            return None
        entries.append((level, title, anchor))
    return CachedBook(markdown, tuple(entries), tuple(warnings))


def store(folder: Path, key: str, book: CachedBook, head: CachedBook | None = None) -> None:
    """Cache a book's conversion, and its start (`head`) apart when it has one; a cache
    that cannot be written is no loss, only slower."""
    if head is not None:
        _write(_entry(folder, key, head=True), key, head)
    if _write(_entry(folder, key), key, book):
        _prune(_entry(folder, key).parent)


def _write(entry: Path, key: str, book: CachedBook) -> bool:
    data = {
        "format": _FORMAT,
        "converter": CONVERTER_VERSION,
        "key": key,
        "markdown": book.markdown,
        "outline": [list(item) for item in book.outline],
        "warnings": list(book.warnings),
    }
    return write_entry(entry, [json.dumps(data, ensure_ascii=False).encode("utf-8")])


def _prune(books: Path) -> None:
    """Keep the `MAX_CACHED_BOOKS` most recently written conversions (and their starts)."""
    prune(books, 2 * MAX_CACHED_BOOKS)
