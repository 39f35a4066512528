"""The side pane: Sources, Glossary and Notes in tabs, mounted just after the first screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.events import DescendantBlur, DescendantFocus
from textual.lazy import Lazy
from textual.message import Message
from textual.widget import MountError, Widget
from textual.widgets import TabbedContent

#: The tab of each pane.
TABS = {"sources": "sources-tab", "glossary": "glossary-tab", "notes": "notes-tab"}


class SidePane(TabbedContent):
    """Sources, Glossary and Notes in tabs."""

    @dataclass
    class Ready(Message):
        """The pane is mounted (it comes a frame after the essay; see `SidePlaceholder`)."""

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


class SidePlaceholder(Lazy):
    """Holds the side pane's place until it is mounted, right after the first screen.

    The essay is on screen ~30 ms sooner (the pane is ~20 widgets), and the layout does
    not move when the pane arrives: the placeholder has its size and border.
    """

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        parent = self.parent
        if not isinstance(parent, Widget):
            return

        async def mount() -> None:
            # A reader quit within its first frames (q typed at once) is already taking
            # its widgets down: the pane has nowhere to go, and that is no error.
            if not parent.is_mounted or not self.is_attached:
                return
            try:
                await parent.mount(self._replace_widget, after=self)
            except MountError:
                return
            await self.remove()

        self.call_after_refresh(mount)
