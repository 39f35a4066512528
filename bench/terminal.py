"""The real-terminal benchmark: `python bench/run.py --terminal`.

Each app is started in a fresh tmux session (a private tmux server, `tmux -L`, with no
configuration file) the way a user starts it: essaytui as the venv's console script
(`.venv/bin/essaytui FILE`), Textual's MarkdownViewer and a hello-world Textual app as the
small scripts of `bench/apps.py`. The time from launching the session to the essay's first
sentence being on screen is measured by polling `tmux capture-pane` (over one control-mode
connection, so a poll costs a fraction of a millisecond instead of a process) every 5 ms;
after it, the run waits until the app's CPU use goes quiet (*settled*: a large essay's
complete parse, MarkdownViewer's mounting) and reads the app's peak memory (VmHWM) from
/proc. The three apps alternate run by run. Then one essaytui session on the largest essay
times keys sent with `tmux send-keys` until the screen shows their effect.

The harness kills its tmux server (and with it every session) on exit, ctrl-c or SIGTERM,
checks that no app process outlived it, and gives the apps a temporary data directory
(ESSAYTUI_DATA_DIR), so the user's notes are never read.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
# Sibling scripts, not a package:
import generate  # noqa: E402
from apps import HELLO_LINE  # noqa: E402
from harness import (  # noqa: E402
    BUNDLED,
    SRC,
    child_env,
    compile_sources,
    machine_description,
    package_version,
    size_label,
    write_results,
)

APPS_PY = BENCH / "apps.py"
DEFAULT_SIZE = (140, 45)
DEFAULT_ESSAYS = ("bundled", "large")
#: Seconds between two looks at the screen (200 Hz).
POLL_S = 0.005
#: The app has settled when, over this many seconds, it used at most QUIET_CPU of a core.
QUIET_WINDOW_S = 0.5
QUIET_CPU = 0.10
#: The screen is steady (ready for the next key) once unchanged this long.
STEADY_S = 0.15
#: Seconds to wait for a key's effect before giving up on it.
KEY_TIMEOUT_S = 15.0
#: Essays at least this large are slow in MarkdownViewer (~40 s at 4.4 MB): see --slow-runs.
SLOW_BYTES = 1024 * 1024
#: Key-hint and status rows at the bottom of essaytui's screen: not "the essay".
BOTTOM_ROWS = 2
#: Box drawing, block elements: pane borders and scroll bars end a run of text.
BORDERS = range(0x2500, 0x25A0)

ESSAYTUI, REOPENED, VIEWER, HELLO = "essaytui", "reopened", "markdownviewer", "hello"
APP_TITLES = {
    ESSAYTUI: "essaytui",
    REOPENED: "essaytui, reopened",
    VIEWER: "MarkdownViewer",
    HELLO: "hello-world app",
}
#: essaytui's parse cache for "first open" runs: a new empty folder for each launch
#: (`Bench.session` puts one in its place), so every run parses, as a first open does,
#: and what it reads ahead in a second process (`model.read_ahead`) can be handed over
#: through the cache (a reopened essay has its own runs).
NO_CACHE = "{a new empty folder}"

# The start-up targets (this machine class, 2 cores; ratios within one run).
TARGET_BUNDLED_RATIO = 1.3
TARGET_LARGE_RATIO = 1.6
TARGET_REOPENED_RATIO = 1.4
TARGET_LARGE_MB = 90.0


class HarnessError(Exception):
    """The benchmark cannot run here; the message says why, in one line."""


# -- reading the screen ------------------------------------------------------------------


def parse_size(text: str) -> tuple[int, int]:
    """ "140x45" → (140, 45).

    Raises:
        ValueError: not WIDTHxHEIGHT with both at least 20.
    """
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ValueError(f"terminal size {text!r} is not WIDTHxHEIGHT, e.g. 140x45")
    size = int(width), int(height)
    if min(size) < 20:
        raise ValueError(f"terminal size {text!r} is too small (at least 20x20)")
    return size


def first_sentence(markdown: str) -> str:
    """The opening sentence of the first paragraph of `markdown`, as any reader shows it.

    Front matter, headings, lists and other non-paragraph blocks are skipped; the sentence
    is cut before the first markup (a footnote reference, emphasis, a link), so the words
    are the same on every app's screen. "" if there is no paragraph.
    """
    body = markdown.replace("\r\n", "\n")
    if body.startswith("---\n"):
        end = body.find("\n---\n", 4)
        body = body[end + 5 :] if end >= 0 else body
    for block in body.split("\n\n"):
        text = " ".join(block.split())
        if not text or text[0] in "#>|-*+`<[!:=~" or text[0].isdigit():
            continue
        for mark in "[*_`<!\\":
            cut = text.find(mark)
            if cut >= 0:
                text = text[:cut]
        for index, char in enumerate(text):
            if char in ".!?" and (index + 1 == len(text) or text[index + 1] == " "):
                text = text[: index + 1]
                break
        return text.strip()
    return ""


def _cell_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _cells(row: str) -> list[str]:
    """The row as terminal cells: a wide character takes two (the second is "")."""
    cells: list[str] = []
    for char in row:
        cells.append(char)
        if _cell_width(char) == 2:
            cells.append("")
    return cells


def _is_border(cell: str) -> bool:
    return len(cell) == 1 and ord(cell) in BORDERS


def _words_from(cells: list[str], column: int) -> list[str]:
    """The words of a run of text starting at `column`, up to a border or a wide gap."""
    end = column
    spaces = 0
    while end < len(cells) and not _is_border(cells[end]):
        spaces = spaces + 1 if cells[end] == " " else 0
        if spaces >= 3:  # another pane's text, not the next word
            break
        end += 1
    return "".join(cells[column:end]).split()


def screen_shows(rows: Sequence[str], sentence: str) -> bool:
    """Whether `sentence` is on the screen, wrapped or not, inside one pane.

    The sentence starts a paragraph, so its wrapped lines all start at the column of its
    first word: read from there, row after row, each row up to a pane border. Its last
    word may run on into a footnote marker ("orientation.¹").
    """
    words = sentence.split()
    screen = "\n".join(rows)
    # Most looks at a screen are misses: rule them out cheaply (polling runs at 200 Hz).
    if not words or not all(word in screen for word in words):
        return False
    for top, row in enumerate(rows):
        index = row.find(words[0])
        while index >= 0:
            if index == 0 or row[index - 1] == " " or _is_border(row[index - 1]):
                column = sum(_cell_width(char) for char in row[:index])
                grid = [_cells(line) for line in rows[top:]]
                if _reads_on(grid, column, words):
                    return True
            index = row.find(words[0], index + 1)
    return False


def _reads_on(grid: list[list[str]], column: int, words: list[str]) -> bool:
    matched = 0
    for cells in grid:
        line = _words_from(cells, column)
        if not line:
            return False
        for word in line:
            last = matched == len(words) - 1
            if word != words[matched] and not (last and word.startswith(words[matched])):
                return False
            matched += 1
            if matched == len(words):
                return True
    return False


# -- figures and tables ------------------------------------------------------------------


@dataclass
class Launch:
    """One app started once in a fresh session."""

    first_s: float | None = None
    #: CPU time the app had used by then (a figure a busy machine disturbs less).
    cpu_s: float | None = None
    settled_s: float | None = None
    peak_mb: float | None = None
    polls_per_s: float | None = None
    timed_out: bool = False
    error: str | None = None


@dataclass
class Summary:
    """Medians over the launches of one app on one essay."""

    first_s: float | None
    cpu_s: float | None
    settled_s: float | None
    peak_mb: float | None
    runs: int
    failed: int
    timed_out: bool


def median(values: Sequence[float | None]) -> float | None:
    """The median of the values present (None when there are none)."""
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def summarise(launches: Sequence[Launch]) -> Summary:
    """Medians of the launches that reached their first sentence."""
    good = [launch for launch in launches if launch.first_s is not None]
    return Summary(
        first_s=median([launch.first_s for launch in good]),
        cpu_s=median([launch.cpu_s for launch in good]),
        settled_s=median([launch.settled_s for launch in good]),
        peak_mb=median([launch.peak_mb for launch in good]),
        runs=len(good),
        failed=len(launches) - len(good),
        timed_out=any(launch.timed_out for launch in launches),
    )


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def ratio(value: float | None, floor: float | None) -> str:
    if value is None or floor is None or floor <= 0:
        return "–"
    return f"{value / floor:.2f}×"


def megabytes(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"


@dataclass
class EssayRow:
    """One essay of the first-screen table."""

    name: str
    label: str
    summaries: dict[str, Summary]
    #: Why an app has fewer runs than the others (e.g. "--slow-runs 3"), by app.
    notes: dict[str, str] = field(default_factory=dict)


def first_screen_table(rows: Sequence[EssayRow], timeout: float) -> list[str]:
    """Per essay and app: first sentence, ratio to the hello-world app, settled, memory."""
    lines = [
        "| essay | app | first sentence on screen | × hello-world app | app CPU until then "
        "| settled | peak memory | runs |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        floor = row.summaries.get(HELLO)
        for app in (ESSAYTUI, REOPENED, VIEWER, HELLO):
            summary = row.summaries.get(app)
            note = row.notes.get(app, "")
            if summary is None:
                if note:
                    lines.append(
                        f"| {row.label} | {APP_TITLES[app]} | – | – | – | – | – | {note} |"
                    )
                continue
            first = seconds(summary.first_s)
            if summary.first_s is None and summary.timed_out:
                first = f"> {timeout:.0f} s"
            runs = str(summary.runs)
            if summary.failed:
                runs += f" (+{summary.failed} failed)"
            if note:
                runs += f" ({note})"
            lines.append(
                f"| {row.label} | {APP_TITLES[app]} | {first} "
                f"| {ratio(summary.first_s, floor.first_s if floor else None)} "
                f"| {seconds(summary.cpu_s)} | {seconds(summary.settled_s)} "
                f"| {megabytes(summary.peak_mb)} | {runs} |"
            )
    return lines


@dataclass(frozen=True)
class KeyTiming:
    """One key press: milliseconds until its effect was on screen, and the app's CPU in them."""

    response_ms: float
    cpu_ms: float | None


