r"""The Markdown dialects people write, as markdown-it rules: what pandoc, Quarto,
R Markdown, MkDocs (Material) and MyST add to CommonMark.

`use_dialects` adds them to the essay parser. Every container becomes the same
tokens, mdit-py-plugins' admonition tokens (``admonition_open`` with ``meta["tag"]``,
an optional title, the body's blocks, ``admonition_close``), so one converter reads
them all as titled callouts whose body is Markdown:

- MkDocs admonitions ``!!! note "Title"``, collapsible ``???``/``???+`` (mdit-py-plugins'
  ``admon``) and content tabs ``=== "Tab"`` (here);
- MyST directives in backtick fences (```` ```{prf:theorem} Title ````): ``:label:``
  options become ids, code-like directives stay code, ``{math}`` is display math,
  ``{raw} html`` is HTML and other raw formats (LaTeX for a PDF) are left out;
- MyST's ``:::{note}`` fences (their options taken out) and Quarto's ``::: {.callout-note}``
  are ``container_fence`` tokens the converter opens and closes.

Inline: MyST roles ``{cite:t}`key``` read as their content (``{math}`` as TeX), targets
``(label)=`` are ids, ``~sub~`` and ``^sup^`` (pandoc), bracketed spans ``[text]{.class}``
read as their text, ``:emoji:`` shortcodes (the ``emoji`` package's table, imported on
first use). Each rule is linear: what a search found is remembered, or it looks no
further than the end of a word or line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin

from essaytui.model.markdown import attributes_of, bracket_pairs_of
from essaytui.model.pandoc_tables import pandoc_tables_plugin

#: Names of MyST directives and Quarto callouts that are admonitions, by the callout
#: style they take (GitHub's five kinds).
ADMONITION_STYLES = {
    "note": "note",
    "seealso": "note",
    "abstract": "note",
    "summary": "note",
    "tldr": "note",
    "info": "note",
    "todo": "note",
    "question": "note",
    "help": "note",
    "faq": "note",
    "example": "note",
    "quote": "note",
    "cite": "note",
    "admonition": "note",
    "tip": "tip",
    "hint": "tip",
    "success": "tip",
    "check": "tip",
    "done": "tip",
    "important": "important",
    "warning": "warning",
    "attention": "warning",
    "caution": "caution",
    "danger": "caution",
    "error": "caution",
    "failure": "caution",
    "fail": "caution",
    "missing": "caution",
    "bug": "caution",
}

#: Directives whose body is code (their argument the language).
CODE_DIRECTIVES = frozenset(
    {"code", "code-block", "code-cell", "sourcecode", "ipython", "jupyter-execute"}
)
#: Directives that show nothing in a reader (navigation, bibliography, includes).
SILENT_DIRECTIVES = frozenset(
    {"toctree", "tableofcontents", "bibliography", "include", "literalinclude", "glue"}
)

#: Names in braces that open code, not a directive: R Markdown's and Quarto's
#: executable chunks (```` ```{r} ````, ```` ```{python} ````) and pandoc's attributes.
CODE_CHUNKS = frozenset(
    {
        "r", "python", "julia", "sql", "bash", "sh", "zsh", "ojs", "mermaid", "dot", "js",
        "javascript", "stan", "rcpp", "cpp", "c", "octave", "ruby", "perl", "powershell",
        "html", "css", "tikz", "asy", "latex", "tex", "matlab", "scala", "rust", "go",
    }
)  # fmt: skip

# A fence line opening a directive: its marker run, the name, the argument.
_DIRECTIVE_FENCE = re.compile(r"(`{3,}|~{3,})\{([A-Za-z][A-Za-z0-9_+:.-]{0,59})\}[ ]*([^\n]*)")
# A ::: fence opening a MyST directive (options may follow it).
_COLON_DIRECTIVE = re.compile(r":{3,}[ ]*\{([A-Za-z0-9_+:.-]{1,60})\}[^\n]*")
# An option line of a directive: ":label: dpi".
_OPTION = re.compile(r"[ ]{0,3}:([A-Za-z0-9_-]{1,60}):(?:[ ]([^\n]*))?")
# A content tab: === "Title" (=== ! and ===+ too).
_TAB = re.compile(r"===[+!]?[ ]+\"([^\"\n]*)\"[ ]*")
# A MyST target line: (label)=
_TARGET = re.compile(r"\(([^()\s]{1,200})\)=[ ]*")
# A MyST role's name, right after its "{".
_ROLE = re.compile(r"\{([A-Za-z0-9_+:-]{1,60})\}(`+)")
# An emoji shortcode's name (after its first ":").
_SHORTCODE = re.compile(r"([a-z0-9_+-]{1,60}):")
# A bracketed span's attributes end at the first "}".
_CLOSING_BRACE = re.compile(r"\}")
# What ends a sub- or superscript: its closing mark, or white space.
_SCRIPT_END = {"~": re.compile(r"[~\s]"), "^": re.compile(r"[\^\s]")}


#: The dialects told apart (`detect_dialect`).
DIALECTS = ("commonmark", "pandoc", "mkdocs", "myst")

#: File suffixes of pandoc's dialects (Quarto, R Markdown).
PANDOC_SUFFIXES = frozenset({".qmd", ".rmd", ".pandoc"})

# MyST's front matter keys (its own, Jupytext's, a notebook's kernel) on a line of
# the YAML block that opens the file.
_MYST_FRONT = re.compile(r"(?:myst|jupytext|kernelspec|mystnb):", re.MULTILINE)
# A ::: fence's info that is pandoc attributes ({.callout-note}, {#id}), not a MyST
# directive's name ({note}).
_ATTRIBUTES_INFO = re.compile(r"\{[ ]*[.#]")
# A MyST directive fence opening a line.
_MYST_DIRECTIVE = re.compile(r"^(?:`{3,}|:{3,})\{([A-Za-z][A-Za-z0-9_:-]{0,59})\}", re.MULTILINE)
# An admonition or a content tab of MkDocs opening a line.
_MKDOCS_CONSTRUCT = re.compile(r"^(?:!!!|\?\?\?\+?)[ ]+[A-Za-z]|^===[+!]?[ ]+\"", re.MULTILINE)
# A line of an MkDocs meta header ("author: …"), or one continuing it (indented).
_META_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]{0,40}):([^\n]*)|[ ]{4}([^\n]*)")


def detect_dialect(source: str, path: str | None = None) -> str:
    """Which dialect `source` is written in, told from the file and never asked: a
    ``.qmd``/``.Rmd`` suffix is pandoc's, MyST front matter or directives MyST's,
    admonitions or content tabs MkDocs'; anything else CommonMark (with GFM)."""
    suffix = path.rpartition(".")[2].lower() if path and "." in path else ""
    if f".{suffix}" in PANDOC_SUFFIXES:
        return "pandoc"
    if source.startswith("---"):
        end = source.find("\n---", 3)
        if end > 0 and _MYST_FRONT.search(source, 3, end):
            return "myst"
    # Both patterns scan the whole file (~18 ms each at 4.4 MB, before the first screen):
    # a plain search for what every match holds comes first (~2–4 ms), the pattern only
    # where that is found.
    if ("```{" in source or ":::{" in source) and any(
        is_directive(match.group(1)) for match in _MYST_DIRECTIVE.finditer(source)
    ):
        return "myst"
    if ("!!!" in source or "???" in source or "===" in source) and _MKDOCS_CONSTRUCT.search(source):
        return "mkdocs"
    return "commonmark"


