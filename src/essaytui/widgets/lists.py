"""Lists that answer the keys of less and vim as well as the arrows."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import OptionList

from essaytui.actions import LISTS, action

#: j k g G ctrl+d ctrl+u in every list (the outline too): one id each, so a remap in
#: keys.toml changes them in every list at once.
LIST_BINDINGS: list[BindingType] = [
    action("j", "cursor_down", "Down", id="list.down", group=LISTS, palette=False),
    action("k", "cursor_up", "Up", id="list.up", group=LISTS, palette=False),
    action("g", "first", "First", id="list.first", group=LISTS, palette=False),
    action("G", "last", "Last", id="list.last", group=LISTS, palette=False),
    action("ctrl+d", "page_down", "Page down", id="list.page_down", group=LISTS, palette=False),
    action("ctrl+u", "page_up", "Page up", id="list.page_up", group=LISTS, palette=False),
]


class ReaderList(OptionList):
    """An option list with the list keys of `LIST_BINDINGS`."""

    BINDINGS: ClassVar[list[BindingType]] = LIST_BINDINGS

    def watch_show_vertical_scrollbar(self) -> None:
        """Measure the options again when the scroll bar comes or goes.

        OptionList counts each option's lines at the width it has when the option is
        added, and counts again only on a resize. The scroll bar appears once the options
        outgrow the list, which narrows the text without resizing the widget: a long
        option then wraps to more lines than were counted, and its last lines (a note's
        end and its ↩) were never drawn.
        """
        # `_clear_caches` is what OptionList itself does on a resize; there is no public way.
        self._clear_caches()


def bound_keys(widget: Widget) -> set[str]:
    """The keys `widget`'s own bindings answer, the reader's keymap applied."""
    # Textual keeps the keymapped bindings in `_bindings`; there is no public view of it.
    return set(widget._bindings.key_to_bindings)
