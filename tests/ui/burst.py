"""Keys as people type them: a burst with no pause between the keys.

`Pilot.press` waits for the app to go idle after every key, which no terminal does: a
string typed fast, pasted without bracketed paste, or sent by a text expander arrives as
one read, and the app is handed every key before it has handled the first. `burst`
hands the driver all the keys at once, the way the terminal does, then waits.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot


def key_events(text: str) -> list[events.Key]:
    """One key event per character of `text` ("\\n" is enter), as a terminal sends them."""
    found: list[events.Key] = []
    for char in text:
        if char == "\n":
            found.append(events.Key("enter", "\r"))
        elif char.isalnum():
            found.append(events.Key(char, char))
        else:
            found.append(events.Key(_character_to_key(char), char))
    return found


async def burst(pilot: Pilot[Any], *parts: str | events.Key) -> None:
    """Send text and keys to the app with no pause between them, then wait for it.

    A `str` part is typed character by character; an `events.Key` part (e.g.
    `events.Key("ctrl+s", None)`) is sent as it is.
    """
    app: App[Any] = pilot.app
    driver = app._driver
    assert driver is not None
    for part in parts:
        for event in key_events(part) if isinstance(part, str) else [part]:
            event.set_sender(app)
            driver.send_message(event)
    await pilot.pause()
    await pilot.pause()
