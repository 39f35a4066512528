"""Annotations and references leaving or entering essaytui: W3C Web Annotation JSON
(`w3c`), Markdown notes for Obsidian and Zotero (`markdown`), and citations (`citation`).

Beside the store, not inside it: what goes wrong here is a file or a reference, never the
notes database, so its errors are not `StoreError`s.
"""

from essaytui.interchange.errors import InterchangeError

__all__ = ["InterchangeError"]
