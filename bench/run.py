"""Side-by-side benchmark of essaytui and Textual's MarkdownViewer.

Run from the repository root, with the project installed::

    python bench/run.py                 # everything; writes bench/RESULTS.md
    python bench/run.py --quick --sizes small,medium --no-write
    python bench/run.py --terminal      # in tmux, as a user starts each app (see terminal.py)

For each essay (generated ~9 KB, ~880 KB and ~4.4 MB essays, and the bundled one) and each app,
a fresh Python process opens the file headless at 120x40; the time from just before the process
is spawned to the first screen showing essay text is measured, and the process's peak resident
memory. Each measurement is repeated (3 times by default) and the median reported. Then, on the
largest essay, one essaytui process times the reading keys, and the re-anchoring benchmark of
``bench/bench_anchoring.py`` runs. The results are printed as Markdown and written to
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
# Sibling scripts, not a package:
import generate  # noqa: E402
import terminal  # noqa: E402
from harness import (  # noqa: E402
    BUNDLED,
    RESULTS_MD,
    ROOT,
    SRC,
    child_env,
    compile_sources,
    machine_description,
    size_label,
    write_results,
)

CHILD = BENCH / "child.py"

APPS = ("essaytui", "markdownviewer")
APP_TITLES = {"essaytui": "essaytui", "markdownviewer": "MarkdownViewer"}
ALL_SIZES = (*generate.SIZES, "bundled")

# The reading targets (this machine class, 2 cores).
TARGET_LARGE_S = 1.5
TARGET_LARGE_RATIO = 15.0
TARGET_MEDIUM_S = 0.8
TARGET_LARGE_MB = 200.0
TARGET_KEY_MS = 50.0
TARGET_SEARCH_MS = 100.0
SEARCH_KEY = "first search match (enter)"
OVERHEAD_KEY = "unbound key (harness overhead)"


@dataclass
class Run:
    """One measurement: one app opening one file in a fresh process."""

    paint_s: float | None = None
    loaded_s: float | None = None
    peak_mb: float | None = None
    timed_out: bool = False
    error: str | None = None
    events: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Summary:
    """The median of several runs of one app on one essay."""

    paint_s: float | None
    loaded_s: float | None
    peak_mb: float | None
    timed_out: bool
    errors: list[str]


def spawn(app: str, mode: str, path: Path, timeout: float, *extra: str) -> Run:
    """Run one measurement in a fresh process; kill it after `timeout` seconds."""
    with tempfile.TemporaryDirectory(prefix="essaytui-bench-") as tmp:
        results = Path(tmp) / "results.jsonl"
        stderr_path = Path(tmp) / "stderr.log"
        command = [sys.executable, str(CHILD), app, mode, str(path), str(results), *extra]
        with stderr_path.open("wb") as stderr:
            started = time.time()
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                # an empty parse cache: every run opens the essay for the first time
                env={**child_env(), "ESSAYTUI_CACHE_DIR": str(Path(tmp) / "cache")},
                cwd=ROOT,
            )
            deadline = time.monotonic() + timeout
            timed_out = False
            while True:
                # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would be the max so far).
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    process.kill()
                    _, status, usage = os.wait4(process.pid, 0)
                    timed_out = True
                    break
                time.sleep(0.01)
            process.returncode = os.waitstatus_to_exitcode(status)
        run = Run(timed_out=timed_out, peak_mb=usage.ru_maxrss / 1024)
        if results.exists():
            run.events = [json.loads(line) for line in results.read_text().splitlines() if line]
        for event in run.events:
            kind = event.get("event")
            moment = event.get("time")
            if kind == "paint" and isinstance(moment, float):
                run.paint_s = moment - started
            elif kind == "loaded" and isinstance(moment, float):
                run.loaded_s = moment - started
            elif kind == "error":
                run.error = str(event.get("error", "error"))
        if not timed_out and process.returncode != 0 and run.error is None:
            tail = stderr_path.read_text(errors="replace")[-2000:]
            run.error = f"exit status {process.returncode}: {tail}"
    return run


def summarise(runs: list[Run]) -> Summary:
    """Medians over runs (a value missing from any run — a timeout — makes it missing)."""

    def median(values: list[float | None]) -> float | None:
        if not values or any(value is None for value in values):
            return None
        return statistics.median(value for value in values if value is not None)

    return Summary(
        paint_s=median([run.paint_s for run in runs]),
        loaded_s=median([run.loaded_s for run in runs]),
        peak_mb=median([run.peak_mb for run in runs]),
        timed_out=any(run.timed_out for run in runs),
        errors=[run.error.strip().splitlines()[-1] for run in runs if run.error],
    )


# -- formatting --------------------------------------------------------------------------


def seconds(value: float | None, timed_out: bool, timeout: float) -> str:
    if value is None:
        return f"> {timeout:.0f} s" if timed_out else "failed"
    return f"{value:.2f} s"


def megabytes(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"


def ratio(slow: float | None, fast: float | None, slow_timed_out: bool, timeout: float) -> str:
    if fast is None or fast <= 0:
        return "–"
    if slow is None:
        return f"> {timeout / fast:.0f}×" if slow_timed_out else "–"
    return f"{slow / fast:.1f}×"


def first_screen_table(
    essays: dict[str, Path], summaries: dict[tuple[str, str], Summary], timeout: float
) -> list[str]:
    lines = [
        "| essay | size | essaytui first screen | MarkdownViewer first text | MarkdownViewer "
        "fully loaded | ratio (first text) | ratio (loaded) | essaytui fully loaded | "
        "essaytui peak memory | MarkdownViewer peak memory | memory ratio |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, path in essays.items():
        ours = summaries[(name, "essaytui")]
        theirs = summaries[(name, "markdownviewer")]
        killed = " (killed)" if theirs.timed_out else ""
        lines.append(
            f"| {name} | {size_label(path)} "
            f"| {seconds(ours.paint_s, ours.timed_out, timeout)} "
            f"| {seconds(theirs.paint_s, theirs.timed_out, timeout)} "
            f"| {seconds(theirs.loaded_s, theirs.timed_out, timeout)} "
            f"| {ratio(theirs.paint_s, ours.paint_s, theirs.timed_out, timeout)} "
            f"| {ratio(theirs.loaded_s, ours.paint_s, theirs.timed_out, timeout)} "
            f"| {seconds(ours.loaded_s, ours.timed_out, timeout)} "
            f"| {megabytes(ours.peak_mb)} | {megabytes(theirs.peak_mb)}{killed} "
            f"| {ratio(theirs.peak_mb, ours.peak_mb, False, timeout)} |"
        )
    return lines


def keys_table(samples: dict[str, list[float]], done: dict[str, list[float]]) -> list[str]:
    lines = [
        "| action | response (median) | slowest response | background work done (median) "
        "| presses | target |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name, values in samples.items():
        median = statistics.median(values)
        finished = statistics.median(done.get(name) or values)
        cells = (
            f"| {name} | {median:.1f} ms | {max(values):.1f} ms | {finished:.1f} ms "
            f"| {len(values)} "
        )
        if name == OVERHEAD_KEY:
            lines.append(cells + "| – |")
            continue
        # The search's figure is when its match is shown, i.e. when its worker is done.
        measured, target = (
            (finished, TARGET_SEARCH_MS)
            if name == SEARCH_KEY
            else (
                median,
                TARGET_KEY_MS,
            )
        )
        mark = "✓" if measured <= target else "✗"
        lines.append(cells + f"| ≤ {target:.0f} ms {mark} |")
    return lines


def anchoring_table(anchoring: dict[str, float]) -> list[str]:
    """`run_anchoring_bench`'s figures: `*_ms` are times, the others counts of notes."""
    lines = ["| re-anchoring 200 notes | result |", "|---|--:|"]
    for name, value in anchoring.items():
        if name.endswith("_ms"):
            lines.append(f"| {name.removesuffix('_ms').replace('_', ' ')} | {value:.1f} ms |")
        else:
            lines.append(f"| {name.replace('_', ' ')} | {value:.0f} notes |")
    return lines


