"""The help screen: every key the reader has, grouped by where it works."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: (section, [(keys, what they do)]) — the contract of design §6.
KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Reading",
        [
            ("j k ↓ ↑", "scroll a line"),
            ("space pagedown / b pageup", "page down / up"),
            ("d / u", "half page down / up"),
            ("g home / G end", "top / bottom"),
            ("] / [", "next / previous section"),
            ("o / p", "show or hide the outline / the side pane"),
            ("1 … 5", "focus Outline, Essay, Sources, Glossary, Notes"),
            ("tab / shift+tab", "move focus between panes"),
        ],
    ),
    (
        "Footnotes and glossary",
        [
            ("f / F", "select the next / previous footnote reference (peek at its source)"),
            ("t / T", "select the next / previous glossary term (peek at its definition)"),
            ("A", "mark every glossary term, or only the first per section"),
            ("enter", "follow the selection: source, glossary entry, or link (shown first)"),
            ("backspace", "back to exactly where you were before the last jump"),
            ("escape", "clear the selection"),
        ],
    ),
    (
        "Search",
        [
            ("/", "search (case-insensitive; re: for a regular expression)"),
            ("n / N", "next / previous match"),
            ("escape", "clear the search"),
        ],
    ),
    (
        "Selecting and annotating",
        [
            ("v", "start a selection (the sentence at the selection, or the top of the view)"),
            ("w b ) ( } { ← → ↑ ↓", "while selecting: move its end by word, sentence, paragraph"),
            ("mouse drag", "select text"),
            ("h", "highlight the selection"),
            ("a", "annotate the selection with a note (ctrl+s saves, escape cancels)"),
            ("y", "copy the selection as a quotation with its citation"),
            ("m", "bookmark the current position"),
        ],
    ),
    (
        "In the side pane",
        [
            ("enter (Sources)", "go to the source's reference (the next one, if several)"),
            ("enter (Glossary)", "open a term; on an occurrence, go there"),
            ("type (Glossary)", "filter the terms"),
            ("enter / e / d / u (Notes)", "go to / edit / delete / undo delete"),
        ],
    ),
    (
        "Everywhere",
        [
            ("? f1", "this help"),
            ("ctrl+p", "command palette: every action, go to section / footnote / term / note"),
            ("q", "quit (your place is saved)"),
        ],
    ),
]


def help_text() -> Text:
    """The help as rich text."""
    text = Text()
    for title, rows in KEYS:
        text.append(f"\n{title}\n", style="bold underline")
        for keys, action in rows:
            text.append(f"  {keys:<28}", style="bold")
            text.append(f"{action}\n")
    text.append("\nCommand line: essaytui --help", style="dim")
    return text


class HelpScreen(ModalScreen[None]):
    """Lists every binding."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_text(), id="help-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).border_title = "essaytui keys"

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
