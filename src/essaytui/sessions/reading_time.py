"""Active reading time: the time between keys, where two minutes without one is a pause."""

from __future__ import annotations

from dataclasses import dataclass

from essaytui.model.essay import Essay
from essaytui.model.text import word_count

#: Seconds without a key after which the reader is taken to have stopped reading.
PAUSE_AFTER = 120.0


@dataclass
class ReadingClock:
    """Counts the active seconds of one reading session (of one text at a time)."""

    last_key: float | None = None
    seconds: float = 0.0

    def key(self, now: float) -> None:
        """A key was pressed at `now` (monotonic seconds)."""
        if self.last_key is not None:
            gap = now - self.last_key
            if 0 < gap < PAUSE_AFTER:
                self.seconds += gap
        self.last_key = now

    def take(self) -> float:
        """The active seconds counted since the last `take`, and start again."""
        seconds, self.seconds = self.seconds, 0.0
        return seconds


def words_read(essay: Essay, before: float, after: float) -> int:
    """Words read going from `before` to `after` through `essay` (`reading_progress`
    figures; 0 going back): the share of its words, so a text read to its end counts
    them all, the last screen and a text that fits on one screen included."""
    if after <= before or not essay.complete:
        return 0
    return round(word_count(essay.reading_text) * (after - before))


def words_between(text: str, start: int, end: int) -> int:
    """Words of `text` read going from offset `start` forward to `end` (0 going back)."""
    if end <= start:
        return 0
    return len(text[start:end].split())
