r"""markdown-it-py, set up the way essays and glossaries are read, and its tokens as text.

`essay_parser` is CommonMark with what real documents use besides: tables,
strikethrough, footnotes (pandoc's inline ``^[…]`` notes too), definition lists,
GitHub's task lists and alerts (markdown-it-py's own), TeX math (``$…$`` and
``$$…$$`` by mdit-py-plugins' dollarmath; ``\(…\)``, ``\[…\]`` around TeX and amsmath
environments here: ``\[sic\]`` is escaped brackets), attributes (``{#id .class}``)
after links, images and code and on lines of their own, ``:::`` container fences
(taken out; `essaytui.model.dialects` adds the other dialects' constructs). Four
rules of markdown-it's are replaced by ones that take linear time on hostile input
(a run of "[" or "[^"; see each rule), and the rules added here are linear too: what a failed search
found is remembered. The block quote rule is wrapped so that a deep quote's lazy
lines are read once, not once per level. None of them lets a block run past a blank
line, so a source cut at a blank line parses as the whole does. `glossary_parser` reads a
``glossary.md`` definition list. `tokens_to_text` is the one way inline tokens
become plain text where no styling is kept (glossary terms and definitions).
`plain_tokens` is the last resort, paragraphs without Markdown.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.ruler import RuleOptionsType
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import blockquote as markdown_blockquote
from markdown_it.rules_block import reference as markdown_reference
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as markdown_image
from markdown_it.rules_inline import link as markdown_link
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
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
    md.options["tasklists"] = True  # "- [x] done": the item's meta says "checked"
    md.options["alerts"] = True  # "> [!NOTE]": alert_open … alert_close
    # "$5 and $6" is money, not math: no space inside the dollars, no digit outside
    md.use(
        dollarmath_plugin,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    # Definitions stay where they are written (we collect them ourselves) and
    # every [^label] becomes a reference token, defined or not, so undefined
    # references can be shown and reported rather than silently left as text.
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    md.use(deflist_plugin)
    md.inline.ruler.at("footnote_ref", _footnote_ref)
    md.inline.ruler.before("footnote_ref", "inline_note", _inline_note)
    md.inline.ruler.at("link", _link)
    md.inline.ruler.at("image", _image)
    md.block.ruler.at("reference", _reference)
    md.block.ruler.at(
        "blockquote", _blockquote, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.inline.ruler.before("escape", "tex_inline", _tex_inline)
    md.inline.ruler.push("attrs_after", _attrs_after)
    terminates: RuleOptionsType = {
        "alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]
    }
    md.block.ruler.before("fence", "tex_block", _tex_block, terminates)
    md.block.ruler.before("fence", "attrs_line", _attrs_line, terminates)
    md.block.ruler.before("fence", "container_fence", _container_fence, terminates)
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


#: How deep inline notes may sit in one another (pandoc allows none); deeper "^[" is
#: text, so that a run of them is not parsed once per level.
INLINE_NOTE_DEPTH = 2


def _bracket_pairs(source: str) -> dict[int, int]:
    """For each "[" of `source` that a "]" closes, where that "]" is (brackets nest; an
    escaped one counts for nothing). One pass: linear."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACKET.finditer(source):
        at = match.start()
        if _escaped(source, at):
            continue
        if source[at] == "[":
            opened.append(at)
        elif opened:
            pairs[opened.pop()] = at
    return pairs


def bracket_pairs_of(state: StateInline) -> dict[int, int]:
    """`_bracket_pairs` of the inline run being parsed, found on first use."""
    pairs: dict[int, int] | None = getattr(state, "_essaytui_pairs", None)
    if pairs is None:
        pairs = _bracket_pairs(state.src)
        state._essaytui_pairs = pairs  # type: ignore[attr-defined]
    return pairs


