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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import reference as markdown_reference
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as markdown_image
from markdown_it.rules_inline import link as markdown_link
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
# A fence line: its marker run and the rest of the line.
_FENCE_LINE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)
# A line that may open a block running on past blank lines: fenced code, or an HTML
# block of CommonMark's types 1-5 (each ends at a marker of its own, `_HTML_END`).
_OPAQUE_START = re.compile(
    r"^(?P<indent>[ ]{0,3})(?:(?P<fence>`{3,}|~{3,})(?P<info>.*)$"
    r"|(?P<html><(?:(?ai:script|pre|style|textarea)(?=\s|>|$)|!--|\?|![A-Za-z]|!\[CDATA\[)))",
    re.MULTILINE,
)
_HTML_END = {
    "-": re.compile(r"-->"),
    "?": re.compile(r"\?>"),
    "!": re.compile(r">"),
    "[": re.compile(r"\]\]>"),
    "<": re.compile(r"</(?a:script|pre|style|textarea)>", re.IGNORECASE),
}
# Lines starting (after up to three spaces) with "<": where an HTML block of type 6
# or 7 may begin, whose lines are not Markdown until the next blank line.
_TAG_LINE = re.compile(r"^[ ]{0,3}<", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ ]*(?=\n)")
# A blank line then an unindented line; or, between two footnote definitions,
# the line starting the second (notes at the end of a file are often not
# separated by blank lines; elsewhere such a line may continue a paragraph).
_SPLIT = re.compile(r"\n(?:[ ]*\n(?=\S)|(?=\[\^[^\] \n]+\]:))")
_DEFINITION_START = re.compile(r"[:~](?:[ ]|$)", re.MULTILINE)
_LIST_START = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ ]|$)", re.MULTILINE)
# A footnote definition, matched from the start of its line: what may precede it
# there is container markup (quote and list markers, indentation, definition-list
# markers) and other definitions ("[^a]: [^b]: x" defines both) - deliberately more
# than markdown-it accepts, so that every definition it finds is found here too. The
# label is what mdit-py-plugins takes: up to "]", without spaces. Each part excludes
# what may start the next, so there is one way to match: linear time.
_FOOTNOTE_DEF = re.compile(r"[ >\-+*.):~0-9]*\[\^([^\] \n]+)\]:")
# A one-line link reference definition, matched from the start of its line.
# Containers: each quote or list marker is followed by spaces, so the repetition has
# one way to match (nested optional spaces made it exponential).
_LINK_DEF = re.compile(
    r"[ ]{0,3}(?:(?:>|[-+*][ ]|\d{1,9}[.)][ ])[ ]*)*"
    r"\[((?!\^)[^\]\n]{1,999})\]:[ ]*<?([^\s<>]+)>?"
    r"(?:[ ]+(?:\"([^\"\n]*)\"|'([^'\n]*)'|\(([^)\n]*)\)))?[ ]*"
)
_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A tag ends at ">" and cannot hold "<": without that, each "<" of "a < b" searched to
# the end of the block for a ">" (quadratic).
_TAG = re.compile(r"<[^<>]*>")
# HTML comments (even unclosed ones) and script/style bodies are not text
_HIDDEN_HTML = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE
)
_PARAGRAPH_BREAK = re.compile(r"\n[ ]*\n")


#: How deep blocks may nest (quotes, lists); markdown-it drops what lies deeper.
MAX_NESTING = 200

#: How deep inline markup (links inside link text, emphasis) may nest. markdown-it's
#: link rule scans ahead once per level for every unclosed "[", so the block limit
#: made 200 KB of "[" take 35 s; CommonMark's own preset allows 20.
INLINE_NESTING = 20

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
    md.inline.ruler.at("footnote_ref", _footnote_ref)
    md.inline.ruler.at("link", _link)
    md.inline.ruler.at("image", _image)
    md.block.ruler.at("reference", _reference)
    # One option holds both nesting limits: set it for each phase of a parse.
    md.core.ruler.before("block", "block_nesting", _nesting(MAX_NESTING))
    md.core.ruler.before("inline", "inline_nesting", _nesting(INLINE_NESTING))
    return md


