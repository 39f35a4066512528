"""Series: which texts belong together, and in what order.

A text's front matter says it: ``series: The long road`` with ``part: 3``, or the
part inside the series line (``series: The long road, Part 3``, ``Part 3 of The long
road``, ``Book III``). The bundled essay has only ``series: Part 5``: a part of a series
named nowhere, which is shown as its part and never given a name made of what is left
of the line ("of a series" is no name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: A part as a series line words it: "Part 5", "Book II", "Volume three", "No. 4". The
#: number is checked apart (`_number`): the pattern only finds where one may be.
_PART = re.compile(
    r"\b(?:part|book|volume|vol\.|no\.|number)\s{0,3}([0-9]{1,4}|[A-Za-z]{1,9})\b",
    re.IGNORECASE,
)
#: What may follow a part and is not the series' name: "of 7", "of a series".
_OF_TOTAL = re.compile(r"\s*of\s+(?:[0-9]{1,4}|(?:a|the|this)\s+series|series)\b", re.IGNORECASE)
_EDGES = " \t,;:-–—()[]"

_WORDS = {
    word: number
    for number, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen", "twenty"),
        start=1,
    )
}  # fmt: skip
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
#: Names that name nothing: a line such as "Part 5 of a series" leaves them.
_NO_NAME = {"", "series", "a series", "the series", "this series"}


@dataclass(frozen=True, slots=True)
class SeriesPlace:
    """Where a text stands in its series.

    Attributes:
        name: the series' name as the front matter gives it ("" when it names none).
        part: the part number, or 0 when the front matter gives none.
    """

    name: str
    part: int

    def label(self) -> str:
        """The series as a reader says it: "Part 5 of The long road"; "Part 5" when the
        series has no name; the name alone when the text has no part number."""
        if not self.part:
            return self.name
        return f"Part {self.part} of {self.name}" if self.name else f"Part {self.part}"

    def key(self, author: str = "") -> str:
        """What groups the parts of one series: its name, else its author's (an
        unnamed series' parts by one author are taken for one series)."""
        return (self.name or f"by {author}").casefold()


def _roman(word: str) -> int:
    """The value of an upper-case Roman numeral written the usual way, else 0."""
    if not word or any(c not in _ROMAN for c in word):
        return 0
    total = 0
    for here, after in zip(word, [*word[1:], ""], strict=True):
        value = _ROMAN[here]
        total += -value if after and _ROMAN[after] > value else value
    return total if _to_roman(total) == word else 0


def _to_roman(number: int) -> str:
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _number(word: str) -> int:
    """A part's number: digits, a Roman numeral (upper case: "mix" is a word), or one
    to twenty in English words; 0 for anything else."""
    if word.isascii() and word.isdigit() and len(word) <= 4:  # not "²", nor a thousand digits
        return int(word)
    return _roman(word) or _WORDS.get(word.casefold(), 0)


def _part_in(line: str) -> tuple[int, str]:
    """The part a series line gives, and the line without it (and without "of 7")."""
    for match in _PART.finditer(line):
        number = _number(match.group(1))
        if number:
            after = line[match.end() :]
            total = _OF_TOTAL.match(after)
            after = after[total.end() :] if total else after
            after = re.sub(r"^\s*of\s+", " ", after, flags=re.IGNORECASE)
            return number, line[: match.start()] + " " + after
    return 0, line


def series_place(meta: Mapping[str, str]) -> SeriesPlace | None:
    """The series a text's front matter puts it in, or None."""
    line = str(meta.get("series", "")).strip()
    given = str(meta.get("part", "")).strip()
    if not line and not given:
        return None
    part, line = _part_in(line)
    if given:
        digits = re.match(r"[0-9]{1,4}(?![0-9])", given)
        number = int(digits.group()) if digits else _number(given) or _part_in(given)[0]
        part = number or part
    name = " ".join(line.split()).strip(_EDGES)
    if name.casefold() in _NO_NAME or name.isdigit():
        name = ""
    if not name and not part:
        return None
    return SeriesPlace(name, part)


def part_label(meta: Mapping[str, str]) -> str:
    """What the status line says of a text's series: "Part 5 of The long road", "Part 5"
    (a series named nowhere), or "" (no part number: nothing to place the reader)."""
    place = series_place(meta)
    return place.label() if place is not None and place.part else ""
