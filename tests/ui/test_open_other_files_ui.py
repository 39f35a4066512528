"""The reader on a saved web page, a copied blog post and a Latin-1 text: the converted
essay is what is shown, and the status line says what was done
(converted, and how to keep it; the encoding the file was read in)."""

from __future__ import annotations

import shutil
from pathlib import Path

from essaytui.app import EssayApp
from essaytui.sessions.targets import FootnoteRef
from essaytui.widgets.status import StatusLine

DATA = Path(__file__).resolve().parents[1] / "data"


def status_text(app: EssayApp) -> str:
    return app.reader.query_one(StatusLine).message


async def test_a_page_opens_converted_and_the_status_says_how_to_keep_it() -> None:
    app = EssayApp(DATA / "html" / "wordpress-footnotes.html")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.essay.title == "Strategic partners with caveats"
        assert len(app.essay.footnotes) == 3
        status = status_text(app)
        assert "converted from a web page (3 footnotes)" in status
        assert "essaytui convert" in status
        await pilot.press("f")  # a converted footnote is a footnote like any
        await pilot.pause()
        assert isinstance(app.reader.view.target, FootnoteRef)


async def test_a_latin_1_text_names_its_encoding_in_the_status() -> None:
    app = EssayApp(DATA / "text" / "latin-1.txt")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "read as Latin-1 (not UTF-8)" in status_text(app)
        assert "château" in app.essay.reading_text


async def test_a_converted_post_keeps_its_notes_when_reopened(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    shutil.copy(DATA / "blog" / "wordpress-numbered-notes.txt", post)
    app = EssayApp(post)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "converted from a blog post" in status_text(app)
        await pilot.press("m")  # a bookmark at the top
        await pilot.pause()
        first = app.essay.id
        assert len(app.reader.notes.annotations) == 1
        await pilot.press("q")
    app = EssayApp(post)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.essay.id == first
        assert [a.kind.value for a in app.reader.notes.annotations] == ["bookmark"]
