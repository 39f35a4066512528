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
  a page nested deeper than libxml2 reads (2048) is refused with a one-line error.
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
     "printfooter", "catlinks", "speechify-ignore"}
)  # fmt: skip

#: Tags that hold whole blocks of a page (a note's block is the nearest of them).
_BLOCK_TAGS = frozenset(
    {"li", "p", "div", "dd", "dt", "aside", "section", "td", "blockquote", "footer", "body"}
)

#: Words in the ids, classes and roles of notes, their lists and their references.
_NOTE_WORDS = ("fn", "footnote", "endnote", "cite_note", "ftn", "note", "reference", "reflist")

#: A reference's text, once stripped: a number, a letter, a numeral or a symbol, perhaps
#: bracketed or preceded by "footnote"/"note".
_MARKER_TEXT = re.compile(
    r"[\[(]?\s*(?:(?:foot)?note\s*)?(?:\d{1,4}|[a-z]|[ivxlc]{1,6}|[*†‡§¶#]{1,3})\s*[\])]?",
    re.IGNORECASE,
)

#: Headings of a notes list, removed with it.
_NOTES_HEADINGS = frozenset(
    {"notes", "note", "footnotes", "endnotes", "references", "sources", "citations",
     "notes and references", "bibliography"}
)  # fmt: skip

#: What stands for a reference in the text until markdownify has written it: private
#: use characters the page's own are removed of first.
_REF_OPEN, _REF_CLOSE = "\ue000", "\ue001"
_REF_TOKEN = re.compile("\ue000(\\d{1,6})\ue001")

#: Wide enough that PyYAML never folds a front matter value.
_YAML_WIDTH = 10_000


def page_to_essay(text: str) -> PageConversion:
    """Convert a saved web page (its decoded text) into an essay Markdown file.

    Raises:
        PageError: the page cannot be read, or has no text.
    """
    root = _parse(text.replace(_REF_OPEN, "").replace(_REF_CLOSE, ""))
    meta = _metadata(root)
    for element in list(root.iter(*_DROPPED_TAGS)):
        _remove(element)
    _strip_attributes(root)
    _flatten_deep(root)
    notes = _Footnotes(root)
    body = root.find("body")
    if body is None:
        body = root
    article = _article(body)
    _drop_furniture(article)
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
        indented = "\n".join(f"    {line}" if line.strip() else "" for line in definition.split("\n"))
        parts.append(f"[^{label}]: " + indented.strip())
    warnings = list(notes.warnings)
    if not title:
        warnings.append("the page has no title")
    markdown = "\n\n".join(part for part in parts if part) + "\n"
    return PageConversion(markdown, title, len(notes.definitions), tuple(warnings))


def _parse(text: str) -> HtmlElement:
    from lxml import etree, html

    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=True, encoding="utf-8"
    )
    try:
        root = html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise PageError(f"cannot be read as a web page ({error})") from None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise PageError(
            "is nested too deeply to be read (more than 2048 elements inside each other)"
        )
    return root


def _remove(element: HtmlElement) -> None:
    """Take `element` out of the tree with everything in it, keeping the text after it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _replace_with_text(element: HtmlElement, text: str) -> None:
    element.tail = text + (element.tail or "")
    _remove(element)


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
    return element.get(attribute, "").split()


def _has_token(element: HtmlElement, attribute: str, wanted: str) -> bool:
    return wanted in _tokens(element, attribute)


def _note_like(element: HtmlElement) -> bool:
    """Whether the id, name, class or role of `element` says it is a footnote."""
    for attribute in ("id", "name", "class", "role"):
        value = element.get(attribute, "").lower()
        if value and any(word in value for word in _NOTE_WORDS):
            return True
    return False


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

    def __init__(self, root: HtmlElement) -> None:
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
            _replace_with_text(box, f"{_REF_OPEN}{label}{_REF_CLOSE}")
        reference_ids = {
            key for box, _ in found for element in box.iter() for key in _ids(element)
        } | {key for box, _ in found for key in _ids(box)}
        for note, label in labels.items():
            self.definitions.append((label, _note_markdown(note, reference_ids)))
        for note in labels:
            self._take_out(note)

    @staticmethod
    def _reference(
        link: HtmlElement, targets: dict[str, HtmlElement], order: dict[HtmlElement, int]
    ) -> tuple[HtmlElement, HtmlElement] | None:
        href = link.get("href", "")
        if not href.startswith("#") or len(href) < 2:
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
        if note is None or any(element is link for element in note.iter("a")):
            return None
        parent = link.getparent()
        box = parent if parent is not None and parent.tag == "sup" and len(parent) == 1 else link
        in_sup = box.tag == "sup" or link.find("sup") is not None
        linked_back = bool(set(_ids(box)) | set(_ids(link))) and any(
            a.get("href", "")[1:] in (set(_ids(box)) | set(_ids(link))) for a in note.iter("a")
        )
        marked = _note_like(link) or _note_like(box) or _note_like(target) or _note_like(note)
        if not (linked_back or marked or in_sup):
            return None
        return box, note

    def _take_out(self, note: HtmlElement) -> None:
        """Remove a note, then what held only notes (its list, a "Notes" heading)."""
        parent = note.getparent()
        _remove(note)
        while parent is not None and parent.tag not in ("body", "html", "article", "main"):
            if _text(parent) or parent.find(".//img") is not None:
                break
            above = parent.getparent()
            previous = parent.getprevious()
            _remove(parent)
            if previous is not None and _is_notes_heading(previous):
                _remove(previous)
            parent = above


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


def _note_markdown(note: HtmlElement, reference_ids: set[str]) -> str:
    """A note's text as Markdown, without its number and its links back."""
    body = copy.deepcopy(note)
    body.tail = None
    for link in list(body.iter("a")):
        href = link.get("href", "")
        backward = href.startswith("#") and unquote(href[1:]) in reference_ids
        if backward or any(
            word in link.get("class", "") for word in ("backlink", "backref", "reverse")
        ):
            _remove(link)
    for element in list(body.iter()):
        if element is not body and element.getparent() is not None:
            token = " ".join(_tokens(element, "class"))
            if "backlink" in token or "footnote-return" in token:
                _remove(element)
    body.tag = "div"
    markdown = _markdown(body, leftovers=False)
    # the arrows a back link leaves when it is plain text ("↩", "^ a b")
    markdown = markdown.strip().removeprefix("^").strip()
    return markdown.rstrip("↩︎\ufe0e ").strip() or "(empty note)"


