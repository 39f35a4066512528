"""The essay comes first: the layout budget, sidenotes, peeks, focus, measure,
where the reader is, and the habits of less and vim, each driven through the real app."""

from __future__ import annotations

from pathlib import Path

from ready import opened
from textual.widgets import Input, OptionList

from essaytui.app import EssayApp
from essaytui.model.annotation import Kind
from essaytui.screens.about import AboutScreen
from essaytui.sessions.targets import FootnoteRef, MatchRef, TermHit
from essaytui.store import AnnotationStore
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.side_pane import SidePane
from essaytui.widgets.sources import SourcesPane


def row_text(view: EssayView, row: int) -> str:
    return "".join(segment.text for segment in view.render_line(row))


async def test_the_text_keeps_at_least_60_cells_beside_any_pane_at_every_width() -> None:
    app = EssayApp()
    async with app.run_test(size=(80, 40)) as pilot:
        await opened(pilot)
        screen = app.reader
        view = screen.view
        for width in [*range(80, 221, 3), 119, 120, 121, 159, 160, 200]:
            await pilot.resize_terminal(width, 40)
            await pilot.pause()
            beside = [
                pane
                for pane in (screen.query_one(OutlinePane), screen.query_one(SidePane))
                if pane.display and not pane.has_class("-over")
            ]
            if beside:
                assert view.column_width >= 60, (width, view.column_width)
            if width >= 120:
                assert view.column_width >= 66, (width, view.column_width)
            if view.sidenotes:  # a margin of 30 cells or more holds them
                assert view.sidenote_width >= 30
                assert view.text_x + view.column_width + 3 + view.sidenote_width <= (
                    view.scrollable_content_region.width
                )


async def test_at_200_columns_note_1_sits_on_the_row_of_its_marker() -> None:
    app = EssayApp()
    async with app.run_test(size=(200, 50)) as pilot:
        await opened(pilot)
        await pilot.pause()
        view = app.reader.view
        assert view.sidenotes
        start, _, label = view.essay.footnote_refs[0]
        row = view.row_of(start)
        assert row is not None
        line = row_text(view, row)
        assert "¹" in line[: view.text_x + view.column_width]
        assert "¹ “China confident about" in line[view.text_x + view.column_width :]
        # the selected footnote's sidenote is the one marked, and no peek hides the text
        await pilot.press("f")
        assert isinstance(view.target, FootnoteRef) and view.target.label == label
        assert view.sidenote_rows()[row][1] is True
        assert not app.reader.query_one(Peek).display
        # narrower: the same note comes as a peek, the same sentence at the top
        top = view.top_offset
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert not view.sidenotes and view.top_offset == top


async def test_a_peek_never_covers_the_status_line_or_the_reference(tmp_path: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        view = screen.view
        height = view.scrollable_content_region.height
        layout = view.layout_lines
        # a reference far enough down to sit on the view's last row
        start = next(s for s, _, _ in view.essay.footnote_refs if layout.line_at(s) >= height)
        line = layout.line_at(start)
        view.scroll_to(
            y=line - view.scrollable_content_region.height + 1, animate=False, immediate=True
        )
        await pilot.pause()
        ref = next(r for r in view.essay.footnote_refs if r[0] == start)
        view.select_target(FootnoteRef(*ref), scroll=False)
        await pilot.pause()
        assert isinstance(view.target, FootnoteRef)
        assert view.row_of(start) == view.scrollable_content_region.height - 1
        peek = screen.query_one(Peek)
        assert peek.display
        row = view.row_of(view.target.start)
        assert row is not None
        reference_y = view.scrollable_content_region.y + row
        assert peek.region.bottom <= reference_y  # above it: no room below
        assert peek.region.bottom <= view.scrollable_content_region.bottom
        assert peek.region.bottom <= screen.status.region.y


async def test_z_shows_the_essay_alone_and_keeps_the_status_line() -> None:
    app = EssayApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        assert screen.query_one(OutlinePane).display
        await pilot.press("z")
        await pilot.pause()
        assert not screen.query_one(OutlinePane).display
        assert not screen.query_one(SidePane).display
        assert screen.status.display
        await pilot.press("z")
        await pilot.pause()
        assert screen.query_one(OutlinePane).display


async def test_the_measure_changes_with_plus_and_minus_and_is_remembered() -> None:
    app = EssayApp()
    async with app.run_test(size=(200, 50)) as pilot:
        await opened(pilot)
        await pilot.pause()
        view = app.reader.view
        assert view.column_width == 72
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert view.column_width == 80
        await pilot.press("minus")
        await pilot.pause()
        assert view.column_width == 76
    again = EssayApp()
    async with again.run_test(size=(200, 50)) as pilot:
        await opened(pilot)
        await pilot.pause()
        assert again.reader.view.column_width == 76


async def test_where_am_i_the_section_in_view_and_0_to_100_percent() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader

        def status() -> str:
            return screen.status.render().plain

        assert "· 0% ·" in status()
        await pilot.press("G")
        await pilot.pause()
        assert "100%" in status()
        last = screen.essay.sections[-1]
        assert (
            f"§ {len(screen.essay.sections)}/{len(screen.essay.sections)} {last.title}" in status()
        )
        await pilot.press("g", "f")  # a selected footnote names its own section
        await pilot.pause()
        assert "§ 1/" in status()


async def test_i_shows_the_edition_as_the_front_matter_describes_it() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen)
        shown = str(app.screen.query_one("#about-text").render())
        meta = app.reader.essay.meta
        for key in ("series", "author_note", "source", "editorial_note"):
            assert meta[key][:40] in " ".join(shown.split())
        assert "words" in shown and "min to read" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, AboutScreen)


