"""Small things a newcomer meets: `l` without links says so, a bookmark has its margin
mark, the time left is said only when known, a footnote's number stays with a CJK title
in Sources, and the palette names the citation style in use. The real app via Pilot.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ready import opened, reader
from rich.console import Console

from essaytui import paths
from essaytui.app import EssayApp
from essaytui.commands import palette_commands
from essaytui.interchange.styles import STYLES
from essaytui.model.annotation import Kind
from essaytui.model.files import load_essay
from essaytui.widgets.essay_view import BOOKMARK_MARK, EssayView
from essaytui.widgets.sources import SourcesPane, paragraph_numbers, source_prompt
from essaytui.widgets.status import reading_status

PLAIN = """---
title: No links here
---

## One

""" + "\n\n".join(f"Paragraph {n} has words and no links at all." for n in range(40))


async def test_l_in_an_essay_without_links_says_so(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text(PLAIN, encoding="utf-8")
    app = EssayApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert "no links" in reader(app).status.message
        await pilot.press("escape")
    # an essay with a link: l selects it, no such message
    linked = tmp_path / "linked.md"
    linked.write_text(PLAIN.replace("Paragraph 3 has", "Paragraph 3 [has](https://example.org)"))
    app = EssayApp(linked)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert reader(app).view.target is not None
        assert "no links" not in reader(app).status.message


async def test_a_bookmark_has_a_margin_mark() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        view = reader(app).query_one(EssayView)
        await pilot.press("right_square_bracket", "j")
        await pilot.pause()

        def margins() -> list[str]:
            return [
                "".join(segment.text for segment in view.render_line(y))[: view.text_x]
                for y in range(view.scrollable_content_region.height)
            ]

        assert not any(BOOKMARK_MARK in margin for margin in margins())
        await pilot.press("m")
        for _ in range(5):
            await pilot.pause()
        marked = [y for y, margin in enumerate(margins()) if BOOKMARK_MARK in margin]
        bookmarks = [a for a in reader(app).notes.annotations if a.kind is Kind.BOOKMARK]
        assert len(bookmarks) == 1
        # one mark, on the line where the bookmarked sentence begins
        assert marked == [view.row_of(bookmarks[0].start)], margins()[:3]


def test_the_time_left_is_said_only_when_known() -> None:
    essay = load_essay(paths.default_essay())
    done = str(reading_status(essay, 0, 500))
    assert "min left" in done
    loading = str(reading_status(dataclasses.replace(essay, complete=False), 0, 500))
    assert "min left" not in loading and "… left" in loading and "loading the rest" in loading
    # at the end of the first part: neither its end nor its percentage, nor its count
    part_end = reading_status(
        dataclasses.replace(essay, complete=False), 0, len(essay.reading_text)
    )
    assert "end" not in part_end.figures and "%" not in part_end.figures, part_end
    assert part_end.section.startswith("§ ") and "/" not in part_end.section, part_end
    # the rest could not be read: the time left of the part there is, said as known
    part = str(
        reading_status(dataclasses.replace(essay, complete=False), 0, 500, rest_unreadable=True)
    )
    assert "min left" in part and "first part only" in part


async def test_a_footnote_number_stays_with_a_cjk_title() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        await pilot.press("3")
        await pilot.pause()
        pane = screen.query_one(SourcesPane)
        essay = screen.essay
        note = next(n for n in essay.footnotes if n.text.startswith("“中"))
        prompt = source_prompt(essay, note, paragraph_numbers(essay))
        console = Console(width=pane.scrollable_content_region.width, record=True)
        lines = prompt.wrap(console, pane.scrollable_content_region.width)
        first = lines[0].plain.strip()
        assert first != "³" and first.startswith("³"), [line.plain for line in lines]
        assert "中" in first


async def test_the_palette_names_the_citation_style_in_use() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = reader(app)
        current = screen.notes.citation_style()

        def in_use() -> list[str]:
            return [
                str(command.title)
                for command in palette_commands(screen, {})
                if "Citation style" in str(command.title) and "(in use)" in str(command.title)
            ]

        assert in_use() == [
            f"Highlights and notes: Citation style: {STYLES[current].name} (in use)"
        ]
        other = next(key for key in STYLES if key != current)
        screen.quoting.choose_style(other)
        for _ in range(5):
            await pilot.pause()
        assert screen.notes.citation_style() == other
        assert in_use() == [f"Highlights and notes: Citation style: {STYLES[other].name} (in use)"]
