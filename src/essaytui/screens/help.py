"""The help screen: every key the reader has, grouped by where it works."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
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


#: The help's width inside its box at 80 columns: descriptions wrap within it, under
#: themselves, so the keys column stays clear.
_WIDTH = 70


def _hanging(words: str, indent: int) -> str:
    lines = textwrap.wrap(words, max(20, _WIDTH - indent)) or [""]
    return ("\n" + " " * indent).join(lines) + "\n"


def help_text(remappable: Sequence[tuple[str, str, str]] = (), keymap_file: str = "") -> Text:
    """The help as rich text.

    Args:
        remappable: `(binding id, keys now, what it does)` for every binding that
            `keys.toml` can remap, listed last with where that file goes.
        keymap_file: where `keys.toml` goes.
    """
    text = Text()
    for title, rows in KEYS:
        text.append(f"\n{title}\n", style="bold underline")
        for keys, action in rows:
            text.append(f"  {keys:<28}", style="bold")
            text.append(_hanging(action, 30))
    if remappable:
        text.append("\nYour keys\n", style="bold underline")
        text.append(
            f"  Remap any of these in {keymap_file or 'keys.toml'}, for example\n"
            '  [keys]\n  "reader.back" = "backspace,h"\n\n',
            style="dim",
        )
        for binding_id, keys, action in remappable:
            text.append(f"  {binding_id:<26}", style="dim")
            text.append(f" {keys:<16}", style="bold")
            text.append(_hanging(action, 45))
    text.append("\nCommand line: essaytui --help", style="dim")
    return text


def remappable_bindings(
    keymap: Mapping[str, str], owners: Iterable[type[DOMNode]]
) -> list[tuple[str, str, str]]:
    """`(id, keys in effect, description)` of the bindings of `owners`, `keymap` applied."""
    rows: dict[str, tuple[str, str, str]] = {}
    for owner in owners:
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id and binding.id not in rows:
                keys = keymap.get(binding.id, binding.key)
                rows[binding.id] = (binding.id, keys, binding.description or binding.action)
    return sorted(rows.values())


class HelpScreen(ModalScreen[None]):
    """Lists every binding, and the ids and keys in effect for remapping them."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(
        self, remappable: Sequence[tuple[str, str, str]] = (), keymap_file: str = ""
    ) -> None:
        super().__init__()
        self.remappable = remappable
        self.keymap_file = keymap_file

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_text(self.remappable, self.keymap_file), id="help-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).border_title = "essaytui keys"

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
