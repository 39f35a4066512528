"""One search of the essay and its notes: the query, its matches, which one is current.

A match in a footnote's text counts like one in the essay and sits, in reading order,
just after the note's first reference (an unreferenced note's matches come last): `n`
walks the text and the notes as a reader meets them.

The screen asks `begin(query)` for a `Query` to run (in a worker when it may be slow),
hands the matches back with `found(...)`, and steps with `step(±1)`. Every query has a
number; matches of a query the reader has typed past are dropped, so the newest query
always wins however the searches finish.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from essaytui.model.essay import Footnote
from essaytui.model.search import (
    MAX_MATCHES,
    REGEX_PREFIX,
    TextSearch,
    compile_query,
    next_match,
)

#: Texts longer than this are searched in a worker thread (as are all regular expressions).
SEARCH_IN_WORKER = 512 * 1024


@dataclass(frozen=True, slots=True)
class Query:
    """A search to run: its number, the query as typed and its compiled pattern."""

    number: int
    text: str
    pattern: re.Pattern[str]

    @property
    def is_regex(self) -> bool:
        """Whether the query is a regular expression (``re:…``)."""
        return self.text.startswith(REGEX_PREFIX)


#: Between two notes' texts in the text searched for notes: no match spans it.
NOTE_GAP = "\n\x00\n"


@dataclass(frozen=True, slots=True)
class _Notes:
    """The notes searched: their texts joined by `NOTE_GAP`, where each starts, and
    each one's place in reading order."""

    notes: list[Footnote]
    starts: list[int]
    places: list[int]
    search: TextSearch | None


@dataclass(frozen=True, slots=True)
class Hit:
    """A match: `[start, end)` of the essay's reading text, or of footnote `note`'s text.

    `place` is where it sits in reading order, as an offset of the essay: its start,
    or the end of the note's first reference.
    """

    start: int
    end: int
    note: str = ""
    place: int = 0


class SearchSession:
    """The current search over one reading text and its footnotes' texts.

    Raises `SearchError` from `begin` for an invalid or refused query.
    """

    def __init__(self, text: str, notes: Sequence[Footnote] = ()) -> None:
        self._search = TextSearch(text)
        self._notes: Sequence[Footnote] = notes
        self._notes_text: _Notes | None = None
        self.query = ""
        #: Every match, in the essay and in its notes, in reading order.
        self.hits: list[Hit] = []
        self.current = -1
        self._number = 0

    @property
    def text(self) -> str:
        """The reading text searched."""
        return self._search.text

    @property
    def matches(self) -> list[tuple[int, int]]:
        """The matches in the essay's own text (not in its notes), as `(start, end)`."""
        return [(hit.start, hit.end) for hit in self.hits if not hit.note]

    @property
    def in_notes(self) -> dict[str, list[tuple[int, int]]]:
        """The matches in footnotes' texts, by footnote label."""
        found: dict[str, list[tuple[int, int]]] = {}
        for hit in self.hits:
            if hit.note:
                found.setdefault(hit.note, []).append((hit.start, hit.end))
        return found

    def set_text(self, text: str, notes: Sequence[Footnote] = ()) -> None:
        """Search another reading text from now on (the essay's complete parse)."""
        if text is not self._search.text:
            self._search = TextSearch(text)
        if notes is not self._notes:
            self._notes = notes
            self._notes_text = None

    def begin(self, query: str) -> Query | None:
        """A new query: the search to run, or None for an empty query (nothing to find).

        Raises:
            SearchError: the query is an invalid or refused regular expression.
        """
        self._number += 1
        self.query = query
        self.hits = []
        self.current = -1
        if not query.strip():
            return None
        return Query(self._number, query, compile_query(query))

    def needs_worker(self, query: Query) -> bool:
        """Whether `query` may take long enough to freeze the keys if run here."""
        return query.is_regex or len(self.text) > SEARCH_IN_WORKER

    def run(self, query: Query) -> list[Hit]:
        """The matches of `query` in the essay and its notes, in reading order (safe in a
        worker thread: it changes no state the reader sees)."""
        hits = [
            Hit(start, end, "", start)
            for start, end in self._search.find(query.text, query.pattern)
        ]
        notes = self._searchable_notes()
        if notes.search is None:
            return hits
        in_notes: list[tuple[int, int, Hit]] = []
        room = MAX_MATCHES - len(hits)
        for start, end in notes.search.find(query.text, query.pattern, limit=max(0, room)):
            index = bisect.bisect_right(notes.starts, start) - 1
            note, place, base = notes.notes[index], notes.places[index], notes.starts[index]
            if end - base <= len(note.text):  # not across the gap between two notes
                in_notes.append((place, index, Hit(start - base, end - base, note.label, place)))
        if not in_notes:
            return hits
        # a note's matches come right after its reference (after the essay's own
        # matches that start there), in the order of the notes
        merged = [(hit.place, -1, hit) for hit in hits] + in_notes
        merged.sort(key=_note_order)
        return [hit for _, _, hit in merged]

    def _searchable_notes(self) -> _Notes:
        """The defined notes' texts joined into one (one search for thousands of notes)."""
        if self._notes_text is None:
            end = len(self.text)
            notes = [note for note in self._notes if note.defined and note.text]
            starts: list[int] = []
            position = 0
            for note in notes:
                starts.append(position)
                position += len(note.text) + len(NOTE_GAP)
            self._notes_text = _Notes(
                notes,
                starts,
                [note.refs[0][1] if note.refs else end for note in notes],
                TextSearch(NOTE_GAP.join(note.text for note in notes)) if notes else None,
            )
        return self._notes_text

    def found(self, query: Query, hits: Sequence[Hit], top: int) -> bool:
        """Take the matches of `query` and make current the first at or after `top`.

        Returns False (and changes nothing) when the reader has typed another query since.
        """
        if query.number != self._number:
            return False
        self.hits = list(hits)
        index = next_match(self._places(), top - 1)
        self.current = -1 if index is None else index
        return True

    def _places(self) -> list[tuple[int, int]]:
        return [(hit.place, hit.place) for hit in self.hits]

    @property
    def current_hit(self) -> Hit | None:
        """The current match, if any."""
        return self.hits[self.current] if 0 <= self.current < len(self.hits) else None

    def clear(self) -> None:
        """No search."""
        self.begin("")
        self.query = ""

    def step(self, direction: int) -> str:
        """Move to the next (1) or previous (-1) match; returns "" or a note on wrapping."""
        if not self.hits:
            return ""
        count = len(self.hits)
        # one step in reading order (several matches may share a place: a note's)
        index = (self.current + (1 if direction > 0 else -1)) % count
        wrapped = ""
        if direction > 0 and index <= self.current:
            wrapped = "Search wrapped to the top."
        elif direction < 0 and index >= self.current:
            wrapped = "Search wrapped to the bottom."
        self.current = index
        return wrapped

    @property
    def count(self) -> str:
        """ "3/12", "no match", or "" without a query."""
        if not self.query.strip():
            return ""
        if not self.hits:
            return "no match"
        return f"{self.current + 1}/{len(self.hits)}"


def _note_order(item: tuple[int, int, Hit]) -> tuple[int, int, int]:
    place, order, hit = item
    return (place, order, hit.start)
