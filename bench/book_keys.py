"""Keys while a book converts: `python bench/book_keys.py [--repeats 2] [BOOK]`.

Opens the book of `bench/book.py` (`bench/out/book-10mb.epub`, written if missing) with
an empty cache, headless at 120x40 as `bench/child.py` runs the reader, and presses `j`
and `k` in turn (a 20 ms pause after each) from its first screen until the whole book is
in, then 20 more. For each key: milliseconds from posting it to the screen repainted
(unlike `child.timed_key`, not waiting for the background load to end). Also the UI
thread's CPU time spent putting the whole book in place of its first part (`_loaded`)
and settling the heap after it (`settle_heap`, `settle_rest_heap`): the work that held a
key before.

`--ahead` reads the book ahead in a second process as `essaytui BOOK` does
(`model.read_ahead`): the conversion then runs beside the UI, not in its process.

Each repeat runs in a fresh process; the figures are printed as one JSON line a run.
To compare two trees of the code, run it with each on PYTHONPATH in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

#: Seconds a run may take at most.
TIMEOUT = 300.0


def _timed(owner: Any, name: str, into: list[float]) -> None:
    """Wrap `owner.name` so that each call adds its thread CPU seconds to `into`."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            into.append(time.thread_time() - start)

    setattr(owner, name, wrapper)


async def _key(app: Any, pilot: Any, key: str) -> float:
    import child

    start = time.perf_counter()
    app.post_message(child._key_event(key))
    for _ in range(2):
        await pilot._wait_for_screen()
    app.screen._on_timer_update()
    return (time.perf_counter() - start) * 1000


def run_once(book: Path, ahead: bool = False) -> dict[str, Any]:
    """One opening of `book` with keys pressed during and after its loading (`ahead`:
    read ahead in a second process, as `essaytui BOOK` does)."""
    os.environ["ESSAYTUI_CACHE_DIR"] = tempfile.mkdtemp(prefix="essaytui-bench-cache-")
    reading_ahead = None
    if ahead:
        from essaytui.model.files import FIRST_SCREEN_LIMIT
        from essaytui.model.read_ahead import read_ahead

        reading_ahead = read_ahead(book, FIRST_SCREEN_LIMIT)
    import child

    import essaytui.app as app_module

    swap: list[float] = []
    settle: list[float] = []
    _timed(app_module.EssayApp, "_loaded", swap)
    _timed(app_module, "settle_heap", settle)
    if hasattr(app_module, "settle_rest_heap"):  # the rest's own, in later trees
        _timed(app_module, "settle_rest_heap", settle)
    app = child._essay_app(book, Path(tempfile.mkdtemp(prefix="essaytui-bench-")), reading_ahead)
    during: list[float] = []
    after: list[float] = []
    figures: dict[str, Any] = {}

    async def body(pilot: Any) -> None:
        view = await child._essay_view(app)
        view.focus()
        start = time.perf_counter()
        while not view.essay.complete and time.perf_counter() - start < TIMEOUT:
            during.append(await _key(app, pilot, "jk"[len(during) % 2]))
            await asyncio.sleep(0.02)
        figures["loaded_s"] = time.perf_counter() - start
        for index in range(20):
            after.append(await _key(app, pilot, "jk"[index % 2]))
            await asyncio.sleep(0.02)
        figures.update(
            keys_during=len(during),
            slowest_during_ms=max(during, default=0.0),
            over_50ms_during=sum(1 for d in during if d > 50),
            median_during_ms=sorted(during)[len(during) // 2] if during else 0.0,
            slowest_after_ms=max(after),
            after_ms=[round(d) for d in after],
            median_after_ms=sorted(after)[len(after) // 2],
            read_ahead=reading_ahead is not None,
            swap_cpu_ms=1000 * sum(swap),
            settle_cpu_ms=1000 * sum(settle),
        )
        print(json.dumps(figures), flush=True)
        child.finish(0)

    app.run(headless=True, size=child.SIZE, auto_pilot=body)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run `--repeats` fresh processes on the book and print their figures."""
    parser = argparse.ArgumentParser(description="keys while a book converts")
    parser.add_argument("book", nargs="?", type=Path)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--ahead",
        action="store_true",
        help="read the book ahead in a second process, as `essaytui BOOK` does",
    )
    options = parser.parse_args(argv)
    book = options.book
    if book is None:
        import book as book_bench

        book = book_bench.OUT / "book-10mb.epub"
        if not book.exists():
            book_bench.write_book(book)
    if options.once:
        run_once(book, options.ahead)
        return 0
    for _ in range(options.repeats):
        subprocess.run(
            [sys.executable, __file__, "--once", *(["--ahead"] * options.ahead), str(book)],
            check=False,
            timeout=TIMEOUT,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
