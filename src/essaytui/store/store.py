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
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from essaytui.model.annotation import Annotation
from essaytui.store.annotations import Annotations
from essaytui.store.database import BUSY_TIMEOUT_MS, LOCK_WAIT_SECONDS, MAX_WARNINGS, Database
from essaytui.store.errors import StoreUnavailable
from essaytui.store.essays import Essays
from essaytui.store.identity import Identities
from essaytui.store.positions import Positions
from essaytui.store.rows import EssayRecord, EssaySummary, MergeResult, NoteHit, Position, storable
from essaytui.store.search import SEARCH_LIMIT, NoteSearch, search_terms
from essaytui.store.settings import Settings

if TYPE_CHECKING:
    from essaytui.model.essay import Essay

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


class AnnotationStore:
    """Annotations, reading positions, settings and essay identities of one user.

    Open with `AnnotationStore.open(data_dir)` (raises `StoreUnavailable`),
    `AnnotationStore.open_or_memory(data_dir)` (never raises; falls back to
    memory), or `AnnotationStore.in_memory(reason)`. Use as a context manager
    or call `close()`.

    Attributes (read from the database):
        path: the database file, or None in memory.
        persistent: False when changes are not saved to disk (in memory, or
            read-only).
        read_only: True when the database could only be opened for reading:
            everything stored is readable, every write raises `StoreWriteError`.
        problem: why changes are not saved to disk, or None.
        notice: something the reader should be told once (e.g. a damaged
            database was moved aside), or None.
        warnings: rows skipped because they hold values essaytui never writes,
            and imported notes refused; one line each, for the caller to show
            (`take_warnings`).
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

    # -- annotations (store.annotations) ----------------------------------------------

    def add(self, annotation: Annotation, *, wait: bool = True) -> Annotation:
        """Store a new annotation exactly as given and return it (`Annotations.add`)."""
        return self._annotations.add(annotation, wait=wait)

    def update(
        self, annotation: Annotation, *, wait: bool = True, base: Annotation | None = None
    ) -> Annotation:
        """Replace the stored annotation with the same id (`Annotations.update`)."""
        return self._annotations.update(annotation, wait=wait, base=base)

    def delete(self, annotation_id: str, *, wait: bool = True) -> Annotation:
        """Mark an annotation deleted; `restore` undoes this (`Annotations.delete`)."""
        return self._annotations.delete(annotation_id, wait=wait)

    def restore(self, annotation_id: str, *, wait: bool = True) -> Annotation:
        """Undo `delete` (`Annotations.restore`)."""
        return self._annotations.restore(annotation_id, wait=wait)

    def get(self, annotation_id: str) -> Annotation | None:
        """The annotation with that id (deleted or not), or None."""
        return self._annotations.get(annotation_id)

    def list_for_essay(self, essay_id: str, include_deleted: bool = False) -> list[Annotation]:
        """The essay's annotations in reading order."""
        return self._annotations.list_for_essay(essay_id, include_deleted)

    def all_annotations(self, include_deleted: bool = True) -> list[Annotation]:
        """Every annotation of every essay, by essay then reading order."""
        return self._annotations.all_annotations(include_deleted)

    def annotation_stamps(self) -> dict[str, tuple[str, str, str | None]]:
        """`id → (essay_id, modified, deleted)` of every annotation."""
        return self._annotations.annotation_stamps()

    def annotation_essays(self) -> list[str]:
        """The ids of every essay with annotations (deleted ones too)."""
        return self._annotations.annotation_essays()

    def annotations_by_id(self, ids: Iterable[str]) -> list[Annotation]:
        """The annotations with these ids (unknown ids left out)."""
        return self._annotations.annotations_by_id(ids)

    def count(self) -> int:
        """How many annotations are stored, deleted ones included."""
        return self._annotations.count()

    def merge(
        self,
        annotations: Iterable[Annotation],
        *,
        essays: Iterable[EssayRecord] = (),
        wait: bool = True,
        wins: Callable[[Annotation, Annotation], bool] | None = None,
    ) -> MergeResult:
        """Merge annotations (e.g. an import) by id, in one transaction (`Annotations.merge`)."""
        return self._annotations.merge(annotations, essays=essays, wait=wait, wins=wins)

    # -- reading positions (store.positions) ----------------------------------------------

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
        """Remember where the reader is in an essay (`Positions.save_position`)."""
        return self._positions.save_position(
            essay_id,
            offset,
            quote=quote,
            essay_path=essay_path,
            title=title,
            author=author,
            text_hash=text_hash,
            progress=progress,
            wait=wait,
        )

    def touch(
        self, essay_id: str, path: str, title: str, author: str, *, wait: bool = True
    ) -> None:
        """Record that an essay was opened now (`Positions.touch`)."""
        self._positions.touch(essay_id, path, title, author, wait=wait)

    def position(self, essay_id: str) -> Position | None:
        """The saved position in an essay, or None."""
        return self._positions.position(essay_id)

    def recent(self, limit: int = 20) -> list[Position]:
        """Positions of recently read essays, most recent first."""
        return self._positions.recent(limit)

    def last_read(self) -> Position | None:
        """The essay read most recently, or None."""
        return self._positions.last_read()

    # -- essays (store.identity, store.essays) ---------------------------------------------

    def identify(self, essay: Essay, *, source: bytes | None = None, record: bool = True) -> str:
        """The id the essay's notes and position are filed under (`Identities.identify`)."""
        return self._identities.identify(essay, source=source, record=record)

    def essays_with_notes(self, exclude: Iterable[str] = ()) -> list[EssaySummary]:
        """Every essay with live notes (except `exclude`), most recent first."""
        return self._essays.essays_with_notes(exclude)

    def essay_record(self, essay_id: str) -> EssayRecord | None:
        """What this database knows of an essay, or None."""
        return self._essays.essay_record(essay_id)

    def essays_with_digest(self, digest: str) -> list[str]:
        """The ids of the essays whose print has this digest."""
        return self._essays.essays_with_digest(digest)

    def join_essays(self, old: str, new: str) -> None:
        """File everything of essay `old` under `new` (`Essays.join_essays`)."""
        self._essays.join_essays(old, new)

    def refile_joined(self) -> int:
        """Move notes under an id joined into another since to that one; how many moved."""
        return self._essays.refile_joined()

    def essay_paths(self, essay_id: str) -> list[str]:
        """Every path the essay was read from, most recent first."""
        return self._essays.essay_paths(essay_id)

    # -- search and settings (store.search, store.settings) -------------------------------

    def search_notes(self, query: str, limit: int = SEARCH_LIMIT) -> list[NoteHit]:
        """Live annotations holding every word of `query` (`NoteSearch.search_notes`)."""
        return self._search.search_notes(query, limit)

    def tags_in_use(self) -> list[str]:
        """Every tag on a live annotation, the most used first."""
        return self._search.tags_in_use()

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting (e.g. "theme"), or `default`."""
        return self._settings.get_setting(key, default)

    def set_setting(self, key: str, value: str, *, wait: bool = True) -> None:
        """Store a setting (`Settings.set_setting`)."""
        self._settings.set_setting(key, value, wait=wait)
