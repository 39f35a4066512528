"""Persistent user data: annotations, reading positions, settings (SQLite)."""

from essaytui.store.errors import (
    InterchangeError,
    StoreError,
    StoreUnavailable,
    StoreWriteError,
    UnknownAnnotation,
)
from essaytui.store.store import AnnotationStore, MergeResult, Position

__all__ = [
    "AnnotationStore",
    "InterchangeError",
    "MergeResult",
    "Position",
    "StoreError",
    "StoreUnavailable",
    "StoreWriteError",
    "UnknownAnnotation",
]
