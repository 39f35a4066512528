"""What the reader can select in the text: a footnote reference, a glossary term, a
link or a search match. Each is a range of the reading text with what it points to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A footnote marker: `label` names its note."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class TermHit:
    """An occurrence of glossary term `term_id`."""

    start: int
    end: int
    term_id: str


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A link to `url` (inside the essay when it starts with ``#``), or an image's address."""

    start: int
    end: int
    url: str
    image: bool = False


@dataclass(frozen=True, slots=True)
class MatchRef:
    """Search match number `index` (0-based) of the current search."""

    start: int
    end: int
    index: int


#: Anything the reader can select in the essay with a key or a click.
Target = FootnoteRef | TermHit | LinkRef | MatchRef
