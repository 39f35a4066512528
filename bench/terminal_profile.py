"""Where the start-up goes, in a real terminal: `python bench/run.py --terminal --profile`.

Runs `bench/profile_start.py` (essaytui with a stopwatch around each start-up step) in fresh
tmux sessions, as `bench/terminal.py` runs the apps: several times per essay for the step
timeline, once under pyinstrument and once under `python -X importtime`. Prints the median
timeline per essay as Markdown; the raw files (timelines, pyinstrument's call trees, the
import times) go to `bench/out/profile/`.
"""

from __future__ import annotations

import json
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import size_label
from profile_start import EXPERIMENTS
from terminal import (
    AppStart,
    Bench,
    Comparison,
    HarnessError,
    body_changed,
    comparison_table,
    end_process,
    progress,
)

PROFILE_START = Path(__file__).resolve().parent / "profile_start.py"
#: Seconds the app runs on after its first sentence is written (side pane, full parse).
LINGER_S = 2.0
#: How many import lines of `-X importtime` the summary lists.
TOP_IMPORTS = 25
#: Each experiment is tried on essays larger than this (bytes): reading the rest of an
#: essay in a worker only happens beyond the first part essaytui reads (128 KB).
APPLIES = {"mount-after-batch": 0, "rest-after-first-write": 128 * 1024}


@dataclass
class Profiled:
    """One profiled start: the timeline profile_start.py wrote, and the harness's own time."""

    timeline: dict[str, Any]
    first_on_screen_s: float | None


def profile_once(
    bench: Bench,
    python: Path,
    essay: Path,
    sentence: str,
    out: Path,
    *,
    pyinstrument: Path | None = None,
    importtime: Path | None = None,
    experiment: str | None = None,
) -> Profiled:
    """One run of profile_start.py in a fresh session; waits for it to quit by itself."""
    argv = [str(python)]
    if importtime is not None:
        argv += ["-X", "importtime"]
    argv += [str(PROFILE_START), str(essay), str(out), "--linger", str(LINGER_S)]
    argv += ["--first-words", " ".join(sentence.split()[:3])]
    if pyinstrument is not None:
        argv += ["--pyinstrument", str(pyinstrument)]
    if experiment is not None:
        argv += ["--experiment", experiment]
    env: dict[str, str] = {}
    if importtime is not None:
        # -X importtime writes to stderr, which Textual uses for the screen: keep the
        # terminal on fd 3 for the app (BENCH_TERMINAL_FD), stderr into the file.
        argv = ["sh", "-c", 'exec 3>&2 2>"$0"; exec "$@"', str(importtime), *argv]
        env["BENCH_TERMINAL_FD"] = "3"
    out.unlink(missing_ok=True)
    env["BENCH_LAUNCHED_AT"] = repr(time.time())
    app = AppStart("essaytui", argv, sentence, env)
    with bench.session(app) as session:
        launch = session.measure_start(bench.timeout, settle=False)
        # profile_start.py quits LINGER_S after the first sentence; let it write its file.
        deadline = time.perf_counter() + LINGER_S + 10.0
        while not out.exists() and time.perf_counter() < deadline:
            time.sleep(0.05)
        end_process(session.pid, grace=5.0)
    if not out.exists():
        raise HarnessError(f"profile_start.py wrote no timeline ({launch.error or 'no error'})")
    return Profiled(json.loads(out.read_text(encoding="utf-8")), launch.first_s)


@dataclass
class StepTotals:
    """One step in one run: its first start; its wall and CPU time and calls before a moment."""

    first: float
    wall: float = 0.0
    cpu: float = 0.0
    calls: int = 0


def _totals(timeline: dict[str, Any], moment: float | None) -> dict[str, StepTotals]:
    """Per step: its first start, and what it took before `moment` (None: all along)."""
    steps: dict[str, StepTotals] = {}
    for step in timeline["steps"]:
        totals = steps.setdefault(step["step"], StepTotals(step["start"]))
        totals.first = min(totals.first, step["start"])
        if moment is None or step["start"] < moment:
            end = step["end"] if moment is None else min(step["end"], moment)
            totals.wall += end - step["start"]
            # A step cut short by the moment: its CPU in proportion.
            whole = step["end"] - step["start"]
            totals.cpu += step["cpu"] * ((end - step["start"]) / whole if whole > 0 else 1.0)
            totals.calls += 1
    return steps


