"""CJK in the view: no character lost when an overlay moves or closes,
lines broken where Chinese and Japanese break them, notes that start on their number's
line, reading time that counts characters.

The fixture is modelled on Chinese and Japanese essays with footnotes (urban-studies
writing: long paragraphs, 「」 quotations, notes citing books and surveys).

The repaint tests look at what reaches the terminal: every update Textual writes is
replayed on a grid of cells that behaves as terminals do (a character written over
either half of a wide character erases all of it), then compared with the screen
drawn whole.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ready import opened, reader, view_of
from rich.cells import cell_len
from rich.console import Console, RenderableType
from textual._compositor import CompositorUpdate
from textual.pilot import Pilot
from textual.screen import Screen

from essaytui.app import EssayApp
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.targets import FootnoteRef, LinkRef
from essaytui.widgets.line_break import line_break_class
from essaytui.widgets.peek import Peek
from essaytui.widgets.sources import SourcesPane
from essaytui.widgets.status import reading_minutes

CJK = Path(__file__).resolve().parents[1] / "data" / "reading" / "cjk-essay.md"

# what a terminal is told: cursor moves, other control sequences, hyperlinks, text
_SEQUENCE = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\x1b\][^\x1b]*\x1b\\|\x1b.|[^\x1b]")


class TerminalGrid:
    """Cells as a terminal holds them; "" is the right half of a wide character."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.rows = [[" "] * width for _ in range(height)]

    def feed(self, data: str) -> None:
        x = y = 0
        for match in _SEQUENCE.finditer(data):
            token = match.group(0)
            if match.group(2) == "H":
                row, _, column = (match.group(1) or "1;1").partition(";")
                y, x = int(row or 1) - 1, int(column or 1) - 1
            elif token == "\n":
                x, y = 0, y + 1
            elif not token.startswith("\x1b"):
                self._put(x, y, token)
                x += cell_len(token)

    def _put(self, x: int, y: int, char: str) -> None:
        if not (0 <= y < len(self.rows) and 0 <= x < self.width):
            return
        row = self.rows[y]
        wide = cell_len(char) == 2
        for cell in (x, x + 1) if wide else (x,):
            if cell >= self.width:
                continue
            if row[cell] == "" and cell > 0:
                row[cell - 1] = " "  # the left half of a wide character, orphaned
            elif cell_len(row[cell]) == 2 and cell + 1 < self.width:
                row[cell + 1] = " "  # its right half, orphaned
        row[x] = char
        if wide and x + 1 < self.width:
            row[x + 1] = ""

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.rows]


class Recording(EssayApp):
    """The real app, keeping every update it would write to the terminal."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.updates: list[str] = []
        self.opened: list[str] = []

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        if isinstance(renderable, CompositorUpdate):
            self.updates.append(renderable.render_segments(self._terminal_console))
        super()._display(screen, renderable)

    @property
    def _terminal_console(self) -> Console:
        return Console(width=self.size.width, force_terminal=True, color_system="truecolor")

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)


def on_the_terminal(app: Recording) -> list[str]:
    """The screen as the terminal shows it after every update written so far."""
    grid = TerminalGrid(*app.size)
    for update in app.updates:
        grid.feed(update)
    return grid.lines()


def drawn_whole(app: Recording) -> list[str]:
    """The screen drawn in one piece, as a fresh terminal would show it."""
    grid = TerminalGrid(*app.size)
    full = app.screen._compositor.render_update(full=True)
    assert isinstance(full, CompositorUpdate)
    grid.feed(full.render_segments(app._terminal_console))
    return grid.lines()


async def settle(pilot: Pilot[None]) -> None:
    await opened(pilot)  # the side pane there (it comes just after the first screen)
    await pilot.pause()


async def test_no_wide_character_is_lost_when_the_peek_moves_or_closes() -> None:
    app = Recording(CJK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        peek = reader(app).query_one(Peek)
        placed = set()
        for keys in (["f"], ["f"], ["f"], ["F"], ["f", "f"], ["escape"], ["f"], ["j", "j"]):
            await pilot.press(*keys)
            await settle(pilot)
            placed.add(peek.placed)
            assert on_the_terminal(app) == drawn_whole(app), keys
        assert len(placed - {None}) >= 3  # the peek moved, and closed (None)
        assert None in placed


async def test_without_repainting_its_rows_the_moving_peek_cuts_a_character() -> None:
    """The control: Textual alone repaints only the cells the peek leaves, and a
    character at its edge is lost on the terminal (因此 → 因): what the fix is for."""
    app = Recording(CJK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        peek = reader(app).query_one(Peek)
        peek.beneath = None  # the repaint taken away
        view = view_of(app)
        differences: list[tuple[str, str]] = []
        for _ in range(4):
            await pilot.press("f")
            await settle(pilot)
            # The reader's peek covers the whole text column, its edges in the margins;
            # one narrower than the column has its edges inside the text, where a wide
            # character can straddle them.
            target = view.target
            assert target is not None
            row = view.row_of(target.start)
            assert row is not None
            peek.show_near(peek.shown, view.scrollable_content_region, row)
            await settle(pilot)
            shown, whole = on_the_terminal(app), drawn_whole(app)
            differences += [(a, b) for a, b in zip(shown, whole, strict=True) if a != b]
        assert differences
        # each differs by characters missing (a blank where one was), never added
        for shown_row, whole_row in differences:
            missing = Counter(whole_row.replace(" ", "")) - Counter(shown_row.replace(" ", ""))
            assert missing and all(cell_len(char) == 2 for char in missing), (shown_row, whole_row)


async def test_no_wide_character_is_lost_when_a_dialog_closes() -> None:
    app = Recording(CJK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = view_of(app)
        await pilot.press("l")
        assert isinstance(view.target, LinkRef)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert on_the_terminal(app) == drawn_whole(app)
        assert app.opened == []


async def test_no_line_of_the_essay_starts_with_closing_punctuation() -> None:
    app = EssayApp(CJK)
    for size in ((80, 24), (120, 40), (61, 30), (47, 30)):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            view = view_of(app)
            layout = view.layout_lines
            text = view.essay.reading_text
            lines = [
                text[layout.starts[i] : layout.ends[i]]
                for i in range(len(layout))
                if layout.blocks[i] >= 0 and layout.ends[i] > layout.starts[i]
            ]
            assert len(lines) > 10
            for line in lines:
                assert line_break_class(line[0]) not in ("CL", "CP", "EX", "IS", "NS"), (size, line)
                assert line_break_class(line[-1]) != "OP", (size, line)
        app = EssayApp(CJK)


async def test_a_note_in_sources_starts_on_the_line_of_its_number() -> None:
    app = EssayApp(CJK)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        essay = view_of(app).essay
        long_note = max(essay.footnotes, key=lambda note: len(note.text))
        start, end = long_note.refs[0]
        view_of(app).select_target(FootnoteRef(start, end, long_note.label))
        await pilot.press("enter")
        await settle(pilot)
        sources = reader(app).query_one(SourcesPane)
        assert sources.highlighted_label == long_note.label
        # the first line drawn for the source holds its number and the start of its text
        index = sources.highlighted
        assert index is not None
        line = sources._index_to_line[index]
        first = "".join(
            segment.text for segment in sources.render_line(line - round(sources.scroll_y))
        )
        assert "³" in first or str(long_note.number) in first
        assert long_note.text[:4] in first


def test_reading_time_counts_chinese_characters() -> None:
    chinese = "城市的记忆往往藏在最普通的地方。" * 550  # 8,800 characters, no spaces
    assert 20 <= reading_minutes(chinese, 0) <= 24  # ~400 a minute, not "~4 min"
