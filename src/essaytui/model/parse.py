"""Markdown → `Essay`: blocks, one reading text, outline, footnotes, glossary.

The source is made inert first (`source.sanitize`), so every offset is
computed on text that is safe to show. Big files are parsed in chunks of about
`CHUNK_CHARS`, cut at blank lines outside fenced code, and each chunk's tokens
are dropped as soon as they are converted: markdown-it's token stream for a
4 MB essay would otherwise be several times the size of the text. Things that
cross chunks are resolved up front by cheap scans of the whole source:
footnote definition labels (so a reference early on knows its note exists)
and link reference definitions.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from essaytui.model.essay import (
    BLOCK_SEPARATOR,
    Block,
    BlockKind,
    Essay,
    Footnote,
    Section,
    Span,
    SpanKind,
    superscript,
)
from essaytui.model.glossary import (
    GlossaryEntry,
    build_terms,
    entries_from_front_matter,
    parse_glossary_source,
)
from essaytui.model.source import sanitize, sanitize_inline

#: Target size of one parsing chunk, in characters.
CHUNK_CHARS = 200_000

#: The text of a thematic break (``---``) in the reading text.
RULE_TEXT = "* * *"

#: Between the cells of a table row in the reading text.
CELL_SEPARATOR = " │ "

#: Warnings beyond this many are summarised in one line.
MAX_WARNINGS = 50

#: Front matter keys that become Essay fields rather than `meta` entries.
_OWN_KEYS = frozenset({"id", "title", "author", "glossary"})

_FRONT_MATTER = re.compile(r"\A---[ ]*\n(?:(.*?)\n)??(?:---|\.\.\.)[ ]*(?:\n|\Z)", re.DOTALL)
_FENCE_LINE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)
_OPAQUE_START = re.compile(
    r"^[ ]{0,3}(?:(?P<fence>`{3,}|~{3,})(?P<info>.*)$"
    r"|<(?P<tag>!--|(?i:pre|script|style|textarea)(?=[\s>]|$)))",
    re.MULTILINE,
)
# A blank line then an unindented line; or, between two footnote definitions,
# the line starting the second (notes at the end of a file are often not
# separated by blank lines; elsewhere such a line may continue a paragraph).
_SPLIT = re.compile(r"\n(?:[ ]*\n(?=\S)|(?=\[\^[^\]\s]+\]:))")
_NOT_DEFINITION_LINE = re.compile(r"\n(?!\[\^)")
_DEFINITION_START = re.compile(r"[:~](?:[ ]|$)", re.MULTILINE)
_LIST_START = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ ]|$)", re.MULTILINE)
# Searched without "^" (sre then scans fast for the literal "[^"); the line
# start is checked afterwards.
_FOOTNOTE_DEF = re.compile(r"\[\^([^\]\s]+)\]:")
# quote markers and list markers that may open the line of a definition
_CONTAINERS = r"(?:[ ]{0,3}(?:>|[-+*] |\d{1,9}[.)] )[ ]?)*[ ]{0,3}"
_DEF_PREFIX = re.compile(_CONTAINERS)
_LINK_DEF = re.compile(
    "^" + _CONTAINERS + r"\[((?!\^)[^\]\n]{1,999})\]:[ ]*<?([^\s<>]+)>?"
    r"(?:[ ]+(?:\"([^\"\n]*)\"|'([^'\n]*)'|\(([^)\n]*)\)))?[ ]*$",
    re.MULTILINE,
)
_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# HTML comments (even unclosed ones) and script/style bodies are not text
_HIDDEN_HTML = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE
)


#: How deep blocks may nest (quotes, lists); markdown-it drops what lies deeper.
MAX_NESTING = 200

#: Container markup (quote markers, indentation) kept at the start of a line:
#: deeper nesting is flattened to this depth so its text is still shown.
_MAX_PREFIX = 150
_DEEP_PREFIX = re.compile(
    r"^((?=[ >]|[-+*] )[ >\-+*]{" + str(_MAX_PREFIX) + r"})[ >\-+*]+", re.MULTILINE
)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    # Definitions stay where they are written (we collect them ourselves) and
    # every [^label] becomes a reference token, defined or not, so undefined
    # references can be shown and reported rather than silently left as text.
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    md.use(deflist_plugin)
    return md


# -- source scanning ---------------------------------------------------------------


def _plain_tokens(text: str) -> list[Token]:
    """Paragraph tokens for `text` without Markdown: the last resort."""
    tokens: list[Token] = []
    for paragraph in re.split(r"\n[ ]*\n", text):
        if not paragraph.strip():
            continue
        inline = Token("inline", "", 0, content=paragraph)
        inline.children = [Token("text", "", 0, content=paragraph.strip())]
        tokens += [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
    return tokens


def _line_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _footnote_definitions(text: str, start: int = 0) -> Iterator[re.Match[str]]:
    """`[^label]:` at the start of a line (after block quote markers)."""
    for match in _FOOTNOTE_DEF.finditer(text, start):
        begin = _line_start(text, match.start())
        if _DEF_PREFIX.fullmatch(text, begin, match.start()):
            yield match


def _fence_ranges(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of every block whose lines are not Markdown and may hold
    blank lines: fenced code, HTML comments and ``<pre>``/``<script>``/
    ``<style>``/``<textarea>`` blocks (an unclosed one runs to the end)."""
    ranges: list[tuple[int, int]] = []
    if "```" not in text and "~~~" not in text and "<" not in text:
        return ranges
    position = 0
    while (match := _OPAQUE_START.search(text, position)) is not None:
        fence = match.group("fence")
        end = len(text)
        if fence is not None:
            if fence[0] == "`" and "`" in match.group("info"):
                position = match.end() + 1  # not a fence: backticks in the info string
                continue
            for closing in _FENCE_LINE.finditer(text, match.end()):
                found, rest = closing.group(1), closing.group(2)
                if found[0] == fence[0] and len(found) >= len(fence) and not rest.strip():
                    end = closing.end()
                    break
        else:
            tag = match.group("tag").lower()
            if tag == "!--":
                found_at = text.find("-->", match.end())
            else:
                closing_tag = re.compile(f"</{tag}>", re.IGNORECASE).search(text, match.end())
                found_at = closing_tag.start() if closing_tag else -1
            if found_at >= 0:
                line_end = text.find("\n", found_at)
                end = len(text) if line_end < 0 else line_end
        ranges.append((match.start(), end))
        position = max(end, match.end() + 1)
    return ranges