def _nesting(limit: int) -> Callable[[StateCore], None]:
    def set_nesting(state: StateCore) -> None:
        state.md.options.maxNesting = limit

    return set_nesting


# What ends a footnote reference's label in mdit-py-plugins: "]", or a space or a
# newline (then it is no reference).
_LABEL_END = re.compile(r"[ \n\]]")


def _label_end(state: StateInline, begin: int) -> int:
    """Where the label starting at `begin` ends: the first space, newline or "]".

    The stretch searched last, `(from, end)`, holds no such character before `end`,
    so any label starting inside it ends at `end` too; a label starting before it is
    searched only up to where it begins.
    """
    source = state.src
    searched: tuple[int, int] | None = getattr(state, "_essaytui_label", None)
    if searched is not None and searched[0] <= begin <= searched[1]:
        return searched[1]
    limit = searched[0] if searched is not None and begin < searched[0] else len(source)
    found = _LABEL_END.search(source, begin, limit)
    if found is not None:
        end = found.start()
    else:
        end = searched[1] if searched is not None and limit < len(source) else len(source)
    state._essaytui_label = (begin, end)  # type: ignore[attr-defined]
    return end


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """mdit-py-plugins' `footnote_ref` (every ``[^label]`` matches), in linear time.

    The plugin looks for the end of the label from every "[^" on, to the end of the
    line when there is none: 16 KB of "[^" took 25 s. Here the end found last is
    remembered (`_label_end`), so a run of "[^" is searched once.
    """
    start = state.pos
    maximum = state.posMax
    source = state.src
    if start + 3 > maximum or not source.startswith("[^", start):
        return False
    end = _label_end(state, start + 2)
    if end >= maximum or source[end] != "]" or end == start + 2:
        return False
    if not silent:
        label = source[start + 2 : end]
        footnotes = state.env.setdefault("footnotes", {})
        refs = footnotes.setdefault("refs", {})
        notes = footnotes.setdefault("list", {})
        identifier = refs.get(":" + label, -1)
        if identifier < 0:
            identifier = len(notes)
            notes[identifier] = {"label": label, "count": 0}
            refs[":" + label] = identifier
        sub_id = notes[identifier]["count"]
        notes[identifier]["count"] += 1
        token = state.push("footnote_ref", "", 0)
        token.meta = {"id": identifier, "subId": sub_id, "label": label}
    state.pos = end + 1
    return True


def _positions(state: StateInline, name: str, pattern: re.Pattern[str]) -> list[int]:
    """Where `pattern` matches in the inline run's source, listed on first use."""
    found: list[int] | None = getattr(state, name, None)
    if found is None:
        found = [match.start() for match in pattern.finditer(state.src)]
        setattr(state, name, found)
    return found


_CLOSING_BRACKET = re.compile(r"\]")


def _closes_later(state: StateInline, start: int) -> bool:
    """Whether a "]" follows `start` within the run being parsed."""
    closers = _positions(state, "_essaytui_closers", _CLOSING_BRACKET)
    index = bisect.bisect_right(closers, start)
    return index < len(closers) and closers[index] < state.posMax


def _link(state: StateInline, silent: bool) -> bool:
    """markdown-it's link rule, skipped at once where no "]" follows: without it each
    "[" of a run of them looked ahead through the next twenty."""
    return (
        state.src[state.pos] == "["
        and _closes_later(state, state.pos)
        and markdown_link(state, silent)
    )


def _image(state: StateInline, silent: bool) -> bool:
    """markdown-it's image rule, skipped at once where no "]" follows (see `_link`)."""
    return (
        state.src[state.pos] == "!"
        and _closes_later(state, state.pos)
        and markdown_image(state, silent)
    )


