"""Waiting, as a reader does, until the reader is all there.

The side pane (Sources, Glossary, Notes) is mounted right after the first screen; one
`pilot.pause()` is not always enough for it on a busy machine. A test that looks at a pane
waits for it here rather than hoping one pause is enough.
"""

from __future__ import annotations

from textual.pilot import Pilot

from essaytui.widgets.side_pane import SidePlaceholder

LIMIT = 500  # pauses; each yields to the event loop (seconds, not minutes, at worst)


async def opened(pilot: Pilot[None]) -> None:
    """Return once the reader's side pane has arrived (or the app shows another screen)."""
    app = pilot.app
    for _ in range(LIMIT):
        await pilot.pause()
        screen = app.screen
        if not screen.query(SidePlaceholder) and getattr(screen, "_side_ready", True):
            return
    raise AssertionError("the side pane never arrived")
