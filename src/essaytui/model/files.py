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
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from essaytui.model import essay_cache
from essaytui.model.essay import Essay
from essaytui.model.regular_file import FileRefused, Refusal, read_regular_file, size_text
from essaytui.model.text import normalise_newlines, sanitize_inline

if TYPE_CHECKING:
    from essaytui.model.html import PageConversion

#: Files larger than this are refused (a long book is ~2 MB of text).
MAX_BYTES = 64 * 1024 * 1024

#: Files larger than this show their first part while the rest parses. ~32 KB is some
#: twenty screens of text; each KB more costs ~1.7 ms before the first screen (measured
#: in bench/PROFILE.md).
FIRST_SCREEN_LIMIT = 32 * 1024

#: How much of the start of a file is inspected to tell text from binary.
_SNIFF_BYTES = 8192

#: Above this share of odd control bytes in its start, a file is binary.
_BINARY_SHARE = 0.1

#: Above this share of undecodable characters in its start, a file is not UTF-8.
_NOT_UTF8_SHARE = 0.3


class EssayFileError(Exception):
    """A file cannot be opened as an essay; `str(error)` is one line for the reader."""


#: What decoding bytes with a codec named by a file can raise: an unknown name is a
#: LookupError, and a codec may fail with any UnicodeError, not only UnicodeDecodeError.
CODEC_ERRORS: tuple[type[Exception], ...] = (LookupError, UnicodeError)


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
    return decode_text(read_file_bytes(path, max_bytes=max_bytes), str(path))


