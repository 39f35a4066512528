"""The Library's table, drawn a line at a time: the cursor and its keys, the header that
stays, clicks, the columns at each width, missing texts; driven by Pilot on the real app."""

from __future__ import annotations

from pathlib import Path

from test_library_ui import open_library, shelve, write_series

from essaytui.app import EssayApp
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.library import Column
from essaytui.store import AnnotationStore
from essaytui.store.intake import take_in
from essaytui.store.library import Library
from essaytui.widgets.library_table import LibraryTable, clip, column_layout


def many(data_dir: Path, folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        (folder / f"t{n:03d}.md").write_text(f"# Text {n:03d}\n\nWords of text {n}.\n")
    with Library.open(data_dir) as library, AnnotationStore.open(data_dir) as store:
        take_in(library, store, [folder])


def line_text(table: LibraryTable, y: int) -> str:
    return table.render_line(y).text


def on_screen(table: LibraryTable) -> bool:
    top = round(table.scroll_y)
    return top <= table.cursor_row < top + table.page


async def test_the_cursor_starts_on_the_text_read_and_is_on_screen(
    tmp_path: Path, data_dir: Path
) -> None:
    many(data_dir, tmp_path / "many", 120)
    app = EssayApp(tmp_path / "many" / "t110.md")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_library(pilot)
        table = screen.table
        row = screen.current_row()
        assert row is not None and row.text.title == "Text 110"
        assert table.scroll_y > 0 and on_screen(table)
        # the line drawn under the cursor is that text's, below a header that stays
        y = table.cursor_row - round(table.scroll_y) + 1
        assert "Text 110" in line_text(table, y)
        assert line_text(table, 0).split()[:2] == ["Title", "Author"]


async def test_arrow_page_and_end_keys_move_the_cursor(tmp_path: Path, data_dir: Path) -> None:
    many(data_dir, tmp_path / "many", 120)
    app = EssayApp(tmp_path / "many" / "t000.md")
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_library(pilot)
        table = screen.table
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("down", "down", "up")
        assert table.cursor_row == 1
        await pilot.press("pagedown")
        assert table.cursor_row == 1 + table.page and on_screen(table)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 and on_screen(table)
        assert table.scroll_y == table.max_scroll_y
        last = screen.current_row()
        assert last is not None
        y = table.cursor_row - round(table.scroll_y) + 1
        assert last.text.title in line_text(table, y)
        await pilot.press("pageup")
        assert table.cursor_row == table.row_count - 1 - table.page and on_screen(table)
        await pilot.press("ctrl+d")  # not the table's: nothing moves, nothing breaks
        await pilot.press("g", "j", "j", "k")
        assert table.cursor_row == 1


async def test_a_click_on_a_header_sorts_and_on_a_row_opens(tmp_path: Path, data_dir: Path) -> None:
    shelve(data_dir, write_series(tmp_path / "texts"))
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_library(pilot)
        table = screen.table
        await pilot.click(LibraryTable, offset=(3, 0))  # "Title"
        await pilot.pause()
        assert screen.view.column is Column.TITLE and not screen.view.descending
        titles = [row.text.title for row in screen.view.shown()]
        assert titles == sorted(titles, key=str.casefold)
        await pilot.click(LibraryTable, offset=(3, 0))  # again: the other way
        await pilot.pause()
        assert screen.view.descending
        x = table.widths[Column.TITLE] + 2 + 2  # inside the author column
        await pilot.click(LibraryTable, offset=(x, 0))
        await pilot.pause()
        assert screen.view.column is Column.AUTHOR
        shown = screen.view.shown()
        rivers = next(i for i, row in enumerate(shown) if row.text.title == "Rivers")
        await pilot.click(LibraryTable, offset=(3, rivers + 1))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.essay.title == "Rivers"


async def test_columns_at_80_and_160_and_a_missing_text(tmp_path: Path, data_dir: Path) -> None:
    files = write_series(tmp_path / "texts")
    shelve(data_dir, files)
    files[3].unlink()  # Orchards
    for width, author in ((80, False), (160, True)):
        app = EssayApp()
        async with app.run_test(size=(width, 30)) as pilot:
            screen = await open_library(pilot)
            table = screen.table
            header = line_text(table, 0)
            assert ("Author" in header) is author and ("Size" in header) is author
            assert "Series" in header and "Read" in header
            for y in range(table.row_count + 1):
                assert table.render_line(y).cell_length == table.scrollable_content_region.width
            orchards = next(i for i, r in enumerate(screen.view.shown()) if r.missing)
            drawn = table.render_line(orchards + 1)
            assert drawn.text.lstrip().startswith("✗ Orchards")
            assert all(segment.style and segment.style.dim for segment in drawn)


def test_cells_are_cut_by_their_width_on_screen() -> None:
    assert clip("Rivers", 8) == "Rivers  "
    assert clip("Estuaries of the north", 8) == "Estuari…"
    cut = clip("長江三角洲的河口", 7)  # two cells a character: cut on a whole one
    assert cut.endswith("…")
    from rich.cells import cell_len

    assert cell_len(cut) == 7
    assert clip("anything", 0) == ""


def test_narrow_widths_drop_author_and_size_and_the_title_takes_the_rest() -> None:
    columns, widths = column_layout(80)
    assert Column.AUTHOR not in columns and Column.SIZE not in columns
    assert sum(widths[c] + 2 for c in columns) + 2 == 80  # the scroll bar's two cells
    assert widths[Column.TITLE] == 18
    columns, widths = column_layout(160)
    assert columns == list(Column)
    assert sum(widths[c] + 2 for c in columns) + 2 == 160
    _, widths = column_layout(40)  # too narrow: the title keeps its least
    assert widths[Column.TITLE] == 18
