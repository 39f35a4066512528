"""The table of commands: each one entry, from which `essaytui --help`, the command's
own parser and its dispatch are all made.

To add a command, add one `Command` to `COMMANDS` (its module holds the options
builder and the runner; import that module here). Nothing else lists commands.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from essaytui import __version__
from essaytui.cli import cite, convert, export, library, listing, notes, sync
from essaytui.cli.common import InertArgumentParser, data_dir_option


@dataclass(frozen=True, slots=True)
class Command:
    """One subcommand of `essaytui`.

    Attributes:
        name: what the user types (`essaytui NAME …`).
        synopsis: its lines in `essaytui --help`: (usage, what it does) pairs.
        options: adds the command's description and arguments to its parser.
        run: runs it with the parsed options; returns the exit status.
    """

    name: str
    synopsis: tuple[tuple[str, str], ...]
    options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: Every subcommand, in the order `--help` lists them.
COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        Command(
            "list",
            (
                (
                    "essaytui list",
                    "recently read essays (each once, with its path), then the bundled ones",
                ),
            ),
            listing.options,
            listing.run,
        ),
        Command(
            "export",
            (
                (
                    "essaytui export [PATH] [--format markdown|json] [--include-deleted] [-o FILE]",
                    "the live annotations of an essay (Markdown: an Obsidian-ready note)",
                ),
                ("essaytui export --all [-o DIR]", "every essay's notes, one file each"),
                (
                    "essaytui export [PATH | --all] --format anki|tsv [-o deck.apkg]",
                    "highlights and notes as Anki cards; a new export updates the cards, "
                    "never doubles them",
                ),
            ),
            export.options,
            export.run,
        ),
        Command(
            "cite",
            (
                (
                    "essaytui cite [PATH] [--format text|bibtex|csl-json|ris] [--style STYLE] "
                    "[--sources]",
                    "the essay's reference (and its sources')",
                ),
            ),
            cite.options,
            cite.run,
        ),
        Command(
            "notes",
            (
                (
                    "essaytui notes search WORD…",
                    "find notes in every essay (quote, note, tags)",
                ),
            ),
            notes.search_options,
            notes.run_search,
        ),
        Command(
            "add",
            (
                (
                    "essaytui add PATH…",
                    "add files or folders to the library (without opening them)",
                ),
            ),
            library.add_options,
            library.run_add,
        ),
        Command(
            "remove",
            (("essaytui remove PATH…", "take texts out of the library (notes stay)"),),
            library.remove_options,
            library.run_remove,
        ),
        Command(
            "library",
            (
                (
                    "essaytui library",
                    "the reader on the Library screen: every text, its series, progress, "
                    "time left and notes",
                ),
            ),
            library.library_options,
            library.run_library,
        ),
        Command(
            "search",
            (
                (
                    "essaytui search WORD… [--notes|--texts]",
                    "search every text of the library and your notes (re:PATTERN too); "
                    "exit 1 if none",
                ),
            ),
            library.search_options,
            library.run_search,
        ),
        Command(
            "stats",
            (("essaytui stats", "reading time per text and per week"),),
            library.stats_options,
            library.run_stats,
        ),
        Command(
            "import-notes",
            (
                (
                    "essaytui import-notes FILE.json",
                    "merge annotations exported before; reports added / updated / deleted "
                    "/ unchanged",
                ),
            ),
            notes.import_options,
            notes.run_import,
        ),
        Command(
            "sync",
            (
                (
                    "essaytui sync [DIR] [--forget]",
                    "exchange notes and reading positions with other machines through a "
                    "folder that Syncthing, Dropbox, Nextcloud or git carries (the first "
                    "DIR is remembered)",
                ),
            ),
            sync.options,
            sync.run,
        ),
        Command(
            "convert",
            (
                (
                    "essaytui convert FILE [-o OUT.md]",
                    "turn a copied blog post (.txt), a saved web page (.html) or a book "
                    "(.epub) into an essay file",
                ),
            ),
            convert.options,
            convert.run,
        ),
    )
}

#: The reader's own lines in `--help`, before the commands'.
_READER_SYNOPSIS = (
    (
        "essaytui [PATH]",
        "read an essay (no PATH: the last one read, else the bundled essay; PATH - reads "
        "it from standard input)",
    ),
    (
        "essaytui PATH | less",
        "without a terminal: the essay as plain text, wrapped to $COLUMNS (else 80)",
    ),
)

_INTRO = """\
Read long-form essays in the terminal: footnotes that jump to their sources and
back, a glossary found in the text, highlights and notes that last.
"""

_OUTRO = """\
PATH may be a Markdown essay, a saved web page (.html: its article and footnotes
are shown) or a copied blog post (.txt with [n] markers and a notes list); both
open converted, and the status line says how to keep the conversion. A file not
in UTF-8 is read in the encoding it declares or that is detected, with a warning.
PATH may also be an EPUB book (2 or 3, without DRM): its chapters in reading order,
its table of contents as the outline, its endnotes as footnotes; the conversion is
cached ($ESSAYTUI_CACHE_DIR, else the user cache directory).

--data-dir DIR (where the notes live) goes before or after any command:
`essaytui --data-dir DIR list` and `essaytui list --data-dir DIR` are the same.

Run `essaytui COMMAND --help` for a command's options. Press ? in the reader for keys.
"""

#: The column where a synopsis's explanation starts in `--help`.
_EXPLANATION_COLUMN = 41
_HELP_WIDTH = 80


def description() -> str:
    """The text of `essaytui --help`, its command lines made from `COMMANDS`."""
    lines = ["commands:"]
    synopses = [*_READER_SYNOPSIS, *(s for c in COMMANDS.values() for s in c.synopsis)]
    indent = " " * _EXPLANATION_COLUMN
    for usage, what in synopses:
        explained = textwrap.wrap(what, _HELP_WIDTH - _EXPLANATION_COLUMN)
        first = f"  {usage}"
        if len(first) < _EXPLANATION_COLUMN - 1:
            lines.append(first.ljust(_EXPLANATION_COLUMN) + explained[0])
            explained = explained[1:]
        else:
            lines.append(first)
        lines += [indent + line for line in explained]
    return "\n".join([_INTRO, *lines, "", _OUTRO])


#: Options that mean the same for every command, written before or after it.
GLOBAL_OPTIONS = ("--data-dir",)


def split_global_options(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """The global options written before the first other word, and the rest.

    `essaytui --data-dir DIR list` is how the README writes it; the command's own parser
    then reads those options as if written after the command.
    """
    lifted: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        if word in GLOBAL_OPTIONS and index + 1 < len(args):
            lifted += args[index : index + 2]
            index += 2
        elif word.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in word:
            lifted.append(word)
            index += 1
        else:
            break
    return lifted, list(args[index:])


def build_parser() -> argparse.ArgumentParser:
    """The reader's own parser: `essaytui [PATH]`."""
    parser = InertArgumentParser(
        prog="essaytui",
        description=description(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        help="an essay to read (Markdown, a saved web page, a copied blog post, an EPUB "
        "book), or - for standard input",
    )
    data_dir_option(parser)
    parser.add_argument("--version", action="version", version=f"essaytui {__version__}")
    return parser


def build_command_parser(command: str) -> argparse.ArgumentParser:
    """The parser of one subcommand."""
    parser = InertArgumentParser(prog=f"essaytui {command}")
    COMMANDS[command].options(parser)
    data_dir_option(parser)
    return parser
