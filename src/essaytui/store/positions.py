"""The positions room of the store: where the reader was in each essay."""

from __future__ import annotations

import math
import sqlite3

from essaytui.model.annotation import now_iso
from essaytui.store.database import Database
from essaytui.store.rows import POSITION_COLUMNS, Position, storable


class Positions:
    """Where the reader was in each essay, and which was read last."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def save_position(
        self,
        essay_id: str,
        offset: int,
        *,
        quote: str = "",
        essay_path: str = "",
        title: str = "",
        author: str = "",
        text_hash: str = "",
        progress: float = 0.0,
        wait: bool = True,
    ) -> Position:
        """Remember where the reader is in an essay (and that it was read now).

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        progress = float(progress)
        position = Position(
            essay_id=storable(essay_id),
            essay_path=storable(essay_path),
            title=storable(title),
            author=storable(author),
            offset=max(0, int(offset)),
            quote=storable(quote),
            text_hash=text_hash,
            progress=min(1.0, max(0.0, progress)) if math.isfinite(progress) else 0.0,
            updated=now_iso(),
        )

        def write(connection: sqlite3.Connection) -> None:
            connection.execute(
                f"INSERT OR REPLACE INTO positions ({POSITION_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    position.essay_id,
                    position.essay_path,
                    position.title,
                    position.author,
                    position.offset,
                    position.quote,
                    position.text_hash,
                    position.progress,
                    position.updated,
                ),
            )

        self._db.write(write, wait=wait)
        return position

    def touch(
        self, essay_id: str, path: str, title: str, author: str, *, wait: bool = True
    ) -> None:
        """Record that an essay was opened now: it becomes the last one read.

        The saved place in it (if any) is kept; the path (unless `path` is "":
        read from standard input), title and author are brought up to date.

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        values = (storable(essay_id), storable(path), storable(title), storable(author), now_iso())
        self._db.write(
            lambda connection: connection.execute(
                "INSERT INTO positions (essay_id, essay_path, title, author, top_offset, updated) "
                "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (essay_id) DO UPDATE SET "
                # read from standard input (no path): the file it was read from stays
                "essay_path = CASE excluded.essay_path WHEN '' THEN essay_path "
                "ELSE excluded.essay_path END, title = excluded.title, "
                "author = excluded.author, updated = excluded.updated",
                values,
            ),
            wait=wait,
        )

    def position(self, essay_id: str) -> Position | None:
        """The saved position in an essay, or None (also for a damaged row)."""
        rows = self._db.read(
            f"SELECT {POSITION_COLUMNS} FROM positions WHERE essay_id = ?", (essay_id,)
        )
        found = self._db.positions(rows)
        return found[0] if found else None

    def recent(self, limit: int = 20) -> list[Position]:
        """Positions of recently read essays, most recent first (damaged rows skipped)."""
        rows = self._db.read(
            f"SELECT {POSITION_COLUMNS} FROM positions ORDER BY updated DESC, rowid DESC LIMIT ?",
            (limit,),
        )
        return self._db.positions(rows)

    def last_read(self) -> Position | None:
        """The essay read most recently, or None."""
        recent = self.recent(1)
        return recent[0] if recent else None
