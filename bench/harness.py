"""What the headless benchmark (`bench/run.py`) and its real-terminal mode share.

The children's environment and their bytecode (compiled as `pip install` leaves it), the
description of the machine the figures come from, and `bench/RESULTS.md`, which holds one
section per mode: each run rewrites its own section and keeps the other's.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SRC = ROOT / "src"
RESULTS_MD = BENCH / "RESULTS.md"
BUNDLED = ROOT / "content" / "strategic-partners-with-caveats" / "essay.md"

#: The line in RESULTS.md where the real-terminal section begins (everything before it is
#: the headless section).
TERMINAL_MARKER = "<!-- bench/run.py --terminal writes from here on -->"


def child_env() -> dict[str, str]:
    """The children's environment: this checkout's `src` first, so the bench measures it."""
    env = dict(os.environ)
    # Bytecode is cached as after `pip install` (which compiles it): a machine that sets
    # PYTHONDONTWRITEBYTECODE would otherwise compile this checkout's modules on every
    # start, while the installed Textual's are already compiled.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    return env


def compile_sources() -> None:
    """Compile this checkout's modules to bytecode first, as `pip install` does."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(SRC)],
        check=True,
        env=child_env(),
        stdout=subprocess.DEVNULL,
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def package_version(package: str) -> str:
    """The installed version of `package`, or "not installed"."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_description() -> list[str]:
    """Lines describing where the figures were measured."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores; RAM {_ram_gb()}",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}",
        f"- Textual {package_version('textual')}; essaytui {package_version('essaytui')} "
        "(this checkout's `src`)",
        f"- Date: {now}",
    ]


def size_label(path: Path) -> str:
    """The file's size the way the tables give it: "9 KB", "4.4 MB"."""
    size = path.stat().st_size
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def merge_results(
    existing: str, *, headless: str | None = None, terminal: str | None = None
) -> str:
    """RESULTS.md with one mode's section replaced and the other's kept as it was.

    `existing` is the file as it stands ("" if there is none); the headless section is
    everything before `TERMINAL_MARKER`, the real-terminal section everything after it.
    """
    before, marker, after = existing.partition(TERMINAL_MARKER)
    old_terminal = after.strip("\n") if marker else ""
    sections = [(headless if headless is not None else before).strip("\n")]
    new_terminal = terminal if terminal is not None else old_terminal
    if new_terminal.strip():
        sections += [TERMINAL_MARKER, new_terminal.strip("\n")]
    return "\n\n".join(section for section in sections if section) + "\n"


def write_results(*, headless: str | None = None, terminal: str | None = None) -> None:
    """Rewrite one section of bench/RESULTS.md, keeping the other."""
    existing = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else ""
    text = merge_results(existing, headless=headless, terminal=terminal)
    RESULTS_MD.write_text(text, encoding="utf-8")
