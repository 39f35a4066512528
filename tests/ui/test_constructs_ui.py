"""Tables in the running reader: text in a grid is found by search
and drawn highlighted in its cell, a click on a cell lands on the word under it, and
the pane title is the essay's title."""

from __future__ import annotations

from pathlib import Path

from ready import opened, view_of

from essaytui.app import EssayApp

CONSTRUCTS = Path(__file__).resolve().parents[1] / "data" / "constructs"


async def test_a_search_match_in_a_table_is_drawn_in_its_cell() -> None:
    app = EssayApp(CONSTRUCTS / "tables.md")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("slash", *"alignment", "enter")
        await pilot.pause()
        assert len(view.matches) == 1
        offset = view.essay.reading_text.index("Alignment")
        row = view.row_of(offset)
        assert row is not None
        segments = list(view.render_line(row))
        text = "".join(segment.text for segment in segments)
        assert "Representation" in text and "│" in text  # the header line of the grid
        (found,) = [s for s in segments if s.text == "Alignment"]
        plain = [s for s in segments if s.text == "Representation"][0]
        assert found.style is not None and plain.style is not None
        assert found.style.bgcolor != plain.style.bgcolor  # drawn as a match


async def test_a_click_on_a_cell_finds_the_word_under_it() -> None:
    app = EssayApp(CONSTRUCTS / "tables.md")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        text = view.essay.reading_text
        offset = text.index("same as the field")
        row = view.row_of(offset)
        assert row is not None
        line = "".join(segment.text for segment in view.render_line(row))
        x = line.index("same as the")
        found = view.offset_at(x + 5, row)  # the "a" of "as"
        assert found is not None and text[found : found + 2] == "as"


async def test_the_pane_title_is_the_essays_title() -> None:
    app = EssayApp(CONSTRUCTS / "contents-first.md")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        assert view.essay.title == "Introduction"
        assert str(view.border_title) == "Introduction"
