"""What goes wrong reading a book (kept apart from the zip reader, so that telling a
book from an essay never imports it)."""

from __future__ import annotations

#: What an EPUB's first member says (the OCF's ``mimetype`` file).
EPUB_MIMETYPE = b"application/epub+zip"


class BookError(ValueError):
    """The book cannot be read at all; `str(error)` is one line for the reader."""


class EncryptedBook(BookError):
    """The book's text is encrypted (DRM)."""


class MemberError(ValueError):
    """One member of the book cannot be read; the rest of the book may be fine."""


def looks_like_epub(head: bytes) -> bool:
    """Whether the first bytes of a file are an EPUB's: a zip whose first member is
    ``mimetype`` holding ``application/epub+zip``."""
    return head.startswith(b"PK\x03\x04") and head[30:38] == b"mimetype" and EPUB_MIMETYPE in head
