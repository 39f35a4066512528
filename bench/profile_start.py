"""Where essaytui's start-up time goes, in a real terminal.

Run in a terminal in place of ``essaytui FILE`` (``bench/run.py --terminal --profile`` runs it
in tmux, several times, and sums the runs up)::

    python bench/profile_start.py FILE OUT.json [--pyinstrument OUT.txt] [--linger SECONDS]

It starts the reader the way the console script does (``essaytui.cli.main``), with a stopwatch
around the steps of its start-up: the imports, reading and parsing the first part, the glossary
scan, opening the store (and its migrations), building the app, starting the driver, reading
and applying the stylesheet, composing and mounting the reader, restoring the reading
position, each frame's layout and its rendering to escape codes, every write to the terminal
(the first full screen, the first showing the essay's first words), the side pane's arrival
and the heap's settling. The steps are wrapped where they are found; one that is not (the code
moved) is listed as missing, never guessed. ``LINGER`` seconds after the first sentence was
written (default 2) the app is told to quit and the timeline is written to ``OUT.json``:
moments are seconds since the process was launched (``BENCH_LAUNCHED_AT``, a ``time.time()``
set by whoever launched it; else since this script started).

``--pyinstrument`` also samples the process (every 0.5 ms) from this script's first line to
the write that put the first sentence on screen, and writes pyinstrument's call tree.

With ``BENCH_TERMINAL_FD`` set, that file descriptor is the terminal and standard error is a
file (``python -X importtime`` writes there): the app is pointed at the terminal instead.
"""

from __future__ import annotations

import time

STARTED = time.time()
STARTED_PERF = time.perf_counter()
#: CPU the interpreter had used to get here (its start-up, the site module).
STARTED_CPU = time.process_time()

# ruff: noqa: E402  (the clock starts before anything else is imported)
import argparse
import functools
import inspect
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Writes at least this long are taken for full screens (a 140x45 frame is ~15 KB).
FULL_SCREEN_CHARS = 4000

#: Changes to how essaytui schedules its start, tried here (patched in, src untouched) to
#: measure what they would save.
EXPERIMENTS = {
    "mount-after-batch": "EssayApp.on_mount runs once Textual's start-up batch_update is over "
    "(call_later), so the reader's first frame is written instead of dropped",
    "rest-after-first-write": "the rest of a long essay is parsed once the first full screen "
    "has been written, instead of 50 ms after the app mounted",
}


