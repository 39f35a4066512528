"""What can go wrong with the notes database, in words a reader understands."""

from __future__ import annotations


class StoreError(Exception):
    """Something about stored notes went wrong; `str()` says what, in one line."""


class StoreUnavailable(StoreError):
    """The notes database cannot be opened or created (notes stay in memory)."""


class StoreWriteError(StoreError):
    """A write failed and nothing of it was saved (e.g. the disk is full)."""


class StoreBusy(StoreWriteError):
    """A write asked not to wait (`wait=False`) found the database locked; nothing was
    saved, and the same write may be tried again later."""


class EditConflict(StoreWriteError):
    """An edit was made from a version of the note that is no longer the stored one (it
    was changed or deleted since, e.g. in another window); nothing was written.

    Attributes:
        current: the version stored now.
    """

    def __init__(self, message: str, current: object) -> None:
        super().__init__(message)
        self.current = current


class UnknownAnnotation(StoreError, KeyError):
    """No annotation with that id is stored."""

    def __str__(self) -> str:
        # KeyError would print the message with quotes around it.
        return str(self.args[0]) if self.args else "unknown annotation"
