"""Where the text and the panes go: what the reader asked of them (o, p, 1…5, z, the
measure, sidenotes), the plan that follows at the current width (`sessions.layout`),
and the panes placed by it. Whether a pane shows is read from the plan, never back
from the widgets."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from textual.widget import Widget

from essaytui.screens.reading.reading import Reading
from essaytui.sessions.layout import (
    MEASURE,
    MEASURE_MAX,
    MEASURE_MIN,
    MEASURE_SETTING,
    SIDENOTES_SETTING,
    Plan,
    Want,
    plan,
)
from essaytui.store import AnnotationStore, StoreError
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.side_pane import SidePane, SidePlaceholder
from essaytui.widgets.sources import SourcesPane


class PaneLayout:
    """The panes' places on the reader screen, and the keys that change them."""

    def __init__(self, reading: Reading, placed: Callable[[], None]) -> None:
        """`placed` runs after the panes moved (the peek follows them)."""
        self.reading = reading
        self._placed = placed
        store = reading.store
        #: What the reader asked of the panes (o, p, 1…5, z) and of the text's measure.
        self.outline_want = Want.AUTO
        self.side_want = Want.AUTO
        self.focus_mode = False
        self.measure = _setting_int(store, MEASURE_SETTING, MEASURE, MEASURE_MIN, MEASURE_MAX)
        self.sidenotes_on = store.get_setting(SIDENOTES_SETTING) != "off"
        #: Where the text and the panes go at the current width.
        self.plan: Plan | None = None
        self.side_ready = False
        self._after_side: list[Callable[[], object]] = []

    # -- the plan -------------------------------------------------------------------------

    def relayout(self, width: int | None = None) -> None:
        """Lay the screen out again (after a resize, or a pane, focus or measure change)."""
        screen = self.reading.screen
        new = plan(
            width or screen.size.width or screen.app.size.width,
            self.measure,
            outline=self.outline_want,
            side=self.side_want,
            sidenotes=self.sidenotes_on and bool(self.reading.essay.footnote_refs),
            focus=self.focus_mode,
        )
        if new != self.plan:
            self.plan = new
            self._apply(new)

    def _apply(self, plan: Plan) -> None:
        screen = self.reading.screen
        screen.set_class(self.narrow, "-narrow")
        with screen.app.batch_update():
            _place(screen.query_one(OutlinePane), plan.outline, plan.outline_over)
            for side in screen.query(SidePane):
                _place(side, plan.side, plan.side_over)
            for placeholder in screen.query(SidePlaceholder):
                _place(placeholder, plan.side, False)
            view = self.reading.view
            view.text_width = plan.text
            view.sidenote_width = plan.sidenotes
        self._placed()

    @property
    def narrow(self) -> bool:
        """Whether the panes open over the essay (no room beside it)."""
        return self.plan is None or (self.plan.outline == 0 and self.plan.side == 0)

    @property
    def outline_shown(self) -> bool:
        """Whether the outline is on screen (beside the text or over it)."""
        return self.plan is not None and bool(self.plan.outline or self.plan.outline_over)

    @property
    def side_shown(self) -> bool:
        """Whether the side pane is on screen (beside the text or over it)."""
        return self.plan is not None and bool(self.plan.side or self.plan.side_over)

    @property
    def covered(self) -> bool:
        """Whether a pane lies over the text."""
        return self.plan is not None and (self.plan.outline_over or self.plan.side_over)

    # -- the side pane, mounted a frame after the essay ---------------------------------

    def side_here(self, then: Callable[[], object]) -> bool:
        """Whether the side pane is mounted; if not, `then` runs as soon as it is."""
        if self.side_ready:
            return True
        self._after_side.append(then)
        return False

    def side_arrived(self, pane: SidePane) -> None:
        """The side pane is mounted: place it, then run what waited for it."""
        self.side_ready = True
        if self.plan is None:
            self.relayout()
        else:
            _place(pane, self.plan.side, self.plan.side_over)
        waiting, self._after_side = self._after_side, []
        for then in waiting:
            then()

    def show_side(self, pane: str) -> None:
        """Show the side pane at `pane` (beside the text if it fits, else over it)."""
        if not self.side_shown:
            self.side_want = Want.SHOWN
            self.relayout()
        self.reading.screen.query_one(SidePane).show_tab(pane)

    def hide_side_if_narrow(self) -> None:
        """After a jump from a pane over the essay, give the essay the screen back."""
        if self.plan is not None and self.plan.side_over:
            self.side_want = Want.AUTO
            self.relayout()

    def give_text_back(self) -> None:
        """An outline opened over the essay closes (a section was chosen in it)."""
        if self.plan is not None and self.plan.outline_over:
            self.outline_want = Want.AUTO
            self.relayout()

    # -- the keys --------------------------------------------------------------------------

    def toggle_outline(self) -> None:
        """o: show or hide the outline."""
        outline = self.reading.screen.query_one(OutlinePane)
        shown = self.outline_shown
        self.outline_want = Want.HIDDEN if shown else Want.SHOWN
        self.relayout()
        if shown and outline.has_focus:
            self.reading.view.focus()
        elif not shown and self.plan is not None and self.plan.outline_over:
            outline.focus()

    def toggle_side(self) -> None:
        """p: show or hide the side pane."""
        if not self.side_here(self.toggle_side):
            return
        screen = self.reading.screen
        side = screen.query_one(SidePane)
        shown = self.side_shown
        self.side_want = Want.HIDDEN if shown else Want.SHOWN
        self.relayout()
        focused = screen.focused
        if shown and focused is not None and side in focused.ancestors:
            self.reading.view.focus()

    def toggle_focus_mode(self) -> None:
        """z: the essay alone, or the panes back."""
        self.focus_mode = not self.focus_mode
        self.outline_want = self.side_want = Want.AUTO
        self.relayout()
        self.reading.view.focus()
        self.reading.say(
            "Focus: the essay alone (z again for the panes)." if self.focus_mode else "Panes back."
        )

    def change_measure(self, step: int) -> None:
        """+/-: a wider or narrower text column (remembered)."""
        say = self.reading.say
        measure = max(MEASURE_MIN, min(MEASURE_MAX, self.measure + step))
        if measure == self.measure:
            say(f"The text is already {measure} cells wide (from {MEASURE_MIN} to {MEASURE_MAX}).")
            return
        self.measure = measure
        self.relayout()
        with contextlib.suppress(StoreError):
            self.reading.store.set_setting(MEASURE_SETTING, str(measure), wait=False)
        say(f"Text {measure} cells wide (at most; the terminal may leave less).")

    def toggle_sidenotes(self) -> None:
        """Footnotes in the margin, or in peeks (remembered)."""
        self.sidenotes_on = not self.sidenotes_on
        self.relayout()
        with contextlib.suppress(StoreError):
            shown = "on" if self.sidenotes_on else "off"
            self.reading.store.set_setting(SIDENOTES_SETTING, shown, wait=False)
        self.reading.say(
            "Footnotes in the margin where there is room."
            if self.sidenotes_on
            else "Footnotes in peeks."
        )

    def focus_pane(self, pane: str) -> None:
        """1…5: focus (and show) Outline, Essay, Sources, Glossary or Notes."""
        screen = self.reading.screen
        if pane == "outline":
            if not self.outline_shown:
                self.outline_want = Want.SHOWN
                self.relayout()
            screen.query_one(OutlinePane).focus()
        elif pane == "essay":
            self.reading.view.focus()
            screen.query_one(Peek).hide()
            self.hide_side_if_narrow()
            self.give_text_back()
        elif self.side_here(lambda: self.focus_pane(pane)):
            if not self.side_shown:
                self.side_want = Want.SHOWN
                self.relayout()
            screen.query_one(SidePane).show_tab(pane)
            if pane == "sources":
                screen.query_one(SourcesPane).focus()
            elif pane == "glossary":
                screen.query_one(GlossaryPane).focus_list()
            else:
                screen.query_one(NotesPane).focus()


def _place(pane: Widget, width: int, over: bool) -> None:
    """Show `pane` beside the essay (`width` cells), over it, or not at all."""
    pane.set_class(not width and not over, "-hidden")
    pane.set_class(over, "-over")
    pane.styles.width = width or None  # over the essay, the stylesheet gives the width


def _setting_int(store: AnnotationStore, key: str, default: int, low: int, high: int) -> int:
    """A whole-number setting within `[low, high]`, or `default`."""
    try:
        value = int(store.get_setting(key) or default)
    except (ValueError, StoreError):
        return default
    return max(low, min(high, value))
