"""Two checkouts of essaytui side by side in a real terminal: each one's first open (no parse
cache) and reopened essay, and the hello-world app, launched in turns in fresh tmux sessions
at 140×45, so that a change is measured against the code before it within one run, under the
same load.

Usage: ``python bench/compare.py BEFORE AFTER [--repeats N] [ESSAY…]`` where BEFORE and AFTER
are checkouts with their own ``.venv`` (default essays: the bundled one and the generated
4.4 MB one). Prints, per essay and app, the median time to the first sentence, its ratio to
the hello-world app's and the app's CPU until then.
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


def apps_for(essay: Path, checkouts: dict[str, Path], cache: Path) -> dict[str, terminal.AppStart]:
    """The hello-world app, then each checkout's first open and reopened start."""
    sentence = terminal.first_sentence(essay.read_text(encoding="utf-8"))
    python = terminal.check_setup(False, False)[0]
    apps = {
        "hello-world app": terminal.AppStart(
            "hello", [str(python), str(terminal.APPS_PY), "hello"], terminal.HELLO_LINE
        )
    }
    for name, tree in checkouts.items():
        script = [str(tree / ".venv" / "bin" / "essaytui"), str(essay)]
        apps[f"{name}, first open"] = terminal.AppStart(
            name, script, sentence, {"ESSAYTUI_CACHE_DIR": terminal.NO_CACHE}
        )
        apps[f"{name}, reopened"] = terminal.AppStart(
            f"{name}-again", script, sentence, {"ESSAYTUI_CACHE_DIR": str(cache / name)}
        )
    return apps


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--repeats", type=int, default=6)
    parser.add_argument("essays", nargs="*", type=Path)
    options = parser.parse_intermixed_args(argv)
    checkouts = {"before": options.before.resolve(), "after": options.after.resolve()}
    essays = options.essays or [BUNDLED, generate.write_essays(BENCH / "out", ["large"])["large"]]
    rows = list(terminal.ROWS_HEAD)
    with tempfile.TemporaryDirectory(prefix="essaytui-compare-") as tmp:
        tmux = terminal.Tmux("essaytui-compare", terminal.server_env())
        try:
            bench = terminal.Bench(tmux, Path(tmp) / "data", (140, 45), 60.0)
            for essay in essays:
                apps = apps_for(essay, checkouts, Path(tmp) / "cache")
                rows += terminal.alternated_rows(bench, apps, options.repeats, essay.name, 3)
        finally:
            tmux.close()
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
