"""The key hints line: the keys that work where the focus is, in one widget.

Textual's `Footer` mounts a widget per key and recomposes them all whenever the focus
moves, which costs 100–150 ms on every focus change (following a footnote back, opening
search). This line draws the same hints as one piece of text, so a focus change costs a
repaint of one line.
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Click
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

from essaytui.actions import hint_of, key_display
from essaytui.typeahead import takes_text

#: Hints kept whatever the width: the keys that work everywhere.
ESSENTIAL = frozenset({"app.quit", "app.help", "app.palette"})


def _width(hints: list[tuple[Content, str, bool, bool]]) -> int:
    return sum(part.cell_length for part, *_ in hints) + max(0, len(hints) - 1)


class KeyHints(Widget, can_focus=False):
    """The shown bindings of the focused widget and its ancestors; a click presses one."""

    DEFAULT_CSS = """
    KeyHints {
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    COMPONENT_CLASSES = {"key-hints--key"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        #: (first cell, end cell, key) of each hint as last drawn, for clicks
        self._spans: list[tuple[int, int, str]] = []
        self._content: Content | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # The signal comes on most keys; redraw only when the hints read differently.
        if self.is_attached and screen is self.screen:
            self._update()

    def _theme_changed(self, _theme: str) -> None:
        # once the new theme's styles are in place
        self.call_after_refresh(self._update, True)

    def _update(self, restyled: bool = False) -> None:
        content = self.hints()
        if restyled or self._content is None or content.plain != self._content.plain:
            self._content = content
            self.refresh()

    def hints(self) -> Content:
        """The hints for the current focus: "key description" pairs, one per action.

        When they do not all fit, the keys that work everywhere (quit, help, the
        palette) are kept and the others are dropped from the end.
        """
        key_style = self.get_component_rich_style("key-hints--key", partial=True)
        active = self.screen.active_bindings
        shown = [entry for entry in active.values() if entry[1].show]
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            shown.append(palette)
        hints: list[tuple[Content, str, bool, bool]] = []  # part, key, enabled, essential
        seen: set[str] = set()
        typing = takes_text(self.screen.focused)
        for _node, binding, enabled, _tooltip in shown:
            if binding.action in seen:
                continue
            if typing and len(key_display(binding.key)) == 1:
                continue  # in a filter or the search bar, q and ? are letters typed
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            # Plain styles, not @click links: a link's colour would replace the key's.
            part = Content.assemble(
                (f" {key} ", Style.from_rich_style(key_style) if enabled else Style(dim=True)),
                (f"{hint_of(binding)} ", Style() if enabled else Style(dim=True)),
            )
            essential = binding.id in ESSENTIAL or binding.action == "command_palette"
            hints.append((part, binding.key.split(",")[0], enabled, essential))
        width = self.size.width
        while width and len(hints) > 1 and _width(hints) > width:
            droppable = [index for index, hint in enumerate(hints) if not hint[3]]
            if not droppable:
                break
            del hints[droppable[-1]]
        spans: list[tuple[int, int, str]] = []
        cell = 0
        for part, key, enabled, _ in hints:
            if enabled:
                spans.append((cell, cell + part.cell_length, key))
            cell += part.cell_length + 1
        self._spans = spans
        return Content(" ").join(part for part, *_ in hints)

    def on_resize(self) -> None:
        self._update()

    @property
    def hint_spans(self) -> list[tuple[int, int, str]]:
        """`(first cell, end cell, key)` of each enabled hint as last drawn."""
        return list(self._spans)

    def on_click(self, event: Click) -> None:
        """A click on a hint presses its key."""
        x = event.get_content_offset(self)
        if x is None:
            return
        for start, end, key in self._spans:
            if start <= x.x < end:
                self.app.simulate_key(key)
                return

    def render(self) -> Content:
        if self._content is None:
            self._content = self.hints()
        return self._content
