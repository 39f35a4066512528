"""The notes database schema and its migrations.

`PRAGMA user_version` holds the number of migrations applied. Never edit a
migration that has shipped: add a new one at the end. A step is an SQL statement
or, where SQL cannot say it, a function run on the connection inside the same
transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Collection
from pathlib import PurePath

from essaytui.model.identity import GENERATED_PREFIX, looks_like_title_hash, title_hash
from essaytui.store.library_text import bigrams

#: One migration step: SQL, or a function of the connection.
Step = str | Callable[[sqlite3.Connection], None]

#: File name of the database inside the data directory.
DATABASE_NAME = "essaytui.sqlite3"

#: Each migration is a list of statements run in one transaction; migration
#: `n` (1-based) brings the database from version `n - 1` to version `n`.
MIGRATIONS: list[list[Step]] = [
    # 1: annotations and reading positions.
    [
        """
        CREATE TABLE annotations (
            id TEXT PRIMARY KEY NOT NULL,
            essay_id TEXT NOT NULL,
            essay_path TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            section_trail TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            color TEXT NOT NULL DEFAULT 'yellow',
            tags TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            deleted TEXT,
            text_hash TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX annotations_by_essay ON annotations (essay_id, start_offset)",
        """
        CREATE TABLE positions (
            essay_id TEXT PRIMARY KEY NOT NULL,
            essay_path TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            top_offset INTEGER NOT NULL,
            quote TEXT NOT NULL DEFAULT '',
            text_hash TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL
        )
        """,
    ],
    # 2: reading progress, settings, and the "recently read" order.
    [
        "ALTER TABLE positions ADD COLUMN progress REAL NOT NULL DEFAULT 0",
        "CREATE INDEX positions_by_updated ON positions (updated)",
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        )
        """,
    ],
    # 3: essays keyed by the document, not by title (essaytui.model.identity).
    [
        """
        CREATE TABLE essays (
            id TEXT PRIMARY KEY NOT NULL,
            digest TEXT NOT NULL DEFAULT '',
            sketch TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        )
        """,
        "CREATE INDEX essays_by_digest ON essays (digest)",
        # Every path an essay was read from; size and mtime tell whether to re-print it.
        """
        CREATE TABLE essay_paths (
            path TEXT PRIMARY KEY NOT NULL,
            essay_id TEXT NOT NULL,
            size INTEGER NOT NULL DEFAULT -1,
            mtime_ns INTEGER NOT NULL DEFAULT -1,
            seen TEXT NOT NULL
        )
        """,
        "CREATE INDEX essay_paths_by_essay ON essay_paths (essay_id)",
        # An id this database no longer files notes under (a title hash split by
        # path), so an export made before the split still imports where it belongs.
        """
        CREATE TABLE essay_aliases (
            alias TEXT NOT NULL,
            path TEXT NOT NULL DEFAULT '',
            essay_id TEXT NOT NULL,
            PRIMARY KEY (alias, path)
        )
        """,
        "CREATE INDEX annotations_by_path ON annotations (essay_path)",
        lambda connection: split_title_hash_essays(connection),
    ],
    # 4: a full-text index of every annotation's quote, note and tags.
    [lambda connection: add_note_search(connection)],
    # 5: Chinese, Japanese and Korean in that index as two-character words.
    [lambda connection: index_words_of_notes(connection)],
]

#: The version a database has after all migrations.
SCHEMA_VERSION = len(MIGRATIONS)


#: The full-text index of annotations (SQLite FTS5), kept by triggers on `annotations`.
NOTE_SEARCH_TABLE = "annotations_fts"

_NOTE_SEARCH = [
    # Its own copy of the text, not an external-content table: nothing a trigger missed
    # can ever make it disagree with the notes in a way SQLite would call damage. Rows
    # are matched to annotations by id; the rowid only makes the triggers cheap.
    f"""
    CREATE VIRTUAL TABLE {NOTE_SEARCH_TABLE} USING fts5(
        id UNINDEXED, exact, note, tags, tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    # OR REPLACE: a write must never fail because of the index.
    f"""
    CREATE TRIGGER annotations_fts_insert AFTER INSERT ON annotations BEGIN
        INSERT OR REPLACE INTO {NOTE_SEARCH_TABLE} (rowid, id, exact, note, tags)
        VALUES (new.rowid, new.id, new.exact, new.note, new.tags);
    END
    """,
    f"""
    CREATE TRIGGER annotations_fts_update AFTER UPDATE OF exact, note, tags ON annotations
    BEGIN
        DELETE FROM {NOTE_SEARCH_TABLE} WHERE rowid = old.rowid;
        INSERT OR REPLACE INTO {NOTE_SEARCH_TABLE} (rowid, id, exact, note, tags)
        VALUES (new.rowid, new.id, new.exact, new.note, new.tags);
    END
    """,
    f"""
    CREATE TRIGGER annotations_fts_delete AFTER DELETE ON annotations BEGIN
        DELETE FROM {NOTE_SEARCH_TABLE} WHERE rowid = old.rowid;
    END
    """,
    f"""
    INSERT INTO {NOTE_SEARCH_TABLE} (rowid, id, exact, note, tags)
    SELECT rowid, id, exact, note, tags FROM annotations
    """,
]


def has_fts5(connection: sqlite3.Connection) -> bool:
    """Whether this SQLite has the FTS5 module (Python's builds do; some system ones not)."""
    try:
        connection.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    connection.execute("DROP TABLE temp.fts5_probe")
    return True


