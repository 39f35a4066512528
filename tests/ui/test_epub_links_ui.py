"""`l` on a link from one chapter of a book to a spot in another: the peek says where it
leads in the book's words (the section, the words there), never the conversion's id."""

from __future__ import annotations

from pathlib import Path

from epub_books import XHTML_TYPE, opf3, page, write_epub
from ready import opened

from essaytui.app import EssayApp
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.targets import LinkRef
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.peek import Peek


async def test_the_peek_of_a_cross_chapter_link_names_the_spot(tmp_path: Path) -> None:
    filler = "".join(f"<p>Line {n} of the first chapter.</p>" for n in range(30))
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(
            [("a", "a.xhtml", XHTML_TYPE, ""), ("b", "b.xhtml", XHTML_TYPE, "")],
            ["a", "b"],
            metadata="<dc:title>Back</dc:title>",
        ),
        "OEBPS/a.xhtml": page(f"<h1>One</h1>{filler}<p id='oath'>The oath at dawn.</p>"),
        "OEBPS/b.xhtml": page("<h1>Two</h1><p>Recall <a href='a.xhtml#oath'>the oath</a>.</p>"),
    }
    app = EssayApp(write_epub(tmp_path / "back.epub", files))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.query_one(EssayView)
        await pilot.press("end")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        target = view.target
        assert isinstance(target, LinkRef) and target.url.startswith("#epub-")
        peek = screen.query_one(Peek)
        assert not peek.has_class("-hidden")
        shown = str(peek.render())
        assert "Link to: One · “The oath at dawn.”" in shown
        assert "epub-" not in shown
