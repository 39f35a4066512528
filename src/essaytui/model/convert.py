"""Turn a blog post copied as plain text into an essay Markdown file.

A copied post looks like this: a title line, perhaps an author line, the
paragraphs of the body with `[n]` note markers, a numbered notes list at the
end (`[1] …` or `1. …`), and then whatever the web page had below the post:
comment forms, login lines, share and like buttons. `convert_text` keeps every
body paragraph word for word, turns markers and notes into `[^n]` footnotes,
and drops only lines it recognises as page leftovers in the trailing part of
the text, reporting each one.

Decisions worth knowing:

* A marker `[n]` whose note does not exist stays in the text as a literal
  `[n]` and a warning names it: the reader sees what the author wrote rather
  than a reference to nothing.
* Notes that no marker refers to are kept as footnote definitions (the reader
  lists them as unreferenced) and a warning says so.
* A `1.`-style list at the end counts as notes only when the body refers to
  it with `[n]` markers or a "Notes"/"References" heading announces it;
  otherwise it is body text. A trailing `[n]`-style list is always notes.
* Leftovers are removed only at the end of the text (after the notes list, or
  after the body when there are no notes) and between the body and the notes,
  plus a narrow set of header lines ("Follow", "Share", "5 min read") in the
  blocks right after the title and author. Only whole lines that match are
  removed; a paragraph that mentions "Reply" or "Share" is never touched.
* Body text is escaped only where Markdown would otherwise change the text a
  reader sees (a line starting with `#`, `>`, `-`, `1.`, …; `*`, backticks,
  HTML-like `<tag`, entities, link brackets), so the reading text of the
  converted file is the text of the post.
* Metadata values (title, series, author) have no-break spaces turned into
  plain spaces; body and notes keep theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

__all__ = ["Conversion", "ConvertError", "convert_text", "is_header_leftover", "is_leftover"]


class ConvertError(ValueError):
    """The text cannot be turned into an essay (for example, it is empty)."""


@dataclass(frozen=True)
class Conversion:
    """The result of converting a copied blog post.

    Attributes:
        markdown: the essay file: YAML front matter, paragraphs, footnotes.
        removed: the leftover lines dropped, in the order they appeared.
        warnings: problems worth telling the user about, one line each.
        referenced_notes: notes of the notes list that a `[n]` marker refers to.
        leftover_lines: lines dropped as web-page leftovers ("Leave a Reply", "Share
            this:", "5 min read"; a "Notes" heading is not one).
    """

    markdown: str
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    referenced_notes: int = 0
    leftover_lines: int = 0

    @property
    def looks_like_post(self) -> bool:
        """Whether the text had the shape of a copied blog post: `[n]` markers that
        refer to a notes list at its end, or at least `POST_LEFTOVERS` lines of web-page
        furniture. Plain text with neither is not one (the reader opens it as it is)."""
        return self.referenced_notes > 0 or self.leftover_lines >= POST_LEFTOVERS


#: Web-page leftover lines that make a text without notes a copied blog post: one
#: "Share" or "Comments" line may end any text; two such lines are a page's.
POST_LEFTOVERS = 2


# -- recognising the parts of a post ------------------------------------------

#: Whole lines a web page leaves below a post (WordPress, Blogger, Medium,
#: Substack, share widgets). Matched against the stripped line, NBSPs folded.
_LEFTOVER_PATTERNS: tuple[str, ...] = (
    r"leave a (reply|comment)",
    r"leave a reply cancel reply",
    r"cancel reply",
    r"\d+ (comments?|responses?|replies|thoughts on .*)",
    r"(one|no) (comments?|responses?|thoughts? on .*)",
    r"comments?( \(\d+\))?",
    r"post comment",
    r"fill in your details below or click an icon to log in:?( logo)?",
    # possessive: Python's re backtracks through every repetition of a group, in time that
    # grows with the square of their number, when what follows them fails
    r"you are commenting using your( [\w.+-]+)* account\.?(?: \(? ?log ?out ?/? ?change ?\)?)*+",
    r"\(? ?log ?out ?/? ?change ?\)?",
    r"log ?out",
    r"log in",
    r"sign (in|up)",
    r"(google\+?|twitter|facebook|wordpress\.com|gravatar) (photo|picture|logo)",
    r"logo",
    r"connecting to %s",
    r"%d bloggers like this:?",
    r"(\d+ )?bloggers? like this\.?",
    r"be the first to like this\.?",
    r"like this:?",
    r"like( loading\s*(\.\.\.|…))?",
    r"loading\s*(\.\.\.|…)",
    r"share this:?",
    r"share( this( post| article| story)?)?( on [\w. +-]+)?:?",
    r"(click to )?share on [\w. +-]+( \(opens in new window\))?",
    r"(click to )?(email|print)( a link to a friend)?( \(opens in new window\))?",
    r"(twitter|facebook|linkedin|reddit|pinterest|tumblr|pocket|telegram|whatsapp|email|print"
    r"|bluesky|mastodon|skype|google\+?)",
    r"related( posts| articles)?:?",
    r"notify me of (new comments|follow-up comments|new posts) (via|by) email\.?",
    r"save my name, email, and website in this browser for the next time i comment\.?",
    r"your email address will not be published\.?( required fields are marked \*)?",
    r"required fields are marked \*",
    r"(name|email|website|comment)( \(required\))?\s*\*?",
    r"post was not sent - check your email addresses!",
    r"email check failed, please try again",
    r"sorry, your blog cannot share posts by email\.?",
    r"this site uses akismet to reduce spam\..*",
    r"(follow|subscribe|listen|clap|claps|report this article|report|reblog)",
    r"\d+ min read",
    # category and navigation lines: a colon, or no sentence punctuation
    r"(posted in|filed under|tagged|categories|tags): .{1,120}",
    r"(posted in|filed under) [^.!?]{1,80}",
    r"(previous|next) (post|article|story):?( [^.!?]{1,120})?",
    r"(get|sign up for|subscribe to) (the|our|my) newsletter[^.!?]{0,80}[.!]?",
    r"recommended from medium",
    r"written by (?-i:[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,3})",
    r"\d+\s*(followers?|claps?|likes?|responses?)",
)
_LEFTOVER = re.compile("|".join(f"(?:{p})" for p in _LEFTOVER_PATTERNS), re.IGNORECASE)

#: Lines a page puts between the byline and the post (Medium, Substack). Only
#: recognised in the blocks right after the title and author, never later.
_HEADER_PATTERNS: tuple[str, ...] = (
    r"follow(ing)?",
    r"share",
    r"listen",
    r"\d+ min read",
    r"sign (in|up)",
    r"open in app",
    r"member-only story",
    r"·",
    r"\d+(\.\d+)?k?( (claps?|responses?|comments?))?",
)
_HEADER = re.compile("|".join(f"(?:{p})" for p in _HEADER_PATTERNS), re.IGNORECASE)

#: A line introducing the notes list; dropped (and reported) with the leftovers.
_NOTES_HEADING = re.compile(
    r"#*\s*(notes?|end ?notes|foot ?notes|references|sources|bibliography|works cited)\s*:?",
    re.IGNORECASE,
)
_BRACKET_NOTE = re.compile(r"\[(\d{1,4})\]\s*(.*)", re.DOTALL)
_NUMBERED_NOTE = re.compile(r"(\d{1,4})[.)]\s+(.*)", re.DOTALL)
_MARKER = re.compile(r"\[(\d{1,4})\]")
_LIST_ITEM = re.compile(r"(?:\d{1,9}[.)]|[-*+•–—])\s")

#: "Part 5 | Title", "Part 5: Title", "Chapter 2 – Title", "#3 | Title".
_SERIES_WORD = (
    r"(?:part|chapter|episode|vol\.?|volume|no\.|number|issue|book|lecture|essay|letter)"
    r"\s+[\w.]{1,8}|#\d{1,4}"
)
_SERIES_PREFIX = re.compile(
    rf"(?P<series>{_SERIES_WORD})\s*(?:\||:|–|—|-)\s*(?P<title>.+)", re.IGNORECASE
)
# The title ends at its last non-space (".+?" then "\s*" tried every split of a run
# of spaces: quadratic); only one separator can be followed by a whole series word.
_SERIES_SUFFIX = re.compile(rf"(?P<title>.*\S)\s*(?:\||–|—|-)\s*(?P<series>{_SERIES_WORD})", re.I)

_NAME_WORD = r"[A-Z][\w’'.-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:de|van|von|da|del|bin|al)\s+)?{_NAME_WORD}){{1,3}}"
_BYLINE = re.compile(
    rf"(?:(?:[Ww]ritten |[Pp]osted |[Pp]ublished )?[Bb]y|[Aa]uthor:)\s+(?P<name>{_NAME})"
    r"(?:\s*(?:[,|·•–—-]|on\b).{0,60})?"
)
_BIO = re.compile(rf"(?P<name>{_NAME}) (?:is|was|writes|studies|works)\b.{{3,300}}")

#: A line longer than this is a whole web paragraph, not one wrapped line.
_WRAP_WIDTH = 100
#: A line longer than this is no title.
_TITLE_MAX = 160
#: Wide enough that PyYAML never folds a front matter value.
_YAML_WIDTH = 10_000


def _folded(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


def is_leftover(line: str) -> bool:
    """Whether a whole line is a recognised web-page leftover (comment form, share button, …).

    Such a line is dropped only where leftovers belong: after the body.
    """
    text = _folded(line)
    return bool(text) and _LEFTOVER.fullmatch(text) is not None


def is_header_leftover(line: str) -> bool:
    """Whether a whole line is page furniture seen above a post ("Follow", "5 min read").

    Such a line is dropped only in the blocks right after the title and author.
    """
    text = _folded(line)
    return bool(text) and _HEADER.fullmatch(text) is not None


# -- Markdown escaping ----------------------------------------------------------

_LINE_START_SPECIAL = frozenset("#>-+*=_|:~`<")
_ORDERED_START = re.compile(r"(\d{1,9})([.)])(?=\s|$)")
_ENTITY = re.compile(r"&(?=#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_LINK_SYNTAX = re.compile(r"\]\s*[(\[:{]|\[\^")
# An emoji shortcode's name and closing colon, after its opening one (":smile:").
_SHORTCODE_REST = re.compile(r"[a-z0-9_+-]{1,60}:")
# A line that other dialects read as a block: an admonition (!!! ???), a MyST target.
_DIALECT_LINE = re.compile(r"(?:!!!|\?\?\?)|\([^()\s]{1,200}\)=[ ]*$")


def _escape_inline(text: str, escape_brackets: bool) -> str:
    """Escape what Markdown would turn into markup in a run of plain text.

    `escape_brackets` is decided on the whole paragraph: brackets matter only
    when it has link syntax somewhere (`](`, `][`, `]:`, `[^`).
    """
    entity_at = {m.start() for m in _ENTITY.finditer(text)}
    tag_at = {m.start() for m in _TAG_OPEN.finditer(text)}
    out: list[str] = []
    for i, char in enumerate(text):
        if char in "\\*`~$^" or (char == "[" and escape_brackets):
            out.append("\\" + char)
        elif char == ":" and _SHORTCODE_REST.match(text, i + 1):
            out.append("\\:")
        elif char == "_":
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            # an underscore between letters can neither open nor close emphasis
            out.append("_" if before.isalnum() and after.isalnum() else "\\_")
        elif (char == "&" and i in entity_at) or (char == "<" and i in tag_at):
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _escape_line_start(line: str) -> str:
    """Escape a line start that Markdown would read as block structure."""
    if not line:
        return line
    ordered = _ORDERED_START.match(line)
    if ordered is not None:
        return f"{ordered.group(1)}\\{line[ordered.end(1) :]}"
    if line[0] in _LINE_START_SPECIAL and not line.startswith("\\"):
        return "\\" + line
    if _DIALECT_LINE.match(line):
        return line[:-1] + "\\=" if line.rstrip().endswith("=") else "\\" + line
    return line


def _markdown_text(lines: list[str], markers: dict[str, str] | None = None) -> str:
    """Escaped Markdown for the lines of one paragraph, `[n]` → `[^n]` for known notes."""
    rendered: list[str] = []
    # link syntax may run across the lines of a paragraph
    brackets = _LINK_SYNTAX.search("\n".join(lines)) is not None
    for line in lines:
        replacements: list[tuple[int, int, str]] = []
        if markers is not None:
            for match in _MARKER.finditer(line):
                label = match.group(1)
                # "[^1]:" at a line start would turn the paragraph into a definition
                definition_like = match.start() == 0 and line[match.end() : match.end() + 1] == ":"
                if label in markers and not definition_like:
                    replacements.append((match.start(), match.end(), f"[^{label}]"))
        # escape the text between markers, then put the footnote references in
        pieces: list[str] = []
        position = 0
        for start, end, reference in replacements:
            pieces.append(_escape_inline(line[position:start], brackets))
            pieces.append(reference)
            position = end
        pieces.append(_escape_inline(line[position:], brackets))
        rendered.append(_escape_line_start("".join(pieces)))
    return "\n".join(rendered)


# -- the conversion ---------------------------------------------------------------


@dataclass
class _Note:
    label: str
    lines: list[str] = field(default_factory=list)


def _strip_line(line: str) -> str:
    # Markdown drops leading indentation and trailing spaces of paragraph lines
    # (and two trailing spaces would become a hard break), so strip ASCII
    # blanks only; no-break spaces are the author's and stay.
    return line.strip(" \t")


def _blocks(lines: list[str]) -> list[list[int]]:
    """Indices of non-blank lines, grouped into blank-line separated blocks."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for index, line in enumerate(lines):
        if line.strip():
            current.append(index)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _split_title(line: str) -> tuple[str, str]:
    """`(title, series)` from a title line."""
    text = _folded(line)
    for pattern in (_SERIES_PREFIX, _SERIES_SUFFIX):
        match = pattern.fullmatch(text)
        if match is not None:
            return match.group("title").strip(), match.group("series").strip()
    return text, ""


def _looks_like_title(line: str) -> bool:
    text = line.strip()
    if len(text) > _TITLE_MAX or _BRACKET_NOTE.match(text) or is_leftover(text):
        return False
    # a line ending in a full stop is a sentence, not a title
    return not text.endswith((".", ",", ";"))


def _note_start(line: str, numbered: bool) -> re.Match[str] | None:
    pattern = _NUMBERED_NOTE if numbered else _BRACKET_NOTE
    return pattern.fullmatch(line.strip())


def _split_glued_notes(
    lines: list[str], blocks: list[list[int]], first: int, last: int, numbered: bool
) -> int:
    """Split off a notes list that follows a paragraph with no blank line between.

    The block just before the trailing note blocks is split before its first
    line that starts note 1 (a "Notes" line or the last paragraph stays in
    front). Returns the new index of the last block.
    """
    start = last + 1
    while start - 1 >= first and _note_start(lines[blocks[start - 1][0]], numbered):
        start -= 1
    candidate = start - 1
    if candidate < first:
        return last
    block = blocks[candidate]
    for k in range(1, len(block)):
        match = _note_start(lines[block[k]], numbered)
        if match is not None and match.group(1) == "1":
            blocks[candidate : candidate + 1] = [block[:k], block[k:]]
            return last + 1
    return last


def _collect_notes(
    lines: list[str], blocks: list[list[int]], first: int, last: int, numbered: bool
) -> tuple[int, list[_Note], list[int]]:
    """Walk back from block `last` over blocks that start with a note.

    Returns the index of the first notes block (`last + 1` when none), the
    notes in order, and the leftover lines found among them. Other lines after
    a note's first line in the same block continue that note (a URL on its own
    line, say).
    """
    start = last + 1
    while start - 1 >= first and _note_start(lines[blocks[start - 1][0]], numbered):
        start -= 1
    notes: list[_Note] = []
    leftovers: list[int] = []
    for block in blocks[start : last + 1]:
        for index in block:
            match = _note_start(lines[index], numbered)
            if match is not None:
                notes.append(_Note(match.group(1), [_strip_line(match.group(2))]))
            elif is_leftover(lines[index]):
                leftovers.append(index)
            else:
                notes[-1].lines.append(_strip_line(lines[index]))
    return start, notes, leftovers


@dataclass
class _Post:
    """A copied post being converted: its lines grouped in blocks, and what is found.

    `blocks` holds indices into `lines` (see `_blocks`); it changes as a title's
    block loses its first line or a notes list glued to a paragraph is split off.
    """

    lines: list[str]
    blocks: list[list[int]]
    warnings: list[str] = field(default_factory=list)
    removed_at: set[int] = field(default_factory=set)

    def markers_in(self, blocks: list[list[int]]) -> set[str]:
        """The labels of the `[n]` markers in `blocks`."""
        return {
            m.group(1) for block in blocks for i in block for m in _MARKER.finditer(self.lines[i])
        }

    def remove(self, indices: list[int]) -> None:
        """Drop these lines from the essay (they are reported)."""
        self.removed_at.update(indices)


def convert_text(text: str) -> Conversion:
    """Convert a blog post copied as plain text into an essay Markdown file.

    Raises:
        ConvertError: the text has no words in it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ConvertError("the text is empty: there is nothing to convert")
    lines = text.split("\n")
    post = _Post(lines, _blocks(lines))
    meta, body_first = _title_and_author(post)
    notes, body_last = _notes_list(post, body_first)
    body_blocks = post.blocks[body_first : body_last + 1]
    definitions = _definitions(post, notes, body_blocks)
    paragraphs = _paragraphs(post, body_blocks, {label: label for label in definitions})
    if not paragraphs:
        post.warnings.append("no body paragraphs found")

    footnotes: list[str] = []
    for label, note in definitions.items():
        body = _markdown_text([line for line in note.lines if line])
        footnotes.append(f"[^{label}]: " + body.replace("\n", "\n    "))

    removed = tuple(lines[i] for i in sorted(post.removed_at))
    referenced = len(post.markers_in(body_blocks) & definitions.keys())
    leftovers = sum(1 for i in post.removed_at if not _NOTES_HEADING.fullmatch(lines[i].strip()))
    parts: list[str] = []
    if meta:
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=_YAML_WIDTH)
        parts.append("---\n" + front + "---")
    parts.extend(paragraphs)
    parts.extend(footnotes)
    markdown = "\n\n".join(parts) + "\n"
    return Conversion(markdown, removed, tuple(post.warnings), referenced, leftovers)


# -- title and author -----------------------------------------------------------


def _title_and_author(post: _Post) -> tuple[dict[str, str], int]:
    """The front matter found at the top (title, series, author) and the index of
    the first block of the body, after any page furniture below the byline."""
    lines, blocks = post.lines, post.blocks
    meta: dict[str, str] = {}
    body_first = 0
    first_block = blocks[0]
    if _looks_like_title(lines[first_block[0]]):
        title, series = _split_title(lines[first_block[0]])
        meta["title"] = title
        if series:
            meta["series"] = series
        if len(first_block) > 1:
            # the title's block goes on: keep the rest as body, untouched
            blocks[0] = first_block[1:]
        else:
            body_first = 1
    else:
        post.warnings.append("no title line found; the essay has no title in its front matter")
    if body_first < len(blocks) and len(blocks[body_first]) == 1:
        author = _byline(lines[blocks[body_first][0]], "title" in meta, len(blocks) - body_first)
        if author:
            meta.update(author)
            body_first += 1

    # page furniture between the byline and the first paragraph (never the last block)
    while len(blocks) - body_first > 1 and all(
        is_header_leftover(lines[i]) for i in blocks[body_first]
    ):
        post.remove(blocks[body_first])
        body_first += 1
    return meta, body_first


def _byline(line: str, titled: bool, blocks_left: int) -> dict[str, str]:
    """`author` (and `author_note`, from a one-sentence bio) if `line`, a block of its
    own below the title, names the author; else nothing. A bio counts only below a
    title and above more text."""
    line = _folded(line)
    byline = _BYLINE.fullmatch(line)
    if byline is not None:
        return {"author": byline.group("name")}
    bio = _BIO.fullmatch(line) if line.endswith(".") else None
    if bio is not None and titled and blocks_left > 1:
        return {"author": bio.group("name"), "author_note": line}
    return {}


# -- trailing leftovers, then the notes list ---------------------------------------


def _notes_list(post: _Post, body_first: int) -> tuple[list[_Note], int]:
    """The notes listed at the end, and the index of the last block of the body.

    Leftovers after the notes (or after the body, when there are none) are removed,
    and so are a "Notes" heading and leftovers between the body and the notes.
    """
    lines, blocks = post.lines, post.blocks
    last = len(blocks) - 1
    while last >= body_first:
        block = blocks[last]
        if not all(is_leftover(lines[i]) for i in block):
            break
        post.remove(block)
        last -= 1
    notes: list[_Note] = []
    notes_start = last + 1
    body_markers = post.markers_in(blocks[body_first : last + 1])
    for numbered in (False, True):
        # split on a copy: a list glued to the last paragraph that is not taken as
        # notes after all stays where it was, in the body
        trial = blocks.copy()
        trial_last = _split_glued_notes(lines, trial, body_first, last, numbered)
        start, found, leftovers = _collect_notes(lines, trial, body_first, trial_last, numbered)
        if not found:
            continue
        announced = start - 1 >= body_first and all(
            _NOTES_HEADING.fullmatch(lines[i].strip()) for i in trial[start - 1]
        )
        if numbered and not announced and not body_markers & {n.label for n in found}:
            continue  # an ordinary numbered list ending the body
        blocks[:] = trial
        notes, notes_start = found, start
        post.remove(leftovers)
        break
    # a "Notes" heading and leftovers between the body and the notes go too
    body_last = notes_start - 1
    while body_last >= body_first and notes:
        block = blocks[body_last]
        if not all(
            is_leftover(lines[i]) or _NOTES_HEADING.fullmatch(lines[i].strip()) for i in block
        ):
            break
        post.remove(block)
        body_last -= 1
    return notes, body_last


# -- notes → definitions ----------------------------------------------------------


def _definitions(post: _Post, notes: list[_Note], body_blocks: list[list[int]]) -> dict[str, _Note]:
    """The notes by label, the first of each; warnings for repeated or missing
    numbers, notes no marker refers to and markers with no note."""
    warnings = post.warnings
    definitions: dict[str, _Note] = {}
    previous = 0
    for note in notes:
        if note.label in definitions:
            warnings.append(f"note {note.label} appears twice; the first one is kept")
            continue
        if int(note.label) != previous + 1:
            warnings.append(f"note {note.label} follows note {previous}: numbering has a gap")
        previous = int(note.label)
        definitions[note.label] = note
    used = post.markers_in(body_blocks)
    unreferenced = [label for label in definitions if label not in used]
    if unreferenced:
        warnings.append(
            "no marker in the text refers to note(s) "
            + ", ".join(unreferenced)
            + "; kept as unreferenced footnotes"
        )
    missing = sorted(used - definitions.keys(), key=int)
    if missing:
        warnings.append(
            "marker(s) "
            + ", ".join(f"[{label}]" for label in missing)
            + " have no note; kept as literal text"
        )
    return definitions


# -- body paragraphs --------------------------------------------------------------


def _paragraphs(post: _Post, body_blocks: list[list[int]], markers: dict[str, str]) -> list[str]:
    """The body as Markdown paragraphs, `[n]` markers of known notes made `[^n]`."""
    paragraphs: list[str] = []
    for block in body_blocks:
        block_lines = [_strip_line(post.lines[i]) for i in block]
        if len(block_lines) > 1 and any(len(line) > _WRAP_WIDTH for line in block_lines[:-1]):
            # copied web text: one paragraph per line, no blank lines between
            paragraphs.extend(_markdown_text([line], markers) for line in block_lines)
            continue
        # a hard-wrapped paragraph stays one paragraph, but list items copied
        # as lines ("1. a pen") each keep a line of their own
        group: list[str] = []
        for line in block_lines:
            if group and _LIST_ITEM.match(line):
                paragraphs.append(_markdown_text(group, markers))
                group = []
            group.append(line)
        paragraphs.append(_markdown_text(group, markers))
    return paragraphs
