"""The essay as plain text, for a pipe or a file.

What `essaytui PATH | less` or `> out.txt` gets, the way `glow` and `bat` behave
when standard output is not a terminal: no escape codes, the title and author, then
every block wrapped to the width — headings underlined, list items under their
markers, block quotes behind "> ", code as it is, indented — with the footnote
markers of the text kept (¹ ²) and the notes numbered at the end.

Each kind of block is set by one function of `BLOCK_WRITERS`; a richer way to set
tables or lists is a new function there. Widths are terminal cells (a CJK character
takes two), so the text lines up in a terminal's pager too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from essaytui.model.essay import Block, BlockKind, Essay, Footnote

#: The width when the caller knows none (`$COLUMNS` unset).
DEFAULT_WIDTH = 80
#: Narrower than this, wrapping stops making sense.
MIN_WIDTH = 20
#: Indent of a block quote level.
QUOTE_PREFIX = "> "
#: Cells of indent per list level.
LIST_INDENT = 3
#: Indent of code blocks and definitions.
BLOCK_INDENT = "    "
#: Cells a note's number takes at the end (its text hangs after them).
NOTE_NUMBER_WIDTH = 4
#: Quotes and lists deeper than this are set at this depth, so text keeps its width.
MAX_DEPTH = 8


def cell_width(text: str) -> int:
    """How many terminal cells `text` takes (wide characters 2, combining marks 0)."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`text` wrapped to `width` cells, each line led by `first` (the first) or `rest`.

    Breaks at spaces; a word wider than the line is cut. Runs of spaces count as one.
    """
    lines: list[str] = []
    prefix = first
    room = max(1, width - cell_width(prefix))
    words: list[str] = []
    used = 0
    for word in text.split():
        size = cell_width(word)
        if words and used + 1 + size > room:
            lines.append(prefix + " ".join(words))
            prefix, words, used = rest, [], 0
            room = max(1, width - cell_width(prefix))
        if not words and size > room:
            heads, word, size = _cut(word, size, room, max(1, width - cell_width(rest)))
            lines.append(prefix + heads[0])
            lines.extend(rest + head for head in heads[1:])
            prefix = rest
            room = max(1, width - cell_width(prefix))
        words.append(word)
        used += size if len(words) == 1 else size + 1
    if words or not lines:
        lines.append((prefix + " ".join(words)).rstrip())
    return lines


def _cut(word: str, size: int, room: int, rest_room: int) -> tuple[list[str], str, int]:
    """`word` (`size` cells) cut into lines: the heads that fill them (the first
    `room` cells wide, the others `rest_room`; each at least one character), the tail
    that fits on the last line, and the tail's width.

    One pass over the word: text with no spaces (Chinese, a long URL) can be a whole
    paragraph long, and measuring what is left after every cut was quadratic.
    """
    heads: list[str] = []
    begin = 0
    while size > room:
        used = 0
        index = begin
        while True:
            char_width = cell_width(word[index])
            if used + char_width > room:
                break
            used += char_width
            index += 1
        if index == begin:  # one character wider than the line: it goes alone
            used, index = char_width, index + 1
        heads.append(word[begin:index])
        size -= used
        begin = index
        room = rest_room
    return heads, word[begin:], size


@dataclass
class Page:
    """The lines written so far, and the width they are set to."""

    width: int
    lines: list[str] = field(default_factory=list)

    def blank(self) -> None:
        """One empty line, unless the page is empty or already ends in one."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        """The page as one string ending in a newline."""
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


@dataclass(frozen=True, slots=True)
class Margin:
    """What leads a block's lines: quote marks, list indent and the item's marker."""

    first: str
    rest: str


def margin(block: Block) -> Margin:
    """The margin of `block`: "> " per quote level, then its list indent and marker."""
    quotes = QUOTE_PREFIX * min(block.quote_depth, MAX_DEPTH)
    depth = min(block.list_depth, MAX_DEPTH)
    if depth == 0:
        return Margin(quotes, quotes)
    outer = " " * (LIST_INDENT * (depth - 1))
    if not block.marker:
        return Margin(quotes + outer + " " * LIST_INDENT, quotes + outer + " " * LIST_INDENT)
    marker = f"{block.marker} ".ljust(LIST_INDENT)
    return Margin(quotes + outer + marker, quotes + outer + " " * cell_width(marker))


def write_paragraph(page: Page, block: Block, text: str) -> None:
    """A paragraph (or list item): wrapped behind its margin."""
    edge = margin(block)
    page.lines.extend(wrap(text, page.width, edge.first, edge.rest))


def write_heading(page: Page, block: Block, text: str) -> None:
    """Levels 1-2 underlined with = and -, deeper ones led by #'s."""
    edge = margin(block)
    if block.level <= 2:
        lines = wrap(text, page.width, edge.first, edge.rest)
        page.lines.extend(lines)
        underline = "=" if block.level <= 1 else "-"
        widest = max(cell_width(line) - cell_width(edge.rest) for line in lines)
        page.lines.append(edge.rest + underline * max(1, widest))
        return
    marks = "#" * block.level + " "
    page.lines.extend(wrap(text, page.width, edge.first + marks, edge.rest + " " * len(marks)))


