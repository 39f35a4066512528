"""About this edition (`i`) as a reader meets it at 80x24: a long account scrolls with the
reading keys and its hints say so; a series' parts without a number read without "Part ?"."""

from __future__ import annotations

from pathlib import Path

from epub_books import EPUB3_METADATA, epub3_book, real_standard_ebook
from ready import opened, until
from textual.containers import VerticalScroll
from textual.widgets import Static

from essaytui.app import EssayApp
from essaytui.screens.about import AboutScreen
from essaytui.widgets.key_hints import KeyHints


async def test_a_long_about_scrolls_with_the_reading_keys(tmp_path: Path) -> None:
    app = EssayApp(real_standard_ebook(tmp_path / "enquiry.epub"))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, AboutScreen), "About is shown")
        await pilot.pause()
        box = app.screen.query_one("#about-box", VerticalScroll)
        assert box.max_scroll_y > 3  # longer than the screen
        hints = app.screen.query_one(KeyHints).hints().plain
        assert "j Scroll" in hints and "space Page down" in hints, hints
        steps = [("j", 1), ("j", 2), ("k", 1), ("G", box.max_scroll_y), ("g", 0)]
        for key, expected in steps:
            await pilot.press(key)
            await pilot.pause()
            assert box.scroll_y == expected, (key, box.scroll_y)
        # a page is longer than what is left below: space and b go to an end; half a
        # page with ctrl+d and ctrl+u (d and u), as in the text
        top, half = box.max_scroll_y, box.scrollable_content_region.height // 2
        for key, expected in (
            ("space", top),
            ("b", 0),
            ("ctrl+d", min(half, top)),
            ("ctrl+u", 0),
            ("d", min(half, top)),
            ("u", 0),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert box.scroll_y == expected, (key, box.scroll_y)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AboutScreen)


async def test_a_part_without_a_number_is_named_by_its_title(tmp_path: Path) -> None:
    # a book in a collection (a series) that gives it no number
    unnumbered = EPUB3_METADATA.replace(
        '<meta refines="#c1" property="group-position">2</meta>', ""
    )
    assert unnumbered != EPUB3_METADATA
    app = EssayApp(epub3_book(tmp_path / "keeper.epub", metadata=unnumbered))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await until(pilot, app.series_parts, "the book is in the library")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, AboutScreen), "About is shown")
        await pilot.pause()
        text = str(app.screen.query_one("#about-text", Static).render())
        listed = text.split("The series in your library", 1)[1].strip().splitlines()
        assert listed == ["▸ The Lighthouse Keeper"], listed
        assert "Part ?" not in text
