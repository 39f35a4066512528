"""`essaytui convert`: a copied blog post, a saved web page or a book as an essay file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from essaytui.cli.common import UsageError, inline, write_output


def options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui convert`."""
    parser.description = (
        "Turn a blog post copied as plain text (title, author, paragraphs with [n] "
        "markers, a numbered notes list) or a saved web page (.html, or any file "
        "that starts as one: its article, title, author, date and address, and its "
        "footnotes as [^n]) or an EPUB book (its chapters in reading order, its endnotes "
        "as [^n], its metadata as front matter) into an essay file. Web-page leftovers "
        "are removed (those of a text are listed on standard error). A file not in "
        "UTF-8 is read in the encoding it declares or that is detected, with a warning "
        "naming it. Control characters are shown as symbols unless -o OUT.md is given."
    )
    parser.add_argument("file", metavar="FILE.txt|FILE.html|FILE.epub")
    parser.add_argument(
        "-o", "--output", metavar="OUT.md", help="write here instead of standard output"
    )


def run(options: argparse.Namespace) -> int:
    """`essaytui convert FILE [-o OUT.md]`: a copied blog post or a saved web page."""
    from essaytui.model.files import (
        EssayFileError,
        convert_book_file,
        convert_file,
        is_book_file,
        read_text_file,
    )

    path = Path(options.file)
    try:
        if is_book_file(path):
            warnings: list[str] = []
            conversion = convert_book_file(path)
        else:
            text, warnings = read_text_file(path)
            conversion = convert_file(text, str(path), path.suffix)
    except EssayFileError as error:
        raise UsageError(str(error)) from None
    # Written before the report: an unusable -o is then one line, not a list then an error.
    write_output(conversion.markdown, options.output)
    for warning in [*warnings, *conversion.warnings]:
        print(f"essaytui: warning: {inline(warning)}", file=sys.stderr)
    if conversion.removed:
        print(
            f"essaytui: removed {len(conversion.removed)} web-page leftover line(s):",
            file=sys.stderr,
        )
        for line in conversion.removed:
            print(f"  - {inline(line)}", file=sys.stderr)
    return 0
