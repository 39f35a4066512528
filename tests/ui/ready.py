"""Waiting, as a reader does, until the reader is all there.

The side pane (Sources, Glossary, Notes) is mounted right after the first screen; one
`pilot.pause()` is not always enough for it on a busy machine. A test that looks at a pane
waits for it here rather than hoping one pause is enough.
"""

from __future__ import annotations

import time

from textual.pilot import Pilot

from essaytui.widgets.side_pane import SidePlaceholder

#: Seconds to wait for the pane. A pause may itself last up to a second (Textual waits for
#: the process to be idle), so the wait is bounded by the clock, not by a count of pauses.
LIMIT = 30.0


async def opened(pilot: Pilot[None]) -> None:
    """Return once the reader's side pane has arrived (or the app shows another screen)."""
    app = pilot.app
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        await pilot.pause()
        screen = app.screen
        panes = getattr(screen, "panes", None)  # the reader's layout; dialogs have none
        if not screen.query(SidePlaceholder) and getattr(panes, "side_ready", True):
            return
    raise AssertionError(f"the side pane did not arrive in {LIMIT:g} s")
