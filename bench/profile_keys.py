"""Where each reading key's time goes, headless: cProfile around single key presses.

Usage: ``python bench/profile_keys.py [ESSAY] [--top N] [--only LABEL,…]``
(default: the generated 4.4 MB essay, ``bench/out/bench-large.md``; make it with
``python bench/generate.py --sizes large``).

Opens the essay as ``bench/child.py essaytui keys`` does (headless at 120x40, an empty parse
cache, the complete parse awaited), then presses the keys of that benchmark in the same
order, with a profiler switched on only while one key is handled and painted. For each key
it prints the median time without the profiler (a press of its own), how many whole-screen
layouts and `render_lines` calls per widget class the press caused, and the functions with
the most cumulative time under the profiler (which inflates every figure, so read the
shares, not the milliseconds).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import child  # noqa: E402  (a sibling script)
import generate  # noqa: E402

#: Calls counted per press: whole-screen layouts and each widget class's line rendering.
Counts = Counter[str]


class Recorder:
    """Per label: timings without the profiler, one profile, and what the press caused."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.profiles: dict[str, cProfile.Profile] = {}
        self.counts: dict[str, Counts] = {}
        self.current: Counts | None = None

    def count(self, name: str) -> None:
        if self.current is not None:
            self.current[name] += 1

    async def timed(self, app: Any, pilot: Any, label: str, key: str) -> None:
        """Press `key` twice: once timed plainly, once under the profiler."""
        self.times.setdefault(label, []).append((await child.timed_key(app, pilot, key))[0])

    async def profiled(self, app: Any, pilot: Any, label: str, key: str) -> None:
        """Press `key` under the profiler, counting layouts and renders."""
        profile = self.profiles.setdefault(label, cProfile.Profile())
        counts = self.counts.setdefault(label, Counter())
        self.current = counts
        counts["presses"] += 1
        profile.enable()
        try:
            await child.timed_key(app, pilot, key)
        finally:
            profile.disable()
            self.current = None


def install_counters(recorder: Recorder) -> None:
    """Count whole-screen layouts and `render_lines` per widget class."""
    from textual.screen import Screen
    from textual.widget import Widget

    refresh_layout = Screen._refresh_layout

    def counted_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        if self._layout_required:
            recorder.count("layout (whole screen)")
        refresh_layout(self, *args, **kwargs)

    Screen._refresh_layout = counted_layout  # type: ignore[method-assign]
    render_lines = Widget.render_lines

    def counted_render(self: Widget, crop: Any) -> Any:
        recorder.count(f"render_lines {type(self).__name__}")
        return render_lines(self, crop)

    Widget.render_lines = counted_render  # type: ignore[method-assign]


def scenarios(
    app: Any, pilot: Any, view: Any, step: Callable[[str, str], Awaitable[None]], word: str
) -> list[Callable[[], Awaitable[None]]]:
    """The key sequences of bench/child.py, each key pressed through `step(label, key)`."""

    async def reset() -> None:
        from textual.screen import ModalScreen

        while isinstance(app.screen, ModalScreen):
            await child.press(app, pilot, "escape")
        view.focus()
        await child._settle(app, pilot)

    async def paging() -> None:
        await reset()
        await step("page down (space)", "space")
        await step("line down (j)", "j")
        await step("bottom (G)", "G")
        await step("top (g)", "g")

    async def footnotes() -> None:
        await reset()
        await child.press(app, pilot, "d")
        await step("next footnote (f)", "f")
        await step("jump to source (enter)", "enter")
        await step("back (backspace)", "backspace")

    async def search() -> None:
        await reset()
        await child.press(app, pilot, "g")
        await step("open search (/)", "slash")
        for char in word:
            await step("search: type a character", char)
        await step("first search match (enter)", "enter")
        await child.press(app, pilot, "escape")

    async def notes() -> None:
        await reset()
        await child.press(app, pilot, "space", "v")
        await step("open note editor (a)", "a")
        await child.press(app, pilot, *"bench note")
        await step("save note (ctrl+s)", "ctrl+s")

    return [paging, footnotes, search, notes]


def report(recorder: Recorder, top: int, only: set[str]) -> str:
    """Markdown-ish text: per label, the timings, the counts and the top functions."""
    out: list[str] = []
    for label, profile in recorder.profiles.items():
        if only and not any(part in label for part in only):
            continue
        times = recorder.times.get(label, [])
        counts = recorder.counts[label]
        presses = counts.pop("presses", 1)
        median = f"{statistics.median(times):.1f} ms" if times else "–"
        slowest = f"{max(times):.1f} ms" if times else "–"
        out.append(f"## {label}: median {median}, slowest {slowest} ({len(times)} plain presses)")
        per_press = ", ".join(
            f"{name} {value / presses:.1f}" for name, value in counts.most_common()
        )
        out.append(f"per press: {per_press or 'nothing counted'}")
        stream = io.StringIO()
        stats = pstats.Stats(profile, stream=stream)
        stats.sort_stats("cumulative").print_stats(top)
        out.append(stream.getvalue().split("\n", 6)[-1])
    return "\n".join(out)


def main(argv: list[str]) -> None:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "essay", nargs="?", type=Path, default=generate.DEFAULT_OUT / "bench-large.md"
    )
    parser.add_argument("--top", type=int, default=30, help="functions listed per key")
    parser.add_argument("--only", default="", help="comma-separated parts of key labels")
    parser.add_argument("--rounds", type=int, default=3, help="plain and profiled rounds")
    args = parser.parse_args(argv)
    os.environ.setdefault("ESSAYTUI_CACHE_DIR", tempfile.mkdtemp(prefix="essaytui-cache-"))
    recorder = Recorder()
    install_counters(recorder)
    data_dir = Path(tempfile.mkdtemp(prefix="essaytui-bench-"))
    app = child._essay_app(args.essay, data_dir)
    only = {part for part in args.only.split(",") if part}

    async def body(pilot: Any) -> None:
        await child._essay_view(app)
        await child._fully_loaded(app)
        view = await child._essay_view(app)

        async def plain(label: str, key: str) -> None:
            await recorder.timed(app, pilot, label, key)

        async def profiled(label: str, key: str) -> None:
            await recorder.profiled(app, pilot, label, key)

        for _ in range(args.rounds):
            for run in scenarios(app, pilot, view, plain, generate.SEARCH_WORD):
                await run()
            for run in scenarios(app, pilot, view, profiled, generate.SEARCH_WORD):
                await run()
        print(report(recorder, args.top, only), flush=True)
        child.finish(0, data_dir)

    app.run(headless=True, size=child.SIZE, auto_pilot=body)


if __name__ == "__main__":
    main(sys.argv[1:])
