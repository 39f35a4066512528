"""The start of a book's text, for its fingerprint (`essaytui.model.identity`): a book's
zip says nothing about its words."""

from __future__ import annotations

from pathlib import Path

from essaytui.model.epub.errors import BookError


def text_sample(path: Path, chars: int) -> str | None:
    """About `chars` characters of the book's text, from the start of its reading order
    (for its fingerprint: the zip's bytes say nothing about its words); None when it
    cannot be read."""
    from essaytui.model.epub.archive import Archive
    from essaytui.model.epub.documents import parse_document
    from essaytui.model.epub.errors import MemberError
    from essaytui.model.epub.package import read_package

    try:
        archive = Archive(path, str(path))
    except BookError:
        return None
    pieces: list[str] = []
    total = 0
    try:
        package = read_package(archive)
        for item in package.spine:
            if total >= chars:
                break
            try:
                root = parse_document(archive.read(item.member))
            except MemberError:
                continue
            body = next(root.iter("body"), root)
            text = " ".join(" ".join(body.itertext()).split())
            pieces.append(text)
            total += len(text) + 1
    except BookError:
        return None
    finally:
        archive.close()
    return " ".join(pieces)[:chars]
