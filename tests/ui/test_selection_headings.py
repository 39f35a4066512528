"""A selection never holds a heading (many were added by the editors, as in the bundled
essay): `v` with a heading at the top of the view takes the first sentence of body text
below it, `)` and `}` stop before the next heading, the saved quote is the author's words
and the citation's locator is the paragraph those words are in. The hint says what `v`
took and what `)` adds. The real app, through Pilot, on the bundled essay.
"""

from __future__ import annotations

import time

from ready import opened, reader
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.model.essay import BlockKind, Essay
from essaytui.widgets.essay_view import EssayView


def headings(essay: Essay) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in essay.blocks if b.kind is BlockKind.HEADING]


def holds_no_heading(essay: Essay, start: int, end: int) -> bool:
    return all(h_end <= start or h_start >= end for h_start, h_end in headings(essay))


async def copied(pilot: Pilot[None], app: EssayApp) -> str:
    """Wait for `y`'s quotation (made in a worker) and return it."""
    screen = reader(app)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        await pilot.pause()
        if screen.quoting.last_quotation or "Not copied" in screen.status.message:
            break
    return screen.quoting.last_quotation


def first_sentence_after(essay: Essay, offset: int) -> tuple[int, int]:
    body = next(b for b in essay.blocks if b.start >= offset and b.kind is not BlockKind.HEADING)
    return essay.sentence_bounds(body.start)


async def test_v_at_a_heading_selects_the_first_sentence_below_and_y_copies_it() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        view = screen.query_one(EssayView)
        essay = view.essay
        await pilot.press("g")
        top = view.top_offset
        assert essay.blocks[essay.block_index_at(top)].kind is BlockKind.HEADING
        await pilot.press("v")
        await pilot.pause()
        expected = first_sentence_after(essay, top)
        assert view.selected_range == expected
        hint = screen.status.message
        assert "Selected 1 sentence" in hint and ") adds one more" in hint
        assert essay.reading_text[expected[0] : expected[0] + 10] in hint
        # the whole hint fits beside the figures at 80 columns
        assert len(hint) + len(" · 14% · ~5 min left") <= 78
        await pilot.press("y")
        quotation = await copied(pilot, app)
        assert "Not copied" not in screen.status.message
        assert "The official view" not in quotation
        assert quotation.startswith("“In his recent visit")
        assert "¶ 1" in quotation and "¶¶" not in quotation and "1–2" not in quotation


async def test_v_then_sentence_gives_two_sentences_of_body_and_a_note_quote_without_heading() -> (
    None
):
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        view = screen.query_one(EssayView)
        essay = view.essay
        for keys in (("g",), ("right_square_bracket",), ("left_square_bracket",)):
            await pilot.press("escape", *keys, "v", "right_parenthesis")
            await pilot.pause()
            selected = view.selected_range
            assert selected is not None
            assert holds_no_heading(essay, *selected), keys
            first = first_sentence_after(essay, view.top_offset)
            assert selected[0] == first[0] and selected[1] > first[1]
        await pilot.press("escape", "g", "v", "right_parenthesis", "h")
        await pilot.pause()
        highlights = [a for a in screen.notes.annotations]
        assert highlights, screen.status.message
        exact = highlights[-1].exact
        assert not exact.startswith("The official view")
        assert exact.startswith("In his recent visit")


async def test_extending_stops_before_the_next_heading() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        view = screen.query_one(EssayView)
        essay = view.essay
        await pilot.press("g", "v", *["right_curly_bracket"] * 6, *["right_parenthesis"] * 6)
        await pilot.pause()
        selected = view.selected_range
        assert selected is not None and holds_no_heading(essay, *selected)
        second = essay.sections[1].start
        assert selected[1] <= second
        assert "heading" in screen.status.message
        await pilot.press("escape", "right_square_bracket", "right_square_bracket")
        await pilot.press("v", "right_parenthesis", *["left_parenthesis"] * 8)
        await pilot.press(*["left_curly_bracket"] * 4)
        await pilot.pause()
        assert view.selection is not None
        low, high = sorted(view.selection)
        # back to where it began at most: the heading above is never taken
        assert holds_no_heading(essay, low, high)
        assert low >= first_sentence_after(essay, view.top_offset)[0]


async def test_the_locator_is_the_paragraph_of_the_quoted_words() -> None:
    from essaytui.interchange.citation import locator_of, paragraph_number

    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        essay = reader(app).essay
        heading = essay.sections[1]
        start, end = first_sentence_after(essay, heading.start)
        number = paragraph_number(essay, start)
        # a range from the heading into the body names only the body's paragraph
        assert locator_of(essay, heading.start, end) == str(number)