def split_meta_header(body: str) -> tuple[dict[str, str], str]:
    """MkDocs' meta header (``key: value`` lines before the first blank line, values
    continued on lines indented four spaces) as metadata, and the text after it; `body`
    itself when its first paragraph is not one."""
    data: dict[str, str] = {}
    position = 0
    key = ""
    while position < len(body):
        end = body.find("\n", position)
        end = len(body) if end < 0 else end
        if not body[position:end].strip():
            break
        match = _META_LINE.fullmatch(body, position, end)
        if match is None or (match.group(1) is None and not key):
            return {}, body
        if match.group(1) is not None:
            key = match.group(1).lower()
            data[key] = match.group(2).strip()
        else:
            data[key] = f"{data[key]} {match.group(3).strip()}".strip()
        position = end + 1
    if not data or position >= len(body):
        return {}, body
    return data, body[position:]


def use_dialects(md: MarkdownIt, dialect: str = "") -> None:
    """Add the rules of every dialect to `md` (an essay parser); ``"myst"`` adds MyST's
    line comments (``% …``) and block breaks (``+++``), which would hide text in any
    other file."""
    admon_plugin(md)
    pandoc_tables_plugin(md)
    md.block.ruler.before("fence", "directive_fence", _directive_fence)
    md.block.ruler.before("container_fence", "colon_directive", _colon_directive)
    md.block.ruler.before("fence", "content_tab", _content_tab)
    md.block.ruler.before("fence", "myst_target", _myst_target)
    if dialect == "myst":
        md.block.ruler.before("fence", "myst_comment", _myst_comment)
    md.inline.ruler.before("backticks", "myst_role", _myst_role)
    md.inline.ruler.before("strikethrough", "subscript", _script("~", "sub"))
    md.inline.ruler.before("emphasis", "superscript", _script("^", "sup"))
    md.inline.ruler.before("link", "bracketed_span", _bracketed_span)
    md.inline.ruler.push("emoji", _emoji)