def keys_table(samples: dict[str, list[KeyTiming]]) -> list[str]:
    """Per action: median and slowest response, and the median CPU, in milliseconds."""
    lines = [
        "| action | response (median) | slowest | app CPU (median) | presses |",
        "|---|--:|--:|--:|--:|",
    ]
    for name, timings in samples.items():
        if not timings:
            continue
        responses = [timing.response_ms for timing in timings]
        cpu = median([timing.cpu_ms for timing in timings])
        lines.append(
            f"| {name} | {statistics.median(responses):.1f} ms | {max(responses):.1f} ms "
            f"| {'–' if cpu is None else f'{cpu:.1f} ms'} | {len(timings)} |"
        )
    return lines


def targets_table(rows: Sequence[EssayRow]) -> list[str]:
    """The first-screen targets, checked against this run's medians."""
    checks: list[tuple[str, str, bool]] = []
    by_name = {row.name: row for row in rows}

    def first(row: EssayRow, app: str) -> float | None:
        summary = row.summaries.get(app)
        return summary.first_s if summary else None

    bundled = by_name.get("bundled")
    if bundled:
        ours, hello, viewer = (first(bundled, app) for app in (ESSAYTUI, HELLO, VIEWER))
        if ours is not None and hello:
            checks.append(
                (
                    f"bundled essay ≤ {TARGET_BUNDLED_RATIO}× the hello-world app",
                    ratio(ours, hello),
                    ours / hello <= TARGET_BUNDLED_RATIO,
                )
            )
        if ours is not None and viewer is not None:
            checks.append(
                (
                    "bundled essay sooner than MarkdownViewer",
                    f"{seconds(ours)} vs {seconds(viewer)}",
                    ours < viewer,
                )
            )
    large = by_name.get("large")
    if large:
        ours, hello = first(large, ESSAYTUI), first(large, HELLO)
        if ours is not None and hello:
            checks.append(
                (
                    f"4.4 MB essay ≤ {TARGET_LARGE_RATIO}× the hello-world app",
                    ratio(ours, hello),
                    ours / hello <= TARGET_LARGE_RATIO,
                )
            )
        reopened = first(large, REOPENED)
        if reopened is not None and hello:
            checks.append(
                (
                    f"reopened 4.4 MB essay ≤ {TARGET_REOPENED_RATIO}× the hello-world app",
                    ratio(reopened, hello),
                    reopened / hello <= TARGET_REOPENED_RATIO,
                )
            )
        summary = large.summaries.get(ESSAYTUI)
        if summary and summary.peak_mb is not None:
            checks.append(
                (
                    f"4.4 MB peak memory ≤ {TARGET_LARGE_MB:.0f} MB",
                    megabytes(summary.peak_mb),
                    summary.peak_mb <= TARGET_LARGE_MB,
                )
            )
    lines = ["| target | measured | met |", "|---|--:|:-:|"]
    lines += [f"| {name} | {value} | {'✓' if met else '✗'} |" for name, value, met in checks]
    return lines


