"""The help screen: every key, read from the live bindings, grouped by what it is for.

The keys shown are those in effect (after `keys.toml`), written as a person types them;
each row also names the binding's id, which is what `keys.toml` remaps. It scrolls with
the keys of less (j k space b g G) and narrows as you type after `/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from essaytui.actions import (
    DIALOGS,
    GENERAL,
    GROUP_ORDER,
    action,
    all_bindings,
    help_of,
    keys_display,
)

#: The keys column, in cells.
KEYS_WIDTH = 22


def help_rows(keymap: Mapping[str, str]) -> list[tuple[Binding.Group, str, str, str]]:
    """`(group, keys as typed, what it does, binding id)` for every binding, in help order."""
    rows = [
        (
            binding.group or GENERAL,
            keys_display(binding, keymap),
            help_of(binding),
            binding.id or "",
        )
        for _, binding in all_bindings()
    ]
    order = {group: index for index, group in enumerate(GROUP_ORDER)}
    rows.sort(key=lambda row: order.get(row[0], len(order)))
    return rows


def help_text(keymap: Mapping[str, str], keymap_file: str, needle: str = "") -> Text:
    """The help as rich text; only the rows mentioning `needle` when it is given."""
    needle = needle.casefold().strip()
    text = Text()
    group: Binding.Group | None = None
    for row_group, keys, what, binding_id in help_rows(keymap):
        if needle and not any(needle in part.casefold() for part in (keys, what, binding_id)):
            continue
        if row_group != group:
            group = row_group
            text.append(f"\n{group.description}\n", style="bold underline")
        text.append(f"  {keys:<{KEYS_WIDTH}}", style="bold")
        text.append(f" {what}")
        text.append(f"  {binding_id}\n", style="dim")
    if not text:
        text.append(f"\nNo key mentions “{needle}”.\n", style="italic")
    text.append(
        f"\nRemap any key by its id in {keymap_file or 'keys.toml'}, for example\n"
        '  [keys]\n  "reader.back" = "backspace,h"\n'
        "Command line: essaytui --help\n",
        style="dim",
    )
    return text


class HelpScreen(ModalScreen[None]):
    """Every key of the reader, with its id for remapping."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "escape,q,question_mark,f1",
            "dismiss",
            "Close help",
            id="help.close",
            group=DIALOGS,
            palette=False,
            help="in help: close it",
        ),
        action(
            "j,down",
            "scroll('down')",
            "Scroll down",
            id="help.down",
            group=DIALOGS,
            palette=False,
            help="in help: scroll (also k, space, b, g, G)",
        ),
        action("k,up", "scroll('up')", "Scroll up", id="help.up", group=DIALOGS, palette=False),
        action(
            "space,pagedown",
            "scroll('page_down')",
            "Page down",
            id="help.page_down",
            group=DIALOGS,
            palette=False,
        ),
        action(
            "b,pageup",
            "scroll('page_up')",
            "Page up",
            id="help.page_up",
            group=DIALOGS,
            palette=False,
        ),
        action("g,home", "scroll('home')", "Top", id="help.top", group=DIALOGS, palette=False),
        action("G,end", "scroll('end')", "Bottom", id="help.bottom", group=DIALOGS, palette=False),
        action(
            "slash",
            "filter",
            "Filter",
            id="help.filter",
            group=DIALOGS,
            palette=False,
            help="in help: show only the keys that mention what you type",
        ),
    ]

    def __init__(self, keymap: Mapping[str, str] | None = None, keymap_file: str = "") -> None:
        super().__init__()
        self.keymap = dict(keymap or {})
        self.keymap_file = keymap_file

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Input(
                placeholder="Filter keys… (escape: back to the list)",
                id="help-filter",
                compact=True,
                classes="-hidden",
            )
            with VerticalScroll(id="help-scroll"):
                yield Static(help_text(self.keymap, self.keymap_file), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "essaytui keys"
        self.set_focus(self.query_one("#help-scroll"))

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        moves = {
            "down": scroll.scroll_down,
            "up": scroll.scroll_up,
            "page_down": scroll.scroll_page_down,
            "page_up": scroll.scroll_page_up,
            "home": scroll.scroll_home,
            "end": scroll.scroll_end,
        }
        moves[where](animate=False)

    def action_filter(self) -> None:
        field = self.query_one("#help-filter", Input)
        field.remove_class("-hidden")
        self.set_focus(field)

    @on(Input.Changed, "#help-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self.query_one("#help-text", Static).update(
            help_text(self.keymap, self.keymap_file, event.value)
        )

    @on(Input.Submitted, "#help-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.set_focus(self.query_one("#help-scroll"))

    async def action_dismiss(self, result: None = None) -> None:
        field = self.query_one("#help-filter", Input)
        if field.has_focus:
            # escape in the filter goes back to the list, as in every filter
            self.set_focus(self.query_one("#help-scroll"))
            return
        self.dismiss(result)