def targets_table(
    essays: dict[str, Path],
    summaries: dict[tuple[str, str], Summary],
    samples: dict[str, list[float]],
    done: dict[str, list[float]],
) -> list[str]:
    """The reading targets, each checked against the figures above."""
    rows: list[tuple[str, str, bool | None]] = []

    def get(name: str, app: str) -> Summary | None:
        return summaries.get((name, app)) if name in essays else None

    large, large_mv = get("large", "essaytui"), get("large", "markdownviewer")
    if large is not None and large_mv is not None:
        paint = large.paint_s
        rows.append(
            (
                f"4.4 MB first screen ≤ {TARGET_LARGE_S} s",
                seconds(paint, False, 0),
                paint is not None and paint <= TARGET_LARGE_S,
            )
        )
        if paint is not None:
            mv = large_mv.paint_s
            if mv is None and large_mv.timed_out:
                rows.append(
                    (
                        "4.4 MB ≥ 15× sooner than MarkdownViewer (first text)",
                        "MarkdownViewer timed out",
                        None,
                    )
                )
            elif mv is not None:
                rows.append(
                    (
                        "4.4 MB ≥ 15× sooner than MarkdownViewer (first text)",
                        f"{mv / paint:.1f}×",
                        mv / paint >= TARGET_LARGE_RATIO,
                    )
                )
        peak = large.peak_mb
        rows.append(
            (
                f"4.4 MB peak memory ≤ {TARGET_LARGE_MB:.0f} MB",
                megabytes(peak),
                peak is not None and peak <= TARGET_LARGE_MB,
            )
        )
    medium = get("medium", "essaytui")
    if medium is not None:
        rows.append(
            (
                f"880 KB first screen ≤ {TARGET_MEDIUM_S} s",
                seconds(medium.paint_s, False, 0),
                medium.paint_s is not None and medium.paint_s <= TARGET_MEDIUM_S,
            )
        )
    bundled, bundled_mv = get("bundled", "essaytui"), get("bundled", "markdownviewer")
    if bundled is not None and bundled_mv is not None:
        ok = (
            bundled.paint_s is not None
            and bundled_mv.paint_s is not None
            and bundled.paint_s <= bundled_mv.paint_s
        )
        rows.append(
            (
                "bundled essay no slower than MarkdownViewer",
                f"{seconds(bundled.paint_s, False, 0)} vs {seconds(bundled_mv.paint_s, False, 0)}",
                ok,
            )
        )
    keys = {
        name: statistics.median(values)
        for name, values in samples.items()
        if name not in (SEARCH_KEY, OVERHEAD_KEY)
    }
    if keys:
        slowest = max(keys, key=lambda name: keys[name])
        rows.append(
            (
                f"every key ≤ {TARGET_KEY_MS:.0f} ms at 4.4 MB",
                f"slowest: {slowest}, {keys[slowest]:.1f} ms",
                keys[slowest] <= TARGET_KEY_MS,
            )
        )
    if SEARCH_KEY in samples:
        search = statistics.median(done.get(SEARCH_KEY) or samples[SEARCH_KEY])
        rows.append(
            (
                f"first search match ≤ {TARGET_SEARCH_MS:.0f} ms",
                f"{search:.1f} ms",
                search <= TARGET_SEARCH_MS,
            )
        )
    lines = ["| target | measured | met |", "|---|--:|:-:|"]
    for target, measured, met in rows:
        lines.append(f"| {target} | {measured} | {'–' if met is None else '✓' if met else '✗'} |")
    return lines


