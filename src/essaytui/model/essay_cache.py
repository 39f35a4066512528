"""Parsed essays, kept under the user cache directory so an essay opens again without
markdown-it.

An entry is named by `essay_key`: the sha256 of the essay file's bytes, its glossary's
bytes, the path (a title may come from the file name) and the parser's version — the
`PARSER_FORMAT` below and a digest of the parser's own source files, so a changed parser
is a different name without anyone remembering to bump a number. Two entries per essay:
the first part the first screen shows (``.head``) and the whole.

The file is a line of JSON naming the format, the key, the reading text's length and the
sha256 of the rest; then the reading text (UTF-8); then the rest of the essay as JSON
(lists, not objects: a 4 MB essay has ~100,000 spans). An entry whose
header, digest or shape is wrong is ignored and written again by the next parse: the
cache is derived data and never trusted blindly. Nothing is pickled.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from essaytui.model.cache import prune, read_entry, write_entry
from essaytui.model.essay import (
    Align,
    Block,
    BlockKind,
    Essay,
    Footnote,
    Section,
    Span,
    SpanKind,
    Table,
    Term,
)

#: Bumped whenever the layout of an entry changes.
PARSER_FORMAT = 1

#: The folder of parsed essays inside the cache directory.
ESSAYS_FOLDER = "essays"

#: Entries kept at most (a head and a whole per essay); the least recently written go.
MAX_ENTRIES = 128

#: Entries larger than this are not read (a 4.4 MB essay's whole is ~12 MB).
MAX_ENTRY_BYTES = 512 * 1024 * 1024

_FORMAT = "essaytui-essay"

#: Characters of the reading text encoded at a time when it is written.
_TEXT_PIECE = 1 << 18

#: Blocks turned into JSON at a time when an essay is written.
_BLOCK_BATCH = 2000

#: The modules whose code decides what a parse gives: their text is the parser's version.
_PARSER_SOURCES = (
    "essay.py",
    "glossary.py",
    "markdown.py",
    "dialects.py",
    "pandoc_tables.py",
    "text.py",
    "files.py",
    "html.py",
    "convert.py",
    "parse",
    "epub",
)


@lru_cache(maxsize=1)
def parser_version() -> str:
    """A digest of the parser's source files (~1 ms; read once per process)."""
    digest = hashlib.sha256(str(PARSER_FORMAT).encode())
    model = Path(__file__).parent
    for name in _PARSER_SOURCES:
        found = model / name
        files = sorted(found.glob("*.py")) if found.is_dir() else [found]
        for source in files:
            digest.update(source.name.encode())
            try:
                digest.update(source.read_bytes())
            except OSError:
                digest.update(b"?")
    return digest.hexdigest()[:16]


def essay_key(data: bytes, glossary: bytes | None, path: str) -> str:
    """The key of an essay read from `path` with the bytes `data` (and `glossary`)."""
    digest = hashlib.sha256(parser_version().encode())
    digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(b"-" if glossary is None else hashlib.sha256(glossary).digest())
    digest.update(data)
    return digest.hexdigest()


def _entry(folder: Path, key: str, head: bool) -> Path:
    part = ".head" if head else ""
    return folder / ESSAYS_FOLDER / f"{key}{part}.json"


def holds(folder: Path, key: str, *, head: bool = False) -> bool:
    """Whether an entry named `key` is there (not whether it can be used: `load` says)."""
    return _entry(folder, key, head).is_file()


def load(folder: Path, key: str, *, head: bool = False) -> Essay | None:
    """The cached parse with `key` (`head`: the first screen's part), or None when
    there is none or it cannot be used."""
    raw = read_entry(_entry(folder, key, head), MAX_ENTRY_BYTES)
    if raw is None:
        return None
    # A view past the header line, not `partition`: that copied the whole entry (6 MB)
    end = raw.find(b"\n") % (len(raw) + 1)  # no newline: all of it is the header line
    body = memoryview(raw)[end + 1 :]
    try:
        header = json.loads(raw[:end])
        size = header["text_bytes"] if isinstance(header, dict) else -1
        if not (type(size) is int and 0 <= size <= len(body)):
            return None
        if header != _header(key, body[:size], body[size:]):
            return None
        text = str(body[:size], "utf-8", "surrogatepass")
        return _read_structure(str(body[size:], "utf-8", "surrogatepass"), text)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def store(folder: Path, key: str, essay: Essay, *, head: bool = False) -> None:
    """Cache a parse (`head`: of the first screen's part).

    The reading text goes in as it is, in pieces, not as a JSON string: escaping 4 MB
    of text would hold two more copies of it at the end of a parse, the moment memory
    peaks. It is encoded twice (for the digest, then to write), ~5 ms at 4 MB."""
    rest = _structure(essay)
    digest, size = hashlib.sha256(), 0
    for piece in _text_pieces(essay.reading_text):
        digest.update(piece)
        size += len(piece)
    digest.update(rest)
    header = json.dumps(_fields(key, size, digest.hexdigest())).encode()
    entry = _entry(folder, key, head)
    pieces = chain([header, b"\n"], _text_pieces(essay.reading_text), [rest])
    if write_entry(entry, pieces):
        prune(entry.parent, MAX_ENTRIES)


