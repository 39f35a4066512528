"""Reading an essay or a book in a second process while the reader starts.

The reader's start is two pieces of work that do not depend on each other: importing
Textual and building the app (~0.25 s), and reading the text's first part (a book's first
chapters converted from XHTML and parsed: ~0.2 s more on a first open). One process does
them one after the other on one core, as Python's GIL allows; a second process does the
reading on the second core meanwhile.

`read_ahead(path)` forks a child (Linux only; before the parent has a thread) that reads
the first part as `load_essay(path, limit=…)` does, which leaves it in the essay cache
(`essay_cache`, and a book's conversion in its own cache), says so on a pipe, waits until
the reader's first screen is up (`go_on`: two busy processes slow each other down, and the
first screen comes first), then reads the whole text into the cache the same way and
exits. A text the cache holds already (it was opened before) is not read again: the child
only looks for its entries' names. The parent's own `load_essay` calls then find the cache
filled: `wait_first_part` before the first screen, `wait_whole` before the rest. The child
hands over nothing else: what it leaves is only the cache, which every reader checks as it
always does (never trusted blindly), so a child that fails, is killed or cannot write the
cache costs only the time it took, and the parent reads the text itself with the errors it
would always give.

The child gives up when the parent does (`PR_SET_PDEATHSIG`); `stop` ends it when the
reader closes before it is done. Its standard streams are /dev/null: it never writes to
the terminal. ``ESSAYTUI_READ_AHEAD=0`` in the environment turns it off.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

#: The environment variable that turns reading ahead off ("0").
SWITCH = "ESSAYTUI_READ_AHEAD"

#: What the child writes on the pipe once the first part is in the cache.
_FIRST_PART_READ = b"1"

#: What the reader writes on the other pipe when it wants the rest.
_GO_ON = b"2"

#: Linux's prctl option: a signal for this process when its parent ends.
_PR_SET_PDEATHSIG = 1


class ReadAhead:
    """The child reading a text ahead of the reader (`read_ahead`)."""

    def __init__(self, path: Path, pid: int, pipe: int, go: int) -> None:
        #: The text being read ahead.
        self.path = path
        self.pid = pid
        self._pipe = pipe
        self._go = go
        self._status: int | None = None
        self._lock = threading.Lock()
        #: Whether `stop` was called: the reader is closing, nothing more is to be read.
        self.stopped = False
        # a handle on the child itself: a signal through it never reaches another
        # process that took the child's number after it was reaped
        self._handle = -1
        with contextlib.suppress(OSError, AttributeError):
            self._handle = os.pidfd_open(pid)

    def wait_first_part(self) -> bool:
        """Block until the child has cached the text's first part or ended; whether the
        first part was cached."""
        if self._pipe < 0:
            return False
        try:
            said = os.read(self._pipe, 1)
        except OSError:
            said = b""
        finally:
            os.close(self._pipe)
            self._pipe = -1
        return said == _FIRST_PART_READ

    def go_on(self) -> None:
        """Let the child read the rest: it waits after the first part, so that it does
        not compete with the reader's first screen for the machine (two processes busy
        at once each run slower, on this machine by a third)."""
        if self._go >= 0:
            with contextlib.suppress(OSError):
                os.write(self._go, _GO_ON)
            os.close(self._go)
            self._go = -1

    def wait_whole(self) -> bool:
        """Let the child read the rest (`go_on`) and block until it has ended (it has
        cached the whole text, or failed): whether it ended well. Releases the GIL while
        it waits (for a worker thread)."""
        self.go_on()
        with self._lock:
            if self._status is None:
                try:
                    _, status = os.waitpid(self.pid, 0)
                except ChildProcessError:
                    status = -1
                self._status = status
            return self._status == 0

    def stop(self) -> None:
        """End the child if it is still reading (the reader is closing) and reap it. A
        worker waiting in `wait_whole` then finds `stopped` set."""
        self.stopped = True
        if self._pipe >= 0:
            os.close(self._pipe)
            self._pipe = -1
        if self._go >= 0:
            os.close(self._go)  # the child waiting to go on reads the end, and ends
            self._go = -1
        if self._status is None:  # not under the lock: a worker may be waiting in it
            with contextlib.suppress(OSError):
                if self._handle >= 0:
                    signal.pidfd_send_signal(self._handle, signal.SIGTERM)
                else:
                    os.kill(self.pid, signal.SIGTERM)
        self.wait_whole()
        if self._handle >= 0:
            os.close(self._handle)
            self._handle = -1


def read_ahead(path: Path, limit: int) -> ReadAhead | None:
    """Start reading the essay or book at `path` in a child process (see the module's
    text): its first `limit` characters, then the whole. None where it is not done: not
    Linux, a thread already running (forking would copy its locks held), or switched off.
    """
    if (
        sys.platform != "linux"
        or os.environ.get(SWITCH) == "0"
        or threading.active_count() > 1
        or not hasattr(os, "fork")
    ):
        return None
    reading, writing = os.pipe()
    waiting, going = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for end in (reading, writing, waiting, going):
            os.close(end)
        return None
    if pid == 0:  # pragma: no cover - the child; its effect (the cache) is what is tested
        os.close(reading)
        os.close(going)
        status = 1
        try:
            status = _child(path, limit, writing, waiting)
        finally:
            os._exit(status)
    os.close(writing)
    os.close(waiting)
    return ReadAhead(path, pid, reading, going)


def _child(path: Path, limit: int, pipe: int, go: int) -> int:  # pragma: no cover - in the child
    """Read the first part into the cache, say so on `pipe`, wait for the word on `go`
    (`ReadAhead.go_on`), then read the whole; the exit status."""
    parent = os.getppid()
    try:
        _quiet_child()
        if os.getppid() != parent:
            return 1  # the parent ended before the child could follow it
        from essaytui.model.files import EssayFileError, cached_parts, load_essay

        first_cached, whole_cached = cached_parts(path, limit)
        try:
            first = None if first_cached else load_essay(path, limit=limit)
        except EssayFileError:
            return 1  # the parent reads it again and says why
        if first is not None and not cached_parts(path, limit)[0]:
            return 1  # the cache cannot be written: nothing to hand over, now or later
        os.write(pipe, _FIRST_PART_READ)
        os.close(pipe)
        with contextlib.suppress(OSError):
            os.nice(5)  # the rest yields to the reader's keys (the first part did not: it
            # is what the reader is waiting for)
        if whole_cached:
            return 0  # opened before: nothing to read ahead
        if first is None:
            first = load_essay(path, limit=limit)  # from the cache: is there more?
        if first.complete:
            return 0
        if os.read(go, 1) != _GO_ON:
            return 1  # the reader closed before it wanted the rest
        load_essay(path)
        return 0
    except BaseException:  # noqa: BLE001 - a child that fails only costs the parent time
        return 1


def _quiet_child() -> None:  # pragma: no cover - in the child
    """No terminal, no keys, no signals meant for the reader; gone with the parent; a
    `SIGTERM` unwinds (so a cache file half written is removed, `cache.write_entry`)."""
    null = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(null, stream)
    os.close(null)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _unwind)
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _unwind(signum: int, frame: FrameType | None) -> None:  # pragma: no cover - in the child
    raise SystemExit(1)
