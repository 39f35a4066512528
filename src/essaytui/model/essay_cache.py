"""Parsed essays, kept under the user cache directory so an essay opens again without
markdown-it.

An entry is named by `essay_key`: the sha256 of the essay file's bytes, its glossary's
bytes, the path (a title may come from the file name) and the parser's version — the
`PARSER_FORMAT` below and a digest of the parser's own source files, so a changed parser
is a different name without anyone remembering to bump a number. Two entries per essay:
the first part the first screen shows (``.head``) and the whole.

The file is a line of JSON naming the format, the key and the sha256 of the rest, then
the essay as JSON (lists, not objects: a 4 MB essay has ~100,000 spans). An entry whose
header, digest or shape is wrong is ignored and written again by the next parse: the
cache is derived data and never trusted blindly. Nothing is pickled.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
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

#: The modules whose code decides what a parse gives: their text is the parser's version.
_PARSER_SOURCES = (
    "essay.py",
    "glossary.py",
    "markdown.py",
    "text.py",
    "files.py",
    "html.py",
    "convert.py",
    "parse",
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


def load(folder: Path, key: str, *, head: bool = False) -> Essay | None:
    """The cached parse with `key` (`head`: the first screen's part), or None when
    there is none or it cannot be used."""
    raw = read_entry(_entry(folder, key, head), MAX_ENTRY_BYTES)
    if raw is None:
        return None
    line, _, payload = raw.partition(b"\n")
    try:
        header = json.loads(line)
        if header != _header(key, payload):
            return None
        return _decoded(json.loads(payload))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def store(folder: Path, key: str, essay: Essay, *, head: bool = False) -> None:
    """Cache a parse (`head`: of the first screen's part)."""
    payload = json.dumps(_encoded(essay), ensure_ascii=False, separators=(",", ":"))
    body = payload.encode("utf-8", "surrogatepass")
    header = json.dumps(_header(key, body)).encode()
    entry = _entry(folder, key, head)
    if write_entry(entry, [header, b"\n", body]):
        prune(entry.parent, MAX_ENTRIES)


def _header(key: str, payload: bytes) -> dict[str, object]:
    digest = hashlib.sha256(payload).hexdigest()
    return {"format": _FORMAT, "version": PARSER_FORMAT, "key": key, "sha256": digest}


# -- the essay as lists -------------------------------------------------------------


def _encoded(essay: Essay) -> dict[str, Any]:
    return {
        "id": essay.id,
        "title": essay.title,
        "author": essay.author,
        "text": essay.reading_text,
        "blocks": [_block_list(block) for block in essay.blocks],
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


def _decoded(data: dict[str, Any]) -> Essay:
    """The essay `_encoded` wrote; TypeError, ValueError, KeyError… when it is not one."""
    text: str = _checked(str, data["text"])
    size = len(text)
    source_path = data["source_path"]
    return Essay(
        id=_checked(str, data["id"]),
        title=_checked(str, data["title"]),
        author=_checked(str, data["author"]),
        reading_text=text,
        blocks=tuple(_block(item, size) for item in _checked(list, data["blocks"])),
        sections=tuple(_section(item, size) for item in _checked(list, data["sections"])),
        footnotes=tuple(_footnote(item, size) for item in _checked(list, data["footnotes"])),
        glossary=tuple(_term(item, size) for item in _checked(list, data["glossary"])),
        anchors=_mapping(data["anchors"], int),
        meta=_mapping(data["meta"], str),
        warnings=_strs(data["warnings"]),
        source_path=None if source_path is None else _checked(str, source_path),
        complete=_checked(bool, data["complete"]),
    )
