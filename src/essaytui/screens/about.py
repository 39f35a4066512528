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

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