def write_code(page: Page, block: Block, text: str) -> None:
    """Code as it is, line by line, indented (never re-wrapped)."""
    edge = margin(block)
    for line in text.split("\n"):
        page.lines.append((edge.rest + BLOCK_INDENT + line).rstrip())


def write_rule(page: Page, block: Block, text: str) -> None:
    """A thematic break, centred."""
    page.lines.append(" " * max(0, (page.width - cell_width(text)) // 2) + text)


def write_table(page: Page, block: Block, text: str) -> None:
    """A table row by row, its cells joined by │; the header rows underlined."""
    edge = margin(block)
    header = block.table.header if block.table is not None else 0
    for number, row in enumerate(text.split("\n")):
        page.lines.extend(wrap(row, page.width, edge.first, edge.rest + "  "))
        if number + 1 == header:
            page.lines.append(edge.rest + "─" * min(page.width, max(1, cell_width(row))))


def write_definition(page: Page, block: Block, text: str) -> None:
    """A definition, indented under its term."""
    edge = margin(block)
    page.lines.extend(wrap(text, page.width, edge.first + BLOCK_INDENT, edge.rest + BLOCK_INDENT))


#: How each kind of block is set.
BLOCK_WRITERS: dict[BlockKind, Callable[[Page, Block, str], None]] = {
    BlockKind.HEADING: write_heading,
    BlockKind.PARAGRAPH: write_paragraph,
    BlockKind.CODE: write_code,
    BlockKind.RULE: write_rule,
    BlockKind.TABLE: write_table,
    BlockKind.MATH: write_code,
    BlockKind.DEFINITION_TERM: write_paragraph,
    BlockKind.DEFINITION: write_definition,
}


def _tight(previous: Block | None, block: Block) -> bool:
    """True if `block` follows `previous` with no blank line (list items, table rows)."""
    if previous is None or previous.quote_depth != block.quote_depth:
        return False
    if previous.kind is BlockKind.TABLE and block.kind is BlockKind.TABLE:
        return True
    if previous.kind is BlockKind.DEFINITION_TERM and block.kind is BlockKind.DEFINITION:
        return True
    return bool(previous.list_depth and block.list_depth and block.marker)


def write_blocks(page: Page, blocks: tuple[Block, ...], text: str, skip_first: bool) -> None:
    """Every block of a reading text, spaced as a reader expects."""
    previous: Block | None = None
    for index, block in enumerate(blocks):
        if skip_first and index == 0:
            continue
        if not _tight(previous, block):
            page.blank()
        writer = BLOCK_WRITERS.get(block.kind, write_paragraph)
        writer(page, block, text[block.start : block.end])
        previous = block


def write_notes(page: Page, footnotes: tuple[Footnote, ...]) -> None:
    """The notes, numbered as their markers are, then any never referenced."""
    shown = [note for note in footnotes if note.defined and note.text.strip()]
    if not shown:
        return
    page.blank()
    page.lines.extend(["Notes", "-----"])
    for note in shown:
        number = f"{note.number}." if note.number else f"[{note.label}]"
        lead = f"{number} ".ljust(NOTE_NUMBER_WIDTH)
        hang = " " * cell_width(lead)
        page.blank()
        blocks = note.blocks or (Block(BlockKind.PARAGRAPH, 0, len(note.text)),)
        for index, block in enumerate(blocks):
            body = note.text[block.start : block.end]
            if index:
                page.blank()
            if block.kind is BlockKind.CODE:
                page.lines.extend(
                    (hang + BLOCK_INDENT + line).rstrip() for line in body.split("\n")
                )
                continue
            page.lines.extend(wrap(body, page.width, lead if index == 0 else hang, hang))


def render_plain(essay: Essay, width: int = DEFAULT_WIDTH) -> str:
    """The whole essay as plain text wrapped to `width` cells (at least `MIN_WIDTH`)."""
    page = Page(max(MIN_WIDTH, width))
    page.lines.extend(wrap(essay.title, page.width))
    page.lines.append("=" * min(page.width, max(1, cell_width(essay.title))))
    if essay.author:
        page.lines.extend(wrap(essay.author, page.width))
    blocks = essay.blocks
    first = blocks[0] if blocks else None
    # Without a front-matter title, the first heading is the title: not twice.
    repeats = (
        first is not None
        and first.kind is BlockKind.HEADING
        and essay.reading_text[first.start : first.end].strip() == essay.title.strip()
    )
    write_blocks(page, blocks, essay.reading_text, skip_first=repeats)
    write_notes(page, essay.footnotes)
    return page.text()
