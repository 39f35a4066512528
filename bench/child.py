"""One benchmark measurement, run in a fresh Python process by ``bench/run.py``.

Usage: ``python bench/child.py {essaytui,markdownviewer} first-paint PATH RESULTS``
or ``python bench/child.py essaytui keys PATH RESULTS``.

Results are JSON lines appended to RESULTS (so a parent that kills a slow child still
sees what was measured before): ``{"event": "paint", "time": <time.time()>, "maxrss_kb": …}``
when the first screen showing essay text has been painted, ``{"event": "loaded", …}`` when
the whole document has been taken in (MarkdownViewer: every block mounted; essaytui: every
worker finished), and for ``keys`` one ``{"event": "keys", "samples_ms": {…}}``.

The app runs headless at 120x40 and the process exits right after its last result, without
tearing the app down (a MarkdownViewer with tens of thousands of widgets takes long to unmount,
which is not what is being measured).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

SIZE = (120, 40)
LOADED_TIMEOUT = 120.0
#: How often to poll for a state change, in seconds.
POLL = 0.005


class Results:
    """Appends JSON lines to the results file, flushing each one."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, **fields: Any) -> None:
        fields.setdefault("maxrss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        with self.path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(fields) + "\n")


def finish(code: int = 0, cleanup: Path | None = None) -> None:
    """Leave at once: skipping the app's teardown keeps its cost out of the figures."""
    if cleanup is not None:
        shutil.rmtree(cleanup, ignore_errors=True)
    sys.stderr.flush()
    os._exit(code)


def guarded(results: Results, body: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    """Report any exception from `body` as a result and end the process."""

    async def run() -> None:
        try:
            await body()
        except Exception:
            results.write(event="error", error=traceback.format_exc())
            finish(1)

    return run


# -- Textual's MarkdownViewer ---------------------------------------------------------


def markdown_viewer_first_paint(path: Path, results: Results) -> None:
    """Open `path` in a MarkdownViewer (as Frogmouth does) and time its first screen."""
    from apps import without_front_matter  # a sibling script (bench/ is on sys.path)
    from textual.app import App, ComposeResult
    from textual.geometry import Region
    from textual.strip import Strip
    from textual.widgets import Markdown, MarkdownViewer
    from textual.widgets._markdown import MarkdownBlock

    painted: list[float] = []
    original_render_lines = MarkdownBlock.render_lines

    def render_lines(self: MarkdownBlock, crop: Region) -> list[Strip]:
        strips = original_render_lines(self, crop)
        # The compositor asks a block for its lines only when it is on screen.
        if not painted and any(strip.text.strip() for strip in strips):
            painted.append(time.time())
            results.write(event="paint", time=painted[0])
            if waiting_for_paint:
                loaded()
        return strips

    MarkdownBlock.render_lines = render_lines  # type: ignore[method-assign,assignment]

    class Viewer(MarkdownViewer):
        def _on_markdown_table_of_contents_updated(
            self, message: Markdown.TableOfContentsUpdated
        ) -> None:
            # MarkdownViewer's own handler runs after this one (Textual walks the MRO).
            # The table of contents is posted once every block has been mounted; the
            # generated essays all have headings, so an empty one is the initial blank update.
            if message.table_of_contents:
                self.call_after_refresh(loaded)

    waiting_for_paint: list[bool] = []

    def loaded() -> None:
        # A small document can be fully mounted before anything is painted: then it is
        # loaded when its first screen is.
        if not painted:
            waiting_for_paint.append(True)
            return
        results.write(event="loaded", time=time.time())
        finish()

    class ViewerApp(App[None]):
        def compose(self) -> ComposeResult:
            text = without_front_matter(path.read_text(encoding="utf-8"))
            yield Viewer(text, show_table_of_contents=True)

    ViewerApp().run(headless=True, size=SIZE)


# -- essaytui --------------------------------------------------------------------------


def _essay_app(path: Path, data_dir: Path, ahead: Any = None) -> Any:
    """The reader as `essaytui PATH` starts it (the same function; `ahead`: the process
    reading the text ahead, `model.read_ahead`, as `essaytui` starts one)."""
    from essaytui.cli import reader_app

    return reader_app(path, data_dir, ahead)


def _install_paint_probe(results: Results) -> list[float]:
    """Record the moment EssayView first renders a line of essay text (its `painted` flag)."""
    from essaytui.widgets.essay_view import EssayView

    painted: list[float] = []
    original_render_line = EssayView.render_line

    def render_line(self: EssayView, y: int) -> Any:
        strip = original_render_line(self, y)
        if not painted and getattr(self, "painted", False):
            painted.append(time.time())
            results.write(event="paint", time=painted[0])
        return strip

    EssayView.render_line = render_line  # type: ignore[method-assign]
    return painted


async def _essay_view(app: Any) -> Any:
    """The app's EssayView, waiting until it exists and has painted text."""
    from essaytui.widgets.essay_view import EssayView

    deadline = time.monotonic() + LOADED_TIMEOUT
    while time.monotonic() < deadline:
        views = list(app.screen.query(EssayView)) or list(app.query(EssayView))
        if views and getattr(views[0], "painted", False):
            return views[0]
        await asyncio.sleep(POLL)
    raise TimeoutError("EssayView never painted essay text")


async def _workers_done(app: Any, timeout: float = LOADED_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while any(not worker.is_finished for worker in app.workers):
        if time.monotonic() > deadline:
            raise TimeoutError("workers still running")
        await asyncio.sleep(POLL)


async def _fully_loaded(app: Any) -> None:
    """Wait until the view shows the complete parse and no worker is left running."""
    from essaytui.widgets.essay_view import EssayView

    deadline = time.monotonic() + LOADED_TIMEOUT
    while True:
        views = list(app.screen.query(EssayView)) or list(app.query(EssayView))
        # `Essay.complete` is False while only the first part of a large file is parsed
        # (the rest is parsed by a worker that may start a little after the first paint).
        if views and getattr(views[0].essay, "complete", True):
            break
        if time.monotonic() > deadline:
            raise TimeoutError("the essay was never completely parsed")
        await asyncio.sleep(POLL)
    await _workers_done(app)


def essaytui_first_paint(path: Path, results: Results) -> None:
    """Open `path` in essaytui and time its first screen, then the end of loading."""
    import gc

    # `essaytui` (cli.reader_app) turns collection off before its first import; the
    # probe has to import the view before that function runs, so do it here first.
    gc.disable()
    painted = _install_paint_probe(results)
    data_dir = Path(tempfile.mkdtemp(prefix="essaytui-bench-"))
    app = _essay_app(path, data_dir)

    async def body() -> None:
        await _essay_view(app)
        if not painted:  # the probe missed it (e.g. render_line was wrapped); poll's time
            results.write(event="paint", time=time.time())
        await _fully_loaded(app)
        app.screen._on_timer_update()
        results.write(event="loaded", time=time.time())
        finish(0, data_dir)

    app.run(headless=True, size=SIZE, auto_pilot=lambda pilot: guarded(results, body)())


# -- essaytui keys on one document -----------------------------------------------------


async def _keys_handled(app: Any, timeout: float = 10.0) -> None:
    """Wait until the app has handed over every key and seen each one handled.

    essaytui hands keys to its widgets one at a time (`TypeaheadApp`): a key counts as
    handled once it has bubbled all the way and what it posted has run, which can be a
    few turns after the screen went quiet. Without this wait a key's work could spill
    into the next key's figure (a `g` scrolled during the `/` timed after it).
    """
    deadline = time.monotonic() + timeout
    while getattr(app, "_waiting", None) or getattr(app, "_in_flight", None) is not None:
        if time.monotonic() > deadline:
            raise TimeoutError("a key was never handled")
        await asyncio.sleep(0.001)


def _paint_pending(app: Any) -> bool:
    """Whether the screen or one of its widgets still wants a repaint or a layout."""
    screen = app.screen
    if screen._dirty_widgets or screen._layout_required or screen._repaint_required:
        return True
    if screen.message_queue_size:  # an Update or a Layout on its way to it
        return True
    return any(
        widget._repaint_required or widget._layout_required for widget in screen.walk_children()
    )


async def _settle(app: Any, pilot: Any, start: float = 0.0) -> tuple[float, float]:
    """Let a key take effect; return seconds since `start` to its response and to its end.

    The response is the screen repainted once the key's messages are handled; the end is
    the screen repainted once any worker it started (e.g. a search) has finished too.
    """
    await _keys_handled(app)
    for _ in range(2):
        await pilot._wait_for_screen()
    # Paint now instead of waiting for the next refresh tick, so the paint is in the figure.
    app.screen._on_timer_update()
    # A widget asks the screen for its repaint when it goes idle, which may be after the
    # waits above: paint that too, or it would land in the next key's figure.
    for _ in range(5):
        if not _paint_pending(app):
            break
        await pilot._wait_for_screen()
        app.screen._on_timer_update()
    response = time.perf_counter() - start
    if any(not worker.is_finished for worker in app.workers):
        await _workers_done(app, 30.0)
        await pilot._wait_for_screen()
        app.screen._on_timer_update()
    return response, time.perf_counter() - start


def _notes_saved(data_dir: Path) -> int | None:
    """How many annotations the store under `data_dir` holds (None if it cannot tell)."""
    import sqlite3

    for database in data_dir.rglob("*.sqlite3"):
        try:
            with sqlite3.connect(database) as connection:
                row = connection.execute("SELECT count(*) FROM annotations").fetchone()
                return int(row[0])
        except sqlite3.Error:
            return None
    return None


def _key_event(key: str) -> Any:
    from textual import events
    from textual.keys import _character_to_key

    if len(key) == 1:
        name = key if key.isalnum() else _character_to_key(key)
        return events.Key(name, key)
    return events.Key(key, None)


async def timed_key(app: Any, pilot: Any, key: str) -> tuple[float, float, float]:
    """Milliseconds from posting `key` to its response and to the end of its work, and
    the process's CPU milliseconds until then (all threads: less disturbed by other work
    on the machine than the wall clock)."""
    cpu = time.process_time()
    start = time.perf_counter()
    app.post_message(_key_event(key))
    response, done = await _settle(app, pilot, start)
    return response * 1000, done * 1000, (time.process_time() - cpu) * 1000


async def press(app: Any, pilot: Any, *keys: str) -> None:
    """Press keys without timing them."""
    for key in keys:
        app.post_message(_key_event(key))
        await _settle(app, pilot)


def essaytui_keys(path: Path, results: Results, search_word: str, repeats: int) -> None:
    """Time the reading keys of design §6 on one essay, in one headless run."""
    data_dir = Path(tempfile.mkdtemp(prefix="essaytui-bench-"))
    app = _essay_app(path, data_dir)
    samples: dict[str, list[float]] = {}
    done: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    errors: dict[str, str] = {}

    def add(name: str, timing: tuple[float, float, float]) -> None:
        samples.setdefault(name, []).append(timing[0])
        done.setdefault(name, []).append(timing[1])
        cpu.setdefault(name, []).append(timing[2])

    async def focus_view(view: Any, pilot: Any) -> None:
        from textual.screen import ModalScreen

        while isinstance(app.screen, ModalScreen):
            await press(app, pilot, "escape")
        view.focus()
        await _settle(app, pilot)

    async def body() -> None:
        pilot = app._bench_pilot
        await _essay_view(app)
        await _fully_loaded(app)
        view = await _essay_view(app)  # the complete parse may have replaced the view
        await focus_view(view, pilot)

        async def group(name: str, run: Callable[[], Awaitable[None]]) -> None:
            try:
                await run()
            except Exception:
                errors[name] = traceback.format_exc(limit=4)
                await focus_view(view, pilot)

        async def paging() -> None:
            # An unbound key: what the measuring itself costs with this many widgets.
            for _ in range(max(repeats, 10)):
                add("unbound key (harness overhead)", await timed_key(app, pilot, "f19"))
            for _ in range(max(repeats, 10)):
                add("page down (space)", await timed_key(app, pilot, "space"))
            for _ in range(max(repeats, 10)):
                add("line down (j)", await timed_key(app, pilot, "j"))
            for _ in range(repeats):
                add("bottom (G)", await timed_key(app, pilot, "G"))
                add("top (g)", await timed_key(app, pilot, "g"))

        async def footnotes() -> None:
            await press(app, pilot, "d")
            for _ in range(repeats):
                await focus_view(view, pilot)
                add("next footnote (f)", await timed_key(app, pilot, "f"))
                add("jump to source (enter)", await timed_key(app, pilot, "enter"))
                add("back (backspace)", await timed_key(app, pilot, "backspace"))

        async def search() -> None:
            for _ in range(repeats):
                await focus_view(view, pilot)
                await press(app, pilot, "g")
                add("open search (/)", await timed_key(app, pilot, "slash"))
                for char in search_word:
                    add("search: type a character", await timed_key(app, pilot, char))
                add("first search match (enter)", await timed_key(app, pilot, "enter"))
                # A long text is searched in a worker: its answer may come a moment later.
                for _ in range(50):
                    if getattr(view, "matches", True):
                        break
                    await pilot.pause(0.02)
                else:
                    raise AssertionError(f"search for {search_word!r} found nothing in 1 s")
                await press(app, pilot, "escape")

        async def notes() -> None:
            for index in range(repeats):
                await focus_view(view, pilot)
                await press(app, pilot, "space", "v")
                add("open note editor (a)", await timed_key(app, pilot, "a"))
                await press(app, pilot, *f"bench note {index}")
                add("save note (ctrl+s)", await timed_key(app, pilot, "ctrl+s"))

        await group("paging", paging)
        await group("footnotes", footnotes)
        await group("search", search)
        await group("notes", notes)
        widgets = sum(1 for _ in app.screen.walk_children(with_self=True))
        results.write(
            event="keys",
            samples_ms=samples,
            done_ms=done,
            cpu_ms=cpu,
            errors=errors,
            widgets=widgets,
            notes_saved=_notes_saved(data_dir),
        )
        finish(0, data_dir)

    async def auto_pilot(pilot: Any) -> None:
        app._bench_pilot = pilot
        await guarded(results, body)()

    app.run(headless=True, size=SIZE, auto_pilot=auto_pilot)


def main(argv: list[str]) -> None:
    """Command line (see the module docstring)."""
    app_name, mode, path_arg, results_arg = argv[:4]
    results = Results(Path(results_arg))
    path = Path(path_arg)
    try:
        if app_name == "markdownviewer" and mode == "first-paint":
            markdown_viewer_first_paint(path, results)
        elif app_name == "essaytui" and mode == "first-paint":
            essaytui_first_paint(path, results)
        elif app_name == "essaytui" and mode == "keys":
            essaytui_keys(path, results, search_word=argv[4], repeats=int(argv[5]))
        else:
            raise SystemExit(f"unknown measurement: {app_name} {mode}")
    except Exception:
        results.write(event="error", error=traceback.format_exc())
        finish(1)
    # The app returned without reaching its results (it exited on its own).
    results.write(event="error", error="the app exited before the measurement finished")
    finish(1)


if __name__ == "__main__":
    main(sys.argv[1:])
