"""Terminal hyperlinks (OSC 8) over the cells where an essay's links are drawn.

A terminal that knows OSC 8 makes the link text clickable (ctrl/cmd+click opens it in
the browser); one that does not ignores the sequence. Only web and mail addresses are
carried (`sessions.links.hyperlink`); `#…` links jump inside the essay with enter.
Set `ESSAYTUI_NO_HYPERLINKS=1` for a terminal that prints the sequences instead.
"""

from __future__ import annotations

import bisect
import os
import sys
from collections.abc import Sequence
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style

from essaytui.model.essay import Essay, Span, SpanKind
from essaytui.sessions.links import hyperlink
from essaytui.sessions.targets import LinkRef

#: Span kinds whose `data` is an address.
ADDRESS_KINDS = frozenset((SpanKind.LINK, SpanKind.IMAGE))


def essay_links(essay: Essay) -> list[tuple[int, int, LinkRef]]:
    """Every link and image of `essay` in reading order, as `(start, end, LinkRef)`.

    An image inside a link (a topic grid's icon and label) is not one of them: the
    link is what leads somewhere, and it is reached by its label as well."""
    found: list[tuple[int, int, LinkRef]] = []
    for block in essay.blocks:
        links = [(span.start, span.end) for span in block.spans if span.kind is SpanKind.LINK]
        for span in block.spans:
            if span.kind not in ADDRESS_KINDS:
                continue
            image = span.kind is not SpanKind.LINK
            if image and links and _inside(links, span.start, span.end):
                continue
            found.append((span.start, span.end, LinkRef(span.start, span.end, span.data, image)))
    return found


def _inside(links: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether `[start, end)` lies inside one of `links` (sorted, and apart: links do
    not nest)."""
    index = bisect.bisect_right(links, (start, sys.maxsize)) - 1
    return index >= 0 and links[index][0] <= start and links[index][1] >= end


def hyperlinks_wanted() -> bool:
    """Whether to emit terminal hyperlinks (not on the Linux console, nor when told not to)."""
    if os.environ.get("ESSAYTUI_NO_HYPERLINKS"):
        return False
    return os.environ.get("TERM", "") not in ("linux", "dumb")


@lru_cache(maxsize=512)
def _link_style(address: str) -> Style:
    # one Style per address: its link id stays the same on every line and every frame,
    # so a terminal underlines a wrapped link as one
    return Style(link=address)


def with_hyperlinks(segments: list[Segment], start: int, spans: Sequence[Span]) -> list[Segment]:
    """`segments` (drawing the reading text from `start` on) with each link's address.

    The segments are cut at every span's edges already, so each lies wholly inside a
    link or wholly outside it.
    """
    links = [
        (span.start, span.end, address)
        for span in spans
        if span.kind in ADDRESS_KINDS and (address := hyperlink(span.data)) is not None
    ]
    if not links:
        return segments
    end = start + sum(len(segment.text) for segment in segments)
    links = [link for link in links if link[0] < end and link[1] > start]
    if not links:
        return segments
    result: list[Segment] = []
    position = start
    for segment in segments:
        text, style = segment.text, segment.style
        for link_start, link_end, address in links:
            if link_start <= position < link_end:
                style = (style or Style()) + _link_style(address)
                break
        result.append(Segment(text, style))
        position += len(text)
    return result
