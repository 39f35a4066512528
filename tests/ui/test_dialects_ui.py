"""The Markdown dialects in the running reader (issue 22): an inline note is found by
`f` and followed into Sources like any footnote, a reference inside an admonition is
one too, and search finds text inside a callout and a pandoc table."""

from __future__ import annotations

from pathlib import Path

from ready import opened, reader, view_of

from essaytui.app import EssayApp
from essaytui.sessions.targets import FootnoteRef
from essaytui.widgets.peek import Peek

DIALECTS = Path(__file__).resolve().parents[1] / "data" / "dialects"


async def test_f_selects_an_inline_note_and_its_peek_shows_the_note() -> None:
    app = EssayApp(DIALECTS / "quarto-post.qmd")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(view.target, FootnoteRef) and view.target.label == "^1"
        peek = reader(app).query_one(Peek)
        assert "The survey asked" in str(peek.render()).replace("\n", " ")
        await pilot.press("f", "f", "f")
        await pilot.pause()
        assert isinstance(view.target, FootnoteRef)
        assert view.target.label == "^3"  # the note inside the callout, fourth in order


async def test_a_reference_inside_an_admonition_is_followed() -> None:
    app = EssayApp(DIALECTS / "mkdocs-wiki.md")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(view.target, FootnoteRef) and view.target.label == "ref1"
        await pilot.press("escape", "slash", *"lower_bound", "enter")
        await pilot.pause()
        assert len(view.matches) == 1  # inside the collapsible "???+ tip"


async def test_search_finds_text_in_a_grid_table() -> None:
    app = EssayApp(DIALECTS / "pandoc-tables.md")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("slash", *"bright color", "enter")
        await pilot.pause()
        assert len(view.matches) == 1


async def test_a_cjk_sidenote_starts_with_its_number_on_its_first_line() -> None:
    app = EssayApp(DIALECTS / "cjk-note.md")
    async with app.run_test(size=(160, 20)) as pilot:
        await opened(pilot)
        view = view_of(app)
        assert view.sidenotes
        rows = [text for _, (text, _) in sorted(view.sidenote_rows().items())]
        assert rows[0].startswith("¹参见《逻辑学导论》")


async def test_a_table_too_wide_for_the_column_takes_the_panes_room() -> None:
    app = EssayApp(DIALECTS / "wide-table.md")
    async with app.run_test(size=(200, 20)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("p")  # the side pane away: the essay has the room
        await pilot.pause()
        layout = view.layout_lines
        (grid,) = layout.tables.values()
        assert grid.width > view.column_width
        assert not grid.clipped
        text = view.essay.reading_text
        row = view.row_of(text.index("repr(Rust)"))
        assert row is not None
        line = "".join(segment.text for segment in view.render_line(row)).rstrip()
        assert "unspecified" in line and len(line) - view.text_x > view.column_width
        paragraph = view.row_of(text.index("Text after the table"))
        assert paragraph is not None  # prose keeps to the measure
        prose = "".join(segment.text for segment in view.render_line(paragraph)).rstrip()
        assert len(prose) - view.text_x <= view.column_width


async def test_a_wide_table_keeps_to_the_column_where_the_pane_has_no_room() -> None:
    app = EssayApp(DIALECTS / "wide-table.md")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        view = view_of(app)
        (grid,) = view.layout_lines.tables.values()
        assert grid.width <= view.column_width


async def test_back_from_a_note_returns_to_a_top_on_the_gap_between_blocks() -> None:
    # one j from the top leaves the blank row under the title at the top of the view:
    # a row with no offset of its own, which back once restored a row lower
    app = EssayApp(DIALECTS / "japanese-semantics.md")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("j")
        await pilot.pause()
        layout = view.layout_lines
        assert layout.blocks[round(view.scroll_y)] == -1
        scroll, top = view.scroll_y, view.top_offset
        await pilot.press("f", "enter")
        await pilot.pause()
        assert isinstance(view.target, FootnoteRef)
        await pilot.press("backspace")
        await pilot.pause()
        assert (view.scroll_y, view.top_offset) == (scroll, top)
        # forward to where back came from, then back again: the same rows
        navigator = reader(app).reading.navigator
        await pilot.press(">")
        await pilot.pause()
        assert navigator.can_go_back and not navigator.can_go_forward
        await pilot.press("backspace")
        await pilot.pause()
        assert (view.scroll_y, view.top_offset) == (scroll, top)