def _inside(ranges: list[tuple[int, int]], starts: list[int], position: int) -> int:
    """End of the range containing `position`, or -1."""
    index = bisect.bisect_right(starts, position) - 1
    if index >= 0 and ranges[index][1] > position:
        return ranges[index][1]
    return -1


def _split_point(
    text: str, target: int, fences: list[tuple[int, int]], starts: list[int]
) -> int | None:
    """The start of a line after a blank line, at or after `target`, where
    Markdown can be cut without changing how either part parses (outside
    fenced code; the next line is not indented, so it continues nothing)."""
    position = target
    while True:
        match = _SPLIT.search(text, position)
        if match is None:
            return None
        cut = match.end()
        fence_end = _inside(fences, starts, cut)
        if fence_end >= 0:
            position = fence_end
            continue
        if match.end() - match.start() == 1 and not _in_definition_group(text, cut):
            position = cut  # after prose or a table, a definition line may continue it
            continue
        if _DEFINITION_START.match(text, cut):
            position = cut  # a definition may follow its term after a blank line
            continue
        # Cutting before a list item splits a loose list in two; avoid it
        # while a better place is near.
        if _LIST_START.match(text, cut) and cut - target < CHUNK_CHARS // 2:
            position = cut
            continue
        return cut


def _in_definition_group(text: str, cut: int) -> bool:
    """Whether every line from the last blank line up to `cut` starts a
    footnote definition, so a new definition at `cut` continues nothing."""
    begin = text.rfind("\n\n", 0, cut) + 2 if "\n\n" in text[:cut] else 0
    return (
        text.startswith("[^", begin) and _NOT_DEFINITION_LINE.search(text, begin, cut - 1) is None
    )


