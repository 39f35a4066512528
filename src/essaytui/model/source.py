"""Reading essay files from disk and making their text safe for a terminal.

Everything the reader shows comes from text that passed through `sanitize`:
control characters and escape sequences are turned into visible symbols so a
file can never retitle the window, write the clipboard or move the cursor
(issue 6). File problems become `EssayFileError` with a one-line message that
the command line prints as it is.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from essaytui.model.essay import Essay

#: Files larger than this are refused (a long book is ~2 MB of text).
MAX_BYTES = 64 * 1024 * 1024

#: How much of the start of a file is inspected to tell text from binary.
_SNIFF_BYTES = 8192

#: Characters that must never reach the terminal: C0 controls except tab and
#: newline, DEL, C1 controls, the bidirectional controls that can make displayed
#: text differ from the stored text, invisible format characters, and lone
#: surrogates (no terminal or encoder can take one).
_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u206a\u206b\u206c\u206d\u206e\u206f"  # deprecated format characters
    "\ufeff"  # zero-width no-break space (a byte order mark past the start)
    "\ufff9\ufffa\ufffb"  # interlinear annotation
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
    + _INVISIBLE
    + "\ud800-\udfff\U000e0000-\U000e007f]"
)
_DROPPED = frozenset(_INVISIBLE) | _BIDI | {chr(code) for code in range(0xE0000, 0xE0080)}


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        # U+2400 block: ␀ ␁ … ␛ (ESC) … ␟, one symbol per control character
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    if char in _DROPPED:
        return ""
    if char in "\u2028\u2029":
        return " "  # line/paragraph separators: str.splitlines() would split on them
    return "\ufffd"  # C1 controls have no control picture; a lone surrogate is no character


_VISIBLE: dict[str, str] = {
    chr(code): _visible(chr(code))
    for code in [
        *range(0x20),
        0x7F,
        *range(0x80, 0xA0),
        0x2028,
        0x2029,
        *range(0xD800, 0xE000),
        *map(ord, _DROPPED),
    ]
}


def sanitize(text: str) -> str:
    """Make `text` inert for a terminal.

    Newlines are normalised to ``\\n``; tabs become spaces (4-column stops);
    other control characters (C0, DEL, C1, including ESC and BEL) become
    visible symbols from the Unicode Control Pictures block (ESC shows as
    ``␛``, C1 controls as ``�``); Unicode line and paragraph separators become
    spaces; a lone surrogate becomes ``�``.

    Characters that draw nothing are dropped: the bidirectional controls
    (overrides, isolates, and the marks U+200E, U+200F, U+061C) and the
    invisible format characters - zero-width space, joiner and non-joiner
    (U+200B-U+200D), word joiner and invisible operators (U+2060-U+2064),
    U+FEFF, the soft hyphen U+00AD, the tag characters U+E0000-U+E007F and a
    few more. Shown as symbols they would litter ordinary text (a soft hyphen
    or a joiner in every other word of some files); kept, they make two strings
    that look the same differ, so a search or a quote would miss, a word could
    hide inside another, and terminals disagree on their width. Emoji joined by
    U+200D then show as their parts, and a tag sequence flag as a plain flag.

    The result may be shorter or longer than `text`.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.expandtabs(4)
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda match: _VISIBLE[match.group()], text)


def sanitize_inline(text: str) -> str:
    """Like `sanitize`, for a piece of one line: a tab becomes one space."""
    if "\t" in text:
        text = text.replace("\t", " ")
    if "\r" in text:
        text = text.replace("\r", " ")
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda match: _VISIBLE[match.group()], text)


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
    return odd > len(head) * 0.1


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
    except PermissionError:
        raise EssayFileError(f"{name}: cannot be read: permission denied") from None
    except OSError as error:
        raise EssayFileError(f"{name}: cannot be read: {error.strerror or error}") from None
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
    except PermissionError:
        raise EssayFileError(f"{name}: cannot be read: permission denied") from None
    except IsADirectoryError:
        raise EssayFileError(f"{name}: is a directory, not an essay file") from None
    except OSError as error:
        raise EssayFileError(f"{name}: cannot be read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise EssayFileError(f"{name}: is too large (the limit is {_size(max_bytes)})")
    return decode_text(data, name)


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
        return _normalise_newlines(text), warnings
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise EssayFileError(f"{name}: is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        head = text[:_SNIFF_BYTES]
        if head.count("\ufffd") > len(head) * 0.3:
            raise EssayFileError(f"{name}: is not UTF-8 text") from None
        warnings.append(f"{name} is not valid UTF-8: {bad} bytes shown as \ufffd")
    return _normalise_newlines(text), warnings


def _normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


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
    from essaytui.model.parse import parse_essay

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
        chunk = stream.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
