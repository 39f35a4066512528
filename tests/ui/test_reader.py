"""The reader, driven by keys through Pilot: the keys and the layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from ready import opened, reader, view_of
from textual.widgets import Input

from essaytui import paths
from essaytui.app import EssayApp
from essaytui.model.files import EssayFileError
from essaytui.screens.help import HelpScreen, help_plain
from essaytui.screens.reader import ReaderScreen
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.side_pane import SidePane
from essaytui.widgets.side_placeholder import SidePlaceholder
from essaytui.widgets.status import StatusLine

DATA = Path(__file__).resolve().parents[1] / "data"


async def test_opens_the_bundled_essay_with_three_panes_where_they_fit() -> None:
    app = EssayApp()
    async with app.run_test(size=(200, 50)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = reader(app)
        view = view_of(app)
        assert view.essay.title == "Strategic partners with caveats: China & Russia"
        assert view.painted
        assert view.has_focus
        assert screen.query_one(OutlinePane).display
        assert screen.query_one(SidePane).display
        assert not screen.has_class("-narrow")
        # the text keeps its measure, and the margin beside it holds the footnotes
        assert view.layout_lines.width == 72
        assert view.sidenotes


async def test_at_120_columns_the_text_gets_its_measure_beside_one_pane() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = reader(app)
        view = view_of(app)
        assert view.layout_lines.width >= 66
        assert screen.query_one(SidePane).display
        assert not screen.query_one(OutlinePane).display
        await pilot.press("o")  # the outline comes, the side pane steps aside for it
        assert screen.query_one(OutlinePane).display
        assert view.layout_lines.width >= 66


async def test_scrolling_keys_move_the_view() -> None:
    app = EssayApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("j")
        assert view.scroll_y == 1
        await pilot.press("down", "down")
        assert view.scroll_y == 3
        await pilot.press("k")
        assert view.scroll_y == 2
        await pilot.press("up")
        assert view.scroll_y == 1
        await pilot.press("space")
        page = view.scrollable_content_region.height - 1
        assert view.scroll_y == 1 + page
        await pilot.press("b")
        assert view.scroll_y == 1
        await pilot.press("pagedown")
        assert view.scroll_y == 1 + page
        await pilot.press("pageup")
        assert view.scroll_y == 1
        await pilot.press("d")
        half = view.scrollable_content_region.height // 2
        assert view.scroll_y == 1 + half
        await pilot.press("u")
        assert view.scroll_y == 1
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_y == 0
        await pilot.press("end")
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        assert view.scroll_y == 0


async def test_sections_keys_and_outline_follow_the_reading() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        essay = view.essay
        outline = reader(app).query_one(OutlinePane)
        await pilot.press("right_square_bracket")
        second = essay.sections[1]
        assert view.top_offset == second.start
        await pilot.pause()
        assert outline.cursor_section == second
        await pilot.press("right_square_bracket")
        assert view.top_offset == essay.sections[2].start
        await pilot.press("left_square_bracket")
        assert view.top_offset == second.start
        status = reader(app).query_one(StatusLine)
        assert f"§ 2/{len(essay.sections)}" in str(status.render())


async def test_outline_enter_jumps_and_o_toggles() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        essay = view.essay
        outline = reader(app).query_one(OutlinePane)
        await pilot.press("1")
        assert outline.has_focus
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert view.top_offset == essay.sections[2].start
        assert view.has_focus
        await pilot.press("o")
        assert not outline.display
        await pilot.press("o")
        assert outline.display


async def test_search_counts_highlights_and_moves() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("slash")
        bar = reader(app).query_one(SearchBar)
        assert bar.display and isinstance(app.focused, Input)
        await pilot.press(*"russia")
        await pilot.pause()
        text = view.essay.reading_text.lower()
        in_text = text.count("russia")
        assert len(view.matches) == in_text > 5
        # the count includes the matches inside the notes
        expected = in_text + sum(note.text.lower().count("russia") for note in view.essay.footnotes)
        count = bar.query_one("#search-count")
        assert str(count.render()) == f"1/{expected}"
        await pilot.press("enter")
        assert view.has_focus
        await pilot.press("n")
        assert view.current_match == 1
        assert str(count.render()) == f"2/{expected}"
        await pilot.press("N", "N")
        assert view.current_match == expected - 1
        await pilot.press("escape")
        assert not view.matches
        assert not bar.display


async def test_regex_search_and_invalid_regex_message() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("slash", *"re:Sino-(Russian|Soviet)")
        await pilot.pause()
        assert view.matches and all(
            view.essay.reading_text[s:e].startswith("Sino-") for s, e, _ in view.matches
        )
        bar = reader(app).query_one(SearchBar)
        bar.input.value = "re:(unclosed"
        await pilot.pause()
        assert not view.matches
        assert bar.count == "invalid"
        # the reason is shown in the bar, which holds the bottom line while a search is on
        shown = str(bar.query_one("#search-count").render())
        assert shown.startswith("invalid · ") and "missing )" in shown
        assert not reader(app).status.display


async def test_search_bar_takes_the_status_line_place_without_moving_the_essay() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        view = view_of(app)
        await pilot.pause()
        before = view.region
        await pilot.press("slash")
        await pilot.pause()  # the next frame's layout gives the bar its region
        bar = screen.query_one(SearchBar)
        assert bar.display and not screen.status.display
        assert bar.region.height == 1 and view.region == before
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.display and screen.status.display
        assert view.region == before


async def test_key_hints_follow_the_focus() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        hints = reader(app).query_one(KeyHints)
        assert "Footnote" in hints.hints().plain and "Quit" in hints.hints().plain
        await pilot.press("slash")
        await pilot.pause()
        shown = hints.hints().plain
        assert "Close search" in shown and "Footnote" not in shown
        assert str(hints.render()) == shown


async def test_side_pane_toggle_and_focus_keys() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()  # the side pane comes a frame after the essay
        screen = reader(app)
        side = screen.query_one(SidePane)
        await pilot.press("p")
        assert not side.display
        await pilot.press("3")
        assert side.display and side.active == "sources-tab"
        assert app.focused is not None and app.focused.id == "sources"
        await pilot.press("4")
        assert side.active == "glossary-tab"
        await pilot.press("5")
        assert side.active == "notes-tab"
        await pilot.press("2")
        assert view_of(app).has_focus
        await pilot.press("tab")
        assert not view_of(app).has_focus


async def test_help_screen_lists_every_key() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert isinstance(app.screen, HelpScreen)
        shown = help_plain(EssayApp, app.keymap_in_effect, app.screen.keymap_file, width=100)
        rows = [row.rstrip() for row in shown.splitlines()]
        # keys as typed, in a column of their own, then what they do
        for keys, what in (
            ("j ↓", "Line down"),
            ("]", "Next section"),
            ("backspace ctrl+o <", "back to exactly where you were"),
            ("ctrl+p", "every action"),
            ("/", "search (case-insensitive"),
            ("?", "every key"),
        ):
            assert any(row.startswith(f" {keys} ") and what in row for row in rows), keys
        assert "right_square_bracket" not in shown and "question_mark" not in shown
        assert "Reading" in rows and "Footnotes" in rows and "Search" in rows
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_narrow_terminal_panes_are_overlays() -> None:
    app = EssayApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        screen = reader(app)
        await pilot.pause()
        assert screen.has_class("-narrow")
        outline = screen.query_one(OutlinePane)
        assert not outline.display
        view = view_of(app)
        assert view.size.width >= 76
        await pilot.press("o")
        assert outline.display
        # an overlay: the essay keeps its width
        await pilot.pause()
        assert view.size.width >= 76
        await pilot.press("escape")


async def test_resize_keeps_the_same_sentence_at_the_top() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("right_square_bracket", "right_square_bracket", "j", "j", "j")
        before = view.top_offset
        sentence = view.essay.sentence_bounds(before)
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        after = view.top_offset
        assert sentence[0] <= after <= before or view.essay.sentence_bounds(after) == sentence
        assert abs(after - before) < 80


async def test_quit_key_exits() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_command_palette_goes_to_a_section() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        target = view.essay.sections[3]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to section 4")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert view.top_offset == target.start


async def test_an_essay_without_headings_reads(tmp_path: Path) -> None:
    essay = tmp_path / "plain.md"
    essay.write_text("Just a paragraph.\n\nAnd another one, with no heading at all.\n")
    app = EssayApp(essay)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        assert view.essay.title == "plain"
        await pilot.press("right_square_bracket")
        assert view.top_offset == 0


def test_default_essay_exists() -> None:
    assert paths.default_essay().is_file()


async def test_the_outline_lists_every_section() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)):
        outline = reader(app).query_one(OutlinePane)
        titles = [row.section.title for row in outline.rows]
        assert titles == [section.title for section in view_of(app).essay.sections]


def big_essay(folder: Path) -> Path:
    """An essay of about 700 KB: larger than the first-screen limit and the search limit."""
    parts = ["---\ntitle: A long one\nauthor: Someone\n---\n"]
    for section in range(60):
        parts.append(f"## Section {section}\n")
        for paragraph in range(25):
            parts.append(
                f"Paragraph {section}.{paragraph} argues a point at some length, "
                "with a needle here and there, so that the text keeps going for "
                f"a while.[^n{section}-{paragraph}] " * 4 + "\n"
            )
    for section in range(60):
        for paragraph in range(25):
            parts.append(f"[^n{section}-{paragraph}]: Source for {section}.{paragraph}.\n")
    path = folder / "long.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    assert path.stat().st_size > 600_000
    return path


async def test_a_large_essay_shows_its_start_then_completes_in_place(tmp_path: Path) -> None:
    app = EssayApp(big_essay(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        # A short sleep, not pause() or opened(): those wait for the process to be idle
        # (up to a second each), and the rest's parse may be done by then.
        await pilot.pause(0.02)
        view = view_of(app)
        assert not app.essay.complete
        first_length = len(view.essay.reading_text)
        await pilot.press("j", "j", "j")
        top = view.top_offset
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.essay.complete
        assert len(view.essay.reading_text) > first_length
        assert view.top_offset == top
        assert len(view.essay.footnotes) == 60 * 25
        await pilot.press("G")
        assert view.bottom_offset == len(view.essay.reading_text)
        # a search over a long text runs in a worker and then shows its count
        await pilot.press("slash", *"needle")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(view.matches) == 60 * 25 * 4
        bar = reader(app).query_one(SearchBar)
        assert str(bar.query_one("#search-count").render()).endswith(f"/{60 * 25 * 4}")


async def test_long_outline_titles_end_in_an_ellipsis_without_sideways_scrolling() -> None:
    app = EssayApp()
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        outline = reader(app).query_one(OutlinePane)
        width = outline.scrollable_content_region.width
        lines = [outline.render_line(y).text.rstrip() for y in range(7)]
        long_titles = [line for line in lines if line.endswith("…")]
        assert long_titles, lines
        assert all(len(line) <= width for line in lines)
        assert lines[6] == "Conclusion"
        assert outline.virtual_size.width <= width or not outline.show_horizontal_scrollbar


async def test_an_essay_deleted_while_its_rest_loads_keeps_its_first_part(tmp_path: Path) -> None:
    path = big_essay(tmp_path)
    app = EssayApp(path)  # reads the first part now; the rest is read once the app runs
    path.unlink()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = view_of(app)
        assert not view.essay.complete and view.essay.reading_text.startswith("Section 0")
        message = reader(app).status.message
        assert message.startswith("Only the first part could be read:") and "long.md" in message
        status = str(reader(app).status.render())
        assert "first part only" in status and "loading" not in status
        await pilot.press("j")  # still reading
        assert view.top_offset > 0


async def test_the_side_pane_border_shows_when_the_focus_is_inside_it() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()  # the side pane comes a frame after the essay
        side = reader(app).query_one(SidePane)
        idle = side.styles.border_top[1]
        await pilot.press("3")  # Sources
        await pilot.pause()
        assert side.has_class("-focus-within")
        focused = side.styles.border_top[1]
        assert focused != idle
        await pilot.press("4")  # from one tab to another: still inside
        await pilot.pause()
        assert side.has_class("-focus-within") and side.styles.border_top[1] == focused
        await pilot.press("escape", "2")
        await pilot.pause()
        assert view_of(app).has_focus
        assert not side.has_class("-focus-within") and side.styles.border_top[1] == idle


async def test_the_search_count_stays_true_while_a_message_is_shown() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        await pilot.press("slash", *"russia", "enter")
        await pilot.pause()
        total = len(reader(app).search.hits)  # in the text and in its notes
        bar = reader(app).query_one(SearchBar)
        await pilot.press("N")  # wraps to the last match, with a message
        shown = str(bar.query_one("#search-count").render())
        assert view.current_match == total - 1
        assert shown == f"{total}/{total} · Search wrapped to the bottom."
        await pilot.press("N")
        shown = str(bar.query_one("#search-count").render())
        assert shown.startswith(f"{total - 1}/{total} · ")


async def test_key_hints_take_the_new_theme_colours() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        hints = reader(app).query_one(KeyHints)

        def key_colour() -> object:
            (key,) = [s for s in hints.render_line(0) if s.text.strip() == "f"]
            assert key.style is not None
            return key.style.color

        for theme in ("textual-dark", "textual-light", "gruvbox"):
            app.theme = theme
            await pilot.pause()
            expected = hints.get_component_rich_style("key-hints--key").color
            assert key_colour() == expected


def test_an_app_that_never_runs_leaves_garbage_collection_on(tmp_path: Path) -> None:
    import gc

    assert gc.isenabled()
    EssayApp()  # built, never run
    assert gc.isenabled()
    with pytest.raises(EssayFileError):
        EssayApp(tmp_path / "missing.md")
    assert gc.isenabled()


async def test_clicking_a_key_hint_presses_its_key() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        hints = screen.query_one(KeyHints)
        await pilot.pause()
        (start, _end, _key) = next(span for span in hints.hint_spans if span[2] == "o")
        outline = screen.query_one(OutlinePane)
        assert not outline.display  # at 120 columns the side pane is shown, not the outline
        await pilot.click(KeyHints, offset=(start + 1, 0))
        assert outline.display
        await pilot.click(KeyHints, offset=(hints.hint_spans[-1][1] + 5, 0))  # past the hints
        assert outline.display


async def test_a_message_shown_in_the_search_bar_outlives_it() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        await pilot.press("slash", *"russia")
        screen.say("Not saved: the disk is full")
        await pilot.press("escape")
        assert screen.status.display
        assert screen.status.message == "Not saved: the disk is full"


async def test_a_new_status_message_keeps_its_own_time() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        status = reader(app).status
        status.say("first", seconds=0.1)
        status.say("second", seconds=30)
        await pilot.pause(0.4)  # the first message's time is long past
        assert status.message == "second"
        assert str(status.render()).startswith("second   ·   § ")


async def test_the_side_pane_arrives_after_the_first_screen_and_keys_wait_for_it() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader(app)
        for _ in range(50):  # a frame or so after the first screen (later on a busy machine)
            await pilot.pause()
            if not screen.query(SidePlaceholder):
                break
        # it has arrived: the placeholder that held its place is gone
        assert not screen.query(SidePlaceholder) and screen.query_one(SidePane).display
        # A key for the pane pressed before it arrives runs once it does (replayed here by
        # taking the pane away and announcing it again, as its mount does).
        side = screen.query_one(SidePane)
        screen.panes.side_ready = False
        screen.panes.focus_pane("notes")
        assert side.active != "notes-tab"
        side.post_message(SidePane.Ready(side))
        await pilot.pause()
        assert side.active == "notes-tab" and screen.query_one(NotesPane).has_focus