# -- blocks ------------------------------------------------------------------------------


def _line(state: StateBlock, line: int) -> tuple[int, int]:
    return state.bMarks[line] + state.tShift[line], state.eMarks[line]


def is_directive(name: str) -> bool:
    """Whether ```` ```{name} ```` opens a MyST directive rather than a code chunk."""
    return name.lower() not in CODE_CHUNKS


def callout_style(name: str) -> str:
    """The callout style (GitHub's note, tip, important, warning, caution) of an
    admonition or directive name; "" for one that is no admonition."""
    return ADMONITION_STYLES.get(name.lower().rpartition(":")[2], "")


def fence_callout(info: str) -> tuple[str, str] | None:
    """The callout style and title of a ``:::`` fence's info (``{.callout-note
    title="…"}``, ``{note}``, ``{prf:proof} Title``, ``warning Title``), or None for a
    fence that is no callout (a plain div: ``{.column-margin}``)."""
    if _ATTRIBUTES_INFO.match(info):
        attributes = attributes_of(info)
        if attributes is None:
            return None
        for name in str(attributes.get("class", "")).split():
            if name.startswith("callout-"):
                kind = name.removeprefix("callout-")
                style = callout_style(kind) or "note"
                return style, str(attributes.get("title", "")) or directive_title(kind, "")
        return None
    if info.startswith("{"):
        name, _, argument = info[1:].partition("}")
        return callout_style(name), directive_title(name.lower(), argument.strip())
    word, _, rest = info.partition(" ")
    style = callout_style(word)
    if not style:
        return None
    return style, rest.strip() or directive_title(word.lower(), "")


def directive_title(name: str, argument: str) -> str:
    """The title a directive's callout shows: an admonition's argument or its kind
    ("Note"), another directive's kind with its argument (``{prf:theorem} Data
    Processing Inequality`` → "Theorem (Data Processing Inequality)")."""
    kind = name.rpartition(":")[2].replace("-", " ").replace("_", " ")
    label = kind[:1].upper() + kind[1:]
    if not argument:
        return label
    if name == "admonition" or callout_style(name):
        return argument
    return f"{label} ({argument})"


def _push_admonition(state: StateBlock, tag: str, title: str, line: int, ids: list[str]) -> None:
    token = state.push("admonition_open", "div", 1)
    token.block = True
    token.meta = {"tag": tag, "ids": ids}
    token.map = [line, line + 1]
    if title:
        state.push("admonition_title_open", "p", 1)
        inline = state.push("inline", "", 0)
        inline.content = title
        inline.map = [line, line + 1]
        inline.children = []
        state.push("admonition_title_close", "p", -1)


