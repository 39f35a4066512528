"""What a key redraws: the essay view keeps the rows it drew until what they show changes,
the notes list lays nothing out while hidden, the search count only when its width changes.
Checked on what the widgets hold, never by timing."""

from __future__ import annotations

from ready import opened
from rich.style import Style
from textual.strip import Strip

from essaytui.app import EssayApp
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.search_bar import SearchBar


def row_text(view: EssayView, row: int) -> str:
    return "".join(segment.text for segment in view.render_line(row))


def text_style(strip: Strip) -> Style | None:
    """The style of the strip's first piece of text."""
    return next(segment.style for segment in strip if segment.text.strip())


async def test_a_line_down_reuses_the_rows_drawn_and_a_change_redraws_them() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        view.focus()
        await pilot.pause()
        # a row with text: a blank row may be a strip shared by every blank row
        row = next(r for r in range(1, 10) if row_text(view, r).strip())
        second = view.render_line(row)
        await pilot.press("j")
        await pilot.pause()
        assert view.render_line(row - 1) is second  # the same strip, not drawn again
        before = row_text(view, row - 1)
        await pilot.press("v")  # a selection changes what the rows show
        await pilot.pause()
        assert view.selection is not None
        assert view.render_line(row - 1) is not second  # drawn again
        assert row_text(view, row - 1) == before


async def test_a_focus_move_keeps_the_rows_drawn_and_a_theme_redraws_them() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        view.focus()
        await pilot.pause()
        row = next(r for r in range(1, 10) if row_text(view, r).strip())
        drawn = view.render_line(row)
        components = dict(view._component_styles)
        border = view.styles.border_top
        await pilot.press("slash")  # the search bar takes the focus: the view's border changes
        await pilot.pause()
        assert not view.has_focus
        assert view.styles.border_top != border
        assert view.render_line(row) is drawn
        # its component classes were not styled again (they look the same either way)
        assert all(view._component_styles[name] is style for name, style in components.items())
        view.focus()  # back, the bar still open
        await pilot.pause()
        assert view.has_focus
        assert view.render_line(row) is drawn
        before = text_style(drawn)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        redrawn = view.render_line(row)
        assert redrawn is not drawn  # another theme: other colours
        assert [s.text for s in redrawn] == [s.text for s in drawn]
        assert text_style(redrawn) != before


async def test_selecting_a_footnote_redraws_only_the_rows_it_is_on() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = app.reader.view
        view.focus()
        await pilot.pause()
        height = view.scrollable_content_region.height
        drawn = {row: view.render_line(row) for row in range(height)}
        await pilot.press("f")
        await pilot.pause()
        target = view.target
        assert target is not None
        row = view.row_of(target.start)
        assert row is not None
        assert view.render_line(row) is not drawn[row]  # the reference is marked now
        kept = [r for r in range(height) if r != row and view.render_line(r) is drawn[r]]
        assert len(kept) >= height - 3  # the rest was not drawn again
        await pilot.press("f")  # the next one: the first is drawn again, unmarked
        await pilot.pause()
        assert view.render_line(row) is not drawn[row]
        assert row_text(view, row) == "".join(segment.text for segment in drawn[row])


async def test_the_hidden_notes_list_lays_nothing_out() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        notes = app.reader.query_one(NotesPane)
        await pilot.pause()
        assert not notes.is_on_screen  # the side pane shows Sources
        notes.refresh(layout=True)
        assert not notes._layout_required
        await pilot.press("5")  # Notes shown
        await pilot.pause()
        assert notes.is_on_screen
        notes.refresh(layout=True)
        assert notes._layout_required


async def test_the_search_count_lays_out_only_when_its_width_changes() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("slash")
        await pilot.pause()
        bar = app.reader.query_one(SearchBar)
        count = bar.query_one("#search-count")
        bar.set_count("1/12")
        await pilot.pause()
        bar.set_count("2/12")  # within the count's least width
        assert not count._layout_required
        bar.set_count("12 of 1,234 matches · searching the rest")
        assert count._layout_required
        await pilot.pause()
        assert bar.count == "12 of 1,234 matches · searching the rest"
