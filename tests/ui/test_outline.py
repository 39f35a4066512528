"""The outline, drawn line by line: nesting and folding, its keys, the mouse, and the
highlight that follows the reading."""

from __future__ import annotations

from pathlib import Path

from ready import opened, reader, view_of
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.widgets.outline import OutlinePane

NESTED = """---
title: Nested
author: Someone
---

## First

{text}

### First, a

{text}

### First, b

{text}

#### Deep in b

{text}

## Second

{text}

## Third

{text}
"""


def nested_essay(folder: Path) -> Path:
    """Three top-level sections; the first has two subsections, the second of which has one."""
    text = "\n\n".join("A paragraph that goes on for a while. " * 6 for _ in range(12))
    path = folder / "nested.md"
    path.write_text(NESTED.format(text=text), encoding="utf-8")
    return path


def shown(outline: OutlinePane) -> list[str]:
    """The outline's rows as the screen shows them, trailing blanks cut."""
    return [outline.render_line(y).text.rstrip() for y in range(len(outline.rows))]


async def focused_outline(pilot: Pilot[None]) -> OutlinePane:
    app = pilot.app
    assert isinstance(app, EssayApp)
    await opened(pilot)
    await pilot.press("1")
    await pilot.pause()
    outline = reader(app).query_one(OutlinePane)
    assert outline.has_focus
    return outline


async def test_nesting_is_drawn_with_the_trees_guides_and_folds(tmp_path: Path) -> None:
    app = EssayApp(nested_essay(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        outline = await focused_outline(pilot)
        assert shown(outline) == [
            "▼ First",
            "├ First, a",
            "└ ▼ First, b",
            "  └ Deep in b",
            "Second",
            "Third",
        ]
        await pilot.press("g", "space")  # fold the first section
        assert shown(outline) == ["▶ First", "Second", "Third"]
        assert outline.cursor_section is not None
        assert outline.cursor_section.title == "First"
        await pilot.press("space")
        assert len(outline.rows) == 6
        # shift+space folds every sibling with subsections (here: First only), then unfolds
        await pilot.press("shift+space")
        assert [row.section.title for row in outline.rows] == ["First", "Second", "Third"]
        await pilot.press("shift+space")
        assert len(outline.rows) == 6


async def test_keys_move_the_cursor_and_enter_jumps(tmp_path: Path) -> None:
    app = EssayApp(nested_essay(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        outline = await focused_outline(pilot)
        essay = view_of(app).essay
        await pilot.press("g", "j", "j", "down")
        assert outline.cursor_line == 3
        await pilot.press("k", "up")
        assert outline.cursor_line == 1
        await pilot.press("G")
        assert outline.cursor_line == 5
        await pilot.press("home")
        assert outline.cursor_line == 0
        await pilot.press("j", "j", "j")  # Deep in b
        await pilot.press("shift+left")
        assert outline.cursor_section is not None
        assert outline.cursor_section.title == "First, b"
        await pilot.press("shift+up")
        assert outline.cursor_section.title == "First, a"
        await pilot.press("shift+down")
        assert outline.cursor_section.title == "First, b"
        await pilot.press("shift+right")
        assert outline.cursor_section.title == "Second"
        await pilot.press("enter")
        await pilot.pause()
        second = essay.sections[4]
        assert second.title == "Second"
        assert view_of(app).top_offset == second.start
        assert view_of(app).has_focus


async def test_the_highlight_follows_the_reading_and_a_folded_section_lights_its_parent(
    tmp_path: Path,
) -> None:
    app = EssayApp(nested_essay(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        outline = await focused_outline(pilot)
        await pilot.press("g", "space", "2")  # fold First; back to the essay
        essay = view_of(app).essay
        deep = essay.sections[3]
        assert deep.title == "Deep in b"
        reader(app).navigation.jump_to(deep.start)
        await pilot.pause()
        assert outline.cursor_section is not None
        assert outline.cursor_section.title == "First"  # its own row is folded away
        await pilot.press("1", "space", "2")  # unfold
        reader(app).navigation.jump_to(essay.sections[5].start)
        await pilot.pause()
        assert outline.cursor_section.title == "Third"
        reader(app).navigation.jump_to(deep.start)
        await pilot.pause()
        assert outline.cursor_section.title == "Deep in b"
        assert not outline.has_focus  # following the reading never takes the focus


async def test_a_click_on_a_title_jumps_and_a_click_on_its_mark_folds(tmp_path: Path) -> None:
    app = EssayApp(nested_essay(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        outline = await focused_outline(pilot)
        view = view_of(app)
        third = view.essay.sections[5]
        assert await pilot.click(OutlinePane, offset=(3, 6))  # border row, then row 5
        await pilot.pause()
        assert view.top_offset == third.start
        # the mark of "First, b" (row 2, after one guide): folds, no jump
        top = view.top_offset
        assert await pilot.click(OutlinePane, offset=(1 + 2, 3))
        await pilot.pause()
        assert [row.section.title for row in outline.rows][2:4] == ["First, b", "Second"]
        assert view.top_offset == top
        # hovering a row lights it
        await pilot.hover(OutlinePane, offset=(4, 1))
        assert outline.hover_line == 0