def _chunks(text: str, size: int, fences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    starts = [start for start, _ in fences]
    bounds: list[tuple[int, int]] = []
    begin = 0
    while len(text) - begin > size * 3 // 2:
        cut = _split_point(text, begin + size, fences, starts)
        if cut is None:
            break
        bounds.append((begin, cut))
        begin = cut
    bounds.append((begin, len(text)))
    return bounds


def _defined_labels(text: str, fences: list[tuple[int, int]]) -> set[str]:
    starts = [start for start, _ in fences]
    return {
        match.group(1)
        for match in _footnote_definitions(text)
        if _inside(fences, starts, match.start()) < 0
    }


def _definition_sources(
    text: str, start: int, labels: set[str], fences: list[tuple[int, int]]
) -> list[str]:
    """The source of the first definition of each of `labels` after `start`."""
    if not labels:
        return []
    starts = [begin for begin, _ in fences]
    snippets: list[str] = []
    for match in _footnote_definitions(text, start):
        label = match.group(1)
        if label not in labels or _inside(fences, starts, match.start()) >= 0:
            continue
        labels.discard(label)
        end = _SPLIT.search(text, match.end())
        snippets.append(text[match.start() : end.end() if end else len(text)].rstrip("\n"))
        if not labels:
            break
    return snippets


def _link_references(md: MarkdownIt, text: str, fences: list[tuple[int, int]]) -> dict[str, Any]:
    """Link reference definitions of the whole text, as markdown-it stores them."""
    starts = [start for start, _ in fences]
    references: dict[str, Any] = {}
    valid_ends: set[int] = set()
    for match in _LINK_DEF.finditer(text):
        if _inside(fences, starts, match.start()) >= 0:
            continue
        # a definition cannot interrupt a paragraph: the line before must be
        # blank or another (valid) definition
        if match.start() > 0 and match.start() - 1 not in valid_ends:
            previous_start = _line_start(text, match.start() - 1)
            if text[previous_start : match.start() - 1].strip(" >"):
                continue
        valid_ends.add(match.end())
        label = normalizeReference(match.group(1))
        if not label or label in references:
            continue
        href = md.normalizeLink(unescapeAll(match.group(2)))
        if not md.validateLink(href):
            continue
        title = next((group for group in match.groups()[2:] if group is not None), "")
        references[label] = {"title": unescapeAll(title), "href": href, "map": None}
    return references


# -- conversion --------------------------------------------------------------------


@dataclass(slots=True)
class _Builder:
    """Accumulates the blocks of one reading text (the essay's or a note's)."""

    pieces: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    excluded: list[tuple[int, int]] = field(default_factory=list)

    def next_start(self) -> int:
        return self.length + len(BLOCK_SEPARATOR) if self.blocks else self.length

    def add(self, block: Block, text: str) -> None:
        if self.blocks:
            self.pieces.append(BLOCK_SEPARATOR)
        self.pieces.append(text)
        self.length = block.end
        self.blocks.append(block)

    def text(self) -> str:
        return "".join(self.pieces)


@dataclass(slots=True)
class _Context:
    """Where the walk is: the essay or a footnote definition, and its nesting."""

    builder: _Builder
    label: str | None = None  # footnote label, None for the essay
    quote_depth: int = 0
    list_depth: int = 0
    definition_depth: int = 0
    marker: str = ""
    # (position, label) of references inside a note rendered as "[^label]"
    # because the note they point to had no number yet
    pending: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Note:
    text: str
    blocks: tuple[Block, ...]
    pending: list[tuple[int, str]]
    order: int


class _Converter:
    """Turns markdown-it tokens, chunk by chunk, into blocks and footnotes."""

    def __init__(self, defined: set[str]) -> None:
        self.essay = _Builder()
        self.stack: list[_Context] = [_Context(self.essay)]
        self.defined = defined
        self.numbers: dict[str, int] = {}  # 0: shown as undefined
        self.next_number = 1
        self.refs: dict[str, list[tuple[int, int]]] = {}
        self.notes: dict[str, _Note] = {}
        self.duplicates: list[str] = []
        self.cited_in_notes: set[str] = set()
        self.headings: list[tuple[int, int, str]] = []  # (start, level, title)
        self.first_heading: str | None = None

    # -- block level --

    def feed(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            if token.type == "footnote_reference_open":
                self.defined.add(token.meta["label"])
        index = 0
        count = len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            context = self.stack[-1]
            if kind == "paragraph_open" or kind == "heading_open" or kind == "dt_open":
                if kind == "heading_open":
                    block_kind, level = BlockKind.HEADING, int(token.tag[1:] or 1)
                elif kind == "dt_open":
                    block_kind, level = BlockKind.DEFINITION_TERM, 0
                elif context.definition_depth:
                    block_kind, level = BlockKind.DEFINITION, 0
                else:
                    block_kind, level = BlockKind.PARAGRAPH, 0
                inline = tokens[index + 1] if index + 1 < count else None
                if inline is not None and inline.type == "inline":
                    self._inline_block(context, block_kind, [inline.children or []], level)
                    index += 2
                    continue
            elif kind == "fence" or kind == "code_block":
                self._plain_block(context, BlockKind.CODE, token.content.rstrip("\n"), True)
            elif kind == "hr":
                self._plain_block(context, BlockKind.RULE, RULE_TEXT, False)
            elif kind == "html_block":
                text = _HIDDEN_HTML.sub("", token.content)
                text = _TAG.sub("", _BR_TAG.sub("\n", text)).strip()
                if text:
                    self._plain_block(context, BlockKind.PARAGRAPH, text, False)
            elif kind == "blockquote_open":
                context.quote_depth += 1
            elif kind == "blockquote_close":
                context.quote_depth -= 1
            elif kind == "bullet_list_open" or kind == "ordered_list_open":
                context.list_depth += 1
            elif kind == "bullet_list_close" or kind == "ordered_list_close":
                context.list_depth -= 1
            elif kind == "list_item_open":
                context.marker = f"{token.info}{token.markup}" if token.info else "•"
            elif kind == "list_item_close":
                context.marker = ""
            elif kind == "dd_open":
                context.definition_depth += 1
            elif kind == "dd_close":
                context.definition_depth -= 1
            elif kind == "tr_open":
                index = self._table_row(context, tokens, index)
            elif kind == "footnote_reference_open":
                self.stack.append(_Context(_Builder(), label=token.meta["label"]))
            elif kind == "footnote_reference_close" and len(self.stack) > 1:
                self._close_note(self.stack.pop())
            index += 1

    def feed_definitions(self, tokens: Sequence[Token]) -> None:
        """Take only the footnote definitions from `tokens`; the essay is left as it is."""
        essay_context = self.stack[0]
        headings, first_heading = len(self.headings), self.first_heading
        self.stack[0] = _Context(_Builder())
        try:
            self.feed(tokens)
            while len(self.stack) > 1:
                self._close_note(self.stack.pop())
        finally:
            self.stack[0] = essay_context
            del self.headings[headings:]
            self.first_heading = first_heading

    def _table_row(self, context: _Context, tokens: Sequence[Token], index: int) -> int:
        cells: list[list[Token]] = []
        header = False
        index += 1
        while index < len(tokens) and tokens[index].type != "tr_close":
            token = tokens[index]
            if token.type == "th_open":
                header = True
            elif token.type == "inline":
                cells.append(token.children or [])
            index += 1
        self._inline_block(context, BlockKind.TABLE, cells, 1 if header else 0)
        return index

    def _plain_block(self, context: _Context, kind: BlockKind, text: str, code: bool) -> None:
        if not text:
            return
        text = sanitize_inline(text) if kind != BlockKind.CODE else _sanitize_code(text)
        builder = context.builder
        start = builder.next_start()
        block = Block(
            kind,
            start,
            start + len(text),
            quote_depth=context.quote_depth,
            list_depth=context.list_depth,
            marker=context.marker,
        )
        context.marker = ""
        builder.add(block, text)
        if code:
            builder.excluded.append((block.start, block.end))

    def _inline_block(
        self,
        context: _Context,
        kind: BlockKind,
        parts: list[list[Token]],
        level: int,
    ) -> None:
        builder = context.builder
        start = builder.next_start()
        pieces: list[str] = []
        spans: list[Span] = []
        position = start
        for number, children in enumerate(parts):
            if number:
                pieces.append(CELL_SEPARATOR)
                position += len(CELL_SEPARATOR)
            position = self._inline(context, children, pieces, spans, position)
        if position == start:
            return  # nothing visible (e.g. an image without alt text)
        text = "".join(pieces)
        if spans:
            spans.sort(key=_span_start)
        block = Block(
            kind,
            start,
            position,
            level=level,
            quote_depth=context.quote_depth,
            list_depth=context.list_depth,
            marker=context.marker,
            spans=tuple(spans),
        )
        context.marker = ""
        builder.add(block, text)
        if kind == BlockKind.HEADING and context.label is None:
            title = _without_markers(text, start, spans)
            if context.quote_depth == 0 and context.list_depth == 0:
                self.headings.append((start, level, title))
            if self.first_heading is None and title:
                self.first_heading = title

    # -- inline level --

    def _inline(
        self,
        context: _Context,
        children: Sequence[Token],
        pieces: list[str],
        spans: list[Span],
        position: int,
    ) -> int:
        open_spans: list[tuple[SpanKind, int, str]] = []
        excluded = context.builder.excluded
        for child in children:
            kind = child.type
            if kind == "text" or kind == "text_special":
                text = sanitize_inline(child.content)
                pieces.append(text)
                position += len(text)
            elif kind == "softbreak":
                pieces.append(" ")
                position += 1
            elif kind == "hardbreak":
                pieces.append("\n")
                position += 1
            elif kind == "code_inline":
                text = sanitize_inline(child.content)
                if text:
                    pieces.append(text)
                    spans.append(Span(position, position + len(text), SpanKind.CODE))
                    excluded.append((position, position + len(text)))
                    position += len(text)
            elif kind in _OPENERS:
                data = ""
                if kind == "link_open":
                    data = sanitize_inline(str(child.attrs.get("href", "")))
                open_spans.append((_OPENERS[kind], position, data))
            elif kind in _CLOSERS:
                span_kind = _CLOSERS[kind]
                for back in range(len(open_spans) - 1, -1, -1):
                    if open_spans[back][0] == span_kind:
                        _, start, data = open_spans.pop(back)
                        if position > start:
                            spans.append(Span(start, position, span_kind, data))
                            if span_kind == SpanKind.LINK:
                                excluded.append((start, position))
                        break
            elif kind == "footnote_ref":
                label = sanitize_inline(str(child.meta["label"]))
                marker = self._marker(context, label, position)
                pieces.append(marker)
                end = position + len(marker)
                spans.append(Span(position, end, SpanKind.FOOTNOTE_REF, label))
                excluded.append((position, end))
                position = end
            elif kind == "image":
                text = _plain_text(child.children)
                pieces.append(text)
                position += len(text)
            elif kind == "html_inline" and _BR_TAG.fullmatch(child.content.strip()):
                pieces.append("\n")
                position += 1
        return position

    def _marker(self, context: _Context, label: str, position: int) -> str:
        if context.label is not None:
            # a reference inside a note: shown, followable, but not counted
            # as a reference in the essay (and a note citing itself is inert)
            self.cited_in_notes.add(label)
            number = self.numbers.get(label, 0)
            if number:
                return superscript(number)
            context.pending.append((position, label))
            return f"[^{label}]"
        if label in self.numbers:
            number = self.numbers[label]
        else:
            number = 0
            if label in self.defined:
                number = self.next_number
                self.next_number += 1
            self.numbers[label] = number
        marker = superscript(number) if number else f"[^{label}]"
        self.refs.setdefault(label, []).append((position, position + len(marker)))
        return marker

    def _close_note(self, context: _Context) -> None:
        label = context.label or ""
        if label in self.notes:
            self.duplicates.append(label)
            return
        builder = context.builder
        self.notes[label] = _Note(
            builder.text(), tuple(builder.blocks), context.pending, len(self.notes)
        )

    # -- results --

    def footnotes(self, complete: bool) -> tuple[tuple[Footnote, ...], list[str]]:
        warnings: list[str] = []
        numbered: list[Footnote] = []
        undefined: list[Footnote] = []
        for label, refs in self.refs.items():
            number = self.numbers.get(label, 0)
            note = self.notes.get(label)
            if note is None:
                if complete or label not in self.defined:
                    warnings.append(f"footnote [^{label}] is referenced but never defined")
                    footnote = Footnote(label, number, "", (), tuple(refs), defined=False)
                else:
                    # its definition lies beyond the part parsed so far
                    footnote = Footnote(label, number, "", (), tuple(refs))
            else:
                text, blocks = self._resolve(note)
                footnote = Footnote(label, number, text, blocks, tuple(refs))
            (numbered if number else undefined).append(footnote)
        numbered.sort(key=lambda note: note.number)
        unreferenced: list[Footnote] = []
        for label, note in self.notes.items():
            if label in self.refs:
                continue
            if label not in self.cited_in_notes:
                warnings.append(f"footnote [^{label}] is defined but never referenced")
            text, blocks = self._resolve(note)
            unreferenced.append(Footnote(label, 0, text, blocks))
        for label in dict.fromkeys(self.duplicates):
            warnings.append(f"footnote [^{label}] is defined more than once; the first is used")
        return tuple(numbered + undefined + unreferenced), warnings

    def _resolve(self, note: _Note) -> tuple[str, tuple[Block, ...]]:
        """Give references inside a note the numbers their notes got later."""
        patches = [
            (position, len(label) + 3, superscript(self.numbers[label]))
            for position, label in note.pending
            if self.numbers.get(label)
        ]
        if not patches:
            return note.text, note.blocks
        return _apply_patches(note.text, note.blocks, patches)


_OPENERS = {
    "em_open": SpanKind.EMPHASIS,
    "strong_open": SpanKind.STRONG,
    "s_open": SpanKind.STRIKE,
    "link_open": SpanKind.LINK,
}
_CLOSERS = {
    "em_close": SpanKind.EMPHASIS,
    "strong_close": SpanKind.STRONG,
    "s_close": SpanKind.STRIKE,
    "link_close": SpanKind.LINK,
}


def _span_start(span: Span) -> int:
    return span.start


def _without_markers(text: str, start: int, spans: list[Span]) -> str:
    """A heading's text without its footnote markers (for titles and the outline)."""
    pieces: list[str] = []
    position = 0
    for span in spans:
        if span.kind == SpanKind.FOOTNOTE_REF:
            pieces.append(text[position : span.start - start])
            position = span.end - start
    pieces.append(text[position:])
    return " ".join("".join(pieces).split())


def _sanitize_code(text: str) -> str:
    # code keeps its line structure; the source is already sanitized, this
    # only catches what entities could not produce anyway
    return "\n".join(sanitize_inline(line) for line in text.split("\n"))


def _plain_text(children: Sequence[Token] | None) -> str:
    pieces: list[str] = []
    for child in children or ():
        if child.type in ("text", "text_special", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif child.type == "image":
            pieces.append(_plain_text(child.children))
    return sanitize_inline("".join(pieces))


def _apply_patches(
    text: str, blocks: tuple[Block, ...], patches: list[tuple[int, int, str]]
) -> tuple[str, tuple[Block, ...]]:
    """Replace `(position, old length, new text)` pieces of `text`, moving offsets."""
    patches.sort()
    pieces: list[str] = []
    last = 0
    ends: list[int] = []
    shifts: list[int] = []
    shift = 0
    for position, old_length, new in patches:
        pieces.append(text[last:position])
        pieces.append(new)
        last = position + old_length
        shift += len(new) - old_length
        ends.append(last)
        shifts.append(shift)
    pieces.append(text[last:])

    def moved(offset: int) -> int:
        index = bisect.bisect_right(ends, offset) - 1
        return offset + (shifts[index] if index >= 0 else 0)

    new_blocks = tuple(
        Block(
            block.kind,
            moved(block.start),
            moved(block.end),
            block.level,
            block.quote_depth,
            block.list_depth,
            block.marker,
            tuple(Span(moved(s.start), moved(s.end), s.kind, s.data) for s in block.spans),
        )
        for block in blocks
    )
    return "".join(pieces), new_blocks


def _sections(headings: list[tuple[int, int, str]], length: int) -> tuple[Section, ...]:
    sections: list[list[Any]] = []  # [index, title, level, start, end, parent]
    open_stack: list[int] = []
    for index, (start, level, title) in enumerate(headings):
        while open_stack and sections[open_stack[-1]][2] >= level:
            sections[open_stack.pop()][4] = start
        parent = open_stack[-1] if open_stack else -1
        sections.append([index, title, level, start, length, parent])
        open_stack.append(index)
    return tuple(Section(*values) for values in sections)


# -- front matter --------------------------------------------------------------------


_PLAIN_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):[ ]+(\S.*?)[ ]*")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
#: Plain words YAML 1.1 (PyYAML) reads as booleans or null, in any case.
_NOT_STRINGS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})
#: Characters that may end a plain scalar early (": ", " #") or that YAML treats apart.
#: (Indicators such as "[", "&" or "'" only matter first, and a plain value here starts
#: with a letter.)
_PLAIN_AVOID = frozenset("#:\t")


