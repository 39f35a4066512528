"""About this edition: what the essay says of itself, and how long it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from essaytui.actions import DIALOGS, action
from essaytui.model.essay import Essay
from essaytui.model.text import sanitize, sanitize_inline, word_count
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.scrolling import scroll_box
from essaytui.widgets.status import reading_minutes

#: Front-matter keys shown, in this order, with how they are labelled.
FIELDS: tuple[tuple[str, str], ...] = (
    ("series", "Series"),
    ("author_note", "About the author"),
    ("source", "Source"),
    ("editorial_note", "This edition"),
)


def about_text(essay: Essay) -> Text:
    """Title, author and the front matter's notes, then the essay's length.

    Every value is the file's own (its name too): made inert for the terminal here, and
    appended as text, never parsed as markup.
    """
    text = Text()
    text.append(sanitize_inline(essay.title), style="bold")
    if essay.author:
        text.append(f"\nby {sanitize_inline(essay.author)}", style="italic")
    for key, label in FIELDS:
        value = essay.meta.get(key)
        if value:
            text.append(f"\n\n{label}\n", style="bold underline")
            text.append(sanitize(value))
            if key == "series" and essay.meta.get("part"):
                text.append(f", part {sanitize_inline(essay.meta['part'])}")
    others = _others(essay)
    if others:
        text.append("\n\nAlso\n", style="bold underline")
        for key, value in others:
            text.append(f"{sanitize_inline(key)}: ", style="dim")
            text.append(f"{sanitize(value)}\n")
    words = word_count(essay.reading_text)
    notes = sum(1 for note in essay.footnotes if note.number)
    text.append("\n\nLength\n", style="bold underline")
    if not essay.complete:
        # the first part's figures: the rest is still being read (or could not be)
        text.append("The first part (the whole is not in yet): ", style="dim")
    text.append(
        f"{words:,} words · about {reading_minutes(essay.reading_text, 0)} min to read"
        f" · {_count(len(essay.sections), 'section')} · {_count(notes, 'note')}"
        f" · {_count(len(essay.glossary), 'glossary term')}"
    )
    if essay.source_path:
        text.append(f"\n\nFile: {sanitize_inline(essay.source_path)}", style="dim")
    return text


def _others(essay: Essay) -> list[tuple[str, str]]:
    """The front matter not shown above it: not its title, author or series (with its
    part), and no value twice (a book's ISBN is often its identifier too)."""
    shown = {key for key, _ in FIELDS} | {"part", "title", "author"}
    seen = {_plain(essay.title), _plain(essay.author)}
    others: list[tuple[str, str]] = []
    for key, value in essay.meta.items():
        plain = _plain(value)
        if key in shown or not plain or plain in seen:
            continue
        seen.add(plain)
        others.append((key, value))
    return others


def _plain(value: str) -> str:
    return " ".join(value.split()).lower().removeprefix("urn:isbn:")


def _count(number: int, noun: str) -> str:
    """ "1 note", "2 notes", "0 notes"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class AboutScreen(ModalScreen[None]):
    """The essay's own account of itself (`i`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "escape,i,q",
            "dismiss",
            "Close",
            id="about.close",
            group=DIALOGS,
            show=True,
            palette=False,
            help="in About this edition: close it",
        ),
        # A long account (a book's, at 80x24) scrolls with the keys that scroll the text.
        action(
            "j,down",
            "scroll('down')",
            "Scroll",
            id="about.down",
            group=DIALOGS,
            show=True,
            palette=False,
            help="in About this edition: scroll (also k, space, b, d, u, g, G)",
        ),
        action("k,up", "scroll('up')", "Scroll up", id="about.up", group=DIALOGS, palette=False),
        action(
            "space,pagedown",
            "scroll('page_down')",
            "Page down",
            id="about.page_down",
            group=DIALOGS,
            show=True,
            palette=False,
        ),
        action(
            "b,pageup",
            "scroll('page_up')",
            "Page up",
            id="about.page_up",
            group=DIALOGS,
            palette=False,
        ),
        action(
            "d,ctrl+d",
            "scroll('half_down')",
            "Half page down",
            id="about.half_down",
            group=DIALOGS,
            palette=False,
        ),
        action(
            "u,ctrl+u",
            "scroll('half_up')",
            "Half page up",
            id="about.half_up",
            group=DIALOGS,
            palette=False,
        ),
        action(
            "g,home",
            "scroll('home')",
            "Top",
            id="about.top",
            group=DIALOGS,
            show=True,
            palette=False,
        ),
        action("G,end", "scroll('end')", "Bottom", id="about.bottom", group=DIALOGS, palette=False),
    ]

    def __init__(self, essay: Essay) -> None:
        super().__init__()
        self.essay = essay

    def compose(self) -> ComposeResult:
        text = about_text(self.essay)
        # the app knows the library; a host without one (a test's) lists no parts
        parts: Callable[[], list[str]] | None = getattr(self.app, "series_parts", None)
        listed = parts() if parts is not None else []
        if listed:
            text.append("\n\nThe series in your library\n", style="bold underline")
            for line in listed:
                text.append(f"{sanitize_inline(line)}\n")
        with VerticalScroll(id="about-box"):
            yield Static(text, id="about-text")
        yield KeyHints()  # the keys of this dialog, not those of the reader beneath

    def on_mount(self) -> None:
        self.query_one("#about-box").border_title = "About this edition"

    def action_scroll(self, where: str) -> None:
        """Scroll the account: a line, half a page, a page, or to either end."""
        scroll_box(self.query_one("#about-box", VerticalScroll), where)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
