"""`essaytui [PATH]`: the reader, or the essay as plain text without a terminal."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from essaytui import paths
from essaytui.cli.common import UsageError, announce, inline, last_read_in

if TYPE_CHECKING:
    from essaytui.app import EssayApp
    from essaytui.model.essay import Essay
    from essaytui.model.read_ahead import ReadAhead

#: The PATH that means "read the essay from standard input".
STDIN_PATH = "-"


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
    if piped is not None:
        app = stdin_app(piped, data_dir)
        app.run()
        return app.return_code or 0
    from essaytui.model.files import FIRST_SCREEN_LIMIT
    from essaytui.model.read_ahead import read_ahead

    # read in a second process while this one imports Textual (model.read_ahead)
    ahead = read_ahead(path, FIRST_SCREEN_LIMIT) if path is not None else None
    try:
        app = reader_app(path, data_dir, ahead)
        app.run()
    finally:
        if ahead is not None:
            ahead.stop()
    return app.return_code or 0


def read_standard_input() -> bytes:
    """The essay piped in, at most `model.files.MAX_BYTES` of it.

    Raises:
        UsageError: it is larger than that.
    """
    from essaytui.model.files import MAX_BYTES
    from essaytui.model.regular_file import read_at_most

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

    from essaytui.model.epub.errors import looks_like_epub
    from essaytui.model.files import (
        STDIN_NAME,
        EssayFileError,
        decode_text,
        essay_markdown,
        merge_notices,
    )
    from essaytui.model.parse import parse_essay
    from essaytui.model.text import sanitize_inline

    if looks_like_epub(data[:64]):
        # piped text is parsed again for the rest of a long essay (EssayApp's source),
        # which would lose a book's outline; a book is read, cached and known by its file
        raise UsageError(f"{STDIN_NAME}: is an EPUB book: open it as a file (essaytui BOOK.epub)")
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
    from essaytui.app import EssayApp
    from essaytui.model.files import FIRST_SCREEN_LIMIT

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
        print(f"essaytui: warning: {inline(warning)}", file=sys.stderr)
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        width = DEFAULT_WIDTH
    sys.stdout.write(render_plain(essay, width if width > 0 else DEFAULT_WIDTH))
    return 0


def reader_app(
    path: Path | None, data_dir: Path | None, ahead: ReadAhead | None = None
) -> EssayApp:
    """The reader on `path` (None: the last essay read, else the bundled one), ready to run.

    Reads only the first part of a long essay; the app reads the rest once its first
    screen is up. `ahead`: a process reading `path` into the essay cache meanwhile
    (`model.read_ahead`), waited for before the first part is read here. The benchmark
    starts the reader through here too.

    Raises:
        UsageError: the essay cannot be read.
    """
    import gc

    gc.disable()  # until the first screen is up: see essaytui.app.hold_collection
    from essaytui.app import EssayApp
    from essaytui.model.files import FIRST_SCREEN_LIMIT, EssayFileError, load_essay
    from essaytui.store import AnnotationStore, StoreError

    # Opened once, here, and handed to the app: a damaged database is moved aside by
    # the first open, and a second one would start clean with nothing to tell.
    store = AnnotationStore.open_or_memory(data_dir)
    if path is None:
        try:
            path = last_read_in(store) or paths.default_essay()
        except StoreError:
            path = paths.default_essay()
    if ahead is not None and ahead.path == path:
        ahead.wait_first_part()  # then the cache holds it (or this reads it, and says why not)
    try:
        essay = load_essay(path, limit=FIRST_SCREEN_LIMIT)
    except EssayFileError as error:
        gc.enable()
        store.close()
        raise UsageError(str(error)) from None
    return EssayApp(path, essay=essay, data_dir=data_dir, store=store, ahead=ahead)


def last_read_path(data_dir: Path | None) -> Path | None:
    """The essay read last, if it still exists (what the store has to say on opening
    goes to standard error)."""
    from essaytui.store import AnnotationStore, StoreError

    try:
        with AnnotationStore.open(data_dir) as store:
            announce(store)
            return last_read_in(store)
    except StoreError:
        return None
