"""Links through Pilot: jumps inside the essay and back, l / L over
every link, addresses shown before they open, terminal hyperlinks in the drawn lines.

The fixture is modelled on READMEs with a table of contents (GitHub slugs, a repeated
"Usage" heading, `<a id>` / `<a name>` anchors, `[<sup>1</sup>](#refer-anchor-1)`
citations and renderers' footnote links).
"""

from __future__ import annotations

from pathlib import Path

from ready import opened, reader, view_of
from rich.console import Console

from essaytui.app import EssayApp
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.help import help_plain
from essaytui.sessions.targets import LinkRef
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.peek import Peek
from essaytui.widgets.side_pane import SidePane
from essaytui.widgets.sources import SourcesPane

README = Path(__file__).resolve().parents[1] / "data" / "reading" / "links-readme.md"


class Recording(EssayApp):
    """The real app, except that an address "opened" is written down, not launched."""

    opened: list[str]

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)


def recording(path: Path = README) -> Recording:
    app = Recording(path)
    app.opened = []
    return app


def links_of(view: EssayView) -> list[LinkRef]:
    return [link for _, _, link in view._links()]


def peek_text(app: EssayApp) -> str:
    peek = reader(app).query_one(Peek)
    assert not peek.has_class("-hidden")
    return str(peek.render())


def assert_at_top(view: EssayView, offset: int) -> None:
    """`offset` is at the top of the view, or on screen when the essay's end is reached."""
    if round(view.scroll_y) < view.max_scroll_y:
        assert view.top_offset == offset
    else:
        assert view.row_of(offset) is not None