def _inline_note(state: StateInline, silent: bool) -> bool:
    """pandoc's inline note ``^[text of the note]`` (Quarto, R Markdown, bookdown): a
    ``footnote_ref`` token whose meta holds a label of its own ("^1", "^2", … in the
    order of the source, so a part parsed alone labels them as the whole does) and the
    note's inline tokens.

    mdit-py-plugins' rule looks for the closing "]" from every "^[" (quadratic on a run
    of them); here the brackets of the run are paired once.
    """
    start = state.pos
    source = state.src
    if not source.startswith("^[", start):
        return False
    close = bracket_pairs_of(state).get(start + 1, -1)
    depth = state.env.get("_essaytui_note_depth", 0)
    if close < 0 or close >= state.posMax or close == start + 2 or depth >= INLINE_NOTE_DEPTH:
        return False
    if not silent:
        number = state.env.get("_essaytui_inline_notes", 0) + 1
        state.env["_essaytui_inline_notes"] = number
        tokens: list[Token] = []
        state.env["_essaytui_note_depth"] = depth + 1
        try:
            state.md.inline.parse(source[start + 2 : close], state.md, state.env, tokens)
        finally:
            state.env["_essaytui_note_depth"] = depth
        token = state.push("footnote_ref", "", 0)
        token.meta = {"label": f"^{number}", "inline": tokens}
    state.pos = close + 1
    return True


def _positions(state: StateInline, name: str, pattern: re.Pattern[str]) -> list[int]:
    """Where `pattern` matches in the inline run's source, listed on first use."""
    found: list[int] | None = getattr(state, name, None)
    if found is None:
        found = [match.start() for match in pattern.finditer(state.src)]
        setattr(state, name, found)
    return found


_CLOSING_BRACKET = re.compile(r"\]")
_BRACKET = re.compile(r"[\[\]]")


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


#: Quotes at least this deep, whose paragraph goes on in lazy lines, are read by
#: `_blockquote` in one step.
_SHORTCUT_DEPTH = 2


