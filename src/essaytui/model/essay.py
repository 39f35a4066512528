"""The essay model: one plain-text string and ranges of offsets into it.

Everything the reader shows or stores is addressed by code-point offsets into
`Essay.reading_text` (design §1): inline styles, footnote references, glossary
occurrences, search matches, annotations and the reading position.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from essaytui.model.text import sentence_bounds


class BlockKind(StrEnum):
    """What a block is; decides how the view sets it."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    CODE = "code"
    RULE = "rule"
    TABLE = "table"
    DEFINITION_TERM = "definition_term"
    DEFINITION = "definition"
    MATH = "math"  # display math, its TeX as written
    CALLOUT = "callout"  # the label of a GitHub alert ("Note", "Warning")


#: The label shown for each kind of GitHub alert (``> [!NOTE]``).
CALLOUT_LABELS = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
}

#: How the address of a picture inside a book (an EPUB's member) starts: it names no
#: file anyone could open outside the book, and is never offered as one.
IN_BOOK = "epub-member:"


class SpanKind(StrEnum):
    """The kinds of inline range inside a block."""

    EMPHASIS = "em"
    STRONG = "strong"
    CODE = "code"
    STRIKE = "strike"
    LINK = "link"
    FOOTNOTE_REF = "footnote_ref"
    IMAGE = "image"  # "🖼 alt text"; `data` is the image's address
    MATH = "math"  # inline TeX as written


@dataclass(frozen=True, slots=True)
class Span:
    """An inline range `[start, end)` of a reading text.

    `data` carries the link target for links and the footnote label for
    footnote references.
    """

    start: int
    end: int
    kind: SpanKind
    data: str = ""


class Align(StrEnum):
    """How a table column's cells are set (``:--``, ``:-:``, ``--:``)."""

    DEFAULT = ""
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Table:
    """The grid of a TABLE block: every row's cells as `(start, end)` offsets.

    A row may have fewer cells than `align` has columns (the rest are empty);
    the first `header` rows are the header.
    """

    rows: tuple[tuple[tuple[int, int], ...], ...]
    align: tuple[Align, ...]
    header: int = 1


