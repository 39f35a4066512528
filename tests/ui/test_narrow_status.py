"""At 80 columns the status line shortens the section's title, never the figures; the key
hints are those of what has the focus, dialogs included (help, its filter, About).
The real app through Pilot, on the bundled essay; the lines as drawn on the screen.
"""

from __future__ import annotations

import re

from ready import opened, reader
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.screens.about import AboutScreen
from essaytui.screens.help import HelpScreen
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.status import ReadingStatus, StatusLine, fit_status

#: the figures, then the bundled essay's part when there is room for it
FIGURES = re.compile(r"\d+% · (~\d+ min left|end)( · Part 5)?$")


async def status_row(pilot: Pilot[None], app: EssayApp) -> str:
    await pilot.pause()
    status = reader(app).query_one(StatusLine)
    return str(status.render())


async def test_the_title_gives_way_and_the_figures_stay_whole_at_80() -> None:
    app = EssayApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        status = reader(app).query_one(StatusLine)
        for keys in (("right_square_bracket",), ("right_square_bracket",) * 3, ("G",)):
            await pilot.press(*keys)
            line = await status_row(pilot, app)
            assert len(line) <= status.size.width, line
            assert FIGURES.search(line), line  # the percent and the time left, whole
            assert line.startswith("§ "), line
            assert line.endswith(" · Part 5"), line  # room for it at 80: the title gave way
        # with a message beside it: the message and the figures, the title shortened
        # or left out
        await pilot.press("g", "v")
        line = await status_row(pilot, app)
        assert len(line) <= status.size.width, line
        assert line.startswith("Selected 1 sentence") and FIGURES.search(line), line
        assert ") adds one more" in line


def test_fit_status_shortens_the_title_then_the_message_never_the_figures() -> None:
    status = ReadingStatus(
        "§ 2/7 Cooperation in diplomacy, the economy, politics", "14% · ~5 min left"
    )
    for width in (80, 60, 40, 30, 20):
        line = fit_status("", status, width)
        assert line.endswith("14% · ~5 min left"), (width, line)
        assert len(line) <= max(width, len(status.figures)), (width, line)
    assert fit_status("", status, 200) == str(status)
    line = fit_status("A long message about something that happened just now here", status, 60)
    assert line.endswith("14% · ~5 min left") and len(line) <= 60
    assert line.startswith("A long message")


def hints(app: EssayApp) -> str:
    return app.screen.query_one(KeyHints).hints().plain


async def test_dialogs_show_their_own_keys() -> None:
    app = EssayApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        assert "Footnote" in hints(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = hints(app)
        assert "Close" in shown and "Filter" in shown and "Footnote" not in shown
        await pilot.press("slash")
        await pilot.pause()
        shown = hints(app)
        assert "Back to the list" in shown and "Footnote" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # escape in the filter: back to the list
        assert "Filter" in hints(app)
        await pilot.press("escape", "i")
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen)
        shown = hints(app)
        assert "Close" in shown and "Footnote" not in shown
        # and the bottom line of the screen is that dialog's hint line
        region = app.screen.query_one(KeyHints).region
        assert region.y == 23 and region.width == 80


def test_the_series_gives_way_before_the_title_is_cut_below_its_least() -> None:
    from essaytui.widgets.status import MIN_TITLE, series_fits

    figures = "14% · ~5 min left · Part 5 of The Cold War"
    status = ReadingStatus("§ 2/7 Cooperation in diplomacy", figures)
    assert series_fits("", status, 80)
    least = len(figures) + 3 + MIN_TITLE  # " · " and the shortest title worth showing
    assert series_fits("", status, least) and not series_fits("", status, least - 1)
    assert not series_fits("A message of some length", status, least)
    short = ReadingStatus("§ 1/2 A", figures)  # a title shorter than the least: whole
    assert series_fits("", short, len(figures) + 3 + 7)
    assert not series_fits("", short, len(figures) + 3 + 6)
    alone = ReadingStatus("", figures)
    assert series_fits("", alone, len(figures)) and not series_fits("", alone, len(figures) - 1)
