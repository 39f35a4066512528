"""Running the real CLI as a subprocess, for the identity and hostile-input tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def essaytui(
    *args: str | Path, data: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m essaytui ARGS` with its notes in `data`, no terminal, text output."""
    return subprocess.run(
        [sys.executable, "-m", "essaytui", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(data)},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