def _options(state: StateBlock, line: int, end_line: int) -> tuple[dict[str, str], int]:
    """The ``:key: value`` option lines from `line` on (or a ``---`` YAML block of
    them), and the line after them."""
    options: dict[str, str] = {}
    begin, end = _line(state, line) if line < end_line else (0, 0)
    yaml = line < end_line and state.src[begin:end].strip() == "---"
    if yaml:
        line += 1
    while line < end_line:
        begin, end = _line(state, line)
        text = state.src[begin:end]
        if yaml and text.strip() == "---":
            return options, line + 1
        match = _OPTION.fullmatch(text) if not yaml else None
        if yaml and ":" in text:
            key, _, value = text.partition(":")
            options[key.strip()] = value.strip()
        elif match is not None:
            options[match.group(1)] = (match.group(2) or "").strip()
        else:
            break
        line += 1
    return options, line


def _ids(options: dict[str, str]) -> list[str]:
    return [options[key] for key in ("label", "name") if options.get(key)]


def _fence_end(state: StateBlock, start_line: int, end_line: int, marker: str) -> int:
    """The line closing the fence opened on `start_line` with `marker`, or `end_line`
    (an unclosed fence runs to the end, as CommonMark's does)."""
    line = start_line + 1
    while line < end_line:
        begin, end = _line(state, line)
        text = state.src[begin:end]
        if (
            state.sCount[line] - state.blkIndent < 4
            and text.startswith(marker)
            and not text.lstrip(marker[0]).strip()
        ):
            return line
        if state.sCount[line] < state.blkIndent and begin < end:
            return line  # a dedented line ends the list item the fence is in
        line += 1
    return end_line


