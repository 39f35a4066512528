"""The search room of the store: notes across every essay, and the tags in use."""

from __future__ import annotations

import re
from pathlib import Path

from essaytui.store.database import Database
from essaytui.store.library_text import bigrams, fts_term
from essaytui.store.rows import ANNOTATION_COLUMNS, NoteHit
from essaytui.store.schema import NOTE_SEARCH_TABLE

#: Most notes one search returns.
SEARCH_LIMIT = 200
#: Characters of a quote kept before the words found (twice as many after).
SNIPPET_REACH = 30
_SEARCH_WORD = re.compile(r"[^\s\"]+")


class NoteSearch:
    """Finding notes across every essay, and the tags in use."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def search_notes(self, query: str, limit: int = SEARCH_LIMIT) -> list[NoteHit]:
        """Live annotations of every essay whose quote, note or tags hold every word of
        `query` (each as a prefix: "grievan" finds "grievances"), best matches first.

        Raises:
            StoreError: the store cannot be read.
        """
        words = _SEARCH_WORD.findall(query)
        if not words:
            return []
        columns = ", ".join(f"a.{c.strip()}" for c in ANNOTATION_COLUMNS.split(","))
        titles = (
            "coalesce(nullif((SELECT e.title FROM essays e WHERE e.id = a.essay_id), ''), "
            "(SELECT p.title FROM positions p WHERE p.essay_id = a.essay_id), '')"
        )
        if self.has_index():
            rows = self._db.read(
                f"SELECT {columns}, {titles} AS essay_title, "
                # the quote around the match (its opening when the match is elsewhere)
                f"snippet({NOTE_SEARCH_TABLE}, 1, '', '', '…', 24) AS found "
                f"FROM {NOTE_SEARCH_TABLE} f JOIN annotations a ON a.id = f.id "
                f"WHERE {NOTE_SEARCH_TABLE} MATCH ? AND a.deleted IS NULL "
                "ORDER BY f.rank, a.modified DESC LIMIT ?",
                (" ".join(search_terms(query)), limit),
            )
        else:
            where = " AND ".join(
                "(a.exact LIKE ? ESCAPE '\\' OR a.note LIKE ? ESCAPE '\\' "
                "OR a.tags LIKE ? ESCAPE '\\')"
                for _ in words
            )
            patterns: list[object] = []
            for word in words:
                like = "%" + re.sub(r"([%_\\])", r"\\\1", word) + "%"
                patterns += [like, like, like]
            rows = self._db.read(
                f"SELECT {columns}, {titles} AS essay_title, '' AS found FROM annotations a "
                f"WHERE {where} AND a.deleted IS NULL ORDER BY a.modified DESC LIMIT ?",
                (*patterns, limit),
            )
        hits: list[NoteHit] = []
        for row in rows:
            found = self._db.annotations([row])
            if found:
                annotation = found[0]
                snippet = " ".join(str(row["found"] or annotation.exact).split())
                if bigrams(annotation.exact) != annotation.exact:
                    # the index holds CJK as two-character words: its snippet would too
                    snippet = quote_around(annotation.exact, words)
                where = self._current_path(annotation.essay_id, annotation.essay_path)
                hits.append(NoteHit(annotation, str(row["essay_title"] or ""), where, snippet))
        return hits

    def _current_path(self, essay_id: str, noted_at: str) -> str:
        """Where the essay is now: the path the note was made at while a file is there,
        else the latest recorded path of the essay that holds a file (it was renamed or
        moved), else the note's path."""
        if not noted_at or Path(noted_at).is_file():
            return noted_at
        rows = self._db.read(
            "SELECT path FROM essay_paths WHERE essay_id = ? ORDER BY seen DESC, path",
            (essay_id,),
        )
        return next((str(row[0]) for row in rows if Path(str(row[0])).is_file()), noted_at)

    def has_index(self) -> bool:
        """True when the database has the full-text index (SQLite built with FTS5)."""
        rows = self._db.read(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (NOTE_SEARCH_TABLE,)
        )
        return bool(rows)

    def tags_in_use(self) -> list[str]:
        """Every tag on a live annotation, the most used first (for completing a tag).

        Raises:
            StoreError: the store cannot be read.
        """
        rows = self._db.read(
            "SELECT t.value, count(*) FROM annotations a, json_each(a.tags) t "
            "WHERE a.deleted IS NULL AND json_valid(a.tags) AND json_type(a.tags) = 'array' "
            "AND t.type = 'text' GROUP BY t.value ORDER BY 2 DESC, 1"
        )
        return [str(row[0]) for row in rows]


def search_terms(query: str) -> list[str]:
    """The words of a search, as FTS5 terms: `"trade"*`, a CJK word as the phrase of its
    two-character words (every word must occur; quotes and FTS5's operators are taken as
    plain text)."""
    return [fts_term(word) for word in _SEARCH_WORD.findall(query)]


def quote_around(text: str, words: list[str], reach: int = SNIPPET_REACH) -> str:
    """`text` in one line, cut to `reach` characters either side of the first of `words`
    it holds ("…" where cut)."""
    text = " ".join(text.split())
    folded = text.casefold()
    places = [folded.find(word.casefold()) for word in words]
    at = min((p for p in places if p >= 0), default=0)
    start, end = max(0, at - reach), min(len(text), at + 2 * reach)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
