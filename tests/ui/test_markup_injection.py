"""Square brackets from a file or the reader are text, never Textual markup.

`[/usr/bin` in a glossary definition or a note crashed the command palette (MarkupError:
`escape()` leaves a `[/` without a `]`); the search bar's count label parsed a regular
expression such as `re:(?P<[/]>x)` as markup. Every widget that shows text from the
essay, its glossary, the reader's notes and tags, or a query, is swept here with `[/x`,
`[bold]` and `[$x]`; the app must keep running and show the brackets as they are.
"""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input

from essaytui.app import EssayApp
from essaytui.model.annotation import Kind, make_annotation
from essaytui.store import AnnotationStore
from essaytui.widgets.search_bar import SearchBar

ESSAY = Path(__file__).resolve().parents[1] / "data" / "hostile" / "brackets" / "essay.md"


def screen_text(app: EssayApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_brackets_everywhere_are_shown_as_text(data_dir: Path) -> None:
    app = EssayApp(ESSAY)
    with AnnotationStore.open(data_dir) as store:
        essay = app.essay
        start = essay.reading_text.index("Text that")
        note = make_annotation(essay, start, start + 10, Kind.NOTE, note="see [/usr/bin [bold]")
        from dataclasses import replace

        store.add(replace(note, tags=("[$x]", "[/tag")))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Paths like [/usr/bin and [bold]styles" in shown
        assert "quotes [/usr/bin," in shown
        # the palette lists footnotes, terms and notes with their help lines
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"usr")
        await pilot.pause(0.5)
        assert "[/usr/bin" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # a regular expression with brackets, and a message shown in the search bar
        await pilot.press("slash", *"re:(?P<[/]>x)")
        await pilot.pause()
        bar = app.reader.query_one(SearchBar)
        assert bar.input.value == "re:(?P<[/]>x)"
        app.reader.say("a warning about [/usr/bin and [bold]")
        await pilot.pause()
        assert "a warning about [/usr/bin and [bold]" in screen_text(app)
        await pilot.press("escape")
        # peeks, panes, the status line
        await pilot.press("f")
        await pilot.pause()
        assert "A note about [/usr/bin and [$accent]" in screen_text(app)
        for pane in ("3", "4", "5"):
            await pilot.press(pane)
            await pilot.pause()
        assert "see [/usr/bin [bold]" in screen_text(app)
        assert "[/tag" in screen_text(app)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert "A definition with [/usr/bin," in screen_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        assert app.is_running and app.return_code is None


async def test_a_glossary_filter_with_brackets_is_text() -> None:
    app = EssayApp(ESSAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        field = app.reader.query_one("#glossary-filter", Input)
        field.value = "[/te"
        await pilot.pause()
        assert "[/term" in screen_text(app)
        assert app.is_running


async def test_imported_tags_and_dates_never_reach_the_terminal_raw(data_dir: Path) -> None:
    """`"tags": ["\\u001b]2;PWNED\\u0007"]` in an import retitled the terminal (17.16)."""
    from dataclasses import replace

    app = EssayApp(ESSAY)
    with AnnotationStore.open(data_dir) as store:
        start = app.essay.reading_text.index("Text that")
        note = make_annotation(app.essay, start, start + 10, Kind.NOTE, note="n")
        store.add(replace(note, tags=("\x1b]2;PWNED\x07",), modified="\x1b]0;X\x07-01-01"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        shown = screen_text(app)
        assert "␛]2;PWNED␇" in shown
        assert "\x1b" not in shown and "\x07" not in shown
