"""The rows of the notes database as values: annotations, positions, essays, and
the checks that keep a damaged or hand-edited row from reaching the reader."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass
from typing import NamedTuple

from essaytui.model.annotation import Annotation, Kind
from essaytui.model.identity import DocumentPrint

_SURROGATE = re.compile("[\ud800-\udfff]")

ANNOTATION_COLUMNS = (
    "id, essay_id, essay_path, kind, exact, prefix, suffix, start_offset, end_offset, "
    "section_trail, note, color, tags, created, modified, deleted, text_hash"
)
POSITION_COLUMNS = (
    "essay_id, essay_path, title, author, top_offset, quote, text_hash, progress, updated"
)
INSERT_ANNOTATION = f"INSERT INTO annotations ({ANNOTATION_COLUMNS}) VALUES ({', '.join('?' * 17)})"
UPDATE_ANNOTATION = (
    "UPDATE annotations SET "
    + ", ".join(f"{column} = ?" for column in ANNOTATION_COLUMNS.split(", ")[1:])
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
class NoteTally:
    """What one essay holds of a reader's work: notes (a note kind, or any annotation with
    words), the other annotations (highlights, bookmarks), and the tags used on them."""

    notes: int
    highlights: int
    tags: tuple[str, ...]


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


class BadRow(ValueError):
    """A database row holds values essaytui never writes (edited by hand, or damaged)."""


def inert(text: str) -> str:
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


def decode(data: bytes) -> str:
    # A row written by another program may hold invalid UTF-8: show it, don't fail.
    return data.decode("utf-8", "replace")


def _json_strings(value: object, column: str) -> tuple[str, ...]:
    try:
        parsed = json.loads(str(value))
    except (TypeError, ValueError, RecursionError):
        raise BadRow(f"{column} is not JSON") from None
    if not isinstance(parsed, list) or not all(isinstance(entry, str) for entry in parsed):
        raise BadRow(f"{column} is not a list of strings")
    return tuple(parsed)


def _whole(value: object, column: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRow(f"{column} is not a whole number")
    return value


def _text(value: object, column: str) -> str:
    if not isinstance(value, str):
        raise BadRow(f"{column} is not text")
    return value


def annotation_from_row(row: sqlite3.Row) -> Annotation:
    """The annotation a row holds.

    Raises:
        BadRow: a value is not one essaytui writes.
    """
    try:
        kind = Kind(row["kind"])
    except ValueError:
        raise BadRow(f"kind {str(row['kind'])[:20]!r} is unknown") from None
    deleted = row["deleted"]
    if deleted is not None and not isinstance(deleted, str):
        raise BadRow("deleted is not text")
    start, end = _whole(row["start_offset"], "start"), _whole(row["end_offset"], "end")
    if end < start:
        raise BadRow("end is before start")
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


def annotation_values(a: Annotation) -> tuple[object, ...]:
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


def position_from_row(row: sqlite3.Row) -> Position:
    """The position a row holds.

    Raises:
        BadRow: a value is not one essaytui writes.
    """
    progress = row["progress"]
    if isinstance(progress, bool) or not isinstance(progress, int | float):
        raise BadRow("progress is not a number")
    if not math.isfinite(progress):
        raise BadRow("progress is not a finite number")
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