@dataclass
class Comparison:
    """One figure measured without and with a change (textual-speedups)."""

    name: str
    unit: str  # "s" or "ms"
    without: list[float] = field(default_factory=list)
    with_: list[float] = field(default_factory=list)


def comparison_table(comparisons: Sequence[Comparison]) -> list[str]:
    """Medians without and with the change, and the change in percent."""
    lines = [
        "| measurement | without (median) | with (median) | change | runs |",
        "|---|--:|--:|--:|--:|",
    ]
    for row in comparisons:
        a, b = median(row.without), median(row.with_)
        if a is None or b is None:
            continue
        shown = "{:.2f} s" if row.unit == "s" else "{:.1f} ms"
        change = f"{(b - a) / a * 100:+.0f} %" if a else "–"
        lines.append(
            f"| {row.name} | {shown.format(a)} | {shown.format(b)} | {change} "
            f"| {len(row.without)} + {len(row.with_)} |"
        )
    return lines


# -- processes ---------------------------------------------------------------------------


def _proc_status(pid: int, key: str) -> int | None:
    """A kB figure (VmHWM, VmRSS) from /proc/PID/status."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int | None:
    """User + system CPU time of the process (all its threads, live or ended) and of its
    children (those it has reaped, and those still running: essaytui reads a text ahead
    in a child process, `model.read_ahead`), in ticks."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    total = sum(int(field) for field in fields[11:15])
    for child in children(pid):
        total += cpu_ticks(child) or 0
    return total


def children(pid: int) -> list[int]:
    """The process's live children."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError):
                found.extend(int(c) for c in (task / "children").read_text().split())
    return found


def cpu_ns(pid: int) -> int | None:
    """CPU time of the process's live threads in nanoseconds (a thread that has ended
    since is not counted: /proc keeps only its ticks)."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += int((task / "schedstat").read_text().split()[0])
    except OSError:
        return None
    return total


def alive(pid: int) -> bool:
    """Whether the process is running (not gone, not a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :][:1] not in ("Z", "X")


def peak_mb(pid: int, seen: dict[int, int] | None = None) -> float | None:
    """The process's peak memory (VmHWM) plus its children's: `seen` holds the peaks
    of children sampled while they ran (by pid, kB), which this adds to."""
    kb = _proc_status(pid, "VmHWM")
    if kb is None:
        return None
    peaks = dict(seen or {})
    sample_children(pid, peaks)
    return (kb + sum(peaks.values())) / 1024


def sample_children(pid: int, peaks: dict[int, int]) -> None:
    """Note each live child's peak memory so far in `peaks` (pid → kB)."""
    for child in children(pid):
        kb = _proc_status(child, "VmHWM")
        if kb is not None:
            peaks[child] = max(kb, peaks.get(child, 0))


# -- tmux --------------------------------------------------------------------------------


def tmux_quote(argument: str) -> str:
    """One argument for a tmux command line: single-quoted, so nothing is expanded."""
    return "'" + argument.replace("'", "'\\''") + "'"


