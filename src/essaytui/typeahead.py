"""Keys typed ahead of the screen go where the reader meant them, in order.

A terminal hands the app a burst of keys in one read (fast typing, a paste without
bracketed paste, a text expander, `tmux send-keys -l`). Textual takes each key from the
app's queue and hands it to the widget focused *at that moment*, then takes the next one
at once, while the first is still travelling: the focused widget handles it, then it
bubbles up widget by widget, and most bindings run only when it reaches the app. So in
`/empathy` the `/` opens the search bar long after `empathy` was handed to the essay
view, and the letters run as reader commands (`m` bookmarks, `a` annotates); a note
typed fast and ended with `ctrl+s` is saved before its last characters are in.

`TypeaheadApp` hands keys over one at a time: a key goes to the focused widget only
once the key before it has been handled all the way (by the widget, each parent it
bubbled to, the app's bindings, and what those queued on the app), so every key finds
the focus its predecessors left. Keys that arrive meanwhile wait, in order.

"Handled" includes the messages the key's action posted (the search bar's Closed, a
pane's request to the reader): the next key waits until every widget has emptied its
queue, or `SETTLE_ROUNDS` turns have passed.

An action that opens an input *later* (a screen being pushed, a message another widget
acts on) calls `hold_keys()`: the keys after it wait until an input has the focus, and
then go to it, in order.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

ReturnType = TypeVar("ReturnType")

#: Longest wait for an input to take the focus before held keys are let go.
HOLD_SECONDS = 1.0
#: Longest wait for one key to be handled before the next is let go anyway (a widget
#: removed while it held a key never reports back).
KEY_SECONDS = 2.0
#: Most turns of the app's queue a key's consequences are waited for (each is quick:
#: a turn ends as soon as the other widgets have had theirs).
SETTLE_ROUNDS = 50
#: How often a wait looks whether it is over.
POLL_SECONDS = 0.01


def takes_text(widget: Widget | None) -> bool:
    """Whether `widget` is where typed characters go (an input or a text area)."""
    if isinstance(widget, Input):
        return True
    # TextArea's modules are not imported for the first screen (the note editor brings
    # them): before that, no widget can be one.
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)


def hold_keys(
    widget: Widget, *, until: Callable[[], bool] | None = None, seconds: float = HOLD_SECONDS
) -> None:
    """Hold the keys typed after this one until an input takes the focus, or until
    `until()` is true (see module and `TypeaheadApp.hold_keys`)."""
    app = widget.app
    if isinstance(app, TypeaheadApp):
        app.hold_keys(until=until, seconds=seconds)


def drop_held_keys(widget: Widget) -> None:
    """Forget the keys waiting for their turn (they were meant for a screen that is
    not coming: a note editor whose save failed stays open)."""
    app = widget.app
    if isinstance(app, TypeaheadApp):
        app.drop_held_keys()


class TypeaheadApp(App[ReturnType]):
    """An `App` that hands keys to widgets one at a time, in the order they were typed."""

    def __init__(self) -> None:
        super().__init__()
        self._waiting: list[events.Key] = []
        #: The key on its way through the widgets, if any.
        self._in_flight: events.Key | None = None
        self._in_flight_until = 0.0
        #: While an input is on its way: the focus when the hold began, and until when.
        self._holding = False
        self._held_since: Widget | None = None
        self._hold_until = 0.0
        self._hold_done: Callable[[], bool] | None = None
        self._watchdog: Timer | None = None

    # -- holding for an input ---------------------------------------------------------

    def hold_keys(
        self, *, until: Callable[[], bool] | None = None, seconds: float = HOLD_SECONDS
    ) -> None:
        """Hold the keys that come next until a new input or text area has the focus.

        Call it from an action that will focus an input later. The hold ends when an
        input other than the one focused now has the focus, or after `seconds`. With
        `until`, it ends when `until()` is true instead (an action that closes a screen
        later: the keys typed after it go to the screen below, not into the closing one).
        """
        if not self._holding:
            self._holding = True
            self._held_since = self.focused
            self._hold_done = until
        self._hold_until = time.monotonic() + seconds
        self._watch()

    def drop_held_keys(self) -> None:
        """Forget the keys waiting for their turn."""
        self._waiting.clear()

    def _watch(self) -> None:
        if self._watchdog is None:
            self._watchdog = self.set_interval(POLL_SECONDS, self._check_waits)

    async def _check_waits(self) -> None:
        now = time.monotonic()
        if self._holding:
            focused = self.focused
            if self._hold_done is not None:
                done = self._hold_done()
            else:
                done = takes_text(focused) and focused is not self._held_since
            if done or now >= self._hold_until:
                self._holding = False
                self._held_since = None
                self._hold_done = None
        if self._in_flight is not None and now >= self._in_flight_until:
            self._in_flight = None
        if not self._holding and self._in_flight is None:
            if self._watchdog is not None:
                self._watchdog.stop()
                self._watchdog = None
            await self._next_key()

    # -- one key at a time ----------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._waiting.append(event)
            await self._next_key()
            return
        await super().on_event(event)

    async def _next_key(self) -> None:
        """Hand over waiting keys until one is on its way or a hold begins."""
        while self._waiting and self._in_flight is None and not self._holding:
            event = self._waiting.pop(0)
            target: DOMNode = self.focused or self.screen
            await super().on_event(event)  # priority bindings, else forwarded to `target`
            if not event.is_forwarded:
                continue
            if takes_text(self.focused) and event.is_printable:
                # Characters typed into an input are inserted in order by the input itself
                # and move no focus: hand over the whole run at once (as fast as Textual
                # alone), and wait only after its last character.
                while self._waiting and self._waiting[0].is_printable and self.focused is target:
                    event = self._waiting.pop(0)
                    await super().on_event(event)
            self._in_flight = event
            self._in_flight_until = time.monotonic() + KEY_SECONDS
            self._watch()
            target.call_later(self._handled_by, event, target)

    def _handled_by(self, event: events.Key, node: DOMNode) -> None:
        """`node` has handled `event`: follow it to the parent it bubbled to, or finish."""
        if event is not self._in_flight:
            return  # given up on (KEY_SECONDS) or already finished
        parent = node.parent
        if stopped(event) or parent is None:
            # One more turn of the app's queue: what the key's action queued there (such
            # as Widget.focus, which waits a turn) runs before the next key is handed over.
            self.call_later(self._key_done, event)
        elif not parent.call_later(self._handled_by, event, parent):
            self.call_later(self._key_done, event)  # the parent is closing

    async def _key_done(self, event: events.Key, rounds: int = 0) -> None:
        if event is not self._in_flight:
            return
        if rounds < SETTLE_ROUNDS and not self._settled():
            # The key's action posted messages (the search bar's Closed, a pane's request)
            # that move the focus when handled: let the other widgets run (a queue that
            # is not empty hands out its next message without yielding), then let this
            # app's own queue run (Widget.focus waits there), then look again.
            await asyncio.sleep(0)
            self.call_later(self._key_done, event, rounds + 1)
            return
        self._in_flight = None
        await self._next_key()

    def _settled(self) -> bool:
        """Whether the app and the screen on top have handled all their messages.

        Only the screen on top: a key goes to it, and what its action posts goes to its
        widgets, itself or the app (a dialog's result reaches the screen below through
        the app, once that screen is on top again). The screens underneath hold dozens
        of widgets each that no key reaches.
        """
        return self.message_queue_size == 0 and all(
            node.message_queue_size == 0 for node in self.screen.walk_children(with_self=True)
        )


def stopped(message: Message) -> bool:
    """Whether `message` was stopped (`Message.stop`) and bubbles no further.

    Textual keeps this in `Message._stop_propagation` and offers no public way to read
    it; `tests/unit/test_typeahead_textual.py` fails loudly if that changes.
    """
    return bool(message._stop_propagation)
