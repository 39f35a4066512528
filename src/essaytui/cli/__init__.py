"""The command line: parse, validate, then run. Errors are one line and exit 2.

Without a terminal on standard output the reader prints the essay as plain text
(`essaytui PATH | less`); `essaytui -` reads the essay from standard input. A
closed pipe (`essaytui list | head -1`) ends the command quietly, as it ends other
Unix tools: exit status 141, no traceback.

The commands are one table, `cli.table.COMMANDS`; each lives in a module of its own
(`cli.export`, `cli.cite`, …), and what they share is in `cli.common`.
"""

from essaytui.cli.common import UsageError
from essaytui.cli.entry import BROKEN_PIPE_STATUS, main
from essaytui.cli.export import EXPORT_FOLDER
from essaytui.cli.reader import STDIN_PATH, last_read_path, reader_app, stdin_app
from essaytui.cli.table import COMMANDS, Command, build_command_parser, build_parser

__all__ = [
    "BROKEN_PIPE_STATUS",
    "COMMANDS",
    "EXPORT_FOLDER",
    "STDIN_PATH",
    "Command",
    "UsageError",
    "build_command_parser",
    "build_parser",
    "last_read_path",
    "main",
    "reader_app",
    "stdin_app",
]
