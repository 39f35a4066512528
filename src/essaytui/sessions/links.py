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

from essaytui.model.essay import Essay

#: Addresses never opened nor offered to the terminal as a hyperlink.
UNSAFE_SCHEMES = ("javascript:", "data:", "file:", "vbscript:")
#: Addresses a terminal hyperlink (OSC 8) may carry.
HYPERLINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://")

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
    """An address outside the essay: shown, then opened only when the reader asks."""

    url: str


@dataclass(frozen=True, slots=True)
class Refused:
    """An address that is never opened (a script, inline data, a local file)."""

    url: str


@dataclass(frozen=True, slots=True)
class Missing:
    """An internal link to nothing in this essay."""

    fragment: str


Destination = InEssay | ToSource | Outside | Refused | Missing


def resolve(essay: Essay, url: str) -> Destination:
    """Where the link address `url` leads in (or out of) `essay`."""
    address = url.strip()
    if not address.startswith("#"):
        if address.lower().startswith(UNSAFE_SCHEMES):
            return Refused(url)
        return Outside(url)
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


def hyperlink(url: str) -> str | None:
    """`url` as a terminal hyperlink may carry it, or None when it must not be one.

    Only web and mail addresses, and none with spaces or control characters (an
    escape inside an address could end the hyperlink's own sequence).
    """
    address = url.strip()
    if not address.lower().startswith(HYPERLINK_SCHEMES):
        return None
    if any(ord(char) < 0x21 or 0x7F <= ord(char) < 0xA0 for char in address):
        return None
    return address


def link_peek(essay: Essay, url: str, image: bool = False) -> str:
    """What the peek says about a selected link or image: where it goes, what enter does."""
    match resolve(essay, url):
        case InEssay():
            where = "go there (backspace comes back)"
        case ToSource():
            where = "show the source"
        case Missing():
            return f"Link: {url}\n\n(no heading or anchor of that name in this essay)"
        case Refused():
            return f"Link: {url}\n\n(never opened: unsafe address)"
        case Outside():
            where = "open it (after asking)"
    return f"{'Image' if image else 'Link'}: {url}\n\nenter: {where}"
