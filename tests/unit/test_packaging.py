"""A user installs the wheel, not the source tree: the bundled essay must travel inside it."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from essaytui import __version__

ROOT = Path(__file__).resolve().parents[2]

OPEN_BUNDLED = """
import asyncio
from essaytui.app import EssayApp
from essaytui.widgets.essay_view import EssayView

async def main() -> None:
    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(EssayView)
        print(view.essay.title)
        print(view.painted)

asyncio.run(main())
"""


def test_wheel_carries_the_bundled_essay_and_opens_it(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheel_dir), str(ROOT)],
        check=True,
    )
    (wheel,) = wheel_dir.glob("essaytui-*.whl")
    assert wheel.name.startswith(f"essaytui-{__version__}-")  # one version, read by hatch
    names = zipfile.ZipFile(wheel).namelist()
    assert "essaytui/content/strategic-partners-with-caveats/essay.md" in names
    assert "essaytui/content/strategic-partners-with-caveats/glossary.md" in names

    # A fresh environment of its own, given the wheel and its declared dependencies by
    # this pip (making one with its own pip took ~5 s of the suite's time).
    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--target", site, str(wheel)], check=True
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    version = subprocess.run(
        [str(python), str(Path(site) / "bin" / "essaytui"), "--version"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == f"essaytui {__version__}"
    opened = subprocess.run(
        [str(python), "-c", OPEN_BUNDLED],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.splitlines() == ["Strategic partners with caveats: China & Russia", "True"]
