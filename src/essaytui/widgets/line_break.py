"""Where a line may end: the Unicode line-breaking rules (UAX #14) that CJK text needs.

Closing punctuation (，。、」）》！？) never starts a line and opening punctuation
(「（《“) never ends one; small kana and the prolonged sound mark (ぁっー, class CJ)
stay with the character before them (the "strict" choice); ellipses and dashes
(…… ——) hold together; words of letters and digits break only at spaces.

The class of each character comes from `uniseg` (the Unicode Line_Break property).
Its own break iterator costs ~270 µs a character, far too slow to run over a 4 MB
essay, so the rules are applied here to the one or two pairs of characters a wrapped
line ends between: the property is looked up only there (and cached), so wrapping
costs what it cost before the rules.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from uniseg.linebreak import line_break

from essaytui.model.text import SUPERSCRIPT_DIGITS

#: No break before these: closing punctuation and brackets, ! ?, infix separators
#: (, . : ;), non-starters (々 ・ ：), small kana (CJ, strict), no-break space, word
#: joiner, combining marks and joiners, ellipses, hyphens and after-breaking dashes.
_NO_BREAK_BEFORE = frozenset(
    ("CL", "CP", "EX", "IS", "SY", "NS", "CJ", "GL", "WJ", "CM", "ZWJ", "IN", "BA", "HY")
)
#: No break after these: opening punctuation, before-breaking marks (´), no-break
#: space, word joiner, prefixes ($ ￥).
_NO_BREAK_AFTER = frozenset(("OP", "BB", "GL", "WJ", "ZWJ", "PR"))
#: Letters and digits: no break between two of them (words break at spaces).
_WORD = frozenset(("AL", "HL", "NU", "AI", "SA", "XX", "QU", "CM", "EB", "EM", "RI"))

#: What footnote markers are written in (superscript digits, and the separator between
#: adjacent markers, ¹⁰˒¹¹): never the first thing on a line.
_MARKER_CHARS = frozenset(SUPERSCRIPT_DIGITS + "˒")

#: A quotation mark that opens (“ ‘ «) acts as opening punctuation; one that closes
#: (” ’ ») as closing punctuation (UAX #14 LB15a/b, by general category).
_QUOTE_AS = {"Pi": "OP", "Pf": "CL"}


@lru_cache(maxsize=8192)
def line_break_class(char: str) -> str:
    """The UAX #14 line-break class of `char`, as the rules here use it."""
    if char in _MARKER_CHARS:
        return "CL"  # a footnote marker stays with the word it follows
    value = str(line_break(char).name)
    if value == "QU":
        return _QUOTE_AS.get(unicodedata.category(char), "QU")
    if value in ("H2", "H3", "JL", "JV", "JT"):
        return "ID"  # Hangul syllables and jamo break like ideographs
    return value


def break_before(text: str, index: int) -> bool:
    """Whether a line may end just before `text[index]` (0 < index < len(text)).

    Spaces are where Latin text breaks: a line may end after them (they hang at its
    end) unless the next character must not start a line, or opening punctuation stands
    before them.
    """
    after = line_break_class(text[index])
    if after in _NO_BREAK_BEFORE or after == "SP":
        return False
    position = index - 1
    before = line_break_class(text[position])
    if before == "SP":
        while position > 0 and text[position - 1] == " ":
            position -= 1
        if position == 0:
            return True
        return line_break_class(text[position - 1]) != "OP"
    if before == "ZW":
        return True
    if before in _NO_BREAK_AFTER:
        return False
    if before in _WORD and after in _WORD:
        return False
    if before == "IS" and after in _WORD:
        return False  # 3.14, a,b
    if before == "B2" and after == "B2":
        return False  # ——
    if after == "PO" and before in ("NU", "CL", "CP"):
        return False  # 100%
    # f(x): no break before a narrow bracket after a word
    return not (after == "OP" and before in _WORD and _narrow(text[index]))


def _narrow(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("N", "Na", "H")


def line_end(text: str, start: int, stop: int) -> int:
    """Where a line of `text` that starts at `start` ends, given that `text[start:stop]`
    is what fits: the last place in `(start, stop]` a line may end, or `stop` itself
    when there is none (a word longer than the line is cut).

    Spaces at `stop` hang at the line's end: the next line starts after them.
    """
    length = len(text)
    if stop >= length:
        return length
    probe = stop
    while probe < length and text[probe] == " ":
        probe += 1
    if probe > stop and (probe >= length or break_before(text, probe)):
        return probe
    for index in range(stop, start, -1):
        if break_before(text, index):
            return index
    return stop
