"""The status line: where you are in the argument, and passing messages."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

from essaytui.model.essay import Essay, progress_percent, reading_progress
from essaytui.model.text import sanitize_inline
from essaytui.widgets.inert import inert

#: Reading speeds: words of alphabetic text, characters of Chinese or Japanese text.
WORDS_PER_MINUTE = 230
CJK_PER_MINUTE = 400
#: The text is counted in chunks of this many characters (then the rest of one chunk).
_CHUNK = 4096
#: The fewest cells worth showing of a shortened title or message.
MIN_TITLE = 10
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


@functools.lru_cache(maxsize=4)
def _counts_after(text: str) -> tuple[list[int], list[int]]:
    """Words and CJK characters from the start of each chunk to the end of `text`
    (`[i]` counts chunks i, i+1, …; the last entry is 0)."""
    chunks = range(0, len(text), _CHUNK)
    words = [_words(text[start : start + _CHUNK]) for start in chunks]
    cjk = [len(_CJK.findall(text[start : start + _CHUNK])) for start in chunks]
    return list(itertools.accumulate(reversed(words + [0])))[::-1], list(
        itertools.accumulate(reversed(cjk + [0]))
    )[::-1]


def word_counts(text: str) -> None:
    """Count the words of `text` for `reading_minutes` now (cached), e.g. in a worker
    thread before a long text is shown."""
    _counts_after(text)


def _words(piece: str) -> int:
    return piece.count(" ") + piece.count("\n")


def reading_minutes(text: str, start: int, pace: float = WORDS_PER_MINUTE) -> int:
    """Minutes to read `text` from `start` on: words at 230 a minute, Chinese and
    Japanese characters at 400 (a count of spaces would call 8,800 characters "4 min");
    both scaled to the reader's own `pace` in words a minute, once it is known."""
    if start >= len(text):
        return 0
    words, cjk = _counts_after(text)
    chunk = start // _CHUNK
    head = text[start : (chunk + 1) * _CHUNK]
    word_count = _words(head) + words[chunk + 1] + 1
    cjk_count = len(_CJK.findall(head)) + cjk[chunk + 1]
    scale = WORDS_PER_MINUTE / pace if pace > 0 else 1.0
    return max(1, round(scale * (word_count / WORDS_PER_MINUTE + cjk_count / CJK_PER_MINUTE)))


@dataclass(frozen=True, slots=True)
class ReadingStatus:
    """Where the reader is: the section ("§ 2/7 Title") and the figures ("34% · ~6 min
    left"). Kept apart so that a narrow line shortens the title, never the figures."""

    section: str
    figures: str

    def __str__(self) -> str:
        return " · ".join(part for part in (self.section, self.figures) if part)


def reading_status(
    essay: Essay,
    top: int,
    bottom: int,
    *,
    focus: int | None = None,
    rest_unreadable: bool = False,
    pace: float = WORDS_PER_MINUTE,
) -> ReadingStatus:
    """ "§ 2/7 Title" and "34% · ~6 min left" for a view showing `[top, bottom)`.

    The section is the one the reader is looking at: that of `focus` (a selected
    footnote or term) when given, the last one when the end of the essay is on screen,
    else the one at the top. The percentage is of the way through: 0 % at the top, 100 %
    with the end on screen. While the rest of a long essay loads, the sections' count,
    the percentage, the end and the time left are not known yet: it says so ("… left")
    rather than guess from the part read so far.

    Args:
        rest_unreadable: the essay is its first part for good (the rest could not be read).
        pace: the reader's words a minute, for the time left.
    """
    text = essay.reading_text
    length = len(text)
    at_end = bottom >= length
    point = focus if focus is not None else (max(0, length - 1) if at_end else top)
    section = essay.section_at(point)
    if not essay.complete and not rest_unreadable:
        # only the first part is in: how many sections, how far and the end are not known
        title = f"§ {section.index + 1} {section.title}" if section else ""
        return ReadingStatus(title, "… left · loading the rest…")
    title = f"§ {section.index + 1}/{len(essay.sections)} {section.title}" if section else ""
    figures = [f"{progress_percent(reading_progress(length, top, bottom))}%"]
    if at_end:
        figures.append(END)
    else:
        figures.append(f"~{reading_minutes(text, top, pace)} min left")
    if not essay.complete:
        figures.append("first part only")
    return ReadingStatus(title, " · ".join(figures))