def plain_mapping(raw: str) -> dict[str, Any] | None:
    """Front matter of one-line `key: text` entries read without PyYAML, else None.

    Most front matter is a few such lines, and importing PyYAML costs more than the
    rest of reading a short essay. Anything this does not recognise as certainly a
    string (numbers, dates, booleans, lists, nesting, comments, escapes, repeated
    keys) is left to PyYAML's `safe_load`, which gives the same for what this
    accepts (a property test holds the two to that).
    """
    data: dict[str, Any] = {}
    for line in raw.split("\n"):
        if not line.strip(" "):  # only spaces: YAML's blank (a no-break space is not)
            continue
        match = _PLAIN_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.groups()
        if (
            key in data
            or len(key) > 128  # YAML caps implicit keys at 1024 characters
            or key.lower() in _NOT_STRINGS
            or not value.isprintable()
        ):
            return None
        if quoted := _SINGLE_QUOTED.fullmatch(value):
            data[key] = quoted.group(1).replace("''", "'")
        elif quoted := _DOUBLE_QUOTED.fullmatch(value):
            data[key] = quoted.group(1)
        elif (
            value[0].isalpha()
            and value.lower() not in _NOT_STRINGS
            and not _PLAIN_AVOID.intersection(value)
        ):
            data[key] = value
        else:
            return None
    return data or None