class Tmux:
    """A private tmux server, driven through one control-mode client (`tmux -C`).

    Every command answers with a %begin … %end block; notifications between blocks are
    skipped. The server's environment is the harness's, minus what would change how an app
    starts (PYTHONDONTWRITEBYTECODE, a surrounding tmux).
    """

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.client = subprocess.Popen(
            ["tmux", "-L", socket, "-f", os.devnull, "-C"]
            + ["new-session", "-s", "holder", "-x", "80", "-y", "24", "cat"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # a ctrl-c reaches the harness, which then cleans up
        )
        self.server_pid: int | None = None
        self.socket_path: str | None = None
        threading.Thread(target=self._read, daemon=True).start()
        try:
            answer = self.run("display-message", "-p", "#{pid} #{socket_path}")[0]
            pid, self.socket_path = answer.split(" ", 1)
            self.server_pid = int(pid)
            for option in (
                ("status", "off"),  # the whole window is the pane
                ("remain-on-exit", "on"),  # a crashed app's last screen can be read
                ("default-terminal", "tmux-256color"),
            ):
                self.run("set-option", "-g", *option)
        except BaseException:
            self.close()
            raise

    def _read(self) -> None:
        assert self.client.stdout is not None
        for raw in self.client.stdout:
            self._lines.put(raw.decode("utf-8", errors="replace").rstrip("\n"))
        self._lines.put(None)

    def _line(self, timeout: float) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise HarnessError(f"tmux did not answer within {timeout:.0f} s") from None
        if line is None:
            raise HarnessError("the tmux server exited")
        return line

    def run(self, *args: str, timeout: float = 10.0) -> list[str]:
        """Run one tmux command; its output lines.

        Raises:
            HarnessError: tmux reported an error or did not answer.
        """
        assert self.client.stdin is not None
        self.client.stdin.write((" ".join(map(tmux_quote, args)) + "\n").encode())
        self.client.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            line = self._line(max(0.01, deadline - time.monotonic()))
            if line.startswith("%begin ") and line.endswith(" 1"):
                number = line.split()[2]
                break
        output: list[str] = []
        while True:
            line = self._line(max(0.01, deadline - time.monotonic()))
            parts = line.split()
            if len(parts) == 4 and parts[0] in ("%end", "%error") and parts[2] == number:
                if parts[0] == "%error":
                    raise HarnessError(f"tmux {args[0]}: {' '.join(output) or 'failed'}")
                return output
            output.append(line)

    def new_session(
        self, name: str, size: tuple[int, int], argv: Sequence[str], env: dict[str, str]
    ) -> None:
        """Start `argv` in a new detached session of `size` (the shell execs it)."""
        options = [part for key, value in env.items() for part in ("-e", f"{key}={value}")]
        width, height = size
        command = "exec " + shlex.join(argv)
        self.run(
            "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), *options, command
        )

    def pane_pid(self, name: str) -> int:
        return int(self.run("display-message", "-p", "-t", name, "#{pane_pid}")[0])

    def capture(self, name: str, styled: bool = False) -> list[str]:
        """The visible screen of the session's pane, as plain text rows (with `styled`,
        with the escape codes of their colours and weights too)."""
        return self.run("capture-pane", "-p", *(["-e"] if styled else []), "-t", name)

    def send_keys(self, name: str, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", name, *(["-l"] if literal else []), *keys)

    def kill_session(self, name: str) -> None:
        with contextlib.suppress(HarnessError):
            self.run("kill-session", "-t", name)

    def close(self) -> None:
        """Kill the server (every session and app in it) and the control client.

        Safe at any moment, even in the middle of a command (a ctrl-c): the answer to
        kill-server is not waited for, the server's end is.
        """
        with contextlib.suppress(OSError, ValueError):
            if self.client.stdin:
                self.client.stdin.write(b"kill-server\n")
                self.client.stdin.close()
        if self.server_pid is not None:
            end_process(self.server_pid, grace=3.0)
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)  # tmux 3.3 leaves it behind
        try:
            self.client.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            self.client.kill()
            self.client.wait()


def end_process(pid: int, grace: float = 3.0) -> bool:
    """Wait for the process to end (its session was killed); SIGKILL it if it lingers.

    Returns whether it had to be killed.
    """
    deadline = time.monotonic() + grace
    while alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            return True
        time.sleep(0.01)
    return False


# -- one run -----------------------------------------------------------------------------


@dataclass
class AppStart:
    """How one app is started, and what its first sentence is."""

    name: str
    argv: list[str]
    sentence: str
    env: dict[str, str] = field(default_factory=dict)


class Bench:
    """The tmux server, the data directory and the sessions of one benchmark run."""

    def __init__(self, tmux: Tmux, data_dir: Path, size: tuple[int, int], timeout: float):
        self.tmux = tmux
        self.data_dir = data_dir
        self.size = size
        self.timeout = timeout
        self.pids: list[int] = []
        self.killed = 0
        self._count = 0

    def _name(self) -> str:
        self._count += 1
        return f"run-{self._count}"

    @contextlib.contextmanager
    def session(self, app: AppStart, data_dir: Path | None = None) -> Iterator[Session]:
        """A fresh session running `app`; killed (and its process made sure of) after."""
        name = self._name()
        env = {"ESSAYTUI_DATA_DIR": str(data_dir or self.data_dir), **app.env}
        fresh: list[str] = []
        for key, value in env.items():
            if value == NO_CACHE:
                env[key] = tempfile.mkdtemp(prefix="essaytui-bench-cache-")
                fresh.append(env[key])
        started = time.perf_counter()
        self.tmux.new_session(name, self.size, app.argv, env)
        pid = self.tmux.pane_pid(name)
        self.pids.append(pid)
        try:
            yield Session(self, name, pid, started, app)
        finally:
            self.tmux.kill_session(name)
            self.killed += end_process(pid)
            for folder in fresh:
                shutil.rmtree(folder, ignore_errors=True)

    def launch(self, app: AppStart, settle: bool = True) -> Launch:
        """Time one start of `app`: first sentence, then (if `settle`) until it is quiet."""
        with self.session(app) as session:
            return session.measure_start(self.timeout, settle)


@dataclass
class Session:
    """One app running in one tmux session."""

    bench: Bench
    name: str
    pid: int
    started: float
    app: AppStart

    def screen(self, styled: bool = False) -> list[str]:
        rows = self.bench.tmux.capture(self.name, styled)
        height = self.bench.size[1]
        return (rows + [""] * height)[:height]

    def _last_words(self) -> str:
        with contextlib.suppress(HarnessError):
            lines = [line for line in self.bench.tmux.capture(self.name) if line.strip()]
            return " / ".join(line.strip() for line in lines[-3:])[-300:]
        return ""

    def measure_start(self, timeout: float, settle: bool) -> Launch:
        """Time this start: to the first sentence on screen, then (if `settle`) to quiet."""
        launch = Launch()
        polls = 0
        deadline = self.started + timeout
        while True:
            now = time.perf_counter()
            rows = self.screen()
            polls += 1
            if screen_shows(rows, self.app.sentence):
                used = cpu_ns(self.pid)
                launch.cpu_s = None if used is None else used / 1e9
                launch.first_s = now - self.started
                launch.polls_per_s = polls / launch.first_s
                break
            if not alive(self.pid):
                launch.error = f"exited before its first sentence: {self._last_words()}"
                return launch
            if now > deadline:
                launch.timed_out = True
                launch.peak_mb = peak_mb(self.pid)
                return launch
            _sleep_until(now + POLL_S)
        peaks: dict[int, int] = {}
        if settle:
            launch.settled_s, launch.timed_out = self.settle(deadline, peaks)
        launch.peak_mb = peak_mb(self.pid, peaks)
        return launch

    def settle(
        self, deadline: float, peaks: dict[int, int] | None = None
    ) -> tuple[float | None, bool]:
        """Seconds from launch to the start of the first quiet window (the app and its
        children); whether it timed out. `peaks`: the children's peak memory, sampled."""
        samples: list[tuple[float, int]] = []
        while time.perf_counter() < deadline and alive(self.pid):
            if peaks is not None:
                sample_children(self.pid, peaks)
            ticks = cpu_ticks(self.pid)
            now = time.perf_counter()
            if ticks is None:
                break
            samples.append((now, ticks))
            while len(samples) > 1 and now - samples[1][0] >= QUIET_WINDOW_S:
                samples.pop(0)
            first_at, first_ticks = samples[0]
            window = now - first_at
            if window >= QUIET_WINDOW_S:
                busy = (ticks - first_ticks) / TICKS_PER_S
                if busy <= QUIET_CPU * window:
                    return first_at - self.started, False
            time.sleep(0.05)
        return None, time.perf_counter() >= deadline

    def steady(self, timeout: float = KEY_TIMEOUT_S, styled: bool = False) -> list[str]:
        """The screen once it has stopped changing for STEADY_S."""
        rows = self.screen(styled)
        since = time.perf_counter()
        deadline = since + timeout
        while time.perf_counter() - since < STEADY_S:
            if time.perf_counter() > deadline:
                break
            time.sleep(POLL_S)
            now_rows = self.screen(styled)
            if now_rows != rows:
                rows, since = now_rows, time.perf_counter()
        return rows

    def time_key(
        self,
        keys: Sequence[str],
        effect: Callable[[list[str], list[str]], bool],
        *,
        literal: bool = False,
        styled: bool = False,
    ) -> KeyTiming:
        """From sending `keys` to the screen showing `effect(before, after)` (with
        `styled`, compared with their colours and weights: a selection may change
        nothing else, e.g. a footnote whose sidenote is already shown turns bold).

        Raises:
            HarnessError: the effect was not seen within KEY_TIMEOUT_S.
        """
        before = self.steady(styled=styled)
        cpu_before = cpu_ns(self.pid)
        start = time.perf_counter()
        self.bench.tmux.send_keys(self.name, *keys, literal=literal)
        while True:
            now = time.perf_counter()
            rows = self.screen(styled)
            if effect(before, rows):
                cpu_after = cpu_ns(self.pid)
                cpu = None
                if cpu_before is not None and cpu_after is not None:
                    cpu = max(0, cpu_after - cpu_before) / 1e6
                return KeyTiming((now - start) * 1000, cpu)
            if now - start > KEY_TIMEOUT_S:
                raise HarnessError(f"{' '.join(keys)!r}: no effect on screen in {KEY_TIMEOUT_S} s")
            _sleep_until(now + POLL_S)

    def press(self, *keys: str) -> None:
        """Send keys without timing them, and wait for the screen to settle."""
        self.steady()
        self.bench.tmux.send_keys(self.name, *keys)
        self.steady()


def _sleep_until(moment: float) -> None:
    pause = moment - time.perf_counter()
    if pause > 0:
        time.sleep(pause)


def changed(before: list[str], after: list[str]) -> bool:
    return after != before


def body_changed(before: list[str], after: list[str]) -> bool:
    """Something above the status and key-hint rows changed."""
    return after[:-BOTTOM_ROWS] != before[:-BOTTOM_ROWS]


def word_in_body(word: str) -> Callable[[list[str], list[str]], bool]:
    """The word is on screen above the bottom rows (where the search bar is)."""

    def effect(before: list[str], after: list[str]) -> bool:
        return any(word in row for row in after[:-BOTTOM_ROWS])

    return effect


# -- the measurements --------------------------------------------------------------------


def time_keys(
    bench: Bench, app: AppStart, word: str | None, repeats: int, data_dir: Path
) -> KeyRun:
    """One essaytui session on one essay: time the reading keys once it has settled.

    The search is for `word` (None: the essay has no word to look for; no search).
    """
    samples: dict[str, list[KeyTiming]] = {}
    errors: list[str] = []
    with bench.session(app, data_dir) as session:
        start = session.measure_start(bench.timeout, settle=True)
        if start.first_s is None:
            return KeyRun(samples, [start.error or "the essay never showed"])

        def add(name: str, keys: Sequence[str], effect: Callable[..., bool], **kw: bool) -> None:
            samples.setdefault(name, []).append(session.time_key(keys, effect, **kw))

        def paging() -> None:
            for _ in range(max(repeats, 10)):
                add("page down (space)", ["Space"], body_changed)

        def footnotes() -> None:
            session.press("g")
            for _ in range(repeats):
                add("next footnote (f)", ["f"], body_changed, styled=True)
                add("jump to source (enter)", ["Enter"], body_changed, styled=True)
                add("back (backspace)", ["BSpace"], body_changed, styled=True)

        def search() -> None:
            if word is None:
                return
            for _ in range(repeats):
                session.press("Escape")
                session.press("g")
                add("open search (/)", ["/"], changed)
                typed = f"search: type “{word}” until its match shows"
                add(typed, [word], word_in_body(word), literal=True)
                add("search: enter (back to reading)", ["Enter"], changed)
            session.press("Escape")

        for group, run in (("paging", paging), ("footnotes", footnotes), ("search", search)):
            try:
                run()
            except HarnessError as error:
                errors.append(f"{group}: {error}")
    return KeyRun(samples, errors)


def time_floor_keys(bench: Bench, app: AppStart, presses: int) -> list[KeyTiming]:
    """The hello-world app's key response: what Textual, tmux and the polling cost."""
    with bench.session(app) as session:
        start = session.measure_start(bench.timeout, settle=True)
        if start.first_s is None:
            return []
        return [session.time_key(["x"], changed) for _ in range(presses)]


@dataclass
class KeyRun:
    samples: dict[str, list[KeyTiming]]
    errors: list[str]


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _launch_note(app: str, launch: Launch) -> str:
    text = f"{APP_TITLES[app]:16} first sentence {seconds(launch.first_s)}"
    text += f", settled {seconds(launch.settled_s)}, peak {megabytes(launch.peak_mb)}"
    if launch.polls_per_s:
        text += f", {launch.polls_per_s:.0f} polls/s"
    if launch.timed_out:
        text += "  (timed out)"
    if launch.error:
        text += f"  ERROR: {launch.error}"
    return text


def check_setup(speedups: bool, profile: bool = False) -> tuple[Path, Path]:
    """The venv's python and essaytui console script, checked to run this checkout.

    Raises:
        HarnessError: tmux is missing, the console script is missing, or it runs another
            copy of essaytui.
    """
    if shutil.which("tmux") is None:
        raise HarnessError(
            "bench/run.py --terminal needs tmux, which is not on PATH "
            "(e.g. apt-get install tmux); the headless benchmark runs without it"
        )
    python = Path(sys.executable)
    script = python.parent / "essaytui"
    if not script.exists():
        raise HarnessError(
            f"no essaytui console script beside {python}: run bench/run.py with the python "
            "of the venv essaytui is installed in (pip install -e .)"
        )
    found = subprocess.run(
        [str(python), "-c", "import essaytui; print(essaytui.__file__)"],
        capture_output=True,
        text=True,
        env=child_env(),
    ).stdout.strip()
    if not found or not Path(found).resolve().is_relative_to(SRC):
        raise HarnessError(f"this venv's essaytui is {found or 'missing'}, not {SRC}")
    needed = {"textual_speedups": speedups, "pyinstrument": profile}
    for module in (name for name, wanted in needed.items() if wanted):
        probe = subprocess.run(
            [str(python), "-c", f"import {module}"], env=child_env(), capture_output=True
        )
        if probe.returncode:
            package = module.replace("_", "-")
            raise HarnessError(f"this needs {package} in the venv: pip install {package}")
    return python, script


def server_env() -> dict[str, str]:
    """The tmux server's environment, which every session inherits."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "TMUX", "TMUX_PANE")
        and not key.startswith("TEXTUAL")
    }
    env["COLORTERM"] = "truecolor"
    return env


@contextlib.contextmanager
def interrupts_raise() -> Iterator[None]:
    """Ctrl-c, SIGTERM and SIGHUP end the run with KeyboardInterrupt, so its clean-up runs
    (ctrl-c too when started in the background, where the shell ignores it)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, stop) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


