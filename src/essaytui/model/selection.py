"""Moving the end of a selection by a unit of text: a character, a word, a sentence or a
paragraph (block), forward or back, over an essay's reading text."""

from __future__ import annotations

from enum import StrEnum

from essaytui.model.essay import Essay
from essaytui.model.text import word_starts

#: How far a word move looks for the next word, in characters.
WORD_WINDOW = 200


class Unit(StrEnum):
    """What a selection's end moves by (the action strings name them: `extend('word', 1)`)."""

    CHAR = "char"
    WORD = "word"
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"


def moved(essay: Essay, cursor: int, unit: Unit, direction: int) -> int:
    """Where the end at `cursor` goes, moved by one `unit` forward (1) or back (-1)."""
    text = essay.reading_text
    match unit:
        case Unit.CHAR:
            return max(0, min(len(text), cursor + direction))
        case Unit.WORD:
            return next_word(text, cursor, direction)
        case Unit.SENTENCE:
            return _sentence(essay, cursor, direction)
        case Unit.PARAGRAPH:
            return _paragraph(essay, cursor, direction)


def next_word(text: str, cursor: int, direction: int) -> int:
    """The end of the next word (forward) or the start of the previous one (back)."""
    if direction > 0:
        window = word_starts(text, cursor + 1, min(len(text), cursor + WORD_WINDOW))
        if not window:
            return min(len(text), cursor + 1)
        position = window[0]
        while position < len(text) and (text[position].isalnum() or text[position] in "'’-"):
            position += 1
        return position
    window = word_starts(text, max(0, cursor - WORD_WINDOW), cursor)
    return window[-1] if window else max(0, cursor - 1)


def _sentence(essay: Essay, cursor: int, direction: int) -> int:
    text = essay.reading_text
    if direction > 0:
        # from the first character after the cursor that is not space (an offset in the
        # gap after a sentence belongs to that sentence, not the next)
        probe = cursor
        while probe < len(text) and (probe == cursor or text[probe].isspace()):
            probe += 1
        _, end = essay.sentence_bounds(min(len(text), probe))
        return max(cursor, end)
    # Back to the end of the previous sentence.
    start, _ = essay.sentence_bounds(max(0, cursor - 1))
    previous = start - 1
    while previous > 0 and text[previous].isspace():
        previous -= 1
    if previous <= 0:
        return 0
    _, end = essay.sentence_bounds(previous)
    return end if end < cursor else start


def _paragraph(essay: Essay, cursor: int, direction: int) -> int:
    index = essay.block_index_at(cursor)
    block = essay.blocks[index]
    if direction > 0:
        if cursor >= block.end and index + 1 < len(essay.blocks):
            block = essay.blocks[index + 1]
        return block.end
    if cursor <= block.start and index > 0:
        block = essay.blocks[index - 1]
    return block.start
