"""Which document an essay is: the identity its notes and reading position are filed under.

A title is not an identity: every Rust RFC's first heading is "Summary", every other
README starts with "Introduction", and once such files shared their notes.
The scheme (design §4), applied by `AnnotationStore.identify`:

1. A front-matter ``id`` wins: the author said which essay this is.
2. Otherwise the essay is keyed by the document itself: the path where it was first
   read, plus a `DocumentPrint` of its bytes.

   - A path seen before is that path's essay, however much the file was edited.
   - A new path is looked up by its print: the same bytes (the same file opened from
     a second path, or a copy) are the same essay; a *close* print whose recorded
     paths no longer exist or no longer hold that document (the file was moved or
     renamed, perhaps lightly edited) is that essay, and the new path is recorded;
     anything else is a new essay, with an id made from the path and the digest.

The print is cheap enough for start-up and is only taken when the path is new (or the
file at a known path changed size or time): at most `HEAD_BYTES` from the start of the
file and `TAIL_BYTES` from its end are read, whatever the file's size (~2 ms).

- ``digest``: sha256 of the head, the tail and the byte size — "the same bytes"
  without hashing a multi-megabyte file.
- ``sketch``: a MinHash *bottom-k* sketch of the head's word 3-shingles: the text is
  case-folded and split on white space, every run of three words is hashed (CRC-32 of
  its UTF-8), and the `SKETCH_SIZE` smallest distinct hashes are kept. Two sketches
  estimate the Jaccard similarity of the two shingle sets (Broder 1997): among the
  k smallest hashes of their union, the fraction present in both. Unrelated texts
  score ~0 (two RFCs sharing their template headings: < 0.05); the same text with
  paragraphs changed, added or removed scores ~0.5-0.95. `CLOSE_SIMILARITY` is the
  line between them.

The reader's parse gives every essay without a front-matter id a provisional id, the
old hash of title and author (`title_hash`): `declared_id` tells the two apart, and the
store replaces the provisional one.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path

from essaytui.model.essay import Essay

#: Bytes read from the start of a document for its print.
HEAD_BYTES = 16 * 1024
#: Bytes read from its end (so a copy with a changed ending is not "the same bytes").
TAIL_BYTES = 4 * 1024
#: How many hashes a sketch keeps.
SKETCH_SIZE = 128
#: Estimated Jaccard similarity from which two prints are the same document, edited.
CLOSE_SIMILARITY = 0.45
#: Words per shingle.
SHINGLE_WORDS = 3
#: Prefix of the ids made by `new_essay_id`.
GENERATED_PREFIX = "doc-"
#: Prefix of a book's id, made from its package identifier (`model.epub`).
BOOK_PREFIX = "book-"

#: Hexadecimal digits of a hash id (`title_hash`, `new_essay_id`).
ID_DIGITS = 16

_TITLE_HASH = re.compile(rf"[0-9a-f]{{{ID_DIGITS}}}")


@dataclass(frozen=True, slots=True)
class DocumentPrint:
    """What a document's bytes look like: `digest` for equality, `sketch` for closeness."""

    digest: str
    sketch: tuple[int, ...]

    def similarity(self, other: DocumentPrint) -> float:
        """Estimated Jaccard similarity of the two documents' word shingles (0..1)."""
        return sketch_similarity(self.sketch, other.sketch)

    def is_close(self, other: DocumentPrint) -> bool:
        """True if `other` is the same bytes or the same document lightly edited."""
        if self.digest and self.digest == other.digest:
            return True
        return self.similarity(other) >= CLOSE_SIMILARITY

    def sketch_text(self) -> str:
        """The sketch as stored: hexadecimal hashes separated by spaces."""
        return " ".join(f"{value:x}" for value in self.sketch)


def sketch_from_text(stored: str) -> tuple[int, ...]:
    """A sketch from `DocumentPrint.sketch_text` (junk gives an empty sketch)."""
    try:
        return tuple(sorted({int(part, 16) for part in stored.split()}))[:SKETCH_SIZE]
    except ValueError:
        return ()


def sketch_similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """The bottom-k estimate of the Jaccard similarity of two sketches."""
    if not first or not second:
        return 0.0
    a, b = set(first), set(second)
    union = heapq.nsmallest(SKETCH_SIZE, a | b)
    both = sum(1 for value in union if value in a and value in b)
    return both / len(union)


