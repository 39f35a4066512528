"""The side pane: Sources, Glossary and Notes in tabs, mounted just after the first screen
(`side_placeholder.SidePlaceholder` holds its place until then)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.events import DescendantBlur, DescendantFocus
from textual.message import Message
from textual.widgets import TabbedContent

#: The tab of each pane.
TABS = {"sources": "sources-tab", "glossary": "glossary-tab", "notes": "notes-tab"}


class SidePane(TabbedContent):
    """Sources, Glossary and Notes in tabs."""

    @dataclass
    class Ready(Message):
        """The pane is mounted (it comes a frame after the essay)."""

        pane: SidePane

        @property
        def control(self) -> SidePane:
            return self.pane

    def on_mount(self) -> None:
        self.post_message(self.Ready(self))

    def show_tab(self, pane: str) -> None:
        """Show the tab of `pane` (one of `TABS`)."""
        self.active = TABS[pane]

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self._mark_focus()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        # focus may be moving to another widget in the pane: look once it has landed
        self.call_later(self._mark_focus)

    def _mark_focus(self) -> None:
        focused = self.screen.focused
        inside = focused is not None and self in focused.ancestors
        if inside != self.has_class("-focus-within"):
            # Restyle this node alone (its border): a :focus-within rule, or a class
            # change with the usual update, restyles every widget inside on each move.
            self.set_class(inside, "-focus-within", update=False)
            self.app.stylesheet.apply(self)
            self.refresh()