def _directive_fence(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A MyST directive in a backtick fence (```` ```{name} argument ````)."""
    if state.is_code_block(start_line):
        return False
    begin, end = _line(state, start_line)
    opening = _DIRECTIVE_FENCE.fullmatch(state.src, begin, end)
    if opening is None:
        return False
    marker, name, argument = opening.group(1), opening.group(2), opening.group(3).strip()
    if not is_directive(name):
        return False  # a code chunk: the fence rule reads it
    enclosing = state.env.get("_essaytui_directive_fence", 0)
    if enclosing and len(marker) >= enclosing:
        return False  # MyST nests a directive in a longer fence only
    if silent:
        return True
    close = _fence_end(state, start_line, end_line, marker)
    options, body = _options(state, start_line + 1, close)
    state.env["_essaytui_directive_fence"] = len(marker)
    try:
        _directive(state, name.lower(), argument, options, start_line, body, close)
    finally:
        state.env["_essaytui_directive_fence"] = enclosing
    state.line = close + 1 if close < end_line and _closes(state, close, marker) else close
    return True


def _closes(state: StateBlock, line: int, marker: str) -> bool:
    begin, end = _line(state, line)
    return state.src.startswith(marker, begin)


def _directive(
    state: StateBlock,
    name: str,
    argument: str,
    options: dict[str, str],
    start_line: int,
    body: int,
    close: int,
) -> None:
    """The tokens of a directive whose body runs from line `body` to `close`."""
    text = state.getLines(body, close, state.blkIndent, False) if body < close else ""
    ids = _ids(options)
    short = name.rpartition(":")[2]
    if short in CODE_DIRECTIVES:
        token = state.push("fence", "code", 0)
        token.info, token.content, token.map = argument, text, [start_line, close]
    elif short == "math":
        for identifier in ids:
            state.push("attrs_block", "", 0).attrs = {"id": identifier}
        token = state.push("math_block", "math", 0)
        token.content, token.markup, token.map = text, "\\[", [start_line, close]
    elif short == "raw":
        if argument.lower() == "html":
            token = state.push("html_block", "", 0)
            token.content, token.map = text, [start_line, close]
    elif short not in SILENT_DIRECTIVES:
        _push_admonition(state, name, directive_title(name, argument), start_line, ids)
        old_max, old_parent = state.lineMax, state.parentType
        state.lineMax, state.parentType = close, "admonition"
        state.md.block.tokenize(state, body, close)
        state.lineMax, state.parentType = old_max, old_parent
        state.push("admonition_close", "div", -1).block = True


def _colon_directive(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A ``:::{name} argument`` line with its option lines: one ``container_fence``
    token whose meta holds the options (the rest of the fence reads as Markdown)."""
    if state.is_code_block(start_line):
        return False
    begin, end = _line(state, start_line)
    if _COLON_DIRECTIVE.fullmatch(state.src, begin, end) is None:
        return False
    if silent:
        return True
    options, after = _options(state, start_line + 1, end_line)
    token = state.push("container_fence", "", 0)
    token.info = state.src[begin:end].strip(": ")
    token.meta = {"options": options}
    token.map = [start_line, after]
    state.line = after
    return True


def _content_tab(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A content tab of Material for MkDocs: ``=== "Title"`` then its indented body."""
    if state.is_code_block(start_line):
        return False
    begin, end = _line(state, start_line)
    opening = _TAB.fullmatch(state.src, begin, end)
    if opening is None:
        return False
    if silent:
        return True
    indent = state.blkIndent
    line = start_line + 1
    last = start_line + 1  # one past the last line of the body seen so far
    while line < end_line:
        if state.isEmpty(line):
            line += 1
            continue
        if state.sCount[line] < indent + 4:
            break
        line += 1
        last = line
    _push_admonition(state, "tab", opening.group(1).strip(), start_line, [])
    old_max, old_parent = state.lineMax, state.parentType
    state.lineMax, state.parentType, state.blkIndent = last, "admonition", indent + 4
    state.md.block.tokenize(state, start_line + 1, last)
    state.lineMax, state.parentType, state.blkIndent = old_max, old_parent, indent
    state.push("admonition_close", "div", -1).block = True
    state.line = last
    return True


def _myst_target(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A MyST target ``(label)=`` on a line of its own: an id for the next block."""
    if state.is_code_block(start_line):
        return False
    begin, end = _line(state, start_line)
    match = _TARGET.fullmatch(state.src, begin, end)
    if match is None:
        return False
    if not silent:
        token = state.push("attrs_block", "", 0)
        token.attrs = {"id": match.group(1)}
        token.map = [start_line, start_line + 1]
    state.line = start_line + 1
    return True


def _myst_comment(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """MyST's line comment (``% …``) and block break (``+++``): not shown."""
    if state.is_code_block(start_line):
        return False
    begin, end = _line(state, start_line)
    text = state.src[begin:end].rstrip()
    if not (text.startswith("%") or text == "+++" or text.startswith("+++ {")):
        return False
    state.line = start_line + 1
    return True


# -- inline ------------------------------------------------------------------------------


def _myst_role(state: StateInline, silent: bool) -> bool:
    """A MyST role ``{name}`content```: its content as text (the title of
    ``Title <target>``), ``{math}`` as TeX, ``{sub}``/``{sup}`` as scripts.

    The closing ticks are searched for once per length: a later role that fails where an
    earlier one failed (or finds what it found) asks no more (mdit-py-plugins' role rule
    copied the rest of the line at each "{")."""
    start = state.pos
    if state.src[start] != "{":
        return False
    opening = _ROLE.match(state.src, start, state.posMax)
    if opening is None:
        return False
    ticks = opening.group(2)
    close = _find_ticks(state, ticks, opening.end())
    if close < 0:
        return False
    if not silent:
        name = opening.group(1).lower()
        content = state.src[opening.end() : close].replace("\n", " ").strip()
        if name == "math":
            token = state.push("math_inline", "math", 0)
            token.content, token.markup = content, "$"
        else:
            shown = _without_target(content)
            if name in ("sub", "subscript", "sup", "superscript"):
                tag = "sub" if name.startswith("sub") else "sup"
                state.push(f"{tag}_open", tag, 1)
                state.push("text", "", 0).content = shown
                state.push(f"{tag}_close", tag, -1)
            else:
                state.push("text", "", 0).content = shown
    state.pos = close + len(ticks)
    return True


def _without_target(content: str) -> str:
    """A role's content without its explicit target ("Title <target>" → "Title")."""
    if content.endswith(">"):
        title, bracket, _ = content.rpartition("<")
        if bracket and title.strip():
            return title.strip()
    return content


def _find_ticks(state: StateInline, ticks: str, after: int) -> int:
    """Where the next run of `ticks` starts at or after `after` in the run, or -1."""
    found: dict[str, tuple[int, int]] = getattr(state, "_essaytui_ticks", None) or {}
    known = found.get(ticks)
    if known is not None and known[0] <= after and (known[1] < 0 or known[1] >= after):
        at = known[1]
    else:
        at = state.src.find(ticks, after, state.posMax)
        found[ticks] = (after, at)
        state._essaytui_ticks = found  # type: ignore[attr-defined]
    return at


def _script(mark: str, tag: str) -> Callable[[StateInline, bool], bool]:
    """pandoc's ``~sub~`` (`mark` "~") or ``^sup^`` ("^"): no white space inside, so the
    closing mark is looked for no further than the end of the word."""
    end_of = _SCRIPT_END[mark]

    def script(state: StateInline, silent: bool) -> bool:
        start = state.pos
        source = state.src
        if source[start] != mark or start + 2 >= state.posMax:
            return False
        if source[start + 1 : start + 2] in (mark, "[") or source[start - 1 : start] == mark:
            return False  # "~~strike~~", "^[note]"
        found = end_of.search(source, start + 1, state.posMax)
        if found is None or source[found.start()] != mark or found.start() == start + 1:
            return False
        if not silent:
            state.push(f"{tag}_open", tag, 1).markup = mark
            text = source[start + 1 : found.start()].replace("\\", "")
            state.push("text", "", 0).content = text
            state.push(f"{tag}_close", tag, -1).markup = mark
        state.pos = found.start() + 1
        return True

    return script


def _bracketed_span(state: StateInline, silent: bool) -> bool:
    """pandoc's bracketed span ``[text]{.class}``: its text, as Markdown; its id kept."""
    start = state.pos
    if state.src[start] != "[":
        return False
    close = bracket_pairs_of(state).get(start, -1)
    if close < 0 or close + 1 >= state.posMax or state.src[close + 1] != "{":
        return False
    braces = _brace_positions(state)
    index = bisect.bisect_right(braces, close + 1)
    if index >= len(braces) or braces[index] >= state.posMax:
        return False
    end = braces[index]
    attributes = attributes_of(state.src[close + 1 : end + 1])
    if attributes is None:
        return False
    if not silent:
        token = state.push("span_open", "span", 1)
        token.attrs = {key: value for key, value in attributes.items() if key == "id"}
        old_max = state.posMax
        state.pos, state.posMax = start + 1, close
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("span_close", "span", -1)
    state.pos = end + 1
    return True


def _brace_positions(state: StateInline) -> list[int]:
    found: list[int] | None = getattr(state, "_essaytui_span_braces", None)
    if found is None:
        found = [match.start() for match in _CLOSING_BRACE.finditer(state.src)]
        state._essaytui_span_braces = found  # type: ignore[attr-defined]
    return found


def _emoji(state: StateInline, silent: bool) -> bool:
    """An emoji shortcode (``:information_source:``) as its emoji; one the table does
    not know stays text."""
    start = state.pos
    if state.src[start] != ":":
        return False
    match = _SHORTCODE.match(state.src, start + 1, state.posMax)
    if match is None:
        return False
    emoji = shortcode_emoji(match.group(1))
    if emoji is None:
        return False
    if not silent:
        state.push("text", "", 0).content = emoji
    state.pos = match.end()
    return True


def shortcode_emoji(name: str) -> str | None:
    """The emoji a shortcode names (GitHub's and Material's aliases, as the ``emoji``
    package lists them), or None."""
    return _shortcodes().get(f":{name}:")


@cache
def _shortcodes() -> dict[str, str]:
    """Every shortcode → its emoji, built once (``emoji.emojize`` reads its whole table
    for a name it does not know: 2 ms each)."""
    import emoji

    table: dict[str, str] = {}
    for character, data in emoji.EMOJI_DATA.items():
        for code in (data.get("en"), *data.get("alias", ())):
            if isinstance(code, str):
                # without its emoji variation selector: terminals disagree on whether
                # it makes "ℹ" two cells wide, and a line drawn one cell too long
                # pushes the pane's border out
                table.setdefault(code, character.replace("\ufe0f", "") or character)
    return table


def attributes_id(token: Token) -> str:
    """The id a span's attributes gave it, or ""."""
    return str(token.attrs.get("id", "")) if token.attrs else ""
