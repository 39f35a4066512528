"""Where the essay is read, a dim note under it says the section headings were added by
the editors (front matter `headings:`), so that nobody quotes one as the author's."""

from __future__ import annotations

from pathlib import Path

from ready import opened
from rich.text import Text

from essaytui.app import EssayApp
from essaytui.screens.reader import ReaderScreen
from essaytui.widgets.essay_view import EssayView


def subtitle(app: EssayApp) -> str:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    # the border keeps its subtitle as markup (the note is dimmed)
    return Text.from_markup(str(screen.query_one(EssayView).border_subtitle)).plain


async def test_the_bundled_essay_says_its_headings_were_added_by_the_editors() -> None:
    app = EssayApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        assert subtitle(app) == "Dean Chen · headings added by the editors"


async def test_an_essay_that_says_nothing_of_its_headings_shows_its_author(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text("---\ntitle: T\nauthor: Ann\n---\n\n## One\n\nText here.\n", "utf-8")
    app = EssayApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        assert subtitle(app) == "Ann"
