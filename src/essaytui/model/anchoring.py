"""Finding annotations again after the essay's text changed (design §4).

Three steps, cheapest first, as the Hypothesis client does:

1. Position: the quote is still at its offsets (and, unless the text is
   unchanged, its context still looks like it did).
2. Exact search: every occurrence of the quote, scored by
   `(50·quote + 20·prefix + 20·suffix + 2·position) / 92`.
3. Fuzzy search near the old place, then everywhere, for the quote with its
   context and for the quote alone.

Texts are compared in Unicode NFC, so an essay re-saved as NFD still matches;
offsets in the result are always offsets into the text given.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

# rapidfuzz is imported inside the functions that use it: at module level it would add
# ~10 ms to every start, and most starts never re-anchor anything fuzzily.
from essaytui.model.annotation import (
    CONTEXT_LENGTH,
    AnchorStatus,
    Annotation,
    context_around,
    text_hash,
)

#: Exact-search score above which the best of several occurrences is accepted.
EXACT_THRESHOLD = 0.95
#: Fuzzy score needed to anchor (marked ≈); with QUOTE_THRESHOLD and CONTEXT_THRESHOLD.
FUZZY_THRESHOLD = 0.90
QUOTE_THRESHOLD = 0.85
CONTEXT_THRESHOLD = 0.6
#: Fuzzy score needed to propose a place for review.
REVIEW_THRESHOLD = 0.75
#: Quotes shorter than this are only trusted at a place whose context matches:
#: two or three letters occur everywhere (`CONTEXT_FOR_SHORT` is the bar).
SHORT_QUOTE = 16
CONTEXT_FOR_SHORT = 0.5
#: How far around the old place the first fuzzy search looks.
NEAR = 2000
#: Longest needle handed to rapidfuzz in one piece.
PIECE = 64
#: Cap on the occurrences of one quote that are scored one by one.
MAX_OCCURRENCES = 20_000
#: Longest quote compared whole; a longer one is scored by its first and last
#: `MAX_SCORED // 2` characters (edit distance is quadratic: a 500,000-character
#: quote took a minute).
MAX_SCORED = 2048
#: Most context kept on each side of a quote: the stored one is `CONTEXT_LENGTH`;
#: an imported one may be longer, and every candidate compares it.
MAX_CONTEXT = 4 * CONTEXT_LENGTH
#: Seconds one `reanchor_all` pass may spend on fuzzy searches; the annotations
#: left after that get positions and exact matches only, marked unsettled.
PASS_BUDGET = 2.0
#: The weights of a candidate's score (design §4): the quote's similarity, each
#: side's context, and the nearness to the old place.
QUOTE_WEIGHT = 50
CONTEXT_WEIGHT = 20
POSITION_WEIGHT = 2
_TOTAL_WEIGHT = QUOTE_WEIGHT + 2 * CONTEXT_WEIGHT + POSITION_WEIGHT
#: How far a rough guess's ends may move when refined: an eighth of the quote,
#: within these bounds.
_MIN_SLACK = 2
_MAX_SLACK = 8
#: A saved position's sentence is found again by this many first characters at
#: least, and settled within this many characters of rapidfuzz's alignment, which
#: must score this much (of 100).
_MIN_HEAD = 8
_ALIGN_SLACK = 4
_HEAD_CUTOFF = 80


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation was found in a reading text.

    `start`/`end` are offsets into the text given to `reanchor`: the place for
    anchored and fuzzy results, the proposed place for needs_review, and -1 for
    orphans. Scores are 0..1: `score` is the combined score, `quote_score` the
    similarity of the quote, `context_score` the mean of prefix and suffix.
    """

    status: AnchorStatus
    start: int
    end: int
    score: float
    quote_score: float
    context_score: float
    #: False when the pass ran out of time before the fuzzy search: an orphan for
    #: now, worth another try (`AnchorCache` keeps only settled answers).
    settled: bool = True

    @property
    def drawn(self) -> bool:
        """True if the essay view should draw it (anchored or fuzzy)."""
        return self.status in (AnchorStatus.ANCHORED, AnchorStatus.FUZZY)


