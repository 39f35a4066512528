"""markdown-it tokens → blocks of one reading text, footnotes and the outline.

`Converter` is fed the tokens of each chunk in turn (`feed`) and keeps what the
whole essay needs: the essay's blocks and reading text (a `_Builder`), each footnote
definition's own reading text, the numbers of the references in order of first
use, the headings and the anchors links may name. A reference inside a note to a
note not yet numbered is written ``[^label]`` and patched once the numbers are
known (`footnotes`).

What each construct becomes: a table one TABLE block (rows on lines of their own,
cells at known offsets); a list item a block with its marker, numbered as CommonMark
says (from the list's start, whatever the items are written with; a list cut by a
chunk boundary goes on counting); a task item ☐ or ☑; an image "🖼 alt" (an IMAGE
span keeping the address); TeX a MATH span or block, as written; a GitHub alert a
CALLOUT label and its blocks inside a quote; HTML blocks are cut into blocks as a
browser would (`html_blocks`), and inline tags keep their spacing and meaning.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from essaytui.model.dialects import callout_style, fence_callout
from essaytui.model.essay import (
    CALLOUT_LABELS,
    Align,
    Block,
    BlockKind,
    Footnote,
    Section,
    Span,
    SpanKind,
    Table,
)
from essaytui.model.markdown import attributes_of, math_source, tokens_to_text
from essaytui.model.parse.html_blocks import (
    BLOCK_TAGS,
    HIDDEN_TAGS,
    OpenList,
    Tag,
    align_of,
    split_html,
)
from essaytui.model.text import (
    BLOCK_SEPARATOR,
    SUMMARY_SIGN,
    github_slug,
    is_cjk,
    sanitize_inline,
    script_text,
    superscript,
    tex_as_text,
)

#: The text of a thematic break (``---``) in the reading text.
RULE_TEXT = "* * *"

#: Between the cells of a table row in the reading text (rows are lines).
CELL_SEPARATOR = " │ "

#: What an image reads as: the sign, then its alt text (or `IMAGE_WORD`).
IMAGE_SIGN = "🖼 "
IMAGE_WORD = "image"

#: Between two footnote markers written one after the other ("¹⁰˒¹¹").
MARKER_SEPARATOR = "˒"


#: Headings that do not name the document (the title falls back past them).
_CONTENTS_HEADINGS = frozenset(
    [
        "contents",
        "table of contents",
        "toc",
        "summary",
        "tl;dr",
        "tldr",
        "overview",
        "abstract",
        "index",
        "目录",
        "目次",
    ]
)

# HTML tags read inline, by what they become.
_INLINE_SPANS = {
    "em": SpanKind.EMPHASIS,
    "i": SpanKind.EMPHASIS,
    "cite": SpanKind.EMPHASIS,
    "strong": SpanKind.STRONG,
    "b": SpanKind.STRONG,
    "code": SpanKind.CODE,
    "kbd": SpanKind.CODE,
    "tt": SpanKind.CODE,
    "s": SpanKind.STRIKE,
    "del": SpanKind.STRIKE,
    "strike": SpanKind.STRIKE,
    "a": SpanKind.LINK,
}


#: Block tokens whose inline token follows them at once.
_TEXT_BLOCKS = frozenset(
    {"paragraph_open", "heading_open", "dt_open", "alert_title_open", "admonition_title_open"}
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
        text = "".join(self.pieces)
        # One piece from now on: a 4.4 MB essay's ~12,000 block texts (~6 MB) would
        # otherwise live beside the joined text through the glossary scan and the cache.
        self.pieces = [text]
        return text


@dataclass(slots=True)
class _Context:
    """Where the walk is: the essay or a footnote definition, and its nesting."""

    builder: _Builder
    label: str | None = None  # footnote label, None for the essay
    quote_depth: int = 0
    list_depth: int = 0
    definition_depth: int = 0
    marker: str = ""
    # the lists the walk is inside, innermost last
    lists: list[OpenList] = field(default_factory=list)
    # the kinds of the alerts the walk is inside ("note", "warning", …)
    callouts: list[str] = field(default_factory=list)
    # per open ::: fence, whether it is a callout (its closing line closes one)
    fences: list[bool] = field(default_factory=list)
    # ids given by an attribute line ({#id}) to the block that comes next
    pending_ids: list[str] = field(default_factory=list)
    # (position, label) of references inside a note rendered as "[^label]"
    # because the note they point to had no number yet
    pending: list[tuple[int, str]] = field(default_factory=list)

    @property
    def callout(self) -> str:
        return self.callouts[-1] if self.callouts else ""


@dataclass(slots=True)
class _Note:
    text: str
    blocks: tuple[Block, ...]
    pending: list[tuple[int, str]]
    order: int


@dataclass(slots=True)
class _Inline:
    """The state of one run of inline tokens: open spans, HTML read so far."""

    #: per kind, the spans opened and not yet closed: (start, data), innermost last.
    #: Kept apart by kind so that a closing tag finds its opener at once, even after
    #: thousands of tags left open (a stray ``</b>`` must not scan every ``<em>``).
    open_spans: dict[SpanKind, list[tuple[int, str]]] = field(default_factory=dict)
    hidden: int = 0  # inside <script>, <style>, …: text is not shown
    visible: bool = False  # whether anything but white space was written yet
    script: str = ""  # "sup" or "sub" while inside one
    last_ref_end: int = -1  # where the last footnote marker ended


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
        #: Every heading of the essay (in quotes and lists too): (start, title).
        self.all_headings: list[tuple[int, str]] = []
        #: Ids written in the essay (attributes, HTML ids and names) → offset.
        self.ids: dict[str, int] = {}
        self.first_h1: str | None = None
        self.first_named: str | None = None  # the first heading that is no "Contents"
        # an ordered list that closed the last chunk: [delimiter, next number]
        self._list_at_end: OpenList | None = None

    @property
    def title_heading(self) -> str | None:
        """The heading that titles the essay when its front matter does not: the first
        of level 1, else the first that is not a contents or summary heading."""
        return self.first_h1 or self.first_named

    # -- block level --

    def feed(self, tokens: Sequence[Token]) -> None:
        """Convert the block tokens of one chunk, in order."""
        for token in tokens:
            if token.type == "footnote_reference_open":
                self.defined.add(token.meta["label"])
        continued, self._list_at_end = self._list_at_end, None
        index = 0
        count = len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            context = self.stack[-1]
            if kind in _TEXT_BLOCKS and self._text_block(context, tokens, index):
                index += 2  # the block's opening token and its inline token
                continue
            if kind == "ordered_list_open":
                self._open_ordered_list(context, token, continued if index == 0 else None)
            elif kind == "bullet_list_close" or kind == "ordered_list_close":
                self._close_list(context, last=index == count - 1)
            elif kind == "table_open":
                index = self._table(context, tokens, index)
            elif kind == "container_fence":
                index = self._container_fence(context, tokens, index)
            else:
                self._block_token(context, token)
            index += 1

    def _text_block(self, context: _Context, tokens: Sequence[Token], index: int) -> bool:
        """A paragraph, heading, definition term or alert title opened at `index`, with
        the inline token after it, made into a block; False when no inline follows."""
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            block_kind, level = BlockKind.HEADING, int(token.tag[1:] or 1)
        elif kind == "dt_open":
            block_kind, level = BlockKind.DEFINITION_TERM, 0
        elif kind == "alert_title_open" or kind == "admonition_title_open":
            block_kind, level = BlockKind.CALLOUT, 0
        elif context.definition_depth:
            block_kind, level = BlockKind.DEFINITION, 0
        else:
            block_kind, level = BlockKind.PARAGRAPH, 0
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if inline is None or inline.type != "inline":
            return False
        children = inline.children or []
        if kind == "alert_title_open":
            children = [Token("text", "", 0, content=self._callout_label(context))]
        elif block_kind is BlockKind.HEADING:
            children = self._heading_attributes(context, children)
        self._inline_block(context, block_kind, [children], level)
        return True

    def _open_ordered_list(
        self, context: _Context, token: Token, continued: OpenList | None
    ) -> None:
        """An ordered list begins; `continued`: the list the last chunk ended with, when
        this token opens the chunk (that list goes on counting if this is the same)."""
        context.list_depth += 1
        start = _list_start(token)
        if (
            continued is not None
            and len(self.stack) == 1
            and context.list_depth == 1
            and context.quote_depth == 0
            and continued.delimiter == token.markup
        ):
            start = continued.next_number
        context.lists.append(OpenList(True, start, token.markup))

    @staticmethod
    def _open_callout(context: _Context, style: str) -> None:
        """A titled container begins (an admonition, a directive, a callout): its title
        and body are set as a GitHub alert's are, in a quote of the callout's style."""
        context.quote_depth += 1
        context.callouts.append(style)

    @staticmethod
    def _close_callout(context: _Context) -> None:
        context.quote_depth = max(0, context.quote_depth - 1)
        if context.callouts:
            context.callouts.pop()

    def _container_fence(self, context: _Context, tokens: Sequence[Token], index: int) -> int:
        """A ``:::`` line: Quarto's ``{.callout-note}``, MyST's ``{note}`` and
        markdown-it-container's ``note`` open a callout (titled by their ``title``, their
        argument, or a heading right after them), any other opens a plain div, and a bare
        one closes the last opened. The index of the last token used."""
        token = tokens[index]
        info = token.info.strip()
        if not info:
            if context.fences and context.fences.pop():
                self._close_callout(context)
            return index
        fence = fence_callout(info)
        context.fences.append(fence is not None)
        if fence is None:
            return index
        style, title = fence
        self._open_callout(context, style)
        options = token.meta.get("options", {}) if token.meta else {}
        context.pending_ids.extend(str(options[k]) for k in ("label", "name") if options.get(k))
        children: list[Token] = [Token("text", "", 0, content=title)]
        if (
            not title.startswith("{")
            and info.startswith("{.")
            and "title=" not in info
            and index + 2 < len(tokens)
            and tokens[index + 1].type == "heading_open"
        ):
            children = tokens[index + 2].children or children  # "## Title" heads it
            index += 3
        self._inline_block(context, BlockKind.CALLOUT, [children], 0)
        return index

    def _close_list(self, context: _Context, *, last: bool) -> None:
        """A list ends; an ordered list ending the chunk (`last`) at the top level is
        remembered, so that the next chunk can go on counting."""
        context.list_depth -= 1
        closed = context.lists.pop() if context.lists else None
        if (
            closed is not None
            and closed.ordered
            and last
            and len(self.stack) == 1
            and context.list_depth == 0
            and context.quote_depth == 0
        ):
            self._list_at_end = closed

    def _block_token(self, context: _Context, token: Token) -> None:
        """Any other block token: a block of its own, or a change of nesting."""
        kind = token.type
        if kind == "fence" or kind == "code_block":
            self._plain_block(context, BlockKind.CODE, token.content.rstrip("\n"), True)
        elif kind == "math_block" or kind == "math_block_label":
            self._plain_block(context, BlockKind.MATH, token.content.strip("\n"), True)
        elif kind == "hr":
            self._plain_block(context, BlockKind.RULE, RULE_TEXT, False)
        elif kind == "html_block":
            self._html_block(context, token.content)
        elif kind == "blockquote_open":
            context.quote_depth += 1
        elif kind == "blockquote_close":
            context.quote_depth -= 1
        elif kind == "alert_open":
            context.quote_depth += 1
            context.callouts.append(str(token.meta.get("kind", "note")).lower())
        elif kind == "admonition_open":
            self._open_callout(context, callout_style(str(token.meta.get("tag", ""))))
            context.pending_ids.extend(str(i) for i in token.meta.get("ids", ()))
        elif kind == "admonition_close":
            self._close_callout(context)
        elif kind == "alert_close":
            context.quote_depth -= 1
            if context.callouts:
                context.callouts.pop()
        elif kind == "bullet_list_open":
            context.list_depth += 1
            context.lists.append(OpenList(False))
        elif kind == "list_item_open":
            context.marker = self._item_marker(context, token)
        elif kind == "list_item_close":
            context.marker = ""
        elif kind == "dd_open":
            context.definition_depth += 1
        elif kind == "dd_close":
            context.definition_depth -= 1
        elif kind == "attrs_block":
            identifier = token.attrs.get("id")
            if identifier:
                context.pending_ids.append(str(identifier))
        elif kind == "footnote_reference_open":
            self.stack.append(_Context(_Builder(), label=token.meta["label"]))
        elif kind == "footnote_reference_close" and len(self.stack) > 1:
            self._close_note(self.stack.pop())

    def feed_definitions(self, tokens: Sequence[Token]) -> None:
        """Take only the footnote definitions from `tokens`; the essay is left as it is."""
        essay_context = self.stack[0]
        headings, all_headings = len(self.headings), len(self.all_headings)
        titles = (self.first_h1, self.first_named)
        ids, at_end = dict(self.ids), self._list_at_end
        self.stack[0] = _Context(_Builder())
        try:
            self.feed(tokens)
            self.close_open_notes()
        finally:
            self.stack[0] = essay_context
            del self.headings[headings:]
            del self.all_headings[all_headings:]
            self.first_h1, self.first_named = titles
            self.ids, self._list_at_end = ids, at_end

    @staticmethod
    def _item_marker(context: _Context, token: Token) -> str:
        """A list item's marker: its number in its list, or a bullet; a task's box."""
        marker = context.lists[-1].next_marker() if context.lists else "•"
        checked = token.meta.get("checked") if token.meta else None
        if checked is not None:
            box = "☑" if checked else "☐"
            marker = box if marker == "•" else f"{marker} {box}"
        return marker

    @staticmethod
    def _callout_label(context: _Context) -> str:
        kind = context.callout
        return CALLOUT_LABELS.get(kind, kind.capitalize() or "Note")

    def _heading_attributes(self, context: _Context, children: list[Token]) -> list[Token]:
        """A heading's children without trailing attributes (``## Goals {#goals}``,
        kramdown's ``{: #goals}``); their id is kept for the heading."""
        if not children or children[-1].type != "text":
            return children
        text = children[-1].content.rstrip()
        brace = text.rfind("{")
        if brace < 0 or not text.endswith("}"):
            return children
        attributes = attributes_of(text[brace:])
        if attributes is None:
            return children
        if attributes.get("id"):
            context.pending_ids.append(str(attributes["id"]))
        last = Token("text", "", 0, content=text[:brace].rstrip())
        return [*children[:-1], last]

    def _table(self, context: _Context, tokens: Sequence[Token], index: int) -> int:
        """A table (from `table_open` at `index`) as one TABLE block; the index of its
        `table_close`."""
        rows: list[list[list[Token]]] = []
        align: list[Align] = []
        header = 0
        index += 1
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                if len(rows) == 1:  # a headerless table aligns by its first row
                    align.append(align_of({"style": str(token.attrs.get("style", ""))}))
                if rows:
                    rows[-1].append([])
            elif token.type == "inline" and rows and rows[-1]:
                rows[-1][-1] = token.children or []
            elif token.type == "thead_close":
                header = len(rows)
            index += 1
        self._table_block(context, rows, header, align)
        return index

    def _table_block(
        self,
        context: _Context,
        rows: list[list[list[Token]]],
        header: int,
        align: list[Align],
    ) -> None:
        builder = context.builder
        start = builder.next_start()
        pieces: list[str] = []
        spans: list[Span] = []
        grid: list[tuple[tuple[int, int], ...]] = []
        position = start
        for number, row in enumerate(rows):
            if number:
                pieces.append("\n")
                position += 1
            cells: list[tuple[int, int]] = []
            for column, children in enumerate(row):
                if column:
                    pieces.append(CELL_SEPARATOR)
                    position += len(CELL_SEPARATOR)
                begin = position
                position = self._inline(context, children, pieces, spans, position)
                cells.append((begin, position))
            grid.append(tuple(cells))
        columns = max((len(row) for row in rows), default=0)
        if not grid or not "".join(pieces).replace(CELL_SEPARATOR, "").strip():
            return
        align = (align + [Align.DEFAULT] * columns)[:columns]
        spans.sort(key=_span_start)
        self._add(
            context,
            BlockKind.TABLE,
            start,
            position,
            "".join(pieces),
            spans,
            table=Table(tuple(grid), tuple(align), header),
        )

    def _html_block(self, context: _Context, source: str) -> None:
        """An HTML block as the blocks a browser would show: headings, paragraphs,
        items, rows, code; ids of its tags become anchors."""
        depth, list_depth, marker = context.quote_depth, context.list_depth, context.marker
        for piece in split_html(source):
            if piece.anchor:
                context.pending_ids.append(piece.anchor)
            context.quote_depth = depth + piece.quote_depth
            if piece.kind == "row":
                header = 1 if piece.header else 0
                self._table_block(context, [piece.cells], header, piece.align)
            elif piece.kind == "code":
                text = "".join(token.content for token in piece.children).strip("\n")
                self._plain_block(context, BlockKind.CODE, text, True)
            elif piece.kind == "rule":
                self._plain_block(context, BlockKind.RULE, RULE_TEXT, False)
            elif piece.kind == "heading":
                self._inline_block(context, BlockKind.HEADING, [piece.children], piece.level)
            elif piece.kind == "summary":
                # the question of a <details>, set apart from its answer (as a saved
                # page's is: "▸ " and bold)
                self._inline_block(context, BlockKind.PARAGRAPH, [_summary(piece.children)], 0)
            elif piece.kind == "item":
                context.list_depth = list_depth + piece.level
                context.marker = piece.marker
                self._inline_block(context, BlockKind.PARAGRAPH, [piece.children], 0)
                context.list_depth = list_depth
            else:
                self._inline_block(context, BlockKind.PARAGRAPH, [piece.children], 0)
        context.quote_depth, context.list_depth, context.marker = depth, list_depth, marker

    def _plain_block(self, context: _Context, kind: BlockKind, text: str, code: bool) -> None:
        if not text:
            return
        keeps_lines = kind is BlockKind.CODE or kind is BlockKind.MATH
        text = _sanitize_code(text) if keeps_lines else sanitize_inline(text)
        start = context.builder.next_start()
        block = self._add(context, kind, start, start + len(text), text, [])
        if code and block is not None:
            context.builder.excluded.append((block.start, block.end))

    def _add(
        self,
        context: _Context,
        kind: BlockKind,
        start: int,
        end: int,
        text: str,
        spans: list[Span],
        level: int = 0,
        table: Table | None = None,
    ) -> Block:
        """Add a block of `text` at `start`; what it takes from the context (nesting,
        marker, pending ids) is used up."""
        block = Block(
            kind,
            start,
            end,
            level=level,
            quote_depth=context.quote_depth,
            list_depth=context.list_depth,
            marker=context.marker,
            spans=tuple(spans),
            table=table,
            callout=context.callout,
        )
        context.marker = ""
        context.builder.add(block, text)
        if context.pending_ids:
            if context.label is None:
                for identifier in context.pending_ids:
                    self.ids.setdefault(identifier, start)
            context.pending_ids.clear()
        return block

    def _inline_block(
        self,
        context: _Context,
        kind: BlockKind,
        parts: list[list[Token]],
        level: int,
    ) -> None:
        start = context.builder.next_start()
        pieces: list[str] = []
        spans: list[Span] = []
        position = start
        for children in parts:
            position = self._inline(context, children, pieces, spans, position)
        text = "".join(pieces)
        if text[-1:].isspace():
            # ends with what it shows (<br> or white space of HTML at the end)
            text, spans, position = _trimmed(text, spans, start)
        if position == start:
            context.pending_ids.clear()
            return  # nothing visible
        if spans:
            spans.sort(key=_span_start)
        self._add(context, kind, start, position, text, spans, level=level)
        if kind == BlockKind.HEADING and context.label is None:
            title = _without_markers(text, start, spans)
            self.all_headings.append((start, title))
            if context.quote_depth == 0 and context.list_depth == 0:
                self.headings.append((start, level, title))
            if title and level == 1 and self.first_h1 is None:
                self.first_h1 = title
            if title and self.first_named is None and title.lower() not in _CONTENTS_HEADINGS:
                self.first_named = title

    # -- inline level --

    def _inline(
        self,
        context: _Context,
        children: Sequence[Token],
        pieces: list[str],
        spans: list[Span],
        position: int,
    ) -> int:
        state = _Inline()
        excluded = context.builder.excluded
        for number, child in enumerate(children):
            kind = child.type
            if state.hidden and kind != "html_inline":
                continue
            if kind == "text" or kind == "text_special":
                position = _text(state, child.content, pieces, position)
            elif kind == "softbreak":
                following = children[number + 1] if number + 1 < len(children) else None
                if _breaks_with_space(pieces, following):
                    pieces.append(" ")
                    position += 1
            elif kind == "hardbreak":
                pieces.append("\n")
                position += 1
            elif kind == "code_inline":
                if child.content:
                    self._anchor_of(context, child, position)
                position = _verbatim(
                    state, child.content, SpanKind.CODE, pieces, spans, excluded, position
                )
            elif kind.startswith("math_inline"):
                text = math_source(child)
                position = _verbatim(state, text, SpanKind.MATH, pieces, spans, excluded, position)
            elif kind in _OPENERS:
                data = ""
                if kind == "link_open":
                    data = sanitize_inline(str(child.attrs.get("href", "")))
                    self._anchor_of(context, child, position)
                state.open_spans.setdefault(_OPENERS[kind], []).append((position, data))
            elif kind in _CLOSERS:
                self._close_span(state, _CLOSERS[kind], position, spans, excluded)
            elif kind == "footnote_ref":
                position = self._footnote_ref(context, state, child, pieces, spans, position)
            elif kind == "image":
                self._anchor_of(context, child, position)
                alt = tokens_to_text(child.children).strip()
                position = self._image(child.attrs.get("src", ""), alt, pieces, spans, position)
                excluded.append((spans[-1].start, position))
                state.visible = True
            elif kind == "html_inline":
                position = self._html_inline(context, state, child.content, pieces, spans, position)
            elif kind in ("sub_open", "sup_open"):
                state.script = child.tag
            elif kind in ("sub_close", "sup_close"):
                state.script = ""
            elif kind == "span_open":
                self._anchor_of(context, child, position)
        return position

    def _footnote_ref(
        self,
        context: _Context,
        state: _Inline,
        child: Token,
        pieces: list[str],
        spans: list[Span],
        position: int,
    ) -> int:
        """A footnote reference's marker, kept apart from one right before it."""
        if state.last_ref_end == position:
            pieces.append(MARKER_SEPARATOR)  # "¹⁰˒¹¹", not "¹⁰¹¹"
            position += len(MARKER_SEPARATOR)
        label = sanitize_inline(str(child.meta["label"]))
        inline_note = child.meta.get("inline")
        if inline_note is not None and context.label is not None:
            # a note inside a note (pandoc has none): its text, in parentheses
            opening = "(" if pieces and pieces[-1].endswith(" ") else " ("
            pieces.append(opening)
            position += len(opening)
            position = self._inline(context, inline_note, pieces, spans, position)
            pieces.append(")")
            return position + 1
        if inline_note is not None:
            self.defined.add(label)
        marker = self._marker(context, label, position)
        if inline_note is not None:
            self._inline_note(label, inline_note)
        pieces.append(marker)
        state.visible = True
        end = position + len(marker)
        spans.append(Span(position, end, SpanKind.FOOTNOTE_REF, label))
        context.builder.excluded.append((position, end))
        state.last_ref_end = end
        return end

    def _inline_note(self, label: str, children: list[Token]) -> None:
        """The text of an inline note (``^[…]``), made a footnote of its own."""
        note = _Context(_Builder(), label=label)
        self._inline_block(note, BlockKind.PARAGRAPH, [children], 0)
        self._close_note(note)

    def _close_span(
        self,
        state: _Inline,
        span_kind: SpanKind,
        position: int,
        spans: list[Span],
        excluded: list[tuple[int, int]],
    ) -> None:
        opened = state.open_spans.get(span_kind)
        if not opened:
            return  # a closing tag with nothing to close
        start, data = opened.pop()
        if position > start:
            spans.append(Span(start, position, span_kind, data))
            if span_kind == SpanKind.LINK:
                excluded.append((start, position))

    @staticmethod
    def _image(
        source: object, alt: str, pieces: list[str], spans: list[Span], position: int
    ) -> int:
        text = IMAGE_SIGN + (sanitize_inline(alt) or IMAGE_WORD)
        pieces.append(text)
        spans.append(
            Span(position, position + len(text), SpanKind.IMAGE, sanitize_inline(str(source)))
        )
        return position + len(text)

    def _anchor_of(self, context: _Context, token: Token, position: int) -> None:
        """Keep the id a token was given by attributes (``[x](y){#id}``)."""
        identifier = token.attrs.get("id") if token.attrs else None
        if identifier and context.label is None:
            self.ids.setdefault(str(identifier), position)

    def _html_inline(
        self,
        context: _Context,
        state: _Inline,
        raw: str,
        pieces: list[str],
        spans: list[Span],
        position: int,
    ) -> int:
        """One inline HTML tag: what a browser makes of it, as text and spans."""
        tag = Tag.read(raw)
        if tag is None:
            return position  # a comment
        name = tag.name
        if name in HIDDEN_TAGS:
            state.hidden = max(0, state.hidden + (-1 if tag.closing else 1))
            return position
        if state.hidden:
            return position
        attributes = tag.attributes
        if not tag.closing and context.label is None:
            identifier = attributes.get("id") or (attributes.get("name") if name == "a" else None)
            if identifier:
                self.ids.setdefault(sanitize_inline(identifier), position)
        if name == "br" or (
            name in BLOCK_TAGS and state.visible and pieces and not pieces[-1].endswith("\n")
        ):
            pieces.append("\n")  # a line break, as a browser makes one
            position += 1
        elif name == "img" and not tag.closing:
            alt = " ".join(attributes.get("alt", "").split())
            position = self._image(attributes.get("src", ""), alt, pieces, spans, position)
            context.builder.excluded.append((spans[-1].start, position))
            state.visible = True
        elif name in ("sup", "sub"):
            state.script = "" if tag.closing else name
        elif name in _INLINE_SPANS:
            span_kind = _INLINE_SPANS[name]
            if tag.closing:
                self._close_span(state, span_kind, position, spans, context.builder.excluded)
            elif name != "a" or "href" in attributes:
                data = sanitize_inline(attributes.get("href", "")) if name == "a" else ""
                state.open_spans.setdefault(span_kind, []).append((position, data))
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

    def anchors(self, length: int) -> dict[str, int]:
        """Where each ``#id`` points: ids written in the essay, then every heading's
        GitHub-style slug (a repeated one numbered ``-1``, ``-2`` as GitHub does).
        An id with no text after it points at the end (`length`)."""
        anchors = {name: min(offset, length) for name, offset in self.ids.items()}
        seen: dict[str, int] = {}
        for start, title in self.all_headings:
            base = github_slug(title)
            count = seen.get(base, 0)
            seen[base] = count + 1
            anchors.setdefault(f"{base}-{count}" if count else base, start)
        return anchors


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


