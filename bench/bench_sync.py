"""Sync folder speed: 20,000 annotations over 50 essays, two data folders, one sync folder.

Not a test: prints seconds. The targets: the first sync ≤ 5 s, a sync where
nothing changed ≤ 0.5 s.

    python bench/bench_sync.py [ANNOTATIONS]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from essaytui.interchange.sync import SyncReport, sync_folder
from essaytui.model.annotation import Annotation, Kind, format_time
from essaytui.store import AnnotationStore

ANNOTATIONS = 20_000
ESSAYS = 50


def _annotations(count: int, rng: random.Random) -> list[Annotation]:
    words = ["trade", "treaty", "energy", "partner", "border", "summit", "pipeline", "grain"]
    made: list[Annotation] = []
    for index in range(count):
        quote = " ".join(rng.choices(words, k=rng.randint(3, 12)))
        moment = format_time(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=index))
        made.append(
            Annotation(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                essay_id=f"essay-{index % ESSAYS}",
                essay_path=f"/home/reader/essays/essay-{index % ESSAYS}.md",
                kind=Kind.NOTE if index % 3 == 0 else Kind.HIGHLIGHT,
                exact=quote,
                prefix="before the quote, some words ",
                suffix=" and after the quote, more",
                start=index * 10,
                end=index * 10 + len(quote),
                section_trail=("Part one", f"Section {index % 7}"),
                note="A note of a sentence or two." if index % 3 == 0 else "",
                tags=("bench",) if index % 5 == 0 else (),
                created=moment,
                modified=moment,
            )
        )
    return made


def _timed(label: str, action: Callable[[], SyncReport]) -> float:
    """Run a sync; print its wall-clock and CPU seconds (on a busy machine the CPU time
    says what the sync itself costs)."""
    start, cpu = time.perf_counter(), time.process_time()
    report = action()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<36} {elapsed:6.2f} s  (CPU {used:5.2f} s)   {report.summary()}")
    return elapsed


def run_sync_bench(count: int = ANNOTATIONS) -> dict[str, float]:
    """Time the syncs of two data folders sharing a folder; the figures in seconds."""
    rng = random.Random(26)
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "Sync"
        folder.mkdir()
        with (
            AnnotationStore.open(Path(root) / "laptop") as laptop,
            AnnotationStore.open(Path(root) / "desk") as desk,
        ):
            laptop.merge(_annotations(count, rng))
            figures = {
                "first sync, sending": _timed(
                    f"first sync, laptop sends {count}", lambda: sync_folder(laptop, folder)
                ),
                "first sync, receiving": _timed(
                    f"first sync, desk receives {count}", lambda: sync_folder(desk, folder)
                ),
                "nothing changed (laptop)": _timed(
                    "nothing changed, laptop", lambda: sync_folder(laptop, folder)
                ),
                "nothing changed (desk)": _timed(
                    "nothing changed, desk", lambda: sync_folder(desk, folder)
                ),
            }
            now = format_time(datetime.now(UTC))
            laptop.merge(
                [replace(a, note="edited", modified=now) for a in laptop.all_annotations()[:50]]
            )
            figures["50 edits sent"] = _timed(
                "50 edits, laptop sends", lambda: sync_folder(laptop, folder)
            )
            figures["50 edits received"] = _timed(
                "50 edits, desk receives", lambda: sync_folder(desk, folder)
            )
    return figures


if __name__ == "__main__":
    run_sync_bench(int(sys.argv[1]) if len(sys.argv) > 1 else ANNOTATIONS)
