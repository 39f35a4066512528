"""The heap at start: settled (collected, then frozen) once the first screen is up.

The test suite switches that off (tests/conftest.py sets ESSAYTUI_SETTLE_HEAP=0); here
the app starts as a reader's does.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from ready import opened

from essaytui.app import SETTLE_HEAP, EssayApp


async def test_the_real_start_settles_the_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SETTLE_HEAP)
    gc.unfreeze()
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        # the essay and Textual's objects are frozen out of the collector's way, which
        # collects again
        assert gc.get_freeze_count() > 10_000
        assert gc.isenabled()
    # and given back when the app closes
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


async def test_with_the_switch_collection_just_resumes() -> None:
    gc.unfreeze()
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        assert gc.get_freeze_count() == 0
        assert gc.isenabled()
    assert gc.isenabled()


async def test_the_rest_of_a_long_essay_is_frozen_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from essaytui.cli import reader_app

    monkeypatch.delenv(SETTLE_HEAP)
    gc.unfreeze()
    essay = tmp_path / "long.md"
    essay.write_text(
        "# Long\n\n"
        + "".join(f"Paragraph {n} of a long essay, to be read.\n\n" for n in range(8000)),
        encoding="utf-8",
    )
    app = reader_app(essay, tmp_path / "data")
    assert not app.essay.complete
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        for _ in range(400):
            if app.essay.complete and gc.isenabled():
                break
            await pilot.pause(0.05)
        assert app.essay.complete
        await pilot.pause()
        # the whole essay (its blocks) is out of the collector's way, which runs again
        assert gc.get_freeze_count() > len(app.essay.blocks) > 8000
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0
