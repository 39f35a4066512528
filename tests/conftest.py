"""Shared fixtures: no test ever touches the user's real notes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests give the same answer on every run of the README's test command (and CI):
# the default profile derandomizes (a fixed seed, no example database). A longer random
# run for local hunting: HYPOTHESIS_PROFILE=dev pytest -q tests/unit
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", max_examples=2000, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data dir (and the user's home) at a temporary folder."""
    data_dir = tmp_path / "essaytui-data"
    monkeypatch.setenv("ESSAYTUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # Converted books are cached: each test starts with an empty cache of its own.
    monkeypatch.setenv("ESSAYTUI_CACHE_DIR", str(tmp_path / "essaytui-cache"))
    # No test copies into the developer's own tmux buffer or desktop clipboard.
    for name in ("TMUX", "TMUX_PANE", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    return data_dir


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    """The data dir the app will use in this test."""
    return _isolated_data_dir