@dataclass(frozen=True, slots=True)
class Block:
    """One block of text: `reading_text[start:end]` is what the reader sees.

    Attributes:
        kind: heading, paragraph, code, ...
        start: offset of the first character in the reading text.
        end: offset one past the last character.
        level: heading level (1-6); 0 for other blocks.
        quote_depth: how many block quotes enclose the block.
        list_depth: how many lists enclose the block.
        marker: the list marker of the first line ("•", "3.", "☐"), "" otherwise.
        spans: inline spans, sorted by start.
        table: the cells of a TABLE block (its text: rows joined by newlines, cells
            by `CELL_SEPARATOR`).
        callout: the kind of the GitHub alert enclosing the block ("note",
            "warning", …), "" outside one.
    """

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    quote_depth: int = 0
    list_depth: int = 0
    marker: str = ""
    spans: tuple[Span, ...] = ()
    table: Table | None = None
    callout: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the text it governs, `[start, end)` of the reading text.

    `index` is the position in `Essay.sections`; `parent` the index of the
    enclosing section or -1.
    """

    index: int
    title: str
    level: int
    start: int
    end: int
    parent: int = -1


@dataclass(frozen=True)
class Footnote:
    """A footnote (a source), numbered in order of first reference.

    `text` is the note's own reading text (so it can be searched and
    highlighted like the essay); `blocks` index into it. `refs` are the
    `(start, end)` ranges of every reference marker in the essay's reading
    text, in order. A note that is referenced but never defined has
    `defined=False` and empty text; one defined but never referenced has
    `number=0` and no refs.
    """

    label: str
    number: int
    text: str
    blocks: tuple[Block, ...] = ()
    refs: tuple[tuple[int, int], ...] = ()
    defined: bool = True


@dataclass(frozen=True)
class Term:
    """A glossary term and where it occurs in the essay.

    `occurrences` are `(start, end)` ranges of the essay's reading text,
    sorted; `definition` is plain text (the term's own reading text).
    """

    id: str
    name: str
    aliases: tuple[str, ...]
    definition: str
    see_also: tuple[str, ...] = ()
    occurrences: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Essay:
    """A parsed essay: metadata, blocks, reading text, outline, notes, glossary.

    Attributes:
        id: stable identity for annotations (front matter `id`, else a hash
            of title and author).
        title: the title (front matter, first heading, or file name).
        author: the author, or "".
        meta: the remaining front matter strings (series, author_note, ...).
        reading_text: every block's visible text joined by `text.BLOCK_SEPARATOR`.
        blocks: the blocks in reading order.
        sections: the outline, flat, in reading order.
        footnotes: referenced notes by number, then unreferenced ones.
        glossary: terms sorted by name.
        anchors: where each ``#id`` a link may name points in the reading text:
            headings' ids (``{#id}``, ``<h2 id>``) and GitHub-style slugs, and
            ``<a id>`` / ``<a name>`` anchors.
        warnings: problems found while parsing, one line each.
        source_path: the file the essay came from, if any.
        complete: False while only the first part of a large file is parsed.
    """

    id: str
    title: str
    author: str
    reading_text: str
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    glossary: tuple[Term, ...] = ()
    anchors: Mapping[str, int] = field(default_factory=dict)
    meta: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    source_path: str | None = None
    complete: bool = True

    # -- lookups -----------------------------------------------------------

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.start for block in self.blocks]

    @cached_property
    def _section_starts(self) -> list[int]:
        return [section.start for section in self.sections]

    @cached_property
    def footnotes_by_label(self) -> dict[str, Footnote]:
        """Footnotes keyed by label."""
        return {note.label: note for note in self.footnotes}

    @cached_property
    def footnote_refs(self) -> list[tuple[int, int, str]]:
        """Every footnote reference as `(start, end, label)`, sorted by start."""
        refs = [(s, e, note.label) for note in self.footnotes for s, e in note.refs]
        refs.sort()
        return refs

    @cached_property
    def term_occurrences(self) -> list[tuple[int, int, str]]:
        """Every glossary occurrence as `(start, end, term id)`, sorted."""
        found = [(s, e, term.id) for term in self.glossary for s, e in term.occurrences]
        found.sort()
        return found

    @cached_property
    def terms_by_id(self) -> dict[str, Term]:
        """Glossary terms keyed by id."""
        return {term.id: term for term in self.glossary}

    def block_index_at(self, offset: int) -> int:
        """Index of the block containing `offset` (or the last block before it)."""
        if not self.blocks:
            return -1
        return max(0, bisect.bisect_right(self._block_starts, offset) - 1)

    def section_at(self, offset: int) -> Section | None:
        """The innermost section whose heading is at or before `offset`."""
        index = bisect.bisect_right(self._section_starts, offset) - 1
        return self.sections[index] if index >= 0 else None

    def section_trail(self, offset: int) -> list[str]:
        """Titles of the sections enclosing `offset`, outermost first."""
        section = self.section_at(offset)
        trail: list[str] = []
        while section is not None:
            trail.append(section.title)
            section = self.sections[section.parent] if section.parent >= 0 else None
        trail.reverse()
        return trail

    # -- text units, for selection ------------------------------------------

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        """The `(start, end)` of the sentence containing `offset`."""
        return sentence_bounds(self.reading_text, offset)

    @cached_property
    def _headings(self) -> list[int]:
        """The indexes of the heading blocks, in order."""
        return [i for i, block in enumerate(self.blocks) if block.kind is BlockKind.HEADING]

    def body_at_or_after(self, offset: int) -> int:
        """`offset` if it is in body text, else the start of the first body block after
        it (a heading, or the gap after a block, is not body text). Headings in many
        editions were added by the editors: a quotation never starts in one."""
        index = self.block_index_at(offset)
        if index < 0:
            return offset
        block = self.blocks[index]
        if block.kind is not BlockKind.HEADING and offset < block.end:
            return offset
        for later in self.blocks[index + 1 :]:
            if later.kind is not BlockKind.HEADING:
                return later.start
        return offset

    def within_body(self, anchor: int, cursor: int) -> int:
        """`cursor` moved back towards `anchor` so that no heading lies between them:
        a selection begun in body text ends before the next heading (or, going back,
        after the previous one)."""
        headings = self._headings
        if cursor > anchor:
            index = bisect.bisect_left(headings, self.block_index_at(anchor) + 1)
            if index < len(headings) and self.blocks[headings[index]].start < cursor:
                before = headings[index] - 1
                return max(anchor, self.blocks[before].end) if before >= 0 else anchor
        elif cursor < anchor:
            index = bisect.bisect_right(headings, self.block_index_at(anchor) - 1) - 1
            if index >= 0 and self.blocks[headings[index]].end > cursor:
                after = headings[index] + 1
                return min(anchor, self.blocks[after].start) if after < len(self.blocks) else anchor
        return cursor

    def quote(self, start: int, end: int) -> str:
        """The reading text of `[start, end)` without footnote markers."""
        text = self.reading_text
        refs = self.footnote_refs
        pieces: list[str] = []
        position = start
        index = bisect.bisect_left(refs, (start, -1, ""))
        # a reference beginning before `start` may still overlap it
        if index > 0 and refs[index - 1][1] > start:
            index -= 1
        while index < len(refs) and refs[index][0] < end:
            ref_start, ref_end, _ = refs[index]
            if ref_start > position:
                pieces.append(text[position:ref_start])
            position = max(position, ref_end)
            index += 1
        if position < end:
            pieces.append(text[position:end])
        return "".join(pieces).strip()


def reading_progress(length: int, top: int, bottom: int) -> float:
    """How far through a text of `length` a view showing `[top, bottom)` is, from 0 to 1.

    0 with the top of the text at the top of the view, 1 only with its end on screen, and
    in between the share of the scrolling done. The status line and `essaytui list` both
    show this, so the figure a reader quits at is the figure the list gives.
    """
    if bottom >= length:
        return 1.0
    return min(0.99, max(0.0, top / max(1, length - (bottom - top))))


def progress_percent(progress: float) -> int:
    """`progress` (0..1) as the whole percent shown: rounded down, so 100 means the end."""
    return max(0, min(100, int(progress * 100 + 1e-9)))


#: An essay with no text: what a view shows before it is given one.
EMPTY_ESSAY = Essay(id="", title="", author="", reading_text="", blocks=())
