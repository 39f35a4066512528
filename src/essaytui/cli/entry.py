"""`essaytui`'s entry point: a command from the table, else the reader."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from essaytui.cli.common import UsageError, fail
from essaytui.cli.reader import run_reader
from essaytui.cli.table import COMMANDS, build_command_parser, build_parser, split_global_options

#: Exit status after a closed pipe: what a shell reports for a tool SIGPIPE ended.
BROKEN_PIPE_STATUS = 128 + 13


def main(argv: Sequence[str] | None = None) -> int:
    """Run essaytui with `argv` (default: the process's arguments)."""
    args = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    try:
        lifted, rest = split_global_options(args)
        if rest and rest[0] in COMMANDS:
            command = rest[0]
            options = build_command_parser(command).parse_args([*lifted, *rest[1:]])
            status = COMMANDS[command].run(options)
        else:
            options = build_parser().parse_args(args)
            status = run_reader(options)
        sys.stdout.flush()  # a closed pipe is noticed here, not at exit
        return status
    except UsageError as error:
        return fail(str(error))
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    except KeyboardInterrupt:
        return 130


def _tolerant_output() -> None:
    """Characters that cannot be encoded (a lone surrogate from an undecodable file name)
    are replaced, never a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _silence_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null, so the flush at exit is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
