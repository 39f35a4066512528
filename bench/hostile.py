"""The hostile inputs the tests hold, timed: what each costs now, at n and 8n.

    python bench/hostile.py            # every case, a table in Markdown
    python bench/hostile.py --issue    # also the inputs exactly as the issues gave them

Each case runs in a child process with a deadline, so one that regressed to exponential
is reported as stopped rather than stalling the run. The cases are the growth tests'
(tests/unit/test_growth.py): the same builders, timed the same way (best of three).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests" / "unit"
DEADLINE = 60.0

#: As the issues wrote them: (what, Python expression for the essay's text).
AS_FILED = {
    "92-byte file: 34 × '> ' before [^1]:": '"# Tiny\\n\\nHello.\\n\\n" + "> " * 34 + "x[^1]: y"',
    "'[^' × 20,000 (40 KB)": '"[^" * 20000',
    "200 KB of '['": '"[" * 200_000',
    "400 KB of colour codes": '"\\x1b[31m" * (400_000 // 5)',
    "'<div>' + 'a < b ' × 40,000 (240 KB)": '"<div>\\n" + "a < b " * 40_000',
    "1 MB of notes right after prose": (
        '"prose\\n" + "".join(f"[^{i}]: note {i}\\n" for i in range(60_000))'
    ),
    "200,000 × x, then 300 nested '> '": '"x" * 200_000 + "\\n\\n" + "> " * 300 + "deep"',
    "title: a + 40,000 spaces + b": '"---\\ntitle: a" + " " * 40_000 + "b\\n---\\n\\nx"',
}


def child(script: str) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            env={"PYTHONPATH": f"{ROOT / 'src'}:{TESTS}", "PATH": "/usr/bin:/bin"},
        )
    except subprocess.TimeoutExpired:
        return json.dumps({"stopped": DEADLINE})
    if done.returncode:
        return json.dumps({"error": done.stderr.strip().splitlines()[-1:]})
    return done.stdout


def entry(name: str) -> dict[str, float]:
    script = (
        "import json, test_growth as g\n"
        f"build, n = g.ENTRY_CASES[{name!r}]\n"
        "small, large = g.best_time(build(n)), g.best_time(build(8 * n))\n"
        "print(json.dumps({'n': n, 'small': small, 'large': large}))\n"
    )
    result: dict[str, float] = json.loads(child(script))
    return result


def as_filed(expression: str) -> dict[str, float]:
    script = (
        "import json, time\n"
        "from essaytui.model.parse import parse_essay\n"
        f"text = {expression}\n"
        "start = time.perf_counter(); parse_essay(text)\n"
        "print(json.dumps({'seconds': time.perf_counter() - start, 'size': len(text)}))\n"
    )
    result: dict[str, float] = json.loads(child(script))
    return result


def seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issue", action="store_true", help="also the inputs as filed")
    options = parser.parse_args()
    sys.path.insert(0, str(TESTS))
    import test_growth

    print("| case | n | time at n | time at 8n | ratio (linear ≈ 8) |")
    print("|---|--:|--:|--:|--:|")
    for name in test_growth.ENTRY_CASES:
        found = entry(name)
        if "small" not in found:
            print(f"| {name} | | | | {found} |")
            continue
        ratio = found["large"] / max(found["small"], 1e-9)
        print(
            f"| {name} | {found['n']:,} | {seconds(found['small'])} "
            f"| {seconds(found['large'])} | {ratio:.1f} |",
            flush=True,
        )
    if options.issue:
        print("\n| as filed | size | parse now |")
        print("|---|--:|--:|")
        for name, expression in AS_FILED.items():
            found = as_filed(expression)
            took = seconds(found["seconds"]) if "seconds" in found else str(found)
            print(f"| {name} | {int(found.get('size', 0)):,} chars | {took} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
