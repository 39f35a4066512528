"""The key hints line: the keys that work where the focus is, in one widget.

Textual's `Footer` mounts a widget per key and recomposes them all whenever the focus
moves, which costs 100–150 ms on every focus change (following a footnote back, opening
search). This line draws the same hints as one piece of text, so a focus change costs a
repaint of one line.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget


class KeyHints(Widget, can_focus=False):
    """The shown bindings of the focused widget and its ancestors; a click presses one."""

    DEFAULT_CSS = """
    KeyHints {
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-description-foreground;
        link-style: none;
        link-color: $footer-description-foreground;
        link-background: $footer-background;
        link-style-hover: reverse;
    }
    """

    COMPONENT_CLASSES = {"key-hints--key"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._content = Content("")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        content = self.hints()
        if content.plain != self._content.plain:
            self._content = content
            self.refresh()

    def hints(self) -> Content:
        """The hints for the current focus: "key description" pairs, one per action."""
        key_style = self.get_component_rich_style("key-hints--key", partial=True)
        active = self.screen.active_bindings
        shown = [entry for entry in active.values() if entry[1].show]
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            shown.append(palette)
        parts: list[Content] = []
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in shown:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            click = Style.from_meta({"@click": f"app.simulate_key({binding.key!r})"})
            style = Style.from_rich_style(key_style) if enabled else Style(dim=True)
            parts.append(
                Content.assemble(
                    (f" {key} ", style + click),
                    (f"{binding.description} ", click if enabled else Style(dim=True)),
                )
            )
        return Content(" ").join(parts)

    def render(self) -> Content:
        return self._content
