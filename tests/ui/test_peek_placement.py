"""The peek stays where it belongs: over the text column, never over a pane.

It closes when the pane that holds its note or term opens, it is placed again (or
closed) whenever the layout or the terminal size changes, and it is as wide as the text
column, so no letter of the line behind it shows past its border. Checked at 80×24,
120×40 and 200×50, with resizes in between, in the real app.
"""

from __future__ import annotations

from ready import opened, reader
from textual.geometry import Region
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.sessions.targets import FootnoteRef, TermHit
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.side_pane import SidePane

SIZES = ((80, 24), (120, 40), (200, 50))


def shown(peek: Peek) -> bool:
    return not peek.has_class("-hidden") and peek.display


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()


def check_peek(app: EssayApp) -> Region | None:
    """The peek's region on screen if shown, after checking it sits where it belongs."""
    screen = reader(app)
    peek = screen.query_one(Peek)
    if not shown(peek):
        return None
    view = screen.query_one(EssayView)
    area = view.scrollable_content_region
    drawn = peek.region
    assert drawn == peek.placed, (drawn, peek.placed)  # what it thinks is what is drawn
    assert area.contains_region(drawn), (drawn, area)
    assert screen.region.contains_region(drawn)
    # as wide as the text column and over it: its border covers the cells either side
    left = area.x + view.text_x
    assert drawn.x <= left - 1 or drawn.x == area.x, (drawn, left)
    assert drawn.right >= min(area.right, left + view.column_width + 1), (drawn, left)
    # never over a pane shown beside or over the essay
    for pane in (screen.query_one(OutlinePane), *screen.query(SidePane)):
        if pane.display and not pane.has_class("-hidden") and pane.region.area:
            assert not pane.region.overlaps(drawn), (pane, pane.region, drawn)
    # never over the reference's own line
    target = view.target
    assert target is not None
    row = view.row_of(target.start)
    assert row is not None
    assert not drawn.contains_point((drawn.x, area.y + row)) or drawn.height == 0
    return drawn


async def test_enter_closes_the_peek_as_its_pane_opens_at_80_columns() -> None:
    app = EssayApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        screen = reader(app)
        peek = screen.query_one(Peek)
        await pilot.press("right_square_bracket", "f")
        await settle(pilot)
        assert isinstance(screen.view.target, FootnoteRef)
        assert shown(peek)
        check_peek(app)
        await pilot.press("enter")
        await settle(pilot)
        side = screen.query_one(SidePane)
        assert not side.has_class("-hidden") and side.active == "sources-tab"
        assert not shown(peek), "the peek stays over the source it jumped to"
        await pilot.press("backspace", "t")
        await settle(pilot)
        assert isinstance(screen.view.target, TermHit)
        assert shown(peek)
        await pilot.press("enter")
        await settle(pilot)
        assert side.active == "glossary-tab" and not side.has_class("-hidden")
        assert not shown(peek), "the peek stays over the glossary entry"


async def test_the_peek_follows_the_text_when_the_outline_opens() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        await pilot.press("g", "f")
        await settle(pilot)
        before = check_peek(app)
        assert before is not None
        outline = screen.query_one(OutlinePane)
        shown_before = outline.display and not outline.has_class("-hidden")
        await pilot.press("o")
        await settle(pilot)
        assert (outline.display and not outline.has_class("-hidden")) != shown_before
        after = check_peek(app)
        assert after is not None and after != before  # the text moved: so did the peek
        await pilot.press("o")
        await settle(pilot)
        check_peek(app)


async def test_the_peek_is_placed_again_on_every_resize() -> None:
    app = EssayApp()
    async with app.run_test(size=(200, 50)) as pilot:
        await opened(pilot)
        screen = reader(app)
        screen.panes.want(sidenotes=False)  # peeks at every width
        await pilot.press("g", "f")
        await settle(pilot)
        assert check_peek(app) is not None
        for width, height in (*SIZES, (200, 50), (80, 24), (120, 40)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            check_peek(app)
            # a full redraw does not bring back a stale one either
            app.refresh(repaint=True, layout=True)
            await settle(pilot)
            check_peek(app)


async def test_nothing_shows_past_the_peek_at_each_size() -> None:
    for size in SIZES:
        app = EssayApp()
        async with app.run_test(size=size) as pilot:
            await opened(pilot)
            screen = reader(app)
            screen.panes.want(sidenotes=False)
            await pilot.press("g", "f", "f")
            await settle(pilot)
            drawn = check_peek(app)
            assert drawn is not None, size
            view = screen.query_one(EssayView)
            # the text column's cells are all under the peek on its rows
            left = view.scrollable_content_region.x + view.text_x
            assert drawn.x < left and drawn.right > left + view.column_width - 1, size


async def test_a_peek_made_wide_is_placed_again_when_the_terminal_narrows() -> None:
    """At 200 columns the note is in the margin (or a peek); narrowed to 80, whatever
    shows is placed for the new width, never left where the wide layout had it."""
    app = EssayApp()
    async with app.run_test(size=(200, 50)) as pilot:
        await opened(pilot)
        await pilot.press("g", "f")
        await settle(pilot)
        check_peek(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert check_peek(app) is not None  # no margin at 80: the peek shows the note
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        check_peek(app)