class Timeline:
    """Steps with their start and end, and the terminal writes, in seconds since launch."""

    def __init__(self) -> None:
        launched = os.environ.get("BENCH_LAUNCHED_AT")
        self.origin = STARTED_PERF - (STARTED - float(launched) if launched else 0.0)
        self.steps: list[dict[str, Any]] = []
        self.writes: list[tuple[float, int]] = []
        self.frames: list[tuple[float, str]] = []
        self.marks: dict[str, float] = {"script started": self.now()}
        #: The process's CPU time (all threads) at some of the marks.
        self.cpu: dict[str, float] = {}
        self.missing: list[str] = []
        self.main_thread = threading.get_ident()

    def now(self) -> float:
        return time.perf_counter() - self.origin

    def step(self, label: str, start: float, end: float, cpu: float) -> None:
        """Record a step: seconds since launch at its start and end, its thread's CPU time."""
        self.steps.append(
            {
                "step": label,
                "start": start,
                "end": end,
                "cpu": cpu,
                "main": threading.get_ident() == self.main_thread,
            }
        )

    def mark(self, label: str) -> None:
        self.marks.setdefault(label, self.now())

    def wrap(self, owner: object, name: str, label: str) -> None:
        """Time every call of `owner.name` as the step `label` (if it is there)."""
        original = inspect.getattr_static(owner, name, None)
        if original is None:
            self.missing.append(f"{label} ({getattr(owner, '__name__', owner)}.{name})")
            return
        kind = type(original)
        function = (
            original.__func__ if isinstance(original, staticmethod | classmethod) else original
        )
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                # (the CPU of an awaited step includes whatever ran while it waited)
                start, cpu = self.now(), time.thread_time()
                try:
                    return await function(*args, **kwargs)
                finally:
                    self.step(label, start, self.now(), time.thread_time() - cpu)

        else:

            @functools.wraps(function)
            def wrapper(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                start, cpu = self.now(), time.thread_time()
                try:
                    return function(*args, **kwargs)
                finally:
                    self.step(label, start, self.now(), time.thread_time() - cpu)

        setattr(owner, name, kind(wrapper) if kind in (staticmethod, classmethod) else wrapper)

    def dump(self, path: Path, extra: dict[str, Any]) -> None:
        path.write_text(
            json.dumps(
                {
                    "marks": self.marks,
                    "cpu": self.cpu,
                    "steps": self.steps,
                    "writes": self.writes,
                    "frames": self.frames,
                    "missing": self.missing,
                    **extra,
                },
                indent=1,
            ),
            encoding="utf-8",
        )


def _nothing(app: Any) -> None:
    pass


def _experiment(name: str, timeline: Timeline) -> Callable[[Any], None]:
    """Patch in one of EXPERIMENTS; the hook to call at the first full-screen write."""
    from essaytui.app import EssayApp

    if name == "mount-after-batch":
        on_mount = EssayApp.on_mount

        def deferred_on_mount(self: EssayApp) -> None:
            self.call_later(on_mount, self)

        EssayApp.on_mount = deferred_on_mount  # type: ignore[method-assign]
        return _nothing
    if name == "rest-after-first-write":
        set_timer = EssayApp.set_timer
        waiting: list[Any] = []

        def held_set_timer(self: EssayApp, delay: float, callback: Any = None, **kw: Any) -> Any:
            if getattr(callback, "__name__", "") == "_load_rest":
                waiting.append(callback)
                return None
            return set_timer(self, delay, callback, **kw)

        EssayApp.set_timer = held_set_timer  # type: ignore[method-assign,assignment]

        def first_write(app: Any) -> None:
            while waiting:
                app.call_later(waiting.pop())

        return first_write
    raise SystemExit(f"unknown experiment {name!r}; known: {', '.join(EXPERIMENTS)}")


def _instrument(
    timeline: Timeline,
    first_words: str,
    on_sentence: Callable[[], None],
    on_full_screen: Callable[[Any], None],
) -> None:
    """Wrap the start-up steps, where they are found."""
    from textual.app import App
    from textual.css.stylesheet import Stylesheet
    from textual.drivers.linux_driver import LinuxDriver
    from textual.screen import Screen

    import essaytui.app as app_module
    import essaytui.model.files as files_module
    import essaytui.model.parse as parse_module
    from essaytui.screens.reader import ReaderScreen
    from essaytui.screens.reading.annotations import Annotations
    from essaytui.screens.reading.reading import Reading
    from essaytui.store import AnnotationStore

    wrap = timeline.wrap
    wrap(files_module, "load_essay", "read and parse (load_essay)")
    wrap(app_module, "load_essay", "read and parse (load_essay)")
    wrap(files_module, "parse_essay", "parse (parse_essay)")
    wrap(parse_module, "build_terms", "glossary scan (build_terms)")
    wrap(AnnotationStore, "open_or_memory", "store: open (open_or_memory)")
    wrap(AnnotationStore, "_migrate", "store: migrations (_migrate)")
    wrap(app_module.EssayApp, "__init__", "EssayApp() built")
    wrap(app_module.EssayApp, "_apply_keymap", "keymap (keys.toml)")
    wrap(app_module, "settle_heap", "heap settled (gc.collect + freeze)")
    wrap(LinuxDriver, "start_application_mode", "driver: application mode")
    wrap(Stylesheet, "read_all", "stylesheet: read")
    wrap(Stylesheet, "parse", "stylesheet: parse")
    wrap(Stylesheet, "reparse", "stylesheet: reparse")
    wrap(Stylesheet, "update", "stylesheet: apply to a tree (update)")
    wrap(Stylesheet, "update_nodes", "stylesheet: apply to nodes (update_nodes)")
    wrap(Screen, "_refresh_layout", "layout (Screen._refresh_layout)")
    wrap(App, "_display", "frame to escape codes + write (App._display)")
    wrap(ReaderScreen, "on_mount", "reader: on_mount")
    wrap(Annotations, "reload", "reader: annotations loaded")
    wrap(Reading, "restore_position", "reader: position restored")
    # (the reader's handler, not SidePane's: importing the pane here would import, before
    # the first screen, the modules the reader imports only once the pane is built)
    wrap(ReaderScreen, "on_side_pane_ready", "side pane: mounted")
    wrap(App, "_on_compose", "app: compose")

    timed_display = App._display

    def display(self: App[Any], screen: Screen[Any], renderable: Any) -> None:
        # What each frame was: nothing to show, held back by a batch, or an update written.
        kind = "nothing" if renderable is None else type(renderable).__name__
        if self._batch_count:
            kind += " (held: batch update)"
        timeline.frames.append((timeline.now(), kind))
        if renderable is not None:
            timeline.mark("first frame rendered")
            if self._batch_count:
                timeline.mark("first frame rendered but held back (batch_update): dropped")
        timed_display(self, screen, renderable)

    App._display = display  # type: ignore[method-assign]

    original_write = LinuxDriver.write

    def write(self: LinuxDriver, data: str) -> None:
        moment = timeline.now()
        timeline.writes.append((moment, len(data)))
        if len(data) >= FULL_SCREEN_CHARS and "first full-screen write" not in timeline.marks:
            timeline.mark("first full-screen write")
            on_full_screen(self._app)
        if first_words in data and "first sentence written" not in timeline.marks:
            timeline.mark("first sentence written")
            timeline.cpu["first sentence written"] = time.process_time()
            on_sentence()
        original_write(self, data)

    LinuxDriver.write = write  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("essay", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pyinstrument", type=Path, default=None, metavar="OUT.txt")
    parser.add_argument("--linger", type=float, default=2.0)
    parser.add_argument("--first-words", default="", help="words the first sentence starts with")
    parser.add_argument(
        "--experiment", default="", help=f"comma-separated, from {', '.join(EXPERIMENTS)}"
    )
    options = parser.parse_args(argv)
    timeline = Timeline()
    profiler = None
    if options.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()

    start, cpu = timeline.now(), time.thread_time()
    import essaytui.cli as cli

    timeline.step("import essaytui.cli", start, timeline.now(), time.thread_time() - cpu)
    start, cpu = timeline.now(), time.thread_time()
    import essaytui.app  # noqa: F401  (what reader_app imports first: Textual, the widgets)

    label = "import essaytui.app (Textual, the reader)"
    timeline.step(label, start, timeline.now(), time.thread_time() - cpu)
    timeline.cpu["script started"] = STARTED_CPU
    terminal_fd = os.environ.get("BENCH_TERMINAL_FD")
    if terminal_fd:
        # Textual writes to sys.__stderr__: make that the terminal, stderr stays the file.
        sys.__stderr__ = open(int(terminal_fd), "w", encoding="utf-8", closefd=False)  # noqa: SIM115

    profile_text: list[str] = []

    def sentence_written() -> None:
        if profiler is not None and profiler.is_running:
            profiler.stop()
            profile_text.append(profiler.output_text(unicode=True, color=False))
            profile_text.append(profiler.output_text(unicode=True, color=False, show_all=True))
        threading.Timer(options.linger, quit_app).start()

    apps: list[Any] = []

    def quit_app() -> None:
        if apps:
            with_app = apps[0]
            with_app.call_from_thread(with_app.exit)
        threading.Timer(5.0, lambda: os._exit(1)).start()  # if it does not quit

    hooks = [_experiment(name, timeline) for name in filter(None, options.experiment.split(","))]

    def on_full_screen(app: Any) -> None:
        for hook in hooks:
            hook(app)

    _instrument(timeline, options.first_words or "\x00", sentence_written, on_full_screen)
    import essaytui.cli.reader as cli_reader

    original_reader_app = cli_reader.reader_app

    def reader_app(*args: Any, **kwargs: Any) -> Any:
        app = original_reader_app(*args, **kwargs)
        apps.append(app)
        return app

    # `run_reader` looks the factory up in its own module (cli.reader), not in the package
    cli_reader.reader_app = reader_app  # type: ignore[assignment]
    code = cli.main([str(options.essay)])
    timeline.mark("app exited")
    if options.pyinstrument and profile_text:
        options.pyinstrument.write_text(profile_text[0], encoding="utf-8")
        every_frame = options.pyinstrument.with_name(options.pyinstrument.stem + "-all.txt")
        every_frame.write_text(profile_text[1], encoding="utf-8")
    extra = {"exit_code": code, "linger": options.linger, "experiment": options.experiment or None}
    timeline.dump(options.out, extra)
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
