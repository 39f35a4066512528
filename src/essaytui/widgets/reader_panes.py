"""The row of panes under the reader's bars: the outline, the essay and the side pane,
placed by the layout plan (`sessions.layout`) that follows from what the reader asked
(`wants`), the terminal's width and whether the essay has footnotes."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.reactive import var
from textual.widget import Widget

from essaytui.sessions.layout import Plan, Wants, plan
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.side_placeholder import SidePlaceholder


class ReaderPanes(Horizontal):
    """Outline, essay and side pane, each beside the text, over it, or hidden."""

    #: What the reader asked of the panes and of the text's measure.
    wants: var[Wants] = var(Wants, init=False)
    #: The terminal's width, in cells (0 until it is known).
    width: var[int] = var(0, init=False)
    #: Whether the essay has footnote references (sidenotes need some).
    footnotes: var[bool] = var(False, init=False)
    #: Where everything goes: computed from the three above, None until the width is known.
    plan: var[Plan | None] = var(None, init=False)

    def compute_plan(self) -> Plan | None:
        if not self.width:
            return None
        wants = self.wants
        return plan(
            self.width,
            wants.measure,
            outline=wants.outline,
            side=wants.side,
            sidenotes=wants.sidenotes and self.footnotes,
            focus=wants.focus,
        )

    def watch_plan(self, old: Plan | None, new: Plan | None) -> None:
        # Textual calls a computed reactive's watcher on every read: place on a change only.
        if new is not None and new != old:
            self.place(new)

    def place(self, plan: Plan) -> None:
        """Put every pane where `plan` says (also the side pane, once it arrives)."""
        with self.app.batch_update():
            for outline in self.query(OutlinePane):
                _place(outline, plan.outline, plan.outline_over)
            # by name: the pane's module is imported only when it arrives
            for side in self.query("SidePane"):
                _place(side, plan.side, plan.side_over)
            for placeholder in self.query(SidePlaceholder):
                _place(placeholder, plan.side, False)
            for view in self.query(EssayView):
                view.text_width = plan.text
                view.sidenote_width = plan.sidenotes


def _place(pane: Widget, width: int, over: bool) -> None:
    """Show `pane` beside the essay (`width` cells), over it, or not at all."""
    pane.set_class(not width and not over, "-hidden")
    pane.set_class(over, "-over")
    pane.styles.width = width or None  # over the essay, the stylesheet gives the width
