"""The Library screen, the library search in the palette and a series' next part,
driven by Pilot on the real app with a real library file."""

from __future__ import annotations

from pathlib import Path

from ready import opened, palette_listed, until
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from essaytui.app import EssayApp
from essaytui.screens.library import LibraryScreen
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.library import Column
from essaytui.store import AnnotationStore
from essaytui.store.intake import take_in
from essaytui.store.library import Library
from essaytui.widgets.library_table import LibraryTable


def write_series(folder: Path) -> list[Path]:
    """Three parts of one series, written out of order, and a text outside it."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for part, name in ((2, "Rivers"), (1, "Springs"), (3, "Estuaries")):
        path = folder / f"{name.lower()}.md"
        path.write_text(
            f"---\ntitle: {name}\nauthor: Hydro Writer\nseries: Water, Part {part}\n---\n\n"
            f"## About {name}\n\nThe {name.lower()} of the valley carry silt downstream. "
            f"Part {part} says so plainly.\n",
            encoding="utf-8",
        )
        made.append(path)
    other = folder / "orchards.md"
    other.write_text(
        "---\ntitle: Orchards\nauthor: Pomona Grower\n---\n\n## Trees\n\nApples ripen late.\n",
        encoding="utf-8",
    )
    made.append(other)
    return made


def shelve(data_dir: Path, files: list[Path]) -> None:
    with Library.open(data_dir) as library, AnnotationStore.open(data_dir) as store:
        report = take_in(library, store, files)
        assert len(report.added) == len(files), report.skipped


def library_screen(app: EssayApp) -> LibraryScreen:
    screen = app.screen
    assert isinstance(screen, LibraryScreen), screen
    return screen


def titles(app: EssayApp) -> list[str]:
    return [row.text.title for row in library_screen(app).view.shown()]


async def open_library(pilot: Pilot[None]) -> LibraryScreen:
    await opened(pilot)
    await pilot.press("B")
    await pilot.pause()
    screen = library_screen(pilot.app)  # type: ignore[arg-type]
    await pilot.app.workers.wait_for_complete()
    # the library is gathered in a worker: the text being read is listed once it is done
    reading = pilot.app.essay.id  # type: ignore[attr-defined]
    await until(
        pilot,
        lambda: any(row.text.essay_id == reading for row in screen.view.shown()),
        "the Library lists the text being read",
    )
    return screen


async def test_library_lists_texts_series_in_order_and_escape_returns(
    tmp_path: Path, data_dir: Path
) -> None:
    shelve(data_dir, write_series(tmp_path / "texts"))
    app = EssayApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await open_library(pilot)
        shown = titles(app)
        assert "Strategic partners with caveats: China & Russia" in shown  # bundled
        water = [t for t in shown if t in ("Springs", "Rivers", "Estuaries")]
        assert water == ["Springs", "Rivers", "Estuaries"]
        table = app.screen.query_one(LibraryTable)
        assert table.row_count == len(shown)
        # the cursor starts on the text being read
        row = library_screen(app).current_row()
        assert row is not None and row.text.essay_id == app.essay.id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_keys_filter_sort_and_open_where_left(tmp_path: Path, data_dir: Path) -> None:
    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_library(pilot)
        await pilot.press("g")
        assert screen.query_one(LibraryTable).cursor_row == 0
        await pilot.press("G")
        assert screen.query_one(LibraryTable).cursor_row == len(titles(app)) - 1
        await pilot.press("k", "k", "j")
        assert screen.query_one(LibraryTable).cursor_row == len(titles(app)) - 2
        await pilot.press("slash", *"pomona")
        await pilot.pause()
        assert titles(app) == ["Orchards"]
        await pilot.press("enter")  # back to the table
        assert isinstance(screen.focused, LibraryTable)
        await pilot.press("slash", "escape")  # escape in the filter: back to the table
        assert isinstance(screen.focused, LibraryTable)
        assert titles(app) == ["Orchards"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_library(pilot)
        screen.view.filter = "water"
        await pilot.press("s")  # Series → Read
        assert screen.view.column is Column.PROGRESS
        await pilot.press("S")
        assert screen.view.descending
        screen.view.column, screen.view.descending = Column.TITLE, False
        screen.fill(screen.view.rows)
        await pilot.pause()
        assert titles(app) == ["Estuaries", "Rivers", "Springs"]
        await pilot.press("g", "j", "enter")  # Rivers
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.essay.title == "Rivers"


async def test_missing_file_is_listed_and_found_again(tmp_path: Path, data_dir: Path) -> None:
    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    gone = files[3]  # Orchards
    kept = gone.read_bytes()
    gone.unlink()
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_library(pilot)
        rows = {row.text.title: row for row in screen.view.rows}
        assert rows["Orchards"].missing
        assert rows["Orchards"].cell(Column.TITLE).startswith("✗")
        assert not rows["Rivers"].missing
    gone.write_bytes(kept)
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_library(pilot)
        rows = {row.text.title: row for row in screen.view.rows}
        assert not rows["Orchards"].missing


async def test_library_command_opens_on_the_library(tmp_path: Path, data_dir: Path) -> None:
    shelve(data_dir, write_series(tmp_path / "texts"))
    app = EssayApp()
    app.open_library_first = True
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_the_text_under_the_library_is_not_read_until_shown(
    tmp_path: Path, data_dir: Path
) -> None:
    # `essaytui library` then q: the bundled essay under the Library was never on screen
    shelve(data_dir, write_series(tmp_path / "texts"))
    app = EssayApp()
    app.open_library_first = True
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        bundled = app.essay.id
        await pilot.press("q")
    with AnnotationStore.open(data_dir) as store:
        assert store.position(bundled) is None
    # closing the Library shows it: then it is read
    app = EssayApp()
    app.open_library_first = True
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
    with AnnotationStore.open(data_dir) as store:
        assert store.position(bundled) is not None


async def test_next_part_and_previous_part(tmp_path: Path, data_dir: Path) -> None:
    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    app = EssayApp(files[1])  # Springs, part 1
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        # part 1: the key answers, saying there is no previous part
        await pilot.press("alt+p")
        await pilot.pause()
        assert app.essay.title == "Springs"
        await pilot.press("alt+n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.essay.title == "Rivers"
        await pilot.press("alt+n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.essay.title == "Estuaries"
        assert app.neighbour_part(1) is None
        await pilot.press("alt+p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.essay.title == "Rivers"


async def test_search_the_library_from_the_palette(tmp_path: Path, data_dir: Path) -> None:
    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Search the library")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == "Search the library…"
        await pilot.press(*"estuaries silt")
        await palette_listed(pilot)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        assert isinstance(app.screen, ReaderScreen)
        assert app.essay.title == "Estuaries"
        view = app.screen.view
        text = app.essay.reading_text
        sentence = text.index("The estuaries of the valley")
        assert view.top_offset <= sentence < view.bottom_offset
        # backspace, past the jump to the sentence, returns to the text read before
        for _ in range(3):
            await pilot.press("backspace")
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            if app.essay.title != "Estuaries":
                break
        assert app.essay.title == "Strategic partners with caveats: China & Russia"


async def test_status_line_and_about_name_the_series(tmp_path: Path, data_dir: Path) -> None:
    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    app = EssayApp(files[1])  # Springs, part 1 of 3
    async with app.run_test(size=(160, 45)) as pilot:
        await opened(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.status.render())  # type: ignore[attr-defined]
        assert "Part 1 of Water" in status
        await pilot.press("G")  # the end of the part: the next part's key
        await pilot.pause()
        status = str(app.screen.status.render())  # type: ignore[attr-defined]
        assert status.endswith("Part 1 of Water · alt+n next part"), status
        await pilot.press("i")
        await pilot.pause()
        about = str(app.screen.query_one("#about-text").render())
        assert "▸ Part 1: Springs" in about
        assert about.index("Part 1: Springs") < about.index("Part 2: Rivers")
        assert "Part 3: Estuaries" in about
    app = EssayApp(files[1])
    async with app.run_test(size=(80, 24)) as pilot:  # room at 80: the title gives way first
        await opened(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.status.render())  # type: ignore[attr-defined]
        assert status.startswith("§ 1/1 About Springs") and "Part 1 of Water" in status
    app = EssayApp(files[1])
    async with app.run_test(size=(34, 24)) as pilot:  # no room: the series is left out
        await opened(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.status.render())  # type: ignore[attr-defined]
        assert "Water" not in status and "%" in status


async def status_of(app: EssayApp, pilot: Pilot[None]) -> str:
    await opened(pilot)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return str(app.screen.status.render())  # type: ignore[attr-defined]


async def test_a_lone_part_says_its_part_at_80_and_160(data_dir: Path) -> None:
    for width in (80, 160):
        app = EssayApp()  # the bundled essay, "series: Part 5", alone in the library
        async with app.run_test(size=(width, 24)) as pilot:
            status = await status_of(app, pilot)
            # its part, never a name made up for its series
            assert status.endswith("left · Part 5"), status
            assert "Dean Chen" not in status and "series" not in status
            assert status.startswith("§ ")  # the section is still there at 80
            assert len(status) <= width
    app = EssayApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await opened(pilot)
        await pilot.press("i")
        await pilot.pause()
        about = str(app.screen.query_one("#about-text").render())
        assert "▸ Part 5: Strategic partners" in about


async def test_reading_time_is_counted_between_keys(tmp_path: Path, data_dir: Path) -> None:
    files = write_series(tmp_path / "texts")
    app = EssayApp(files[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        for _ in range(3):
            await pilot.press("j")
            await pilot.pause(0.2)
        await pilot.press("k")
        app.record_reading()
        seconds = app.library.reading(app.essay.id).seconds
        assert 0.5 <= seconds < 30
        app.record_reading()  # counted once
        assert app.library.reading(app.essay.id).seconds == seconds


async def test_library_search_finds_your_notes_too(tmp_path: Path, data_dir: Path) -> None:
    import dataclasses

    from essaytui.model.annotation import Kind, make_annotation
    from essaytui.model.files import load_essay

    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    with AnnotationStore.open(data_dir) as store:
        rivers = load_essay(files[0])
        rivers = dataclasses.replace(rivers, id=store.identify(rivers))
        store.add(make_annotation(rivers, 4, 10, Kind.NOTE, note="remember the floodplain"))
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+p", *"Search the library")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press(*"floodplain")
        await pilot.pause(1.0)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        assert app.essay.title == "Rivers"


async def test_a_long_library_is_shown_whole(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(120):
        (folder / f"t{n:03d}.md").write_text(f"# Text {n:03d}\n\nWords of text {n}.\n")
    with Library.open(data_dir) as library, AnnotationStore.open(data_dir) as store:
        take_in(library, store, [folder])
    app = EssayApp(folder / "t110.md")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_library(pilot)
        await pilot.pause()
        table = screen.query_one(LibraryTable)
        assert table.row_count == len(screen.view.shown()) == 121
        row = screen.current_row()
        assert row is not None and row.text.title == "Text 110"
        await pilot.press("slash", *"text 00")  # every word: "Text 000" … "Text 009", "Text 100"
        await pilot.pause()
        assert table.row_count == 11 == len(screen.view.shown())


async def test_help_lists_the_library_keys_and_a_remap_reaches_them(data_dir: Path) -> None:
    from essaytui.actions import LIBRARY, all_bindings, known_ids
    from essaytui.screens.help import HelpScreen

    ids = known_ids(EssayApp)
    assert {"app.library", "app.next_part", "library.sort", "library.filter"} <= ids
    groups = {
        binding.group for _, binding in all_bindings(EssayApp) if binding.id == "library.sort"
    }
    assert groups == {LIBRARY}
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_library(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_time_left_is_at_your_own_pace(tmp_path: Path, data_dir: Path) -> None:
    from essaytui.widgets.status import reading_minutes

    with Library.open(data_dir) as library:
        library.add_reading("elsewhere", 600, 1150)  # 115 words a minute: half the default
    app = EssayApp()
    async with app.run_test(size=(160, 45)) as pilot:
        await opened(pilot)
        await app.workers.wait_for_complete()
        await pilot.press("j")
        await pilot.pause()
        assert app.words_per_minute == 115
        status = str(app.screen.status.render())  # type: ignore[attr-defined]
        top = app.screen.view.top_offset  # type: ignore[attr-defined]
        slow = reading_minutes(app.essay.reading_text, top, 115)
        assert slow > reading_minutes(app.essay.reading_text, top)
        assert f"~{slow} min left" in status, status


async def test_a_remapped_library_key_opens_it_and_the_palette_says_so(data_dir: Path) -> None:
    from essaytui import paths
    from essaytui.screens.library import library_commands

    keys = paths.keymap_file()
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text('[keys]\n"app.library" = "K"\n', encoding="utf-8")
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("B")  # given away: nothing opens
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        (entry,) = [c for c in library_commands(app) if c.title == "Library"]
        assert "(K)" in entry.help and "(B)" not in entry.help
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_a_long_essay_is_indexed_whole_once_its_rest_is_read(
    tmp_path: Path, data_dir: Path
) -> None:
    """The first screen holds only the start: the library takes the text when the rest
    has been read (by the reader's own parse of it), down to its last paragraph."""
    path = tmp_path / "long.md"
    paragraphs = [f"Paragraph {n} goes on for a while, " * 12 for n in range(1500)]
    paragraphs.append("The closing word is pelican.")
    path.write_text("---\ntitle: Long\n---\n\n## One\n\n" + "\n\n".join(paragraphs) + "\n")
    app = EssayApp(path)
    assert not app.essay.complete
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        for _ in range(200):
            await app.workers.wait_for_complete()
            if app.essay.complete:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        assert app.essay.complete
        with Library.open(data_dir) as library:
            hits = library.search("pelican")
            assert [hit.essay_id for hit in hits] == [app.essay.id]
