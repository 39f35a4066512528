"""The library: every text essaytui has opened or been given, its full-text index and
the reading time spent on each.

It lives in its own SQLite file beside the notes database. The list of texts and the
reading time are the reader's own; the index is derived from the files and rebuilt
whenever a file's size or mtime changes, so a damaged library file is moved aside and
started again without losing a note (notes never live here).

The index is FTS5 with the ``unicode61`` tokenizer over sentences whose Chinese,
Japanese and Korean runs are written as overlapping two-character words: most CJK
words are two characters, and the ``trigram`` tokenizer finds nothing shorter than
three (tests/unit/test_library.py measures both on the CJK fixtures).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from essaytui.model.essay import Essay
from essaytui.model.identity import file_state
from essaytui.model.search import REGEX_PREFIX, SearchError, compile_query
from essaytui.model.series import SeriesPlace, series_place
from essaytui.model.text import BLOCK_SEPARATOR, word_count
from essaytui.store.faults import busy_timeout
from essaytui.store.library_text import (
    bigrams,
    match_expression,
    note_sentences,
    query_words,
    sentences,
)
from essaytui.store.pace import DEFAULT_WPM

#: File name of the library inside the data directory.
LIBRARY_NAME = "library.sqlite3"

#: The version of the library file's layout (`PRAGMA user_version`): 2 indexes the
#: texts' footnotes and endnotes too (`sentences.note`).
LIBRARY_VERSION = 2

#: Seconds to wait for another essaytui writing to the library.
BUSY_WAIT = 5.0

#: How many hits a search returns at most.
HIT_LIMIT = 50

#: Characters of context either side of a hit in its snippet.
SNIPPET_REACH = 60

#: Reading time (seconds) needed before the reader's own pace replaces the default.
LEARNED_AFTER = 120.0

_SCHEMA = [
    """
    CREATE TABLE IF NOT EXISTS texts (
        num INTEGER PRIMARY KEY,
        essay_id TEXT UNIQUE NOT NULL,
        path TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        series TEXT NOT NULL DEFAULT '',
        part INTEGER NOT NULL DEFAULT 0,
        words INTEGER NOT NULL DEFAULT 0,
        length INTEGER NOT NULL DEFAULT 0,
        size INTEGER NOT NULL DEFAULT -1,
        mtime_ns INTEGER NOT NULL DEFAULT -1,
        added TEXT NOT NULL,
        removed INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS sentences (
        id INTEGER PRIMARY KEY,
        text_num INTEGER NOT NULL,
        section INTEGER NOT NULL DEFAULT -1,
        paragraph INTEGER NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        text TEXT NOT NULL,
        note INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX IF NOT EXISTS sentences_by_text ON sentences (text_num)",
    # Section titles once per text, not once per sentence: the index's size is most of
    # the library's, and a title repeated on every row was a fifth of it.
    """
    CREATE TABLE IF NOT EXISTS sections (
        text_num INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        title TEXT NOT NULL,
        PRIMARY KEY (text_num, idx)
    ) WITHOUT ROWID
    """,
    # Contentless: the sentence's text is kept once, in `sentences`.
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS sentence_index USING fts5(
        body, content = '', tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS reading (
        essay_id TEXT NOT NULL,
        day TEXT NOT NULL,
        seconds REAL NOT NULL DEFAULT 0,
        words INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (essay_id, day)
    )
    """,
]


class LibraryError(Exception):
    """The library file cannot be used; `str(error)` is one line for the reader."""


@dataclass(frozen=True, slots=True)
class LibraryText:
    """One text of the library.

    Attributes:
        essay_id: the id its notes and position are filed under.
        path: the file it was last found at.
        series: its series' name ("" when the series names none, or no series).
        part: its part in the series (0: none).
        in_series: whether the front matter puts it in a series.
        words: words of its reading text.
        length: characters of its reading text.
        size: the file's size in bytes when it was last indexed.
        removed: taken out of the library (its notes stay).
    """

    essay_id: str
    path: str
    title: str
    author: str
    series: str
    part: int
    words: int
    length: int
    size: int
    mtime_ns: int
    added: str
    removed: bool = False

    @property
    def place(self) -> SeriesPlace | None:
        """Its place in a series, if it has one."""
        if not self.series and not self.part:
            return None
        return SeriesPlace(self.series, self.part)

    @property
    def missing(self) -> bool:
        """Whether its file is gone from where it was last found."""
        return not Path(self.path).is_file()


@dataclass(frozen=True, slots=True)
class TextHit:
    """A sentence of a text that a library search found.

    `marks` are `(start, end)` ranges of `snippet` that matched.
    """

    essay_id: str
    title: str
    path: str
    section: str
    paragraph: int
    start: int
    end: int
    snippet: str
    marks: tuple[tuple[int, int], ...]
    note: int = 0


@dataclass(frozen=True, slots=True)
class ReadingTotals:
    """Active reading time and the words read in it."""

    seconds: float
    words: int

    @property
    def words_per_minute(self) -> float:
        """The pace of this reading, or the default pace before there is enough of it."""
        if self.seconds < LEARNED_AFTER or self.words <= 0:
            return DEFAULT_WPM
        return self.words / (self.seconds / 60)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _regexp(pattern: str, text: str) -> bool:
    # Only a match with at least one character counts, as in the reader's `/`.
    compiled = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    return any(m.end() > m.start() for m in compiled.finditer(text))


class Library:
    """The library file of a data directory (see the module's doc)."""

    def __init__(
        self, connection: sqlite3.Connection, location: str, wait: float = BUSY_WAIT
    ) -> None:
        self._db = connection
        self.location = location
        self._busy_ms = int(wait * 1000)  # what `_connect` gave the connection

    @classmethod
    def open(cls, data_dir: Path, wait: float = BUSY_WAIT) -> Library:
        """Open (or create) the library in `data_dir`; a damaged file is moved aside, a
        busy one waited for `wait` seconds.

        Raises:
            LibraryError: the folder cannot hold it.
        """
        target = data_dir / LIBRARY_NAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            return cls(_connect(str(target), wait), str(target), wait)
        except sqlite3.OperationalError as error:
            # busy, locked, read-only, out of space: the file is fine, only not now
            raise LibraryError(f"cannot open the library {target}: {error}") from None
        except sqlite3.DatabaseError as error:
            if not target.exists():
                raise LibraryError(f"cannot open the library {target}: {error}") from None
            aside = target.with_name(f"{LIBRARY_NAME}.damaged-{int(time.time())}")
            with contextlib.suppress(OSError):
                target.rename(aside)
            try:
                return cls(_connect(str(target), wait), str(target), wait)
            except sqlite3.DatabaseError as again:
                raise LibraryError(f"cannot open the library {target}: {again}") from None
        except OSError as error:
            raise LibraryError(f"cannot open the library {target}: {error.strerror}") from None

    @classmethod
    def in_memory(cls) -> Library:
        """A library that lasts as long as the process (tests; a folder that takes nothing)."""
        return cls(_connect(":memory:"), ":memory:")

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- the list of texts ---------------------------------------------------------------

    def put(self, essay_id: str, essay: Essay, path: Path) -> bool:
        """Hold `essay` (read from `path`) under `essay_id`; index it if its file changed.

        Returns:
            True when the text was not in the library before (or had been removed).
        """
        state = file_state(path)
        size, mtime = state if state is not None else (-1, -1)
        place = series_place(essay.meta)
        rows = self._db.execute(
            "SELECT size, mtime_ns, removed FROM texts WHERE essay_id = ?", (essay_id,)
        ).fetchall()
        new = not rows or bool(rows[0][2])
        changed = not rows or (rows[0][0], rows[0][1]) != (size, mtime)
        words = word_count(essay.reading_text)
        with self._db:
            self._db.execute(
                "INSERT INTO texts (essay_id, path, title, author, series, part, words, length, "
                "size, mtime_ns, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (essay_id) DO UPDATE SET path = excluded.path, "
                "title = excluded.title, author = excluded.author, series = excluded.series, "
                "part = excluded.part, words = excluded.words, length = excluded.length, "
                "size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, removed = 0",
                (
                    essay_id,
                    str(path),
                    essay.title,
                    essay.author,
                    place.name if place else "",
                    place.part if place else 0,
                    words,
                    len(essay.reading_text),
                    size,
                    mtime,
                    _now(),
                ),
            )
            if changed and essay.complete:
                self._index(essay_id, essay)
        return new

    def forget_others_at(self, path: Path, essay_id: str) -> int:
        """Forget the texts held at `path` under another id than `essay_id` (the same file
        known under an older id, before a sync joined two ids into one); how many."""
        rows = self._db.execute(
            "SELECT essay_id FROM texts WHERE path = ? AND essay_id != ?", (str(path), essay_id)
        ).fetchall()
        with self._db:
            for (other,) in rows:
                self._unindex(str(other))
                self._db.execute("DELETE FROM texts WHERE essay_id = ?", (other,))
        return len(rows)

    def remove(self, essay_id: str) -> bool:
        """Take a text out of the library (its notes and position stay); False if absent."""
        with self._db:
            cursor = self._db.execute(
                "UPDATE texts SET removed = 1 WHERE essay_id = ? AND removed = 0", (essay_id,)
            )
            self._unindex(essay_id)
        return cursor.rowcount > 0

    def text(self, essay_id: str) -> LibraryText | None:
        """The text held under `essay_id`, removed or not."""
        rows = self._db.execute(
            f"SELECT {_TEXT_COLUMNS} FROM texts WHERE essay_id = ?", (essay_id,)
        )
        found = [_text(row) for row in rows]
        return found[0] if found else None

    def texts(self) -> list[LibraryText]:
        """Every text held (not removed), by title."""
        rows = self._db.execute(
            f"SELECT {_TEXT_COLUMNS} FROM texts WHERE removed = 0 ORDER BY title COLLATE NOCASE"
        )
        return [_text(row) for row in rows]

    def known(self, essay_id: str) -> bool:
        """Whether the text was ever in the library (a removed one stays out)."""
        rows = self._db.execute("SELECT 1 FROM texts WHERE essay_id = ?", (essay_id,))
        return bool(rows.fetchall())

    def stale(self, text: LibraryText) -> bool:
        """Whether the text's file changed since it was indexed (size or mtime)."""
        state = file_state(Path(text.path))
        return state is not None and state != (text.size, text.mtime_ns)

    def move(self, essay_id: str, path: Path) -> None:
        """Remember that a text's file is now at `path` (it moved, or came back)."""
        with self._db:
            self._db.execute("UPDATE texts SET path = ? WHERE essay_id = ?", (str(path), essay_id))

    def parts(self, place: SeriesPlace, author: str) -> list[LibraryText]:
        """The texts of a series held in the library, in part order."""
        key = place.key(author)
        found = [t for t in self.texts() if t.place is not None and t.place.key(t.author) == key]
        return sorted(found, key=lambda t: (t.part, t.title.casefold()))

    # -- the index --------------------------------------------------------------------------

    def _num(self, essay_id: str) -> int:
        row = self._db.execute("SELECT num FROM texts WHERE essay_id = ?", (essay_id,)).fetchone()
        return int(row[0]) if row else -1

    def _index(self, essay_id: str, essay: Essay) -> None:
        self._unindex(essay_id)
        num = self._num(essay_id)
        text = essay.reading_text
        self._db.executemany(
            "INSERT INTO sections (text_num, idx, title) VALUES (?, ?, ?)",
            ((num, section.index, section.title) for section in essay.sections),
        )
        for section, paragraph, start, end in sentences(essay):
            sentence = text[start:end].replace(BLOCK_SEPARATOR, " ")
            cursor = self._db.execute(
                "INSERT INTO sentences (text_num, section, paragraph, start_offset, end_offset, "
                "text) VALUES (?, ?, ?, ?, ?, ?)",
                (num, section, paragraph, start, end, sentence),
            )
            self._db.execute(
                "INSERT INTO sentence_index (rowid, body) VALUES (?, ?)",
                (cursor.lastrowid, bigrams(sentence)),
            )
        for note, section, start, end, sentence in note_sentences(essay):
            cursor = self._db.execute(
                "INSERT INTO sentences (text_num, section, paragraph, start_offset, end_offset, "
                "text, note) VALUES (?, ?, 0, ?, ?, ?, ?)",
                (num, section, start, end, sentence, note),
            )
            self._db.execute(
                "INSERT INTO sentence_index (rowid, body) VALUES (?, ?)",
                (cursor.lastrowid, bigrams(sentence)),
            )

    def _unindex(self, essay_id: str) -> None:
        num = self._num(essay_id)
        rows = self._db.execute("SELECT id, text FROM sentences WHERE text_num = ?", (num,))
        # A contentless index forgets a row only when told the text it indexed.
        self._db.executemany(
            "INSERT INTO sentence_index (sentence_index, rowid, body) VALUES ('delete', ?, ?)",
            ((row[0], bigrams(row[1])) for row in rows),
        )
        self._db.execute("DELETE FROM sentences WHERE text_num = ?", (num,))
        self._db.execute("DELETE FROM sections WHERE text_num = ?", (num,))

    def tidy(self) -> None:
        """Merge the index's segments into one, after many texts were added (smaller on
        disk, faster to search)."""
        with self._db:
            self._db.execute("INSERT INTO sentence_index (sentence_index) VALUES ('optimize')")
        self._db.execute("PRAGMA incremental_vacuum").fetchall()  # one page a step

    def indexed(self, essay_id: str) -> int:
        """How many sentences of the text are indexed."""
        row = self._db.execute(
            "SELECT count(*) FROM sentences WHERE text_num = ?", (self._num(essay_id),)
        ).fetchone()
        return int(row[0])

    def search(self, query: str, limit: int = HIT_LIMIT) -> list[TextHit]:
        """The sentences of the library's texts that hold every word of `query` (or match
        the regular expression after ``re:``), best first.

        Raises:
            SearchError: an empty query, or a bad regular expression.
        """
        pattern = compile_query(query)
        if query.startswith(REGEX_PREFIX) and pattern.search("") is not None:
            raise SearchError(
                f"{query} matches the empty string, so every sentence: "
                "give a pattern that needs at least one character"
            )
        base = (
            "SELECT t.essay_id, t.title, t.path, coalesce(c.title, ''), s.paragraph, "
            "s.start_offset, s.end_offset, s.text, s.note FROM sentences s "
            "JOIN texts t ON t.num = s.text_num "
            "LEFT JOIN sections c ON c.text_num = s.text_num AND c.idx = s.section "
            "AND t.removed = 0 "
        )
        if query.startswith(REGEX_PREFIX):
            self._db.create_function("regexp", 2, _regexp, deterministic=True)
            rows = self._db.execute(
                base + "WHERE s.text REGEXP ? LIMIT ?", (pattern.pattern, limit)
            ).fetchall()
            marker = pattern
        else:
            expression = match_expression(query)
            if not expression:
                raise SearchError("empty search")
            rows = self._db.execute(
                base + "JOIN (SELECT rowid, rank FROM sentence_index WHERE sentence_index "
                "MATCH ? ORDER BY rank LIMIT ?) f ON f.rowid = s.id ORDER BY f.rank",
                (expression, limit),
            ).fetchall()
            words = [re.escape(w) for w in query_words(query)]
            marker = re.compile("|".join(words), re.IGNORECASE)
        return [_hit(row, marker) for row in rows]

    # -- reading time -----------------------------------------------------------------------

    def add_reading(
        self, essay_id: str, seconds: float, words: int, day: str = "", *, wait: bool = True
    ) -> None:
        """Add active reading time (and the words read in it) to a text's day.

        Raises:
            sqlite3.OperationalError: not written; with `wait` False, at once when another
                process is writing to the library (`is_busy`).
        """
        if seconds <= 0:
            return
        day = day or datetime.now(UTC).date().isoformat()
        waits = self._busy_ms if wait else 0
        with busy_timeout(self._db, waits, self._busy_ms), self._db:
            self._db.execute(
                "INSERT INTO reading (essay_id, day, seconds, words) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (essay_id, day) DO UPDATE SET "
                "seconds = seconds + excluded.seconds, words = words + excluded.words",
                (essay_id, day, seconds, max(0, words)),
            )

    def reading(self, essay_id: str | None = None) -> ReadingTotals:
        """Reading time of one text, or of every text."""
        where, parameters = ("WHERE essay_id = ?", (essay_id,)) if essay_id else ("", ())
        row = self._db.execute(
            f"SELECT coalesce(sum(seconds), 0), coalesce(sum(words), 0) FROM reading {where}",
            parameters,
        ).fetchone()
        return ReadingTotals(float(row[0]), int(row[1]))

    def reading_by_text(self) -> dict[str, ReadingTotals]:
        """Reading time of every text that has some."""
        rows = self._db.execute(
            "SELECT essay_id, sum(seconds), sum(words) FROM reading GROUP BY essay_id"
        )
        return {str(r[0]): ReadingTotals(float(r[1]), int(r[2])) for r in rows}

    def reading_by_week(self) -> list[tuple[str, ReadingTotals]]:
        """Reading time per ISO week ("2026-W49"), most recent first."""
        totals: dict[str, tuple[float, int]] = {}
        for day, seconds, words in self._db.execute("SELECT day, seconds, words FROM reading"):
            try:
                year, week, _ = datetime.fromisoformat(str(day)).isocalendar()
            except ValueError:
                continue
            key = f"{year}-W{week:02d}"
            before = totals.get(key, (0.0, 0))
            totals[key] = (before[0] + float(seconds), before[1] + int(words))
        return [(k, ReadingTotals(*v)) for k, v in sorted(totals.items(), reverse=True)]


_TEXT_COLUMNS = (
    "essay_id, path, title, author, series, part, words, length, size, mtime_ns, added, removed"
)


def _connect(target: str, wait: float = BUSY_WAIT) -> sqlite3.Connection:
    connection = sqlite3.connect(target, timeout=wait, check_same_thread=False)
    # Pages the index frees when it merges are given back to the disk (`tidy`); this
    # only takes on a new file, before its first table.
    connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
    connection.execute("PRAGMA journal_mode = WAL")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == 1:
        # Notes came into the index: every text is indexed again at the next gathering
        # (its recorded size no longer matches its file's).
        with connection:
            connection.execute("ALTER TABLE sentences ADD COLUMN note INTEGER NOT NULL DEFAULT 0")
            connection.execute("UPDATE texts SET size = -1")
            connection.execute(f"PRAGMA user_version = {LIBRARY_VERSION}")
    elif version < LIBRARY_VERSION:  # a new file: no write at all on an existing one
        with connection:
            for statement in _SCHEMA:
                connection.execute(statement)
            # the version of this layout, for the migrations of later ones
            connection.execute(f"PRAGMA user_version = {LIBRARY_VERSION}")
    # Reading the schema is enough to tell a file that is not a database (a quick_check
    # would read every page: a second for a large library, at every start).
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return connection


def _text(row: Iterable[object]) -> LibraryText:
    values = list(row)
    return LibraryText(
        essay_id=str(values[0]),
        path=str(values[1]),
        title=str(values[2]),
        author=str(values[3]),
        series=str(values[4]),
        part=int(str(values[5])),
        words=int(str(values[6])),
        length=int(str(values[7])),
        size=int(str(values[8])),
        mtime_ns=int(str(values[9])),
        added=str(values[10]),
        removed=bool(values[11]),
    )


def _hit(row: sqlite3.Row | tuple[object, ...], marker: re.Pattern[str]) -> TextHit:
    essay_id, title, path, section, paragraph, start, end, text, note = (str(v) for v in row)
    found = marker.search(text)
    centre = found.start() if found else 0
    cut = max(0, centre - SNIPPET_REACH)
    while cut > 0 and not text[cut - 1].isspace() and centre - cut < SNIPPET_REACH + 15:
        cut -= 1
    stop = min(len(text), centre + 2 * SNIPPET_REACH)
    snippet = ("…" if cut else "") + text[cut:stop] + ("…" if stop < len(text) else "")
    shift = 1 if cut else 0
    marks = tuple(
        (m.start() - cut + shift, m.end() - cut + shift)
        for m in marker.finditer(text, cut, stop)
        if m.end() > m.start()
    )
    return TextHit(
        essay_id,
        title,
        path,
        section,
        int(paragraph),
        int(start),
        int(end),
        snippet,
        marks,
        int(note),
    )
