"""The reader on a page whose charset no codec can use: opened in the terminal, and a
long essay replaced by such a page while its rest loads in a worker (which caught only
`EssayFileError` and crashed the app on the bare `UnicodeError` of Python's `undefined`
codec)."""

from __future__ import annotations

from pathlib import Path

from ready import opened

from essaytui.app import EssayApp
from essaytui.cli import reader_app
from essaytui.screens.reader import ReaderScreen


def undefined_page() -> bytes:
    """A saved page declaring the `undefined` charset, with a byte that is not UTF-8."""
    return (
        '<!doctype html><html><head><meta charset="undefined"><title>Replaced</title>'
        "</head><body><article><h1>Replaced</h1><p>Now a page \xff of prose, long enough "
        "to read as a paragraph of text.</p></article></body></html>\n"
    ).encode("latin-1")


def long_essay(folder: Path) -> Path:
    """An essay longer than the first screen's part, so its rest loads in a worker."""
    parts = ["---\ntitle: A long one\n---\n"]
    for section in range(40):
        parts.append(f"## Section {section}\n")
        parts += [f"Paragraph {section}.{n} goes on for a while, " * 12 + "\n" for n in range(25)]
    path = folder / "long.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


async def test_the_reader_opens_a_page_with_an_unusable_charset(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(undefined_page())
    app = reader_app(path, tmp_path / "data")  # what `essaytui page.html` runs in a terminal
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        assert "Now a page ÿ of prose" in app.essay.reading_text
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert any("read as" in warning for warning in app.essay.warnings)


async def test_a_page_with_an_unusable_charset_in_place_of_the_rest_is_no_crash(
    tmp_path: Path,
) -> None:
    path = long_essay(tmp_path)
    app = EssayApp(path)  # reads the first part now; the rest is read once the app runs
    assert not app.essay.complete
    path.write_bytes(undefined_page())
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.return_code is None
        await pilot.press("j")
        assert app.is_running
