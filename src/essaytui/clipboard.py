"""Copying a quotation to where the reader can paste it, and saying where it went.

A terminal app has three ways to a clipboard, and none of them works everywhere:

1. Inside tmux (``$TMUX`` set): ``tmux load-buffer -w -``. tmux keeps the text as its
   paste buffer and, with ``-w``, hands it to the outer terminal's clipboard as tmux's
   ``set-clipboard`` option allows. An app's own OSC 52 is dropped by tmux's default
   ``set-clipboard external``, so this comes first.
2. The system clipboard, through pyperclip (``wl-copy``, ``xclip``/``xsel``, ``pbcopy``,
   Windows), when this machine has a display and one of those tools.
3. OSC 52, the terminal's own clipboard escape (Textual's ``App.copy_to_clipboard``):
   most terminals honour it (also over SSH), some ignore it, and none answers, so it is
   tried last and the reader is told it was *sent*, not that it arrived.

When none can work (a plain Linux console, no tmux, no display) the caller offers to
write the quotation to a file instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: How the reader is told where the text went.
TMUX_BUFFER = "tmux buffer"
SYSTEM_CLIPBOARD = "system clipboard"
TERMINAL_CLIPBOARD = "terminal clipboard, OSC 52"

#: Terminals known to ignore OSC 52 (the Linux console; a dumb terminal).
NO_OSC52_TERMS = frozenset({"dumb", "linux", "unknown"})

#: Longest wait for an external clipboard tool.
TOOL_SECONDS = 3.0


@dataclass(frozen=True, slots=True)
class Copied:
    """Where a copy went (`way`), or why it went nowhere (`way` is None)."""

    way: str | None
    problem: str = ""


def copy_text(
    text: str,
    *,
    osc52: Callable[[str], None] | None,
    environ: Mapping[str, str] | None = None,
) -> Copied:
    """Copy `text` by the first way that works here (see the module docstring).

    Args:
        text: what to copy.
        osc52: sends OSC 52 to the terminal, or None when there is no terminal.
        environ: the environment to judge by (default: the process's).
    """
    env = os.environ if environ is None else environ
    problems: list[str] = []
    if env.get("TMUX"):
        problem = _tmux_buffer(text, env)
        if not problem:
            return Copied(TMUX_BUFFER)
        problems.append(problem)
    if _has_display(env):
        problem = _system_clipboard(text)
        if not problem:
            return Copied(SYSTEM_CLIPBOARD)
        problems.append(problem)
    if osc52 is not None and env.get("TERM", "") not in NO_OSC52_TERMS:
        osc52(text)
        return Copied(TERMINAL_CLIPBOARD)
    if not problems:
        problems.append("no tmux, no display and a terminal without a clipboard")
    return Copied(None, "; ".join(problems))


def _tmux_buffer(text: str, env: Mapping[str, str]) -> str:
    tmux = shutil.which("tmux", path=env.get("PATH"))
    if tmux is None:
        return "tmux is not on the PATH"
    data = text.encode("utf-8", errors="replace")
    # -w (tmux 3.2+) also sets the outer terminal's clipboard; older tmux lacks it
    for command in ([tmux, "load-buffer", "-w", "-"], [tmux, "load-buffer", "-"]):
        try:
            result = subprocess.run(
                command,
                input=data,
                capture_output=True,
                timeout=TOOL_SECONDS,
                env=dict(env),
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"tmux did not answer ({error})"
        if result.returncode == 0:
            return ""
    why = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
    return f"tmux refused the text ({why[0] if why else result.returncode})"


def _has_display(env: Mapping[str, str]) -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(env.get("WAYLAND_DISPLAY") or env.get("DISPLAY"))


def _system_clipboard(text: str) -> str:
    import pyperclip  # only when copying: the first screen does not need it

    try:
        # Looked up on each copy (it is quick), not once per process as pyperclip.copy
        # does: a display or a clipboard tool may come or go while the reader runs.
        copy, _ = pyperclip.determine_clipboard()
        copy(text)
    except pyperclip.PyperclipException as error:
        first = str(error).strip().splitlines()
        return f"no system clipboard tool ({first[0] if first else 'none found'})"
    except (OSError, subprocess.SubprocessError) as error:
        return f"the system clipboard failed ({error})"
    return ""