def _nested(label: str) -> bool:
    """Steps inside another step of the table (so not to be added to the others)."""
    return label.startswith(("parse (", "glossary scan", "store: migrations", "keymap"))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timeline_table(runs: Sequence[Profiled]) -> list[str]:
    """Median over runs, per step: when it starts, its time before and after the first sentence."""
    rows: dict[str, list[tuple[StepTotals, StepTotals]]] = {}
    marks: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for run in runs:
        timeline = run.timeline
        sentence = timeline["marks"].get("first sentence written")
        if sentence is None:
            continue
        for name, moment in timeline["marks"].items():
            marks.setdefault(name, []).append(moment)
        for name, used in timeline.get("cpu", {}).items():
            cpu.setdefault(name, []).append(used)
        before, total = _totals(timeline, sentence), _totals(timeline, None)
        for label, totals in before.items():
            rows.setdefault(label, []).append((totals, total[label]))
    lines = [
        "| step | starts at | before the first sentence: wall | CPU | calls | after it, wall |",
        "|---|--:|--:|--:|--:|--:|",
    ]

    def med(values: Sequence[float]) -> float:
        return statistics.median(values)

    for label in sorted(rows, key=lambda label: med([b.first for b, _ in rows[label]])):
        pairs = rows[label]
        shown = f"  ↳ {label}" if _nested(label) else label
        lines.append(
            f"| {shown} | {med([b.first for b, _ in pairs]) * 1000:.0f} ms "
            f"| {_ms(med([b.wall for b, _ in pairs]))} | {_ms(med([b.cpu for b, _ in pairs]))} "
            f"| {med([b.calls for b, _ in pairs]):.0f} "
            f"| {_ms(med([t.wall - b.wall for b, t in pairs]))} |"
        )
    lines += ["", "| moment | after launch | process CPU by then |", "|---|--:|--:|"]
    for name in sorted(marks, key=lambda name: med(marks[name])):
        used = f"{med(cpu[name]) * 1000:.0f} ms" if name in cpu else ""
        lines.append(f"| {name} | {med(marks[name]) * 1000:.0f} ms | {used} |")
    on_screen = [run.first_on_screen_s for run in runs if run.first_on_screen_s is not None]
    if on_screen:
        lines.append(
            f"| first sentence on screen (capture-pane) | {med(on_screen) * 1000:.0f} ms | |"
        )
    return lines


