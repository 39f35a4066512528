"""EPUB books (2 and 3) as essays.

A book becomes essay Markdown — YAML front matter from its package's metadata, its
spine's documents through the web-page converter (`chapters`), its notes as footnotes —
and that Markdown is parsed like any essay. The book's own table of contents then
replaces the outline the headings would give. The rest of the reader never knows the
essay was a book.

The package: `archive` (the zip, read with caps, nothing extracted), `package` (the
OPF, metadata, spine, nav/NCX), `documents` (XHTML → element trees), `chapters` (the
conversion), `cache` (conversions kept by the book's bytes).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from essaytui.model.epub.errors import BookError, EncryptedBook, looks_like_epub
from essaytui.model.essay import Essay, Section
from essaytui.model.identity import BOOK_PREFIX

if TYPE_CHECKING:
    from essaytui.model.epub.package import Package

__all__ = [
    "BookError",
    "BookMarkdown",
    "EncryptedBook",
    "book_markdown",
    "is_book",
    "load_book",
    "looks_like_epub",
]

#: The file name ending of a book.
EPUB_SUFFIX = ".epub"

#: Book files larger than this are refused (pictures make books large; text rarely).
MAX_BOOK_FILE = 1024 * 1024 * 1024

#: The prefix of a book's id (made from its package identifier).
ID_PREFIX = BOOK_PREFIX

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

#: Wide enough that PyYAML never folds a front matter value.
_YAML_WIDTH = 10_000


@dataclass(frozen=True)
class BookMarkdown:
    """A book as essay Markdown.

    Attributes:
        markdown: front matter, the chapters, the footnotes' definitions.
        outline: `(level, title, anchor id)` of the book's table of contents.
        warnings: one line each.
        complete: False when only the first part was converted.
    """

    markdown: str
    outline: tuple[tuple[int, str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    complete: bool = True


def is_book(path: Path) -> bool:
    """Whether `path` names an EPUB: by its name, or by its first bytes (never blocks: only
    a regular file is looked into)."""
    if path.suffix.lower() == EPUB_SUFFIX:
        return True
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return False
        with path.open("rb") as handle:
            return looks_like_epub(handle.read(64))
    except OSError:
        return False


def book_markdown(
    path: Path | None,
    *,
    data: bytes | None = None,
    enough: int | None = None,
    cache_dir: Path | None = None,
) -> BookMarkdown:
    """The book at `path` (or its bytes, `data`) as essay Markdown.

    Args:
        enough: convert only until about this many characters are written (the first
            screen); a cached conversion is always whole.
        cache_dir: where conversions are cached (None: not cached).

    Raises:
        BookError: the book cannot be read (`EncryptedBook`: DRM).
    """
    from essaytui.model.epub import cache

    name = str(path) if path is not None else "standard input"
    key = _key(path, data, name)
    if cache_dir is not None:
        # the first screen reads the cached start of the book (~0.3 MB), not all of it
        head = enough is not None and _FIRST_PART_FACTOR * enough <= HEAD_CHARS
        cached = cache.load(cache_dir, key, head=True) if head else None
        if cached is not None:
            return BookMarkdown(cached.markdown, cached.outline, cached.warnings, False)
        cached = cache.load(cache_dir, key)
        if cached is not None:
            return BookMarkdown(cached.markdown, cached.outline, cached.warnings)
    converted = _convert(path, data, name, enough)
    if cache_dir is not None and converted.complete:
        whole = cache.CachedBook(converted.markdown, converted.outline, converted.warnings)
        start = _first_part(converted.markdown, HEAD_CHARS)
        cache.store(cache_dir, key, whole, None if start is None else whole.with_text(start))
    return converted


def _key(path: Path | None, data: bytes | None, name: str) -> str:
    from essaytui.model.epub import cache

    if data is not None or path is None:
        return hashlib.sha256(data or b"").hexdigest()
    _check_file(path, name)
    try:
        return cache.file_key(path)
    except OSError as error:
        raise BookError(f"{name}: cannot be read: {error.strerror or error}") from None


def _check_file(path: Path, name: str) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BookError(f"{name}: no such file") from None
    except OSError as error:
        raise BookError(f"{name}: cannot be read: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise BookError(f"{name}: is a directory, not an essay file")
    if not stat.S_ISREG(info.st_mode):
        raise BookError(f"{name}: is not a regular file")
    if info.st_size > MAX_BOOK_FILE:
        raise BookError(f"{name}: is too large a book ({info.st_size / 2**20:.0f} MB)")


def _convert(path: Path | None, data: bytes | None, name: str, enough: int | None) -> BookMarkdown:
    from essaytui.model.epub.archive import Archive
    from essaytui.model.epub.chapters import convert_book
    from essaytui.model.epub.package import read_package

    archive = Archive(io.BytesIO(data or b"") if path is None else path, name)
    try:
        package = read_package(archive)
        text = convert_book(archive, package, enough=enough)
    finally:
        archive.close()
    front = _front_matter(package, text.cover, name, text.glossary)
    parts = [front, *text.chapters]
    for label, definition in text.notes:
        indented = "\n".join(
            f"    {line}" if line.strip() else "" for line in definition.split("\n")
        )
        parts.append(f"[^{label}]: " + indented.strip())
    markdown = "\n\n".join(part for part in parts if part) + "\n"
    warnings = [*package.warnings, *text.warnings]
    return BookMarkdown(markdown, tuple(text.outline), tuple(warnings), text.complete)


def _front_matter(
    package: Package, cover: str, name: str, glossary: list[tuple[tuple[str, ...], str]]
) -> str:
    import yaml

    front: dict[str, object] = {}
    if is_distinctive(package.identifier):
        digest = hashlib.sha256(package.identifier.strip().encode("utf-8", "replace"))
        front["id"] = ID_PREFIX + digest.hexdigest()[:16]
    front["title"] = package.title or Path(name).stem
    people = package.people
    authors = people.get("author", [])
    if authors:
        front["author"] = authors if len(authors) > 1 else authors[0]
    for role, names in people.items():
        if role != "author":
            front[role] = ", ".join(names)
    meta = package.meta
    for key in ("series", "part", "publisher", "language", "identifier", "isbn"):
        if meta.get(key):
            front[key] = meta[key]
    date = _DATE.match(meta.get("date", "").strip())
    if date:
        front["date"] = date.group(0)
    if cover:
        front["cover"] = cover
    front["type"] = "book"
    if glossary:
        # the book's own glossary, read as an essay's front matter glossary is
        front["glossary"] = [
            {"term": names[0], "aliases": list(names[1:]), "def": definition}
            if len(names) > 1
            else {"term": names[0], "def": definition}
            for names, definition in glossary
        ]
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=_YAML_WIDTH)
    return "---\n" + dumped + "---"


#: Identifiers some tools write into every book they make: not an identity.
_PLACEHOLDER_IDS = frozenset(
    {"unknown", "none", "null", "isbn", "uuid", "bookid", "book-id", "id", "calibre", "epub",
     "urn:uuid:", "0", "1", "123456789", "0000000000", "0000000000000"}
)  # fmt: skip

#: Identifiers shorter than this are not taken as an identity either.
_MIN_ID_CHARS = 6


def is_distinctive(identifier: str) -> bool:
    """Whether a package identifier can name one book: not empty, not a placeholder, not
    all zeros. A book without one is known by its path and its text's fingerprint, as
    any other file (`essaytui.model.identity`)."""
    value = identifier.strip().lower()
    if len(value) < _MIN_ID_CHARS or value in _PLACEHOLDER_IDS:
        return False
    meaningful = value.rsplit(":", 1)[-1].replace("-", "").strip("0")
    return bool(meaningful)


def load_book(
    path: Path | None,
    *,
    data: bytes | None = None,
    limit: int | None = None,
    cache_dir: Path | None = None,
    source_path: str | None = None,
) -> Essay:
    """The book at `path` (or its bytes, `data`) as an `Essay`.

    Args:
        limit: parse (and, when it is not cached, convert) only about this many
            characters; the essay then has `complete=False`.
        cache_dir: where conversions are cached (None: not cached).
        source_path: the path the essay records (the resolved `path`).

    Raises:
        BookError: the book cannot be read.
    """
    from essaytui.model.parse import parse_essay
    from essaytui.model.text import sanitize_inline

    enough = limit + 1 if limit is not None else None
    book = book_markdown(path, data=data, enough=enough, cache_dir=cache_dir)
    source = book.markdown
    if limit is not None:
        source = _first_part(source, _FIRST_PART_FACTOR * limit) or source
    essay = parse_essay(source, path=source_path, limit=limit)
    essay = with_outline(essay, book.outline)
    warnings = tuple(sanitize_inline(w) for w in book.warnings) + essay.warnings
    complete = essay.complete and book.complete
    return dataclasses.replace(essay, warnings=warnings, complete=complete)


#: How much more than the first screen's limit of a cached book is given to the parse.
_FIRST_PART_FACTOR = 4

#: Characters of a book's start cached apart from the whole, for its first screen.
HEAD_CHARS = 256 * 1024

_REFERENCE = re.compile(r"\[\^(\d{1,6})\]")


def _first_part(markdown: str, chars: int) -> str | None:
    """The start of a book's Markdown (about `chars` characters, cut between blocks) and
    the definitions of the notes it refers to; None when the book is not much longer.

    The parse scans the whole source it is given before it cuts it at its limit (~0.3 s
    for 10 MB): given this instead, it keeps the same reading text."""
    notes_at = markdown.find("\n\n[^1]: ")
    cut = markdown.find("\n\n", chars)
    if cut < 0 or 0 <= notes_at <= cut:
        return None
    start = markdown[:cut]
    if notes_at < 0:
        return start + "\n"
    last = max((int(label) for label in _REFERENCE.findall(start)), default=0)
    if not last:
        return start + "\n"
    end = markdown.find(f"\n\n[^{last + 1}]: ", notes_at)
    return start + markdown[notes_at : end if end >= 0 else len(markdown)] + "\n"


def with_outline(essay: Essay, outline: tuple[tuple[int, str, str], ...]) -> Essay:
    """`essay` with the book's table of contents as its sections (where its entries'
    anchors are in the text); the headings' outline when none is."""
    from essaytui.model.text import sanitize_inline

    placed = [
        (essay.anchors[anchor], level, sanitize_inline(title))
        for level, title, anchor in outline
        if anchor in essay.anchors
    ]
    if not placed:
        return essay
    placed.sort(key=lambda entry: entry[0])
    length = len(essay.reading_text)
    rows: list[list[int | str]] = []  # [start, level, title, end, parent]
    open_stack: list[int] = []
    for start, level, title in placed:
        while open_stack and int(rows[open_stack[-1]][1]) >= level:
            rows[open_stack.pop()][3] = start
        parent = open_stack[-1] if open_stack else -1
        rows.append([start, level, title, length, parent])
        open_stack.append(len(rows) - 1)
    sections = tuple(
        Section(index, str(title), int(level), int(start), int(end), int(parent))
        for index, (start, level, title, end, parent) in enumerate(rows)
    )
    return dataclasses.replace(essay, sections=sections)