async def test_j_k_g_G_move_in_every_list() -> None:
    app = EssayApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await opened(pilot)
        await pilot.pause()
        await pilot.press("1")
        outline = app.reader.query_one(OutlinePane)
        first = outline.cursor_line
        await pilot.press("j", "j")
        assert outline.cursor_line == first + 2
        await pilot.press("G")
        assert outline.cursor_line == len(app.reader.essay.sections) - 1
        await pilot.press("g")
        assert outline.cursor_line == 0
        await pilot.press("3")
        sources = app.reader.query_one(SourcesPane)
        await pilot.press("j")  # the first source
        at = sources.highlighted
        assert at is not None
        await pilot.press("j")
        assert sources.highlighted == at + 1
        await pilot.press("k")
        assert sources.highlighted == at
        await pilot.press("4")
        terms = app.reader.query_one(GlossaryPane).query_one("#glossary-terms", OptionList)
        await pilot.press("escape", "j")  # from the filter to the list, then down
        assert terms.has_focus and terms.highlighted == 1


async def test_back_and_forward_through_jumps_and_search_is_a_jump() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        view = app.reader.view
        await pilot.press("right_square_bracket", "right_square_bracket")
        mid = view.top_offset
        await pilot.press("slash", *"Yalta", "enter")
        await pilot.pause()
        assert isinstance(view.target, MatchRef)
        after_search = view.top_offset
        # the match is in the upper third of the view, and from here (after `mid`)
        match = view.target
        assert match.start >= mid
        row = view.row_of(match.start)
        assert row is not None and row <= view.scrollable_content_region.height // 3 + 1
        await pilot.press("backspace")
        assert view.top_offset == mid
        await pilot.press("greater_than_sign")
        assert view.top_offset == after_search


async def test_star_searches_for_the_selected_term() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("t")
        view = app.reader.view
        assert isinstance(view.target, TermHit)
        words = view.essay.reading_text[view.target.start : view.target.end]
        await pilot.press("asterisk")
        await pilot.pause()
        bar_input = app.reader.query_one("#search-input", Input)
        assert bar_input.value == words
        assert app.reader.search.matches


async def test_quotes_and_backticks_go_to_the_bookmarks(data_dir: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        text = view.essay.reading_text
        for phrase in ("An often neglected fact", "In addition, competition"):
            view.scroll_to_offset(text.index(phrase))
            await pilot.press("m")
        await pilot.press("g", "apostrophe")
        assert view.top_offset == text.index("An often neglected fact")
        await pilot.press("apostrophe")
        assert view.top_offset == text.index("In addition, competition")
        await pilot.press("grave_accent")
        assert view.top_offset == text.index("An often neglected fact")
    with AnnotationStore.open(data_dir) as store:
        assert [a.kind for a in store.all_annotations(False)] == [Kind.BOOKMARK] * 2


async def test_a_filter_shows_its_own_keys_and_what_it_shows() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("4")
        glossary = app.reader.query_one(GlossaryPane)
        field = glossary.query_one("#glossary-filter", Input)
        await pilot.press("slash", *"manchuk")
        assert field.has_focus
        hints = app.reader.query_one(KeyHints).hints().plain
        assert " q " not in hints and " ? " not in hints  # they are letters here
        assert "escape" in hints
        assert "showing 1 of" in str(glossary.query_one("#glossary-showing").render())
        await pilot.press("enter")  # one match: it opens
        assert glossary.term is not None and glossary.term.name == "Manchukuo"
        notes = app.reader.query_one(NotesPane)
        await pilot.press("5")
        assert "showing: all" in str(notes.border_title)
