"""The first screen is few widgets; the side pane (tabs and three lists) arrives after the
first frame is written, in its placeholder's place, and works as if it had always been
there. The modules only the pane needs are not imported before it."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from ready import opened, reader
from rich.console import RenderableType
from textual.screen import Screen
from textual.widgets import OptionList

from essaytui.app import EssayApp
from essaytui.model.essay import Section
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.side_pane import SidePane
from essaytui.widgets.side_placeholder import SidePlaceholder
from essaytui.widgets.sources import SourcesPane

#: At most this many widgets (the screen and scroll bars not counted) in the first frame:
#: the panes' row, the outline, the essay, the side pane's placeholder, the search bar
#: and its three parts (hidden), the status line, the key hints and the peek (hidden).
#: With the side pane it is 31.
FIRST_SCREEN_WIDGETS = 11

#: Modules the side pane needs and the first screen does not.
SIDE_PANE_MODULES = (
    "essaytui.widgets.side_pane",
    "essaytui.widgets.sources",
    "essaytui.widgets.glossary",
    "essaytui.widgets.notes",
    "textual.widgets._tabbed_content",
    "textual.widgets._text_area",
)


class WatchedApp(EssayApp):
    """The app, noting what each frame it draws holds (Textual's `_display` is where a
    frame leaves for the terminal)."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[list[type[Any]]] = []
        #: The outline's highlighted section in each frame.
        self.outline_sections: list[Section | None] = []

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        if renderable is not None:
            self.outline_sections.append(screen.query_one(OutlinePane).cursor_section)
            self.frames.append(
                [
                    type(widget)
                    for widget in screen.walk_children()
                    if type(widget).__name__ != "ScrollBar"
                ]
            )
        super()._display(screen, renderable)


async def test_the_first_frame_is_few_widgets_and_the_side_pane_comes_after_it() -> None:
    app = WatchedApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        first = app.frames[0]
        assert EssayView in first and OutlinePane in first and SidePlaceholder in first
        assert SidePane not in first and SourcesPane not in first
        assert len(first) <= FIRST_SCREEN_WIDGETS, first
        # it came later, in the placeholder's place, and the placeholder is gone
        screen = reader(app)
        assert not screen.query(SidePlaceholder)
        side = screen.query_one(SidePane)
        assert side.display and side.region.width > 0
        assert any(SidePane in frame for frame in app.frames[1:])


async def test_the_outline_lights_the_section_being_read_in_the_first_frame() -> None:
    app = WatchedApp()
    async with app.run_test(size=(160, 45)) as pilot:  # the outline beside the text
        await opened(pilot)
        assert app.outline_sections[0] == reader(app).essay.sections[0]


async def test_the_side_pane_that_arrived_works_tabs_switch_and_lists_fill() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        essay = screen.essay
        side = screen.query_one(SidePane)
        sources = screen.query_one(SourcesPane)
        assert side.active == "sources-tab"
        assert sources.option_count >= len(essay.footnotes) > 0
        await pilot.press("4")  # Glossary
        await pilot.pause()
        assert side.active == "glossary-tab"
        glossary = screen.query_one(GlossaryPane)
        terms = glossary.query_one("#glossary-terms", OptionList)
        assert terms.option_count == len(essay.glossary) > 0
        assert terms.has_focus
        await pilot.press("5")  # Notes
        await pilot.pause()
        assert side.active == "notes-tab"
        assert screen.query_one(NotesPane).has_focus
        # a note made now is listed in the pane that arrived late
        await pilot.press("2", "v", "h")
        await pilot.pause()
        assert screen.query_one(NotesPane).option_count >= 1
        # enter on a source jumps to its reference in the essay
        await pilot.press("3")
        await pilot.pause()
        assert side.active == "sources-tab" and sources.has_focus
        sources.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        view = screen.query_one(EssayView)
        first_ref = essay.footnotes[0].refs[0][0]
        assert view.top_offset <= first_ref < view.bottom_offset


def test_starting_the_reader_does_not_import_the_side_panes_modules() -> None:
    script = (
        "import json, sys\n"
        "from essaytui.cli import reader_app\n"
        "reader_app(None, None)\n"
        f"print(json.dumps([m for m in {SIDE_PANE_MODULES!r} if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
