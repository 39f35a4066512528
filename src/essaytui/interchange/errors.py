"""What can go wrong reading an annotation export, in words a reader understands."""

from __future__ import annotations


class InterchangeError(ValueError):
    """An import file is not a valid annotation export; `str()` says where.

    Not a `StoreError`: the notes database is fine, the file is not.
    """
