"""The Notes pane: the reader's highlights, notes and bookmarks, by section."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from essaytui.model.essay import Essay


class NotesPane(OptionList):
    """Annotations of the essay, grouped by section."""

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.essay = essay

    def on_mount(self) -> None:
        self.set_essay(self.essay)

    def set_essay(self, essay: Essay) -> None:
        """Show the annotations of `essay`."""
        self.essay = essay
        self.clear_options()
        self.add_option(Option("No notes yet: select text with v, then h or a.", disabled=True))
