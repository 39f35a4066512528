"""Searching a reading text: a literal phrase, or a regular expression after ``re:``.

A literal phrase is found with `str.find` in a case-folded copy of the text. A
regular expression is checked by `compile_query` (length, back-references, the
common shapes of catastrophic patterns such as ``(a+)+$``) and then run by the
`regex` package rather than `re`: Python's `re` can neither be stopped nor let
another thread run while it matches, so a pattern that slips past the checks
(``(a|a)*b``, ``a*a*a*a*a*!``) froze the reader for minutes. `regex` releases the
interpreter while it matches (``concurrent=True``) and gives up after
`SEARCH_TIMEOUT` seconds; `TextSearch.find` then raises `SearchTimeout`. Matches
are capped (`MAX_MATCHES`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from essaytui.model.text import lower_same_length

if TYPE_CHECKING:
    import regex

#: The prefix that turns a query into a regular expression.
REGEX_PREFIX = "re:"

#: Longest regular expression accepted, in characters.
MAX_PATTERN = 500

#: Most matches `find_matches` returns by default.
MAX_MATCHES = 100_000

#: Seconds a regular expression search may take before it is stopped. The `regex`
#: package counts the process's CPU time, so on a busy machine the wait is longer.
SEARCH_TIMEOUT = 1.0


class SearchError(Exception):
    """A query that cannot be searched for; `str(error)` is one readable line."""


class SearchTimeout(SearchError):
    """A regular expression search that ran past its time and was stopped."""


_UNBOUNDED = re.compile(r"[*+]|\{\d*,\}")


def _nested_quantifier(expression: str) -> bool:
    """Whether a repeated group contains an unbounded repetition: ``(a+)+``,
    ``((\\w*)x)*``, ``(?:a|b+){2,}`` — the classic exponential backtrackers."""
    stack: list[bool] = []  # per open group: does it contain * + or {n,}?
    position = 0
    in_class = False
    while position < len(expression):
        char = expression[position]
        if char == "\\":
            position += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if expression.startswith("]", position + 1):
                position += 1
            elif expression.startswith("^]", position + 1):
                position += 2
        elif char == "(":
            stack.append(False)
        elif char == ")" and stack:
            inner = stack.pop()
            repeated = _UNBOUNDED.match(expression, position + 1) is not None
            if inner and repeated:
                return True
            if inner and stack:
                stack[-1] = True
        elif stack and _UNBOUNDED.match(expression, position):
            stack[-1] = True
        position += 1
    return False


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def compile_query(query: str) -> re.Pattern[str]:
    """Compile a search query.

    A plain query is a case-insensitive literal phrase. A query starting with
    ``re:`` is a case-insensitive regular expression.

    Raises:
        SearchError: the query is empty, or an invalid or unsafe regular
            expression.
    """
    if query.startswith(REGEX_PREFIX):
        expression = query[len(REGEX_PREFIX) :]
        if not expression:
            raise SearchError("empty regular expression: type a pattern after 're:'")
        if len(expression) > MAX_PATTERN:
            raise SearchError(f"regular expression too long (over {MAX_PATTERN} characters)")
        if _nested_quantifier(expression):
            raise SearchError(
                "regular expression refused: a repeated group containing + or * can take forever"
            )
        if _BACKREFERENCE.search(expression):
            raise SearchError("regular expression refused: back-references are not supported")
        try:
            return re.compile(expression, re.IGNORECASE | re.MULTILINE)
        except re.error as error:
            where = f" at position {error.pos}" if error.pos is not None else ""
            raise SearchError(f"invalid regular expression: {error.msg}{where}") from None
        except (RecursionError, OverflowError, ValueError):
            raise SearchError("invalid regular expression: too complex") from None
    if not query.strip():
        raise SearchError("empty search")
    return re.compile(re.escape(query), re.IGNORECASE)


def find_matches(
    text: str, pattern: re.Pattern[str], *, limit: int = MAX_MATCHES
) -> list[tuple[int, int]]:
    """`(start, end)` of the non-empty matches of `pattern` in `text`, at most `limit`."""
    return _spans(pattern.finditer(text), limit)


class _Match(Protocol):
    """A match of `re` or of `regex`."""

    def span(self) -> tuple[int, int]: ...


def _spans(matches: Iterable[_Match], limit: int) -> list[tuple[int, int]]:
    """The spans of the non-empty `matches`, up to `limit` of them (one at least)."""
    found: list[tuple[int, int]] = []
    for match in matches:
        start, end = match.span()
        if start == end:
            continue
        found.append((start, end))
        if len(found) >= limit:
            break
    return found


class TextSearch:
    """Searches one reading text; keeps a case-folded copy of it for plain queries.

    A plain query is found with `str.find` in that copy, which is several times faster
    than a case-insensitive `re` scan (a 4.4 MB text: ~2 ms against ~25 ms for a rare
    word) and, unlike one long `re` call, lets the interface thread in between matches
    when it runs in a worker. Case folding is `lower_same_length` (one code point for
    one, so offsets hold); it differs from `re.IGNORECASE` only for the few characters
    whose lower case is longer (İ stays İ) or that fold to an ASCII letter (ſ, K).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: str | None = None

    @property
    def folded(self) -> str:
        """The text case-folded, computed once (~16 ms at 4.4 MB)."""
        if self._folded is None:
            self._folded = lower_same_length(self.text)
        return self._folded

    def find(
        self,
        query: str,
        pattern: re.Pattern[str],
        *,
        limit: int = MAX_MATCHES,
        timeout: float = SEARCH_TIMEOUT,
    ) -> list[tuple[int, int]]:
        """The matches of `query` (checked by `compile_query`, which gave `pattern`).

        A regular expression runs in the `regex` package, which lets other threads
        run meanwhile: call this from a worker thread and the keys stay live.

        Raises:
            SearchTimeout: a regular expression took more than `timeout` seconds.
            SearchError: `regex` cannot compile an expression `re` accepted.
        """
        if query.startswith(REGEX_PREFIX):
            return _find_with_timeout(self.text, query[len(REGEX_PREFIX) :], limit, timeout)
        needle = lower_same_length(query)
        folded = self.folded
        found: list[tuple[int, int]] = []
        size = len(needle)
        position = folded.find(needle)
        while position >= 0 and len(found) < limit:
            found.append((position, position + size))
            position = folded.find(needle, position + size)
        return found


