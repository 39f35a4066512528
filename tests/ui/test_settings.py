"""Settings that outlive a session: the theme, and keys remapped in keys.toml."""

from __future__ import annotations

import os
from pathlib import Path

from ready import reader

from essaytui import paths
from essaytui.app import EssayApp
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.help import HelpScreen, help_plain
from essaytui.sessions.targets import FootnoteRef
from essaytui.widgets.essay_view import EssayView


async def test_theme_is_remembered() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)):
        assert app.theme != "gruvbox"
        app.theme = "gruvbox"
    again = EssayApp()
    async with again.run_test(size=(120, 40)):
        assert again.theme == "gruvbox"


async def test_keys_can_be_remapped_in_keys_toml() -> None:
    keys = paths.keymap_file()
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text('[keys]\n"essay.next_footnote" = "x"\n"no.such.binding" = "z"\n')
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        view = reader(app).query_one(EssayView)
        await pilot.press("f")
        assert view.target is None
        await pilot.press("x")
        assert isinstance(view.target, FootnoteRef)
        assert any("no.such.binding" in warning for warning in app.startup_warnings)
        # the help lists the binding ids with the keys now in effect, and where the file goes
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = help_plain(EssayApp, app.keymap_in_effect, app.screen.keymap_file, width=100)
        row = next(line for line in shown.splitlines() if "essay.next_footnote" in line)
        assert row.split()[0] == "x"  # the key in effect, first in its row
        # the path may be wrapped (how long it is depends on where the tests run)
        assert str(keys) in shown.replace("\n", "") and "reader.back" in shown


async def test_a_broken_keys_toml_is_a_warning_not_a_crash() -> None:
    keys = paths.keymap_file()
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text("[keys\n")
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        assert any("not valid TOML" in warning for warning in app.startup_warnings)
        await pilot.press("f")
        assert reader(app).query_one(EssayView).target is not None


async def test_enter_on_a_link_shows_the_address_before_opening(tmp_path: Path) -> None:
    essay = tmp_path / "links.md"
    essay.write_text("# Links\n\nRead [the report](https://example.org/report) today.\n")
    opened: list[str] = []

    class Recording(EssayApp):
        def open_url(self, url: str, *, new_tab: bool = True) -> None:
            opened.append(url)

    app = Recording(essay)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "https://example.org/report" in str(
            app.screen.query_one("#confirm-question").render()
        )
        assert opened == []
        await pilot.press("enter")
        assert opened == ["https://example.org/report"]


async def test_a_keys_toml_that_cannot_be_read_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    """A config folder closed to the reader (or, as root, who may read anything, a file
    that is not text) gives a warning and the default keys."""
    keys = paths.keymap_file()
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text('[keys]\n"essay.next_footnote" = "x"\n')
    # a folder the reader may not look into: stat() of the file inside fails
    keys.parent.chmod(0)
    try:
        if os.access(keys, os.R_OK):
            keys.parent.chmod(0o755)
            keys.write_bytes(b"\xff\xfe not text")  # as root: an unreadable file instead
        app = EssayApp()
        async with app.run_test(size=(120, 40)) as pilot:
            assert any("keys.toml" in warning for warning in app.startup_warnings)
            await pilot.press("f")
            assert reader(app).query_one(EssayView).target is not None  # defaults kept
    finally:
        keys.parent.chmod(0o755)