def importtime_table(path: Path) -> list[str]:
    """The slowest imports (cumulative, top level of their package) from -X importtime."""
    entries: list[tuple[int, int, str]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.removeprefix("import time:").split("|")
        try:
            own, cumulative = int(parts[0]), int(parts[1])
        except ValueError:
            continue
        entries.append((own, cumulative, parts[2].rstrip()))
    total_own = sum(own for own, _, _ in entries)
    packages: dict[str, int] = {}
    for own, _, name in entries:
        top = name.strip().split(".")[0]
        packages[top] = packages.get(top, 0) + own
    lines = [
        f"All imports: {total_own / 1000:.0f} ms (their own times added up).",
        "",
        "| package | own import time, all its modules |",
        "|---|--:|",
    ]
    for top, own in sorted(packages.items(), key=lambda item: -item[1])[:12]:
        lines.append(f"| {top} | {own / 1000:.1f} ms |")
    lines += ["", "| module (indent = nesting) | cumulative |", "|---|--:|"]
    for _, cumulative, name in sorted(entries, key=lambda e: -e[1])[:TOP_IMPORTS]:
        lines.append(f"| `{name.replace('|', '')}` | {cumulative / 1000:.1f} ms |")
    return lines


def _compared(name: str, plain: Sequence[Profiled], tried: Sequence[Profiled]) -> list[Comparison]:
    """The first sentence's time on screen and the CPU used by then, plain and with `name`."""

    def on_screen(runs: Sequence[Profiled]) -> list[float]:
        return [run.first_on_screen_s for run in runs if run.first_on_screen_s is not None]

    def cpu(runs: Sequence[Profiled]) -> list[float]:
        found = [run.timeline.get("cpu", {}).get("first sentence written") for run in runs]
        return [value for value in found if value is not None]

    def after_imports(runs: Sequence[Profiled]) -> list[float]:
        # The imports are the same either way, and the part a busy machine varies most.
        spans = []
        for run in runs:
            written = run.timeline["marks"].get("first sentence written")
            imports = [s["end"] for s in run.timeline["steps"] if s["step"].startswith("import ")]
            if written is not None and imports:
                spans.append(written - max(imports))
        return spans

    return [
        Comparison(f"{name}: first sentence on screen", "s", on_screen(plain), on_screen(tried)),
        Comparison(
            f"{name}: imports done → first sentence written",
            "s",
            after_imports(plain),
            after_imports(tried),
        ),
        Comparison(f"{name}: process CPU by then", "s", cpu(plain), cpu(tried)),
    ]


#: Keys profiled with py-spy, each sent this many times in a row.
KEY_GROUPS: dict[str, list[tuple[str, ...]]] = {
    "page down": [("Space",)],
    "footnote: next, jump, back": [("f",), ("Enter",), ("BSpace",)],
}
KEY_ROUNDS = 8
TOP_FRAMES = 14


#: Frames every busy sample of the main thread goes through: not worth a row.
TRUNK = ("asyncio/", "essaytui/cli/", "textual/_callback.py", "textual/timer.py", "<module>")


def hot_frames(collapsed: Path, top: int = TOP_FRAMES) -> list[str]:
    """The functions most often on the main thread's stack in py-spy's raw samples."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = writer = 0
    for line in collapsed.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        # "Class.method (path/file.py:123)" → "Class.method (path/file.py)"
        frames = [frame.rsplit(":", 1)[0] + ")" for frame in stack.split(";")]
        if not frames[0].startswith("<module>"):  # another thread
            if "WriterThread.run" in frames[-1]:
                writer += count  # the driver's thread writing to the terminal
            continue
        total += count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
        own[frames[-1]] = own.get(frames[-1], 0) + count
    if not total:
        return ["(no samples)"]
    lines = ["| function (file) | on the stack | running itself |", "|---|--:|--:|"]
    ranked = [f for f in sorted(inclusive, key=lambda f: -inclusive[f]) if not f.startswith(TRUNK)]
    for frame in [f for f in ranked if not any(t in f for t in TRUNK)][:top]:
        lines.append(
            f"| `{frame}` | {inclusive[frame] / total:.0%} | {own.get(frame, 0) / total:.0%} |"
        )
    return [
        f"{total} busy samples of the main thread (1 ms apart); the driver's writer thread "
        f"was writing in {writer} more.",
        "",
        *lines,
    ]


def profile_keys(bench: Bench, app: AppStart, out_dir: Path) -> list[str]:
    """py-spy on essaytui while keys are pressed, once the essay has settled."""
    spy = Path(sys.executable).parent / "py-spy"
    if not spy.exists():
        return [
            "py-spy is not installed beside this python: keys not profiled (pip install py-spy)."
        ]
    lines: list[str] = []
    with bench.session(app) as session:
        if session.measure_start(bench.timeout, settle=True).first_s is None:
            return ["essaytui never showed the essay: keys not profiled."]
        for group, keys in KEY_GROUPS.items():
            out = out_dir / f"keys-{group.split(':')[0].replace(' ', '-')}.txt"
            spying = subprocess.Popen(
                [str(spy), "record", "--pid", str(session.pid), "--rate", "1000"]
                + ["--format", "raw", "--nonblocking", "--output", str(out)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                time.sleep(0.5)  # attached
                timings = [
                    session.time_key(key, body_changed) for _ in range(KEY_ROUNDS) for key in keys
                ]
            finally:
                spying.send_signal(signal.SIGINT)
                try:
                    spying.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    spying.kill()
                    spying.wait()
            cpu = [t.cpu_ms for t in timings if t.cpu_ms is not None]
            lines += [
                f"#### {group} ({KEY_ROUNDS} × {' '.join(k[0] for k in keys)}; app CPU per key, "
                f"median {statistics.median(cpu):.0f} ms)"
                if cpu
                else f"#### {group}",
                "",
                *(hot_frames(out) if out.exists() else ["py-spy wrote nothing"]),
                "",
            ]
    return lines


def run_profile(
    bench: Bench,
    python: Path,
    essays: dict[str, Path],
    sentences: dict[str, str],
    repeats: int,
    out_dir: Path,
) -> str:
    """Profile essaytui's start on each essay; the summary as Markdown."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    for name, essay in essays.items():
        # The first start with a new data directory (the store created, its migrations run),
        # then the starts the table is made of, with the store now there.
        bench.data_dir = out_dir / f"{name}-data"
        shutil.rmtree(bench.data_dir, ignore_errors=True)
        first_ever = profile_once(
            bench, python, essay, sentences[name], out_dir / f"{name}-first-ever.json"
        )
        new_store = _totals(first_ever.timeline, None)
        # The plain starts (the timeline) take turns with the experiments' starts.
        experiments = [e for e in EXPERIMENTS if essay.stat().st_size > APPLIES[e]]
        if len(experiments) > 1:
            experiments.append(",".join(experiments))  # and all of them together
        variants: list[str | None] = [None, *experiments]
        starts: dict[str | None, list[Profiled]] = {variant: [] for variant in variants}
        for index in range(repeats):
            for variant in variants[index % len(variants) :] + variants[: index % len(variants)]:
                label = variant or "timeline"
                run = profile_once(
                    bench, python, essay, sentences[name],
                    out_dir / f"{name}-{label}-{index}.json", experiment=variant,
                )  # fmt: skip
                starts[variant].append(run)
                progress(f"[profile {index + 1}/{repeats}] {name} {label}: first sentence on "
                         f"screen {(run.first_on_screen_s or 0) * 1000:.0f} ms")  # fmt: skip
        runs = starts[None]
        pyinstrument = out_dir / f"{name}-pyinstrument.txt"
        profile_once(
            bench, python, essay, sentences[name], out_dir / f"{name}-pyinstrument.json",
            pyinstrument=pyinstrument,
        )  # fmt: skip
        importtime = out_dir / f"{name}-importtime.txt"
        profile_once(
            bench, python, essay, sentences[name], out_dir / f"{name}-importtime.json",
            importtime=importtime,
        )  # fmt: skip
        missing = sorted({label for run in runs for label in run.timeline.get("missing", [])})
        store_steps = [
            f"{label.removeprefix('store: ')} {_ms(new_store[label].wall)}"
            for label in new_store
            if label.startswith("store:")
        ]
        lines += [
            f"### {name} ({size_label(essay)}): median of {repeats} profiled starts",
            "",
            *timeline_table(runs),
            "",
            "The first start with a new data directory (not in the table): "
            + ", ".join(store_steps)
            + ".",
            "",
        ]
        if missing:
            lines += ["Not found (so not timed): " + "; ".join(missing), ""]
        if experiments:
            lines += [
                "What changing essaytui's start would save, tried with the change patched in by "
                "`bench/profile_start.py --experiment` (src untouched), the starts alternated:",
                "",
                *[f"- *{e}*: {EXPERIMENTS[e]}" for e in experiments if e in EXPERIMENTS],
                "",
                *comparison_table(
                    [row for e in experiments for row in _compared(e, starts[None], starts[e])]
                ),
                "",
            ]
        lines += [
            f"Imports (`python -X importtime`, one run; `{importtime.name}`):",
            "",
            *importtime_table(importtime),
            "",
            f"pyinstrument's call tree up to the first sentence: `{pyinstrument}`.",
            "",
        ]
    largest = max(essays, key=lambda name: essays[name].stat().st_size)
    argv = [str(python.parent / "essaytui"), str(essays[largest])]
    reader = AppStart("essaytui", argv, sentences[largest])
    lines += [
        f"### Keys on the {largest} essay ({size_label(essays[largest])}), sampled by py-spy",
        "",
        *profile_keys(bench, reader, out_dir),
    ]
    return "\n".join(lines)
