"""The reader with a sync folder set: it syncs when the essay opens and when it quits,
says what came in, and offers to continue where another machine is further on."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from ready import opened
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from essaytui.app import EssayApp
from essaytui.interchange.sync import (
    FOLDER_SETTING,
    device_id,
    device_name,
    positions_elsewhere,
    sync_folder,
)
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.screens.reader import ReaderScreen
from essaytui.store import AnnotationStore

ESSAY = Path(__file__).parents[1] / "data" / "tiny.md"


def reader(app: EssayApp) -> ReaderScreen:
    for screen in app.screen_stack:
        if isinstance(screen, ReaderScreen):
            return screen
    raise AssertionError("no reader")


def laptop_with_notes(data: Path, folder: Path) -> int:
    """Notes and a place far into the essay on the laptop, synced; the place's offset."""
    essay = load_essay(ESSAY)
    with AnnotationStore.open(data) as store:
        essay = replace(essay, id=store.identify(essay))
        for quote in ("comprehensive", "official", "friends"):
            start = essay.reading_text.index(quote)
            store.add(make_annotation(essay, start, start + len(quote), Kind.NOTE, note="n"))
        offset = essay.reading_text.index("friends")
        store.save_position(
            essay.id, offset, title=essay.title, progress=0.63, quote="", text_hash=""
        )
        sync_folder(store, folder)
    return offset


async def until(pilot: Pilot[None], condition: Callable[[], bool], limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        await pilot.pause()
        if condition():
            return
    raise AssertionError("the reader did not get there in time")


async def test_notes_come_in_at_opening_and_the_place_elsewhere_is_offered(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    offset = laptop_with_notes(tmp_path / "laptop", folder)
    desk = tmp_path / "desk"
    with AnnotationStore.open(desk) as store:
        store.set_setting(FOLDER_SETTING, str(folder))
        desk_device = device_id(store)
    app = EssayApp(ESSAY, data_dir=desk)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await opened(pilot)
        await until(pilot, lambda: len(reader(app).notes.annotations) == 3)
        await until(pilot, lambda: app.elsewhere is not None)
        assert app.elsewhere is not None and app.elsewhere.progress == 0.63
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        (notice,) = app.screen.query(Toast)
        said = str(notice.render())
        assert "continue at 63 %" in said and f"({device_name()}, just now)" in said
        app.action_continue_elsewhere()
        await pilot.pause()
        assert reader(app).view.top_offset <= offset
        assert app.elsewhere is None
        await until(pilot, lambda: not app.screen.query(Toast))  # the offer is taken
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, limit=30)
    mine = positions_elsewhere(folder, app.essay.id, "0" * 16)
    assert desk_device in {remote.device for remote in mine}


async def test_without_a_folder_nothing_syncs(tmp_path: Path) -> None:
    app = EssayApp(ESSAY, data_dir=tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        assert app.sync is None
        await pilot.press("q")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_offer_to_continue_never_hides_the_status_line(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """The notice sits above the status line and the key hints, for Textual's usual
    time; the status line keeps its section and percentage all along."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    laptop_with_notes(tmp_path / "laptop", folder)
    desk = tmp_path / "desk"
    with AnnotationStore.open(desk) as store:
        store.set_setting(FOLDER_SETTING, str(folder))
    app = EssayApp(ESSAY, data_dir=desk)
    async with app.run_test(size=size, notifications=True) as pilot:
        await opened(pilot)
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        (notice,) = app.screen.query(Toast)
        status = reader(app).status
        assert notice.region.bottom <= status.region.y, notice.region
        assert not notice.region.overlaps(status.region)
        assert "Read further" not in status.message
        assert "%" in str(status.render())
        assert [n.timeout for n in app._notifications] == [app.NOTIFICATION_TIMEOUT]
        assert app.NOTIFICATION_TIMEOUT <= 10
        await until(pilot, lambda: not app.screen.query(Toast), limit=20)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, limit=30)
