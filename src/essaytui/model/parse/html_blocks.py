"""HTML in Markdown, read as a browser would lay it out: tags, blocks and text.

An HTML block (a WordPress export, a README's ``<p align="center">``) is cut at its
block-level tags into `HtmlPiece`s: headings (which join the outline), paragraphs,
list items, quotes, table rows, code and rules. Each piece holds markdown-it tokens
(text with its white space collapsed as a browser does, and the inline tags as
``html_inline`` tokens), so the converter reads links, emphasis, ``<sup>`` and
images inside HTML exactly as it reads them in Markdown. Nothing is run or fetched:
scripts, styles, SVG and comments are dropped whole.

`Tag` reads one tag (name, closing or not, attributes); the converter uses it for
inline HTML too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from essaytui.model.essay import Align

# A tag: "<", no "<" or ">" inside (so each "<" of "a < b" is looked at once), ">".
TAG = re.compile(r"<[^<>]*>")
# What is never text: comments (even unclosed ones) and the bodies of scripts,
# styles, SVG drawings and other embedded things.
HIDDEN_HTML = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|svg|noscript|template|iframe|object|head)\b.*?"
    r"(?:</\1\s*>|\Z)",
    re.DOTALL | re.IGNORECASE,
)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# One attribute: a name, then maybe "=" and a value (quoted or bare). Each part
# excludes what may start the next, so there is one way to match.
_TAG_ATTRIBUTE = re.compile(
    r"""([^\s"'<>/=]+)(?:[ ]*=[ ]*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?"""
)
_SPACES = re.compile(r"\s+")

#: Tags that end the text before them and start a new block.
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "nav",
        "aside",
        "figure",
        "figcaption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "blockquote",
        "pre",
        "hr",
        "details",
        "summary",
        "address",
        "center",
        "form",
        "fieldset",
        "html",
        "body",
    ]
)
#: Tags whose content is never shown (when met one at a time, inline).
HIDDEN_TAGS = frozenset(
    ["script", "style", "svg", "noscript", "template", "iframe", "object", "head"]
)


@dataclass(slots=True)
class OpenList:
    """A list the parse is inside: an ordered one numbers its items.

    Attributes:
        ordered: numbered (`1.`), not bulleted.
        next_number: the number the next item gets.
        delimiter: what follows the number ("." or ")").
    """

    ordered: bool
    next_number: int = 1
    delimiter: str = "."

    def next_marker(self) -> str:
        """The next item's marker: its number and delimiter, or a bullet."""
        if not self.ordered:
            return "•"
        marker = f"{self.next_number}{self.delimiter}"
        self.next_number += 1
        return marker


@dataclass(frozen=True, slots=True)
class Tag:
    """One HTML tag: its lower-case name, whether it closes, and its attributes."""

    name: str
    closing: bool
    attributes: dict[str, str]

    @classmethod
    def read(cls, text: str) -> Tag | None:
        """The tag `text` is (``<a href="x">``), or None for a comment or not a tag."""
        found = _TAG_NAME.match(text)
        if found is None:
            return None
        attributes: dict[str, str] = {}
        if not found.group(1):
            for match in _TAG_ATTRIBUTE.finditer(text, found.end(), len(text) - 1):
                name, *values = match.groups()
                value = next((v for v in values if v is not None), "")
                attributes.setdefault(name.lower(), html.unescape(value))
        return cls(found.group(2).lower(), bool(found.group(1)), attributes)


def align_of(attributes: dict[str, str]) -> Align:
    """A cell's alignment from ``align=`` or ``style="text-align: …"``."""
    value = attributes.get("align", "")
    style = attributes.get("style", "").replace(" ", "").lower()
    if "text-align:" in style:
        value = style.split("text-align:", 1)[1].split(";", 1)[0]
    try:
        return Align(value.lower())
    except ValueError:
        return Align.DEFAULT


@dataclass(slots=True)
class HtmlPiece:
    """A block of an HTML block: its kind ("paragraph", "heading", "item", "row",
    "code", "rule", "summary"), its heading level or list depth, and its inline tokens (for a
    row, one list of tokens per cell)."""

    kind: str
    level: int = 0
    quote_depth: int = 0
    marker: str = ""
    cells: list[list[Token]] = field(default_factory=list)
    anchor: str = ""  # the id of the block's own tag (``<h2 id="goals">``)
    header: bool = False  # a row of <th> cells
    align: list[Align] = field(default_factory=list)

    @property
    def children(self) -> list[Token]:
        """The inline tokens of a piece that is not a row."""
        if not self.cells:
            self.cells.append([])
        return self.cells[-1]


