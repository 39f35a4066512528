"""The reader screen's parts (`essaytui.screens.reading`), each driven through its own
methods on the real app, and the routing table that gives the screen its actions."""

from __future__ import annotations

from pathlib import Path

from ready import opened, reader
from textual.actions import parse

from essaytui.app import EssayApp
from essaytui.model.annotation import Kind
from essaytui.screens.reader import ROUTES, ReaderScreen
from essaytui.screens.reading.annotations import Annotations
from essaytui.screens.reading.finding import Finding
from essaytui.screens.reading.keys import READER_BINDINGS, READER_COMMANDS
from essaytui.screens.reading.layout import PaneLayout
from essaytui.screens.reading.navigation import Navigation
from essaytui.screens.reading.quoting import Quoting
from essaytui.sessions.layout import MEASURE_MAX, MEASURE_SETTING, Want, Wants
from essaytui.sessions.targets import FootnoteRef
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.reader_panes import ReaderPanes
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.side_pane import SidePane
from essaytui.widgets.status import StatusLine

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.md"


def test_every_action_of_the_reader_is_routed_to_a_method_of_a_part() -> None:
    names = {parse(binding.action)[1] for binding in READER_BINDINGS}
    names |= {parse(command)[1] for _, _, command in READER_COMMANDS}
    for name in names:
        assert callable(getattr(ReaderScreen, f"action_{name}", None)), name
    parts: dict[str, type] = {
        "finding": Finding,
        "navigation": Navigation,
        "panes": PaneLayout,
        "annotations": Annotations,
        "quoting": Quoting,
    }
    for name, (part, method) in ROUTES.items():
        assert name in names, f"{name} is routed but bound to no key or command"
        assert callable(getattr(parts[part], method, None)), (name, part, method)


async def test_the_layout_shows_what_its_plan_says() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        panes = screen.panes
        outline = screen.query_one(OutlinePane)
        before = panes.outline_shown
        assert before == (not outline.has_class("-hidden"))
        panes.toggle_outline()
        await pilot.pause()
        assert panes.outline_shown is not before
        assert panes.outline_shown == (not outline.has_class("-hidden"))
        panes.toggle_side()
        await pilot.pause()
        side = screen.query_one(SidePane)
        assert panes.side_shown == (not side.has_class("-hidden"))
        panes.toggle_focus_mode()
        await pilot.pause()
        assert not panes.outline_shown and not panes.side_shown
        assert "Focus" in screen.status.message


async def test_the_measure_stops_at_its_limit_and_is_remembered() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        panes = screen.panes
        panes.want(measure=MEASURE_MAX - 2)
        panes.change_measure(4)
        assert panes.wants.measure == MEASURE_MAX
        assert screen.store.get_setting(MEASURE_SETTING) == str(MEASURE_MAX)
        panes.change_measure(4)
        assert panes.wants.measure == MEASURE_MAX
        assert "already" in screen.status.message


async def test_the_side_pane_runs_what_waited_for_it() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        panes = reader(app).panes
        ran: list[str] = []
        panes.side_ready = False
        assert not panes.side_here(lambda: ran.append("later"))
        assert ran == []
        panes.side_arrived()
        assert ran == ["later"]
        assert panes.side_here(lambda: ran.append("never"))
        assert ran == ["later"]


async def test_navigation_goes_back_exactly_and_cycles_references() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        navigation, view = screen.navigation, screen.view
        start = view.top_offset
        last = screen.essay.sections[-1].start
        navigation.jump_to(last)
        await pilot.pause()
        assert view.top_offset != start
        navigation.back()
        await pilot.pause()
        assert view.top_offset == start
        navigation.back()
        assert screen.status.message == "Nothing to go back to."
        note = screen.essay.footnotes_by_label["xinhua"]
        assert len(note.refs) == 2
        navigation.source_chosen("xinhua")
        first = view.target
        navigation.source_chosen("xinhua")
        await pilot.pause()
        assert isinstance(first, FootnoteRef) and isinstance(view.target, FootnoteRef)
        assert (first.start, view.target.start) == (note.refs[0][0], note.refs[1][0])
        assert "Reference 2 of 2" in screen.status.message


async def test_finding_opens_steps_and_clears() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        finding = screen.finding
        bar, status = screen.query_one(SearchBar), screen.query_one(StatusLine)
        finding.open()
        await pilot.pause()
        assert bar.display and not status.display
        finding.run("the")
        hits = len(screen.search.hits)
        assert hits >= 2
        current = screen.search.current
        finding.step(1)
        assert screen.search.current == (current + 1) % hits
        finding.clear()
        await pilot.pause()
        assert not screen.search.hits and not bar.display and status.display
        assert bar.input.value == ""


async def test_annotations_bookmark_and_undo_and_hint_without_a_selection() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        annotations = screen.annotations
        annotations.highlight()
        assert screen.status.message.startswith("Select text first")
        annotations.bookmark()
        kinds = [a.kind for a in screen.notes.annotations]
        assert kinds == [Kind.BOOKMARK]
        annotations.undo()
        assert [a for a in screen.notes.annotations if not a.is_deleted] == []


async def test_quoting_exports_and_needs_a_quotation_to_write() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        quoting = screen.quoting
        quoting.write_quotation()
        assert screen.status.message.startswith("No quotation yet")
        screen.annotations.bookmark()
        quoting.export()
        assert quoting.last_export is not None and quoting.last_export.is_file()
        assert "Exported 1 annotations" in screen.status.message


async def test_peeking_says_what_an_undefined_reference_is() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        peeking = reader(app).peeking
        text, more = peeking.text_for(FootnoteRef(0, 1, "nowhere"))
        assert text == "[^nowhere] is referenced but never defined." and more == ""
        text, more = peeking.text_for(FootnoteRef(0, 1, "xinhua"))
        assert "enter: open in Sources" in text and more


async def test_the_row_of_panes_computes_its_plan_from_what_is_wanted() -> None:
    app = EssayApp(TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        row = screen.query_one(ReaderPanes)
        outline = screen.query_one(OutlinePane)
        row.wants = Wants(outline=Want.HIDDEN, measure=row.wants.measure)
        await pilot.pause()
        assert row.plan is not None and row.plan.outline == 0 and not row.plan.outline_over
        assert outline.has_class("-hidden")
        row.width = 60  # no room beside the text: an outline asked for opens over it
        row.wants = Wants(outline=Want.SHOWN)
        await pilot.pause()
        assert row.plan is not None and row.plan.outline_over
        assert outline.has_class("-over") and not outline.has_class("-hidden")
