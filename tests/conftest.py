"""Shared fixtures: no test ever touches the user's real notes."""

from __future__ import annotations

import fcntl
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Bytecode is written, whatever PYTHONDONTWRITEBYTECODE says: with it set, every test
# worker and every run of the CLI in a subprocess compiled essaytui's modules from source
# again (a fresh clone has no __pycache__), ~20 s of a run of the suite.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from essaytui.app import SETTLE_HEAP  # noqa: E402

# The garbage collector took a fifth of the UI tests' CPU time (measured with
# gc.callbacks over four UI test files: 12.3 s of 62 s, most of it in full passes of
# ~0.1 s each). What the imports made (Textual's, essaytui's, pytest's) lives as long as
# the worker: frozen, the full passes no longer walk it (the app freezes its own heap
# after the first screen, `settle_heap`, which the tests turn off: this is that freeze,
# once for the run). And the youngest generation is collected every 10,000 objects
# rather than 700: every app a test starts leaves cycles behind, which are collected as
# before, with the live heap walked 14 times less often. GC time: 12.3 s -> 7.3 s there.
gc.collect()
gc.freeze()
gc.set_threshold(10_000, 10, 10)

# Property tests give the same answer on every run of the README's test command (and CI):
# the default profile derandomizes (a fixed seed, no example database). A longer random
# run for local hunting: HYPOTHESIS_PROFILE=dev pytest -q tests/unit
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", max_examples=2000, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DATA = Path(__file__).parent / "data"


def _pilot_checks_idle_more_often() -> None:
    """Textual's Pilot waits, after every key and pause, until the process has been idle
    for one check (under 1/20 of its CPU in a window); a window was 20 ms, so every key
    slept at least 40 ms and a run of the suite spent about half its time asleep. A 5 ms
    window keeps the same test of idleness (1/20 of the window) and lets the key-heavy
    tests run about twice as fast (test_typeahead and test_search_notes_ui: 46 s → 24 s)."""
    import textual._wait as wait

    wait.SLEEP_GRANULARITY = 1 / 200
    wait.SLEEP_IDLE = wait.SLEEP_GRANULARITY / 20


_pilot_checks_idle_more_often()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data dir (and the user's home) at a temporary folder."""
    data_dir = tmp_path / "essaytui-data"
    monkeypatch.setenv("ESSAYTUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # Converted books are cached: each test starts with an empty cache of its own.
    monkeypatch.setenv("ESSAYTUI_CACHE_DIR", str(tmp_path / "essaytui-cache"))
    # No test copies into the developer's own tmux buffer or desktop clipboard.
    for name in ("TMUX", "TMUX_PANE", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    # No full collection at each app's start: in one process of hundreds of apps it walks
    # every earlier test's leftovers (tests/ui/test_heap.py holds the real start's).
    monkeypatch.setenv(SETTLE_HEAP, "0")
    return data_dir


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `timed` run first: each waits for every test running beside it to end
    (`_timed_alone`), and at the start those are the workers' first, short tests; later,
    the wait for a long neighbour kept two or three workers idle for up to 10 s."""
    items.sort(key=lambda item: item.get_closest_marker("timed") is None)


@pytest.fixture(autouse=True)
def _timed_alone(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Under `-n`, a test marked `timed` runs while no other test of the suite does.

    A test that compares wall-clock waits (a thread's turns while another searches) would
    measure the other worker busy beside it on two cores. Growth tests count CPU time
    and need no such care (tests/unit/test_growth.py). Every test
    holds a shared lock while it runs, a timed one the exclusive lock. A gate taken first
    keeps the timed test from waiting forever behind a stream of shared ones.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        yield
        return
    folder = tmp_path_factory.getbasetemp().parent  # shared by the workers of one run
    timed = request.node.get_closest_marker("timed") is not None
    with open(folder / "timed.gate", "a") as gate, open(folder / "timed.lock", "a") as lock:
        fcntl.flock(gate, fcntl.LOCK_EX)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if timed else fcntl.LOCK_SH)
        finally:
            if not timed:
                fcntl.flock(gate, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            if timed:
                fcntl.flock(gate, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def _styles_cache_cleared() -> Iterator[None]:
    """Let each test's widgets go when it ends.

    Textual's `StylesCache.get_inner_outer` is an `lru_cache` on a method: it keeps up to
    1,024 styles caches alive, and through them their widgets and apps. Over the 29 tests
    of test_reader.py the heap grew from ~90k objects to ~410k (cleared: under ~90k), and
    every collection and test after got slower with it.
    """
    yield
    module = sys.modules.get("textual._styles_cache")  # not imported by the unit tests
    if module is not None:
        module.StylesCache.get_inner_outer.cache_clear()


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    """The data dir the app will use in this test."""
    return _isolated_data_dir
