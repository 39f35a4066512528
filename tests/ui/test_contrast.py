"""Every mark in the essay is legible in every built-in theme: 4.5:1 or more.

The styles are read from the running app, per theme, exactly as the essay view combines
them for a run of text (its base, the text style, then the mark's), and the contrast is
WCAG 2's ratio of relative luminances.
"""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor

from essaytui.app import EssayApp
from essaytui.model.essay import BlockKind
from essaytui.widgets.contrast import MINIMUM, contrast, legible
from essaytui.widgets.essay_view import EssayView

#: Marks drawn over the text: the text on the mark's background must read.
MARKS = ("highlight", "note", "fuzzy", "match", "match-current", "selection", "item")
#: Marks that colour the text itself, on the view's background.
TEXT_MARKS = ("link", "term", "footnote", "heading1", "heading3", "sidenote", "code")


def rgb(color: RichColor | None) -> tuple[int, int, int]:
    assert color is not None
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def ratios(view: EssayView) -> dict[str, float]:
    """The contrast of each mark as the view draws it over a paragraph (or a heading,
    for the heading styles), and of the sidenotes."""
    paragraph = next(i for i, b in enumerate(view.essay.blocks) if b.kind is BlockKind.PARAGRAPH)
    heading = next(i for i, b in enumerate(view.essay.blocks) if b.kind is BlockKind.HEADING)
    background = view._base.bgcolor
    found: dict[str, float] = {}
    for name in (*MARKS, *TEXT_MARKS):
        if name.startswith("heading"):
            style = view._combined(heading, frozenset())
        elif name == "sidenote":
            style = legible(view._base + view._style("sidenote"), None, background)
        else:
            style = view._combined(paragraph, frozenset({name}))
        found[name] = contrast(rgb(style.color), rgb(style.bgcolor or background))
    return found


THEMES = sorted(name for name in EssayApp().available_themes if not name.startswith("ansi"))


@pytest.mark.parametrize("theme", THEMES)
async def test_every_mark_reads_at_4_5_to_1(theme: str) -> None:
    app = EssayApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = theme
        await pilot.pause()
        view = app.reader.view
        view.notify_style_update()
        low = {name: round(ratio, 2) for name, ratio in ratios(view).items() if ratio < MINIMUM}
        assert not low, f"{theme}: {low}"
