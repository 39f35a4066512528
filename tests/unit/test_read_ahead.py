"""Reading a text ahead in a second process (`model.read_ahead`): the child fills the
essay cache with the first part and then the whole, which the parent's own reads then
find; a child that fails, is stopped or loses its parent leaves nothing behind.

Each case runs in a fresh Python process of its own: forking is only done by a process
with no other thread, which a pytest worker is not.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from epub_books import epub3_book, long_book
from without_privileges import unprivileged

from essaytui.model.files import FIRST_SCREEN_LIMIT, cached_parts, load_essay

#: What each script starts with: the module, the limit, the text and the cache.
PREAMBLE = """
import json, os, sys, threading, time
from pathlib import Path
from essaytui.model.files import FIRST_SCREEN_LIMIT, cached_parts, load_essay
from essaytui.model.read_ahead import read_ahead
path = Path(sys.argv[1])
"""


def script(body: str, path: Path, cache: Path, **env: str) -> Any:
    """Run `body` after PREAMBLE in a fresh Python that meets file modes as any user does
    (`without_privileges`); what it printed last, as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", unprivileged(PREAMBLE + body), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ESSAYTUI_CACHE_DIR": str(cache), **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def leftovers(cache: Path) -> list[str]:
    """Files half written in the cache (a write is a temporary file renamed into place)."""
    return sorted(p.name for p in cache.rglob("*.tmp"))


def gone(pid: int, within: float) -> bool:
    """Whether process `pid` has ended (or is a zombie) within `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return True
        if state[state.rindex(")") + 2 :][:1] in ("Z", "X"):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


WHOLE_BODY = """
ahead = read_ahead(path, FIRST_SCREEN_LIMIT)
first = ahead.wait_first_part()
after_first = cached_parts(path, FIRST_SCREEN_LIMIT)
whole = ahead.wait_whole()
print(json.dumps({"first": first, "after_first": after_first, "whole": whole,
                  "after_whole": cached_parts(path, FIRST_SCREEN_LIMIT)}))
"""


@pytest.mark.parametrize("kind", ["book", "essay"])
def test_the_child_caches_the_first_part_then_the_whole(tmp_path: Path, kind: str) -> None:
    if kind == "book":
        text = long_book(tmp_path / "long.epub", chapters=12)
    else:
        text = tmp_path / "long.md"
        paragraph = "A sentence of the long essay, and another one after it. " * 8
        text.write_text(
            "# The long essay\n\n" + "\n\n".join(f"{paragraph} {n}." for n in range(800)) + "\n"
        )
    assert text.stat().st_size > 2 * FIRST_SCREEN_LIMIT or kind == "book"
    cache = tmp_path / "cache"
    reply = script(WHOLE_BODY, text, cache)
    assert reply["first"] is True and reply["whole"] is True
    assert reply["after_first"][0] is True
    assert reply["after_whole"] == [True, True]
    # what the parent then reads is what it would have read itself
    for limit in (FIRST_SCREEN_LIMIT, None):
        ahead = load_essay(text, limit=limit, cache_dir=cache)
        alone = load_essay(text, limit=limit, cache_dir=tmp_path / f"alone-{limit}")
        assert ahead.reading_text == alone.reading_text
        assert ahead.footnotes == alone.footnotes and ahead.sections == alone.sections
        assert ahead.complete == alone.complete == (limit is None)
    assert leftovers(cache) == []


def test_a_text_opened_before_is_not_read_again(tmp_path: Path) -> None:
    book = long_book(tmp_path / "long.epub", chapters=12)
    cache = tmp_path / "cache"
    script(WHOLE_BODY, book, cache)
    written = {p: p.stat().st_mtime_ns for p in cache.rglob("*.json")}
    # the book's conversion, its first part's parse and its whole's
    assert sorted(p.parent.name for p in written) == ["books", "essays", "essays"]
    reply = script(WHOLE_BODY, book, cache)
    assert reply["first"] is True and reply["whole"] is True
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.json")} == written


def test_a_book_that_cannot_be_read_is_left_to_the_parent(tmp_path: Path) -> None:
    """The child gives up; the parent's own read gives the error it always gives."""
    missing = tmp_path / "gone.epub"
    reply = script(
        "a = read_ahead(path, FIRST_SCREEN_LIMIT)\n"
        "print(json.dumps([a.wait_first_part(), a.wait_whole()]))",
        missing,
        tmp_path / "cache",
    )
    assert reply == [False, False]


