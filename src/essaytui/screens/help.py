"""The help screen: every key, read from the live bindings, grouped by what it is for.

The keys shown are those in effect (after `keys.toml`), written as a person types them;
each row also names the binding's id, which is what `keys.toml` remaps. It scrolls with
the keys of less (j k space b g G) and narrows as you type after `/`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import ClassVar

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
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
    keys_taken,
)
from essaytui.model.text import sanitize_inline
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.scrolling import scroll_box

#: The keys column, in cells.
KEYS_WIDTH = 20
#: The help shows binding ids when it is at least this wide.
IDS_FROM_WIDTH = 90


def help_rows(
    app: type[DOMNode], keymap: Mapping[str, str], first: Binding.Group | None = None
) -> list[tuple[Binding.Group, str, str, str]]:
    """`(group, keys as typed, what it does, binding id)` for every binding, in help order.

    With `first` (the keys of the screen the help was asked from, such as the Library's),
    that group leads and the keys that work everywhere follow it, then the rest.
    """
    pairs = all_bindings(app)
    taken = keys_taken(pairs, keymap)
    rows = [
        (
            binding.group or GENERAL,
            keys_display(binding, keymap, taken.get(owner, ())),
            help_of(binding),
            binding.id or "",
        )
        for owner, binding in pairs
    ]
    groups = list(GROUP_ORDER)
    if first is not None:
        groups = [first, GENERAL] + [g for g in groups if g not in (first, GENERAL)]
    order = {group: index for index, group in enumerate(groups)}
    rows.sort(key=lambda row: order.get(row[0], len(order)))
    return rows


def help_text(
    app: type[DOMNode],
    keymap: Mapping[str, str],
    keymap_file: str,
    needle: str = "",
    *,
    ids: bool = True,
    first: Binding.Group | None = None,
) -> Group:
    """The help as a table per group; only the rows mentioning `needle` when given.

    Keys sit in a column of their own; what they do wraps under itself; with `ids`, the
    binding id (what keys.toml remaps) follows, dimmed, in a column as wide in every group.
    """
    needle = needle.casefold().strip()
    rows = [
        row
        for row in help_rows(app, keymap, first)
        if not needle or any(needle in part.casefold() for part in row[1:])
    ]
    id_width = max((len(row[3]) for row in rows), default=0)
    parts: list[RenderableType] = []
    table: Table | None = None
    group: Binding.Group | None = None
    for row_group, keys, what, binding_id in rows:
        if row_group != group or table is None:
            group = row_group
            parts.append(Text(f"\n{group.description}", style="bold underline"))
            table = Table.grid(padding=(0, 1), pad_edge=True, expand=True)
            table.add_column(width=KEYS_WIDTH, no_wrap=True, style="bold")
            table.add_column(ratio=1)
            if ids:
                table.add_column(width=id_width, no_wrap=True, style="dim")
            parts.append(table)
        # keys and the file's path come from the reader's keys.toml and environment
        cells = [Text(sanitize_inline(keys)), Text(what)] + ([Text(binding_id)] if ids else [])
        table.add_row(*cells)
    if not rows:
        parts.append(Text(f"\nNo key mentions “{sanitize_inline(needle)}”.", style="italic"))
    remap = "Remap any key by its id" + ("" if ids else " (shown in a wider terminal)")
    parts.append(
        Text(
            f"\n{remap} in {sanitize_inline(keymap_file) or 'keys.toml'}, for example\n"
            '  [keys]\n  "reader.back" = "backspace,H"\n'
            "Command line: essaytui --help",
            style="dim",
        )
    )
    return Group(*parts)


def help_plain(
    app: type[DOMNode], keymap: Mapping[str, str], keymap_file: str, width: int = 100
) -> str:
    """The help as plain text at `width` cells, as the help screen shows it."""
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(help_text(app, keymap, keymap_file, ids=width >= IDS_FROM_WIDTH))
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


class HelpFilter(Input):
    """The help screen's filter: escape goes back to the list (and its hint says so)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "escape",
            "back",
            "Back to the list",
            id="help.filter_back",
            group=DIALOGS,
            show=True,
            palette=False,
            help="in help's filter: back to the list (the filter stays)",
        ),
    ]

    def action_back(self) -> None:
        self.screen.set_focus(self.screen.query_one("#help-scroll"))


class HelpScreen(ModalScreen[None]):
    """Every key of the reader, with its id for remapping."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "escape,q,question_mark,f1",
            "dismiss",
            "Close help",
            id="help.close",
            group=DIALOGS,
            show=True,
            palette=False,
            help="in help: close it",
        ),
        action(
            "j,down",
            "scroll('down')",
            "Scroll down",
            id="help.down",
            group=DIALOGS,
            show=True,
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
            show=True,
            palette=False,
            help="in help: show only the keys that mention what you type",
        ),
    ]

    def __init__(
        self,
        keymap: Mapping[str, str] | None = None,
        keymap_file: str = "",
        first: Binding.Group | None = None,
    ) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})
        self.keymap_file = keymap_file
        #: the group of keys shown first: those of the screen help was opened from
        self.first = first

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield HelpFilter(
                placeholder="Filter keys… (escape: back to the list)",
                id="help-filter",
                compact=True,
                classes="-hidden",
            )
            with VerticalScroll(id="help-scroll"):
                yield Static(id="help-text")
        yield KeyHints()  # the keys of this dialog, not those of the reader beneath

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "essaytui keys"
        self.set_focus(self.query_one("#help-scroll"))
        self._fill()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        needle = self.query_one("#help-filter", Input).value
        wide = self.query_one("#help-text").size.width >= IDS_FROM_WIDTH or self.size.width >= 100
        self.query_one("#help-text", Static).update(
            help_text(
                type(self.app), self.keymap, self.keymap_file, needle, ids=wide, first=self.first
            )
        )

    def action_scroll(self, where: str) -> None:
        scroll_box(self.query_one("#help-scroll", VerticalScroll), where)

    def action_filter(self) -> None:
        field = self.query_one("#help-filter", Input)
        field.remove_class("-hidden")
        self.set_focus(field)

    @on(Input.Changed, "#help-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._fill()

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
