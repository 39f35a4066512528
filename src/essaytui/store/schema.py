"""The notes database schema and its migrations.

`PRAGMA user_version` holds the number of migrations applied. Never edit a
migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

#: File name of the database inside the data directory.
DATABASE_NAME = "essaytui.sqlite3"

#: Each migration is a list of statements run in one transaction; migration
#: `n` (1-based) brings the database from version `n - 1` to version `n`.
MIGRATIONS: list[list[str]] = [
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
]

#: The version a database has after all migrations.
SCHEMA_VERSION = len(MIGRATIONS)
