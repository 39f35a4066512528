"""The side pane's place on the first screen, until the pane itself arrives."""

from __future__ import annotations

from textual.widget import Widget


class SidePlaceholder(Widget):
    """Holds the side pane's place (its size and border) on the first screen.

    The pane (tabs and three lists, ~20 widgets, and the modules that make them) is built
    and mounted by the reader once the first screen is written (`ReaderScreen`): the essay
    is on screen sooner, and the layout does not move when the pane arrives. This module
    imports nothing of the pane's, so the first screen does not pay for its imports.
    """