# -- the article -----------------------------------------------------------------------------


def _article(body: HtmlElement) -> HtmlElement:
    for place in _ARTICLE_PLACES:
        if isinstance(place, str):
            candidates = list(body.iter(place))
        else:
            attribute, token = place
            candidates = [e for e in body.iter() if _has_token(e, attribute, token)]
        with_text = [c for c in candidates if len(_text(c)) >= 200] or [
            c for c in candidates if _text(c)
        ]
        if with_text:
            return max(with_text, key=lambda c: len(_text(c)))
    for element in list(body.iter("header", "nav", "footer", "aside")):
        _remove(element)
    return body


def _drop_furniture(article: HtmlElement) -> None:
    for element in list(article.iter()):
        if element is article or element.getparent() is None:
            continue
        tokens = _tokens(element, "class") + _tokens(element, "id")
        if element.tag == "nav" or any(token in _FURNITURE for token in tokens):
            _remove(element)


def _drop_title_heading(article: HtmlElement, title: str) -> None:
    """The title is in the front matter; the article's own first heading would repeat it."""
    heading = article.find(".//h1")
    if heading is not None and title and _text(heading) == title:
        _remove(heading)


def _markdown(element: HtmlElement, *, leftovers: bool = True) -> str:
    """`element` as Markdown (markdownify), without page furniture at its ends."""
    from bs4 import BeautifulSoup
    from lxml import html

    soup = BeautifulSoup(html.tostring(element, encoding="unicode"), "lxml")
    try:
        markdown = str(_converter().convert_soup(soup))
    except RecursionError:
        raise PageError("is nested too deeply to be read") from None
    return _drop_page_leftovers(markdown) if leftovers else markdown


@cache
def _converter() -> Any:
    from markdownify import MarkdownConverter

    class EssayMarkdown(MarkdownConverter):  # type: ignore[misc]
        """markdownify, writing what the reader shows as the page did."""

        def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not el.get("href"):
                return text
            return str(super().convert_a(el, text, parent_tags))

        def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not el.get("src") and not el.get("alt"):
                return ""
            return str(super().convert_img(el, text, parent_tags))

    return EssayMarkdown(
        heading_style="atx", bullets="-", escape_misc=True, strong_em_symbol="*", autolinks=False
    )


def _drop_page_leftovers(markdown: str) -> str:
    """Whole paragraphs that are page furniture ("Share", "5 min read", "Leave a
    Reply"), at the start and the end of the article (the blog-post converter's lists)."""
    from essaytui.model.convert import is_header_leftover, is_leftover

    paragraphs = markdown.strip("\n").split("\n\n")
    start, end = 0, len(paragraphs)
    while start < end and all(is_header_leftover(_plain(line)) for line in _lines(paragraphs[start])):
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
        title = _without_site(_text(element), site) if element is not None else ""
    author = _first(tags, "author", "article:author", "dc.creator", "parsely-author",
                    "sailthru.author") or linked.get("author", "")  # fmt: skip
    if not author:
        for element in root.iter():
            if _has_token(element, "rel", "author") or _has_token(element, "class", "p-author"):
                author = _text(element)
                break
    if author.startswith(("http://", "https://")):
        author = ""  # Facebook profile addresses in article:author
    date = _first(tags, "article:published_time", "dc.date", "date") or linked.get("date", "")
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


def _without_site(title: str, site: str) -> str:
    """ "Post – Site" → "Post" (when the site's name is known, or Medium's "| by …")."""
    for separator in (" | ", " – ", " — ", " - ", " · ", " :: "):
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