@lru_cache(maxsize=32)
def _user_regex(expression: str) -> regex.Pattern[str]:
    import regex  # only for regular expression searches

    try:
        return regex.compile(expression, regex.IGNORECASE | regex.MULTILINE | regex.VERSION0)
    except regex.error as error:
        raise SearchError(f"invalid regular expression: {error}") from None
    except (RecursionError, OverflowError, ValueError):
        raise SearchError("invalid regular expression: too complex") from None


def _find_with_timeout(
    text: str, expression: str, limit: int, timeout: float
) -> list[tuple[int, int]]:
    compiled = _user_regex(expression)
    if limit <= 0:
        return []
    try:
        return _spans(compiled.finditer(text, concurrent=True, timeout=timeout), limit)
    except TimeoutError:
        raise SearchTimeout(
            f"this regular expression took too long and was stopped (over {timeout:g} s)"
        ) from None


def next_match(matches: Sequence[tuple[int, int]], offset: int, forward: bool = True) -> int | None:
    """Index of the first match starting after `offset` (or the last one starting
    before it, going backward), wrapping around the ends.

    Args:
        matches: sorted `(start, end)` ranges.
        offset: where to search from, exclusive (the current match's start;
            pass ``top - 1`` to include a match at the top of the view).
        forward: search towards the end of the text.

    Returns:
        An index into `matches`, or None when there are none.
    """
    if not matches:
        return None
    if forward:
        index = bisect.bisect_right(matches, offset, key=_start)
        return index if index < len(matches) else 0
    index = bisect.bisect_left(matches, offset, key=_start) - 1
    return index if index >= 0 else len(matches) - 1


def _start(match: tuple[int, int]) -> int:
    return match[0]
