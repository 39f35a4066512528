"""The essays room of the store: records, paths, and the joins sync makes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from essaytui.model import identity
from essaytui.model.annotation import now_iso
from essaytui.model.identity import DocumentPrint
from essaytui.store.database import Database
from essaytui.store.rows import EssayRecord, EssaySummary, storable


class Essays:
    """What the database knows of essays: records, paths, and joining two ids of one."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def essays_with_notes(self, exclude: Iterable[str] = ()) -> list[EssaySummary]:
        """Every essay with live notes (except those in `exclude`), most recent first,
        with its title when known and the path its latest note saw."""
        skip = set(exclude)
        rows = self._db.read(
            "SELECT a.essay_id, count(*), max(a.modified), "
            "(SELECT b.essay_path FROM annotations b WHERE b.essay_id = a.essay_id "
            " ORDER BY b.modified DESC LIMIT 1), "
            "(SELECT e.title FROM essays e WHERE e.id = a.essay_id) "
            "FROM annotations a WHERE a.deleted IS NULL GROUP BY a.essay_id "
            "ORDER BY 3 DESC, 1"
        )
        return [
            EssaySummary(str(row[0]), str(row[4] or ""), str(row[3] or ""), int(row[1]))
            for row in rows
            if str(row[0]) not in skip
        ]

    def essay_record(self, essay_id: str) -> EssayRecord | None:
        """What this database knows of an essay: title, author and print (None if nothing)."""
        rows = self._db.read(
            "SELECT title, author, digest, sketch FROM essays WHERE id = ?", (essay_id,)
        )
        if not rows:
            return None
        row = rows[0]
        digest, sketch = str(row["digest"] or ""), str(row["sketch"] or "")
        found = DocumentPrint(digest, identity.sketch_from_text(sketch)) if digest else None
        return EssayRecord(essay_id, str(row["title"] or ""), str(row["author"] or ""), found)

    def essays_with_digest(self, digest: str) -> list[str]:
        """The ids of the essays whose print has this digest (the same bytes)."""
        rows = self._db.read("SELECT id FROM essays WHERE digest = ? ORDER BY id", (digest,))
        return [str(row[0]) for row in rows]

    def join_essays(self, old: str, new: str) -> None:
        """File everything of essay `old` under `new`: the same document, known under
        two generated ids on two machines (the sync folder found it by its print). The
        later reading position is kept; `old` stays an alias of `new`, so notes filed
        under it later (an export, a reader still open) find their essay.

        Raises:
            StoreWriteError: nothing was changed.
        """

        def write(connection: sqlite3.Connection) -> None:
            connection.execute("UPDATE annotations SET essay_id = ? WHERE essay_id = ?", (new, old))
            connection.execute(
                "DELETE FROM positions WHERE essay_id = ? AND EXISTS (SELECT 1 FROM positions "
                "p WHERE p.essay_id = ? AND p.updated >= positions.updated)",
                (old, new),
            )
            connection.execute(
                "DELETE FROM positions WHERE essay_id = ? AND EXISTS "
                "(SELECT 1 FROM positions p WHERE p.essay_id = ?)",
                (new, old),
            )
            connection.execute("UPDATE positions SET essay_id = ? WHERE essay_id = ?", (new, old))
            connection.execute("UPDATE essay_paths SET essay_id = ? WHERE essay_id = ?", (new, old))
            connection.execute(
                "INSERT OR IGNORE INTO essays (id, digest, sketch, title, author, created) "
                "SELECT ?, digest, sketch, title, author, created FROM essays WHERE id = ?",
                (new, old),
            )
            connection.execute("DELETE FROM essays WHERE id = ?", (old,))
            connection.execute(
                "INSERT OR REPLACE INTO essay_aliases (alias, path, essay_id) VALUES (?, '', ?)",
                (old, new),
            )
            _refile_joined(connection)

        self._db.write(write)

    def refile_joined(self) -> int:
        """Move notes filed under an essay id joined into another since (`join_essays`)
        to that essay; how many moved.

        Raises:
            StoreWriteError: nothing was changed.
        """
        return self._db.write(_refile_joined)

    def essay_paths(self, essay_id: str) -> list[str]:
        """Every path the essay was read from, most recent first."""
        rows = self._db.read(
            "SELECT path FROM essay_paths WHERE essay_id = ? ORDER BY seen DESC, path",
            (essay_id,),
        )
        return [str(row[0]) for row in rows]


def _refile_joined(connection: sqlite3.Connection) -> int:
    """Notes under a generated id joined into another (`join_essays`) go to that one.

    Only aliases between generated ids with no path: those of migration 3 (a title hash
    split by path) route imports, and are left to `merge`.
    """
    cursor = connection.execute(
        "UPDATE annotations SET essay_id = (SELECT a.essay_id FROM essay_aliases a "
        "WHERE a.alias = annotations.essay_id AND a.path = '') WHERE essay_id IN "
        "(SELECT alias FROM essay_aliases WHERE path = '' AND alias LIKE 'doc-%' "
        "AND essay_id LIKE 'doc-%')"
    )
    return cursor.rowcount


def remember_essay(connection: sqlite3.Connection, record: EssayRecord) -> None:
    """Inside a merge: keep an imported essay's print (or, for a front-matter id, its
    title, so its notes are listed by name), if this database lacks it."""
    if not record.id:
        return
    if not (
        identity.is_generated(record.id)
        or record.id == identity.title_hash(record.title, record.author)
    ):
        if record.title and not identity.looks_like_title_hash(record.id):
            connection.execute(
                "INSERT OR IGNORE INTO essays (id, title, author, created) VALUES (?, ?, ?, ?)",
                (
                    storable(record.id),
                    storable(record.title),
                    storable(record.author),
                    now_iso(),
                ),
            )
        return
    if record.print is None:
        return
    connection.execute(
        "INSERT OR IGNORE INTO essays (id, digest, sketch, title, author, created) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            storable(record.id),
            record.print.digest,
            record.print.sketch_text(),
            storable(record.title),
            storable(record.author),
            now_iso(),
        ),
    )
