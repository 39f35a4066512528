"""The settings room of the store: one value per key."""

from __future__ import annotations

from essaytui.store.database import Database
from essaytui.store.rows import storable


class Settings:
    """Settings by key (e.g. "theme")."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting (e.g. "theme"), or `default`."""
        rows = self._db.read("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: str, *, wait: bool = True) -> None:
        """Store a setting.

        Raises:
            StoreBusy: `wait` is False and the database is locked.
            StoreWriteError: it was not saved.
        """
        self._db.write(
            lambda connection: connection.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (storable(key), storable(value)),
            ),
            wait=wait,
        )
