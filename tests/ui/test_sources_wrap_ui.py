"""Every source in the Sources pane shows its whole text, whatever the terminal's size: a
long note's last lines and its ↩ are not lost when the pane's scroll bar takes a column."""

from __future__ import annotations

from pathlib import Path

import pytest
from epub_books import real_standard_ebook
from ready import opened, reader, until
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.widgets.sources import SourcesPane


async def pane_text(pilot: Pilot[None], pane: SourcesPane) -> str:
    """Every line the pane draws, top to bottom, scrolled through page by page; each page
    after the app has drawn it (the list counts its options' lines as it draws: read
    before, on a loaded machine, its length was still that of its first options)."""
    await pilot.pause()
    height = pane.scrollable_content_region.height
    lines: list[str] = []
    top = 0
    assert height > 0, "the pane is not on screen"
    while True:
        pane.scroll_to(y=top, animate=False, immediate=True)
        await pilot.pause()
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
        await until(pilot, lambda: app.essay.complete, "the whole book, not its first part")
        pane = reader(app).query_one(SourcesPane)
        text = " ".join((await pane_text(pilot, pane)).split())
        assert "other subjects. ↩ ¶32 ² Resemblance." in text
        # and after a resize, at the new width
        await pilot.resize_terminal(128, 45)
        text = " ".join((await pane_text(pilot, pane)).split())
        assert "other subjects. ↩ ¶32 ² Resemblance." in text
