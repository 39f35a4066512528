"""The command line: parse, validate, then run. Errors are one line and exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from essaytui import __version__, paths

if TYPE_CHECKING:
    from essaytui.app import EssayApp
    from essaytui.store import AnnotationStore

COMMANDS = ("list", "export", "import-notes", "convert")

DESCRIPTION = """\
Read long-form essays in the terminal: footnotes that jump to their sources and
back, a glossary found in the text, highlights and notes that last.

commands:
  essaytui [PATH]                        read an essay (no PATH: the last one read,
                                         else the bundled essay)
  essaytui list                          the bundled essays and recently read ones
  essaytui export [PATH] [--format markdown|json] [-o FILE]
                                         the annotations of an essay
  essaytui import-notes FILE.json        merge annotations exported before
  essaytui convert FILE.txt [-o OUT.md]  turn a copied blog post into an essay file

Run `essaytui COMMAND --help` for a command's options. Press ? in the reader for keys.
"""


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
    parser = argparse.ArgumentParser(
        prog="essaytui",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", nargs="?", metavar="PATH", help="a Markdown essay to read")
    _data_dir_option(parser)
    parser.add_argument("--version", action="version", version=f"essaytui {__version__}")
    return parser


def build_command_parser(command: str) -> argparse.ArgumentParser:
    """The parser of one subcommand."""
    parser = argparse.ArgumentParser(prog=f"essaytui {command}")
    if command == "list":
        parser.description = "The bundled essays and recently read ones, most recent first."
    elif command == "export":
        parser.description = "Export the annotations of an essay."
        parser.add_argument(
            "path", nargs="?", metavar="PATH", help="the essay (default: the last one read)"
        )
        parser.add_argument(
            "--format",
            choices=("markdown", "json"),
            default="markdown",
            help="markdown (default) or json (W3C Web Annotation)",
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="write here instead of standard output"
        )
    elif command == "import-notes":
        parser.description = "Merge annotations exported before (by id; never duplicates)."
        parser.add_argument("file", metavar="FILE.json")
    elif command == "convert":
        parser.description = (
            "Turn a blog post copied as plain text (title, author, paragraphs with [n] "
            "markers, a numbered notes list) into an essay file. Web-page leftovers are "
            "removed and listed on standard error."
        )
        parser.add_argument("file", metavar="FILE.txt")
        parser.add_argument(
            "-o", "--output", metavar="OUT.md", help="write here instead of standard output"
        )
    _data_dir_option(parser)
    return parser


def _fail(message: str) -> int:
    print(f"essaytui: {_inline(message)}", file=sys.stderr)
    return 2


def _inline(text: str) -> str:
    """`text` made inert for a terminal: a file name or a line from a file may hold
    escape sequences (issue 6), and stderr is usually a terminal."""
    from essaytui.model.source import sanitize_inline

    return sanitize_inline(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run essaytui with `argv` (default: the process's arguments)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            command = args[0]
            options = build_command_parser(command).parse_args(args[1:])
            return run_command(command, options)
        options = build_parser().parse_args(args)
        return run_reader(options)
    except UsageError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130


def _essay_errors() -> tuple[type[Exception], ...]:
    from essaytui.model.source import EssayFileError

    return (EssayFileError,)


def run_reader(options: argparse.Namespace) -> int:
    """Open the reader."""
    path = Path(options.path) if options.path else None
    data_dir = Path(options.data_dir) if options.data_dir else None
    app = reader_app(path, data_dir)
    app.run()
    return app.return_code or 0


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
    from essaytui.model.source import EssayFileError, load_essay

    if path is None:
        path = last_read_path(data_dir) or paths.default_essay()
    try:
        essay = load_essay(path, limit=FIRST_SCREEN_LIMIT)
    except EssayFileError as error:
        gc.enable()
        raise UsageError(str(error)) from None
    return EssayApp(path, essay=essay, data_dir=data_dir)


def last_read_path(data_dir: Path | None) -> Path | None:
    """The essay read last, if it still exists."""
    from essaytui.store import AnnotationStore, StoreError

    try:
        with AnnotationStore.open(data_dir) as store:
            return _last_read_in(store)
    except StoreError:
        return None


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
    return run_import(options)


def _open_store(options: argparse.Namespace) -> AnnotationStore:
    from essaytui.store import AnnotationStore, StoreError

    data_dir = Path(options.data_dir) if options.data_dir else None
    try:
        store = AnnotationStore.open(data_dir)
    except StoreError as error:
        raise UsageError(str(error)) from None
    if store.notice:
        print(f"essaytui: {_inline(store.notice)}", file=sys.stderr)
    return store


def run_export(options: argparse.Namespace) -> int:
    """`essaytui export [PATH] [--format markdown|json] [-o FILE]`."""
    from essaytui.model.source import EssayFileError, load_essay
    from essaytui.store import StoreError
    from essaytui.store.interchange import to_markdown, to_web_annotation

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
            everything = store.list_for_essay(essay.id, include_deleted=True)
        except StoreError as error:
            raise UsageError(str(error)) from None
    if options.format == "json":
        # Deletion markers travel too, so an import elsewhere deletes instead of resurrecting.
        document = to_web_annotation(essay, everything)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        text = to_markdown(essay, [a for a in everything if not a.is_deleted])
    _write_output(text, options.output)
    live = sum(1 for a in everything if not a.is_deleted)
    print(f"essaytui: exported {live} annotation(s) of “{essay.title}”", file=sys.stderr)
    return 0


def run_import(options: argparse.Namespace) -> int:
    """`essaytui import-notes FILE.json`: merge by id, idempotently."""
    from essaytui.store import InterchangeError, StoreError
    from essaytui.store.interchange import read_web_annotation_file

    try:
        annotations = read_web_annotation_file(options.file)
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
            result = store.merge(annotations)
        except StoreError as error:
            raise UsageError(str(error)) from None
    print(
        f"imported {_inline(options.file)}: {result.added} added, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )
    return 0


def run_convert(options: argparse.Namespace) -> int:
    """`essaytui convert FILE.txt [-o OUT.md]`."""
    from essaytui.model.convert import ConvertError, convert_text
    from essaytui.model.source import EssayFileError, read_text_file

    try:
        text, warnings = read_text_file(Path(options.file))
        conversion = convert_text(text)
    except (EssayFileError, ConvertError) as error:
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
        if sys.stdout.isatty():
            # Shown, not stored: like ls, control characters become visible symbols.
            from essaytui.model.source import sanitize

            text = sanitize(text)
        sys.stdout.write(text)
        return
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"{output}: is a directory")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    print(f"essaytui: wrote {_inline(output)}", file=sys.stderr)


def run_list(options: argparse.Namespace) -> int:
    """`essaytui list`: recently read essays (most recent first), then the bundled ones."""
    from essaytui.model.source import EssayFileError, load_essay
    from essaytui.store import AnnotationStore, StoreError

    data_dir = Path(options.data_dir) if options.data_dir else None
    recent = []
    try:
        with AnnotationStore.open(data_dir) as store:
            recent = store.recent(50)
    except StoreError as error:
        print(f"essaytui: {_inline(str(error))}", file=sys.stderr)
    shown: set[str] = set()
    if recent:
        print("Recently read:")
    for position in recent:
        where = position.essay_path or "(unknown file)"
        missing = "" if Path(where).is_file() else "  (file missing)"
        author = position.author or "unknown author"
        percent = round(position.progress * 100)
        when = position.updated[:16].replace("T", " ")
        print(
            f"  {_clean(position.title)} — {_clean(author)}  {percent}%  "
            f"last read {when} UTC\n    {_inline(where)}{missing}"
        )
        shown.add(str(Path(where).resolve()) if where else "")
    print("Bundled:")
    for path in paths.bundled_essays():
        try:
            essay = load_essay(path)
        except EssayFileError:
            continue
        read = "  (read)" if str(path.resolve()) in shown else ""
        print(
            f"  {_clean(essay.title)} — {_clean(essay.author or 'unknown author')}{read}\n"
            f"    {path}"
        )
    return 0


def _clean(text: str) -> str:
    from essaytui.model.source import sanitize

    return " ".join(sanitize(text).split())
