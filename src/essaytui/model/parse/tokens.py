"""markdown-it tokens → blocks of one reading text, footnotes and the outline.

`Converter` is fed the tokens of each chunk in turn (`feed`) and keeps what the
whole essay needs: the essay's blocks and reading text (a `_Builder`), each footnote
definition's own reading text, the numbers of the references in order of first
use, and the headings. A reference inside a note to a note not yet numbered is
written ``[^label]`` and patched once the numbers are known (`footnotes`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from essaytui.model.essay import Block, BlockKind, Footnote, Section, Span, SpanKind
from essaytui.model.markdown import tokens_to_text
from essaytui.model.text import BLOCK_SEPARATOR, sanitize_inline, superscript

#: The text of a thematic break (``---``) in the reading text.
RULE_TEXT = "* * *"

#: Between the cells of a table row in the reading text.
CELL_SEPARATOR = " │ "

_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A tag ends at ">" and cannot hold "<": without that, each "<" of "a < b" searched to
# the end of the block for a ">" (quadratic).
_TAG = re.compile(r"<[^<>]*>")
# HTML comments (even unclosed ones) and script/style bodies are not text
_HIDDEN_HTML = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE
)


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


class Converter:
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
        """Convert the block tokens of one chunk, in order."""
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
            self.close_open_notes()
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
                text = tokens_to_text(child.children)
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

    def close_open_notes(self) -> None:
        """Close any footnote definition left open (markdown-it closes each one it
        opens: this only makes sure)."""
        while len(self.stack) > 1:
            self._close_note(self.stack.pop())

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
        """The footnotes, referenced ones by number, then undefined, then unreferenced
        ones; and warnings. `complete=False`: a note not found yet may lie beyond the
        part parsed, and is not reported."""
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

    def sections(self, length: int) -> tuple[Section, ...]:
        """The outline: each heading's section runs to the next heading of its level or
        higher, the last ones to `length`, the end of the reading text."""
        sections: list[list[Any]] = []  # [index, title, level, start, end, parent]
        open_stack: list[int] = []
        for index, (start, level, title) in enumerate(self.headings):
            while open_stack and sections[open_stack[-1]][2] >= level:
                sections[open_stack.pop()][4] = start
            parent = open_stack[-1] if open_stack else -1
            sections.append([index, title, level, start, length, parent])
            open_stack.append(index)
        return tuple(Section(*values) for values in sections)


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
