"""The library at scale: 1,000 texts (200 MB) added, the Library opened, searched.

Usage::

    python bench/bench_library.py [--texts 1000] [--megabytes 200] [--searches 50]

Generates the texts in a temporary folder (a Zipf-distributed vocabulary of invented
words, sections, a few series), then measures with the real code:

- ``essaytui add FOLDER`` (a subprocess, as a reader runs it): seconds, texts a second;
- the Library screen, headless: a start that opens it, against a plain start;
- ``Library.search`` over the index: median and 90th percentile of one-, two- and
  three-word queries;
- the library file and the notes database against the texts' size.

Figures depend on the machine and its load: say both when quoting them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def vocabulary(rng: random.Random, size: int = 40_000) -> list[str]:
    """Invented words of two to four syllables."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def text_of(rng: random.Random, words: list[str], weights: list[float], size: int, n: int) -> str:
    """One essay of about `size` bytes: front matter, sections, paragraphs of sentences."""
    head = f"---\ntitle: Essay {n} on {words[n % 500]}\nauthor: Writer {n % 37}\n"
    if n % 10 < 4:  # four in ten belong to one of 25 series
        head += f"series: Series {n % 25}, Part {n // 25 + 1}\n"
    out = [head + "---\n"]
    length = len(out[0])
    section = 0
    while length < size:
        if length == len(out[0]) or rng.random() < 0.08:
            section += 1
            heading = " ".join(rng.choices(words, cum_weights=weights, k=3))
            out.append(f"\n## Section {section}: {heading}\n")
        sentences = []
        for _ in range(rng.randint(3, 7)):
            chosen = rng.choices(words, cum_weights=weights, k=rng.randint(8, 25))
            sentences.append(" ".join(chosen).capitalize() + ".")
        paragraph = "\n" + " ".join(sentences) + "\n"
        out.append(paragraph)
        length += len(paragraph)
    return "".join(out)


def generate(folder: Path, texts: int, megabytes: float, seed: int = 24) -> tuple[int, list[str]]:
    """Write the texts; return their total size and the vocabulary."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    # Zipf, as cumulative weights (each draw is then a bisection, not a sum of 40,000)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    each = int(megabytes * 1024 * 1024 / texts)
    total = 0
    for n in range(texts):
        sub = folder / f"shelf-{n % 20:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = text_of(rng, words, weights, each, n).encode()
        (sub / f"essay-{n:04d}.md").write_bytes(data)
        total += len(data)
    return total, words


def timed_add(folder: Path, data: Path) -> float:
    env = {**os.environ, "ESSAYTUI_DATA_DIR": str(data)}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", "add", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    print("  add said:", result.stderr.strip().splitlines()[-1])
    return seconds


async def start_time(data: Path, library: bool) -> tuple[float, float]:
    """Seconds (wall clock, and CPU of the process) from creating the app to the reader,
    or the Library with its rows, on screen and every message it caused handled (so the
    work a table does after its first frame counts: the next key waits for it), and the
    start-up's one full garbage collection done (`settle_heap`: either start pays it)."""
    from essaytui.app import EssayApp
    from essaytui.screens.library import LibraryScreen

    start, cpu = time.perf_counter(), time.process_time()
    app = EssayApp(data_dir=data)
    app.open_library_first = library
    async with app.run_test(size=(160, 45)) as pilot:
        while True:
            await pilot.pause(0.001)
            screen = app.screen
            up = not library or (
                isinstance(screen, LibraryScreen) and screen.current_row() is not None
            )
            if up and gc.isenabled():
                break
        # twice: what the first round queued (a table's layout on idle) runs in the second
        for _ in range(2):
            await pilot._wait_for_screen()  # Textual's own wait, as pilot.press uses
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return seconds, cpu


def screen_times(data: Path, rounds: int) -> None:
    """The Library's start against a plain start, alternated, the best of `rounds` each."""
    plain: list[tuple[float, float]] = []
    shown: list[tuple[float, float]] = []
    for _ in range(rounds):
        plain.append(asyncio.run(start_time(data, False)))
        shown.append(asyncio.run(start_time(data, True)))
    (p_wall, p_cpu), (s_wall, s_cpu) = min(plain), min(shown)
    print(
        f"start: plain {p_wall:.2f} s, on the Library {s_wall:.2f} s (+{s_wall - p_wall:.2f} s, "
        f"×{s_wall / p_wall:.2f}); CPU plain {p_cpu:.2f} s, on the Library {s_cpu:.2f} s "
        f"(+{s_cpu - p_cpu:.2f} s)"
    )


def search_times(data: Path, words: list[str], count: int) -> list[float]:
    from essaytui.store.library import Library

    rng = random.Random(7)
    queries = []
    for n in range(count):
        k = 1 + n % 3
        queries.append(" ".join(rng.choice(words[:3000]) for _ in range(k)))
    times = []
    found = 0
    with Library.open(data) as library:
        library.search(queries[0])  # the first query reads the index from disk
        for query in queries:
            start = time.perf_counter()
            found += len(library.search(query))
            times.append(time.perf_counter() - start)
    print(f"  searches found {found / len(queries):.0f} hits each on average")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--megabytes", type=float, default=200)
    parser.add_argument("--searches", type=int, default=50)
    parser.add_argument(
        "--screen-of",
        type=Path,
        metavar="DATA_DIR",
        help="only time the Library's start, on the library of this data folder (one made "
        "by an earlier run): to compare two checkouts on the same library",
    )
    parser.add_argument("--rounds", type=int, default=3, help="starts of each kind")
    options = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if options.screen_of:
        screen_times(options.screen_of, options.rounds)
        return
    with tempfile.TemporaryDirectory(prefix="essaytui-bench-library-") as temporary:
        root = Path(temporary)
        folder, data = root / "texts", root / "data"
        start = time.perf_counter()
        total, words = generate(folder, options.texts, options.megabytes)
        print(
            f"generated {options.texts} texts, {total / 1e6:.0f} MB "
            f"in {time.perf_counter() - start:.0f} s"
        )
        seconds = timed_add(folder, data)
        print(
            f"add: {seconds:.0f} s, {options.texts / seconds:.1f} texts/s, "
            f"{total / 1e6 / seconds:.2f} MB/s"
        )
        screen_times(data, options.rounds)
        times = search_times(data, words, options.searches)
        median = statistics.median(times) * 1000
        p90 = sorted(times)[int(len(times) * 0.9)] * 1000
        print(
            f"search: median {median:.0f} ms, 90th percentile {p90:.0f} ms ({len(times)} queries)"
        )
        library = sum(p.stat().st_size for p in data.glob("library.sqlite3*"))
        notes = sum(p.stat().st_size for p in data.glob("essaytui.sqlite3*"))
        print(
            f"database: library {library / 1e6:.0f} MB + notes {notes / 1e6:.1f} MB "
            f"= {(library + notes) / total:.2f}× the texts"
        )


if __name__ == "__main__":
    main()