class _Splitter:
    """Walks one HTML block's tags and text, cutting pieces at block tags."""

    def __init__(self) -> None:
        self.pieces: list[HtmlPiece] = []
        self.current: HtmlPiece | None = None
        self.quote_depth = 0
        self.lists: list[OpenList] = []
        self.pre = 0

    def piece(self, kind: str = "paragraph", **values: object) -> HtmlPiece:
        if self.current is None or kind != "paragraph" or self.current.kind == "row":
            self.flush()
            self.current = HtmlPiece(kind, quote_depth=self.quote_depth, **values)  # type: ignore[arg-type]
        return self.current

    def flush(self) -> None:
        current = self.current
        if current is not None and (
            current.kind == "rule" or any(_has_text(cell) for cell in current.cells)
        ):
            self.pieces.append(current)
        self.current = None

    def text(self, raw: str) -> None:
        if self.pre:
            content = html.unescape(raw)
        else:
            content = _SPACES.sub(" ", html.unescape(raw))
            if self.current is None and not content.strip():
                return
        self.inline(Token("text", "", 0, content=content))

    def inline(self, token: Token) -> None:
        """Add text or an inline tag to the current piece (a new paragraph if none)."""
        if self.current is None:
            self.piece()
        assert self.current is not None
        if self.current.kind == "row" and not self.current.cells:
            self.current.cells.append([])
        self.current.children.append(token)

    def tag(self, raw: str, tag: Tag) -> None:
        name = tag.name
        if name not in BLOCK_TAGS:
            self.inline(Token("html_inline", "", 0, content=raw))
            return
        if name == "pre":
            self.pre += -1 if tag.closing else 1
            if not tag.closing:
                self.piece("code")
            else:
                self.flush()
            return
        if tag.closing:
            self.close(name)
        else:
            self.open(name, tag)

    def open(self, name: str, tag: Tag) -> None:
        anchor = tag.attributes.get("id") or tag.attributes.get("name") or ""
        if name[0] == "h" and name[1:].isdigit():
            self.piece("heading", level=int(name[1:]), anchor=anchor)
        elif name == "blockquote":
            self.flush()
            self.quote_depth += 1
        elif name in ("ul", "ol"):
            self.flush()
            start = tag.attributes.get("start", "1")
            self.lists.append(OpenList(name == "ol", int(start) if start.isdigit() else 1))
        elif name == "li":
            marker = self.lists[-1].next_marker() if self.lists else "•"
            self.piece("item", level=max(1, len(self.lists)), marker=marker, anchor=anchor)
        elif name == "tr":
            self.piece("row")
        elif name in ("td", "th"):
            if self.current is None or self.current.kind != "row":
                self.piece("row")
            assert self.current is not None
            self.current.cells.append([])
            self.current.align.append(align_of(tag.attributes))
            self.current.header = self.current.header or name == "th"
        elif name == "summary":
            self.piece("summary", anchor=anchor)
        elif name == "hr":
            self.piece("rule")
            self.flush()
        elif name == "br":
            pass  # inline, handled as a tag
        else:
            self.flush()
            if anchor:
                self.piece(anchor=anchor)

    def close(self, name: str) -> None:
        if name == "blockquote":
            self.flush()
            self.quote_depth = max(0, self.quote_depth - 1)
        elif name in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif name in ("td", "th"):
            pass  # the row goes on
        else:
            self.flush()


def _has_text(tokens: list[Token]) -> bool:
    return any(
        (token.type == "text" and token.content.strip())
        or (token.type == "html_inline" and token.content[:4].lower() == "<img")
        for token in tokens
    )


def split_html(source: str) -> list[HtmlPiece]:
    """The pieces of the HTML block `source`, in order."""
    splitter = _Splitter()
    source = HIDDEN_HTML.sub("", source)
    position = 0
    for match in TAG.finditer(source):
        if match.start() > position:
            splitter.text(source[position : match.start()])
        raw = match.group()
        tag = Tag.read(raw)
        if tag is not None:
            if tag.name == "br" and splitter.current is None:
                position = match.end()
                continue
            splitter.tag(raw, tag)
        position = match.end()
    if position < len(source):
        splitter.text(source[position:])
    splitter.flush()
    return splitter.pieces
