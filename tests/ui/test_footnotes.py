"""Footnotes through Pilot: peek, jump and back, the Sources pane, the edge cases."""

from __future__ import annotations

from pathlib import Path

from burst import burst
from ready import opened, reader, view_of
from textual.widgets import OptionList

from essaytui.app import EssayApp
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.targets import FootnoteRef, TermHit
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.peek import Peek
from essaytui.widgets.side_pane import SidePane
from essaytui.widgets.sources import SourcesPane
from essaytui.widgets.status import StatusLine

EDGES = Path(__file__).resolve().parents[1] / "data" / "ui" / "footnotes.md"


def status_text(app: EssayApp) -> str:
    return str(reader(app).query_one(StatusLine).render())


def peek_text(app: EssayApp) -> str:
    peek = reader(app).query_one(Peek)
    assert not peek.has_class("-hidden")
    return str(peek.render())


async def test_f_selects_from_the_top_peeks_without_scrolling_and_wraps() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        essay = view.essay
        refs = essay.footnote_refs
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(view.target, FootnoteRef)
        assert (view.target.start, view.target.end, view.target.label) == refs[0]
        assert view.scroll_y == 0
        note = essay.footnotes_by_label[refs[0][2]]
        assert note.text[:40] in peek_text(app).replace("\n", " ")
        # the peek sits under the line of the reference
        peek = reader(app).query_one(Peek)
        row = view.layout_lines.line_at(view.target.start) - round(view.scroll_y)
        assert peek.region.y == view.scrollable_content_region.y + row + 1
        await pilot.press("f")
        assert view.target.start == refs[1][0]
        await pilot.press("F")
        assert view.target.start == refs[0][0]
        # from the middle of the essay, f starts at the top of the view
        await pilot.press("escape")
        assert view.target is None
        # put the fourth reference ten lines below the top
        view.scroll_to(y=view.layout_lines.line_at(refs[3][0]) - 10, animate=False, immediate=True)
        await pilot.pause()
        top = view.top_offset
        scroll = view.scroll_y
        first_after = next(start for start, _, _ in refs if start >= top)
        assert first_after < view.bottom_offset
        await pilot.press("f")
        assert view.target is not None and view.target.start == first_after
        assert view.scroll_y == scroll
        # at the end: a message, then the first again
        await pilot.press("escape", "G")
        for _ in range(len(refs) + 1):
            await pilot.press("f")
            if view.target.start == refs[-1][0]:
                break
        assert view.target.start == refs[-1][0]
        await pilot.press("f")
        await pilot.pause()
        assert view.target.start == refs[0][0]
        assert "back to the first" in status_text(app)


async def test_enter_opens_the_source_and_backspace_returns_exactly() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("j", "j", "f")
        top, item = view.top_offset, view.target
        assert item is not None
        await pilot.press("enter")
        await pilot.pause()
        screen = reader(app)
        sources = screen.query_one(SourcesPane)
        assert screen.query_one(SidePane).active == "sources-tab"
        assert sources.has_focus
        assert isinstance(item, FootnoteRef)
        assert sources.highlighted_label == item.label
        assert screen.query_one(Peek).has_class("-hidden")
        await pilot.press("backspace")
        await pilot.pause()
        assert view.has_focus
        assert view.top_offset == top
        assert view.target == item


async def test_two_level_jump_and_back_survives_a_resize() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        essay = view.essay
        await pilot.press("right_square_bracket", "j", "j", "j", "f")
        first_top, first_item = view.top_offset, view.target
        assert first_item is not None
        await pilot.press("enter")  # level 1: into Sources
        await pilot.pause()
        # choose another source and go to its reference in the essay: level 2
        other = essay.footnotes[-1]
        sources = reader(app).query_one(SourcesPane)
        sources.highlighted = sources.get_option_index(f"note:{other.label}")
        await pilot.press("enter")
        await pilot.pause()
        assert view.has_focus
        assert isinstance(view.target, FootnoteRef) and view.target.label == other.label
        # the jump from Sources pushed nothing new: the place before it equals level 1
        assert view.top_offset != first_top
        assert len(reader(app).reading.navigator._back) == 1
        await pilot.press("t")  # a term, then follow it: level 3
        await pilot.pause()
        third_top, third_item = view.top_offset, view.target
        assert isinstance(third_item, TermHit)
        await pilot.press("enter")
        await pilot.pause()
        assert len(reader(app).reading.navigator._back) == 2
        assert reader(app).query_one(SidePane).active == "glossary-tab"
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        assert (view.top_offset, view.target) == (third_top, third_item)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        # the level before choosing the source: the Sources pane jump came from first_top
        assert view.target == first_item
        assert view.top_offset == first_top
        # nothing left to go back to: the key is gone from the hints and does nothing
        hints = reader(app).query_one(KeyHints).hints().plain
        assert "Back" not in hints
        await pilot.press("backspace")
        await pilot.pause()
        assert (view.top_offset, view.target) == (first_top, first_item)


