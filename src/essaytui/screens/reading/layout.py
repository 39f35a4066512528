"""Where the text and the panes go: what the reader asked of them (o, p, 1…5, z, the
measure, sidenotes), the plan that follows at the current width (`sessions.layout`),
and the panes placed by it. Whether a pane shows is read from the plan, never back
from the widgets."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace

from essaytui.screens.reading.reading import Reading
from essaytui.sessions.layout import (
    MEASURE,
    MEASURE_MAX,
    MEASURE_MIN,
    MEASURE_SETTING,
    SIDENOTES_SETTING,
    Plan,
    Want,
    Wants,
)
from essaytui.store import AnnotationStore, StoreError
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.reader_panes import ReaderPanes


class PaneLayout:
    """The panes' places on the reader screen, and the keys that change them.

    What the reader asked is `ReaderPanes.wants` (a reactive); the plan is computed from
    it and the width, and the panes follow (`ReaderPanes.watch_plan`). This part turns
    keys into new wants and says what changed.
    """

    def __init__(self, reading: Reading, placed: Callable[[], None]) -> None:
        """`placed` runs after the wants changed (the peek follows the panes)."""
        self.reading = reading
        self._placed = placed
        store = reading.store
        #: The wants until the panes are there (the measure and sidenotes remembered).
        self._first = Wants(
            measure=_setting_int(store, MEASURE_SETTING, MEASURE, MEASURE_MIN, MEASURE_MAX),
            sidenotes=store.get_setting(SIDENOTES_SETTING) != "off",
        )
        self.side_ready = False
        self._after_side: list[Callable[[], object]] = []

    @property
    def panes(self) -> ReaderPanes:
        """The row of panes."""
        return self.reading.screen.query_one(ReaderPanes)

    def start(self, width: int) -> None:
        """Lay the panes out for the first time, `width` cells wide."""
        panes = self.panes
        panes.footnotes = bool(self.reading.essay.footnote_refs)
        panes.wants = self._first
        self.resize(width)

    def resize(self, width: int) -> None:
        """The terminal is `width` cells wide now."""
        self.panes.width = width
        self._changed()

    def essay_changed(self) -> None:
        """Another essay, or the whole of this one: sidenotes need its footnotes."""
        self.panes.footnotes = bool(self.reading.essay.footnote_refs)
        self._changed()

    def want(self, **changes: object) -> None:
        """Ask for a new layout: `outline`, `side`, `focus`, `measure`, `sidenotes` (see
        `Wants`)."""
        panes = self.panes
        panes.wants = replace(panes.wants, **changes)  # type: ignore[arg-type]
        self._changed()

    def _changed(self) -> None:
        self.reading.screen.set_class(self.narrow, "-narrow")
        self._placed()

    @property
    def wants(self) -> Wants:
        """What the reader asked of the layout."""
        return self.panes.wants

    @property
    def plan(self) -> Plan | None:
        """Where the text and the panes go at the current width."""
        return self.panes.plan

    @property
    def narrow(self) -> bool:
        """Whether the panes open over the essay (no room beside it)."""
        plan = self.plan
        return plan is None or (plan.outline == 0 and plan.side == 0)

    @property
    def outline_shown(self) -> bool:
        """Whether the outline is on screen (beside the text or over it)."""
        plan = self.plan
        return plan is not None and bool(plan.outline or plan.outline_over)

    @property
    def side_shown(self) -> bool:
        """Whether the side pane is on screen (beside the text or over it)."""
        plan = self.plan
        return plan is not None and bool(plan.side or plan.side_over)

    @property
    def covered(self) -> bool:
        """Whether a pane lies over the text."""
        plan = self.plan
        return plan is not None and (plan.outline_over or plan.side_over)

    # -- the side pane, mounted a frame after the essay ---------------------------------

    def side_here(self, then: Callable[[], object]) -> bool:
        """Whether the side pane is mounted; if not, `then` runs as soon as it is."""
        if self.side_ready:
            return True
        self._after_side.append(then)
        return False

    def side_arrived(self) -> None:
        """The side pane is mounted: place it, then run what waited for it."""
        self.side_ready = True
        plan = self.plan
        if plan is not None:
            self.panes.place(plan)
        waiting, self._after_side = self._after_side, []
        for then in waiting:
            then()

    def show_side(self, pane: str) -> None:
        """Show the side pane at `pane` (beside the text if it fits, else over it)."""
        if not self.side_shown:
            self.want(side=Want.SHOWN)
        from essaytui.widgets.side_pane import SidePane  # (it arrives after the first screen)

        self.reading.screen.query_one(SidePane).show_tab(pane)

    def hide_side_if_narrow(self) -> None:
        """After a jump from a pane over the essay, give the essay the screen back."""
        if self.plan is not None and self.plan.side_over:
            self.want(side=Want.AUTO)

    def give_text_back(self) -> None:
        """An outline opened over the essay closes (a section was chosen in it)."""
        if self.plan is not None and self.plan.outline_over:
            self.want(outline=Want.AUTO)

    # -- the keys --------------------------------------------------------------------------

    def toggle_outline(self) -> None:
        """o: show or hide the outline."""
        outline = self.reading.screen.query_one(OutlinePane)
        shown = self.outline_shown
        self.want(outline=Want.HIDDEN if shown else Want.SHOWN)
        if shown and outline.has_focus:
            self.reading.view.focus()
        elif not shown and self.plan is not None and self.plan.outline_over:
            outline.focus()

    def toggle_side(self) -> None:
        """p: show or hide the side pane."""
        if not self.side_here(self.toggle_side):
            return
        screen = self.reading.screen
        from essaytui.widgets.side_pane import SidePane

        side = screen.query_one(SidePane)
        shown = self.side_shown
        self.want(side=Want.HIDDEN if shown else Want.SHOWN)
        focused = screen.focused
        if shown and focused is not None and side in focused.ancestors:
            self.reading.view.focus()

    def toggle_focus_mode(self) -> None:
        """z: the essay alone, or the panes back."""
        focus = not self.wants.focus
        self.want(focus=focus, outline=Want.AUTO, side=Want.AUTO)
        self.reading.view.focus()
        self.reading.say(
            "Focus: the essay alone (z again for the panes)." if focus else "Panes back."
        )

    def change_measure(self, step: int) -> None:
        """+/-: a wider or narrower text column (remembered)."""
        say = self.reading.say
        measure = max(MEASURE_MIN, min(MEASURE_MAX, self.wants.measure + step))
        if measure == self.wants.measure:
            say(f"The text is already {measure} cells wide (from {MEASURE_MIN} to {MEASURE_MAX}).")
            return
        self.want(measure=measure)
        with contextlib.suppress(StoreError):
            self.reading.store.set_setting(MEASURE_SETTING, str(measure), wait=False)
        say(f"Text {measure} cells wide (at most; the terminal may leave less).")

    def toggle_sidenotes(self) -> None:
        """Footnotes in the margin, or in peeks (remembered)."""
        sidenotes = not self.wants.sidenotes
        self.want(sidenotes=sidenotes)
        with contextlib.suppress(StoreError):
            shown = "on" if sidenotes else "off"
            self.reading.store.set_setting(SIDENOTES_SETTING, shown, wait=False)
        self.reading.say(
            "Footnotes in the margin where there is room." if sidenotes else "Footnotes in peeks."
        )

    def focus_pane(self, pane: str) -> None:
        """1…5: focus (and show) Outline, Essay, Sources, Glossary or Notes."""
        screen = self.reading.screen
        if pane == "outline":
            if not self.outline_shown:
                self.want(outline=Want.SHOWN)
            screen.query_one(OutlinePane).focus()
        elif pane == "essay":
            self.reading.view.focus()
            screen.query_one(Peek).hide()
            self.hide_side_if_narrow()
            self.give_text_back()
        elif self.side_here(lambda: self.focus_pane(pane)):
            if not self.side_shown:
                self.want(side=Want.SHOWN)
            from essaytui.widgets.glossary import GlossaryPane
            from essaytui.widgets.notes import NotesPane
            from essaytui.widgets.side_pane import SidePane
            from essaytui.widgets.sources import SourcesPane

            screen.query_one(SidePane).show_tab(pane)
            if pane == "sources":
                screen.query_one(SourcesPane).focus()
            elif pane == "glossary":
                screen.query_one(GlossaryPane).focus_list()
            else:
                screen.query_one(NotesPane).focus()


def _setting_int(store: AnnotationStore, key: str, default: int, low: int, high: int) -> int:
    """A whole-number setting within `[low, high]`, or `default`."""
    try:
        value = int(store.get_setting(key) or default)
    except (ValueError, StoreError):
        return default
    return max(low, min(high, value))
