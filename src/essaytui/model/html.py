"""Turn a saved web page into an essay Markdown file.

`page_to_essay` reads the page with lxml (libxml2: a C parser that recovers from
unclosed and misnested tags and never fetches anything), finds the footnotes, keeps
the article, and writes it as Markdown with markdownify. The title, author, date,
site and address come from the page's meta tags. Nothing in the page is run:
scripts, styles, frames, forms and embedded objects are dropped before anything
else is done, and no image, style sheet or address is ever fetched.

Decisions worth knowing:

* Footnotes are found before anything is removed, on the whole page. A reference
  is a link to ``#id`` whose text is a marker (``1``, ``[2]``, ``*``, ``iv``,
  "footnote 3") and whose target comes later in the page, inside a note (a list
  item, paragraph or block) that either links back to the reference or is marked
  as a note (``fn``/``footnote``/``cite_note``/``_ftn`` ids, ``footnotes``/
  ``references`` classes, ``doc-endnote`` roles), or a reference that sits in a
  ``<sup>``. That covers kramdown/Jekyll, Hugo and Pandoc (``fn``/``fnref``),
  WordPress (core footnote blocks, Jetpack Markdown, Footnotes Made Easy, notes
  pasted from Word), Substack, Wikipedia (``cite_note``) and GitHub. The notes
  become ``[^n]`` definitions, numbered by first reference, without their back
  links; the notes list (and a "Notes" heading just above it) leaves the body.
* The article is the page's `articleBody`, `e-content`, `entry-content`,
  `post-content`, … element, else its `<article>`, `<main>` or body; sharing,
  comment and related-post blocks inside it are dropped. (readability-lxml was
  tried: it dropped the footnote links and the notes list; trafilatura takes
  ~350 ms to import with sixteen packages, network ones among them.)
* Elements nested deeper than `MAX_DEPTH` keep their text but lose their markup;
  a page nested deeper than libxml2 reads (2048), larger than `MAX_PAGE_CHARS`, or with
  more elements than `MAX_ELEMENTS` (`MAX_ARTICLE_ELEMENTS` in its article) is refused
  with a one-line error: markdownify takes ~50–100 µs an element here.
* White space inside a paragraph is one space, as a browser shows it (pandoc breaks
  its lines at 72 columns); pandoc's ``<span class="math">`` TeX is written as
  ``$…$``/``$$…$$`` with no Markdown escapes in it.
* A link into the page may carry the page's own address before its ``#`` (Substack);
  its canonical address says which links those are.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["PageConversion", "PageError", "declared_charset", "looks_like_html", "page_to_essay"]


class PageError(ValueError):
    """The page cannot be turned into an essay; `str(error)` is one line."""


@dataclass(frozen=True)
class PageConversion:
    """A web page as an essay.

    Attributes:
        markdown: the essay file: YAML front matter, the article, footnotes.
        title: the page's title ("" when it has none).
        footnotes: how many footnotes were found.
        warnings: problems worth telling the user about, one line each.
    """

    markdown: str
    title: str
    footnotes: int
    warnings: tuple[str, ...] = ()


#: Elements deeper than this keep only their text (markdownify recurses per level).
MAX_DEPTH = 80

#: Pages larger than this (in characters) are refused: the biggest real articles
#: saved with their markup (a 1.7 MB post with inline SVG, Wikipedia's longest pages
#: at ~5 MB) are well below it, and converting takes about a second per 2 MB here.
MAX_PAGE_CHARS = 16 * 1024 * 1024

#: Pages with more elements than this are refused, whatever their size: the footnote
#: search holds every element of the page (~1 s and ~60 MB for this many).
MAX_ELEMENTS = 600_000

#: Articles with more elements than this are refused: markdownify (with Beautiful Soup)
#: takes ~50–100 µs an element on a loaded 2-core machine, so this many is ~10 s. A long
#: blog post has a few thousand; Wikipedia's longest articles ~60,000.
MAX_ARTICLE_ELEMENTS = 150_000

#: Attributes longer than this are dropped (inline images, tracking blobs).
_MAX_ATTRIBUTE = 2048

#: How much of a file's start is looked at to tell a page and its charset.
_HEAD_CHARS = 4096

# -- recognising a page --------------------------------------------------------------


def looks_like_html(text: str) -> bool:
    """Whether `text` starts as an HTML page does (a doctype or ``<html``), after any
    byte order mark, white space, XML declaration and comments."""
    head = text[:_HEAD_CHARS].lstrip("\ufeff \t\r\n").lower()
    while head.startswith(("<!--", "<?")):
        closing = "-->" if head.startswith("<!--") else "?>"
        end = head.find(closing)
        if end < 0:
            return False
        head = head[end + len(closing) :].lstrip(" \t\r\n")
    return head.startswith(("<!doctype html", "<html"))


def declared_charset(head: bytes) -> str | None:
    """The character encoding an HTML page declares in its first bytes (a ``<meta
    charset>``, a ``content="text/html; charset=…"`` or an XML declaration), or None."""
    text = head[:_HEAD_CHARS].decode("ascii", "replace").lower()
    if not looks_like_html(text):
        return None
    if text.lstrip("\ufeff \t\r\n").startswith("<?xml"):
        found = _attribute_value(text[: text.find("?>") + 1], "encoding=")
        if found:
            return found
    position = text.find("<meta")
    while position >= 0:
        end = text.find(">", position)
        tag = text[position : end if end >= 0 else len(text)]
        found = _attribute_value(tag, "charset=")
        if found:
            return found
        position = text.find("<meta", position + 5)
    return None


def _attribute_value(tag: str, key: str) -> str | None:
    at = tag.find(key)
    if at < 0:
        return None
    value = tag[at + len(key) :].lstrip(" \"'")
    name = ""
    for char in value:
        if not (char.isascii() and (char.isalnum() or char in "-_:.")):
            break
        name += char
    return name[:40] or None


# -- the conversion ----------------------------------------------------------------------

#: Elements dropped with everything in them: nothing in a page runs or is fetched.
_DROPPED_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "svg", "canvas", "form", "button", "input", "select", "textarea",
    "link", "meta", "base", "audio", "video", "source", "track", "map", "dialog",
)  # fmt: skip

#: Attributes kept on what is left (markdownify reads href, src, alt, title and the
#: table ones; the footnote search reads id, name, class, role and rel first).
_KEPT_ATTRIBUTES = frozenset(
    {"href", "src", "alt", "title", "id", "name", "class", "role", "rel", "colspan",
     "rowspan", "align", "start", "itemprop"}
)  # fmt: skip

#: Where the article is, most specific first: (attribute, token) or a tag name.
_ARTICLE_PLACES: tuple[tuple[str, str] | str, ...] = (
    ("itemprop", "articleBody"),
    ("class", "e-content"),
    ("class", "entry-content"),
    ("class", "post-content"),
    ("class", "article-content"),
    ("class", "post-body"),
    ("class", "available-content"),
    ("id", "mw-content-text"),
    "article",
    "main",
    ("role", "main"),
    ("id", "content"),
)

#: Class or id tokens of what surrounds a post inside its article: sharing buttons,
#: likes, comments, related posts, newsletter boxes, post navigation.
_FURNITURE = frozenset(
    {"sharedaddy", "sd-sharing-enabled", "sharing", "share", "share-buttons", "social-share",
     "jp-relatedposts", "jp-post-flair", "related-posts", "related", "comments",
     "comments-area", "comment-respond", "respond", "wp-block-comments", "disqus_thread",
     "post-navigation", "navigation", "subscribe-widget", "subscription-widget-wrap",
     "newsletter", "post-ufi-button", "byline-share", "mw-editsection", "navbox",
     "printfooter", "catlinks", "speechify-ignore", "button-wrapper", "subscription-widget",
     "subscription-widget-wrap-editor", "post-footer", "entry-utility", "sd-like",
     "jetpack-likes-widget-wrapper", "wp-block-post-comments-form"}
)  # fmt: skip

#: Tags that hold whole blocks of a page (a note's block is the nearest of them).
_BLOCK_TAGS = frozenset(
    {"li", "p", "div", "dd", "dt", "aside", "section", "td", "blockquote", "footer", "body"}
)

#: Words in the ids, classes and roles of notes, their lists and their references.
_NOTE_WORDS = ("fn", "footnote", "endnote", "cite_note", "ftn", "note", "reference", "reflist")

#: A reference's text, once stripped: a number, a letter, a numeral or a symbol, perhaps
#: bracketed or preceded by "footnote"/"note", or by a group's name as Wikipedia writes
#: its explanatory notes ("[n 1]", "[nb 2]").
_MARKER_TEXT = re.compile(
    r"[\[(]?\s*(?:(?:foot)?note\s*|nb?\s+)?(?:\d{1,4}|[a-z]|[ivxlc]{1,6}|[*†‡§¶#]{1,3})\s*[\])]?",
    re.IGNORECASE,
)

# An address with a scheme of its own ("https:", "mailto:").
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}:")

#: Headings of a notes list, removed with it.
_NOTES_HEADINGS = frozenset(
    {"notes", "note", "footnotes", "endnotes", "references", "sources", "citations",
     "notes and references", "bibliography"}
)  # fmt: skip

#: What stands for a reference in the text until markdownify has written it: private
#: use characters the page's own are removed of first.
_REF_OPEN, _REF_CLOSE = "\ue000", "\ue001"
_NOTE_SEPARATOR = "\ue002"
#: A line break inside a table cell until the cell is written (a pipe table's cell is
#: one line: the break becomes <br>, which the reader shows as a new line in the cell).
_CELL_BREAK = "\ue003"
_PRIVATE_MARKS = dict.fromkeys(map(ord, (_REF_OPEN, _REF_CLOSE, _NOTE_SEPARATOR, _CELL_BREAK)))
_REF_TOKEN = re.compile("\ue000(\\d{1,6})\ue001")

#: Wide enough that PyYAML never folds a front matter value.
_YAML_WIDTH = 10_000


def page_to_essay(text: str) -> PageConversion:
    """Convert a saved web page (its decoded text) into an essay Markdown file.

    Raises:
        PageError: the page cannot be read, or has no text.
    """
    if len(text) > MAX_PAGE_CHARS:
        raise PageError(
            f"is too large a web page to convert ({len(text) / 2**20:.0f} MB of markup; "
            f"the limit is {MAX_PAGE_CHARS // 2**20} MB)"
        )
    root = _parse(text.translate(_PRIVATE_MARKS))
    meta = _metadata(root)
    _remove_all(list(root.iter(*_DROPPED_TAGS)))
    _strip_attributes(root)
    _flatten_deep(root)
    _resolve_links(root, meta.get("url", ""))
    notes = _Footnotes(root, meta.get("url", ""))
    body = root.find("body")
    if body is None:
        body = root
    article = _article(body)
    _drop_furniture(article)
    count = sum(1 for _ in article.iter())
    if count > MAX_ARTICLE_ELEMENTS:
        raise PageError(
            f"has too many elements in its article to convert ({count:,}; the limit is "
            f"{MAX_ARTICLE_ELEMENTS:,})"
        )
    title = meta.get("title") or _first_text(article, "h1") or _first_text(body, "h1")
    _drop_title_heading(article, title)
    markdown_body = _markdown(article)
    if not markdown_body.strip() and not notes.definitions:
        raise PageError("has no text to read (a page filled in by scripts shows nothing here)")
    markdown_body = _REF_TOKEN.sub(lambda m: f"[^{m.group(1)}]", markdown_body)
    parts: list[str] = []
    front = {key: value for key, value in meta.items() if value}
    if title:
        front["title"] = title
    if front:
        import yaml

        ordered = {k: front[k] for k in ("title", "author", "date", "site", "url") if k in front}
        dumped = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=_YAML_WIDTH)
        parts.append("---\n" + dumped + "---")
    parts.append(markdown_body.strip("\n"))
    for label, definition in notes.definitions:
        indented = "\n".join(
            f"    {line}" if line.strip() else "" for line in definition.split("\n")
        )
        parts.append(f"[^{label}]: " + indented.strip())
    warnings = list(notes.warnings)
    if not title:
        warnings.append("the page has no title")
    markdown = "\n\n".join(part for part in parts if part) + "\n"
    return PageConversion(markdown, title, len(notes.definitions), tuple(warnings))


#: A numeric character reference, as libxml2's HTML parser reads one (the ``;`` may be
#: missing).
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")

#: Longest digits of a reference worth reading: more name no character (and Python
#: refuses to read over 4300 digits as a number).
_REFERENCE_DIGITS = 8


def lxml_markup(markup: str) -> str:
    """`markup` with no character, written or referred to (``&#7;``, ``&#x1b;``), that
    an lxml tree cannot hold: each is written as `xml_compatible` shows it.

    libxml2's HTML parser keeps control characters that XML forbids, and lxml then
    refuses every text or attribute set near one, so the tree must never hold one.
    """
    from essaytui.model.text import xml_compatible

    markup = xml_compatible(markup)
    if "&#" not in markup:
        return markup
    return _CHARACTER_REFERENCE.sub(_compatible_reference, markup)


def _compatible_reference(match: re.Match[str]) -> str:
    from essaytui.model.text import xml_compatible

    hexadecimal, decimal = match.groups()
    digits = (hexadecimal or decimal).lstrip("0")
    if len(digits) > _REFERENCE_DIGITS:
        return match.group()
    code = int(digits or "0", 16 if hexadecimal else 10)
    if code == 0 or code > 0xFFFF:
        return match.group()  # the parser reads these as U+FFFD or a legal character
    shown = xml_compatible(chr(code))
    return shown if shown != chr(code) else match.group()


def _parse(text: str) -> HtmlElement:
    from lxml import etree, html

    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=True, encoding="utf-8"
    )
    try:
        markup = lxml_markup(text).encode("utf-8", "surrogatepass")
        root = html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise PageError(f"cannot be read as a web page ({error})") from None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise PageError(
            "is nested too deeply to be read (more than 2048 elements inside each other)"
        )
    count = sum(1 for _ in root.iter())
    if count > MAX_ELEMENTS:
        raise PageError(
            f"has too many elements to convert ({count:,}; the limit is {MAX_ELEMENTS:,})"
        )
    return root


def _remove(element: HtmlElement) -> None:
    """Take `element` out of the tree with everything in it, keeping the text after it."""
    _remove_all([element])


def _remove_all(elements: Iterable[HtmlElement]) -> None:
    """Take each of `elements` out of the tree with everything in it, keeping the text
    after each (on the sibling before it, or on its parent when it has none).

    Grouped by parent, so that each parent's children are walked once and each text is
    written once: taking out thousands of siblings one by one (an ``<input>`` before
    every line of a paragraph) appended to one ever longer string, which was quadratic.
    """
    doomed: dict[HtmlElement, set[HtmlElement]] = {}
    for element in elements:
        parent = element.getparent()
        if parent is not None:
            doomed.setdefault(parent, set()).add(element)
    for parent, children in doomed.items():
        _remove_children(parent, children)


def _remove_children(parent: HtmlElement, doomed: set[HtmlElement]) -> None:
    """Take `doomed` (children of `parent`) out, their tails joined to the text before."""
    kept: HtmlElement | None = None  # the last child kept: None while it is the parent's text
    pieces: list[str] = []  # tails to add to it
    for child in list(parent):
        if child not in doomed:
            _append_text(parent, kept, pieces)
            kept, pieces = child, []
            continue
        if child.tail:
            pieces.append(child.tail)
        parent.remove(child)
    _append_text(parent, kept, pieces)


def _append_text(parent: HtmlElement, kept: HtmlElement | None, pieces: list[str]) -> None:
    """`pieces` added after `kept`'s tail (or `parent`'s text when `kept` is None)."""
    if not pieces:
        return
    if kept is None:
        parent.text = (parent.text or "") + "".join(pieces)
    else:
        kept.tail = (kept.tail or "") + "".join(pieces)


def _strip_attributes(root: HtmlElement) -> None:
    for element in root.iter():
        attributes = element.attrib
        for name in list(attributes):
            value = attributes[name]
            if (
                name not in _KEPT_ATTRIBUTES
                or len(value) > _MAX_ATTRIBUTE
                or (name in ("href", "src") and _unsafe_address(value))
            ):
                del attributes[name]


def _resolve_links(root: HtmlElement, page_url: str) -> None:
    """Make relative links and images (``/wiki/Tay_Bridge``, ``//upload…``) absolute
    against the page's own address, so they still lead somewhere once the page is a
    file; links inside the page (``#…``) stay as they are."""
    if not page_url.startswith(("http://", "https://")):
        return
    from urllib.parse import urljoin

    for element in root.iter("a", "img"):
        attribute = "href" if element.tag == "a" else "src"
        value = element.get(attribute)
        if value and not value.startswith("#") and not _ABSOLUTE.match(value):
            element.set(attribute, urljoin(page_url, value))


def _unsafe_address(value: str) -> bool:
    """Addresses worth nothing in a terminal, or that run something: scripts, inline data."""
    scheme = value.strip().lower()
    return scheme.startswith(("javascript:", "vbscript:", "data:"))


def _flatten_deep(root: HtmlElement) -> None:
    """Elements at `MAX_DEPTH` keep the text of everything inside them, not its markup."""
    from lxml import etree

    depth = 0
    boundary: list[HtmlElement] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == MAX_DEPTH and len(element):
                boundary.append(element)
        else:
            depth -= 1
    for element in boundary:
        words = " ".join(" ".join(element.itertext()).split())
        del element[:]
        element.text = words


def _tokens(element: HtmlElement, attribute: str) -> list[str]:
    return str(element.get(attribute, "")).split()


def _has_token(element: HtmlElement, attribute: str, wanted: str) -> bool:
    return wanted in _tokens(element, attribute)


def _note_like(element: HtmlElement) -> bool:
    """Whether the id, name, class or role of `element` says it is a footnote."""
    for attribute in ("id", "name", "class", "role"):
        value = element.get(attribute, "").lower()
        if value and any(word in value for word in _NOTE_WORDS):
            return True
    return False


def _has_text(element: HtmlElement) -> bool:
    """Whether `element` holds any text but white space (stops at the first)."""
    return any(piece.strip() for piece in element.itertext())


def _text(element: HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _first_text(element: HtmlElement, tag: str) -> str:
    found = element.find(f".//{tag}")
    return _text(found) if found is not None else ""


# -- footnotes -------------------------------------------------------------------------------


class _Footnotes:
    """The footnotes of a page: references replaced by placeholders, notes taken out.

    `definitions` holds `(label, Markdown)` in the order of first reference.
    """

    def __init__(self, root: HtmlElement, page_url: str = "") -> None:
        self.definitions: list[tuple[str, str]] = []
        self.warnings: list[str] = []
        # lxml makes a Python object for an element on demand; the dict keeps each one
        # alive, so that an element is the same object (and key) all through
        order = {element: index for index, element in enumerate(root.iter())}
        targets: dict[str, HtmlElement] = {}
        for element in root.iter():
            for attribute in ("id", "name"):
                key = element.get(attribute)
                if key and key not in targets:
                    targets[key] = element
        self._page_url = page_url
        #: note block → its links and the fragments they point to, found once per
        #: block (a block may be a candidate for every link of a page)
        self._inside: dict[HtmlElement, tuple[set[HtmlElement], set[str]]] = {}
        found: list[tuple[HtmlElement, HtmlElement]] = []  # (reference box, note)
        for link in list(root.iter("a")):
            reference = self._reference(link, targets, order)
            if reference is not None:
                found.append(reference)
        labels: dict[HtmlElement, str] = {}
        for box, note in found:
            label = labels.get(note)
            if label is None:
                label = labels[note] = str(len(labels) + 1)
            box.tail = f"{_REF_OPEN}{label}{_REF_CLOSE}" + (box.tail or "")
        _remove_all(box for box, _ in found)
        reference_ids = {
            key for box, _ in found for element in box.iter() for key in _ids(element)
        } | {key for box, _ in found for key in _ids(box)}
        bodies = [_note_body(note, reference_ids, page_url) for note in labels]
        self.definitions = list(zip(labels.values(), _notes_markdown(bodies), strict=True))
        self._take_out(list(labels))

    def _reference(
        self, link: HtmlElement, targets: dict[str, HtmlElement], order: dict[HtmlElement, int]
    ) -> tuple[HtmlElement, HtmlElement] | None:
        href = _fragment(link.get("href", ""), self._page_url)
        if href is None:
            return None
        text = _text(link)
        if len(text) > 20 or _MARKER_TEXT.fullmatch(text) is None:
            return None
        target = targets.get(unquote(href[1:]))
        if target is None:
            target = targets.get(href[1:])
        if target is None or order.get(target, -1) <= order.get(link, 0):
            return None  # a note comes after its reference; links back go up the page
        note = _note_block(target)
        if note is None:
            return None
        links, fragments = self._links_inside(note)
        if link in links:
            return None
        parent = link.getparent()
        box = parent if parent is not None and parent.tag == "sup" and len(parent) == 1 else link
        in_sup = box.tag == "sup" or link.find("sup") is not None
        linked_back = not fragments.isdisjoint(_ids(box) + _ids(link))
        marked = _note_like(link) or _note_like(box) or _note_like(target) or _note_like(note)
        if not (linked_back or marked or in_sup):
            return None
        return box, note

    def _links_inside(self, note: HtmlElement) -> tuple[set[HtmlElement], set[str]]:
        inside = self._inside.get(note)
        if inside is None:
            links = set(note.iter("a"))
            fragments = {_fragment(a.get("href", ""), self._page_url) or "#" for a in links}
            inside = self._inside[note] = (links, {fragment[1:] for fragment in fragments})
        return inside

    @staticmethod
    def _take_out(notes: list[HtmlElement]) -> None:
        """Remove the notes, then what held only notes (their list, a "Notes" heading).

        All the notes first, then each holder once: a list of n notes is looked at once,
        not after each of them (that was quadratic).
        """
        holders: dict[HtmlElement, None] = {}
        for note in notes:
            parent = note.getparent()
            if parent is not None:
                holders[parent] = None
        _remove_all(notes)
        for holder in holders:
            place: HtmlElement | None = holder
            while place is not None and place.getparent() is not None:
                if place.tag in ("body", "html", "article", "main"):
                    break
                if _has_text(place) or place.find(".//img") is not None:
                    break
                above = place.getparent()
                previous = place.getprevious()
                _remove(place)
                if previous is not None and _is_notes_heading(previous):
                    _remove(previous)
                place = above


def _fragment(href: str, page_url: str) -> str | None:
    """``#id`` for a link into this page (Substack writes the post's full address before
    the ``#``), else None."""
    base, hash_, fragment = href.partition("#")
    if not hash_ or not fragment:
        return None
    if base and (not page_url or base.rstrip("/") != page_url.partition("#")[0].rstrip("/")):
        return None
    return "#" + fragment


def _ids(element: HtmlElement) -> list[str]:
    return [key for key in (element.get("id"), element.get("name")) if key]


def _note_block(target: HtmlElement) -> HtmlElement | None:
    """The block that holds the note `target` (a list item, paragraph, …) points into."""
    block: HtmlElement | None = target
    while block is not None and block.tag not in _BLOCK_TAGS:
        block = block.getparent()
    if block is None or block.tag in ("body", "footer") or block.find(".//article") is not None:
        return None
    return block


def _is_notes_heading(element: HtmlElement) -> bool:
    heading = element
    if element.tag not in ("h1", "h2", "h3", "h4", "h5", "h6", "p"):
        # Wikipedia wraps its headings: <div class="mw-heading"><h2>References</h2></div>
        inner = [child for child in element if isinstance(child.tag, str)]
        if len(inner) != 1 or inner[0].tag not in ("h2", "h3", "h4"):
            return False
        heading = inner[0]
    words = _text(heading).lower().rstrip(":")
    return words in _NOTES_HEADINGS


def _note_body(note: HtmlElement, reference_ids: set[str], page_url: str) -> HtmlElement:
    """A copy of a note as a ``<div>``, without its links back."""
    body = copy.deepcopy(note)
    body.tail = None
    _remove_all([link for link in body.iter("a") if _links_back(link, reference_ids, page_url)])
    _remove_all(
        [
            element
            for element in body.iter()
            if element is not body
            and any(word in " ".join(_tokens(element, "class")) for word in _BACK_CLASSES)
        ]
    )
    body.tag = "div"
    return body


#: Class words of what leads from a note back to its reference.
_BACK_CLASSES = ("backlink", "footnote-return")


def _links_back(link: HtmlElement, reference_ids: set[str], page_url: str) -> bool:
    """Whether `link` (inside a note) leads back to a reference."""
    href = _fragment(link.get("href", ""), page_url) or ""
    if href.startswith("#") and unquote(href[1:]) in reference_ids:
        return True
    return any(word in link.get("class", "") for word in ("backlink", "backref", "reverse"))


def _notes_markdown(bodies: list[HtmlElement]) -> list[str]:
    """The notes as Markdown, one string each, written in one go: a Beautiful Soup per
    note cost a millisecond each."""
    from lxml import html

    if not bodies:
        return []
    holder = html.Element("div")
    for body in bodies:
        separator = html.Element("p")
        separator.text = _NOTE_SEPARATOR
        holder.append(separator)
        holder.append(body)
    pieces = _markdown(holder, leftovers=False).split(_NOTE_SEPARATOR)[1:]
    # the arrows a back link leaves when it is plain text ("↩", "^ a b")
    cleaned = (piece.strip().removeprefix("^").strip().rstrip(_BACK_ARROWS) for piece in pieces)
    return [piece.strip() or "(empty note)" for piece in cleaned]


#: What a back link leaves at the end of a note when it is plain text: ↩, its text
#: and emoji variation selectors, spaces (characters to strip, not a suffix).
_BACK_ARROWS = "↩\ufe0e\ufe0f "


# -- the article -----------------------------------------------------------------------------


def _article(body: HtmlElement) -> HtmlElement:
    found: dict[tuple[str, str] | str, list[HtmlElement]] = {place: [] for place in _ARTICLE_PLACES}
    for element in body.iter():  # one pass over the page, not one per place
        if element.tag in found:
            found[element.tag].append(element)
        for attribute in ("itemprop", "class", "id", "role"):
            for token in _tokens(element, attribute):
                places = found.get((attribute, token))
                if places is not None:
                    places.append(element)
    for place in _ARTICLE_PLACES:
        candidates = found[place]
        with_text = [c for c in candidates if len(_text(c)) >= 200] or [
            c for c in candidates if _text(c)
        ]
        if with_text:
            return max(with_text, key=lambda c: len(_text(c)))
    _remove_all(list(body.iter("header", "nav", "footer", "aside")))
    return body


def _drop_furniture(article: HtmlElement) -> None:
    _remove_all(
        [element for element in article.iter() if element is not article and _furniture(element)]
    )


def _furniture(element: HtmlElement) -> bool:
    tokens = _tokens(element, "class") + _tokens(element, "id")
    return element.tag == "nav" or any(token in _FURNITURE for token in tokens)


def _drop_title_heading(article: HtmlElement, title: str) -> None:
    """The title is in the front matter; the article's own first heading would repeat it."""
    heading = article.find(".//h1")
    if heading is not None and title and _text(heading) == title:
        _remove(heading)


#: What Beautiful Soup imports when it is first imported and the converter never uses:
#: Soup Sieve (CSS selectors: ~60 ms of regular expressions compiled, half of its import)
#: and the character set detectors (the converter hands it text, never bytes).
_UNUSED_BY_SOUP = ("soupsieve", "cchardet", "chardet", "charset_normalizer")


def _import_soup() -> Any:
    """Beautiful Soup, imported without what `_UNUSED_BY_SOUP` names when it is not
    imported yet: that import comes before a book's first screen. Only Beautiful Soup's
    own reference to them is left empty (its `select` would say so); they are put back
    at once for anything else that imports them later."""
    import sys
    import warnings

    if "bs4" in sys.modules:
        return sys.modules["bs4"].BeautifulSoup
    held = [name for name in _UNUSED_BY_SOUP if name not in sys.modules]
    for name in held:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` fails
    try:
        with warnings.catch_warnings():
            # "soupsieve is not installed": on stderr, over the reader's screen
            warnings.simplefilter("ignore")
            from bs4 import BeautifulSoup
    finally:
        for name in held:
            if sys.modules.get(name, "") is None:
                del sys.modules[name]
    return BeautifulSoup


def _markdown(element: HtmlElement, *, leftovers: bool = True) -> str:
    """`element` as Markdown (markdownify), without page furniture at its ends."""
    from lxml import html

    BeautifulSoup = _import_soup()  # noqa: N806 - the class, as bs4 names it

    soup = BeautifulSoup(html.tostring(element, encoding="unicode"), "lxml")
    try:
        markdown = str(_converter().convert_soup(soup))
    except RecursionError:
        raise PageError("is nested too deeply to be read") from None
    return _drop_page_leftovers(markdown) if leftovers else markdown


@cache
def _converter() -> Any:
    from markdownify import MarkdownConverter

    class EssayMarkdown(MarkdownConverter):
        """markdownify, writing what the reader shows as the page did."""

        def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not el.get("href"):
                return text
            # (markdownify's stub leaves out its convert_* methods)
            return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]

        def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not el.get("src") and not el.get("alt"):
                return ""
            return str(super().convert_img(el, text, parent_tags))  # type: ignore[misc]

        def escape(self, text: str, parent_tags: set[str]) -> str:
            return escape_page_text(text, in_link="a" in parent_tags, in_cell=bool(
                {"td", "th"} & parent_tags
            ))  # fmt: skip

        def convert_summary(self, el: Any, text: str, parent_tags: set[str]) -> str:
            from essaytui.model.text import SUMMARY_SIGN

            # the question of a <details> stands apart from its answer
            text = " ".join(text.split())
            return f"\n\n**{SUMMARY_SIGN}{text}**\n\n" if text else ""

        def convert_span(self, el: Any, text: str, parent_tags: set[str]) -> str:
            math = _math(el.get("class") or [], el.get_text())
            return text if math is None else math

        # A list or line break in a table cell (an infobox's plainlist, <dl>, <br>) is
        # a line of the cell each, not words run together.
        def convert_li(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not {"td", "th"} & parent_tags:
                return str(super().convert_li(el, text, parent_tags))  # type: ignore[misc]
            return _cell_item(el, text)

        def convert_dd(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not {"td", "th"} & parent_tags:
                return str(super().convert_dd(el, text, parent_tags))  # type: ignore[misc]
            return f"{_CELL_BREAK}{text.strip()}{_CELL_BREAK}"

        def convert_br(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not {"td", "th"} & parent_tags:
                return str(super().convert_br(el, text, parent_tags))  # type: ignore[misc]
            return _CELL_BREAK + text

        def convert_td(self, el: Any, text: str, parent_tags: set[str]) -> str:
            cell = str(super().convert_td(el, text, parent_tags))  # type: ignore[misc]
            return _cell_breaks(cell)

        def convert_th(self, el: Any, text: str, parent_tags: set[str]) -> str:
            cell = str(super().convert_th(el, text, parent_tags))  # type: ignore[misc]
            return _cell_breaks(cell)

    # wrap without a width: white space inside a paragraph is one space, as a browser
    # shows it (pandoc and many generators break lines at 72 columns)
    return EssayMarkdown(
        heading_style="atx", bullets="-", escape_misc=True, strong_em_symbol="*",
        autolinks=False, wrap=True, wrap_width=None,
    )  # fmt: skip


def _cell_item(el: Any, text: str) -> str:
    """A list item in a table cell: a line of its own, numbered in an ordered list;
    in a horizontal list (Wikipedia's ``hlist``) items part with a middle dot."""
    text = text.strip()
    if not text:
        return ""
    parent = el.parent
    for ancestor in el.parents:
        if ancestor.name in ("td", "th"):
            break
        if "hlist" in (ancestor.get("class") or []):
            first = el.find_previous_sibling("li") is None
            return text if first else f" · {text}"
    if parent is not None and parent.name == "ol":
        start = str(parent.get("start") or "1")
        number = (int(start) if start.isdigit() else 1) + len(el.find_previous_siblings("li"))
        text = f"{number}. {text}"
    return f"{_CELL_BREAK}{text}{_CELL_BREAK}"


def _cell_breaks(cell: str) -> str:
    """A written cell with its line breaks as ``<br>`` (none at its ends)."""
    # the cell is " text |" (a bar per column it spans): breaks at its ends are dropped
    # plain string steps, not a pattern: "(?: \|)*\Z" searched a run of bars, and
    # "\s*(?:BREAK\s*)+" split a run of spaces, from every place in it (quadratic)
    cut = len(cell)
    while cell.endswith(" |", 0, cut):
        cut -= 2
    body = cell[:cut]
    lines = [line.strip() for line in body.split(_CELL_BREAK)]
    lines = [line for line in lines if line]
    return f" {'<br>'.join(lines)}{cell[len(body) :]}"


# What in a page's text would read as Markdown, and only that (markdownify's own
# escaping put a backslash before every bracket, "=", "+", "&", …): a backslash before
# punctuation, code ticks, emphasis, TeX's dollars, sub- and superscripts ("^" also keeps
# "[^1]" from being a footnote reference), entities, tags and autolinks, the "!" of an
# alert, an emoji shortcode's colon, a "]" that would close a link, image or span, and
# what opens a block at the start of a paragraph (quote, heading, list item, task box,
# rule, attributes, an admonition, a MyST target). A "["
# is never escaped: "\\[…\\]" around TeX would read as display math.
_ANY_MARKUP = (
    r"\\(?=[!-/:-@\[-`{-~]|$)|[`*$^~]|(?<!\w)_|_(?!\w)|&(?=#?\w+;)|<(?=[A-Za-z/!?])"
    r"|(?<=\[)!|:(?=[a-z0-9_+-]{1,60}:)|(?<=\))=(?=[ ]*$)"
    r"|^[ ]*(?:[>{]|#{1,6}(?=[ ]|$)|[-+](?=[ ]|$)|=+[ ]*$|\[[ xX]\]|!!!|\?\?\?"
    r"|\d{1,9}[.)](?=[ ]|$))"
)
_PAGE_MARKUP = re.compile(_ANY_MARKUP + r"|\](?=[(\[{:]|$)")
# in a link's text, a "]" at the end is the link's own (brackets are paired after)
_LINK_MARKUP = re.compile(_ANY_MARKUP + r"|\](?=[(\[{:])")
_PIPE = re.compile(r"\|")


def _escaped(match: re.Match[str]) -> str:
    found = match.group()
    stripped = found.lstrip(" ")
    if stripped[:1].isdigit() or stripped[:1] == "[":
        # "1." or "[ ]" opening a paragraph: the dot, the bracket closing the box
        return f"{found[:-1]}\\{found[-1]}"
    return found[: len(found) - len(stripped)] + "\\" + stripped


def escape_page_text(text: str, *, in_link: bool = False, in_cell: bool = False) -> str:
    """A text of a page as Markdown that reads back as the same text, with no escape
    that is not needed: ``[update]`` stays as it is. In a link's text the brackets that
    pair stay as they are and the others are escaped (one alone would end the link);
    in a table cell, pipes are escaped."""
    text = (_LINK_MARKUP if in_link else _PAGE_MARKUP).sub(_escaped, text)
    if in_link and ("[" in text or "]" in text):
        text = _unpaired_brackets_escaped(text)
    return _PIPE.sub(r"\\|", text) if in_cell else text


def _unpaired_brackets_escaped(text: str) -> str:
    """`text` with every "[" or "]" that has no partner escaped (an escaped one, "\\]",
    is left alone). An unpaired "[" has no unpaired "]" after it, so no "\\[…\\]" is
    written."""
    opened: list[int] = []
    unpaired: set[int] = set()
    for index, char in enumerate(text):
        if char == "[" and not _after_backslash(text, index):
            opened.append(index)
        elif char == "]" and not _after_backslash(text, index):
            if opened:
                opened.pop()
            else:
                unpaired.add(index)
    unpaired.update(opened)
    if not unpaired:
        return text
    return "".join(f"\\{char}" if i in unpaired else char for i, char in enumerate(text))


def _after_backslash(text: str, index: int) -> bool:
    """Whether the character at `index` is escaped (an odd run of backslashes before it)."""
    before = index
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (index - before) % 2 == 1


def _math(classes: list[str], tex: str) -> str | None:
    """Pandoc's ``<span class="math inline">\\(…\\)</span>`` (and ``display``, ``\\[…\\]``)
    as ``$…$`` / ``$$…$$``, the TeX as written; None for any other span."""
    if "math" not in classes:
        return None
    tex = " ".join(tex.split())
    display = "display" in classes
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$"), ("$", "$")):
        if tex.startswith(opening) and tex.endswith(closing) and len(tex) >= 2 * len(opening):
            tex = tex[len(opening) : len(tex) - len(closing)].strip()
            break
    if not tex:
        return ""
    return f"\n\n$${tex}$$\n\n" if display else f"${tex}$"


def _drop_page_leftovers(markdown: str) -> str:
    """Whole paragraphs that are page furniture ("Share", "5 min read", "Leave a
    Reply"), at the start and the end of the article (the blog-post converter's lists)."""
    from essaytui.model.convert import is_header_leftover, is_leftover

    paragraphs = markdown.strip("\n").split("\n\n")
    start, end = 0, len(paragraphs)
    while start < end and all(
        is_header_leftover(_plain(line)) for line in _lines(paragraphs[start])
    ):
        start += 1
    while end > start and all(is_leftover(_plain(line)) for line in _lines(paragraphs[end - 1])):
        end -= 1
    return "\n\n".join(paragraphs[start:end])


def _lines(paragraph: str) -> Iterator[str]:
    return (line for line in paragraph.split("\n") if line.strip())


def _plain(line: str) -> str:
    """A Markdown line as the words it shows, near enough to compare with leftovers."""
    return line.replace("\\", "").strip(" #*_-")


# -- metadata --------------------------------------------------------------------------------


def _metadata(root: HtmlElement) -> dict[str, str]:
    """Title, author, date, site and address from the page's head (meta tags, then the
    schema.org JSON-LD block, then microformats)."""
    tags: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if key and content and key not in tags:
            tags[key] = content
    linked = _json_ld(root)
    site = _first(tags, "og:site_name", "application-name") or ""
    title = _first(tags, "og:title", "twitter:title", "dc.title") or linked.get("headline", "")
    if not title:
        element = root.find(".//title")
        heading = _first_text(root, "h1")
        title = _without_site(_text(element), site, heading) if element is not None else ""
    author = _first(tags, "author", "article:author", "dc.creator", "parsely-author",
                    "sailthru.author") or linked.get("author", "")  # fmt: skip
    if not author:
        for element in root.iter():
            if (
                _has_token(element, "rel", "author")
                or _has_token(element, "class", "p-author")
                or {"author", "vcard"} <= set(_tokens(element, "class"))
            ):
                author = _text(element)
                break
    if author.startswith(("http://", "https://")):
        author = ""  # Facebook profile addresses in article:author
    date = _first(tags, "article:published_time", "dc.date", "dcterms.date", "date") or linked.get(
        "date", ""
    )
    url = ""
    for link in root.iter("link"):
        if _has_token(link, "rel", "canonical") and link.get("href"):
            url = link.get("href", "")
            break
    url = url or _first(tags, "og:url") or ""
    return {
        "title": _clean_value(title, 300),
        "author": _clean_value(author, 200),
        "date": date[:10] if len(date) >= 10 and date[:4].isdigit() else "",
        "site": _clean_value(site, 200),
        "url": url if url.startswith(("http://", "https://")) and len(url) < 2000 else "",
    }


def _first(tags: dict[str, str], *keys: str) -> str | None:
    return next((tags[key] for key in keys if tags.get(key)), None)


def _clean_value(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else ""


def _without_site(title: str, site: str, heading: str = "") -> str:
    """ "Post – Site" → "Post" (when the site's name is known, the page's heading is
    "Post", or Medium's "| by …")."""
    for separator in (" | ", " – ", " — ", " - ", " · ", " :: "):
        if heading and title.startswith(heading + separator):
            return heading
        head, found, tail = title.rpartition(separator)
        if found and head and (tail == site or tail in ("Medium", "Substack")):
            title = head
            if " | by " in title:
                title = title.rpartition(" | by ")[0]
            return title
    return title


def _json_ld(root: HtmlElement) -> dict[str, str]:
    """headline, author and date from the page's schema.org JSON-LD (data, never run)."""
    found: dict[str, str] = {}
    for script in root.iter("script"):
        if script.get("type", "").lower() != "application/ld+json":
            continue
        raw = script.text or ""
        if len(raw) > 1_000_000:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            author = item.get("author")
            if isinstance(author, list) and author:
                author = author[0]
            if isinstance(author, dict):
                author = author.get("name")
            for key, value in (
                ("headline", item.get("headline")),
                ("author", author),
                ("date", item.get("datePublished")),
            ):
                if isinstance(value, str) and value.strip() and key not in found:
                    found[key] = value.strip()
    return found


def _ld_items(data: object) -> Iterable[dict[str, Any]]:
    if isinstance(data, list):
        for item in data[:50]:
            if isinstance(item, dict):
                yield item
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _ld_items(graph)


# -- for formats made of pages (an EPUB's chapters) --------------------------------------------

#: Elements a converted document drops with everything in them.
DROPPED_TAGS = _DROPPED_TAGS

#: Where a footnote reference stands in a document until its Markdown is written:
#: ``REF_OPEN`` + label + ``REF_CLOSE`` becomes ``[^label]``.
REF_OPEN, REF_CLOSE = _REF_OPEN, _REF_CLOSE

#: What `is_marker_text` accepts (a footnote reference's text).
MARKER_TEXT = _MARKER_TEXT

#: The tags of whole blocks (a note's block is the nearest of them).
BLOCK_TAGS = _BLOCK_TAGS

#: Back-link arrows left at the end of a note's text.
BACK_ARROWS = _BACK_ARROWS


def prepare_tree(root: HtmlElement) -> None:
    """Make a document safe and shallow enough to convert, as a page is: only the kept
    attributes, no unsafe addresses, nothing nested deeper than `MAX_DEPTH`."""
    _strip_attributes(root)
    _flatten_deep(root)


def element_markdown(element: HtmlElement) -> str:
    """`element` as Markdown, written as a page's article is (markdownify).

    Raises:
        PageError: it is nested too deeply to be converted.
    """
    return _markdown(element, leftovers=False)


def notes_markdown(bodies: list[HtmlElement]) -> list[str]:
    """Notes (each an element, its back links removed) as Markdown, one string each."""
    return _notes_markdown(bodies)


def replace_with_text(element: HtmlElement, text: str) -> None:
    """Take `element` out of its tree, leaving `text` where it was."""
    element.tail = text + (element.tail or "")
    _remove(element)


def remove_element(element: HtmlElement) -> None:
    """Take `element` out of its tree with everything in it, keeping the text after it."""
    _remove(element)


def note_like(element: HtmlElement) -> bool:
    """Whether the id, name, class or role of `element` says it is a footnote."""
    return _note_like(element)


def is_notes_heading(element: HtmlElement) -> bool:
    """Whether `element` is the heading of a notes list ("Notes", "Endnotes", …)."""
    return _is_notes_heading(element)


def has_text(element: HtmlElement) -> bool:
    """Whether `element` holds any text but white space."""
    return _has_text(element)