def _reference(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's link reference rule, without its collecting of definitions.

    Definitions are found for the whole source beforehand (`_link_references`), and
    only those are used, so a part of a file parsed alone resolves links exactly as
    the whole file does; markdown-it still takes the definition lines out of the text.
    """
    references = state.env.setdefault("references", {})
    known = len(references)
    found = markdown_reference(state, start_line, end_line, silent)
    while len(references) > known:
        references.popitem()  # the definition just added: not one the scan found
    return found


# -- source scanning ---------------------------------------------------------------


def _plain_tokens(text: str) -> list[Token]:
    """Paragraph tokens for `text` without Markdown: the last resort."""
    tokens: list[Token] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if not paragraph.strip():
            continue
        inline = Token("inline", "", 0, content=paragraph)
        inline.children = [Token("text", "", 0, content=paragraph.strip())]
        tokens += [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
    return tokens


def _lines_containing(text: str, needle: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """`(start, end)` of each line holding `needle` (at or after `start`), in order.

    Each line is yielded once however often it holds `needle`, and its start is found
    by looking back no further than the previous line found: linear in `text`.
    """
    found = text.find(needle, start)
    previous_end = 0
    while found >= 0:
        line_start = text.rfind("\n", previous_end, found) + 1
        line_end = text.find("\n", found)
        if line_end < 0:
            line_end = len(text)
        yield line_start, line_end
        previous_end = line_end
        found = text.find(needle, line_end)


def _footnote_definitions(text: str, start: int = 0) -> Iterator[tuple[int, int, str]]:
    """`(start, end, label)` of each `[^label]:` at or after `start` that may start a
    footnote definition: what precedes it on its line is container markup or other
    definitions (`_FOOTNOTE_DEF`). Each line is read once, from its start."""
    for line_start, line_end in _lines_containing(text, "[^", start):
        position = line_start
        while (match := _FOOTNOTE_DEF.match(text, position, line_end)) is not None:
            if match.start(1) - 2 >= start:
                yield match.start(1) - 2, match.end(), match.group(1)
            position = match.end()


@dataclass(slots=True)
class _Layout:
    """What the cheap scans of a source know: where its opaque blocks lie (code and
    HTML blocks that blank lines do not end) and so where it may be cut."""

    text: str
    ranges: list[tuple[int, int]]
    starts: list[int] = field(init=False)
    # line start → whether it and every line back to the last blank line start with
    # "[^" (a group of footnote definitions; memo of `_in_definition_group`)
    groups: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = [start for start, _ in self.ranges]

    @classmethod
    def of(cls, text: str) -> _Layout:
        return cls(text, _opaque_ranges(text))

    def inside(self, position: int) -> int:
        """End of the opaque range containing `position`, or -1."""
        index = bisect.bisect_right(self.starts, position) - 1
        if index >= 0 and self.ranges[index][1] > position:
            return self.ranges[index][1]
        return -1

    def cut_before(self, end: int) -> _Layout:
        """The layout of `text[:end]`."""
        ranges = [(start, min(stop, end)) for start, stop in self.ranges if start < end]
        return _Layout(self.text[:end], ranges, groups=self.groups)


def _opaque_ranges(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of every stretch that may belong to a block whose lines are not
    Markdown and may hold blank lines: fenced code and HTML blocks of CommonMark's
    types 1-5 (comments, ``<pre>``, ``<script>``, …); an unclosed one runs to the end.

    A line that looks like such an opening may really be inside a list item (it is
    indented) or an HTML block of type 6 or 7 (a line since the last blank one starts
    with "<"), and then what closes it may be a real opening: for those the lines
    after it are scanned too. Overlapping stretches are merged.
    """
    if "```" not in text and "~~~" not in text and "<" not in text:
        return []
    closers = _fence_closers(text)
    blanks = [match.start() for match in _BLANK_LINE.finditer(text)]
    tag_lines: list[int] = []
    if "<" in text:
        tag_lines = [match.start() for match in _TAG_LINE.finditer(text)]
    html_ends: dict[str, tuple[int, int]] = {}  # kind → (searched from, found at or -1)
    ranges: list[tuple[int, int]] = []
    position = 0
    while (match := _OPAQUE_START.search(text, position)) is not None:
        start = match.start()
        fence = match.group("fence")
        if fence is not None:
            if fence[0] == "`" and "`" in match.group("info"):
                position = match.end() + 1  # not a fence: backticks in the info string
                continue
            end = closers.get(start, len(text))
        else:
            opening = match.start("html")
            second = text[opening + 1]
            if second == "?":
                kind = "?"
            elif second != "!":
                kind = "<"
            elif text.startswith("<!--", opening):
                kind = "-"
            elif text.startswith("<![CDATA[", opening):
                kind = "["
            else:
                kind = "!"
            searched, found_at = html_ends.get(kind, (-1, -1))
            if not (0 <= searched <= opening and (found_at < 0 or found_at >= opening)):
                found = _HTML_END[kind].search(text, opening)
                found_at = found.start() if found else -1
                html_ends[kind] = (opening, found_at)
            line_end = text.find("\n", found_at) if found_at >= 0 else -1
            end = len(text) if line_end < 0 else line_end
        ranges.append((start, end))
        nested = match.group("indent") != ""
        if not nested and tag_lines:
            # an earlier line of this paragraph-like stretch opened an HTML block?
            blank = bisect.bisect_left(blanks, start) - 1
            since = blanks[blank] if blank >= 0 else -1
            index = bisect.bisect_left(tag_lines, start) - 1
            nested = index >= 0 and tag_lines[index] > since
        line_end = text.find("\n", start)
        position = (line_end + 1 if line_end >= 0 else len(text)) if nested else end + 1
        position = max(position, match.end() + 1)
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _fence_closers(text: str) -> dict[int, int]:
    """For the start of each fence line that opens a fence, the end of the line that
    would close it (the next fence line of the same character, at least as long, with
    nothing after it). Found in one backward pass: linear in the text."""
    lines = list(_FENCE_LINE.finditer(text))
    # nearest[char][length]: start of the nearest later closing line at least that long
    nearest: dict[str, list[int]] = {"`": [], "~": []}
    ends: dict[int, int] = {}
    for match in reversed(lines):
        marker, rest = match.group(1), match.group(2)
        table = nearest[marker[0]]
        if len(marker) < len(table):
            closing = table[len(marker)]
            line_end = text.find("\n", closing)
            ends[match.start()] = len(text) if line_end < 0 else line_end
        if not rest.strip(" "):
            if len(table) <= len(marker):
                table.extend([0] * (len(marker) + 1 - len(table)))
            table[: len(marker) + 1] = [match.start()] * (len(marker) + 1)
    return ends


def _split_point(layout: _Layout, target: int) -> int | None:
    """The start of a line after a blank line, at or after `target`, where
    Markdown can be cut without changing how either part parses (outside
    opaque blocks; the next line is not indented, so it continues nothing)."""
    text = layout.text
    position = target
    while True:
        match = _SPLIT.search(text, position)
        if match is None:
            return None
        cut = match.end()
        opaque_end = layout.inside(cut)
        if opaque_end >= 0:
            position = opaque_end
            continue
        if match.end() - match.start() == 1 and not _in_definition_group(layout, cut):
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


def _in_definition_group(layout: _Layout, cut: int) -> bool:
    """Whether every line from the last blank line up to `cut` starts a
    footnote definition, so a new definition at `cut` continues nothing.

    Answers are kept per line, so asking at every line of a long group costs
    one look at each line, not one walk back to the blank line each time.
    """
    text, groups = layout.text, layout.groups
    walked: list[int] = []
    line = text.rfind("\n", 0, cut - 1) + 1  # the line before `cut`
    while True:
        known = groups.get(line)
        if known is not None:
            answer = known
            break
        walked.append(line)
        if not text.startswith("[^", line):
            answer = False
            break
        if line == 0 or text.startswith("\n\n", line - 2):
            answer = True
            break
        line = text.rfind("\n", 0, line - 1) + 1
    for visited in walked:
        groups[visited] = answer
    return answer


def _chunks(layout: _Layout, size: int) -> list[tuple[int, int]]:
    text = layout.text
    bounds: list[tuple[int, int]] = []
    begin = 0
    while len(text) - begin > size * 3 // 2:
        cut = _split_point(layout, begin + size)
        if cut is None:
            break
        bounds.append((begin, cut))
        begin = cut
    bounds.append((begin, len(text)))
    return bounds


def _defined_labels(layout: _Layout) -> set[str]:
    return {
        label for start, _, label in _footnote_definitions(layout.text) if layout.inside(start) < 0
    }


def _definition_sources(layout: _Layout, start: int, labels: set[str]) -> list[str]:
    """The source of the first definition of each of `labels` after `start`."""
    if not labels:
        return []
    text = layout.text
    snippets: list[str] = []
    split: re.Match[str] | None = None
    for begin, label_end, label in _footnote_definitions(text, start):
        if label not in labels or layout.inside(begin) >= 0:
            continue
        labels.discard(label)
        # definitions come in order: the end found for one often ends the next too
        if split is None or split.start() < label_end:
            split = _SPLIT.search(text, label_end)
        end = split.end() if split else len(text)
        snippets.append(text[begin:end].rstrip("\n"))
        if not labels:
            break
    return snippets


def _link_references(md: MarkdownIt, layout: _Layout) -> dict[str, Any]:
    """Link reference definitions of the whole text, as markdown-it stores them.

    One-line definitions (``[label]: url "title"``, in quotes and lists too) after a
    blank line or another definition; markdown-it's own collecting is switched off
    (`_reference_rule`), so these are the ones every parse of the file uses.
    """
    text = layout.text
    references: dict[str, Any] = {}
    valid_ends: set[int] = set()
    for line_start, line_end in _lines_containing(text, "]:"):
        match = _LINK_DEF.fullmatch(text, line_start, line_end)
        if match is None or layout.inside(line_start) >= 0:
            continue
        # a definition cannot interrupt a paragraph: the line before must be
        # blank or another (valid) definition
        if line_start > 0 and line_start - 1 not in valid_ends:
            previous_start = text.rfind("\n", 0, line_start - 1) + 1
            if text[previous_start : line_start - 1].strip(" >"):
                continue
        valid_ends.add(line_end)
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


# The value runs to the line's end (trailing spaces are stripped afterwards: a lazy
# value followed by "[ ]*" tried every split of a run of spaces, quadratic).
_PLAIN_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):[ ]+(\S.*)")
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
        key, value = match.group(1), match.group(2).rstrip(" ")
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