# -- the steps ---------------------------------------------------------------------------


def load_anchoring_bench() -> Callable[[], dict[str, float]] | None:
    """`run_anchoring_bench` from bench/bench_anchoring.py, if that file is there."""
    path = BENCH / "bench_anchoring.py"
    if not path.exists():
        return None
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    spec = importlib.util.spec_from_file_location("bench_anchoring", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    function: Callable[[], dict[str, float]] = module.run_anchoring_bench
    return function


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the results as Markdown and write bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description="essaytui vs Textual's MarkdownViewer")
    parser.add_argument(
        "--sizes",
        default=None,
        help=f"comma-separated, from {','.join(ALL_SIZES)} (default: all; with --terminal: "
        f"{','.join(terminal.DEFAULT_ESSAYS)})",
    )
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per measurement")
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds before a measurement is stopped (default 120)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; keep RESULTS.md")
    parser.add_argument(
        "--out",
        type=Path,
        default=generate.DEFAULT_OUT,
        help="where the generated essays go (default bench/out)",
    )
    real = parser.add_argument_group(
        "real terminal", "each app in a fresh tmux session, timed on its screen (needs tmux)"
    )
    real.add_argument(
        "--terminal",
        action="store_true",
        help="measure in a real terminal instead of headless (default essays: bundled,large; "
        "7 repeats)",
    )
    real.add_argument(
        "--terminal-size",
        default="140x45",
        metavar="WxH",
        help="the tmux window's size (default 140x45)",
    )
    real.add_argument(
        "--slow-runs",
        type=int,
        default=3,
        metavar="N",
        help="runs of MarkdownViewer on essays of 1 MB or more (~40 s each; default 3)",
    )
    real.add_argument(
        "--skip-slow", action="store_true", help="no MarkdownViewer on essays of 1 MB or more"
    )
    real.add_argument("--no-keys", action="store_true", help="first screens only")
    real.add_argument(
        "--profile",
        action="store_true",
        help="instead: profile essaytui's start-up step by step (bench/profile_start.py); "
        "writes bench/out/profile/",
    )
    real.add_argument(
        "--note", default="", help="a line to add under the machine description (e.g. its load)"
    )
    real.add_argument(
        "--speedups",
        action="store_true",
        help="also compare TEXTUAL_SPEEDUPS=0 and =1 (needs textual-speedups installed)",
    )
    args = parser.parse_args(argv)
    arguments = sys.argv[1:] if argv is None else argv
    default_sizes = terminal.DEFAULT_ESSAYS if args.terminal else ALL_SIZES
    sizes = [size.strip() for size in (args.sizes or ",".join(default_sizes)).split(",")]
    sizes = [size for size in sizes if size]
    unknown = [size for size in sizes if size not in ALL_SIZES]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)}; choose from {', '.join(ALL_SIZES)}")
    if args.terminal:
        profiler = None
        if args.profile:
            import terminal_profile

            profiler = terminal_profile.run_profile
        options = terminal.TerminalOptions.of(args)
        return terminal.run_terminal(options, sizes, arguments, profiler)
    repeats = args.repeats or (1 if args.quick else 3)

    generated = generate.write_essays(args.out, [s for s in sizes if s in generate.SIZES])
    essays: dict[str, Path] = {name: generated[name] for name in sizes if name in generated}
    if "bundled" in sizes:
        essays["bundled"] = BUNDLED

    compile_sources()
    runs: dict[tuple[str, str], list[Run]] = {}
    for repeat in range(repeats):
        for name, path in essays.items():
            for app in APPS:
                run = spawn(app, "first-paint", path, args.timeout)
                runs.setdefault((name, app), []).append(run)
                progress(
                    f"[{repeat + 1}/{repeats}] {name:8} {APP_TITLES[app]:15} "
                    f"first screen {seconds(run.paint_s, run.timed_out, args.timeout)}, "
                    f"loaded {seconds(run.loaded_s, run.timed_out, args.timeout)}, "
                    f"peak {megabytes(run.peak_mb)}"
                    + (f"  ERROR: {run.error.strip().splitlines()[-1]}" if run.error else "")
                )
    summaries = {key: summarise(value) for key, value in runs.items()}

    largest = max(essays, key=lambda name: essays[name].stat().st_size)
    progress(f"keys: essaytui on {largest} …")
    key_run = spawn(
        "essaytui",
        "keys",
        essays[largest],
        max(args.timeout, 300.0),
        generate.SEARCH_WORD,
        str(max(repeats, 5)),
    )
    samples: dict[str, list[float]] = {}
    done: dict[str, list[float]] = {}
    key_errors: dict[str, str] = {}
    key_facts = ""
    for event in key_run.events:
        if event.get("event") == "keys":
            samples = event["samples_ms"]  # type: ignore[assignment]
            done = event.get("done_ms") or {}  # type: ignore[assignment]
            key_errors = event.get("errors") or {}  # type: ignore[assignment]
            key_facts = (
                f"The screen held {event.get('widgets')} widgets; the notes store held "
                f"{event.get('notes_saved')} annotations at the end "
                f"({len(samples.get('save note (ctrl+s)', []))} notes were saved)."
            )
    if key_run.error:
        key_errors["run"] = key_run.error
    if key_run.timed_out:
        key_errors["run"] = "timed out"

    anchoring: dict[str, float] = {}
    anchoring_note = ""
    try:
        bench_anchoring = load_anchoring_bench()
        if bench_anchoring is None:
            anchoring_note = "bench/bench_anchoring.py is missing: re-anchoring not measured."
        else:
            progress("re-anchoring …")
            anchoring = bench_anchoring()
    except Exception as error:  # a broken sibling benchmark must not lose the other figures
        anchoring_note = f"re-anchoring benchmark failed: {type(error).__name__}: {error}"

    report = [
        "# Benchmark: essaytui vs Textual's MarkdownViewer",
        "",
        f"Produced by `{' '.join(['python bench/run.py', *arguments])}`; "
        f"median of {repeats} run(s) each.",
        "",
        *machine_description(),
        "",
        "## First screen and memory",
        "",
        "Each figure is a fresh Python process opening the file headless at 120x40: seconds from",
        "just before the process is spawned (so interpreter start-up and imports count; both",
        "apps' modules are compiled to bytecode beforehand, as `pip install` does) to the",
        "first screen with essay text painted. *MarkdownViewer first text* is the first paint of",
        "any Markdown block; *fully loaded* is when it has mounted every block (its table of",
        "contents arrives). *essaytui fully loaded* is when its background workers (the complete",
        "parse) have finished. Peak memory is the process's maximum resident set until then.",
        "MarkdownViewer (with its table of contents, as Frogmouth shows it) gets the same file",
        "without its YAML front matter: left in, the front matter becomes a heading whose",
        "contents entry pushes the document off screen. Ratios are MarkdownViewer ÷ essaytui.",
        "",
        *first_screen_table(essays, summaries, args.timeout),
        "",
    ]
    errors = {
        f"{name} / {APP_TITLES[app]}": summary.errors
        for (name, app), summary in summaries.items()
        if summary.errors
    }
    if errors:
        report += ["Errors:", ""]
        report += [
            f"- {where}: {'; '.join(sorted(set(messages)))}" for where, messages in errors.items()
        ]
        report.append("")
    report += [
        f"## Keys on the {largest} essay ({size_label(essays[largest])}), essaytui",
        "",
        "One headless run at 120x40 with the essay fully parsed. *Response* is from posting the",
        "key to the screen having been repainted after its messages were handled; *background",
        "work done* also waits for any worker the key started (a search) and repaints again.",
        "The search is for a word that occurs once, three quarters of the way in; its characters",
        "are timed as typed. The unbound key shows what the measuring itself costs.",
        "",
        *keys_table(samples, done),
        "",
    ]
    if key_facts:
        report += [key_facts, ""]
    if anchoring:
        report += [
            "Re-anchoring, from `bench/bench_anchoring.py` (its own text; see that file):",
            "",
            *anchoring_table(anchoring),
            "",
        ]
    if anchoring_note:
        report += [anchoring_note, ""]
    if key_errors:
        report += ["Key errors:", ""]
        report += [
            f"- {group}: {message.strip().splitlines()[-1]}"
            for group, message in key_errors.items()
        ]
        report.append("")
    report += ["## Targets", "", *targets_table(essays, summaries, samples, done), ""]

    text = "\n".join(report)
    print(text)
    if not args.no_write:
        write_results(headless=text)
        progress(f"written to {RESULTS_MD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
