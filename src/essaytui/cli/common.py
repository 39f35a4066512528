"""What every command shares: the inert parser, one-line errors, the store opened
once, its notices and warnings on standard error, and output written safely."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from essaytui import paths

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from essaytui.model.essay import Essay
    from essaytui.store import AnnotationStore


class InertArgumentParser(argparse.ArgumentParser):
    """argparse whose messages cannot drive a terminal.

    Its errors quote the arguments ("unrecognized arguments: …"), and an argument
    may be a file name holding escape sequences, passed by a glob:
    everything it prints has control characters made visible first.
    """

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            from essaytui.model.text import sanitize

            super()._print_message(sanitize(message), file)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {inline(message)}\n")


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit 2."""


def data_dir_option(parser: argparse.ArgumentParser, *, inner: bool = False) -> None:
    """`--data-dir DIR` on `parser`. On an inner parser (`notes search`) it has no default
    of its own: argparse would let that None overwrite a value given before the action."""
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS if inner else None,
        help=f"where annotations live (default: ${paths.DATA_DIR_ENV}, "
        "else the user data directory)",
    )


def fail(message: str) -> int:
    print(f"essaytui: {inline(message)}", file=sys.stderr)
    return 2


def inline(text: str) -> str:
    """`text` made inert for a terminal: a file name or a line from a file may hold
    escape sequences, and stderr is usually a terminal."""
    from essaytui.model.text import sanitize_inline

    return sanitize_inline(text)


def clean(text: str) -> str:
    from essaytui.model.text import sanitize

    return " ".join(sanitize(text).split())


def resolved(path: str) -> str:
    from essaytui.model.identity import resolved_path

    return resolved_path(path)


def open_store(options: argparse.Namespace) -> AnnotationStore:
    from essaytui.store import AnnotationStore, StoreError

    data_dir = Path(options.data_dir) if options.data_dir else None
    try:
        store = AnnotationStore.open(data_dir)
    except StoreError as error:
        raise UsageError(str(error)) from None
    announce(store)
    return store


def announce(store: AnnotationStore) -> None:
    """What the store says about itself on opening, on standard error: a damaged
    database moved aside, a folder or disk that takes no changes (notes shown only)."""
    if store.notice:
        print(f"essaytui: {inline(store.notice)}", file=sys.stderr)
    if store.problem:
        print(f"essaytui: {inline(store.problem)}", file=sys.stderr)


def report_warnings(store: AnnotationStore) -> None:
    """The store's warnings (damaged rows skipped, notes refused), one line each."""
    for warning in store.take_warnings():
        print(f"essaytui: warning: {inline(warning)}", file=sys.stderr)


def last_read_in(store: AnnotationStore) -> Path | None:
    """The essay read last according to `store`, if it still exists.

    Raises:
        StoreError: the store cannot be read.
    """
    for position in store.recent(20):
        if position.essay_path and Path(position.essay_path).is_file():
            return Path(position.essay_path)
    return None


def write_output(text: str, output: str | None) -> None:
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
    print(f"essaytui: wrote {inline(output)}", file=sys.stderr)


def citation_style(store: AnnotationStore | None) -> str:
    """The citation style chosen in the reader (a setting), else the default.

    Raises:
        StoreError: the store cannot be read.
    """
    from essaytui.interchange.styles import DEFAULT_STYLE, STYLE_SETTING, STYLES

    chosen = store.get_setting(STYLE_SETTING) if store is not None else None
    return chosen if chosen in STYLES else DEFAULT_STYLE


def identified_essay(store: AnnotationStore, given: str | None, command: str) -> tuple[Path, Essay]:
    """The essay a command is about (`given`, else the last one read), read and filed
    under the id the reader uses for it (nothing is recorded), with its file.

    Raises:
        UsageError: none given and none read yet, or it cannot be read.
        StoreError: the store cannot be read.
    """
    import dataclasses

    from essaytui.model.files import EssayFileError, load_essay

    path = Path(given) if given else last_read_in(store)
    if path is None:
        raise UsageError(f"{command}: no essay given and none read yet (essaytui {command} PATH)")
    try:
        essay = load_essay(path)
    except EssayFileError as error:
        raise UsageError(str(error)) from None
    return path, dataclasses.replace(essay, id=store.identify(essay, record=False))
