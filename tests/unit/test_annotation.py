"""The Annotation value and the helpers that make and change one."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import FrozenInstanceError

import pytest

from essaytui.model.annotation import (
    CONTEXT_LENGTH,
    AnchorStatus,
    Annotation,
    Kind,
    as_deleted,
    as_restored,
    later_than,
    make_annotation,
    now_iso,
    parse_time,
    relocated,
    text_hash,
    with_color,
    with_note,
    with_tags,
)
from essaytui.model.essay import Essay, Section

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
TEXT = "Heading\n\n" + "a" * 50 + "QUOTE" + "b" * 50 + "\n\nSub\n\nTail text here."


def essay_of(text: str = TEXT) -> Essay:
    sub = text.find("Sub")
    sections = (
        (Section(0, "Heading", 1, 0, len(text)), Section(1, "Sub", 2, sub, len(text), parent=0))
        if sub >= 0
        else ()
    )
    return Essay(
        id="e1",
        title="T",
        author="",
        reading_text=text,
        blocks=(),
        sections=sections,
        source_path="/p/e.md",
    )


def test_make_annotation_takes_quote_context_trail_and_hash() -> None:
    essay = essay_of()
    start = TEXT.index("QUOTE")
    a = make_annotation(essay, start, start + 5, Kind.NOTE, note="hi", tags=["x"])
    assert uuid.UUID(a.id).version == 4
    assert (a.essay_id, a.essay_path, a.kind) == ("e1", "/p/e.md", Kind.NOTE)
    assert a.exact == "QUOTE"
    assert a.prefix == "a" * CONTEXT_LENGTH and a.suffix == "b" * CONTEXT_LENGTH
    assert (a.start, a.end) == (start, start + 5)
    assert a.section_trail == ("Heading",)
    assert (a.note, a.color, a.tags) == ("hi", "yellow", ("x",))
    assert ISO.fullmatch(a.created) and a.modified == a.created
    assert a.deleted is None and not a.is_deleted
    assert a.text_hash == hashlib.sha256(TEXT.encode()).hexdigest() == text_hash(TEXT)
    tail = TEXT.index("Tail")
    assert make_annotation(essay, tail, tail + 4).section_trail == ("Heading", "Sub")
    with pytest.raises(FrozenInstanceError):
        a.note = "changed"  # type: ignore[misc]


def test_context_is_shorter_at_the_ends() -> None:
    essay = essay_of()
    first = make_annotation(essay, 0, 7)
    assert first.prefix == "" and first.suffix == TEXT[7 : 7 + CONTEXT_LENGTH]
    last = make_annotation(essay, len(TEXT) - 5, len(TEXT))
    assert last.suffix == "" and last.exact == "here."


def test_bad_ranges_are_refused() -> None:
    essay = essay_of()
    with pytest.raises(ValueError, match="outside"):
        make_annotation(essay, 5, len(TEXT) + 1)
    with pytest.raises(ValueError, match="outside"):
        make_annotation(essay, -1, 3)
    with pytest.raises(ValueError, match="outside"):
        make_annotation(essay, 6, 5)
    with pytest.raises(ValueError, match="only be a bookmark"):
        make_annotation(essay, 5, 5, Kind.HIGHLIGHT)
    assert make_annotation(essay, 5, 5, "bookmark").kind is Kind.BOOKMARK
    with pytest.raises(ValueError):
        make_annotation(essay, 1, 2, "scribble")


def test_edits_bump_modified_and_keep_the_rest() -> None:
    a = make_annotation(essay_of(), 0, 7)
    noted = with_note(a, "a thought")
    assert noted.kind is Kind.NOTE and noted.note == "a thought"
    assert noted.modified > a.modified and noted.created == a.created and noted.id == a.id
    assert with_note(make_annotation(essay_of(), 0, 7, Kind.BOOKMARK), "x").kind is Kind.BOOKMARK
    tagged = with_tags(noted, ["one", "two"])
    assert tagged.tags == ("one", "two") and tagged.modified > noted.modified
    coloured = with_color(tagged, "blue")
    assert coloured.color == "blue" and coloured.modified > tagged.modified
    gone = as_deleted(coloured)
    assert gone.is_deleted and gone.deleted == gone.modified and gone.modified > coloured.modified
    back = as_restored(gone)
    assert not back.is_deleted and back.modified > gone.modified


def test_later_than_is_strictly_later() -> None:
    future = "2999-01-01T00:00:00.999Z"
    assert later_than(future) == "2999-01-01T00:00:01.000Z"
    now = now_iso()
    assert later_than(now) > now
    assert ISO.fullmatch(later_than(""))


def test_parse_time_accepts_offsets_and_naive() -> None:
    assert parse_time("2020-01-01T01:00:00+01:00") == parse_time("2020-01-01T00:00:00Z")
    assert parse_time("2020-01-01T00:00:00") == parse_time("2020-01-01T00:00:00.000Z")
    with pytest.raises(ValueError):
        parse_time("soon")


def test_relocated_keeps_identity_and_takes_new_selectors() -> None:
    a = with_note(make_annotation(essay_of(), TEXT.index("QUOTE"), TEXT.index("QUOTE") + 5), "n")
    new_text = "New start.\n\n" + TEXT
    moved = relocated(a, essay_of(new_text), new_text.index("QUOTE"), new_text.index("QUOTE") + 5)
    assert (moved.id, moved.note, moved.created, moved.kind) == (a.id, a.note, a.created, a.kind)
    assert moved.start == new_text.index("QUOTE") and moved.exact == "QUOTE"
    assert moved.text_hash == text_hash(new_text) != a.text_hash
    assert moved.modified > a.modified
    with pytest.raises(ValueError):
        relocated(a, essay_of(new_text), 0, len(new_text) + 1)


def test_enums_are_strings() -> None:
    assert [str(k) for k in Kind] == ["highlight", "note", "bookmark"]
    assert [str(s) for s in AnchorStatus] == ["anchored", "fuzzy", "needs_review", "orphan"]
    assert isinstance(Annotation.__slots__, tuple)
