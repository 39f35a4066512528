"""Sorted ranges of a reading text, found again by offset in logarithmic time."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class RangeIndex(Generic[T]):
    """`(start, end, value)` ranges sorted by start, with the lookups the view needs.

    Ranges may overlap (highlights do); `overlapping` finds every one meeting a span by
    starting its scan `longest` characters early.
    """

    __slots__ = ("_ranges", "_starts", "_longest")

    def __init__(self, ranges: Iterable[tuple[int, int, T]] = ()) -> None:
        self._ranges = sorted(ranges, key=lambda item: (item[0], item[1]))
        self._starts = [start for start, _, _ in self._ranges]
        self._longest = max((end - start for start, end, _ in self._ranges), default=0)

    def __len__(self) -> int:
        return len(self._ranges)

    def __bool__(self) -> bool:
        return bool(self._ranges)

    def __getitem__(self, index: int) -> tuple[int, int, T]:
        return self._ranges[index]

    def __iter__(self) -> Iterator[tuple[int, int, T]]:
        return iter(self._ranges)

    @property
    def starts(self) -> list[int]:
        """The start of every range, in order."""
        return self._starts

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int, T]]:
        """The ranges that meet `[start, end)` (an empty range meets nothing)."""
        index = bisect.bisect_left(self._starts, start - self._longest)
        ranges = self._ranges
        while index < len(ranges) and ranges[index][0] < end:
            item = ranges[index]
            if item[1] > start:
                yield item
            index += 1

    def index_at(self, offset: int) -> int:
        """The index of a range containing `offset`, or -1."""
        for index in range(bisect.bisect_right(self._starts, offset) - 1, -1, -1):
            start, end, _ = self._ranges[index]
            if start <= offset < end:
                return index
            if offset - start > self._longest:
                break
        return -1

    def first_from(self, offset: int) -> int:
        """The index of the first range starting at or after `offset` (len when none)."""
        return bisect.bisect_left(self._starts, offset)

    def last_before(self, offset: int) -> int:
        """The index of the last range starting at or before `offset` (-1 when none)."""
        return bisect.bisect_right(self._starts, offset) - 1


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """`(start, end)` ranges sorted, empty ones dropped, overlapping or touching ones
    joined into one."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if joined and start <= joined[-1][1]:
            if end > joined[-1][1]:
                joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined
