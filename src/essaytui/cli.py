"""The command line: parse, validate, then run. Errors are one line and exit 2.

Without a terminal on standard output the reader prints the essay as plain text
(`essaytui PATH | less`); `essaytui -` reads the essay from standard input. A
closed pipe (`essaytui list | head -1`) ends the command quietly, as it ends other
Unix tools: exit status 141, no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from essaytui import __version__, cli_library, paths

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from essaytui.app import EssayApp
    from essaytui.interchange.anki import Card
    from essaytui.interchange.sync import SyncReport
    from essaytui.model.annotation import Annotation
    from essaytui.model.essay import Essay
    from essaytui.store import AnnotationStore
    from essaytui.store.store import EssaySummary

COMMANDS = (
    "list",
    "export",
    "import-notes",
    "convert",
    "cite",
    "notes",
    "sync",
    "add",
    "remove",
    "library",
    "search",
    "stats",
)

#: Where `export --all` writes without -o.
EXPORT_FOLDER = "essaytui-notes"
#: The PATH that means "read the essay from standard input".
STDIN_PATH = "-"
#: Exit status after a closed pipe: what a shell reports for a tool SIGPIPE ended.
BROKEN_PIPE_STATUS = 128 + 13

DESCRIPTION = """\
Read long-form essays in the terminal: footnotes that jump to their sources and
back, a glossary found in the text, highlights and notes that last.

commands:
  essaytui [PATH]                        read an essay (no PATH: the last one read,
                                         else the bundled essay; PATH - reads it
                                         from standard input)
  essaytui PATH | less                   without a terminal: the essay as plain text,
                                         wrapped to $COLUMNS (else 80)
  essaytui list                          recently read essays (each once, with its
                                         path), then the bundled ones
  essaytui export [PATH] [--format markdown|json] [--include-deleted] [-o FILE]
                                         the live annotations of an essay (Markdown:
                                         an Obsidian-ready note)
  essaytui export --all [-o DIR]         every essay's notes, one file each
  essaytui export [PATH | --all] --format anki|tsv [-o deck.apkg]
                                         highlights and notes as Anki cards; a new
                                         export updates the cards, never doubles them
  essaytui cite [PATH] [--format text|bibtex|csl-json|ris] [--style STYLE] [--sources]
                                         the essay's reference (and its sources')
  essaytui notes search WORD…            find notes in every essay (quote, note, tags)
  essaytui add PATH…                     add files or folders to the library (without
                                         opening them)
  essaytui remove PATH…                  take texts out of the library (notes stay)
  essaytui library                       the reader on the Library screen: every text,
                                         its series, progress, time left and notes
  essaytui search WORD… [--notes|--texts]  search every text of the library and your
                                         notes (re:PATTERN too); exit 1 if none
  essaytui stats                         reading time per text and per week
  essaytui import-notes FILE.json        merge annotations exported before; reports
                                         added / updated / deleted / unchanged
  essaytui sync [DIR] [--forget]         exchange notes and reading positions with
                                         other machines through a folder that
                                         Syncthing, Dropbox, Nextcloud or git carries
                                         (the first DIR is remembered)
  essaytui convert FILE [-o OUT.md]      turn a copied blog post (.txt) or a saved
                                         web page (.html) into an essay file

PATH may be a Markdown essay, a saved web page (.html: its article and footnotes
are shown) or a copied blog post (.txt with [n] markers and a notes list); both
open converted, and the status line says how to keep the conversion. A file not
in UTF-8 is read in the encoding it declares or that is detected, with a warning.