def _structure(essay: Essay) -> bytes:
    """Everything but the reading text, as JSON; the blocks (~16,000 at 4 MB) a batch
    at a time, so their lists never all exist at once."""
    rest = _json(_encoded(essay, blocks=False))  # '{"id":…}'
    batches = (
        _json([_block_list(block) for block in essay.blocks[start : start + _BLOCK_BATCH]])
        for start in range(0, len(essay.blocks), _BLOCK_BATCH)
    )
    blocks = b",".join(batch[1:-1] for batch in batches)
    return b'{"blocks":[' + blocks + b"]," + rest[1:]


#: JSON's white space, skipped between the parts `_read_structure` takes apart.
_BLANKS = " \t\n\r"


def _after(structure: str, position: int, expected: str) -> int:
    """The position after `expected`, found at `position` past any white space; else
    ValueError."""
    while structure[position] in _BLANKS:
        position += 1
    if not structure.startswith(expected, position):
        raise ValueError(f"expected {expected!r} at {position}")
    return position + len(expected)


def _read_structure(structure: str, text: str) -> Essay:
    """The essay of `_structure`'s JSON (its blocks' list first), the blocks decoded one
    at a time: the lists of all ~16,000 at once took ~25 MB more than the blocks when a
    4.4 MB essay was reopened."""
    decoder = json.JSONDecoder()
    position = 0
    for expected in ("{", '"blocks"', ":", "["):
        position = _after(structure, position, expected)
    blocks: list[Block] = []
    while True:
        while structure[position] in _BLANKS:
            position += 1
        if structure[position] == "]" and not blocks:
            break
        item, position = decoder.raw_decode(structure, position)
        blocks.append(_block(_checked(list, item), len(text)))
        while structure[position] in _BLANKS:
            position += 1
        if structure[position] == "]":
            break
        position = _after(structure, position, ",")
    rest = json.loads("{" + structure[_after(structure, position + 1, ",") :])
    return _decoded(_checked(dict, rest), text, tuple(blocks))


