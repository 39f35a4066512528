"""The Library, its search and the status line as a reader meets them: a hit in another
text opens at its sentence and one backspace returns, help leads with the Library's keys,
wide columns, messages that belong to their text, one progress rule (Pilot, real files)."""

from __future__ import annotations

import io
from pathlib import Path

from ready import opened, palette_listed, until
from rich.console import Console
from test_library_ui import library_screen, open_library, shelve, write_series
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from essaytui.actions import LIBRARY
from essaytui.app import EssayApp
from essaytui.screens.help import HelpScreen
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.library import Column
from essaytui.store import AnnotationStore
from essaytui.store.intake import gather
from essaytui.store.library import Library
from essaytui.widgets.library_table import LibraryTable
from essaytui.widgets.status import StatusLine

BUNDLED = "Strategic partners with caveats: China & Russia"


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def search_library_and_open(pilot: Pilot[None], words: str) -> None:
    """ctrl+p, "Search the library", the words, enter on the first hit — as typed."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"search the lib")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.3)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*words)
    await palette_listed(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_hit_in_another_text_opens_at_its_sentence_and_one_back_returns(
    tmp_path: Path, data_dir: Path
) -> None:
    # a short text open (no scroll bar), the hit deep in the bundled essay
    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    with Library.open(data_dir) as library, AnnotationStore.open(data_dir) as store:
        gather(library, store)  # the bundled essay too
    app = EssayApp(files[0])
    async with app.run_test(size=(200, 50)) as pilot:
        await opened(pilot)
        await search_library_and_open(pilot, "Yalta")
        assert isinstance(app.screen, ReaderScreen)
        assert app.essay.title == BUNDLED
        view = app.screen.view
        sentence = app.essay.reading_text.index("In the Yalta Agreement of 1945")
        assert view.top_offset <= sentence < view.bottom_offset
        assert view.top_offset > 0
        assert app.screen.status.status.section.startswith("§ 4/7")
        await pilot.press("backspace")
        await settle(pilot)
        assert app.essay.title == "Rivers"


def help_lines(screen: HelpScreen) -> list[str]:
    static = screen.query_one("#help-text", Static)
    console = Console(width=120, file=io.StringIO(), color_system=None)
    console.print(static.content)
    output = console.file
    assert isinstance(output, io.StringIO)
    return [line.strip() for line in output.getvalue().splitlines() if line.strip()]


async def test_help_from_the_library_leads_with_its_keys(data_dir: Path) -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_library(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        lines = help_lines(screen)
        assert lines[0] == LIBRARY.description, lines[:3]
        assert lines.index("Everywhere") < lines.index("Reading")
        await pilot.press("escape")
        await pilot.pause()
        # from the reader, reading comes first as before
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        assert help_lines(screen)[0] == "Reading"


def long_series(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for part in (1, 2):
        path = folder / f"p{part}.md"
        path.write_text(
            f"---\ntitle: Keeper {part}\nauthor: Margaret Hale\n"
            f"series: Coastal Histories of the North, Part {part}\n---\n\n## One\n\nA lamp.\n",
            encoding="utf-8",
        )
        made.append(path)
    return made


async def test_wide_library_gives_the_series_its_whole_name(tmp_path: Path, data_dir: Path) -> None:
    shelve(data_dir, long_series(tmp_path / "texts"))
    app = EssayApp()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_library(pilot)
        table = library_screen(app).query_one(LibraryTable)

        def shown() -> list[str]:
            return [line.text for line in (table.render_line(y) for y in range(1, 5))]

        await until(
            pilot,
            lambda: any("2 · Coastal Histories of the North" in line for line in shown()),
            "the series' whole name",
        )
        assert table.widths[Column.TITLE] >= 40
        await pilot.resize_terminal(80, 24)
        # narrow: the title keeps its room, the series is cut as before
        await until(pilot, lambda: table.widths[Column.SERIES] <= 18, "the series cut at 80")


async def test_messages_belong_to_their_text_and_part_keys_answer(
    tmp_path: Path, data_dir: Path
) -> None:
    files = write_series(tmp_path / "texts")  # rivers, springs, estuaries, orchards
    shelve(data_dir, files)
    (tmp_path / "texts" / "estuaries.md").unlink()  # part 3's file is gone
    app = EssayApp(files[1])  # Springs, part 1
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await settle(pilot)
        status = app.screen.query_one(StatusLine)
        await pilot.press("alt+p")
        await pilot.pause()
        assert status.message == "No previous part of this series in the library"
        await pilot.press("alt+n")
        await settle(pilot)
        assert app.essay.title == "Rivers"
        assert status.message == ""
        await pilot.press("G")
        await settle(pilot)
        # at the end of part 2, no key offered for a part 3 whose file is gone
        assert "next part" not in status.render().plain
        await pilot.press("alt+n")
        await pilot.pause()
        assert "file is gone" in status.message
        await pilot.press("alt+p")
        await settle(pilot)
        assert app.essay.title == "Springs"
        assert status.message == ""


async def test_a_text_on_one_screen_is_at_100_however_it_was_opened(
    tmp_path: Path, data_dir: Path
) -> None:
    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    app = EssayApp(files[0])  # Rivers, part 2: fits on the screen
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await settle(pilot)
        status = app.screen.query_one(StatusLine)
        assert status.status.figures.startswith("100% · end")
        await pilot.press("alt+p")
        await settle(pilot)
        assert app.essay.title == "Springs"
        assert status.status.figures.startswith("100% · end")
        await pilot.press("alt+n")  # leaving Springs saves its place
        await settle(pilot)
        await open_library(pilot)
        read = {
            row.text.title: row.cell(Column.PROGRESS) for row in library_screen(app).view.shown()
        }
        assert read["Springs"] == "100%" and read["Rivers"] == "100%"


async def test_words_read_count_a_text_read_to_its_end(tmp_path: Path, data_dir: Path) -> None:
    files = write_series(tmp_path / "texts")
    app = EssayApp(files[0])  # fits on the screen: its top never moves
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await settle(pilot)
        for _ in range(3):
            await pilot.press("j")
            await pilot.pause(0.2)
        app.record_reading()
        totals = app.library.reading(app.essay.id)
        assert totals.seconds > 0
        assert totals.words == len(app.essay.reading_text.split())


async def test_a_hit_in_a_footnote_opens_the_text_at_its_reference(
    tmp_path: Path, data_dir: Path
) -> None:
    filler = "\n\n".join(f"Paragraph {n} about the harbour wall and its stones." for n in range(80))
    noted = tmp_path / "noted.md"
    noted.write_text(
        f"# Harbour\n\n{filler}\n\nThe wall was rebuilt after the storm.[^1]\n\n"
        "[^1]: Quarry ledger of Aberdour, kept by the mason.\n",
        encoding="utf-8",
    )
    files = write_series(tmp_path / "texts")
    shelve(data_dir, [*files, noted])
    app = EssayApp(files[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await search_library_and_open(pilot, "Aberdour ledger")
        assert isinstance(app.screen, ReaderScreen)
        assert app.essay.title == "Harbour"
        view = app.screen.view
        reference = app.essay.footnotes[0].refs[0][0]
        assert view.top_offset <= reference < view.bottom_offset
        assert view.top_offset > 0


async def test_the_text_arriving_as_the_library_opens_is_no_crash(data_dir: Path) -> None:
    """The library takes in the text being read (a worker) in the moment between `B`
    pushing the Library and the Library being built: it fills itself when built."""
    from essaytui.screens.library import LibraryScreen

    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        app.action_library()
        assert isinstance(app.screen, LibraryScreen) and not app.screen.is_mounted
        app._library_holds_it()  # what the worker calls once the text is in the library
        await until(pilot, lambda: app.screen.is_mounted, "the Library built")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help over the Library")
