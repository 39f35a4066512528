"""Shared fixtures: no test ever touches the user's real notes."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data dir (and the user's home) at a temporary folder."""
    data_dir = tmp_path / "essaytui-data"
    monkeypatch.setenv("ESSAYTUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return data_dir


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    """The data dir the app will use in this test."""
    return _isolated_data_dir
