"""The Library screen's state, in plain Python: its rows, their order and the filter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from essaytui.model.essay import progress_percent
from essaytui.store.library import LibraryText
from essaytui.store.pace import DEFAULT_WPM
from essaytui.store.rows import NoteTally, Position


class Column(StrEnum):
    """The Library's columns, in the order shown (and the digit that sorts by each)."""

    TITLE = "Title"
    AUTHOR = "Author"
    SERIES = "Series"
    PROGRESS = "Read"
    LEFT = "Left"
    LAST_READ = "Last read"
    NOTES = "Notes"
    SIZE = "Size"


@dataclass(frozen=True, slots=True)
class LibraryRow:
    """One text as the Library shows it."""

    text: LibraryText
    percent: int
    minutes_left: int
    last_read: str
    notes: int
    highlights: int
    tags: tuple[str, ...]
    missing: bool

    @property
    def series_label(self) -> str:
        """ " 5 · The long road", "Part 5" (a series that names itself nowhere), the
        name alone (no part number), or ""."""
        place = self.text.place
        if place is None:
            return ""
        if not place.name:
            return f"Part {place.part}"
        return f"{place.part:>2} · {place.name}" if place.part else place.name

    def cell(self, column: Column) -> str:
        """The row's text in `column`."""
        match column:
            case Column.TITLE:
                return ("✗ " if self.missing else "") + (self.text.title or "Untitled")
            case Column.AUTHOR:
                return self.text.author
            case Column.SERIES:
                return self.series_label
            case Column.PROGRESS:
                return f"{self.percent}%" if self.last_read else "–"
            case Column.LEFT:
                return duration(self.minutes_left) if self.percent < 100 else "done"
            case Column.LAST_READ:
                return when(self.last_read)
            case Column.NOTES:
                return (
                    f"{self.notes} ✎ {self.highlights} ▌" if self.notes or self.highlights else ""
                )
            case Column.SIZE:
                return size_label(self.text.size)

    def sort_key(self, column: Column) -> tuple[object, ...]:
        """What the rows are ordered by for `column` (a series' parts stay in order)."""
        title = self.text.title.casefold()
        place = self.text.place
        group = (place.key(self.text.author), place.part) if place else (title, 0)
        match column:
            case Column.TITLE:
                return (title,)
            case Column.AUTHOR:
                return (*surname_first(self.text.author), *group)
            case Column.SERIES:
                return (*group, title)
            case Column.PROGRESS:
                return (self.percent, title)
            case Column.LEFT:
                return (self.minutes_left, title)
            case Column.LAST_READ:
                return (self.last_read, title)
            case Column.NOTES:
                return (self.notes + self.highlights, title)
            case Column.SIZE:
                return (self.text.size, title)

    def matches(self, words: Iterable[str]) -> bool:
        """Whether every word is in the title, author, series or the tags of its notes."""
        haystack = " ".join(
            (self.text.title, self.text.author, self.text.series, self.series_label, *self.tags)
        ).casefold()
        return all(word in haystack for word in words)


#: What may follow a surname without being one ("Martin Luther King Jr.").
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
#: What joins the names of several authors; the first author's surname orders the text.
AUTHOR_JOINS = (";", " & ", " and ")


def surname_first(author: str) -> tuple[str, str]:
    """The name as a catalogue files it: (surname, the rest), casefolded.

    The surname is the last word ("David Hume" → hume, david), or what comes before the
    comma when the name is written that way ("Hume, David"). Particles are not looked
    for ("Le Guin" files under guin): a reader who wants otherwise writes the comma form.
    """
    name = author.casefold()
    for join in AUTHOR_JOINS:
        name = name.split(join, 1)[0]
    if "," in name:
        surname, rest = name.split(",", 1)
        return (surname.strip(), rest.strip())
    words = name.split()
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    if not words:
        return ("", "")
    return (words[-1], " ".join(words[:-1]))


def when(stamp: str, today: date | None = None) -> str:
    """A day as a reader says it: "today", "yesterday", "5 days ago", else the date."""
    if not stamp:
        return "never"
    try:
        day = date.fromisoformat(stamp[:10])
    except ValueError:
        return stamp[:10]
    days = ((today or datetime.now(UTC).date()) - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago" if days < 30 else day.isoformat()


#: The cells the Left column gives a duration; `duration` never needs more.
DURATION_CELLS = 7


def duration(minutes: int) -> str:
    """ "12 min", "3 h 05", "113 h", "417 d": at most `DURATION_CELLS` cells.

    From a hundred hours on, the minutes are left out (they would not fit, and nobody
    plans a read that long to the minute); beyond what whole hours can say in the
    column, days.
    """
    hours = minutes // 60
    if minutes < 60:
        return f"{minutes} min"
    if hours < 100:
        return f"{hours} h {minutes % 60:02d}"
    rounded = round(minutes / 60)
    if rounded < 10_000:
        return f"{rounded} h"
    return f"{round(minutes / (60 * 24))} d"


def size_label(size: int) -> str:
    """A file size as people say it: "812 B", "14 KB", "3.2 MB"."""
    if size < 0:
        return "?"
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def library_rows(
    texts: Iterable[LibraryText],
    positions: Iterable[Position],
    tallies: Mapping[str, NoteTally],
    words_per_minute: float = DEFAULT_WPM,
) -> list[LibraryRow]:
    """The Library's rows: each text with its place, time left and notes (`tallies`, per
    essay id, as `AnnotationStore.note_tallies` counts them)."""
    places = {p.essay_id: p for p in positions}
    rows: list[LibraryRow] = []
    pace = words_per_minute if words_per_minute > 0 else DEFAULT_WPM
    none = NoteTally(0, 0, ())
    for text in texts:
        place = places.get(text.essay_id)
        # the figure saved with the place: the status line's, as `essaytui list` shows it
        percent = progress_percent(place.progress) if place is not None else 0
        tally = tallies.get(text.essay_id, none)
        left = round(text.words * (100 - percent) / 100 / pace)
        rows.append(
            LibraryRow(
                text=text,
                percent=percent,
                minutes_left=max(1, left) if percent < 100 else 0,
                last_read=place.updated.replace("T", " ") if place else "",
                notes=tally.notes,
                highlights=tally.highlights,
                tags=tally.tags,
                missing=text.missing,
            )
        )
    return rows


@dataclass
class LibraryView:
    """The rows shown: filtered by words typed, sorted by a column (again: reversed)."""

    rows: list[LibraryRow]
    column: Column = Column.SERIES
    descending: bool = False
    filter: str = ""

    def sort_by(self, column: Column) -> None:
        """Sort by `column`; the same column again reverses the order."""
        self.descending = not self.descending if column is self.column else False
        self.column = column

    def shown(self) -> list[LibraryRow]:
        """The rows that match the filter, in order."""
        words = self.filter.casefold().split()
        kept = [row for row in self.rows if row.matches(words)]
        return sorted(kept, key=lambda row: row.sort_key(self.column), reverse=self.descending)
