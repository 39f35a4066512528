"""Highlights, notes and bookmarks: what the reader marked, and where.

An annotation is addressed like everything else by code-point offsets into an
essay's reading text (a W3C TextPositionSelector), and it also keeps the quote
with 32 characters of context on each side (a TextQuoteSelector) so it can be
found again when the essay's text changes (see `essaytui.model.anchoring`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TypedDict

from essaytui.model.essay import Essay

#: Characters of context kept on each side of a quote.
CONTEXT_LENGTH = 32


class Color(StrEnum):
    """A colour the reader can give a highlight or note (its name is stored and exported:
    a colour read from a file that is not one of these is kept as it is, drawn plain)."""

    YELLOW = "yellow"
    GREEN = "green"
    BLUE = "blue"
    PINK = "pink"
    PURPLE = "purple"


#: The colour a highlight gets unless the reader picks another.
DEFAULT_COLOR = Color.YELLOW
#: The colours in the order of keys 1–5.
COLORS: tuple[Color, ...] = tuple(Color)
#: Most tags one annotation keeps, and the longest tag.
MAX_TAGS = 20
MAX_TAG_LENGTH = 40


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


#: Characters of a date-time that cannot be read shown in the error.
_SHOWN = 40

#: The earliest time a note can carry (older ones are refused on import).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
#: How far in the future a note's time may be: clocks disagree, not by more than this.
CLOCK_SKEW = timedelta(days=2)


def format_time(moment: datetime) -> str:
    """`moment` as UTC ISO-8601 with millisecond precision and `Z`.

    Written field by field: `strftime("%Y")` does not pad years below 1000, and the
    stored strings must sort (and compare) like the moments they name.
    """
    moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}."
        f"{moment.microsecond // 1000:03d}Z"
    )


def parse_time(value: str) -> datetime:
    """Read an ISO-8601 time (`Z` or an offset; naive means UTC), as UTC.

    Raises:
        ValueError: `value` is not an ISO-8601 date-time, or it names a moment
            outside what UTC can hold (`0001-01-01T00:00:00+01:00`).
    """
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value[:_SHOWN]!r} is outside the range of dates") from None


def checked_time(value: str) -> str:
    """`value` normalised to the stored form, if it is a plausible time for a note.

    Raises:
        ValueError: not an ISO-8601 date-time, before 1970, or in the future by more
            than `CLOCK_SKEW` (a time far ahead would win every merge and could
            never be bumped by an edit).
    """
    moment = parse_time(value)
    if moment < EARLIEST:
        raise ValueError(f"{value[:_SHOWN]!r} is before 1970")
    if moment > datetime.now(UTC) + CLOCK_SKEW:
        raise ValueError(f"{value[:_SHOWN]!r} is in the future")
    return format_time(moment)


def time_key(value: str | None) -> datetime:
    """A stored time as a datetime to compare with, the earliest possible for junk."""
    if not value:
        return datetime.min.replace(tzinfo=UTC)
    try:
        return parse_time(value)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def now_iso() -> str:
    """The current time, as stored in `created` and `modified`."""
    return format_time(datetime.now(UTC))


def later_than(previous: str) -> str:
    """Now, or 1 ms after `previous` if the clock has not moved past it.

    An edit must always make `modified` newer, or a merge could not tell the
    edited copy from the old one. A `previous` beyond what can be stored
    (year 9999's last millisecond) gives now: the edit must still go through.
    """
    now = datetime.now(UTC)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # as stored
    before = time_key(previous)
    if now > before:
        return format_time(now)
    try:
        return format_time(before + timedelta(milliseconds=1))
    except OverflowError:
        return format_time(now)


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
    place = _place(essay, start, end)
    if start == end and kind is not Kind.BOOKMARK:
        raise ValueError("an empty range can only be a bookmark")
    now = now_iso()
    return Annotation(
        id=str(uuid.uuid4()),
        essay_id=essay.id,
        essay_path=essay.source_path or "",
        kind=kind,
        note=note,
        color=color,
        tags=tuple(tags),
        created=now,
        modified=now,
        deleted=None,
        **place,
    )


class _Place(TypedDict):
    """The fields of an annotation that say where it is."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    section_trail: tuple[str, ...]
    text_hash: str


def _place(essay: Essay, start: int, end: int) -> _Place:
    """The place of `essay.reading_text[start:end]`: quote, context, offsets, trail and
    the hash of the text.

    Raises:
        ValueError: the range lies outside the reading text.
    """
    text = essay.reading_text
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range {start}..{end} is outside the text (0..{len(text)})")
    prefix, exact, suffix = context_around(text, start, end)
    return _Place(
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        section_trail=tuple(essay.section_trail(start)),
        text_hash=text_hash(text),
    )


def with_note(annotation: Annotation, note: str) -> Annotation:
    """The annotation with a new note; a note on a highlight makes it a note."""
    kind = annotation.kind
    if note.strip() and kind is Kind.HIGHLIGHT:
        kind = Kind.NOTE
    return replace(annotation, note=note, kind=kind, modified=later_than(annotation.modified))


def parse_tags(line: str) -> tuple[str, ...]:
    """The tags typed on a tag line: separated by spaces or commas, a leading `#` dropped,
    each once (first spelling kept, compared without case), at most `MAX_TAGS`.

    A tag is one word (letters, digits, `-`, `_`, `/`), as `#tags` are in Markdown notes.
    """
    found: list[str] = []
    seen: set[str] = set()
    for raw in re.split(r"[\s,]+", line):
        tag = re.sub(r"[^\w/-]+", "", raw.lstrip("#"))[:MAX_TAG_LENGTH].strip("/-")
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            found.append(tag)
    return tuple(found[:MAX_TAGS])


def with_tags(annotation: Annotation, tags: tuple[str, ...] | list[str]) -> Annotation:
    """The annotation with new tags (bumps `modified`)."""
    return replace(annotation, tags=tuple(tags), modified=later_than(annotation.modified))


def with_color(annotation: Annotation, color: str) -> Annotation:
    """The annotation with a new colour (bumps `modified`)."""
    return replace(annotation, color=color, modified=later_than(annotation.modified))


def as_deleted(annotation: Annotation) -> Annotation:
    """The annotation marked deleted (bumps `modified`)."""
    moment = later_than(annotation.modified)
    return replace(annotation, deleted=moment, modified=moment)


def as_copy(annotation: Annotation) -> Annotation:
    """A new annotation with the same place, note, tags and colour: a new id, made now."""
    moment = now_iso()
    return replace(annotation, id=str(uuid.uuid4()), created=moment, modified=moment, deleted=None)


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
    return replace(
        annotation,
        essay_id=essay.id,
        essay_path=essay.source_path or annotation.essay_path,
        modified=later_than(annotation.modified),
        **_place(essay, start, end),
    )