def test_not_done_beside_a_thread_or_when_switched_off(tmp_path: Path) -> None:
    book = epub3_book(tmp_path / "keeper.epub")
    beside_thread = """
stop = threading.Event()
threading.Thread(target=stop.wait).start()
print(json.dumps(read_ahead(path, FIRST_SCREEN_LIMIT) is None))
stop.set()
"""
    assert script(beside_thread, book, tmp_path / "cache") is True
    switched_off = "print(json.dumps(read_ahead(path, FIRST_SCREEN_LIMIT) is None))"
    assert script(switched_off, book, tmp_path / "c2", ESSAYTUI_READ_AHEAD="0") is True
    assert script(switched_off, book, tmp_path / "c3") is False


def test_stop_ends_a_child_still_reading_and_leaves_no_half_written_file(tmp_path: Path) -> None:
    book = long_book(tmp_path / "long.epub", chapters=120)
    cache = tmp_path / "cache"
    reply = script(
        """
ahead = read_ahead(path, FIRST_SCREEN_LIMIT)
ahead.wait_first_part()
reading = cached_parts(path, FIRST_SCREEN_LIMIT)[1] is False
ahead.stop()
print(json.dumps({"pid": ahead.pid, "reading": reading}))
""",
        book,
        cache,
    )
    assert reply["reading"] is True  # it was stopped mid-book, not after
    assert gone(int(reply["pid"]), within=0.0)
    assert cached_parts(book, FIRST_SCREEN_LIMIT, cache) == (True, False)
    assert leftovers(cache) == []


def test_the_child_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    book = long_book(tmp_path / "long.epub", chapters=120)
    cache = tmp_path / "cache"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            PREAMBLE
            + """
ahead = read_ahead(path, FIRST_SCREEN_LIMIT)
ahead.wait_first_part()
print(ahead.pid, cached_parts(path, FIRST_SCREEN_LIMIT)[1], flush=True)
time.sleep(60)
""",
            str(book),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "ESSAYTUI_CACHE_DIR": str(cache)},
    )
    assert process.stdout is not None
    pid, whole = process.stdout.readline().split()
    assert whole == "False"  # still reading the book
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()
    assert gone(int(pid), within=10.0)
    assert leftovers(cache) == []
    assert cached_parts(book, FIRST_SCREEN_LIMIT, cache)[1] is False


def test_cached_parts_names_what_load_essay_wrote(tmp_path: Path) -> None:
    book = epub3_book(tmp_path / "keeper.epub")
    cache = tmp_path / "cache"
    assert cached_parts(book, FIRST_SCREEN_LIMIT, cache) == (False, False)
    load_essay(book, limit=FIRST_SCREEN_LIMIT, cache_dir=cache)
    assert cached_parts(book, FIRST_SCREEN_LIMIT, cache) == (True, False)
    load_essay(book, cache_dir=cache)
    assert cached_parts(book, FIRST_SCREEN_LIMIT, cache) == (True, True)
    # another limit is another entry; an essay file the same
    assert cached_parts(book, FIRST_SCREEN_LIMIT + 1, cache) == (False, True)
    essay = tmp_path / "essay.md"
    essay.write_text("# A title\n\nA paragraph.\n")
    assert cached_parts(essay, FIRST_SCREEN_LIMIT, cache) == (False, False)
    load_essay(essay, limit=FIRST_SCREEN_LIMIT, cache_dir=cache)
    assert cached_parts(essay, FIRST_SCREEN_LIMIT, cache) == (True, False)
    essay.write_text("# A title\n\nAnother paragraph.\n")  # changed: not the entry's
    assert cached_parts(essay, FIRST_SCREEN_LIMIT, cache) == (False, False)
    assert cached_parts(tmp_path / "nothing.md", FIRST_SCREEN_LIMIT, cache) == (False, False)


def test_a_cache_that_cannot_be_written_is_said_at_once(tmp_path: Path) -> None:
    """The child gives up as soon as it finds nothing can be handed over, so the reader
    reads the book itself without waiting for a whole conversion that would be lost."""
    book = long_book(tmp_path / "long.epub", chapters=120)
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        reply = script(
            """
ahead = read_ahead(path, FIRST_SCREEN_LIMIT)
first = ahead.wait_first_part()
print(json.dumps({"first": first, "whole": ahead.wait_whole()}))
""",
            book,
            cache,
        )
    finally:
        cache.chmod(0o700)
    assert reply["first"] is False and reply["whole"] is False
    assert list(cache.iterdir()) == []
