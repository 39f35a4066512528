"""What a key redraws: the essay view keeps the rows it drew until what they show changes,
the notes list lays nothing out while hidden, the search count only when its width changes.
Checked on what the widgets hold, never by timing."""

from __future__ import annotations

from ready import opened

from essaytui.app import EssayApp
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.search_bar import SearchBar


def row_text(view: EssayView, row: int) -> str:
    return "".join(segment.text for segment in view.render_line(row))


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
