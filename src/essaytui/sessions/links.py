"""Where a link goes: a place in the essay, a source, or an address outside it.

Internal links (`#goals`) name a heading by its id or its GitHub-style slug, or an
`<a id>` / `<a name>` anchor (all in `Essay.anchors`), or a footnote the way renderers
write their links and back links (`#fn1`, `#fnref:2`, `#user-content-fn-3`).
`resolve` turns a link's address into a `Destination` the screen acts on; nothing here
knows about the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from essaytui.model.essay import IN_BOOK, Essay

#: The only schemes of an address that is opened, or offered to the terminal as a
#: hyperlink. An allowlist: anything else (a script, inline data, a local file, a bare or
#: relative path, an option such as ``--renderer-cmd-prefix=…``) is shown, never handed to
#: a browser or ``xdg-open``, which would take a leading ``-`` as an option of its own.
OPENED_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")

# fn1, fn-1, fn:1, fn_1, footnote-1, user-content-fn-1; fnref1, fnref:1:2 (a repeated
# reference, as markdown-it numbers them), footnote-ref-1, user-content-fnref-1-2
_FOOTNOTE_LINK = re.compile(
    r"^(?:user-content-)?(?P<kind>fnref|fn|footnote-ref|footnote)[-:_.]?(?P<label>.+)$",
    re.IGNORECASE,
)
_REPEAT = re.compile(r"^(?P<label>.+?)(?P<separator>[-:_])(?P<repeat>\d+)$")


@dataclass(frozen=True, slots=True)
class InEssay:
    """A place in the essay's reading text (a heading, an anchor, a reference)."""

    offset: int


@dataclass(frozen=True, slots=True)
class ToSource:
    """A footnote's source: shown in the Sources pane."""

    label: str


@dataclass(frozen=True, slots=True)
class Outside:
    """An address outside the essay: shown, then opened only when the reader asks
    (`url` is what `openable` made of the link's address)."""

    url: str


@dataclass(frozen=True, slots=True)
class Refused:
    """An address that is never opened: any but `OPENED_SCHEMES` (a script, inline data,
    a local file, a relative path, an option for the browser)."""

    url: str


@dataclass(frozen=True, slots=True)
class Missing:
    """An internal link to nothing in this essay."""

    fragment: str


@dataclass(frozen=True, slots=True)
class InBook:
    """A picture inside a book (`member`, its path in the book's zip): nothing outside
    the book can open it."""

    member: str


Destination = InEssay | ToSource | Outside | Refused | Missing | InBook


def resolve(essay: Essay, url: str) -> Destination:
    """Where the link address `url` leads in (or out of) `essay`."""
    address = url.strip()
    if address.startswith(IN_BOOK):
        return InBook(address.removeprefix(IN_BOOK))
    if not address.startswith("#"):
        opened = openable(address)
        return Refused(url) if opened is None else Outside(opened)
    fragment = unquote(address[1:])
    for name in dict.fromkeys((fragment, fragment.lower())):
        offset = essay.anchors.get(name)
        if offset is not None:
            return InEssay(offset)
    return _footnote_link(essay, fragment) or Missing(fragment)


def _footnote_link(essay: Essay, fragment: str) -> Destination | None:
    """A renderer's footnote link: `#fn…` to the source, `#fnref…` back to the text."""
    match = _FOOTNOTE_LINK.match(fragment)
    if match is None:
        return None
    to_reference = match["kind"].lower() in ("fnref", "footnote-ref")
    label, repeat = match["label"], 0
    note = _note(essay, label)
    if note is None and (repeated := _REPEAT.match(label)) is not None:
        label, repeat = repeated["label"], int(repeated["repeat"])
        # markdown-it counts repeats from 1 (fnref1:1 is the second reference),
        # GitHub from 2 (user-content-fnref-1-2 is the second)
        repeat -= 1 if repeated["separator"] == "-" else 0
        note = _note(essay, label)
    if note is None:
        return None
    if not to_reference:
        return ToSource(note)
    refs = essay.footnotes_by_label[note].refs
    if not refs:
        return ToSource(note)
    return InEssay(refs[max(0, min(repeat, len(refs) - 1))][0])


def _note(essay: Essay, label: str) -> str | None:
    """The label of the footnote `label` names: by its label, else by its number."""
    if label in essay.footnotes_by_label:
        return label
    if label.isdigit():
        number = int(label)
        for note in essay.footnotes:
            if note.number == number:
                return note.label
    return None


def openable(url: str) -> str | None:
    """`url` as it may be handed to a browser, or None when it must never be opened.

    Only `OPENED_SCHEMES` addresses (web ones with ``//`` and something after it), and
    none with spaces or control characters (an escape inside an address could end a
    terminal hyperlink's own sequence). What is returned starts with its scheme's
    letters, so a browser can never read it as an option.
    """
    address = url.strip()
    match = _SCHEME.match(address)
    if match is None:
        return None
    scheme = match.group(1).lower()
    if scheme not in OPENED_SCHEMES:
        return None
    rest = address[match.end() :]
    if scheme != "mailto" and (not rest.startswith("//") or len(rest) == 2):
        return None
    if not rest or any(
        char.isspace() or ord(char) < 0x21 or 0x7F <= ord(char) < 0xA0 for char in address
    ):
        return None
    return address


def hyperlink(url: str) -> str | None:
    """`url` as a terminal hyperlink (OSC 8) may carry it, or None when it must not be
    one: exactly the addresses that are opened (`openable`)."""
    return openable(url)


#: Characters of the text at a link's target quoted in its peek at most.
_QUOTED_CHARS = 70


def place_name(essay: Essay, offset: int) -> str:
    """A place in the reading text as a reader knows it: the title of the section it is
    in, and the words there when it is not the section's start."""
    from essaytui.model.text import sanitize_inline

    inside = [s for s in essay.sections if s.start <= offset < max(s.end, s.start + 1)]
    section = max(inside, key=lambda s: (s.start, s.level), default=None)
    title = sanitize_inline(section.title) if section is not None else ""
    if section is not None and essay.reading_text[section.start : offset].strip() == "":
        return title
    line = essay.reading_text[offset:].lstrip().split("\n", 1)[0].strip()
    words = sanitize_inline(line)
    if len(words) > _QUOTED_CHARS:
        words = words[:_QUOTED_CHARS].rsplit(" ", 1)[0] + "…"
    quoted = f"“{words}”" if words else ""
    return " · ".join(part for part in (title, quoted) if part) or "a place in the text"


def link_peek(essay: Essay, url: str, image: bool = False) -> str:
    """What the peek says about a selected link or image: where it goes, what enter does."""
    match resolve(essay, url):
        case InEssay(offset) if not image:
            # where it leads, in the essay's own words: its address may be an id the
            # conversion made (a book's "#epub-t-4"), which means nothing to a reader
            return f"Link to: {place_name(essay, offset)}\n\nenter: go there (backspace comes back)"
        case InEssay():
            where = "go there (backspace comes back)"
        case ToSource():
            where = "show the source"
        case Missing():
            return f"Link: {url}\n\n(no heading or anchor of that name in this essay)"
        case Refused():
            return f"Link: {url}\n\n(never opened: only http, https and mailto addresses are)"
        case Outside():
            where = "open it (after asking)"
        case InBook(member):
            return f"Image: {member}\n\n(inside the book: it can't be opened outside it)"
    return f"{'Image' if image else 'Link'}: {url}\n\nenter: {where}"