async def test_enter_on_a_source_cycles_through_its_references() -> None:
    app = EssayApp(EDGES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()  # the side pane comes a frame after the essay
        view = view_of(app)
        shared = view.essay.footnotes_by_label["shared"]
        assert len(shared.refs) == 3
        sources = reader(app).query_one(SourcesPane)
        seen = []
        for _ in range(4):
            await pilot.press("3")
            sources.highlighted = sources.get_option_index("note:shared")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(view.target, FootnoteRef) and view.target.label == "shared"
            seen.append(view.target.start)
        assert seen == [start for start, _ in shared.refs] + [shared.refs[0][0]]
        assert "Reference 1 of 3" in status_text(app)
        # a note never referenced says so
        await pilot.press("3")
        sources.highlighted = sources.get_option_index("note:orphan")
        await pilot.press("enter")
        await pilot.pause()
        assert "never referenced" in status_text(app)


async def test_footnote_edge_cases_are_shown() -> None:
    app = EssayApp(EDGES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        view = view_of(app)
        essay = view.essay
        # warned at open, not crashed
        assert "⚠" in status_text(app) and "missing" in status_text(app)
        # the undefined reference is visible as written
        missing = essay.footnotes_by_label["missing"]
        start, end = missing.refs[0]
        assert essay.reading_text[start:end] == "[^missing]"
        screen_text = "\n".join(
            "".join(segment.text for segment in view.render_line(y))
            for y in range(view.scrollable_content_region.height)
        )
        assert "[^missing]" in screen_text
        # duplicates: the first wins
        assert essay.footnotes_by_label["dup"].text == "The first definition wins."
        # references in a heading, a list and a quote are numbered in order
        assert [note.label for note in essay.footnotes if note.number][:5] == [
            "head",
            "dup",
            "list",
            "shared",
            "quote",
        ]
        sources = reader(app).query_one(SourcesPane)
        prompts = {
            option.id: str(option.prompt)
            for option in (sources.get_option_at_index(i) for i in range(sources.option_count))
        }
        assert "never referenced" in prompts["note:orphan"]
        assert "never defined" in prompts["note:missing"]
        assert prompts["note:shared"].count("↩") == 3
        # a note with several paragraphs and Chinese text keeps both
        assert "Its second paragraph" in prompts["note:shared"]
        assert "中俄全面战略协作伙伴关系" in prompts["note:shared"]
        # the undefined reference peeks and its source says so
        await pilot.press("f", "f")
        assert isinstance(view.target, FootnoteRef) and view.target.label == "missing"
        assert "never defined" in peek_text(app)


async def test_a_click_on_a_marker_follows_it() -> None:
    app = EssayApp(EDGES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.pause()
        essay = view.essay
        start, end, label = essay.footnote_refs[2]
        layout = view.layout_lines
        line_index = layout.line_at(start)
        y = line_index - round(view.scroll_y)
        # find the x of the marker by asking the view where each cell lands
        region = view.scrollable_content_region
        x = next(
            x
            for x in range(region.width)
            if view.offset_at(x, y) is not None and start <= (view.offset_at(x, y) or 0) < end
        )
        await pilot.click(
            EssayView, offset=(x + region.x - view.region.x, y + region.y - view.region.y)
        )
        await pilot.pause()
        assert reader(app).query_one(SidePane).active == "sources-tab"
        assert reader(app).query_one(SourcesPane).highlighted_label == label
        await pilot.press("backspace")
        assert isinstance(view.target, FootnoteRef) and view.target.label == label


async def test_links_in_sources_show_the_url_and_ask_first() -> None:
    app = EssayApp(EDGES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()  # the side pane comes a frame after the essay
        sources = reader(app).query_one(SourcesPane)
        url = "https://example.org/a/very/long/path/that/goes/on/and/on?query=value&more=1"
        link_ids = [
            option.id
            for option in (sources.get_option_at_index(i) for i in range(sources.option_count))
            if option.id and option.id.startswith("link:")
        ]
        prompts = {i: str(sources.get_option(i).prompt) for i in link_ids}
        web = next(i for i, prompt in prompts.items() if url in prompt)
        # an address behind a Markdown link in a note is offered too
        assert "https://example.org/a" in prompts["link:shared:0"]
        await pilot.press("3")
        sources.highlighted = sources.get_option_index(web)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert url in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        bad = next(i for i, prompt in prompts.items() if "javascript:" in prompt)
        sources.highlighted = sources.get_option_index(bad)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert "Not opened (only http, https and mailto" in status_text(app)


async def test_command_palette_goes_to_a_footnote() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await burst(pilot, "go to footnote 3")  # typed as fast as a terminal sends it
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        screen = reader(app)
        assert screen.query_one(SidePane).active == "sources-tab"
        note = view_of(app).essay.footnotes[2]
        assert note.number == 3
        assert screen.query_one(SourcesPane).highlighted_label == note.label
        assert isinstance(app.focused, OptionList)
