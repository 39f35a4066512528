"""The processes growth cases are timed in: a Python of the test worker's own that has
imported the growth modules once, and runs each case in a fork of itself.

A case used to start a Python of its own, which imported essaytui and the test module
again (0.3-1 s of CPU a case, a third of the growth tests' time). A fork of a process
that has done the imports costs a few milliseconds and is as fresh: each case starts
from the same memory, with nothing an earlier case built or cached, and the time it is
charged is its own process's CPU time.

Run as a script, this module is that process: it reads one request a line (a JSON
object: the module, the expression to evaluate in it, a file for the case's standard
error) and answers one line (``{"result": …}`` or ``{"error": traceback}``).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parents[1] / "src")

#: Imported before the first fork: the growth test modules and what their cases use.
PRELOAD = (
    "test_growth",
    "test_growth_dialects",
    "test_growth_books",
    "test_growth_pages",
    "essaytui.model.parse",
    "essaytui.model.epub",
    "essaytui.model.html",
    "essaytui.model.glossary",
    "essaytui.model.search",
    "essaytui.model.anchoring",
    "essaytui.store",
)


class CaseFailed(Exception):
    """The case raised, or its process ended without an answer."""


class CaseTimeout(Exception):
    """The case did not answer in time; `last` is the last line it wrote to stderr."""

    def __init__(self, last: str) -> None:
        super().__init__(last)
        self.last = last


class Forks:
    """The client end: one server process per test worker, started on first use and
    started again after a case that timed out (it is killed with its fork)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        handle, stderr = tempfile.mkstemp(prefix="essaytui-growth-")
        os.close(handle)
        self._stderr = Path(stderr)
        atexit.register(self.close)

    def call(self, call: str, module: str, timeout: float) -> Any:
        """Evaluate `call` in `module` in a fork; its value (JSON) or CaseFailed/CaseTimeout."""
        process = self._server()
        assert process.stdin is not None and process.stdout is not None
        request = {"module": module, "call": call, "stderr": str(self._stderr)}
        process.stdin.write(json.dumps(request).encode() + b"\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            self._kill()
            raise CaseTimeout(self._last_stderr_line())
        line = process.stdout.readline()
        if not line:
            self._kill()
            raise CaseFailed(f"the growth process ended: {self._last_stderr_line()}")
        reply = json.loads(line)
        if "error" in reply:
            raise CaseFailed(str(reply["error"])[-2000:])
        return reply["result"]

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._kill()
        self._process = None
        self._stderr.unlink(missing_ok=True)

    def _server(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
                start_new_session=True,  # a timed-out case is killed with its fork
            )
        return self._process

    def _kill(self) -> None:
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
            self._process = None

    def _last_stderr_line(self) -> str:
        lines = self._stderr.read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else ""


# -- the server -------------------------------------------------------------------------


def _run_case(module: ModuleType, request: dict[str, str], answer: int) -> None:
    """In the fork: evaluate the call, write the answer, and end as a Python ends (its
    finalizers remove the temporary folders a case made)."""
    error = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(error, 2)
    os.close(error)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (the server's pipe is not ours)
    try:
        reply = {"result": eval(request["call"], vars(module))}
    except BaseException:
        reply = {"error": traceback.format_exc()}
    with os.fdopen(answer, "wb") as pipe:
        pipe.write(json.dumps(reply).encode())
    sys.stderr.flush()
    raise SystemExit(0)


def serve() -> None:
    sys.path.insert(0, str(HERE))
    for name in PRELOAD:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()  # a fork's collections do not walk what the imports made
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        request = json.loads(line)
        module = importlib.import_module(request["module"])
        read, write = os.pipe()
        out.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _run_case(module, request, write)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            data = json.dumps({"error": f"the case's process ended (status {status})"}).encode()
        out.write(data + b"\n")
        out.flush()


if __name__ == "__main__":
    serve()
