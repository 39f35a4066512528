"""One search of the essay: the query, its matches, which one is current.

The screen asks `begin(query)` for a `Query` to run (in a worker when it may be slow),
hands the matches back with `found(...)`, and steps with `step(±1)`. Every query has a
number; matches of a query the reader has typed past are dropped, so the newest query
always wins however the searches finish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from essaytui.model.search import REGEX_PREFIX, TextSearch, compile_query, next_match

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


class SearchSession:
    """The current search over one reading text.

    Raises `SearchError` from `begin` for an invalid or refused query.
    """

    def __init__(self, text: str) -> None:
        self._search = TextSearch(text)
        self.query = ""
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self._number = 0

    @property
    def text(self) -> str:
        """The reading text searched."""
        return self._search.text

    def set_text(self, text: str) -> None:
        """Search another reading text from now on (the essay's complete parse)."""
        if text is not self._search.text:
            self._search = TextSearch(text)

    def begin(self, query: str) -> Query | None:
        """A new query: the search to run, or None for an empty query (nothing to find).

        Raises:
            SearchError: the query is an invalid or refused regular expression.
        """
        self._number += 1
        self.query = query
        self.matches = []
        self.current = -1
        if not query.strip():
            return None
        return Query(self._number, query, compile_query(query))

    def needs_worker(self, query: Query) -> bool:
        """Whether `query` may take long enough to freeze the keys if run here."""
        return query.is_regex or len(self.text) > SEARCH_IN_WORKER

    def run(self, query: Query) -> list[tuple[int, int]]:
        """The matches of `query` (thread-safe: it touches no state of the session)."""
        return self._search.find(query.text, query.pattern)

    def found(self, query: Query, matches: list[tuple[int, int]], top: int) -> bool:
        """Take the matches of `query` and make current the first at or after `top`.

        Returns False (and changes nothing) when the reader has typed another query since.
        """
        if query.number != self._number:
            return False
        self.matches = matches
        index = next_match(matches, top - 1)
        self.current = -1 if index is None else index
        return True

    def clear(self) -> None:
        """No search."""
        self.begin("")
        self.query = ""

    def step(self, direction: int) -> str:
        """Move to the next (1) or previous (-1) match; returns "" or a note on wrapping."""
        if not self.matches:
            return ""
        start = self.matches[self.current][0]
        index = next_match(self.matches, start, forward=direction > 0)
        assert index is not None
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
        if not self.matches:
            return "no match"
        return f"{self.current + 1}/{len(self.matches)}"
