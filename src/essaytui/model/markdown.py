"""markdown-it-py, set up the way essays and glossaries are read, and its tokens as text.

`essay_parser` is CommonMark with tables, strikethrough, footnotes and definition
lists, and four rules of markdown-it's replaced by ones that take linear time on
hostile input (a run of "[" or "[^"; see each rule). `glossary_parser` reads a
``glossary.md`` definition list. `tokens_to_text` is the one way inline tokens
become plain text where no styling is kept (image alt text, glossary terms and
definitions). `plain_tokens` is the last resort, paragraphs without Markdown.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import reference as markdown_reference
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as markdown_image
from markdown_it.rules_inline import link as markdown_link
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from essaytui.model.text import sanitize_inline

#: How deep blocks may nest (quotes, lists); markdown-it drops what lies deeper.
MAX_NESTING = 200

#: How deep inline markup (links inside link text, emphasis) may nest. markdown-it's
#: link rule scans ahead once per level for every unclosed "[", so the block limit
#: made 200 KB of "[" take 35 s; CommonMark's own preset allows 20.
INLINE_NESTING = 20


def essay_parser() -> MarkdownIt:
    """The parser of essays (a new one: a parse keeps state in it)."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    # Definitions stay where they are written (we collect them ourselves) and
    # every [^label] becomes a reference token, defined or not, so undefined
    # references can be shown and reported rather than silently left as text.
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    md.use(deflist_plugin)
    md.inline.ruler.at("footnote_ref", _footnote_ref)
    md.inline.ruler.at("link", _link)
    md.inline.ruler.at("image", _image)
    md.block.ruler.at("reference", _reference)
    # One option holds both nesting limits: set it for each phase of a parse.
    md.core.ruler.before("block", "block_nesting", _nesting(MAX_NESTING))
    md.core.ruler.before("inline", "inline_nesting", _nesting(INLINE_NESTING))
    return md


def glossary_parser() -> MarkdownIt:
    """The parser of ``glossary.md`` files: CommonMark and definition lists."""
    return MarkdownIt("commonmark").use(deflist_plugin)


def _nesting(limit: int) -> Callable[[StateCore], None]:
    def set_nesting(state: StateCore) -> None:
        state.md.options.maxNesting = limit

    return set_nesting


# -- rules in linear time ------------------------------------------------------------

# What ends a footnote reference's label in mdit-py-plugins: "]", or a space or a
# newline (then it is no reference).
_LABEL_END = re.compile(r"[ \n\]]")


def _label_end(state: StateInline, begin: int) -> int:
    """Where the label starting at `begin` ends: the first space, newline or "]".

    The stretch searched last, `(from, end)`, holds no such character before `end`,
    so any label starting inside it ends at `end` too; a label starting before it is
    searched only up to where it begins.
    """
    source = state.src
    searched: tuple[int, int] | None = getattr(state, "_essaytui_label", None)
    if searched is not None and searched[0] <= begin <= searched[1]:
        return searched[1]
    limit = searched[0] if searched is not None and begin < searched[0] else len(source)
    found = _LABEL_END.search(source, begin, limit)
    if found is not None:
        end = found.start()
    else:
        end = searched[1] if searched is not None and limit < len(source) else len(source)
    state._essaytui_label = (begin, end)  # type: ignore[attr-defined]
    return end


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """mdit-py-plugins' `footnote_ref` (every ``[^label]`` matches), in linear time.

    The plugin looks for the end of the label from every "[^" on, to the end of the
    line when there is none: 16 KB of "[^" took 25 s. Here the end found last is
    remembered (`_label_end`), so a run of "[^" is searched once.
    """
    start = state.pos
    maximum = state.posMax
    source = state.src
    if start + 3 > maximum or not source.startswith("[^", start):
        return False
    end = _label_end(state, start + 2)
    if end >= maximum or source[end] != "]" or end == start + 2:
        return False
    if not silent:
        label = source[start + 2 : end]
        footnotes = state.env.setdefault("footnotes", {})
        refs = footnotes.setdefault("refs", {})
        notes = footnotes.setdefault("list", {})
        identifier = refs.get(":" + label, -1)
        if identifier < 0:
            identifier = len(notes)
            notes[identifier] = {"label": label, "count": 0}
            refs[":" + label] = identifier
        sub_id = notes[identifier]["count"]
        notes[identifier]["count"] += 1
        token = state.push("footnote_ref", "", 0)
        token.meta = {"id": identifier, "subId": sub_id, "label": label}
    state.pos = end + 1
    return True


def _positions(state: StateInline, name: str, pattern: re.Pattern[str]) -> list[int]:
    """Where `pattern` matches in the inline run's source, listed on first use."""
    found: list[int] | None = getattr(state, name, None)
    if found is None:
        found = [match.start() for match in pattern.finditer(state.src)]
        setattr(state, name, found)
    return found


_CLOSING_BRACKET = re.compile(r"\]")


def _closes_later(state: StateInline, start: int) -> bool:
    """Whether a "]" follows `start` within the run being parsed."""
    closers = _positions(state, "_essaytui_closers", _CLOSING_BRACKET)
    index = bisect.bisect_right(closers, start)
    return index < len(closers) and closers[index] < state.posMax


def _link(state: StateInline, silent: bool) -> bool:
    """markdown-it's link rule, skipped at once where no "]" follows: without it each
    "[" of a run of them looked ahead through the next twenty."""
    return (
        state.src[state.pos] == "["
        and _closes_later(state, state.pos)
        and markdown_link(state, silent)
    )


def _image(state: StateInline, silent: bool) -> bool:
    """markdown-it's image rule, skipped at once where no "]" follows (see `_link`)."""
    return (
        state.src[state.pos] == "!"
        and _closes_later(state, state.pos)
        and markdown_image(state, silent)
    )


def _reference(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's link reference rule, without its collecting of definitions.

    Definitions are found for the whole source beforehand
    (`essaytui.model.parse.chunks.link_references`), and only those are used, so a
    part of a file parsed alone resolves links exactly as the whole file does;
    markdown-it still takes the definition lines out of the text.
    """
    references = state.env.setdefault("references", {})
    known = len(references)
    found = markdown_reference(state, start_line, end_line, silent)
    while len(references) > known:
        references.popitem()  # the definition just added: not one the scan found
    return found


# -- tokens and text -------------------------------------------------------------------


def tokens_to_text(children: Sequence[Token] | None) -> str:
    """The text of inline tokens without their markup: breaks become spaces, an image
    its alt text; sanitised (`sanitize_inline`)."""
    pieces: list[str] = []
    for child in children or ():
        if child.type in ("text", "text_special", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif child.type == "image":
            pieces.append(tokens_to_text(child.children))
    return sanitize_inline("".join(pieces))


_PARAGRAPH_BREAK = re.compile(r"\n[ ]*\n")


def plain_tokens(text: str) -> list[Token]:
    """Paragraph tokens for `text` without Markdown: the last resort."""
    tokens: list[Token] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if not paragraph.strip():
            continue
        inline = Token("inline", "", 0, content=paragraph)
        inline.children = [Token("text", "", 0, content=paragraph.strip())]
        tokens += [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
    return tokens
