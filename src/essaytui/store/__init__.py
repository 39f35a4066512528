"""Persistent user data: annotations, reading positions, settings (SQLite)."""

from essaytui.store.errors import (
    EditConflict,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    StoreWriteError,
    UnknownAnnotation,
)
from essaytui.store.store import (
    AnnotationStore,
    EssayRecord,
    EssaySummary,
    MergeResult,
    NoteHit,
    Position,
)

__all__ = [
    "AnnotationStore",
    "EditConflict",
    "EssayRecord",
    "EssaySummary",
    "MergeResult",
    "NoteHit",
    "Position",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "StoreWriteError",
    "UnknownAnnotation",
]