def _json(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def _text_pieces(text: str) -> Iterator[bytes]:
    for start in range(0, len(text), _TEXT_PIECE):
        yield text[start : start + _TEXT_PIECE].encode("utf-8", "surrogatepass")


def _header(key: str, text: bytes | memoryview, rest: bytes | memoryview) -> dict[str, object]:
    digest = hashlib.sha256(text)
    digest.update(rest)
    return _fields(key, len(text), digest.hexdigest())


def _fields(key: str, text_bytes: int, digest: str) -> dict[str, object]:
    return {
        "format": _FORMAT,
        "version": PARSER_FORMAT,
        "key": key,
        "text_bytes": text_bytes,
        "sha256": digest,
    }


# -- the essay as lists -------------------------------------------------------------


def _encoded(essay: Essay, *, blocks: bool = True) -> dict[str, Any]:
    """The essay's structure as lists (without its blocks when `blocks` is False)."""
    found = {
        "id": essay.id,
        "title": essay.title,
        "author": essay.author,
        "sections": [[s.index, s.title, s.level, s.start, s.end, s.parent] for s in essay.sections],
        "footnotes": [
            [
                n.label,
                n.number,
                n.text,
                [_block_list(block) for block in n.blocks],
                [list(ref) for ref in n.refs],
                n.defined,
            ]
            for n in essay.footnotes
        ],
        "glossary": [
            [t.id, t.name, list(t.aliases), t.definition, list(t.see_also), _pairs_list(t)]
            for t in essay.glossary
        ],
        "anchors": dict(essay.anchors),
        "meta": dict(essay.meta),
        "warnings": list(essay.warnings),
        "source_path": essay.source_path,
        "complete": essay.complete,
    }
    if blocks:
        found["blocks"] = [_block_list(block) for block in essay.blocks]
    return found


def _pairs_list(term: Term) -> list[list[int]]:
    return [list(pair) for pair in term.occurrences]


def _block_list(block: Block) -> list[Any]:
    table = block.table
    return [
        block.kind.value,
        block.start,
        block.end,
        block.level,
        block.quote_depth,
        block.list_depth,
        block.marker,
        [[s.start, s.end, s.kind.value, s.data] for s in block.spans],
        None
        if table is None
        else [
            [[list(cell) for cell in row] for row in table.rows],
            [a.value for a in table.align],
            table.header,
        ],
        block.callout,
    ]


def _checked(kind: type, value: object) -> Any:
    """`value` when it is a `kind` (bool is not an int here), else TypeError."""
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    return value


def _pair(values: object, limit: int) -> tuple[int, int]:
    """A `(start, end)` pair inside a text of `limit` characters, else ValueError."""
    start, end = _checked(list, values)
    if not 0 <= _checked(int, start) <= _checked(int, end) <= limit:
        raise ValueError("range out of its text")
    return start, end


def _pairs(values: object, limit: int) -> tuple[tuple[int, int], ...]:
    return tuple(_pair(item, limit) for item in _checked(list, values))


def _strs(values: object) -> tuple[str, ...]:
    return tuple(_checked(str, item) for item in _checked(list, values))


def _block(item: list[Any], text_length: int) -> Block:
    kind, start, end, level, quote, depth, marker, spans, table, callout = item
    start, end = _pair([start, end], text_length)
    return Block(
        kind=BlockKind(kind),
        start=start,
        end=end,
        level=_checked(int, level),
        quote_depth=_checked(int, quote),
        list_depth=_checked(int, depth),
        marker=_checked(str, marker),
        spans=tuple(_span(span, text_length) for span in _checked(list, spans)),
        table=None if table is None else _table(table, text_length),
        callout=_checked(str, callout),
    )


def _span(item: list[Any], text_length: int) -> Span:
    start, end, kind, data = item
    start, end = _pair([start, end], text_length)
    return Span(start, end, SpanKind(kind), _checked(str, data))


def _table(item: list[Any], text_length: int) -> Table:
    rows, align, header = item
    return Table(
        rows=tuple(_pairs(row, text_length) for row in _checked(list, rows)),
        align=tuple(Align(a) for a in _checked(list, align)),
        header=_checked(int, header),
    )


def _section(item: list[Any], text_length: int) -> Section:
    index, title, level, start, end, parent = item
    start, end = _pair([start, end], text_length)
    return Section(
        _checked(int, index),
        _checked(str, title),
        _checked(int, level),
        start,
        end,
        _checked(int, parent),
    )


def _footnote(item: list[Any], text_length: int) -> Footnote:
    label, number, text, blocks, refs, defined = item
    text = _checked(str, text)
    return Footnote(
        label=_checked(str, label),
        number=_checked(int, number),
        text=text,
        blocks=tuple(_block(block, len(text)) for block in _checked(list, blocks)),
        refs=_pairs(refs, text_length),
        defined=_checked(bool, defined),
    )


def _term(item: list[Any], text_length: int) -> Term:
    identifier, name, aliases, definition, see_also, occurrences = item
    return Term(
        id=_checked(str, identifier),
        name=_checked(str, name),
        aliases=_strs(aliases),
        definition=_checked(str, definition),
        see_also=_strs(see_also),
        occurrences=_pairs(occurrences, text_length),
    )


def _mapping(values: object, kind: type) -> dict[str, Any]:
    found: dict[str, Any] = _checked(dict, values)
    for value in found.values():
        _checked(kind, value)
    return found


def _decoded(data: dict[str, Any], text: str, blocks: tuple[Block, ...] | None = None) -> Essay:
    """The essay `_encoded` wrote of an essay with the reading text `text` (its blocks
    read already, or in `data`); TypeError, ValueError, KeyError… when it is not one."""
    size = len(text)
    if blocks is None:
        blocks = tuple(_block(item, size) for item in _checked(list, data["blocks"]))
    source_path = data["source_path"]
    return Essay(
        id=_checked(str, data["id"]),
        title=_checked(str, data["title"]),
        author=_checked(str, data["author"]),
        reading_text=text,
        blocks=blocks,
        sections=tuple(_section(item, size) for item in _checked(list, data["sections"])),
        footnotes=tuple(_footnote(item, size) for item in _checked(list, data["footnotes"])),
        glossary=tuple(_term(item, size) for item in _checked(list, data["glossary"])),
        anchors=_mapping(data["anchors"], int),
        meta=_mapping(data["meta"], str),
        warnings=_strs(data["warnings"]),
        source_path=None if source_path is None else _checked(str, source_path),
        complete=_checked(bool, data["complete"]),
    )
