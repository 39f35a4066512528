"""A footnote's peek and its sidenote are never on screen at once: when a layout change
brings the sidenotes in, the peek of a note now shown whole in the margin closes."""

from __future__ import annotations

from pathlib import Path

from epub_books import real_standard_ebook
from ready import opened, reader, until, view_of

from essaytui.app import EssayApp
from essaytui.sessions.targets import FootnoteRef
from essaytui.widgets.peek import Peek


def peek_shown(app: EssayApp) -> bool:
    peek = reader(app).query_one(Peek)
    return not peek.has_class("-hidden") and bool(peek.display)


async def test_the_peek_closes_when_its_note_shows_as_a_sidenote(tmp_path: Path) -> None:
    app = EssayApp(real_standard_ebook(tmp_path / "enquiry.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("p")  # the side pane hidden
        await pilot.pause()
        await pilot.press("f")  # the next footnote: its peek opens
        await until(pilot, lambda: peek_shown(app), "the peek opens")
        view = view_of(app)
        target = view.target
        assert isinstance(target, FootnoteRef)
        assert not view.sidenote_is_shown(target.label)  # the outline takes the margin
        await pilot.press("z")  # the essay alone: the margin takes the sidenotes
        await until(pilot, lambda: view.sidenote_is_shown(target.label), "the sidenote shows")
        await until(pilot, lambda: not peek_shown(app), "the peek closes")
        assert view.target == target  # still selected: enter still opens it in Sources
        # the next footnote, its sidenote cut in the margin: its peek opens, whole
        await pilot.press("f")
        await until(pilot, lambda: view.target != target, "the next footnote")
        nxt = view.target
        assert isinstance(nxt, FootnoteRef)
        if view.sidenote_is_whole(nxt.label):
            assert not peek_shown(app)
        else:
            await until(pilot, lambda: peek_shown(app), "the next note's peek opens")


async def test_a_note_cut_in_the_margin_is_still_peeked_at_whole(tmp_path: Path) -> None:
    app = EssayApp(real_standard_ebook(tmp_path / "enquiry.epub"))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("z")  # the essay alone, the sidenotes in the margin
        await pilot.pause()
        await pilot.press("f")  # note 1: far longer than its place in the margin
        view = view_of(app)
        await until(pilot, lambda: isinstance(view.target, FootnoteRef), "a footnote selected")
        target = view.target
        assert isinstance(target, FootnoteRef)
        await until(pilot, lambda: view.sidenote_is_shown(target.label), "its sidenote shows")
        assert not view.sidenote_is_whole(target.label)
        await until(pilot, lambda: peek_shown(app), "its peek opens")
        for _ in range(3):
            await pilot.pause()
        assert peek_shown(app)  # and stays, though its first lines are in the margin
