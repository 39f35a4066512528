"""The AnnotationStore: annotations, reading positions, settings and essay identities in SQLite.

One file, `<data dir>/essaytui.sqlite3`. The store is a face over rooms that share
one `Database` (connection, recovery, retries, following its file): `Annotations`,
`Positions`, `Identities` (the only room that reads essay files), `Essays`,
`NoteSearch` and `Settings`. Callers use the face; each method hands its call to
the room that does the work. See `store.database` for how locks, damage and a
read-only folder are handled.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import MethodType, TracebackType
from typing import Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from essaytui.store.annotations import Annotations
from essaytui.store.database import BUSY_TIMEOUT_MS, LOCK_WAIT_SECONDS, MAX_WARNINGS, Database
from essaytui.store.errors import StoreUnavailable
from essaytui.store.essays import Essays
from essaytui.store.identity import Identities
from essaytui.store.positions import Positions
from essaytui.store.rows import EssayRecord, EssaySummary, MergeResult, NoteHit, Position, storable
from essaytui.store.search import SEARCH_LIMIT, NoteSearch, search_terms
from essaytui.store.settings import Settings

R = TypeVar("R")
P = ParamSpec("P")
T = TypeVar("T")

__all__ = [
    "BUSY_TIMEOUT_MS",
    "LOCK_WAIT_SECONDS",
    "MAX_WARNINGS",
    "SEARCH_LIMIT",
    "AnnotationStore",
    "EssayRecord",
    "EssaySummary",
    "MergeResult",
    "NoteHit",
    "Position",
    "search_terms",
    "storable",
]


class _Room(Generic[R, P, T]):
    """A method of the store that one of its rooms does: `AnnotationStore.add` is
    `Annotations.add` called on the store's annotations room, with the same signature
    (checked by mypy) and docstring. Written once, in the room."""

    def __init__(self, room: str, method: Callable[Concatenate[R, P], T]) -> None:
        self._room = room
        self._method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, store: None, owner: type[object]) -> Self: ...

    @overload
    def __get__(self, store: object, owner: type[object]) -> Callable[P, T]: ...

    def __get__(self, store: object | None, owner: type[object]) -> Self | Callable[P, T]:
        if store is None:
            return self
        bound: Callable[P, T] = MethodType(self._method, getattr(store, self._room))
        return bound


class AnnotationStore:
    """Annotations, reading positions, settings and essay identities of one user.

    Open with `AnnotationStore.open(data_dir)` (raises `StoreUnavailable`),
    `AnnotationStore.open_or_memory(data_dir)` (never raises; falls back to
    memory), or `AnnotationStore.in_memory(reason)`. Use as a context manager
    or call `close()`.
    """

    def __init__(self, database: Database) -> None:
        """The store over an opened `database` (prefer the `open` classmethods)."""
        self.database = database
        self._annotations = Annotations(database)
        self._positions = Positions(database)
        self._identities = Identities(database)
        self._essays = Essays(database)
        self._search = NoteSearch(database)
        self._settings = Settings(database)

    # -- opening ----------------------------------------------------------------

    @classmethod
    def open(
        cls, data_dir: str | os.PathLike[str] | None = None, *, page_limit: int | None = None
    ) -> AnnotationStore:
        """The store in `paths.data_dir(data_dir)`, created if needed (read-only when
        the folder or file cannot be written; `problem` says so).

        Raises:
            StoreUnavailable: the folder or database cannot be created, or read.
        """
        return cls(Database.open(data_dir, page_limit=page_limit))

    @classmethod
    def in_memory(cls, reason: str = "") -> AnnotationStore:
        """A store that lives only as long as this session (same API, `persistent=False`)."""
        return cls(Database.in_memory(reason))

    @classmethod
    def open_or_memory(cls, data_dir: str | os.PathLike[str] | None = None) -> AnnotationStore:
        """`open`, or an in-memory store whose `problem` says why it could not be opened."""
        try:
            return cls.open(data_dir)
        except StoreUnavailable as error:
            return cls.in_memory(str(error))

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        self.database.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- the database's state ---------------------------------------------------------

    @property
    def path(self) -> Path | None:
        """The database file, or None in memory."""
        return self.database.path

    @property
    def persistent(self) -> bool:
        """False when changes are not saved to disk (in memory, or read-only)."""
        return self.database.persistent

    @property
    def read_only(self) -> bool:
        """True when every write raises `StoreWriteError` (everything stored is readable)."""
        return self.database.read_only

    @property
    def problem(self) -> str | None:
        """Why changes are not saved to disk, or None."""
        return self.database.problem

    @property
    def notice(self) -> str | None:
        """Something the reader should be told once (a damaged database moved aside)."""
        return self.database.notice

    @property
    def warnings(self) -> list[str]:
        """Damaged rows skipped and imported notes refused, one line each."""
        return self.database.warnings

    def take_warnings(self) -> list[str]:
        """The warnings gathered since the last call (and forget them)."""
        return self.database.take_warnings()

    def data_version(self) -> int:
        """A number that changes when another connection commits a change (cheap to poll)."""
        return self.database.data_version()

    # -- what the rooms do: each method is the room's own, signature and docstring --------

    add = _Room("_annotations", Annotations.add)
    update = _Room("_annotations", Annotations.update)
    delete = _Room("_annotations", Annotations.delete)
    restore = _Room("_annotations", Annotations.restore)
    get = _Room("_annotations", Annotations.get)
    list_for_essay = _Room("_annotations", Annotations.list_for_essay)
    all_annotations = _Room("_annotations", Annotations.all_annotations)
    note_tallies = _Room("_annotations", Annotations.note_tallies)
    annotation_stamps = _Room("_annotations", Annotations.annotation_stamps)
    annotation_essays = _Room("_annotations", Annotations.annotation_essays)
    annotations_by_id = _Room("_annotations", Annotations.annotations_by_id)
    count = _Room("_annotations", Annotations.count)
    merge = _Room("_annotations", Annotations.merge)

    save_position = _Room("_positions", Positions.save_position)
    touch = _Room("_positions", Positions.touch)
    position = _Room("_positions", Positions.position)
    recent = _Room("_positions", Positions.recent)
    last_read = _Room("_positions", Positions.last_read)

    identify = _Room("_identities", Identities.identify)

    essays_with_notes = _Room("_essays", Essays.essays_with_notes)
    essay_record = _Room("_essays", Essays.essay_record)
    essays_with_digest = _Room("_essays", Essays.essays_with_digest)
    join_essays = _Room("_essays", Essays.join_essays)
    refile_joined = _Room("_essays", Essays.refile_joined)
    essay_paths = _Room("_essays", Essays.essay_paths)

    search_notes = _Room("_search", NoteSearch.search_notes)
    tags_in_use = _Room("_search", NoteSearch.tags_in_use)

    get_setting = _Room("_settings", Settings.get_setting)
    set_setting = _Room("_settings", Settings.set_setting)
