"""Reading essay files from disk: the bytes, their text, and the parsed `Essay`.

File problems become `EssayFileError` with a one-line message that the command
line prints as it is: a missing, unreadable, special, huge, binary or empty file
is refused before any parsing. The text is made safe for a terminal by the parse
(`essaytui.model.text.sanitize`), never here: newlines aside, what is read is the file
as written.
"""

from __future__ import annotations

import codecs
import dataclasses
import stat
from pathlib import Path
from typing import BinaryIO

from essaytui.model.essay import Essay
from essaytui.model.parse import parse_essay
from essaytui.model.text import normalise_newlines, sanitize_inline

#: Files larger than this are refused (a long book is ~2 MB of text).
MAX_BYTES = 64 * 1024 * 1024

#: How much of the start of a file is inspected to tell text from binary.
_SNIFF_BYTES = 8192

#: Above this share of odd control bytes in its start, a file is binary.
_BINARY_SHARE = 0.1

#: Above this share of undecodable characters in its start, a file is not UTF-8.
_NOT_UTF8_SHARE = 0.3

#: Bytes asked for at a time by `read_at_most`.
_READ_CHUNK = 1 << 20


class EssayFileError(Exception):
    """A file cannot be opened as an essay; `str(error)` is one line for the reader."""


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    if not head:
        return False
    # Bytes that never occur in text (controls other than tab, newlines, form
    # feed, backspace and ESC); a few are tolerated, a lot mean binary.
    odd = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\x0c\x08\x1b")
    return odd > len(head) * _BINARY_SHARE


def read_text_file(path: Path, *, max_bytes: int = MAX_BYTES) -> tuple[str, list[str]]:
    """Read a text file as an essay source.

    Returns:
        The decoded text with newlines normalised, and warnings (one line each).

    Raises:
        EssayFileError: the path is missing, a directory, not a regular file,
            unreadable, empty, too large, binary or not text.
    """
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise EssayFileError(f"{name}: no such file") from None
    except OSError as error:
        raise _cannot_read(name, error) from None
    if stat.S_ISDIR(info.st_mode):
        raise EssayFileError(f"{name}: is a directory, not an essay file")
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices could block forever or never end
        raise EssayFileError(f"{name}: is not a regular file")
    if info.st_size > max_bytes:
        raise EssayFileError(
            f"{name}: is too large ({_size(info.st_size)}; the limit is {_size(max_bytes)})"
        )
    try:
        with path.open("rb") as handle:
            # read(n) would allocate n bytes up front: ask only for what is there
            data = handle.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:  # the file grew since stat(): read the rest
                data += handle.read(max_bytes + 1 - len(data))
    except IsADirectoryError:
        raise EssayFileError(f"{name}: is a directory, not an essay file") from None
    except OSError as error:
        raise _cannot_read(name, error) from None
    if len(data) > max_bytes:
        raise EssayFileError(f"{name}: is too large (the limit is {_size(max_bytes)})")
    return decode_text(data, name)


def _cannot_read(name: str, error: OSError) -> EssayFileError:
    if isinstance(error, PermissionError):
        return EssayFileError(f"{name}: cannot be read: permission denied")
    return EssayFileError(f"{name}: cannot be read: {error.strerror or error}")


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode the bytes of an essay file (see `read_text_file`).

    A file of nothing but white space and byte order marks is empty.
    """
    text, warnings = _decode(data, name)
    if not text.replace("\ufeff", "").strip():
        raise EssayFileError(f"{name}: is empty")
    return text, warnings


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if not data.strip():
        raise EssayFileError(f"{name}: is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        bad = text.count("\ufffd")
        if bad:
            warnings.append(f"{name} is not valid UTF-16: {bad} characters shown as \ufffd")
        return normalise_newlines(text), warnings
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise EssayFileError(f"{name}: is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        head = text[:_SNIFF_BYTES]
        if head.count("\ufffd") > len(head) * _NOT_UTF8_SHARE:
            raise EssayFileError(f"{name}: is not UTF-8 text") from None
        warnings.append(f"{name} is not valid UTF-8: {bad} bytes shown as \ufffd")
    return normalise_newlines(text), warnings


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


#: The file next to an essay that holds its glossary.
GLOSSARY_FILE = "glossary.md"


def load_essay(path: Path, *, limit: int | None = None) -> Essay:
    """Read and parse the essay at `path` (and a sibling ``glossary.md``).

    Args:
        path: the essay file.
        limit: parse only about this many characters (see `parse_essay`).

    Raises:
        EssayFileError: the essay file cannot be read; problems with the
            glossary file only add a warning.
    """
    text, warnings = read_text_file(path)
    try:
        resolved = path.resolve()
    except OSError:
        resolved = path.absolute()
    glossary_source: str | None = None
    glossary_path = resolved.parent / GLOSSARY_FILE
    if glossary_path != resolved and glossary_path.exists():
        try:
            glossary_source, glossary_warnings = read_text_file(glossary_path)
            warnings.extend(glossary_warnings)
        except EssayFileError as error:
            warnings.append(f"glossary not used: {error}")
    essay = parse_essay(text, path=str(resolved), glossary_source=glossary_source, limit=limit)
    all_warnings = tuple(sanitize_inline(w) for w in warnings) + essay.warnings
    return dataclasses.replace(essay, warnings=all_warnings, source_path=str(resolved))


def read_at_most(stream: BinaryIO, limit: int) -> bytes:
    """Up to `limit + 1` bytes of `stream`: more than `limit` means "too large".

    For what has no trustworthy size (standard input, /proc files): the cap is counted
    while reading, and nothing is allocated up front.
    """
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
