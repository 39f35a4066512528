"""Where things live: the only module that knows about platformdirs.

Tests point the data directory elsewhere with `ESSAYTUI_DATA_DIR`, and the cache
directory with `ESSAYTUI_CACHE_DIR`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "essaytui"
DATA_DIR_ENV = "ESSAYTUI_DATA_DIR"
CACHE_DIR_ENV = "ESSAYTUI_CACHE_DIR"
DEFAULT_ESSAY = "strategic-partners-with-caveats"
#: The setting that holds the sync folder (`essaytui sync DIR`), read at every start.
SYNC_FOLDER_SETTING = "sync.folder"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory for annotations and reading positions.

    `override` (from `--data-dir`) wins, then `$ESSAYTUI_DATA_DIR`, then the
    platform's user data directory. Never a cache directory: notes are user data.
    """
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The directory for derived data (converted books): `$ESSAYTUI_CACHE_DIR`, else the
    platform's user cache directory. Deleting it loses nothing: it is rebuilt."""
    from_env = os.environ.get(CACHE_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def content_dir() -> Path:
    """The folder of bundled essays (inside the wheel, or the source tree's `content/`)."""
    packaged = Path(__file__).resolve().parent / "content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "content"


def bundled_essays() -> list[Path]:
    """The `essay.md` of every bundled essay, sorted by folder name."""
    root = content_dir()
    if not root.is_dir():
        return []
    return sorted(path for path in root.glob("*/essay.md") if path.is_file())


def default_essay() -> Path:
    """The bundled essay opened when nothing else is known."""
    return content_dir() / DEFAULT_ESSAY / "essay.md"


def keymap_file() -> Path:
    """The reader's key remapping file (`[keys]` table: binding id = "key,key")."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "keys.toml"
