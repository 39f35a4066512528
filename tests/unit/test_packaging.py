"""A user installs the wheel, not the source tree: the bundled essay must travel inside it."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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
    import essaytui, textual
    print(essaytui.__file__)
    print(textual.__file__)

asyncio.run(main())
"""


def wheel_requirements(wheel: Path) -> list[str]:
    """The Requires-Dist lines of the wheel's metadata."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode()
    return [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Requires-Dist:")
    ]


def dependency_closure(requirements: list[str]) -> dict[str, importlib.metadata.Distribution]:
    """The distributions `requirements` need at run time (no extras), and what those need,
    each checked to be installed here at a version the requirement allows."""
    needed: dict[str, importlib.metadata.Distribution] = {}
    todo = list(requirements)
    while todo:
        requirement = Requirement(todo.pop())
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in needed:
            continue
        distribution = needed[name] = importlib.metadata.distribution(name)
        assert requirement.specifier.contains(distribution.version, prereleases=True), (
            f"{name} {distribution.version} is not {requirement}"
        )
        todo += distribution.requires or []
    return needed


def lend(distribution: importlib.metadata.Distribution, folder: Path) -> None:
    """Link what `distribution` installed at the top of site-packages (its packages, its
    modules, its metadata) into `folder`."""
    tops = {file.parts[0] for file in distribution.files or [] if file.parts[0] != ".."}
    for top in tops - {"__pycache__"}:
        source = Path(str(distribution.locate_file(top)))
        if source.exists() and not (folder / top).exists():
            (folder / top).symlink_to(source)


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

    # A fresh environment of its own with the wheel, and beside it only what the wheel
    # declares it needs (and what that needs in turn), taken from this environment: an
    # import of anything undeclared fails there. (pip installing the dependencies anew
    # copied 150 MB, 89 MB of it citation styles: ~10 s of CPU, the suite's longest test.)
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
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, str(wheel)],
        check=True,
    )
    needed = dependency_closure(wheel_requirements(wheel))
    assert {"textual", "markdown-it-py", "lxml"} <= needed.keys()
    assert "pytest" not in needed and "hypothesis" not in needed  # the test tools stay here
    deps = tmp_path / "deps"
    deps.mkdir()
    for distribution in needed.values():
        lend(distribution, deps)
    (Path(site) / "dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")

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
    title, painted, essaytui_file, textual_file = opened.stdout.splitlines()
    assert (title, painted) == ("Strategic partners with caveats: China & Russia", "True")
    assert Path(essaytui_file).is_relative_to(site)  # the wheel's, not this tree's
    assert Path(textual_file).is_relative_to(deps)