#: Profiles essaytui's start in the benchmark's terminal: (bench, python, essays,
#: first sentences, repeats, output folder) → the summary as Markdown.
Profiler = Callable[[Bench, Path, dict[str, Path], dict[str, str], int, Path], str]


@dataclass(frozen=True)
class TerminalOptions:
    """What bench/run.py asks of the real-terminal benchmark, read once from its flags."""

    out: Path
    terminal_size: str
    timeout: float
    repeats: int | None = None
    quick: bool = False
    speedups: bool = False
    profile: bool = False
    skip_slow: bool = False
    slow_runs: int = 1
    no_keys: bool = False
    no_write: bool = False
    note: str = ""

    @classmethod
    def of(cls, parsed: argparse.Namespace) -> TerminalOptions:
        """The options bench/run.py's parser read (`parsed`), by name."""
        return cls(**{name: getattr(parsed, name) for name in cls.__dataclass_fields__})


def run_terminal(
    options: TerminalOptions,
    names: Sequence[str],
    arguments: Sequence[str],
    profiler: Profiler | None = None,
) -> int:
    """Run the real-terminal benchmark (options from bench/run.py); write its section.

    With `profiler` (bench/terminal_profile.py's, for --profile), profile the starts
    instead. It is passed in, not imported: the profiler builds on this module.
    """
    try:
        size = parse_size(options.terminal_size)
        python, script = check_setup(options.speedups, profiler is not None)
    except (ValueError, HarnessError) as error:
        print(f"bench/run.py: {error}", file=sys.stderr)
        return 2
    generated = generate.write_essays(options.out, [n for n in names if n in generate.SIZES])
    essays = {name: generated.get(name) or BUNDLED for name in names}
    sentences = {
        name: first_sentence(path.read_text(encoding="utf-8")) for name, path in essays.items()
    }
    if not all(sentences.values()):
        print(f"bench/run.py: no first sentence found in {essays}", file=sys.stderr)
        return 2
    compile_sources()
    repeats = options.repeats or (3 if options.quick else 7)
    load_before = os.getloadavg()
    cache = tempfile.mkdtemp(prefix="essaytui-bench-cache-")  # the reopened runs' parses

    def apps_for(name: str) -> dict[str, AppStart]:
        path = str(essays[name])
        viewer = [str(python), str(APPS_PY), "markdownviewer", path]
        return {
            ESSAYTUI: AppStart(
                ESSAYTUI, [str(script), path], sentences[name], {"ESSAYTUI_CACHE_DIR": NO_CACHE}
            ),
            # its cache is filled by the warm-up launch
            REOPENED: AppStart(
                REOPENED, [str(script), path], sentences[name], {"ESSAYTUI_CACHE_DIR": cache}
            ),
            VIEWER: AppStart(VIEWER, viewer, sentences[name]),
            HELLO: AppStart(HELLO, [str(python), str(APPS_PY), "hello"], HELLO_LINE),
        }

    with (
        tempfile.TemporaryDirectory(prefix="essaytui-bench-terminal-") as tmp,
        interrupts_raise(),
    ):
        tmux: Tmux | None = None
        pids: list[int] = []
        killed = 0
        try:
            tmux = Tmux(f"essaytui-bench-{os.getpid()}", server_env())
            bench = Bench(tmux, Path(tmp) / "data", size, options.timeout)
            pids = bench.pids
            if profiler is not None:
                out = options.out / "profile"
                summary = profiler(bench, python, essays, sentences, options.repeats or 5, out)
            else:
                report = _measure(bench, options, essays, apps_for, repeats, Path(tmp))
            killed = bench.killed
        except KeyboardInterrupt:
            progress("interrupted: stopping every session")  # and nothing is written
            return 130
        except HarnessError as error:
            print(f"bench/run.py: {error}", file=sys.stderr)
            return 1
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second ctrl-c: clean up anyway
            if tmux is not None:
                tmux.close()
            # The server's end hung their terminals up: give them a moment, then kill them.
            killed += sum(end_process(pid, grace=2.0) for pid in pids)
            if killed:
                progress(f"had to kill {killed} app process(es) that outlived their session")
            shutil.rmtree(cache, ignore_errors=True)
    if profiler is not None:
        print(summary)
        (options.out / "profile" / "summary.md").write_text(summary + "\n", encoding="utf-8")
        progress(f"raw profiles and this summary in {options.out / 'profile'}")
        return 0
    load_after = os.getloadavg()
    text = _report(report, options, arguments, size, repeats, load_before, load_after)
    print(text)
    if not options.no_write:
        write_results(terminal=text)
        progress("written to bench/RESULTS.md (the real-terminal section)")
    return 0


