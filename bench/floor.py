"""The floor under essaytui's first screen, in a real terminal: the hello-world app, the
same essay's first screen drawn the cheapest way Textual allows (`apps.py floor`), and
essaytui (first open with no parse cache, and reopened), launched in turns in fresh tmux
sessions at 140×45.

Usage: ``python bench/floor.py [--repeats N] [ESSAY…]`` (default: the bundled essay and the
generated 4.4 MB one). Prints medians of the time to the first sentence and the app's CPU.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import terminal  # noqa: E402
from harness import BUNDLED  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("essays", nargs="*", type=Path)
    options = parser.parse_args(argv)
    python, script = terminal.check_setup(False, False)
    essays = options.essays or [BUNDLED, generate.write_essays(BENCH / "out", ["large"])["large"]]
    rows = list(terminal.ROWS_HEAD)
    with tempfile.TemporaryDirectory(prefix="essaytui-floor-") as tmp:
        tmux = terminal.Tmux("essaytui-floor", terminal.server_env())
        try:
            bench = terminal.Bench(tmux, Path(tmp) / "data", (140, 45), 60.0)
            for essay in essays:
                sentence = terminal.first_sentence(essay.read_text(encoding="utf-8"))
                apps = {
                    "hello-world app": terminal.AppStart(
                        "hello", [str(python), str(terminal.APPS_PY), "hello"], terminal.HELLO_LINE
                    ),
                    "floor: the text, line API": terminal.AppStart(
                        "floor", [str(python), str(terminal.APPS_PY), "floor", str(essay)], sentence
                    ),
                    "essaytui, first open": terminal.AppStart(
                        "essaytui",
                        [str(script), str(essay)],
                        sentence,
                        {"ESSAYTUI_CACHE_DIR": terminal.NO_CACHE},
                    ),
                    "essaytui, reopened": terminal.AppStart(
                        "reopened",
                        [str(script), str(essay)],
                        sentence,
                        {"ESSAYTUI_CACHE_DIR": str(Path(tmp) / "cache")},
                    ),
                }
                rows += terminal.alternated_rows(bench, apps, options.repeats, essay.name)
        finally:
            tmux.close()
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
