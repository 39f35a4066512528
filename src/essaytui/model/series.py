"""Series: which texts belong together, and in what order.

A text's front matter says it: ``series: The long road`` with ``part: 3``, or the
part inside the series line (``series: The long road, Part 3``; the bundled essay
has only ``series: Part 5``, a part of a series named nowhere).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_PART = re.compile(r"\bpart\s*(\d{1,4})\b", re.IGNORECASE)
_EDGES = " \t,;:-–—()[]"


@dataclass(frozen=True, slots=True)
class SeriesPlace:
    """Where a text stands in its series.

    Attributes:
        name: the series' name as the front matter gives it ("" when it names none).
        part: the part number, or 0 when the front matter gives none.
    """

    name: str
    part: int

    def label(self, author: str = "") -> str:
        """The series as a reader says it: "Part 5 of The long road", or "Part 5 of
        a series by Dean Chen" when the series has no name."""
        name = self.name or (f"a series by {author}" if author else "a series")
        return f"Part {self.part} of {name}" if self.part else name

    def key(self, author: str = "") -> str:
        """What groups the parts of one series: its name, else its author's."""
        return (self.name or f"by {author}").casefold()


def series_place(meta: Mapping[str, str], author: str = "") -> SeriesPlace | None:
    """The series a text's front matter puts it in, or None."""
    line = str(meta.get("series", "")).strip()
    given = str(meta.get("part", "")).strip()
    if not line and not given:
        return None
    part = 0
    match = _PART.search(line)
    if match:
        part = int(match.group(1))
        line = (line[: match.start()] + " " + line[match.end() :]).strip(_EDGES)
    digits = re.match(r"\d{1,4}", given)
    if digits:
        part = int(digits.group())
    elif given:
        match = _PART.search(given)
        part = int(match.group(1)) if match else part
    name = " ".join(line.split()).strip(_EDGES)
    if not name and not part:
        return None
    return SeriesPlace(name, part)
