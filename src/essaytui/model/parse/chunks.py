"""Where a Markdown source may be cut, and what must be known of all of it first.

Big files are parsed in chunks of about `CHUNK_CHARS`, cut at blank lines outside
fenced code and HTML blocks (`Layout`, `split_point`, `chunk_bounds`), so that each
chunk's tokens can be dropped as soon as they are converted. What crosses chunks is
found up front by cheap scans of the whole source: footnote definition labels (so a
reference early on knows its note exists, `defined_labels`), link reference
definitions (`link_references`), and the sources of the definitions a part parsed
alone cites (`definition_sources`). Every scan is linear in the source.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference, unescapeAll

from essaytui.model.ranges import merge_ranges

#: Target size of one parsing chunk, in characters (read at each parse, so a test
#: may set it smaller).
CHUNK_CHARS = 200_000

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
class Layout:
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
    def of(cls, text: str) -> Layout:
        """The layout of `text`, scanned once."""
        return cls(text, _opaque_ranges(text))

    def inside(self, position: int) -> int:
        """End of the opaque range containing `position`, or -1."""
        index = bisect.bisect_right(self.starts, position) - 1
        if index >= 0 and self.ranges[index][1] > position:
            return self.ranges[index][1]
        return -1

    def cut_before(self, end: int) -> Layout:
        """The layout of `text[:end]`."""
        ranges = [(start, min(stop, end)) for start, stop in self.ranges if start < end]
        return Layout(self.text[:end], ranges, groups=self.groups)


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
            end = _html_block_end(text, match.start("html"), html_ends)
        ranges.append((start, end))
        nested = match.group("indent") != "" or _after_tag_line(start, blanks, tag_lines)
        line_end = text.find("\n", start)
        position = (line_end + 1 if line_end >= 0 else len(text)) if nested else end + 1
        position = max(position, match.end() + 1)
    return merge_ranges(ranges)


def _html_block_end(text: str, opening: int, html_ends: dict[str, tuple[int, int]]) -> int:
    """The end of the line closing the HTML block of type 1-5 opened at `opening`
    (the end of the text when nothing closes it).

    `html_ends` keeps, per kind of block, where its closing marker was last searched
    from and where it was found: a later opening before that marker ends there too,
    so each marker is searched for once.
    """
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
    return len(text) if line_end < 0 else line_end


def _after_tag_line(start: int, blanks: list[int], tag_lines: list[int]) -> bool:
    """Whether an earlier line of the paragraph-like stretch holding `start` (since the
    last blank line) starts with "<", and so may have opened an HTML block."""
    if not tag_lines:
        return False
    blank = bisect.bisect_left(blanks, start) - 1
    since = blanks[blank] if blank >= 0 else -1
    index = bisect.bisect_left(tag_lines, start) - 1
    return index >= 0 and tag_lines[index] > since


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


def split_point(layout: Layout, target: int) -> int | None:
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


def _in_definition_group(layout: Layout, cut: int) -> bool:
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


def chunk_bounds(layout: Layout) -> list[tuple[int, int]]:
    """`(begin, end)` of the chunks `layout.text` is parsed in: about `CHUNK_CHARS`
    each, cut at `split_point`s (one chunk when the text is not much longer)."""
    size = CHUNK_CHARS
    text = layout.text
    bounds: list[tuple[int, int]] = []
    begin = 0
    while len(text) - begin > size * 3 // 2:
        cut = split_point(layout, begin + size)
        if cut is None:
            break
        bounds.append((begin, cut))
        begin = cut
    bounds.append((begin, len(text)))
    return bounds


def defined_labels(layout: Layout) -> set[str]:
    """The label of every footnote definition outside opaque blocks."""
    return {
        label for start, _, label in _footnote_definitions(layout.text) if layout.inside(start) < 0
    }


def definition_sources(layout: Layout, start: int, labels: set[str]) -> list[str]:
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


def link_references(md: MarkdownIt, layout: Layout) -> dict[str, Any]:
    """Link reference definitions of the whole text, as markdown-it stores them.

    One-line definitions (``[label]: url "title"``, in quotes and lists too) after a
    blank line or another definition; markdown-it's own collecting is switched off
    (`essaytui.model.markdown`), so these are the ones every parse of the file uses.
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