def _summary(children: list[Token]) -> list[Token]:
    """A ``<summary>``'s inline tokens, behind `SUMMARY_SIGN` and in bold."""
    return [
        Token("text", "", 0, content=SUMMARY_SIGN),
        Token("html_inline", "", 0, content="<strong>"),
        *children,
        Token("html_inline", "", 0, content="</strong>"),
    ]


def _span_start(span: Span) -> int:
    return span.start


def _list_start(token: Token) -> int:
    """The number an ordered list starts from (``3.`` → 3)."""
    start = token.attrGet("start")
    try:
        return int(str(start)) if start is not None else 1
    except ValueError:
        return 1


def _trimmed(text: str, spans: list[Span], start: int) -> tuple[str, list[Span], int]:
    """`text` (at `start`) without white space at its end, and its spans within it."""
    text = text.rstrip()
    end = start + len(text)
    kept = [
        span if span.end <= end else Span(span.start, end, span.kind, span.data)
        for span in spans
        if span.start < end
    ]
    return text, kept, end


def _without_markers(text: str, start: int, spans: list[Span]) -> str:
    """A heading's text without its footnote markers, its TeX as text (for titles and
    the outline: ``$\textit{Socrates}$`` reads "Socrates")."""
    pieces: list[str] = []
    position = 0
    for span in spans:
        if span.kind == SpanKind.FOOTNOTE_REF:
            pieces.append(text[position : span.start - start])
            position = span.end - start
        elif span.kind == SpanKind.MATH:
            pieces.append(text[position : span.start - start])
            pieces.append(tex_as_text(text[span.start - start : span.end - start]))
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

    def moved_table(table: Table | None) -> Table | None:
        if table is None:
            return None
        rows = tuple(tuple((moved(s), moved(e)) for s, e in row) for row in table.rows)
        return Table(rows, table.align, table.header)

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
            moved_table(block.table),
            block.callout,
        )
        for block in blocks
    )
    return "".join(pieces), new_blocks


