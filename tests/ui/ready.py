"""An opened reader, as the UI tests find it: waiting until it is all there, and its parts.

The side pane (Sources, Glossary, Notes) is mounted right after the first screen; one
`pilot.pause()` is not always enough for it on a busy machine. A test that looks at a pane
waits for it here rather than hoping one pause is enough.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from textual.command import CommandList
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.screens.reader import ReaderScreen
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.side_placeholder import SidePlaceholder

#: Seconds to wait for the pane. A pause may itself last up to a second (Textual waits for
#: the process to be idle), so the wait is bounded by the clock, not by a count of pauses.
LIMIT = 30.0
#: Seconds between looks at whether another screen (a dialog) came over the reader.
LOOK = 0.05


async def opened(pilot: Pilot[Any]) -> None:
    """Return once the reader's side pane has arrived (or the app shows another screen).

    The reader says when its pane is mounted (`screen.panes.side_here`): the wait ends on
    that, not on a count of pauses, each of which waits for the whole process to idle.
    """
    app = pilot.app
    await pilot.pause()
    screen = app.screen
    deadline = time.monotonic() + LIMIT
    if isinstance(screen, ReaderScreen):
        arrived = asyncio.Event()
        if not screen.panes.side_here(arrived.set):
            while not arrived.is_set() and app.screen is screen:
                if time.monotonic() > deadline:
                    raise AssertionError(f"the side pane did not arrive in {LIMIT:g} s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(arrived.wait(), LOOK)
    # the placeholder steps out once the pane is in
    while app.screen.query(SidePlaceholder):
        if time.monotonic() > deadline:
            raise AssertionError(f"the side pane did not arrive in {LIMIT:g} s")
        await pilot.pause()


def reader(app: EssayApp) -> ReaderScreen:
    """The reader screen, which must be the one showing (no dialog over it)."""
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def view_of(app: EssayApp) -> EssayView:
    """The essay view of the reader showing (no dialog over it)."""
    return reader(app).query_one(EssayView)


async def until(pilot: Pilot[Any], holds: Callable[[], object], what: str) -> None:
    """Pause until `holds()` is true (work the app finishes in its own time: a worker, a
    position saved after the first frame), failing after `LIMIT` seconds with `what`."""
    deadline = time.monotonic() + LIMIT
    while not holds():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not so after {LIMIT:g} s")
        await pilot.pause(LOOK)


async def palette_listed(pilot: Pilot[Any]) -> None:
    """Return once the command palette showing has searched for what was typed into it
    (a worker for each key) and lists what it found. (The tests waited 5 s here, looking
    for option widgets an OptionList does not have.)"""
    app = pilot.app
    commands = app.screen.query_one(CommandList)
    await app.workers.wait_for_complete()  # the search for the last key typed
    await until(pilot, lambda: commands.option_count, "the palette lists what it found")