def add_note_search(connection: sqlite3.Connection) -> None:
    """Migration 4: the full-text index, filled from the notes there are. Without FTS5
    there is no index, and searching falls back to a plain scan (`LIKE`)."""
    if not has_fts5(connection):
        return
    for statement in _NOTE_SEARCH:
        connection.execute(statement)


def index_words_of_notes(
    connection: sqlite3.Connection, ids: Collection[str] | None = None
) -> None:
    """The index rows of annotations (those of `ids`, or every one) with their runs of
    Chinese, Japanese and Korean written as two-character words, as the library's index
    has them (`bigrams`): FTS5's unicode61 takes a run of Chinese as one word, so "中国"
    found only a note whose run began with it.

    The triggers copy a note's words as they are; this rewrites the rows that hold CJK
    after a write, inside its transaction. It is Python, not a function the triggers
    call: a trigger calling one would make every other program's write fail (the sqlite3
    shell, an older essaytui). A row such a program writes is found by its other words.
    """
    present = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (NOTE_SEARCH_TABLE,)
    ).fetchone()
    if present is None:
        return  # no FTS5 in this SQLite: searching scans the notes
    query = "SELECT rowid, id, exact, note, tags FROM annotations"
    chosen = list(ids) if ids is not None else []
    if ids is not None:
        query += f" WHERE id IN ({', '.join('?' * len(chosen))})"
    for rowid, annotation_id, *texts in connection.execute(query, chosen).fetchall():
        words = [t if isinstance(t, str) else "" for t in texts]
        paired = [bigrams(text) for text in words]
        if paired != words:
            connection.execute(
                f"INSERT OR REPLACE INTO {NOTE_SEARCH_TABLE} (rowid, id, exact, note, tags) "
                "VALUES (?, ?, ?, ?, ?)",
                (rowid, annotation_id, *paired),
            )


def _title_hash_ids(connection: sqlite3.Connection) -> set[str]:
    """The essay ids of this database that are a hash of title and author.

    A position row says its title and author, so its id is checked exactly. An
    annotation row does not: its id counts when it hashes from the section the
    note is in, the file's name or "Untitled" (the parse's title fallbacks) with
    no author or an author seen in a position. Anything else, front-matter ids
    included, is kept as it is.
    """
    found: set[str] = set()
    authors = {""}
    for essay_id, title, author in connection.execute(
        "SELECT essay_id, title, author FROM positions"
    ):
        authors.add(str(author))
        if title_hash(str(title), str(author)) == essay_id:
            found.add(str(essay_id))
    rows = connection.execute(
        "SELECT DISTINCT essay_id, essay_path, section_trail FROM annotations"
    ).fetchall()
    for essay_id, essay_path, trail_json in rows:
        if essay_id in found or not looks_like_title_hash(str(essay_id)):
            continue
        titles = {"Untitled"}
        if essay_path:
            titles.add(PurePath(str(essay_path)).stem)
        try:
            trail = json.loads(trail_json)
        except (TypeError, ValueError):
            trail = []
        if isinstance(trail, list) and trail and isinstance(trail[0], str):
            titles.add(trail[0])
        if any(title_hash(title, author) == essay_id for title in titles for author in authors):
            found.add(str(essay_id))
    return found


def split_title_hash_essays(
    connection: sqlite3.Connection, ids: Collection[str] | None = None
) -> None:
    """Migration 3's data step: one essay per file where a title hash joined several.

    Every annotation and position filed under a title-hash id (those of `ids`, or
    every one `_title_hash_ids` recognises) moves to an essay of its own path (the
    path each one last saw); rows without a path go with the only path there is, or
    to an essay of their own. Nothing is deleted; the old id stays as an alias per
    path, for imports of exports made before.
    """
    from essaytui.model.annotation import now_iso

    now = now_iso()
    for old in sorted(_title_hash_ids(connection) if ids is None else ids):
        paths = {
            str(row[0])
            for table in ("annotations", "positions")
            for row in connection.execute(
                f"SELECT DISTINCT essay_path FROM {table} WHERE essay_id = ?", (old,)
            )
        }
        named = sorted(path for path in paths if path)
        title, author = "", ""
        position = connection.execute(
            "SELECT title, author FROM positions WHERE essay_id = ?", (old,)
        ).fetchone()
        if position is not None:
            title, author = str(position[0]), str(position[1])
        targets = {path: split_id(old, path) for path in named}
        targets[""] = targets[named[0]] if len(named) == 1 else split_id(old, "")
        for path, new in targets.items():
            if path or "" in paths:
                connection.execute(
                    "INSERT OR IGNORE INTO essays (id, title, author, created) VALUES (?, ?, ?, ?)",
                    (new, title, author, now),
                )
            if path:
                connection.execute(
                    "INSERT OR IGNORE INTO essay_paths (path, essay_id, seen) VALUES (?, ?, ?)",
                    (path, new, now),
                )
            connection.execute(
                "INSERT OR REPLACE INTO essay_aliases (alias, path, essay_id) VALUES (?, ?, ?)",
                (old, path, new),
            )
            for table in ("annotations", "positions"):
                connection.execute(
                    f"UPDATE {table} SET essay_id = ? WHERE essay_id = ? AND essay_path = ?",
                    (new, old, path),
                )


def split_id(old: str, path: str) -> str:
    """The id of the essay of `path` split from the title hash `old`."""
    key = f"split\0{old}\0{path}".encode("utf-8", "replace")
    return GENERATED_PREFIX + hashlib.sha256(key).hexdigest()[:16]