def _blockquote(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's block quote rule, with a shortcut for one shape: a line of
    several ``>`` markers and some text, then lazy lines (no marker, nothing that
    ends a quote) up to a blank line.

    markdown-it reads nested quotes one level at a time, and each level tries every
    rule that could end the quote on every lazy line again: 150 levels made such a
    paragraph ~100 times slower a character than plain text. The shortcut asks once
    of each lazy line whether it ends the quote (`_lazy_line`), writes the quotes'
    tokens and parses the innermost level's lines once, in the state that level would
    have: the tokens are the same (a property test holds them to markdown-it's). Any
    other shape goes to markdown-it's rule.
    """
    if not silent:
        shape = _lazy_quote(state, start_line, end_line)
        if shape is not None:
            _write_lazy_quote(state, start_line, *shape)
            return True
    return markdown_blockquote(state, start_line, end_line, silent)


def _lazy_quote(
    state: StateBlock, start_line: int, end_line: int
) -> tuple[int, int, int, bool] | None:
    """`(end line, depth, where the text starts, whether the last ">" had a space
    after it)` when the quote at `start_line` has the shape `_blockquote` shortcuts."""
    if state.blkIndent != 0 or state.is_code_block(start_line):
        return None
    source = state.src
    position = state.bMarks[start_line] + state.tShift[start_line]
    end = state.eMarks[start_line]
    depth = 0
    spaced = False
    while position < end and source[position] == ">":
        depth += 1
        spaced = position + 1 < end and source[position + 1] == " "
        position += 2 if spaced else 1
    if depth < _SHORTCUT_DEPTH or position >= end or source[position] in _NOT_PLAIN_START:
        return None  # no text, indented text, or an alert's "[!NOTE]"
    if state.level + depth >= state.md.options.maxNesting:
        return None  # markdown-it drops what lies deeper: leave that to it
    parent = state.parentType
    state.parentType = "blockquote"  # as the rule has it while it looks for the end
    try:
        line = start_line + 1
        while line < end_line and state.bMarks[line] + state.tShift[line] < state.eMarks[line]:
            if not _lazy_line(state, line, end_line):
                return None
            line += 1
    finally:
        state.parentType = parent
    return line, depth, position, spaced


#: What the text after a quote's markers may not start with, for the shortcut.
_NOT_PLAIN_START = frozenset(" \t[")


def _lazy_line(state: StateBlock, line: int, end_line: int) -> bool:
    """Whether `line` (not blank) continues a quote's paragraph at every level: no
    marker, not indented as code, and no rule that ends a quote starts there.

    The inner levels see the line marked as a continuation (indent -1), the outermost
    as it stands; the rules read a line's own indent only to tell code (4 or more),
    which neither is, so asking once answers for every level.
    """
    if state.src[state.bMarks[line] + state.tShift[line]] == ">" or state.sCount[line] >= 4:
        return False
    terminators = state.md.block.ruler.getRules("blockquote")
    return not any(rule(state, line, end_line, True) for rule in terminators)


def _write_lazy_quote(
    state: StateBlock, start_line: int, end_line: int, depth: int, text: int, spaced: bool
) -> None:
    """The tokens of `depth` quotes around lines `start_line` to `end_line`, the
    first's text starting at `text`, the others lazy continuation lines."""
    lazy = range(start_line + 1, end_line)
    saved = (
        state.bMarks[start_line],
        state.tShift[start_line],
        state.sCount[start_line],
        state.bsCount[start_line],
        [state.sCount[line] for line in lazy],
    )
    outer = (state.parentType, state.blkIndent, state.lineMax)
    opened = [state.push("blockquote_open", "blockquote", 1) for _ in range(depth)]
    # what each level of markdown-it's rule leaves for the next: the text after the
    # markers, no indent, the lazy lines marked as continuations (-1)
    state.bsCount[start_line] = (state.sCount[start_line] if depth == 1 else 0) + 1 + spaced
    state.bMarks[start_line] = text
    state.tShift[start_line] = 0
    state.sCount[start_line] = 0
    for line in lazy:
        state.sCount[line] = -1
    state.parentType, state.blkIndent = "blockquote", 0
    state.md.block.tokenize(state, start_line, end_line)
    for token in opened:
        token.markup = ">"
        token.map = [start_line, state.line]
    for _ in range(depth):
        state.push("blockquote_close", "blockquote", -1).markup = ">"
    state.parentType, state.blkIndent, state.lineMax = outer
    bMark, tShift, sCount, bsCount, lazy_counts = saved
    state.bMarks[start_line], state.tShift[start_line] = bMark, tShift
    state.sCount[start_line], state.bsCount[start_line] = sCount, bsCount
    for line, count in zip(lazy, lazy_counts, strict=True):
        state.sCount[line] = count


# -- math, attributes and containers ------------------------------------------------

# amsmath's environments (as mdit-py-plugins' amsmath lists them), or \[.
_TEX_OPEN = re.compile(
    r"\\\[|\\begin\{(equation|multline|gather|align|alignat|flalign|matrix|pmatrix"
    r"|bmatrix|Bmatrix|vmatrix|Vmatrix|eqnarray)(\*?)\}"
)
_TEX_CLOSE_PAREN = re.compile(r"\\\)")
_TEX_CLOSE_BRACKET = re.compile(r"\\\]")
_CLOSING_BRACE = re.compile(r"\}")
# What tells TeX from words between "\[" and "\]": a command, a script, a brace, "=".
_TEX_SIGN = re.compile(r"\\[A-Za-z]|[\^_{}=]")
# A ::: fence line (pandoc's fenced divs, MyST's and markdown-it-container's).
_CONTAINER_FENCE = re.compile(r":{3}[^\n]*")  # ":{3,}" would give back colons


def _tex_inline(state: StateInline, silent: bool) -> bool:
    r"""``\(…\)``, and ``\[…\]`` around TeX, inside a paragraph as math, before the
    escape rule reads the backslashes away; ``\[sic\]`` and ``thing\[s\]`` are escaped
    brackets, text. The closers and the signs of TeX are listed once per run
    (`_positions`), so each "\[" is judged by a bisection, not by reading ahead."""
    source = state.src
    start = state.pos
    if source[start] != "\\" or start + 1 >= state.posMax or source[start + 1] not in "([":
        return False
    display = source[start + 1] == "["
    name = "_essaytui_tex_brackets" if display else "_essaytui_tex_parens"
    closers = getattr(state, name, None)
    if closers is None:
        pattern = _TEX_CLOSE_BRACKET if display else _TEX_CLOSE_PAREN
        found = (match.start() for match in pattern.finditer(source))
        closers = [at for at in found if not _escaped(source, at)]
        setattr(state, name, closers)
    index = bisect.bisect_left(closers, start + 2)
    if index >= len(closers) or closers[index] + 2 > state.posMax:
        return False
    close = closers[index]
    if close == start + 2:
        return False
    if display and not _holds(_positions(state, "_essaytui_tex_signs", _TEX_SIGN), start, close):
        return False
    if not silent:
        token = state.push("math_inline_double" if display else "math_inline", "math", 0)
        token.content = source[start + 2 : close]
        token.markup = source[start : start + 2]
    state.pos = close + 2
    return True


def _holds(positions: list[int], start: int, end: int) -> bool:
    """Whether one of the sorted `positions` lies in `[start, end)`."""
    index = bisect.bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


@dataclass(slots=True)
class _TexScan:
    """What the display-math rule learnt of one source: where each closer search that
    failed started and stopped, where one that succeeded found its closer (a line in
    between that needs the same closer is answered at once), and where TeX's signs are."""

    source: str
    failed: dict[str, tuple[int, int]] = field(default_factory=dict)
    found: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    signs: list[int] | None = None

    def has_tex(self, start: int, end: int) -> bool:
        if self.signs is None:
            self.signs = [match.start() for match in _TEX_SIGN.finditer(self.source)]
        return _holds(self.signs, start, end)


def _tex_scan(state: StateBlock) -> _TexScan:
    """The `_TexScan` of the source being parsed (a new one for each chunk)."""
    scan: _TexScan | None = state.env.get("_essaytui_tex")
    if scan is None or scan.source is not state.src:
        scan = state.env["_essaytui_tex"] = _TexScan(state.src)
    return scan


def _tex_closer(
    state: StateBlock, scan: _TexScan, closer: str, start_line: int, end_line: int, after: int
) -> tuple[int, int]:
    """`(line, offset)` of the closer of math opened on `start_line` (searched from
    `after`), or `(line, -1)` when a blank line, a dedent or the end comes first."""
    known = scan.failed.get(closer)
    if known is not None and known[0] <= start_line < known[1]:
        return known[1], -1
    hit = scan.found.get(closer)
    if hit is not None and hit[0] <= start_line <= hit[1] and hit[2] >= after:
        return hit[1], hit[2]
    line = start_line
    search_from = after
    while True:
        found = state.src.find(closer, search_from, state.eMarks[line])
        while found >= 0 and _escaped(state.src, found):  # "\\]" is "\\" then "]"
            found = state.src.find(closer, found + 1, state.eMarks[line])
        if found >= 0:
            scan.found[closer] = (start_line, line, found)
            return line, found
        line += 1
        if line >= end_line or state.isEmpty(line) or state.sCount[line] < state.blkIndent:
            scan.failed[closer] = (start_line, line)
            return line, -1
        search_from = state.bMarks[line] + state.tShift[line]


def _tex_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    r"""Display math on lines of its own: ``\[ … \]`` around TeX (``\[sic\]`` opening a
    paragraph is escaped brackets), or an amsmath environment (``\begin{align} …
    \end{align}``, kept whole).

    Unlike mdit-py-plugins' amsmath, the math ends at a blank line (as in LaTeX), so
    no math runs across a place where a long source is cut; and where the closer was
    searched for from one line to another, a line in between that needs the same
    closer is answered at once (each line of a paragraph asks this rule whether it
    starts math: "\[" on every line was quadratic).
    """
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line_end = state.eMarks[start_line]
    opening = _TEX_OPEN.match(state.src, begin, line_end)
    if opening is None:
        return False
    environment = opening.group(1)
    closer = f"\\end{{{environment}{opening.group(2)}}}" if environment else "\\]"
    scan = _tex_scan(state)
    line, found = _tex_closer(state, scan, closer, start_line, end_line, opening.end())
    if found < 0:
        return False
    if not environment and (
        state.src[found + 2 : state.eMarks[line]].strip() or not scan.has_tex(opening.end(), found)
    ):
        return False  # brackets in prose, or math inside a paragraph
    if silent:
        return True
    if environment:
        content = state.src[begin : found + len(closer)]
    else:
        content = state.src[opening.end() : found]
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = content
    token.markup = "\\[" if not environment else "amsmath"
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


def _escaped(source: str, at: int) -> bool:
    """Whether the backslash at `at` is itself escaped (an odd run of them before it)."""
    before = at
    while before > 0 and source[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def attributes_of(text: str) -> dict[str, str] | None:
    """The attributes of `text`, all of it one ``{…}`` (kramdown's ``{: …}`` too)."""
    if text.startswith("{:"):
        text = "{" + text[2:]
    try:
        end, attributes = parse_attrs(text)
    except ParseError:
        return None
    return attributes if end == len(text) - 1 else None


def _attrs_line(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A line of attributes only (``{#id .class}``, kramdown's ``{: #id}``): taken out
    of the text, its id kept for the block that follows (an ``attrs_block`` token)."""
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    end = state.eMarks[start_line]
    if begin >= end or state.src[begin] != "{":
        return False
    text = state.src[begin:end].rstrip(" ")
    if not text.endswith("}"):
        return False
    attributes = attributes_of(text)
    if not attributes or not ({"id", "class"} & attributes.keys()):
        return False  # "{x}" alone on a line is text, not attributes
    if not silent:
        token = state.push("attrs_block", "", 0)
        token.attrs = dict(attributes)
        token.map = [start_line, start_line + 1]
    state.line = start_line + 1
    return True


def _container_fence(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A ``:::`` fence line, opening or closing a container: taken out of the text, so
    the container's content reads as it stands."""
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    end = state.eMarks[start_line]
    if _CONTAINER_FENCE.fullmatch(state.src, begin, end) is None:
        return False
    if not silent:
        token = state.push("container_fence", "", 0)
        token.info = state.src[begin:end].strip(": ")
        token.map = [start_line, start_line + 1]
    state.line = start_line + 1
    return True


#: The inline tokens attributes may follow, written right after them.
_ATTRIBUTED = {"image": "image", "code_inline": "code_inline", "link_close": "link_open"}


def _attrs_after(state: StateInline, silent: bool) -> bool:
    """``{#id .class k=v}`` right after a link, an image or code: taken out of the
    text, the attributes set on it (as mdit-py-plugins' attrs does, which reads the
    rest of the run at each "{" - quadratic; here only up to the next "}")."""
    start = state.pos
    if state.src[start] != "{" or state.pending or not state.tokens:
        return False
    last = state.tokens[-1]
    opener_type = _ATTRIBUTED.get(last.type)
    if opener_type is None:
        return False
    closers = _positions(state, "_essaytui_braces", _CLOSING_BRACE)
    index = bisect.bisect_right(closers, start)
    if index >= len(closers) or closers[index] >= state.posMax:
        return False
    close = closers[index]
    attributes = attributes_of(state.src[start : close + 1])
    if attributes is None:
        return False
    if not silent:
        opener = last
        if opener_type != last.type:
            for token in reversed(state.tokens):
                if token.type == opener_type:
                    opener = token
                    break
        for key, value in attributes.items():
            if key in ("id", "class"):
                opener.attrSet(key, value)
    state.pos = close + 1
    return True


# -- tokens and text -------------------------------------------------------------------

_MATH_CLOSERS = {"\\(": "\\)", "\\[": "\\]"}


def math_source(token: Token) -> str:
    """Inline math as written, delimiters and all (``$x_1$``): where the math starts
    and ends stays legible without colour, and a quote of it is valid TeX. A line
    break inside it is a space, as between any two words of a paragraph."""
    closer = _MATH_CLOSERS.get(token.markup, token.markup)
    return f"{token.markup}{token.content.replace(chr(10), ' ')}{closer}"


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
        elif child.type.startswith("math_inline"):
            pieces.append(math_source(child))
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
