"""The model and the store never import Textual (design §1, style: Harlequin's rule)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import essaytui.model
import essaytui.store

SRC = Path(__file__).resolve().parents[2] / "src" / "essaytui"


def core_modules() -> list[str]:
    names: list[str] = []
    for package in (essaytui.model, essaytui.store):
        names.append(package.__name__)
        names.extend(
            info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
        )
    return names


def test_importing_the_core_does_not_import_textual() -> None:
    modules = core_modules()
    assert "essaytui.model.parse" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('textual'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded == []


def test_no_core_file_mentions_a_textual_import() -> None:
    files = [*(SRC / "model").rglob("*.py"), *(SRC / "store").rglob("*.py")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text, path
        assert "from textual" not in text, path
