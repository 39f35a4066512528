"""The status line: where you are in the argument, and passing messages."""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

from essaytui.model.essay import Essay

WORDS_PER_MINUTE = 230


def reading_status(essay: Essay, top: int, bottom: int, *, rest_unreadable: bool = False) -> str:
    """ "§ 2/7 Title · 34% · ~6 min left" for a view showing `[top, bottom)`.

    Args:
        rest_unreadable: the essay is its first part for good (the rest could not be read).
    """
    text = essay.reading_text
    parts: list[str] = []
    section = essay.section_at(top)
    if section is not None:
        parts.append(f"§ {section.index + 1}/{len(essay.sections)} {section.title}")
    length = len(text) or 1
    percent = 100 if bottom >= len(text) else int(100 * bottom / length)
    parts.append(f"{percent}%")
    words_left = text.count(" ", top) + (1 if top < len(text) else 0)
    minutes = round(words_left / WORDS_PER_MINUTE)
    parts.append("done" if percent >= 100 else f"~{max(1, minutes)} min left")
    if not essay.complete:
        parts.append("first part only" if rest_unreadable else "loading the rest…")
    return " · ".join(parts)


class PassingMessage:
    """A message a widget shows for a while; a newer one replaces it, with its own time.

    Args:
        owner: the widget that shows it (its timer is the owner's).
        changed: redraws the owner when the message comes or goes.
    """

    def __init__(self, owner: Widget, changed: Callable[[], object]) -> None:
        self._owner = owner
        self._changed = changed
        self._expiry: Timer | None = None
        self.text = ""

    def show(self, message: str, seconds: float) -> None:
        """Show `message` for `seconds`."""
        self.text = message
        if self._expiry is not None:
            self._expiry.stop()
        self._expiry = self._owner.set_timer(seconds, self._expire, name="message-expiry")
        self._changed()

    def clear(self) -> None:
        """Take the message away now."""
        if self._expiry is not None:
            self._expiry.stop()
            self._expiry = None
        if self.text:
            self._expire()

    def _expire(self) -> None:
        self.text = ""
        self._expiry = None
        self._changed()


class StatusLine(Widget):
    """One line at the bottom: the reading status, or a message for a while.

    Drawn by `render` rather than being a `Static`: `Static.update` asks for a new
    layout of the whole screen, and the status changes on nearly every key.
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._status = ""
        self._message = PassingMessage(self, self.refresh)

    def render(self) -> Content:
        message = self._message.text
        if message and self._status:
            return Content(f"{message}   ·   {self._status}")
        return Content(message or self._status)

    def set_status(self, status: str) -> None:
        """Update the reading status (shown after any message)."""
        if status != self._status:
            self._status = status
            self.refresh()

    def say(self, message: str, seconds: float = 4.0) -> None:
        """Show a message for `seconds` (a new message replaces it, with its own time)."""
        self._message.show(message, seconds)

    @property
    def message(self) -> str:
        """The message on show, "" when none."""
        return self._message.text
