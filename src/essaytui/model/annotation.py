"""Highlights, notes and bookmarks: what the reader marked, and where.

An annotation is addressed like everything else by code-point offsets into an
essay's reading text (a W3C TextPositionSelector), and it also keeps the quote
with 32 characters of context on each side (a TextQuoteSelector) so it can be
found again when the essay's text changes (see `essaytui.model.anchoring`).
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from essaytui.model.essay import Essay

#: Characters of context kept on each side of a quote.
CONTEXT_LENGTH = 32
#: The colour a highlight gets unless the reader picks another.
DEFAULT_COLOR = "yellow"


class Kind(StrEnum):
    """What the reader made."""

    HIGHLIGHT = "highlight"
    NOTE = "note"
    BOOKMARK = "bookmark"


class AnchorStatus(StrEnum):
    """How well an annotation was found again in the current reading text."""

    ANCHORED = "anchored"
    FUZZY = "fuzzy"
    NEEDS_REVIEW = "needs_review"
    ORPHAN = "orphan"


@dataclass(frozen=True, slots=True)
class Annotation:
    """One highlight, note or bookmark.

    Attributes:
        id: a uuid4, as a string; stays the same through edits, re-anchoring,
            export and import.
        essay_id: `Essay.id` of the essay it belongs to.
        essay_path: the essay file last seen ("" when unknown).
        kind: highlight, note or bookmark.
        exact: the quoted text, `reading_text[start:end]` when it was made.
        prefix: up to 32 characters before the quote.
        suffix: up to 32 characters after the quote.
        start: code-point offset of the quote in the reading text.
        end: one past the quote's last code point.
        section_trail: titles of the enclosing sections, outermost first.
        note: the reader's note (Markdown), "" for a plain highlight.
        color: highlight colour name.
        tags: the reader's tags.
        created: UTC ISO-8601 with milliseconds and `Z`.
        modified: like `created`; bumped by every edit.
        deleted: when it was deleted (same format), or None. Deleted
            annotations are kept so an old export cannot resurrect them.
        text_hash: `text_hash()` of the reading text it was last anchored to.
    """

    id: str
    essay_id: str
    essay_path: str
    kind: Kind
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    section_trail: tuple[str, ...] = ()
    note: str = ""
    color: str = DEFAULT_COLOR
    tags: tuple[str, ...] = ()
    created: str = ""
    modified: str = ""
    deleted: str | None = None
    text_hash: str = ""

    @property
    def is_deleted(self) -> bool:
        """True once the reader deleted it (and did not undo that)."""
        return self.deleted is not None


@functools.lru_cache(maxsize=4)
def text_hash(text: str) -> str:
    """The sha256 hex digest of a reading text (UTF-8).

    Cached: the reader hashes the same (possibly multi-megabyte) text on every
    save, and a cache hit on the same string object costs a pointer compare.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def format_time(moment: datetime) -> str:
    """`moment` as UTC ISO-8601 with millisecond precision and `Z`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_time(value: str) -> datetime:
    """Read an ISO-8601 time (`Z` or an offset; naive means UTC).

    Raises:
        ValueError: `value` is not an ISO-8601 date-time.
    """
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def now_iso() -> str:
    """The current time, as stored in `created` and `modified`."""
    return format_time(datetime.now(UTC))


def later_than(previous: str) -> str:
    """Now, or 1 ms after `previous` if the clock has not moved past it.

    An edit must always make `modified` newer, or a merge could not tell the
    edited copy from the old one.
    """
    now = now_iso()
    if not previous or now > previous:
        return now
    try:
        return format_time(parse_time(previous) + timedelta(milliseconds=1))
    except ValueError:
        return now


def context_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """`(prefix, exact, suffix)` of `text[start:end]` with 32 characters of context."""
    return (
        text[max(0, start - CONTEXT_LENGTH) : start],
        text[start:end],
        text[end : end + CONTEXT_LENGTH],
    )


def make_annotation(
    essay: Essay,
    start: int,
    end: int,
    kind: Kind | str = Kind.HIGHLIGHT,
    note: str = "",
    color: str = DEFAULT_COLOR,
    tags: tuple[str, ...] | list[str] = (),
) -> Annotation:
    """A new annotation on `essay.reading_text[start:end]`.

    Bookmarks may be empty (`start == end`), though a sentence range
    re-anchors far better; highlights and notes need at least one character.

    Raises:
        ValueError: the range lies outside the reading text or is empty.
    """
    kind = Kind(kind)
    text = essay.reading_text
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range {start}..{end} is outside the text (0..{len(text)})")
    if start == end and kind is not Kind.BOOKMARK:
        raise ValueError("an empty range can only be a bookmark")
    prefix, exact, suffix = context_around(text, start, end)
    now = now_iso()
    return Annotation(
        id=str(uuid.uuid4()),
        essay_id=essay.id,
        essay_path=essay.source_path or "",
        kind=kind,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        section_trail=tuple(essay.section_trail(start)),
        note=note,
        color=color,
        tags=tuple(tags),
        created=now,
        modified=now,
        deleted=None,
        text_hash=text_hash(text),
    )


def with_note(annotation: Annotation, note: str) -> Annotation:
    """The annotation with a new note; a note on a highlight makes it a note."""
    kind = annotation.kind
    if note.strip() and kind is Kind.HIGHLIGHT:
        kind = Kind.NOTE
    return replace(annotation, note=note, kind=kind, modified=later_than(annotation.modified))


def with_tags(annotation: Annotation, tags: tuple[str, ...] | list[str]) -> Annotation:
    """The annotation with new tags (bumps `modified`)."""
    return replace(annotation, tags=tuple(tags), modified=later_than(annotation.modified))


def with_color(annotation: Annotation, color: str) -> Annotation:
    """The annotation with a new colour (bumps `modified`)."""
    return replace(annotation, color=color, modified=later_than(annotation.modified))


def touched(annotation: Annotation) -> Annotation:
    """The annotation with `modified` bumped and nothing else changed."""
    return replace(annotation, modified=later_than(annotation.modified))


def as_deleted(annotation: Annotation) -> Annotation:
    """The annotation marked deleted (bumps `modified`)."""
    moment = later_than(annotation.modified)
    return replace(annotation, deleted=moment, modified=moment)


def as_restored(annotation: Annotation) -> Annotation:
    """The annotation with its deletion undone (bumps `modified`)."""
    return replace(annotation, deleted=None, modified=later_than(annotation.modified))


def relocated(annotation: Annotation, essay: Essay, start: int, end: int) -> Annotation:
    """The annotation moved to `essay.reading_text[start:end]`.

    Used to rewrite the selectors after an exact re-anchor, after the reader
    confirms a fuzzy one, or to re-attach an orphan: the id, note, kind and
    `created` stay; quote, context, offsets, trail and hash are taken anew.

    Raises:
        ValueError: the range lies outside the reading text.
    """
    text = essay.reading_text
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range {start}..{end} is outside the text (0..{len(text)})")
    prefix, exact, suffix = context_around(text, start, end)
    return replace(
        annotation,
        essay_id=essay.id,
        essay_path=essay.source_path or annotation.essay_path,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        section_trail=tuple(essay.section_trail(start)),
        text_hash=text_hash(text),
        modified=later_than(annotation.modified),
    )