@dataclass
class Report:
    rows: list[EssayRow]
    keys: KeyRun | None
    keys_essay: str
    floor_keys: list[KeyTiming]
    polls_per_s: float | None
    speedups: list[Comparison]
    killed: int


def _measure(
    bench: Bench,
    options: TerminalOptions,
    essays: dict[str, Path],
    apps_for: Callable[[str], dict[str, AppStart]],
    repeats: int,
    tmp: Path,
) -> Report:
    launches: dict[tuple[str, str], list[Launch]] = {}
    notes: dict[str, dict[str, str]] = {name: {} for name in essays}

    def wanted(name: str, app: str, round_: int) -> bool:
        if app != VIEWER or essays[name].stat().st_size < SLOW_BYTES:
            return True
        if options.skip_slow:
            notes[name][app] = "skipped: --skip-slow"
            return False
        slow_runs = min(options.slow_runs, repeats)
        if slow_runs < repeats:
            notes[name][app] = f"{slow_runs} of {repeats}: --slow-runs {slow_runs}"
        return round_ < slow_runs

    for name in essays:
        apps = apps_for(name)
        for app in apps:
            if wanted(name, app, 0):
                progress(f"[warm-up] {name:8} " + _launch_note(app, bench.launch(apps[app])))
    order = [ESSAYTUI, REOPENED, VIEWER, HELLO]
    for round_ in range(repeats):
        for name in essays:
            apps = apps_for(name)
            turn = order[round_ % 4 :] + order[: round_ % 4]  # each app goes first in turn
            for app in turn:
                if not wanted(name, app, round_):
                    continue
                launch = bench.launch(apps[app])
                launches.setdefault((name, app), []).append(launch)
                progress(f"[{round_ + 1}/{repeats}] {name:8} " + _launch_note(app, launch))
    rows = [
        EssayRow(
            name,
            f"{name} ({size_label(path)})",
            {
                app: summarise(launches[(name, app)])
                for app in APP_TITLES
                if (name, app) in launches
            },
            notes[name],
        )
        for name, path in essays.items()
    ]
    polls = median([launch.polls_per_s for runs in launches.values() for launch in runs])

    largest = max(essays, key=lambda name: essays[name].stat().st_size)
    # The generated essays hold this word once; another essay is not searched.
    word: str | None = generate.SEARCH_WORD
    if word not in essays[largest].read_text(encoding="utf-8"):
        word = None
    keys: KeyRun | None = None
    floor: list[KeyTiming] = []
    if not options.no_keys:
        progress(f"keys: essaytui on {largest} …")
        essaytui = apps_for(largest)[ESSAYTUI]
        keys = time_keys(bench, essaytui, word, max(repeats, 5), tmp / "keys")
        floor = time_floor_keys(bench, apps_for(largest)[HELLO], max(repeats, 10))

    speedups: list[Comparison] = []
    if options.speedups:
        speedups = _compare_speedups(bench, essays, apps_for, (largest, word), repeats, tmp)
    return Report(rows, keys, largest, floor, polls, speedups, bench.killed)


