"""The glossary in the reader through Pilot: t/T, peek, the entry, occurrences."""

from __future__ import annotations

from pathlib import Path

from burst import burst
from ready import opened, reader, view_of
from textual.widgets import Input, OptionList, Static

from essaytui.app import EssayApp
from essaytui.sessions.targets import TermHit
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.peek import Peek
from essaytui.widgets.side_pane import SidePane

EDGES = Path(__file__).resolve().parents[1] / "data" / "ui" / "footnotes.md"


def term_names(pane: GlossaryPane) -> list[str]:
    terms = pane.query_one("#glossary-terms", OptionList)
    options = [terms.get_option_at_index(i) for i in range(terms.option_count)]
    return [str(option.prompt).split("  ")[0] for option in options if not option.disabled]


async def test_t_selects_terms_with_a_peek_of_the_definition() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        essay = view.essay
        await pilot.press("t")
        await pilot.pause()
        first = view.target
        assert isinstance(first, TermHit)
        term = essay.terms_by_id[first.term_id]
        assert first.start >= view.top_offset
        peek = reader(app).query_one(Peek)
        assert not peek.has_class("-hidden")
        assert term.definition[:30] in str(peek.render()).replace("\n", " ")
        await pilot.press("t")
        assert view.target is not None and view.target.start > first.start
        await pilot.press("T")
        assert view.target == first


async def test_enter_opens_the_entry_and_an_occurrence_jumps_and_comes_back() -> None:
    app = EssayApp(EDGES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("t")
        item = view.target
        assert isinstance(item, TermHit) and item.term_id == "eurasian-economic-union"
        top = view.top_offset
        await pilot.press("enter")
        await pilot.pause()
        screen = reader(app)
        assert screen.query_one(SidePane).active == "glossary-tab"
        pane = screen.query_one(GlossaryPane)
        entry = str(pane.query_one("#glossary-entry", Static).render())
        assert "Eurasian Economic Union" in entry
        assert "A union of post-Soviet states founded in 2015." in entry
        assert "EEU" in entry
        assert "3 occurrences" in entry
        occurrences = pane.query_one("#glossary-occurrences", OptionList)
        assert occurrences.has_focus
        assert occurrences.option_count == 3
        assert occurrences.highlighted == 0  # the occurrence we came from
        # the second occurrence: the acronym
        await pilot.press("down", "enter")
        await pilot.pause()
        term = view.essay.terms_by_id["eurasian-economic-union"]
        assert view.has_focus
        assert view.target is not None and view.target.start == term.occurrences[1][0]
        assert view.essay.reading_text[view.target.start : view.target.end] == "EEU"
        await pilot.press("backspace")
        await pilot.pause()
        # back to the Glossary jump's origin: the place we were reading
        assert view.top_offset == top
        assert view.target == item


async def test_terms_are_alphabetical_and_typing_filters() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("4")
        await pilot.pause()
        pane = reader(app).query_one(GlossaryPane)
        names = term_names(pane)
        assert len(names) >= 25
        assert names == sorted(names, key=str.casefold)
        await pilot.press(*"obor")
        await pilot.pause()
        field = pane.query_one("#glossary-filter", Input)
        assert field.value == "obor"
        assert term_names(pane) == ["One Belt One Road"]
        await pilot.press("enter", "enter")
        await pilot.pause()
        entry = str(pane.query_one("#glossary-entry", Static).render())
        assert entry.startswith("One Belt One Road")


async def test_a_toggles_all_term_marks() -> None:
    app = EssayApp(EDGES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        first_per_section = list(view._visible_terms)
        # first per section: three terms in two sections
        assert len(first_per_section) == 6
        await pilot.press("A")
        assert len(view._visible_terms) == len(view.essay.term_occurrences) == 7
        await pilot.press("A")
        assert list(view._visible_terms) == first_per_section


async def test_command_palette_goes_to_a_term() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await burst(pilot, "go to term manchukuo")  # typed as fast as a terminal sends it
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        screen = reader(app)
        assert screen.query_one(SidePane).active == "glossary-tab"
        pane = screen.query_one(GlossaryPane)
        assert pane.term is not None and pane.term.name == "Manchukuo"


async def test_the_entry_highlights_the_occurrence_the_reader_came_from() -> None:
    app = EssayApp(EDGES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        term = view.essay.terms_by_id["eurasian-economic-union"]
        await pilot.press("A")
        while view.target is None or view.target.start != term.occurrences[1][0]:
            await pilot.press("t")
        await pilot.press("enter")
        await pilot.pause()
        pane = reader(app).query_one(GlossaryPane)
        assert pane.query_one("#glossary-occurrences", OptionList).highlighted == 1
