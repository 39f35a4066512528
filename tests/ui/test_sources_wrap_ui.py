"""Every source in the Sources pane shows its whole text, whatever the terminal's size: a
long note's last lines and its ↩ are not lost when the pane's scroll bar takes a column."""

from __future__ import annotations

from pathlib import Path

import pytest
from epub_books import real_standard_ebook
from ready import opened, reader

from essaytui.app import EssayApp
from essaytui.widgets.sources import SourcesPane


def pane_text(pane: SourcesPane) -> str:
    """Every line the pane draws, top to bottom, scrolled through page by page."""
    height = pane.scrollable_content_region.height
    lines: list[str] = []
    top = 0
    assert height > 0, "the pane is not on screen"
    while True:
        pane.scroll_to(y=top, animate=False, immediate=True)
        for y in range(min(height, pane.virtual_size.height - top)):
            lines.append("".join(segment.text for segment in pane.render_line(y)).strip())
        if top >= pane.max_scroll_y:
            break
        top += height
    return "\n".join(lines)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_long_note_shows_its_last_line_and_its_back_reference(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = EssayApp(real_standard_ebook(tmp_path / "enquiry.epub"))
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        if size[0] < 100:
            await pilot.press("p")  # no room beside the text: the pane comes over it
        await pilot.pause()
        pane = reader(app).query_one(SourcesPane)
        text = " ".join(pane_text(pane).split())
        assert "other subjects. ↩ ¶32 ² Resemblance." in text
        # and after a resize, at the new width
        await pilot.resize_terminal(128, 45)
        await pilot.pause()
        text = " ".join(pane_text(pane).split())
        assert "other subjects. ↩ ¶32 ² Resemblance." in text