def _with_env(app: AppStart, **env: str) -> AppStart:
    return AppStart(app.name, app.argv, app.sentence, {**app.env, **env})


def _compare_speedups(
    bench: Bench,
    essays: dict[str, Path],
    apps_for: Callable[[str], dict[str, AppStart]],
    keys_on: tuple[str, str | None],
    repeats: int,
    tmp: Path,
) -> list[Comparison]:
    """First screens and keys with TEXTUAL_SPEEDUPS=0 and =1, alternated."""
    rows: dict[str, Comparison] = {}

    def add(name: str, unit: str, on: bool, value: float | None) -> None:
        row = rows.setdefault(name, Comparison(name, unit))
        if value is not None:
            (row.with_ if on else row.without).append(value)

    for round_ in range(repeats):
        for name in essays:
            for app in (ESSAYTUI, HELLO):
                for on in (False, True) if round_ % 2 == 0 else (True, False):
                    env = {"TEXTUAL_SPEEDUPS": "1" if on else "0"}
                    launch = bench.launch(_with_env(apps_for(name)[app], **env))
                    add(f"{APP_TITLES[app]}, {name}: first sentence", "s", on, launch.first_s)
                    add(f"{APP_TITLES[app]}, {name}: app CPU until then", "s", on, launch.cpu_s)
                    progress(f"[speedups {'on' if on else 'off'} {round_ + 1}/{repeats}] "
                             f"{name:8} " + _launch_note(app, launch))  # fmt: skip
    for index, on in enumerate((False, True, True, False)):
        progress(f"keys with TEXTUAL_SPEEDUPS={int(on)} …")
        essay, word = keys_on
        app = _with_env(apps_for(essay)[ESSAYTUI], TEXTUAL_SPEEDUPS=str(int(on)))
        presses = max(repeats // 2, 3)
        run = time_keys(bench, app, word, presses, tmp / f"speedups-{index}")
        for name, timings in run.samples.items():
            for timing in timings:
                add(f"{name}: response", "ms", on, timing.response_ms)
                add(f"{name}: app CPU", "ms", on, timing.cpu_ms)
    return list(rows.values())


def _paragraph(text: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=92, break_on_hyphens=False)


def _report(
    report: Report,
    options: TerminalOptions,
    arguments: Sequence[str],
    size: tuple[int, int],
    repeats: int,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> str:
    width, height = size
    polls = f"{report.polls_per_s:.0f}" if report.polls_per_s else "–"
    lines = [
        "## Real terminal",
        "",
        f"Produced by `{shlex.join(['python', 'bench/run.py', *arguments])}`; "
        f"median of {repeats} run(s) per app unless the table says otherwise.",
        "",
        *machine_description(),
        f"- tmux {_tmux_version()} at {width}×{height}; textual-speedups "
        f"{package_version('textual-speedups')} (used when installed, unless TEXTUAL_SPEEDUPS=0)",
        f"- Load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after, on "
        f"{os.cpu_count()} cores (other work on the machine makes the times noisy)",
        *([f"- **{options.note}**"] if options.note else []),
        "",
        "### First sentence on screen",
        "",
        *_paragraph(
            f"""Each app starts in a fresh tmux session as a user starts it: essaytui as the
            venv's console script (`.venv/bin/essaytui FILE`, bytecode compiled as `pip
            install` leaves it), Textual's MarkdownViewer (with its table of contents, given
            the file without its front matter) and a hello-world Textual app as the scripts of
            `bench/apps.py`. *First sentence on screen* is from launching the session to
            `capture-pane` showing the essay's first sentence (the hello-world app: its one
            line), looked for every {POLL_S * 1000:.0f} ms (median {polls} looks a second).
            *App CPU* is the CPU time the app's process had used by then, which other work on
            the machine disturbs less than the time. *Settled* is when the app's CPU use fell
            below {QUIET_CPU:.0%} of a core for {QUIET_WINDOW_S} s (a large essay's complete
            parse, MarkdownViewer's mounting), and *peak memory* is the process's VmHWM then.
            The apps take turns run by run after a warm-up run each; the data directory is a
            temporary one kept across the runs, as a returning reader's is."""
        ),
        "",
        *first_screen_table(report.rows, options.timeout),
        "",
        *targets_table(report.rows),
        "",
    ]
    if report.keys is not None:
        samples = dict(report.keys.samples)
        if report.floor_keys:
            samples["any key, hello-world app (the floor)"] = report.floor_keys
        lines += [
            f"### Keys on the {report.keys_essay} essay, essaytui",
            "",
            *_paragraph(
                f"""One session, once the essay has settled. Each key is sent with `tmux
                send-keys` once the screen has been still for {STEADY_S * 1000:.0f} ms; the
                response is the time until `capture-pane` shows its effect (the search: the
                match in the text). *App CPU* is what the app's threads used meanwhile (a
                search worker that has ended by then is not counted). The hello-world app's
                row is what a key costs Textual, tmux and this harness with nothing to do."""
            ),
            "",
            *keys_table(samples),
            "",
        ]
        if report.keys.errors:
            lines += ["Key errors:", "", *[f"- {error}" for error in report.keys.errors], ""]
    if report.speedups:
        lines += [
            "### textual-speedups",
            "",
            *_paragraph(
                """The same launches and keys with `TEXTUAL_SPEEDUPS=0` (Textual's pure-Python
                geometry) and `=1` (textual-speedups' compiled Offset, Region, Size and
                Spacing), alternated."""
            ),
            "",
            *comparison_table(report.speedups),
            "",
        ]
    if report.killed:
        lines += [f"{report.killed} app process(es) outlived their session and were killed.", ""]
    return "\n".join(lines)


def _tmux_version() -> str:
    found = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    return found.removeprefix("tmux ") or "?"


#: The head of the table `alternated_rows` gives the rows of.
ROWS_HEAD = [
    "| essay | app | first sentence | × hello | app CPU | runs |",
    "|---|---|--:|--:|--:|--:|",
]


def alternated_rows(
    bench: Bench, apps: dict[str, AppStart], repeats: int, essay: str, cpu_digits: int = 2
) -> list[str]:
    """Launch each of `apps` once to warm up (and fill a reopened run's cache), then
    `repeats` rounds in turns, each round starting one app later; one Markdown row per app:
    median first sentence, its ratio to the "hello-world app", the app's CPU, the runs."""
    for app in apps.values():
        bench.launch(app, settle=False)
    names = list(apps)
    runs: dict[str, list[Launch]] = {name: [] for name in names}
    for round_ in range(repeats):
        turn = round_ % len(names)
        for name in names[turn:] + names[:turn]:
            runs[name].append(bench.launch(apps[name], settle=False))
    hello = statistics.median([r.first_s for r in runs["hello-world app"] if r.first_s is not None])
    rows = []
    for name, launches in runs.items():
        firsts = [r.first_s for r in launches if r.first_s is not None]
        cpus = [r.cpu_s for r in launches if r.cpu_s is not None]
        if not firsts:
            continue
        first = statistics.median(firsts)
        cpu = f"{statistics.median(cpus):.{cpu_digits}f} s" if cpus else "–"
        rows.append(
            f"| {essay} | {name} | {first:.2f} s | {first / hello:.2f}× | {cpu} | {len(firsts)} |"
        )
    return rows
