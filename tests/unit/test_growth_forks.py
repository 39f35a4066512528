"""The process growth cases run in (`growth_forks`): a case that runs away is stopped and
named, a case that fails says why, and no case sees what an earlier one left behind."""

from __future__ import annotations

import time

import pytest
from growth_forks import CaseFailed, CaseTimeout, Forks


@pytest.fixture
def forks() -> Forks:
    return Forks()


def test_a_case_that_runs_away_is_stopped_with_its_last_words(forks: Forks) -> None:
    started = time.monotonic()
    with pytest.raises(CaseTimeout) as stopped:
        forks.call(
            "print('timing a runaway', file=sys.stderr, flush=True) or time.sleep(60)",
            "test_growth",
            timeout=1.0,
        )
    assert time.monotonic() - started < 30
    assert stopped.value.last == "timing a runaway"
    # the next case gets a new process
    assert forks.call("{'two': 1 + 1}", "test_growth", timeout=60) == {"two": 2}
    forks.close()


def test_a_case_that_raises_says_why(forks: Forks) -> None:
    with pytest.raises(CaseFailed, match="ZeroDivisionError"):
        forks.call("1 / 0", "test_growth", timeout=60)
    with pytest.raises(CaseFailed, match="status"):
        forks.call("os._exit(3)", "growth_forks", timeout=60)
    assert forks.call("'still here'", "test_growth", timeout=60) == "still here"
    forks.close()


def test_each_case_starts_from_the_same_process(forks: Forks) -> None:
    seen = "globals().setdefault('_SEEN', []).append(os.getpid()) or _SEEN"
    first = forks.call(seen, "growth_forks", timeout=60)
    second = forks.call(seen, "growth_forks", timeout=60)
    assert len(first) == len(second) == 1  # nothing kept from the first case
    assert first != second  # each in a process of its own
    forks.close()
