"""A key that keys.toml gives to one action while another action of the same place has it
is reported when the reader starts (which ids, which key, which runs), and the help and
the palette show the keys as they really are. The README's own example uses a free key.
The real app through Pilot, with a real keys.toml in the test's config folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from ready import opened

from essaytui import paths
from essaytui.app import EssayApp
from essaytui.model.annotation import Kind
from essaytui.screens.help import help_plain
from essaytui.screens.reader import ReaderScreen

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_keys_toml() -> str:
    """The keys.toml example the README gives."""
    text = README.read_text(encoding="utf-8")
    found = re.search(r"```toml\n(\[keys\]\n.*?)```", text, re.DOTALL)
    assert found, "the README has no keys.toml example"
    return found.group(1)


def write_keys(text: str) -> None:
    keys = paths.keymap_file()
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text(text, encoding="utf-8")


def reader(app: EssayApp) -> ReaderScreen:
    return app.reader


def help_line(shown: str, binding_id: str) -> str:
    return next(line for line in shown.splitlines() if line.rstrip().endswith(binding_id))


async def test_a_key_given_to_two_actions_is_reported_at_start() -> None:
    write_keys('[keys]\n"reader.back" = "backspace,h"\n')
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        clash = [w for w in app.startup_warnings if "reader.highlight" in w]
        assert len(clash) == 1, app.startup_warnings
        assert "h is both reader.back (Back) and reader.highlight (Highlight)" in clash[0]
        assert "h runs Back" in clash[0] and "no key left" in clash[0]
        assert "reader.highlight" in reader(app).status.message
        # the help tells the truth: h is Back's, and Highlight has no key
        shown = help_plain(EssayApp, app.keymap_in_effect, "keys.toml", width=120)
        assert re.search(r"\bh\b", help_line(shown, "reader.back"))
        assert not re.search(r"^\s*h\b", help_line(shown, "reader.highlight"))


async def test_the_readme_example_leaves_highlighting_alone() -> None:
    example = readme_keys_toml()
    write_keys(example)
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        assert app.keymap_in_effect, example
        assert app.startup_warnings == []
        screen = reader(app)
        await pilot.press("v", "h")
        await pilot.pause()
        kinds = [a.kind for a in screen.notes.annotations]
        assert kinds == [Kind.HIGHLIGHT], screen.status.message
        # and the remapped key works: it goes back after a jump into Sources
        back_keys = app.keymap_in_effect.get("reader.back", "")
        extra = [k.strip() for k in back_keys.split(",") if k.strip() != "backspace"]
        assert extra
        await pilot.press("escape", "j", "j", "f")
        top, item = screen.view.top_offset, screen.view.target
        await pilot.press("enter")
        await pilot.pause()
        assert not screen.view.has_focus
        await pilot.press(extra[0])
        await pilot.pause()
        assert screen.view.has_focus
        assert (screen.view.top_offset, screen.view.target) == (top, item)