def fit_status(message: str, status: ReadingStatus, width: int) -> str:
    """The line shown: `message` (if any), the section and the figures, in `width` cells.

    What gives way first is the section's title (shortened with "…", then left out),
    then the message; the figures are always whole.
    """
    tail = status.figures
    head = f"{message}   ·   " if message and tail else message
    section = status.section
    line = f"{head}{section} · {tail}" if section and tail else f"{head}{section}{tail}"
    if width <= 0 or cell_len(line) <= width:
        return line
    room = width - cell_len(head) - cell_len(tail) - 3
    if section and room >= MIN_TITLE:
        return f"{head}{_shortened(section, room)} · {tail}"
    if cell_len(head) + cell_len(tail) <= width:
        return f"{head}{tail}"
    room = width - cell_len(tail) - 3
    if message and room >= MIN_TITLE:
        return f"{_shortened(message, room)} · {tail}"
    return tail


def series_fits(message: str, status: ReadingStatus, width: int) -> bool:
    """Whether `status`, its figures ending in the series' part, fits in `width` cells
    with the section's title at least `MIN_TITLE` wide: the part of a series gives way
    before the title is cut shorter than that (or left out), never the figures."""
    if width <= 0:
        return True
    head = f"{message}   ·   " if message else ""
    room = width - cell_len(head) - cell_len(status.figures)
    if not status.section:
        return room >= 0
    return room - 3 >= min(MIN_TITLE, cell_len(status.section))


def _shortened(text: str, width: int) -> str:
    """`text` cut to `width` cells, "…" marking the cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + "…"


class PassingMessage:
    """A message a widget shows for a while; a newer one replaces it, with its own time.

    Args:
        owner: the widget that shows it (its timer is the owner's).
        changed: redraws the owner when the message comes or goes.
    """

    def __init__(self, owner: Widget, changed: Callable[[], object]) -> None:
        self._owner = owner
        self._changed = changed
        self._expiry: Timer | None = None
        self.text = ""

    def show(self, message: str, seconds: float) -> None:
        """Show `message` for `seconds`."""
        self.text = message
        if self._expiry is not None:
            self._expiry.stop()
        self._expiry = self._owner.set_timer(seconds, self._expire, name="message-expiry")
        self._changed()

    def clear(self) -> None:
        """Take the message away now."""
        if self._expiry is not None:
            self._expiry.stop()
            self._expiry = None
        if self.text:
            self._expire()

    def _expire(self) -> None:
        self.text = ""
        self._expiry = None
        self._changed()


#: What the status line says with the end of the text on screen.
END = "end"


class StatusLine(Widget):
    """One line at the bottom: the reading status, or a message for a while.

    Drawn by `render` rather than being a `Static`: `Static.update` asks for a new
    layout of the whole screen, and the status changes on nearly every key.
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._status = ReadingStatus("", "")
        self._series = ""
        self._next_part = ""
        self._message = PassingMessage(self, self.refresh)

    def render(self) -> Content:
        message = sanitize_inline(self._message.text)
        width = self.size.width
        status = self._with_series(self._status)
        if status is not self._status and not series_fits(message, status, width):
            status = self._status
        return inert(fit_status(message, status, width))

    def _with_series(self, status: ReadingStatus) -> ReadingStatus:
        """The status with the series' part after the figures (and, at the end of a
        part, the key of the next)."""
        if not self._series or not status.figures:
            return status
        tail = self._series
        if self._next_part and status.figures.split(" · ")[-1] == END:
            tail += f" · {self._next_part}"
        return ReadingStatus(status.section, f"{status.figures} · {tail}")

    def set_series(self, label: str, next_part: str = "") -> None:
        """The series' part the text is ("Part 5 of …"; "" for none), and what to press for
        the next part at the end of this one."""
        if (label, next_part) != (self._series, self._next_part):
            self._series, self._next_part = label, next_part
            self.refresh()

    def set_shown(self, shown: bool) -> None:
        """Show the line, or hide it (the search bar takes its place)."""
        self.display = shown  # its own style: a class would restyle it from the stylesheet

    def set_status(self, status: ReadingStatus) -> None:
        """Update the reading status (shown after any message)."""
        if status != self._status:
            self._status = status
            self.refresh()

    @property
    def status(self) -> ReadingStatus:
        """The reading status, whole (the line may show its title shortened)."""
        return self._status

    def say(self, message: str, seconds: float = 4.0) -> None:
        """Show a message for `seconds` (a new message replaces it, with its own time)."""
        self._message.show(message, seconds)

    def forget(self) -> None:
        """Take away the message on show (it was said about a text no longer shown)."""
        self._message.clear()

    @property
    def message(self) -> str:
        """The message on show, "" when none."""
        return self._message.text