def read_file_bytes(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of an essay file, refused as `read_text_file` refuses them (except for
    what decoding finds).

    Raises:
        EssayFileError: the path is missing, a directory, not a regular file,
            unreadable or too large.
    """
    name = str(path)
    try:
        return read_regular_file(path, max_bytes)
    except FileRefused as refused:
        raise _refused(name, refused, max_bytes) from None


def _refused(name: str, refused: FileRefused, limit: int) -> EssayFileError:
    """The one line that says why an essay file was not read."""
    match refused.refusal:
        case Refusal.MISSING:
            return EssayFileError(f"{name}: no such file")
        case Refusal.DIRECTORY:
            return EssayFileError(f"{name}: is a directory, not an essay file")
        case Refusal.NOT_REGULAR:
            # FIFOs and devices could block forever or never end
            return EssayFileError(f"{name}: is not a regular file")
        case Refusal.TOO_LARGE if refused.size is not None:
            return EssayFileError(
                f"{name}: is too large ({size_text(refused.size)}; the limit is {size_text(limit)})"
            )
        case Refusal.TOO_LARGE:
            return EssayFileError(f"{name}: is too large (the limit is {size_text(limit)})")
    return EssayFileError(f"{name}: cannot be read: {refused.reason}")


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode the bytes of an essay file (see `read_text_file`).

    A file of nothing but white space and byte order marks is empty.
    """
    try:
        text, warnings = _decode(data, name)
    except CODEC_ERRORS as error:
        # every codec failure has a fallback in `_decode`; one that slips through is still
        # a file that cannot be read, never a traceback
        raise EssayFileError(f"{name}: cannot be decoded ({error})") from None
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
        # More characters decoded from UTF-8 sequences than bytes that fail: a UTF-8 file
        # with a few damaged bytes, not a file in another encoding.
        decoded = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
        other = _other_encoding(data) if decoded < bad else None
        if other is not None:
            text, encoding, how = other
            warnings.append(f"{name}{_READ_AS}{encoding} (not UTF-8{how})")
            return normalise_newlines(text), warnings
        head = text[:_SNIFF_BYTES]
        if head.count("\ufffd") > len(head) * _NOT_UTF8_SHARE:
            raise EssayFileError(
                f"{name}: is not UTF-8 text (nor in any encoding that could be detected)"
            ) from None
        warnings.append(f"{name} is not valid UTF-8: {bad} bytes shown as \ufffd")
    return normalise_newlines(text), warnings


#: What the warning about a file read in another encoding says after its name.
_READ_AS = ": read as "

#: The name a text read from standard input goes by in messages.
STDIN_NAME = "standard input"

#: Single-byte encodings a text file is all but never in, though a detector may find
#: them as likely as the real one on a short text (EBCDIC, Mac, DOS Persian; UTF-16
#: and UTF-32 without a byte order mark would have NUL bytes, refused as binary).
_UNLIKELY_ENCODINGS = (
    "utf_16",
    "utf_32",
    "mac_",
    "cp037",
    "cp273",
    "cp424",
    "cp500",
    "cp875",
    "cp1006",
    "cp1026",
    "cp1140",
    "hz",
)

#: How many bytes at its end a file cut short may have of a character it lost the rest
#: of (UTF-8 and GB18030 characters are at most 4 bytes).
_CUT_BYTES = 3

#: Detections whose disorder ("chaos") is this close to the best are taken as ties.
_CHAOS_TIE = 0.02

#: The bytes where windows-1252 and Latin-1 differ.
_C1_BYTES = bytes(range(0x80, 0xA0))

#: How an encoding is named to the reader (Python's codec name otherwise).
_ENCODING_NAMES = {
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1252": "Windows-1252",
    "cp1253": "Windows-1253",
    "cp1254": "Windows-1254",
    "cp1255": "Windows-1255",
    "cp1256": "Windows-1256",
    "cp1257": "Windows-1257",
    "cp1258": "Windows-1258",
    "cp932": "Shift_JIS",
    "shift_jis": "Shift_JIS",
    "euc_jp": "EUC-JP",
    "gb2312": "GB2312",
    "gbk": "GBK",
    "gb18030": "GB18030",
    "big5": "Big5",
    "euc_kr": "EUC-KR",
    "koi8_r": "KOI8-R",
    "koi8_u": "KOI8-U",
    "latin_1": "Latin-1",
    "iso8859_1": "Latin-1",
    "iso8859_15": "Latin-9",
}


def _other_encoding(data: bytes) -> tuple[str, str, str] | None:
    """`data` decoded from the encoding an HTML page declares, else the one detected.

    Returns the text, the encoding's name for the reader and how it was found (", as
    the page declares", or "" when detected); None
    when no encoding reads it as text (then it is shown as UTF-8 with U+FFFD).
    """
    from essaytui.model.html import declared_charset

    declared = declared_charset(data[:_SNIFF_BYTES])
    if declared is not None:
        try:
            return data.decode(declared), _encoding_name(declared, data), ", as the page declares"
        except CODEC_ERRORS:
            # a charset no codec has, or one that cannot decode anything (Python's
            # "undefined" raises a bare UnicodeError): the page is read as if it declared none
            pass
    detected = _detect_encoding(data)
    if detected is None:
        return None
    try:
        text = data.decode(detected, errors="replace")
    except CODEC_ERRORS:
        return None
    return text, _encoding_name(detected, data), ""


def _detect_encoding(data: bytes) -> str | None:
    """The likeliest encoding of `data` (charset-normalizer), with ties settled for
    windows-1252: on a short text many single-byte encodings read equally well, and
    windows-1252 (with Latin-1, its subset) is the one such files are mostly in."""
    from charset_normalizer import from_bytes

    matches = []
    for cut in range(min(_CUT_BYTES, len(data) // 8) + 1):
        # a file cut in the middle of its last character (an interrupted download) is
        # detected without the bytes left of that character
        matches = list(from_bytes(data[: len(data) - cut]))
        if any(m.encoding not in ("ascii", "utf_8") for m in matches):
            break
    likely = [m for m in matches if not m.encoding.startswith(_UNLIKELY_ENCODINGS)] or matches
    if not likely:
        return None
    best = min(m.chaos for m in likely)
    ties = [m for m in likely if m.chaos <= best + _CHAOS_TIE]
    if any("cp1252" in m.could_be_from_charset for m in ties):
        try:
            data.decode("cp1252")
            return "cp1252"
        except CODEC_ERRORS:
            pass
    return max(ties, key=lambda m: m.coherence).encoding


def _encoding_name(encoding: str, data: bytes) -> str:
    try:
        codec = codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        return encoding
    if codec == "cp1252" and len(data.translate(None, _C1_BYTES)) == len(data):
        # read the same as Latin-1: say the name people know the file by
        return "Latin-1"
    return _ENCODING_NAMES.get(codec, codec)


#: The file next to an essay that holds its glossary.
GLOSSARY_FILE = "glossary.md"


def load_essay(path: Path, *, limit: int | None = None, cache_dir: Path | None = None) -> Essay:
    """Read and parse the essay at `path` (and a sibling ``glossary.md``).

    A parse is cached (`essay_cache`) under `cache_dir`, by default the user cache
    directory: an essay opened before is read back without markdown-it.

    Args:
        path: the essay file.
        limit: parse only about this many characters (see `parse_essay`).
        cache_dir: where parses are cached (default: `paths.cache_dir()`).

    Raises:
        EssayFileError: the essay file cannot be read; problems with the
            glossary file only add a warning.
    """
    if cache_dir is None:
        from essaytui import paths

        cache_dir = paths.cache_dir()
    if _is_book(path):
        return _load_book_cached(path, limit, cache_dir)
    source = _EssaySource.read(path)
    key = source.key(limit)
    cached = essay_cache.load(cache_dir, key, head=limit is not None)
    if cached is not None:
        return cached
    text, warnings = decode_text(source.data, str(path))
    source.data = b""  # 4 MB less at the parse's peak
    essay = _parsed(path, text, warnings, source.resolved, source.glossary, limit)
    essay_cache.store(cache_dir, key, essay, head=limit is not None)
    return essay


@dataclasses.dataclass
class _EssaySource:
    """An essay file's bytes, its resolved path and its glossary's bytes (or why it is not
    used): what its parse depends on."""

    data: bytes
    resolved: str
    glossary: bytes | str | None

    @classmethod
    def read(cls, path: Path) -> _EssaySource:
        """Raises: EssayFileError: the essay file cannot be read."""
        data = read_file_bytes(path)
        try:
            resolved = path.resolve()
        except OSError:
            resolved = path.absolute()
        glossary: bytes | str | None = None  # its bytes, or why it is not used
        glossary_path = resolved.parent / GLOSSARY_FILE
        if glossary_path != resolved and glossary_path.exists():
            try:
                glossary = read_file_bytes(glossary_path)
            except EssayFileError as error:
                glossary = f"glossary not used: {error}"
        return cls(data, str(resolved), glossary)

    def key(self, limit: int | None) -> str:
        """The name of its parse (up to `limit`) in the essay cache."""
        glossary = self.glossary
        glossary_key = glossary.encode() if isinstance(glossary, str) else glossary
        return essay_cache.essay_key(self.data, glossary_key, f"{self.resolved}\0{limit}")


def cached_parts(path: Path, limit: int, cache_dir: Path | None = None) -> tuple[bool, bool]:
    """Whether the cache under `cache_dir` holds a parse of the essay or book at `path`
    read with `limit` (`load_essay(path, limit=limit)`), and one of its whole: by name
    only (a damaged entry is found out when it is read). (False, False) for a file that
    cannot be read."""
    if cache_dir is None:
        from essaytui import paths

        cache_dir = paths.cache_dir()
    try:
        if _is_book(path):
            keys = _book_keys(path, limit, None)
        else:
            source = _EssaySource.read(path)
            keys = [source.key(limit), source.key(None)]
    except (EssayFileError, OSError):
        return False, False
    return (
        essay_cache.holds(cache_dir, keys[0], head=True),
        essay_cache.holds(cache_dir, keys[1]),
    )


def _parsed(
    path: Path,
    text: str,
    warnings: list[str],
    resolved: str,
    glossary: bytes | str | None,
    limit: int | None,
) -> Essay:
    """The essay of the file `path` (its decoded `text`), parsed."""
    from essaytui.model.parse import parse_essay

    text, notices = essay_markdown(text, str(path), path.suffix)
    warnings = merge_notices(warnings, notices)
    glossary_source: str | None = None
    if isinstance(glossary, str):
        warnings.append(glossary)
    elif glossary is not None:
        try:
            glossary_source, glossary_warnings = decode_text(
                glossary, str(Path(resolved).parent / GLOSSARY_FILE)
            )
            warnings.extend(glossary_warnings)
        except EssayFileError as error:
            warnings.append(f"glossary not used: {error}")
    essay = parse_essay(text, path=resolved, glossary_source=glossary_source, limit=limit)
    all_warnings = tuple(sanitize_inline(w) for w in warnings) + essay.warnings
    return dataclasses.replace(essay, warnings=all_warnings, source_path=resolved)


def _is_book(path: Path) -> bool:
    from essaytui.model.epub import is_book

    return is_book(path)


def _load_book_cached(path: Path, limit: int | None, cache_dir: Path) -> Essay:
    """An EPUB as an essay, its parse cached as an essay's is (by the book's bytes and the
    converter's version): a reopened book is neither converted nor parsed."""
    try:
        key = _book_key(path, limit)
    except OSError:
        return _load_book(path, limit, cache_dir)  # which says why it cannot be read
    cached = essay_cache.load(cache_dir, key, head=limit is not None)
    if cached is not None:
        return cached
    essay = _load_book(path, limit, cache_dir)
    essay_cache.store(cache_dir, key, essay, head=limit is not None)
    return essay


def _book_key(path: Path, limit: int | None) -> str:
    """The name of a book's parse (up to `limit`) in the essay cache: its bytes' digest
    and the converter's version.

    Raises:
        OSError: the file cannot be read.
    """
    return _book_keys(path, limit)[0]


def _book_keys(path: Path, *limits: int | None) -> list[str]:
    """`_book_key` for each of `limits`, the file read and hashed once.

    Raises:
        OSError: the file cannot be read.
    """
    from essaytui.model.epub.cache import CONVERTER_VERSION, file_key

    digest = file_key(path)
    try:
        resolved = path.resolve()
    except OSError:
        resolved = path.absolute()
    book = f"book {CONVERTER_VERSION} {digest}".encode()
    return [essay_cache.essay_key(book, None, f"{resolved}\0{limit}") for limit in limits]


def _load_book(path: Path, limit: int | None, cache_dir: Path) -> Essay:
    """An EPUB as an essay (`essaytui.model.epub`), its conversion cached."""
    from essaytui.model.epub import BookError, load_book

    try:
        resolved = str(path.resolve())
    except OSError:
        resolved = str(path.absolute())
    try:
        return load_book(path, limit=limit, cache_dir=cache_dir, source_path=resolved)
    except BookError as error:
        raise EssayFileError(sanitize_inline(str(error))) from None


def convert_book_file(path: Path) -> ConvertedFile:
    """An EPUB as an essay file (`essaytui convert book.epub`).

    Raises:
        EssayFileError: the book cannot be read.
    """
    from essaytui import paths
    from essaytui.model.epub import BookError, book_markdown

    try:
        book = book_markdown(path, cache_dir=paths.cache_dir())
    except BookError as error:
        raise EssayFileError(sanitize_inline(str(error))) from None
    return ConvertedFile(book.markdown, book.warnings)


def is_book_file(path: Path) -> bool:
    """Whether `path` is an EPUB (by its name or its first bytes)."""
    return _is_book(path)


#: File name endings of saved web pages (other files are pages too when they start
#: as one: `html.looks_like_html`).
PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})

#: The file name ending of plain text, which may be a copied blog post.
TEXT_SUFFIX = ".txt"

#: The last conversion made (the first screen of a long file and then the whole of it
#: are read from the same text: converting it once is enough).
_last_conversion: tuple[str, str, tuple[str, list[str]]] | None = None


def essay_markdown(text: str, name: str, suffix: str = "") -> tuple[str, list[str]]:
    """The Markdown to read for a file's text, and notices about how it was made.

    A saved web page (a `PAGE_SUFFIXES` name, or text that starts as a page does) is
    converted (`html.page_to_essay`); a ``.txt`` file that has the shape of a copied
    blog post (`convert.Conversion.looks_like_post`) is converted as `essaytui convert`
    would; anything else is Markdown as it is. The notice of a conversion says how
    to keep it as a file.

    Raises:
        EssayFileError: a page that cannot be read.
    """
    global _last_conversion
    page = is_page(text, suffix)
    if not page and suffix.lower() != TEXT_SUFFIX:
        return text, []
    cached = _last_conversion
    if cached is not None and cached[0] == name and cached[1] == text:
        markdown, notices = cached[2]
        return markdown, list(notices)
    result = _page_markdown(text, name) if page else _post_markdown(text, name)
    _last_conversion = (name, text, result)
    return result[0], list(result[1])


def merge_notices(warnings: list[str], notices: list[str]) -> list[str]:
    """The warnings of reading a file, then the notices of converting it, with the
    encoding a converted file was read in and the conversion's notice on one line
    ("read as Windows-1252 (not UTF-8), converted from …; keep it: …"): the reader's
    status shows the first line (and how many more there are)."""
    if warnings and notices and _READ_AS in warnings[0]:
        encoding = warnings[0].partition(_READ_AS)[2]
        return [f"read as {encoding}, {notices[0]}", *warnings[1:], *notices[1:]]
    return [*warnings, *notices]


def is_page(text: str, suffix: str = "") -> bool:
    """Whether a file's text is a saved web page: a `PAGE_SUFFIXES` name, or text that
    starts as a page does (`html.looks_like_html`)."""
    if suffix.lower() in PAGE_SUFFIXES:
        return True
    # a Markdown essay never starts with "<": the page test is not even imported for it
    if text.lstrip("\ufeff \t\r\n")[:1] != "<":
        return False
    from essaytui.model.html import looks_like_html

    return looks_like_html(text)


@dataclasses.dataclass(frozen=True)
class ConvertedFile:
    """A web page or a copied blog post as an essay file (`essaytui convert`).

    Attributes:
        markdown: the essay file.
        warnings: problems worth telling the user about, one line each.
        removed: the web-page leftover lines a blog post's conversion dropped.
    """

    markdown: str
    warnings: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def convert_file(text: str, name: str, suffix: str = "") -> ConvertedFile:
    """Convert a file's text into an essay file: a saved web page (`is_page`) through
    `html.page_to_essay`, anything else as a copied blog post (`convert.convert_text`).

    Raises:
        EssayFileError: the text cannot be converted (a page that cannot be read, no
            text at all).
    """
    if is_page(text, suffix):
        page = _page(text, name)
        return ConvertedFile(page.markdown, page.warnings)
    from essaytui.model.convert import ConvertError, convert_text

    try:
        conversion = convert_text(text)
    except ConvertError as error:
        raise EssayFileError(f"{name}: {error}") from None
    return ConvertedFile(conversion.markdown, conversion.warnings, conversion.removed)


def _keep_hint(name: str) -> str:
    if name == STDIN_NAME:
        return "keep it: save it as a file, then essaytui convert FILE -o OUT.md"
    output = Path(name).with_suffix(".md").name
    return f"keep it: essaytui convert {shlex.quote(name)} -o {shlex.quote(output)}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _page(text: str, name: str) -> PageConversion:
    from essaytui.model.html import PageError, page_to_essay

    try:
        return page_to_essay(text)
    except PageError as error:
        raise EssayFileError(f"{name}: {error}") from None


def _page_markdown(text: str, name: str) -> tuple[str, list[str]]:
    page = _page(text, name)
    notes = _count(page.footnotes, "footnote") if page.footnotes else "no footnotes found"
    notice = f"converted from a web page ({notes}); {_keep_hint(name)}"
    return page.markdown, [notice, *page.warnings]


def _post_markdown(text: str, name: str) -> tuple[str, list[str]]:
    from essaytui.model.convert import ConvertError, convert_text

    try:
        conversion = convert_text(text)
    except ConvertError:
        return text, []
    if not conversion.looks_like_post:
        return text, []
    # Short: the status line shows one line (~115 cells at 120 columns), and this may
    # follow the encoding the file was read in. `convert` lists the lines left out.
    notes = _count(conversion.referenced_notes, "note") if conversion.referenced_notes else ""
    what = f"a blog post ({notes})" if notes else "a blog post"
    notice = f"converted from {what}; {_keep_hint(name)}"
    return conversion.markdown, [notice, *conversion.warnings]