def sketch_of(text: str) -> tuple[int, ...]:
    """The bottom-k MinHash sketch of `text`'s word 3-shingles."""
    words = text.casefold().split()
    if len(words) < SHINGLE_WORDS:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = {" ".join(run) for run in zip(words, words[1:], words[2:], strict=False)}
    hashes = set(map(zlib.crc32, (shingle.encode("utf-8", "replace") for shingle in shingles)))
    return tuple(sorted(heapq.nsmallest(SKETCH_SIZE, hashes)))


def print_of(head: bytes, tail: bytes, size: int, text: str | None = None) -> DocumentPrint:
    """The print of a document of `size` bytes that starts with `head` and ends with `tail`
    (`text`: the words to sketch, when the bytes are not text, as a book's zip is not)."""
    digest = hashlib.sha256()
    digest.update(head)
    digest.update(b"\0")
    digest.update(tail)
    digest.update(f"\0{size}".encode())
    if text is None:
        # A multi-byte character cut at HEAD_BYTES decodes to one U+FFFD: the same in
        # every copy.
        text = head.decode("utf-8", "replace")
    return DocumentPrint(digest.hexdigest(), sketch_of(text))


def print_of_bytes(data: bytes) -> DocumentPrint:
    """The print of a document held in memory (e.g. read from standard input)."""
    return print_of(data[:HEAD_BYTES], data[-TAIL_BYTES:] if data else b"", len(data))


def read_print(path: str | os.PathLike[str]) -> DocumentPrint | None:
    """The print of the regular file at `path`, or None if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None
            size = info.st_size
            head = handle.read(HEAD_BYTES)
            if size > HEAD_BYTES + TAIL_BYTES:
                handle.seek(size - TAIL_BYTES)
                tail = handle.read(TAIL_BYTES)
            else:
                tail = (head + handle.read(TAIL_BYTES))[-TAIL_BYTES:]
    except (OSError, ValueError):
        return None
    return print_of(head, tail, size, _book_text(path, head))


def _book_text(path: str | os.PathLike[str], head: bytes) -> str | None:
    """The start of a book's text when the file is an EPUB (its bytes are compressed)."""
    from essaytui.model.epub.errors import looks_like_epub

    if not looks_like_epub(head[:64]):
        return None
    from essaytui.model.epub.sample import text_sample

    return text_sample(Path(path), HEAD_BYTES)


def file_state(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """`(size, mtime_ns)` of the file at `path`: a cheap "has it changed?" check."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_size, info.st_mtime_ns


def title_hash(title: str, author: str) -> str:
    """The id essaytui gave essays without a front-matter id before ids were the document's."""
    return hashlib.sha256(f"{title}\0{author}".encode("utf-8", "replace")).hexdigest()[:ID_DIGITS]


def declared_id(essay: Essay) -> str | None:
    """The essay's front-matter id, or None when its id is the parse's provisional one."""
    if essay.id == title_hash(essay.title, essay.author):
        return None
    return essay.id


def looks_like_title_hash(essay_id: str) -> bool:
    """True if `essay_id` has the shape of a `title_hash` (16 hexadecimal digits)."""
    return _TITLE_HASH.fullmatch(essay_id) is not None


def is_generated(essay_id: str) -> bool:
    """True if `essay_id` was made by `new_essay_id`, not written in a front matter."""
    return essay_id.startswith(GENERATED_PREFIX)


def is_book_id(essay_id: str) -> bool:
    """True if `essay_id` was made from a book's package identifier: a file with that
    identifier may still be another file (a damaged copy), unlike a front-matter id,
    which its author wrote."""
    return essay_id.startswith(BOOK_PREFIX)


def new_essay_id(path: str | None, digest: str) -> str:
    """The id of a new essay first read at `path` (None: standard input) with `digest`.

    Deterministic, so the read-only lookup of `essaytui export` names the same essay
    the reader would have made.
    """
    key = f"{path or ''}\0{digest}".encode("utf-8", "replace")
    return GENERATED_PREFIX + hashlib.sha256(key).hexdigest()[:ID_DIGITS]


def resolved_path(path: str | os.PathLike[str]) -> str:
    """`path` made absolute with symbolic links resolved, as essays record it."""
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return str(Path(path).absolute())