def _front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """Split off YAML front matter: `(data, body, warnings)`."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text, []
    body = text[match.end() :]
    raw = match.group(1) or ""
    plain = plain_mapping(raw)
    if plain is not None:
        return plain, body, []
    import yaml  # ~15 ms to import: only for front matter that needs it

    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        problem = getattr(error, "problem", None) or "cannot be read"
        return {}, body, [f"front matter ignored: not valid YAML: {problem}{line}"]
    except RecursionError:
        return {}, body, ["front matter ignored: nested too deeply"]
    if data is None:
        return {}, body, []
    if not isinstance(data, dict):
        # "---", a line of prose, "---" is Markdown (a rule and a heading), not
        # front matter: keep it as text
        return {}, text, []
    return data, body, []


def _meta_text(value: object) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, list):
        items = [str(item) for item in value if isinstance(item, str | int | float)]
        return sanitize(", ".join(items)).strip() if items else None
    return sanitize(str(value)).strip()


def essay_id(title: str, author: str) -> str:
    """The id of an essay without a front matter `id`: a hash of title and author."""
    return hashlib.sha256(f"{title}\0{author}".encode()).hexdigest()[:16]


# -- the entry point -------------------------------------------------------------------


def parse_essay(
    source: str,
    *,
    path: str | None = None,
    glossary_source: str | None = None,
    limit: int | None = None,
) -> Essay:
    """Parse Markdown into an `Essay`.

    Args:
        source: the Markdown text (front matter optional).
        path: the file it came from: the title when nothing else gives one,
            and `Essay.source_path`.
        glossary_source: the text of a sibling ``glossary.md``.
        limit: when the source is longer, parse only about this many
            characters (cut at a blank line outside code) and return an essay
            with `complete=False`; its reading text is a prefix of the full
            one's, so offsets stay valid once the whole file is parsed.
    """
    text = sanitize(source)
    warnings: list[str] = []
    if _DEEP_PREFIX.search(text):
        text = _DEEP_PREFIX.sub(r"\1", text)
        warnings.append("quotes or lists nested too deeply were flattened")
    data, body, front_warnings = _front_matter(text)
    warnings.extend(front_warnings)

    md = _markdown()
    fences = _fence_ranges(body)
    full_body = body
    # every definition label of the whole file, so that references in an early
    # chunk (or in a prefix parsed alone) already know their note exists
    defined = _defined_labels(body, fences)
    complete = True
    if limit is not None and len(body) > limit:
        cut = _split_point(body, limit, fences, [start for start, _ in fences])
        if cut is not None and cut < len(body):
            complete = False
            body = body[:cut]
            fences = [(start, min(end, cut)) for start, end in fences if start < cut]

    converter = _Converter(defined)
    bounds = _chunks(body, CHUNK_CHARS, fences)
    env: dict[str, Any] = {}
    if len(bounds) > 1 or not complete:
        env["references"] = _link_references(md, full_body, _fence_ranges(full_body))
    for begin, end in bounds:
        env.pop("footnotes", None)
        try:
            tokens = md.parse(body[begin:end], env)
        except RecursionError:
            tokens = _plain_tokens(body[begin:end])
            warnings.append("part of the text is nested too deeply and is shown unformatted")
        converter.feed(tokens)
        del tokens  # let the chunk's tokens go before the next chunk is parsed
    while len(converter.stack) > 1:  # never happens with markdown-it, but be safe
        converter._close_note(converter.stack.pop())
    if not complete:
        # The notes cited in the part shown are usually defined at the very
        # end: parse just their definitions so the first screen can peek them.
        wanted = {label for label in converter.refs if label not in converter.notes}
        snippets = _definition_sources(full_body, len(body), wanted, _fence_ranges(full_body))
        if snippets:
            converter.feed_definitions(md.parse(BLOCK_SEPARATOR.join(snippets), env))

    reading_text = converter.essay.text()
    footnotes, footnote_warnings = converter.footnotes(complete)
    warnings.extend(footnote_warnings)

    title = _meta_text(data.get("title")) or converter.first_heading
    if not title and path:
        title = sanitize_inline(PurePath(path).stem)
    title = title or "Untitled"
    author = _meta_text(data.get("author")) or ""
    identifier = _meta_text(data.get("id")) or essay_id(title, author)
    meta: dict[str, str] = {}
    for key, value in data.items():
        name = sanitize_inline(str(key))
        if name in _OWN_KEYS:
            continue
        value_text = _meta_text(value)
        if value_text is not None:
            meta[name] = value_text

    entries: list[GlossaryEntry] = []
    if "glossary" in data:
        found, glossary_warnings = entries_from_front_matter(data["glossary"])
        entries.extend(found)
        warnings.extend(glossary_warnings)
    if glossary_source is not None:
        found, glossary_warnings = parse_glossary_source(glossary_source)
        entries.extend(found)
        warnings.extend(glossary_warnings)
    glossary, glossary_warnings = build_terms(entries, reading_text, converter.essay.excluded)
    warnings.extend(glossary_warnings)

    if len(warnings) > MAX_WARNINGS:
        extra = len(warnings) - MAX_WARNINGS + 1
        warnings = [*warnings[: MAX_WARNINGS - 1], f"… and {extra} more warnings"]

    return Essay(
        id=identifier,
        title=title,
        author=author,
        reading_text=reading_text,
        blocks=tuple(converter.essay.blocks),
        sections=_sections(converter.headings, len(reading_text)),
        footnotes=footnotes,
        glossary=glossary,
        meta=meta,
        warnings=tuple(warnings),
        source_path=path,
        complete=complete,
    )