@cache
def _front_matter_loader() -> type[Any]:
    """PyYAML's safe loader, reading dates and times as the text written.

    A date is shown and cited as written, so nothing is lost; and PyYAML's own
    constructors raise ValueError on impossible ones (``2024-02-30``,
    ``0000-01-01``, ``25:61:61``) and on integers longer than Python converts
    (4,300 digits), which would stop the essay from opening.
    """
    import yaml

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def scalar_text(loader: Any, node: Any) -> Any:
        return loader.construct_scalar(node)

    def integer(loader: Any, node: Any) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    class Loader(base):  # type: ignore[misc]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", scalar_text)
    Loader.add_constructor("tag:yaml.org,2002:int", integer)
    return Loader


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
        data = yaml.load(raw, Loader=_front_matter_loader())
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        problem = getattr(error, "problem", None) or "cannot be read"
        return {}, body, [f"front matter ignored: not valid YAML: {problem}{line}"]
    except RecursionError:
        return {}, body, ["front matter ignored: nested too deeply"]
    except (ValueError, OverflowError) as error:  # a constructor PyYAML did not guard
        return {}, body, [f"front matter ignored: a value cannot be read: {error}"]
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
    whole = _Layout.of(body)
    layout = whole
    # every definition label of the whole file, so that references in an early
    # chunk (or in a prefix parsed alone) already know their note exists
    defined = _defined_labels(whole)
    complete = True
    if limit is not None and len(body) > limit:
        cut = _split_point(whole, limit)
        if cut is not None and cut < len(body):
            complete = False
            layout = whole.cut_before(cut)

    converter = _Converter(defined)
    part = layout.text
    env: dict[str, Any] = {"references": _link_references(md, whole) if "]:" in body else {}}
    for begin, end in _chunks(layout, CHUNK_CHARS):
        env.pop("footnotes", None)
        try:
            tokens = md.parse(part[begin:end], env)
        except RecursionError:
            tokens = _plain_tokens(part[begin:end])
            warnings.append("part of the text is nested too deeply and is shown unformatted")
        converter.feed(tokens)
        del tokens  # let the chunk's tokens go before the next chunk is parsed
    while len(converter.stack) > 1:  # never happens with markdown-it, but be safe
        converter._close_note(converter.stack.pop())
    if not complete:
        # The notes cited in the part shown are usually defined at the very
        # end: parse just their definitions so the first screen can peek them.
        wanted = {label for label in converter.refs if label not in converter.notes}
        snippets = _definition_sources(whole, len(part), wanted)
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