async def select_link(app: EssayApp, pilot: object, url: str) -> LinkRef:
    """Press l until the link to `url` is selected (as a reader would)."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    view = view_of(app)
    for _ in range(len(links_of(view)) + 1):
        await pilot.press("l")
        target = view.target
        if isinstance(target, LinkRef) and target.url == url:
            return target
    raise AssertionError(f"l never reached {url}")


async def test_l_and_L_reach_every_link_in_order_and_wrap() -> None:
    app = recording()
    async with app.run_test(size=(120, 40)) as pilot:
        view = view_of(app)
        links = links_of(view)
        assert len(links) >= 15
        seen: list[LinkRef] = []
        for _ in links:
            await pilot.press("l")
            assert isinstance(view.target, LinkRef)
            seen.append(view.target)
        assert [link.start for link in seen] == [link.start for link in links]
        # every one of them, not only the first on screen, and the view follows
        assert view.row_of(seen[-1].start) is not None
        await pilot.press("l")
        assert view.target == links[0]  # wrapped to the first
        await pilot.press("L")
        assert view.target == links[-1]  # and back round to the last
        await pilot.press("L")
        assert view.target == links[-2]


async def test_a_contents_link_jumps_to_the_second_usage_heading_and_backspace_returns() -> None:
    app = recording()
    async with app.run_test(size=(80, 24)) as pilot:
        view = view_of(app)
        essay = view.essay
        link = await select_link(app, pilot, "#usage-1")
        assert "go there" in peek_text(app)
        top_before = view.top_offset
        await pilot.press("enter")
        await pilot.pause()
        usages = [section for section in essay.sections if section.title == "Usage"]
        assert len(usages) == 2
        assert_at_top(view, usages[1].start)  # the second "Usage"
        assert view.row_of(usages[0].start) != 0
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.opened == []
        await pilot.press("backspace")
        await pilot.pause()
        assert view.top_offset == top_before
        assert view.target == link  # the link is selected again, as it was


async def test_slugs_with_punctuation_and_chinese_headings_jump() -> None:
    app = recording()
    async with app.run_test(size=(120, 40)) as pilot:
        view = view_of(app)
        essay = view.essay
        titles = {section.title: section.start for section in essay.sections}
        for url, title in (("#whats-new", "What's new?"), ("#table-of-contents", None)):
            await select_link(app, pilot, url)
            await pilot.press("enter")
            await pilot.pause()
            assert_at_top(view, titles[title or "Table of contents"])
            await pilot.press("backspace")
        # markdown-it writes the Chinese fragment percent-encoded: it still jumps
        chinese = next(link for link in links_of(view) if link.url.startswith("#%E4"))
        view.select_target(chinese)
        await pilot.press("enter")
        await pilot.pause()
        assert_at_top(view, titles["中文说明"])


async def test_a_footnote_link_opens_its_source_and_a_back_link_returns_to_the_text() -> None:
    app = recording()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = view_of(app)
        essay = view.essay
        await select_link(app, pilot, "#fn1")
        await pilot.press("enter")
        await pilot.pause()
        sources = reader(app).query_one(SourcesPane)
        assert not reader(app).query_one(SidePane).has_class("-hidden")
        first = next(note for note in essay.footnotes if note.number == 1)
        assert sources.highlighted_label == first.label
        # the note of number 2 carries a back link to its reference: choose it in Sources
        second = next(note for note in essay.footnotes if note.number == 2)
        sources.show_source(second.label)
        back_link = next(
            index
            for index in range(sources.option_count)
            if (option := sources.get_option_at_index(index)).id is not None
            and option.id.startswith(f"link:{second.label}:")
            and "#fnref2" in str(option.prompt)
        )
        sources.focus()
        sources.highlighted = back_link
        await pilot.press("enter")
        await pilot.pause()
        assert view.row_of(second.refs[0][0]) is not None  # its reference is on screen
        assert app.opened == []


async def test_a_link_to_nothing_says_so_and_moves_nothing() -> None:
    app = recording()
    async with app.run_test(size=(120, 40)) as pilot:
        view = view_of(app)
        view.select_target(LinkRef(0, 1, "#no-such-place"))
        top = view.top_offset
        await pilot.press("enter")
        await pilot.pause()
        assert view.top_offset == top
        assert "No heading or anchor" in str(reader(app).status.render())
        assert app.opened == []


async def test_an_outside_link_is_shown_first_and_drawn_as_a_terminal_hyperlink() -> None:
    app = recording()
    async with app.run_test(size=(120, 40)) as pilot:
        view = view_of(app)
        url = "https://example.org/tidewater"
        link = await select_link(app, pilot, url)
        assert f"Link: {url}" in peek_text(app)
        # the cells of the link text carry the address (OSC 8), the rest none
        row = view.row_of(link.start)
        assert row is not None
        strip = view.render_line(row)
        linked = [segment for segment in strip if segment.style and segment.style.link]
        by_address: dict[str, str] = {}
        for segment in linked:
            assert segment.style is not None and segment.style.link is not None
            by_address[segment.style.link] = by_address.get(segment.style.link, "") + segment.text
        assert by_address == {url: "project page", f"{url}/changes": "changelog"}
        console = Console(force_terminal=True, color_system="truecolor")
        assert "\x1b]8;id=" in strip.render(console) and url in strip.render(console)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.opened == []
        await pilot.press("enter")
        assert app.opened == [url]


async def test_internal_links_are_not_terminal_hyperlinks() -> None:
    app = recording()
    async with app.run_test(size=(120, 40)) as pilot:
        view = view_of(app)
        link = await select_link(app, pilot, "#installation")
        row = view.row_of(link.start)
        assert row is not None
        assert not any(segment.style and segment.style.link for segment in view.render_line(row))


async def test_the_help_lists_the_link_keys() -> None:
    shown = help_plain(EssayApp, {}, "keys.toml", width=100)
    rows = [line.split() for line in shown.splitlines()]
    assert any(row[0] == "l" and row[-1] == "essay.next_link" for row in rows if row)
    assert any(row[0] == "L" and row[-1] == "essay.previous_link" for row in rows if row)
    assert "enter jumps there" in " ".join(shown.split())


async def test_html_anchors_jump_and_backspace_returns() -> None:
    app = recording()
    async with app.run_test(size=(80, 24)) as pilot:
        view = view_of(app)
        text = view.essay.reading_text
        for url, heading in (("#step2", "Pick a harbour"), ("#faq", "Questions people ask")):
            link = await select_link(app, pilot, url)
            before = view.top_offset
            await pilot.press("enter")
            await pilot.pause()
            row = next(
                row
                for row in range(view.scrollable_content_region.height)
                if heading in "".join(segment.text for segment in view.render_line(row))
            )
            if row:  # not at the top only when the end of the essay is reached
                assert round(view.scroll_y) == view.max_scroll_y
            else:
                assert heading in text[view.top_offset : view.top_offset + 40]
            await pilot.press("backspace")
            await pilot.pause()
            assert view.top_offset == before and view.target == link
        assert app.opened == []


async def test_an_image_shows_its_address_and_opens_only_when_asked() -> None:
    app = recording()
    async with app.run_test(size=(120, 40)) as pilot:
        view = view_of(app)
        await pilot.press("l")  # the build badge comes first
        image = view.target
        assert isinstance(image, LinkRef) and image.image
        assert image.url.startswith("https://img.shields.io/")
        assert peek_text(app).startswith(f"Image: {image.url}")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Open this image?" in question and image.url in question
        await pilot.press("escape")
        assert app.opened == []
        await pilot.press("enter", "enter")  # asked again, and this time yes
        assert app.opened == [image.url]


async def test_the_link_keys_can_be_remapped_in_keys_toml() -> None:
    from essaytui import paths

    keys = paths.keymap_file()
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text('[keys]\n"essay.next_link" = "semicolon"\n')
    app = recording()
    async with app.run_test(size=(120, 40)) as pilot:
        view = view_of(app)
        await pilot.press("l")
        assert view.target is None  # l no longer selects a link
        await pilot.press("semicolon")
        assert view.target == links_of(view)[0]
        shown = help_plain(EssayApp, app.keymap_in_effect, str(keys), width=100)
        row = next(line for line in shown.splitlines() if "essay.next_link" in line)
        assert row.split()[0] == ";"