_SPACE = re.compile(r"\s+")

_ORPHAN = Anchor(AnchorStatus.ORPHAN, -1, -1, 0.0, 0.0, 0.0)
_UNSETTLED = Anchor(AnchorStatus.ORPHAN, -1, -1, 0.0, 0.0, 0.0, settled=False)


# -- Unicode normalisation with an offset map ----------------------------------


@cache
def _composes_with_previous() -> frozenset[int]:
    """Starters (combining class 0) that can still merge with the character before.

    Hangul vowels and trailing consonants, and a few Indic vowel signs; a
    normalisation segment must not begin at one of them.
    """
    seconds = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for code in range(0x300, 0x30000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    return frozenset(code for code in seconds if unicodedata.combining(chr(code)) == 0)


class _Text:
    """A reading text with its NFC form and maps between the two."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.hash = text_hash(text)
        self._to_original: list[int] | None = None
        self._to_normal: list[int] | None = None
        self._normal: str | None = None

    @property
    def normal(self) -> str:
        """The NFC form, built (with the offset maps) only when first needed."""
        if self._normal is None:
            if unicodedata.is_normalized("NFC", self.original):
                self._normal = self.original
            else:
                self._normal = self._build_maps(self.original)
        return self._normal

    def _build_maps(self, text: str) -> str:
        joiners = _composes_with_previous()

        def boundary(index: int) -> bool:
            # May a normalisation segment begin at `index`?
            if index >= len(text):
                return True
            code = ord(text[index])
            return code < 0x300 or not (unicodedata.combining(text[index]) or code in joiners)

        pieces: list[str] = []
        to_original: list[int] = []
        to_normal = [0] * (len(text) + 1)
        normal_length = 0

        def emit(start: int, end: int) -> None:
            nonlocal normal_length
            segment = text[start:end]
            normal = unicodedata.normalize("NFC", segment)
            width = end - start
            if normal == segment:
                to_original.extend(range(start, end))
                to_normal[start:end] = range(normal_length, normal_length + width)
            else:
                for offset in range(len(normal)):
                    to_original.append(start + min(offset, width - 1))
                for offset in range(width):
                    to_normal[start + offset] = normal_length + min(offset, len(normal) - 1)
            pieces.append(normal)
            normal_length += len(normal)

        # Words (up to the next safe place after white space) that are already
        # NFC map one to one; only the others are cut into segments.
        word_start = 0
        for match in _SPACE.finditer(text):
            cut = match.end()
            if cut >= len(text) or not boundary(cut):
                continue
            self._emit_word(text, word_start, cut, boundary, emit)
            word_start = cut
        if word_start < len(text):
            self._emit_word(text, word_start, len(text), boundary, emit)
        to_original.append(len(text))
        to_normal[len(text)] = normal_length
        self._to_original = to_original
        self._to_normal = to_normal
        return "".join(pieces)

    @staticmethod
    def _emit_word(
        text: str,
        start: int,
        end: int,
        boundary: Callable[[int], bool],
        emit: Callable[[int, int], None],
    ) -> None:
        if unicodedata.is_normalized("NFC", text[start:end]):
            emit(start, end)
            return
        segment_start = start
        for index in range(start + 1, end + 1):
            if index == end or boundary(index):
                emit(segment_start, index)
                segment_start = index

    def to_original(self, offset: int) -> int:
        """An offset in the NFC text as an offset in the original text."""
        self.normal  # noqa: B018 - builds the maps
        return offset if self._to_original is None else self._to_original[offset]

    def to_normal(self, offset: int) -> int:
        """An offset in the original text as an offset in the NFC text."""
        self.normal  # noqa: B018 - builds the maps
        if self._to_normal is None:
            return offset
        return self._to_normal[max(0, min(offset, len(self.original)))]


# -- scoring --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Quote:
    """An annotation's selectors in NFC, with its old place in NFC offsets."""

    exact: str
    prefix: str
    suffix: str
    old_start: int

    @property
    def prefix_window(self) -> int:
        return max(len(self.prefix), CONTEXT_LENGTH)

    @property
    def suffix_window(self) -> int:
        return max(len(self.suffix), CONTEXT_LENGTH)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    score: float
    quote: float
    context: float


def _prefix_score(quote: _Quote, text: str, start: int) -> float:
    from rapidfuzz.distance import Levenshtein

    # A prefix shorter than the window means the quote was near the start of
    # the text, so compare with the whole window: elsewhere it scores low.
    return Levenshtein.normalized_similarity(
        quote.prefix, text[max(0, start - quote.prefix_window) : start]
    )


def _suffix_score(quote: _Quote, text: str, end: int) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.normalized_similarity(quote.suffix, text[end : end + quote.suffix_window])


def _combine(quote_score: float, prefix: float, suffix: float, position: float) -> float:
    return (
        QUOTE_WEIGHT * quote_score
        + CONTEXT_WEIGHT * prefix
        + CONTEXT_WEIGHT * suffix
        + POSITION_WEIGHT * position
    ) / _TOTAL_WEIGHT


def _position_score(quote: _Quote, text: str, start: int) -> float:
    return max(0.0, 1 - abs(start - quote.old_start) / max(1, len(text)))


def _similarity(quote: str, found: str) -> float:
    """Edit-distance similarity, by the two ends for long strings (`MAX_SCORED`)."""
    from rapidfuzz.distance import Levenshtein

    if quote == found:
        return 1.0
    if len(quote) <= MAX_SCORED and len(found) <= MAX_SCORED:
        return Levenshtein.normalized_similarity(quote, found)
    half = MAX_SCORED // 2
    ends = (
        Levenshtein.normalized_similarity(quote[:half], found[:half])
        + Levenshtein.normalized_similarity(quote[-half:], found[-half:])
    ) / 2
    return ends * min(len(quote), len(found)) / max(len(quote), len(found))


def _score(quote: _Quote, text: str, start: int, end: int) -> _Candidate:
    exact = _similarity(quote.exact, text[start:end])
    prefix = _prefix_score(quote, text, start)
    suffix = _suffix_score(quote, text, end)
    score = _combine(exact, prefix, suffix, _position_score(quote, text, start))
    return _Candidate(start, end, score, exact, (prefix + suffix) / 2)


def _trusted(quote: _Quote, candidate: _Candidate) -> bool:
    return len(quote.exact) >= SHORT_QUOTE or candidate.context >= CONTEXT_FOR_SHORT


# -- the three steps ---------------------------------------------------------------


def _exact_search(quote: _Quote, text: str) -> _Candidate | None:
    """Step 2: the best occurrence of the quote, if it is good enough to anchor."""
    if not quote.exact:
        return None
    # The quote with its whole context is the common case after an edit
    # elsewhere, and finding it is far cheaper than scoring every occurrence.
    in_context = quote.prefix + quote.exact + quote.suffix
    best: _Candidate | None = None
    found = text.find(in_context)
    count = 0
    while found >= 0 and count < MAX_OCCURRENCES:
        count += 1
        start = found + len(quote.prefix)
        candidate = _score(quote, text, start, start + len(quote.exact))
        if best is None or candidate.score > best.score:
            best = candidate
        found = text.find(in_context, found + 1)
    if best is not None and best.score >= EXACT_THRESHOLD:
        return best
    best = None
    count = 0
    found = text.find(quote.exact)
    while found >= 0 and count < MAX_OCCURRENCES:
        count += 1
        candidate = _score(quote, text, found, found + len(quote.exact))
        if best is None or candidate.score > best.score:
            best = candidate
        found = text.find(quote.exact, found + 1)
    if best is None:
        return None
    if (count == 1 and _trusted(quote, best)) or best.score >= EXACT_THRESHOLD:
        return best
    return None


def _refine(quote: _Quote, text: str, start: int, end: int) -> _Candidate:
    """The best quote boundaries within a few characters of a rough guess."""
    from rapidfuzz.distance import Levenshtein

    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    slack = min(_MAX_SLACK, max(_MIN_SLACK, len(quote.exact) // 8))
    starts = range(max(0, start - slack), min(len(text), start + slack) + 1)
    ends = range(max(0, end - slack), min(len(text), end + slack) + 1)
    prefixes = {s: _prefix_score(quote, text, s) for s in starts}
    suffixes = {e: _suffix_score(quote, text, e) for e in ends}
    if len(quote.exact) > PIECE:
        # Long quotes: choose each end on its own by the quote's first and last
        # characters; comparing the whole quote 289 times would be slow.
        head, tail = quote.exact[:PIECE], quote.exact[-PIECE:]
        best_start = max(
            starts,
            key=lambda s: (
                CONTEXT_WEIGHT * prefixes[s]
                + QUOTE_WEIGHT * Levenshtein.normalized_similarity(head, text[s : s + PIECE])
            ),
        )
        best_end = max(
            ends,
            key=lambda e: (
                CONTEXT_WEIGHT * suffixes[e]
                + QUOTE_WEIGHT
                * Levenshtein.normalized_similarity(tail, text[max(0, e - PIECE) : e])
            ),
        )
        return _score(quote, text, best_start, max(best_start, best_end))
    best: _Candidate | None = None
    for s in starts:
        for e in ends:
            if e <= s:
                continue
            exact = Levenshtein.normalized_similarity(quote.exact, text[s:e])
            score = _combine(exact, prefixes[s], suffixes[e], _position_score(quote, text, s))
            if best is None or score > best.score:
                best = _Candidate(s, e, score, exact, (prefixes[s] + suffixes[e]) / 2)
    if best is None:
        return _score(quote, text, start, end)
    return best


def _align(needle: str, window: str) -> tuple[int, int] | None:
    """Where all of `needle` would lie in `window`, going by its best partial match."""
    from rapidfuzz import fuzz

    alignment = fuzz.partial_ratio_alignment(needle, window)
    if alignment is None or alignment.score <= 0:
        return None
    return (
        alignment.dest_start - alignment.src_start,
        alignment.dest_end + len(needle) - alignment.src_end,
    )


def _guesses(needle: str, window: str) -> list[tuple[int, int]]:
    """Rough places of `needle` in `window`, as `(start, end)`.

    rapidfuzz aligns needles of up to 64 characters over a long text quickly
    (bit-parallel); longer ones are placed by their first and last 64.
    """
    if len(needle) <= PIECE:
        found = _align(needle, window)
        return [found] if found is not None else []
    guesses: list[tuple[int, int]] = []
    head = _align(needle[:PIECE], window)
    tail = _align(needle[-PIECE:], window)
    if head is not None:
        guesses.append((head[0], head[0] + len(needle)))
    if tail is not None:
        guesses.append((tail[1] - len(needle), tail[1]))
    if head is not None and tail is not None:
        span = tail[1] - head[0]
        guesses += [(head[0], tail[1])] if len(needle) / 2 <= span <= len(needle) * 3 / 2 else []
    return guesses


def _fuzzy_in(quote: _Quote, text: str, low: int, high: int) -> _Candidate | None:
    """Step 3 within `text[low:high]`: quote with context, and quote alone."""
    window = text[low:high]
    best: _Candidate | None = None
    in_context = quote.prefix + quote.exact + quote.suffix
    for needle, before, after in (
        (in_context, len(quote.prefix), len(quote.suffix)),
        (quote.exact, 0, 0),
    ):
        if not needle or len(needle) > len(window):
            continue
        for guess_start, guess_end in _guesses(needle, window):
            start = low + guess_start + before
            end = low + guess_end - after
            candidate = _refine(quote, text, start, max(start + 1, end))
            if best is None or candidate.score > best.score:
                best = candidate
    return best


def _fuzzy_passes(candidate: _Candidate) -> bool:
    return (
        candidate.score >= FUZZY_THRESHOLD
        and candidate.quote >= QUOTE_THRESHOLD
        and candidate.context >= CONTEXT_THRESHOLD
    )


def _fuzzy_search(quote: _Quote, text: str) -> _Candidate | None:
    if not quote.exact:
        return None
    reach = max(NEAR, 2 * (len(quote.exact) + len(quote.prefix) + len(quote.suffix)))
    low = max(0, quote.old_start - reach)
    high = min(len(text), quote.old_start + len(quote.exact) + reach)
    best = _fuzzy_in(quote, text, low, high)
    if best is not None and _fuzzy_passes(best):
        return best
    if low > 0 or high < len(text):
        everywhere = _fuzzy_in(quote, text, 0, len(text))
        if everywhere is not None and (best is None or everywhere.score > best.score):
            best = everywhere
    return best


def _anchor(text: _Text, candidate: _Candidate, status: AnchorStatus) -> Anchor:
    return Anchor(
        status,
        text.to_original(candidate.start),
        text.to_original(candidate.end),
        candidate.score,
        candidate.quote,
        candidate.context,
    )


def _reanchor(annotation: Annotation, text: _Text, fuzzy: bool = True) -> Anchor:
    original = text.original
    start, end = annotation.start, annotation.end
    # Step 1: the position check; when the text is the one it was anchored
    # against, that is all there is to do.
    if 0 <= start <= end <= len(original) and original[start:end] == annotation.exact:
        if annotation.text_hash == text.hash:
            return Anchor(AnchorStatus.ANCHORED, start, end, 1.0, 1.0, 1.0)
        # Otherwise only with its context intact: a quote one character off
        # its old place with a perfect context is a better answer (step 2).
        prefix, suffix = context_around(original, start, end)[::2]
        if annotation.exact and (prefix, suffix) == (annotation.prefix, annotation.suffix):
            return Anchor(AnchorStatus.ANCHORED, start, end, 1.0, 1.0, 1.0)
    quote = _Quote(
        unicodedata.normalize("NFC", annotation.exact),
        unicodedata.normalize("NFC", annotation.prefix[-MAX_CONTEXT:]),
        unicodedata.normalize("NFC", annotation.suffix[:MAX_CONTEXT]),
        text.to_normal(start),
    )
    normal = text.normal
    if not quote.exact:
        return _empty_range(quote, text)
    # Step 2: exact search.
    found = _exact_search(quote, normal)
    if found is not None:
        return _anchor(text, found, AnchorStatus.ANCHORED)
    if not fuzzy:
        return _UNSETTLED
    # Step 3: fuzzy search.
    candidate = _fuzzy_search(quote, normal)
    if candidate is None:
        return _ORPHAN
    if _fuzzy_passes(candidate):
        return _anchor(text, candidate, AnchorStatus.FUZZY)
    if candidate.score >= REVIEW_THRESHOLD:
        return _anchor(text, candidate, AnchorStatus.NEEDS_REVIEW)
    # The scores of the best place found still tell how far off it was.
    return Anchor(AnchorStatus.ORPHAN, -1, -1, candidate.score, candidate.quote, candidate.context)


def _empty_range(quote: _Quote, text: _Text) -> Anchor:
    """An empty range (a bookmark at a point): only its exact context can find it."""
    needle = quote.prefix + quote.suffix
    if not needle:
        return _ORPHAN
    found = nearest_occurrence(text.normal, needle, quote.old_start - len(quote.prefix))
    if found is None:
        return _ORPHAN
    offset = text.to_original(found + len(quote.prefix))
    return Anchor(AnchorStatus.ANCHORED, offset, offset, 1.0, 1.0, 1.0)


def reanchor(annotation: Annotation, text: str) -> Anchor:
    """Find `annotation` in `text` (a reading text), per design §4."""
    return _reanchor(annotation, _Text(text))


def reanchor_all(
    annotations: Iterable[Annotation], text: str, *, budget: float | None = PASS_BUDGET
) -> list[Anchor]:
    """`reanchor` for many annotations over one text (hashes and normalises once).

    Each annotation's cost is bounded (quote and context lengths, occurrences and
    candidates scored); `budget` bounds the pass: once that many seconds have gone,
    the annotations left are only checked at their place and by exact search, and
    those not found so come back unsettled (`Anchor.settled`). None: no bound.
    Pure and thread-safe: run it in a worker.
    """
    prepared = _Text(text)
    deadline = None if budget is None else time.perf_counter() + budget
    anchors: list[Anchor] = []
    for annotation in annotations:
        fuzzy = deadline is None or time.perf_counter() < deadline
        anchors.append(_reanchor(annotation, prepared, fuzzy))
    return anchors


class AnchorCache:
    """Re-anchoring answers kept by annotation and text, so a pass over the same
    annotations and the same reading text costs nothing the second time (an orphan
    is not searched for again every time the notes are reloaded).

    The key is the annotation's id and selectors and the text's hash: an edited or
    re-attached annotation, or a changed text, is searched for afresh. Unsettled
    answers are not kept. Not thread-safe: use it from one worker at a time.

    Example (in a worker)::

        anchors = cache.reanchor_all(stale, essay.reading_text)
    """

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._anchors: dict[tuple[object, ...], Anchor] = {}

    def reanchor_all(
        self, annotations: Iterable[Annotation], text: str, *, budget: float | None = PASS_BUDGET
    ) -> list[Anchor]:
        """Like `reanchor_all`, answering from the cache where it can."""
        current = text_hash(text)
        annotations = list(annotations)
        keys = [self._key(annotation, current) for annotation in annotations]
        missing = [a for a, key in zip(annotations, keys, strict=True) if key not in self._anchors]
        found = iter(reanchor_all(missing, text, budget=budget))
        anchors: list[Anchor] = []
        for key in keys:
            anchor = self._anchors.get(key)
            if anchor is None:
                anchor = next(found)
                if anchor.settled:
                    if len(self._anchors) >= self.size:
                        self._anchors.clear()
                    self._anchors[key] = anchor
            anchors.append(anchor)
        return anchors

    def get(self, annotation: Annotation, current_hash: str) -> Anchor | None:
        """The answer kept for `annotation` in the text with `current_hash`, if any (a
        lookup, safe beside the worker that fills the cache)."""
        return self._anchors.get(self._key(annotation, current_hash))

    @staticmethod
    def _key(annotation: Annotation, current_hash: str) -> tuple[object, ...]:
        return (
            annotation.id,
            annotation.start,
            annotation.end,
            annotation.exact,
            annotation.prefix,
            annotation.suffix,
            annotation.text_hash,
            current_hash,
        )


def nearest_occurrence(text: str, quote: str, offset: int) -> int | None:
    """The start of the occurrence of `quote` in `text` nearest to `offset`, if any
    (the earlier one on a tie). Two searches, however often `quote` occurs."""
    if not quote:
        return None
    after = text.find(quote, max(0, offset))
    before = text.rfind(quote, 0, offset - 1 + len(quote)) if offset > 0 else -1
    if before < 0:
        return after if after >= 0 else None
    if after < 0 or offset - before <= after - offset:
        return before
    return after


def reanchor_offset(offset: int, quote: str, text: str, hash_then: str = "") -> int:
    """Find a saved reading position again: the offset of `quote` in `text`.

    `quote` is the sentence that was at the top of the view at `offset`, and
    `hash_then` the text's hash then. Tries the old place, then the nearest
    exact occurrence, then a fuzzy match of its first 64 characters; falls back
    to the old offset, kept inside the text.
    """
    fallback = max(0, min(offset, len(text)))
    if not quote or (hash_then and hash_then == text_hash(text)):
        return fallback
    if text.startswith(quote, fallback):
        return fallback
    nearest = nearest_occurrence(text, quote, offset)
    if nearest is not None:
        return nearest
    head = quote[:PIECE]
    if len(head) < _MIN_HEAD or len(head) > len(text):
        return fallback
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    alignment = fuzz.partial_ratio_alignment(head, text, score_cutoff=_HEAD_CUTOFF)
    if alignment is None:
        return fallback
    rough = alignment.dest_start - alignment.src_start
    # The alignment may start a character or two early or late; settle on the
    # start where the sentence's first characters match, then the closest.
    starts = range(max(0, rough - _ALIGN_SLACK), min(len(text), rough + _ALIGN_SLACK) + 1)
    return max(
        starts,
        key=lambda s: (
            len(os.path.commonprefix([head[:_MIN_HEAD], text[s : s + _MIN_HEAD]])),
            Levenshtein.normalized_similarity(head, text[s : s + len(head)]),
            -abs(s - rough),
        ),
    )