Run `essaytui COMMAND --help` for a command's options. Press ? in the reader for keys.
"""


class InertArgumentParser(argparse.ArgumentParser):
    """argparse whose messages cannot drive a terminal.

    Its errors quote the arguments ("unrecognized arguments: …"), and an argument
    may be a file name holding escape sequences, passed by a glob (issue 17 item 17):
    everything it prints has control characters made visible first.
    """

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            from essaytui.model.text import sanitize

            super()._print_message(sanitize(message), file)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {_inline(message)}\n")


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit 2."""


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where annotations live (default: ${paths.DATA_DIR_ENV}, "
        "else the user data directory)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The reader's own parser: `essaytui [PATH]`."""
    parser = InertArgumentParser(
        prog="essaytui",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        help="an essay to read (Markdown, a saved web page, a copied blog post), or - for "
        "standard input",
    )
    _data_dir_option(parser)
    parser.add_argument("--version", action="version", version=f"essaytui {__version__}")
    return parser


def build_command_parser(command: str) -> argparse.ArgumentParser:
    """The parser of one subcommand."""
    parser = InertArgumentParser(prog=f"essaytui {command}")
    _COMMAND_OPTIONS[command](parser)
    _data_dir_option(parser)
    return parser


def _list_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui list`."""
    parser.description = (
        "The essays recently read, most recent first, each once with its path; then "
        "other essays with notes, and the bundled essays."
    )


def _export_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui export`."""
    parser.description = (
        "Export the live annotations of an essay (deleted ones are left out). Markdown "
        "is a note ready for an Obsidian vault or Zotero: front matter with the "
        "citation, a heading per section, each passage as a quote with a stable "
        "^block-id and the footnotes it cites, your note below it, colour and tags as "
        "#tags. Exporting again gives the same file but for what changed. Control "
        "characters are shown as symbols unless -o is given."
    )
    parser.add_argument(
        "path", nargs="?", metavar="PATH", help="the essay (default: the last one read)"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="every essay with notes, one file each, in the folder -o DIR "
        f"(default: ./{EXPORT_FOLDER})",
    )
    parser.add_argument(
        "--format",
        choices=("markdown", "json", "anki", "tsv"),
        default="markdown",
        help="markdown (default), json (W3C Web Annotation), anki (a deck, .apkg: one "
        "card per highlight or note; exporting again updates the cards) or tsv (Anki's "
        "plain-text import)",
    )
    parser.add_argument(
        "--include-deleted",
        action="store_true",
        help="json only: add deletion markers, so that importing the file on "
        "another machine deletes those notes there too",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here instead of standard output (with --all: the folder; with "
        "--format anki: the deck, by default TITLE.apkg or essaytui-notes.apkg)",
    )


def _cite_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui cite`."""
    from essaytui.interchange.styles import CITE_FORMATS, STYLES

    parser.description = (
        "Print the essay's reference, from its front matter (author, title, series, "
        "site, publisher, date, url, accessed, type: what is missing is left out). "
        "text is formatted in the citation style; bibtex, csl-json and ris are for "
        "Zotero, BibTeX and other reference managers."
    )
    parser.add_argument(
        "path", nargs="?", metavar="PATH", help="the essay (default: the last one read)"
    )
    parser.add_argument(
        "--format",
        choices=CITE_FORMATS,
        default="text",
        help="text (default), bibtex, csl-json or ris",
    )
    parser.add_argument(
        "--style",
        choices=tuple(STYLES),
        help="the citation style of text (default: the one chosen in the reader, "
        "else chicago-author-date)",
    )
    parser.add_argument(
        "--sources",
        action="store_true",
        help="add each footnote as an entry of its own (its words kept as the note)",
    )


def _notes_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui notes`."""
    parser.description = "Your notes across every essay."
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    search = actions.add_parser(
        "search",
        help="find notes by the words of their quote, note or tags",
        description="Find notes in every essay whose quote, note or tags hold every "
        "word given (a word also finds longer ones: grievan finds grievances). Each "
        "is listed with its essay, section and date; exit status 1 when none is found.",
    )
    search.add_argument("words", nargs="+", metavar="WORD")
    _data_dir_option(search)


def _import_notes_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui import-notes`."""
    parser.description = (
        "Merge annotations exported before, by id: never duplicates, a deletion "
        "marker deletes, the newer copy of a note wins. Reports how many were "
        "added, updated, deleted and unchanged; a note whose id belongs to a note "
        "of another essay is refused."
    )
    parser.add_argument("file", metavar="FILE.json")


def _convert_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui convert`."""
    parser.description = (
        "Turn a blog post copied as plain text (title, author, paragraphs with [n] "
        "markers, a numbered notes list) or a saved web page (.html, or any file "
        "that starts as one: its article, title, author, date and address, and its "
        "footnotes as [^n]) into an essay file. Web-page leftovers are removed (those "
        "of a text are listed on standard error). A file not in UTF-8 is read in the "
        "encoding it declares or that is detected, with a warning naming it. Control "
        "characters are shown as symbols unless -o OUT.md is given."
    )
    parser.add_argument("file", metavar="FILE.txt|FILE.html")
    parser.add_argument(
        "-o", "--output", metavar="OUT.md", help="write here instead of standard output"
    )


def _sync_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui sync`."""
    parser.description = (
        "Exchange notes and reading positions with your other machines through a "
        "folder that a file-sync engine (Syncthing, Dropbox, Nextcloud) or git "
        "carries: one file per note, written only when that note changed. The later "
        "change of a note wins on every machine; a deletion is a change like any "
        "other. In a git work tree the sync commits, pulls (settling conflicts on "
        "notes by the same rule) and pushes; without a remote it only commits. The "
        "first DIR given is remembered, and the reader then syncs by itself when an "
        "essay opens and when it quits. Exit status 1 when something could not be "
        "sent or fetched (it goes at the next sync)."
    )
    parser.add_argument(
        "folder",
        nargs="?",
        metavar="DIR",
        help="the sync folder (default: the one remembered); made if missing",
    )
    parser.add_argument(
        "--forget", action="store_true", help="forget the remembered folder (no sync)"
    )


#: Each subcommand's options, added to its parser by `build_command_parser`.
_COMMAND_OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "list": _list_options,
    "export": _export_options,
    "cite": _cite_options,
    "notes": _notes_options,
    "import-notes": _import_notes_options,
    "convert": _convert_options,
    "sync": _sync_options,
    "add": cli_library.add_options,
    "remove": cli_library.remove_options,
    "library": cli_library.library_options,
    "search": cli_library.search_options,
    "stats": cli_library.stats_options,
}


def _fail(message: str) -> int:
    print(f"essaytui: {_inline(message)}", file=sys.stderr)
    return 2


def _inline(text: str) -> str:
    """`text` made inert for a terminal: a file name or a line from a file may hold
    escape sequences (issue 6), and stderr is usually a terminal."""
    from essaytui.model.text import sanitize_inline

    return sanitize_inline(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run essaytui with `argv` (default: the process's arguments)."""
    args = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    try:
        if args and args[0] in COMMANDS:
            command = args[0]
            options = build_command_parser(command).parse_args(args[1:])
            status = run_command(command, options)
        else:
            options = build_parser().parse_args(args)
            status = run_reader(options)
        sys.stdout.flush()  # a closed pipe is noticed here, not at exit
        return status
    except UsageError as error:
        return _fail(str(error))
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


def _essay_errors() -> tuple[type[Exception], ...]:
    from essaytui.model.files import EssayFileError

    return (EssayFileError,)


def run_reader(options: argparse.Namespace) -> int:
    """Open the reader; without a terminal, print the essay as plain text."""
    data_dir = Path(options.data_dir) if options.data_dir else None
    piped: bytes | None = None
    if options.path == STDIN_PATH:
        piped = read_standard_input()
        path = None
    else:
        path = Path(options.path) if options.path else None
    if not sys.stdout.isatty():
        return print_plain(path, data_dir, piped)
    if not sys.stdin.isatty():
        keys_from_terminal()
    app = stdin_app(piped, data_dir) if piped is not None else reader_app(path, data_dir)
    app.run()
    return app.return_code or 0


def read_standard_input() -> bytes:
    """The essay piped in, at most `model.files.MAX_BYTES` of it.

    Raises:
        UsageError: it is larger than that.
    """
    from essaytui.model.files import MAX_BYTES, read_at_most

    data = read_at_most(sys.stdin.buffer, MAX_BYTES)
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"standard input: is too large (the limit is {MAX_BYTES // (1024 * 1024)} MB)"
        )
    return data


def keys_from_terminal() -> None:
    """Read keys from the terminal when standard input is a pipe (`cat essay.md | essaytui -`).

    Raises:
        UsageError: there is no terminal to read keys from (nothing would ever end the
            reader: it would hang).
    """
    try:
        terminal = os.open("/dev/tty", os.O_RDWR | getattr(os, "O_NOCTTY", 0))
    except OSError:
        raise UsageError(
            "no terminal to read keys from (standard input is not a terminal and "
            "/dev/tty cannot be opened); pipe the output to see the essay as text"
        ) from None
    try:
        os.dup2(terminal, 0)
    finally:
        os.close(terminal)


def _essay_from_bytes(data: bytes, *, limit: int | None = None) -> tuple[Essay, str]:
    """The essay piped in, parsed (up to `limit`), and its decoded text.

    Raises:
        UsageError: the bytes are not an essay (empty, binary, not text).
    """
    import dataclasses

    from essaytui.model.files import (
        STDIN_NAME,
        EssayFileError,
        decode_text,
        essay_markdown,
        merge_notices,
    )
    from essaytui.model.parse import parse_essay
    from essaytui.model.text import sanitize_inline

    try:
        text, warnings = decode_text(data, STDIN_NAME)
        text, notices = essay_markdown(text, STDIN_NAME)
    except EssayFileError as error:
        raise UsageError(str(error)) from None
    warnings = merge_notices(warnings, notices)
    essay = parse_essay(text, limit=limit)
    essay = dataclasses.replace(
        essay, warnings=tuple(sanitize_inline(w) for w in warnings) + essay.warnings
    )
    return essay, text


def stdin_app(data: bytes, data_dir: Path | None) -> EssayApp:
    """The reader on an essay piped in, ready to run (its rest parses after the first screen).

    Raises:
        UsageError: the bytes are not an essay.
    """
    import gc

    gc.disable()  # until the first screen is up: see essaytui.app.hold_collection
    from essaytui.app import FIRST_SCREEN_LIMIT, EssayApp

    try:
        essay, text = _essay_from_bytes(data, limit=FIRST_SCREEN_LIMIT)
    except UsageError:
        gc.enable()
        raise
    return EssayApp(None, essay=essay, data_dir=data_dir, source=text, source_bytes=data)


def print_plain(path: Path | None, data_dir: Path | None, piped: bytes | None) -> int:
    """Write the essay as plain text to standard output (`essaytui PATH | less`)."""
    from essaytui.model.files import EssayFileError, load_essay
    from essaytui.model.plain import DEFAULT_WIDTH, render_plain

    if piped is not None:
        essay, _ = _essay_from_bytes(piped)
    else:
        if path is None:
            path = last_read_path(data_dir) or paths.default_essay()
        try:
            essay = load_essay(path)
        except EssayFileError as error:
            raise UsageError(str(error)) from None
    for warning in essay.warnings:
        print(f"essaytui: warning: {_inline(warning)}", file=sys.stderr)
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        width = DEFAULT_WIDTH
    sys.stdout.write(render_plain(essay, width if width > 0 else DEFAULT_WIDTH))
    return 0


def reader_app(path: Path | None, data_dir: Path | None) -> EssayApp:
    """The reader on `path` (None: the last essay read, else the bundled one), ready to run.

    Reads only the first part of a long essay; the app reads the rest once its first
    screen is up. The benchmark starts the reader through here too.

    Raises:
        UsageError: the essay cannot be read.
    """
    import gc

    gc.disable()  # until the first screen is up: see essaytui.app.hold_collection
    from essaytui.app import FIRST_SCREEN_LIMIT, EssayApp
    from essaytui.model.files import EssayFileError, load_essay
    from essaytui.store import AnnotationStore, StoreError

    # Opened once, here, and handed to the app: a damaged database is moved aside by
    # the first open, and a second one would start clean with nothing to tell.
    store = AnnotationStore.open_or_memory(data_dir)
    if path is None:
        try:
            path = _last_read_in(store) or paths.default_essay()
        except StoreError:
            path = paths.default_essay()
    try:
        essay = load_essay(path, limit=FIRST_SCREEN_LIMIT)
    except EssayFileError as error:
        gc.enable()
        store.close()
        raise UsageError(str(error)) from None
    return EssayApp(path, essay=essay, data_dir=data_dir, store=store)


def last_read_path(data_dir: Path | None) -> Path | None:
    """The essay read last, if it still exists (what the store has to say on opening
    goes to standard error)."""
    from essaytui.store import AnnotationStore, StoreError

    try:
        with AnnotationStore.open(data_dir) as store:
            _announce(store)
            return _last_read_in(store)
    except StoreError:
        return None


def _announce(store: AnnotationStore) -> None:
    """What the store says about itself on opening, on standard error: a damaged
    database moved aside, a folder or disk that takes no changes (notes shown only)."""
    if store.notice:
        print(f"essaytui: {_inline(store.notice)}", file=sys.stderr)
    if store.problem:
        print(f"essaytui: {_inline(store.problem)}", file=sys.stderr)


def _last_read_in(store: AnnotationStore) -> Path | None:
    """The essay read last according to `store`, if it still exists.

    Raises:
        StoreError: the store cannot be read.
    """
    for position in store.recent(20):
        if position.essay_path and Path(position.essay_path).is_file():
            return Path(position.essay_path)
    return None


def run_command(command: str, options: argparse.Namespace) -> int:
    """Run a subcommand."""
    if command == "convert":
        return run_convert(options)
    if command == "list":
        return run_list(options)
    if command == "export":
        return run_export(options)
    if command == "cite":
        return run_cite(options)
    if command == "notes":
        return run_notes_search(options)
    if command == "sync":
        return run_sync(options)
    if command in _LIBRARY_COMMANDS:
        try:
            return _LIBRARY_COMMANDS[command](options)
        except cli_library.LibraryUsageError as error:
            raise UsageError(str(error)) from None
    return run_import(options)


_LIBRARY_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "add": cli_library.run_add,
    "remove": cli_library.run_remove,
    "library": lambda options: run_library(options),
    "search": cli_library.run_search,
    "stats": cli_library.run_stats,
}


def run_library(options: argparse.Namespace) -> int:
    """`essaytui library`: the reader on the last essay read, showing the Library."""
    if not sys.stdout.isatty():
        raise UsageError("library: the Library screen needs a terminal (try `essaytui list`)")
    if not sys.stdin.isatty():
        keys_from_terminal()
    data_dir = Path(options.data_dir) if options.data_dir else None
    app = reader_app(None, data_dir)
    app.open_library_first = True
    app.run()
    return app.return_code or 0


def _open_store(options: argparse.Namespace) -> AnnotationStore:
    from essaytui.store import AnnotationStore, StoreError

    data_dir = Path(options.data_dir) if options.data_dir else None
    try:
        store = AnnotationStore.open(data_dir)
    except StoreError as error:
        raise UsageError(str(error)) from None
    _announce(store)
    return store


def _report_warnings(store: AnnotationStore) -> None:
    """The store's warnings (damaged rows skipped, notes refused), one line each."""
    for warning in store.take_warnings():
        print(f"essaytui: warning: {_inline(warning)}", file=sys.stderr)


def run_export(options: argparse.Namespace) -> int:
    """`essaytui export [PATH] [--format markdown|json] [--include-deleted] [-o FILE]`."""
    import dataclasses

    from essaytui.interchange.markdown import to_markdown
    from essaytui.interchange.w3c import to_web_annotation
    from essaytui.model.files import EssayFileError, load_essay
    from essaytui.model.identity import read_print
    from essaytui.store import StoreError

    if options.include_deleted and options.format != "json":
        raise UsageError("export: --include-deleted goes with --format json")
    if options.format in ("anki", "tsv"):
        return run_export_cards(options)
    if options.all:
        return run_export_all(options)
    # The store is opened first: when the data folder is unusable, that is the
    # reason to give, not "none read yet".
    with _open_store(options) as store:
        try:
            path = Path(options.path) if options.path else _last_read_in(store)
            if path is None:
                raise UsageError("export: no essay given and none read yet (essaytui export PATH)")
            try:
                essay = load_essay(path)
            except EssayFileError as error:
                raise UsageError(str(error)) from None
            essay = dataclasses.replace(essay, id=store.identify(essay, record=False))
            everything = store.list_for_essay(essay.id, include_deleted=options.include_deleted)
            style = _citation_style(store)
        except StoreError as error:
            raise UsageError(str(error)) from None
        _report_warnings(store)
    live = [a for a in everything if not a.is_deleted]
    if options.format == "json":
        document = to_web_annotation(
            essay,
            everything,
            include_deleted=options.include_deleted,
            fingerprint=read_print(path),
        )
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_markdown(essay, live, style=style)
    _write_output(text, options.output)
    markers = len(everything) - len(live)
    also = f" and {markers} deletion marker(s)" if options.include_deleted else ""
    print(
        f"essaytui: exported {len(live)} annotation(s){also} of “{_inline(essay.title)}”",
        file=sys.stderr,
    )
    return 0


def _citation_style(store: AnnotationStore | None) -> str:
    """The citation style chosen in the reader (a setting), else the default.

    Raises:
        StoreError: the store cannot be read.
    """
    from essaytui.interchange.styles import DEFAULT_STYLE, STYLE_SETTING, STYLES

    chosen = store.get_setting(STYLE_SETTING) if store is not None else None
    return chosen if chosen in STYLES else DEFAULT_STYLE


def run_export_all(options: argparse.Namespace) -> int:
    """`essaytui export --all [-o DIR] [--format markdown|json]`: one file per essay."""
    from essaytui.store import StoreError

    if options.path:
        raise UsageError("export: --all exports every essay; give no PATH with it")
    folder = Path(options.output or EXPORT_FOLDER)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"export: {options.output}: is not a folder")
    written: list[Path] = []
    with _open_store(options) as store:
        try:
            style = _citation_style(store)
            for summary in store.essays_with_notes():
                written.append(_export_one(store, summary, folder, options, style))
        except StoreError as error:
            raise UsageError(str(error)) from None
        _report_warnings(store)
    if not written:
        print("essaytui: no essay has notes yet: nothing exported", file=sys.stderr)
        return 0
    for target in written:
        print(_inline(str(target)))
    print(
        f"essaytui: exported the notes of {len(written)} essay(s) to {_inline(str(folder))}",
        file=sys.stderr,
    )
    return 0


def _export_one(
    store: AnnotationStore,
    summary: EssaySummary,
    folder: Path,
    options: argparse.Namespace,
    style: str,
) -> Path:
    """Write the notes of one essay of `export --all` into `folder`; the file written."""
    from essaytui.interchange.markdown import file_name, to_markdown
    from essaytui.interchange.w3c import to_web_annotation
    from essaytui.model.identity import read_print

    everything = store.list_for_essay(summary.essay_id, include_deleted=options.include_deleted)
    path, essay = _essay_of(store, summary)
    if options.format == "json":
        document = to_web_annotation(
            essay,
            everything,
            include_deleted=options.include_deleted,
            fingerprint=read_print(path) if path is not None else None,
        )
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        target = folder / f"{file_name(essay)}.json"
    else:
        text = to_markdown(essay, everything, style=style)
        target = folder / f"{file_name(essay)}.md"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", errors="replace")
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
    return target


def _essay_of(store: AnnotationStore, summary: EssaySummary) -> tuple[Path | None, Essay]:
    """The file of an essay with notes and the essay read from it (under the store's
    id), or, when no file of it can be read, an empty essay with its title (warned)."""
    import dataclasses

    from essaytui.model.essay import EMPTY_ESSAY
    from essaytui.model.files import EssayFileError, load_essay

    candidates = [*store.essay_paths(summary.essay_id), summary.path]
    path = next((Path(p) for p in candidates if p and Path(p).is_file()), None)
    essay = None
    if path is not None:
        try:
            essay = load_essay(path)
        except EssayFileError:
            essay = None
    if essay is None:
        print(
            f"essaytui: warning: the file of “{_inline(summary.title)}” is not "
            "found: its notes are exported without the essay's text",
            file=sys.stderr,
        )
        title = summary.title or (Path(summary.path).stem if summary.path else "")
        essay = dataclasses.replace(EMPTY_ESSAY, title=title or "Untitled")
    return path, dataclasses.replace(essay, id=summary.essay_id)


def run_cite(options: argparse.Namespace) -> int:
    """`essaytui cite [PATH] [--format …] [--style …] [--sources]`."""
    from essaytui.interchange.citation import (
        CitationError,
        bibliography_entry,
        essay_reference,
        source_references,
        to_bibtex,
        to_csl_json,
        to_ris,
    )
    from essaytui.model.files import EssayFileError, load_essay
    from essaytui.store import AnnotationStore, StoreError

    data_dir = Path(options.data_dir) if options.data_dir else None
    style = options.style
    path = Path(options.path) if options.path else None
    try:
        with AnnotationStore.open(data_dir) as store:
            _announce(store)
            if style is None:
                style = _citation_style(store)
            if path is None:
                path = _last_read_in(store)
    except StoreError as error:
        print(f"essaytui: {_inline(str(error))}", file=sys.stderr)
        style = style or _citation_style(None)
    try:
        essay = load_essay(path or paths.default_essay())
    except EssayFileError as error:
        raise UsageError(str(error)) from None
    reference = essay_reference(essay)
    for problem in reference.problems:
        print(f"essaytui: warning: {_inline(problem)}", file=sys.stderr)
    references = [reference, *(source_references(essay) if options.sources else [])]
    if options.format == "csl-json":
        text = json.dumps([to_csl_json(r) for r in references], ensure_ascii=False, indent=2)
        text += "\n"
    elif options.format == "bibtex":
        text = to_bibtex(references)
    elif options.format == "ris":
        text = to_ris(references)
    else:
        try:
            lines = [bibliography_entry(reference, style)]
            if options.sources:
                lines += ["", "Sources:"]
                lines += [
                    f"{n}. {bibliography_entry(r, style)}" for n, r in enumerate(references[1:], 1)
                ]
        except CitationError as error:
            raise UsageError(f"cite: {error}") from None
        text = "\n".join(lines) + "\n"
    _write_output(text, None)
    return 0


def run_notes_search(options: argparse.Namespace) -> int:
    """`essaytui notes search WORD…`: every live note that holds all the words."""
    from essaytui.store import StoreError

    query = " ".join(options.words)
    with _open_store(options) as store:
        try:
            hits = store.search_notes(query)
        except StoreError as error:
            raise UsageError(str(error)) from None
        _report_warnings(store)
    if not hits:
        print(f"essaytui: no note matches “{_inline(query)}”", file=sys.stderr)
        return 1
    for hit in hits:
        annotation = hit.annotation
        title = hit.title or (Path(hit.path).stem if hit.path else "an essay")
        section = " › ".join(annotation.section_trail) or "Opening"
        details = f"{annotation.kind.value} · {_clean(annotation.modified[:10])}"
        if annotation.tags:
            details += " · " + " ".join(f"#{_clean(tag)}" for tag in annotation.tags)
        print(f"“{_clean(hit.snippet)}”")
        print(f"  {_clean(title)} — § {_clean(section)} · {details}")
        if annotation.note.strip():
            note = _clean(annotation.note)
            print(f"  ✎ {note[:157] + '…' if len(note) > 160 else note}")
        if hit.path:
            print(f"  {_inline(hit.path)}")
    print(f"essaytui: {len(hits)} note(s) match “{_inline(query)}”", file=sys.stderr)
    return 0


def run_import(options: argparse.Namespace) -> int:
    """`essaytui import-notes FILE.json`: merge by id, idempotently."""
    from essaytui.interchange import InterchangeError
    from essaytui.interchange.w3c import read_export
    from essaytui.store import StoreError

    try:
        imported = read_export(options.file)
    except InterchangeError as error:
        raise UsageError(f"import-notes: {error}") from None
    except (RecursionError, ValueError) as error:
        # json.loads raises these, not JSONDecodeError, for arrays nested thousands
        # deep and for integers of more than 4300 digits: hostile files, not exports.
        why = (
            "its JSON is nested too deeply"
            if isinstance(error, RecursionError)
            else "it holds a number with too many digits"
        )
        raise UsageError(
            f"import-notes: {options.file} is not an annotation export ({why})"
        ) from None
    with _open_store(options) as store:
        try:
            result = store.merge(imported.annotations, essays=imported.essays)
        except StoreError as error:
            raise UsageError(str(error)) from None
        _report_warnings(store)
    refused = f", {result.refused} refused" if result.refused else ""
    print(
        f"imported {_inline(options.file)}: {result.added} added, {result.updated} updated, "
        f"{result.deleted} deleted, {result.unchanged} unchanged{refused}"
    )
    return 0


def run_convert(options: argparse.Namespace) -> int:
    """`essaytui convert FILE [-o OUT.md]`: a copied blog post or a saved web page."""
    from essaytui.model.files import EssayFileError, convert_file, read_text_file

    path = Path(options.file)
    try:
        text, warnings = read_text_file(path)
        conversion = convert_file(text, str(path), path.suffix)
    except EssayFileError as error:
        raise UsageError(str(error)) from None
    # Written before the report: an unusable -o is then one line, not a list then an error.
    _write_output(conversion.markdown, options.output)
    for warning in [*warnings, *conversion.warnings]:
        print(f"essaytui: warning: {_inline(warning)}", file=sys.stderr)
    if conversion.removed:
        print(
            f"essaytui: removed {len(conversion.removed)} web-page leftover line(s):",
            file=sys.stderr,
        )
        for line in conversion.removed:
            print(f"  - {_inline(line)}", file=sys.stderr)
    return 0


def _write_output(text: str, output: str | None) -> None:
    if not output:
        # Shown, or passed on to what shows it (`export | cat`): like ls, control
        # characters become visible symbols. -o FILE writes the text as it is.
        from essaytui.model.text import sanitize

        sys.stdout.write(sanitize(text))
        return
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"{output}: is a directory")
    try:
        target.write_text(text, encoding="utf-8", errors="replace")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    print(f"essaytui: wrote {_inline(output)}", file=sys.stderr)


def run_list(options: argparse.Namespace) -> int:
    """`essaytui list`: recently read essays (most recent first), then the bundled ones."""
    from essaytui.model.files import EssayFileError, load_essay
    from essaytui.store import AnnotationStore, Position, StoreError

    data_dir = Path(options.data_dir) if options.data_dir else None
    recent: list[Position] = []
    others: list[EssaySummary] = []
    notes_only: set[str] = set()
    try:
        with AnnotationStore.open(data_dir) as store:
            _announce(store)
            recent = store.recent(200)
            others = store.essays_with_notes(exclude={p.essay_id for p in recent})
            # notes that came from another machine, for an essay never opened here
            notes_only = {o.essay_id for o in others if not store.essay_paths(o.essay_id)}
            _report_warnings(store)
    except StoreError as error:
        print(f"essaytui: {_inline(str(error))}", file=sys.stderr)
    shown: set[str] = set()
    if recent:
        print("Recently read:")
    for position in recent:
        where = position.essay_path or "(read from standard input)"
        missing = "" if Path(where).is_file() else "  (file missing)"
        author = position.author or "unknown author"
        percent = round(position.progress * 100)
        when = position.updated[:16].replace("T", " ")
        print(
            f"  {_clean(position.title)} — {_clean(author)}  {percent}%  "
            f"last read {_clean(when)} UTC\n    {_inline(where)}{missing}"
        )
        shown.add(_resolved(where) if position.essay_path else "")
    if others:
        print("Other essays with notes:")
    for other in others:
        where = other.path
        title = other.title or (Path(where).stem if where else "Untitled")
        missing = "" if where and Path(where).is_file() else "  (file missing)"
        if other.essay_id in notes_only:
            missing += "  (notes only: the essay was never opened on this machine)"
        print(
            f"  {_clean(title)}  {other.notes} note(s)\n"
            f"    {_inline(where or '(unknown file)')}{missing}"
        )
    print("Bundled:")
    for path in paths.bundled_essays():
        try:
            essay = load_essay(path)
        except EssayFileError:
            continue
        read = "  (read)" if _resolved(str(path)) in shown else ""
        print(
            f"  {_clean(essay.title)} — {_clean(essay.author or 'unknown author')}{read}\n"
            f"    {path}"
        )
    return 0


def _resolved(path: str) -> str:
    from essaytui.model.identity import resolved_path

    return resolved_path(path)


def _clean(text: str) -> str:
    from essaytui.model.text import sanitize

    return " ".join(sanitize(text).split())


def run_sync(options: argparse.Namespace) -> int:
    """`essaytui sync [DIR] [--forget]`: exchange notes through the sync folder."""
    from essaytui.interchange.sync import FOLDER_SETTING
    from essaytui.store import StoreError

    with _open_store(options) as store:
        try:
            remembered = store.get_setting(FOLDER_SETTING) or ""
            if options.forget:
                if options.folder:
                    raise UsageError("sync: --forget takes no DIR")
                store.set_setting(FOLDER_SETTING, "")
                what = f"the sync folder {_inline(remembered)}" if remembered else "no folder"
                print(f"essaytui: forgot {what}; the reader no longer syncs by itself")
                return 0
            if not options.folder and not remembered:
                raise UsageError(
                    "sync: no sync folder given and none remembered (essaytui sync DIR)"
                )
            if store.read_only or not store.persistent:
                raise UsageError(f"sync: {store.problem or 'notes cannot be saved here'}")
            folder = _sync_folder(options.folder or remembered, given=bool(options.folder))
            if options.folder and not remembered:
                store.set_setting(FOLDER_SETTING, str(folder))
                print(
                    f"essaytui: {_inline(str(folder))} is now your sync folder "
                    "(essaytui sync --forget to stop)",
                    file=sys.stderr,
                )
            status = _sync_now(store, folder)
        except StoreError as error:
            raise UsageError(f"sync: {error}") from None
        _report_warnings(store)
    return status


def _sync_folder(name: str, *, given: bool) -> Path:
    """The sync folder, made when given on the command line and missing.

    Raises:
        UsageError: it is not a folder, cannot be made, or (remembered) is not there.
    """
    folder = Path(name).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"sync: {name} is not a folder")
    if not folder.exists():
        if not given:
            raise UsageError(
                f"sync: the sync folder {name} is not there (not mounted?); nothing synced"
            )
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            raise UsageError(f"sync: cannot make {name} ({error.strerror or error})") from None
    return folder


def _sync_now(store: AnnotationStore, folder: Path) -> int:
    """Sync with `folder` (a git work tree or a plain folder) and say what happened.

    Raises:
        UsageError: the folder or git cannot be used.
        StoreError: the notes cannot be read or saved.
    """
    from essaytui.interchange.sync import SyncError, device_id, device_name, sync_folder
    from essaytui.interchange.sync_git import GitError, is_git_work_tree, sync_git

    problems: list[str] = []
    try:
        device = device_id(store)
        if is_git_work_tree(folder):
            report, outcome = sync_git(store, folder, device=device, name=device_name())
            problems = outcome.problems
            git_line = outcome.summary()
        else:
            report = sync_folder(store, folder, device=device)
            git_line = ""
    except (SyncError, GitError) as error:
        raise UsageError(f"sync: {error}") from None
    print(f"synced with {_inline(str(folder))}: {report.summary()}")
    if git_line:
        print(git_line)
    _print_sync_details(report)
    for problem in problems:
        print(f"essaytui: {_inline(problem)}", file=sys.stderr)
    return 1 if problems or report.not_written else 0


def _print_sync_details(report: SyncReport) -> None:
    """The lines of a sync report beyond its summary: kept notes, notes only, warnings."""
    if report.kept_after_deletion:
        print(
            f"kept {report.kept_after_deletion} note(s) deleted on another machine: "
            "they were edited here after that"
        )
    if report.restored:
        print(
            f"{report.restored} note(s) deleted here came back: they were edited on "
            "another machine after that"
        )
    if report.conflicts_merged:
        print(f"merged and removed {report.conflicts_merged} conflict copy(ies)")
    for title in report.joined:
        print(
            f"joined the notes of {_clean(title)}: another machine knew the same document "
            "under another id"
        )
    for title in report.notes_only:
        print(f"notes only (the essay is not on this machine yet): {_clean(title)}")
    for warning in report.warnings:
        print(f"essaytui: warning: {_inline(warning)}", file=sys.stderr)
    if report.hidden_warnings:
        print(f"essaytui: and {report.hidden_warnings} more warning(s)", file=sys.stderr)
    if report.not_written:
        print(
            f"essaytui: {report.not_written} file(s) could not be written to the sync "
            f"folder ({_inline(report.write_problem)}); nothing is lost, the next sync "
            "tries again",
            file=sys.stderr,
        )


def run_export_cards(options: argparse.Namespace) -> int:
    """`essaytui export [PATH | --all] --format anki|tsv [-o FILE]`: flash cards."""
    from essaytui.interchange.anki import cards_of, deck_name, to_tsv, write_apkg
    from essaytui.interchange.markdown import file_name
    from essaytui.store import StoreError

    if options.all and options.path:
        raise UsageError("export: --all exports every essay; give no PATH with it")
    decks: list[tuple[str, list[Card]]] = []
    names: list[str] = []
    with _open_store(options) as store:
        try:
            style = _citation_style(store)
            for essay, annotations in _essays_for_cards(store, options):
                cards = cards_of(essay, annotations, _citation_text(essay, style))
                decks.append((deck_name(essay), cards))
                names.append(file_name(essay))
        except StoreError as error:
            raise UsageError(str(error)) from None
        _report_warnings(store)
    count = sum(len(cards) for _, cards in decks)
    if options.format == "tsv":
        deck = decks[0][0] if len(decks) == 1 else "essaytui"
        text = to_tsv([c for _, cards in decks for c in cards], deck)
        if options.output:
            _write_output(text, options.output)
        else:
            # every field is already sanitised and escaped: the tabs between them stay
            sys.stdout.write(text)
    else:
        default = "essaytui-notes.apkg" if options.all or not names else f"{names[0]}.apkg"
        target = Path(options.output or default)
        if target.is_dir():
            raise UsageError(f"export: {target}: is a directory")
        try:
            write_apkg(decks, target)
        except OSError as error:
            raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
        print(f"essaytui: wrote {_inline(str(target))}", file=sys.stderr)
    print(f"essaytui: exported {count} card(s) from {len(decks)} essay(s)", file=sys.stderr)
    return 0


def _essays_for_cards(
    store: AnnotationStore, options: argparse.Namespace
) -> list[tuple[Essay, list[Annotation]]]:
    """The essays to make cards of (the one asked for, or every one with notes), with
    their live annotations.

    Raises:
        UsageError: the essay cannot be read. StoreError: the store cannot be read.
    """
    import dataclasses

    from essaytui.model.files import EssayFileError, load_essay

    if options.all:
        found = []
        for summary in store.essays_with_notes():
            _, essay = _essay_of(store, summary)
            found.append((essay, store.list_for_essay(summary.essay_id)))
        return found
    path = Path(options.path) if options.path else _last_read_in(store)
    if path is None:
        raise UsageError("export: no essay given and none read yet (essaytui export PATH)")
    try:
        essay = load_essay(path)
    except EssayFileError as error:
        raise UsageError(str(error)) from None
    essay = dataclasses.replace(essay, id=store.identify(essay, record=False))
    return [(essay, store.list_for_essay(essay.id))]


def _citation_text(essay: Essay, style: str) -> str:
    """The essay's reference in the chosen style (its title and author if that fails)."""
    from essaytui.interchange.citation import CitationError, bibliography_entry, essay_reference

    try:
        return bibliography_entry(essay_reference(essay), style)
    except CitationError:
        return ", ".join(part for part in (essay.author, essay.title) if part)