def _text(state: _Inline, content: str, pieces: list[str], position: int) -> int:
    """Plain text of a paragraph (in a `<sup>`/`<sub>` as such where it can be)."""
    text = sanitize_inline(content)
    if state.script:
        text = script_text(text, state.script)
    if not state.visible or (pieces and pieces[-1].endswith("\n")):
        text = text.lstrip(" ")  # a line (of HTML) starts with its text
    if text:
        state.visible = state.visible or not text.isspace()
        pieces.append(text)
        position += len(text)
    return position


def _breaks_with_space(pieces: list[str], following: Token | None) -> bool:
    """Whether a soft line break reads as a space: not between two CJK characters (as
    in mdit-py-cjk-friendly: a browser would join them)."""
    before = pieces[-1][-1:] if pieces else ""
    after = following.content[:1] if following is not None else ""
    return not (is_cjk(before) and is_cjk(after))


def _verbatim(
    state: _Inline,
    content: str,
    kind: SpanKind,
    pieces: list[str],
    spans: list[Span],
    excluded: list[tuple[int, int]],
    position: int,
) -> int:
    """Inline code or TeX as written: a span of `kind`, kept out of glossary matching."""
    text = sanitize_inline(content)
    if not text:
        return position
    state.visible = True
    pieces.append(text)
    end = position + len(text)
    spans.append(Span(position, end, kind))
    excluded.append((position, end))
    return end
