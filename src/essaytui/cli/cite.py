"""`essaytui cite`: the essay's reference, as text or for reference managers."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from essaytui import paths
from essaytui.cli.common import (
    UsageError,
    announce,
    citation_style,
    inline,
    last_read_in,
    write_output,
)


def options(parser: argparse.ArgumentParser) -> None:
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


def run(options: argparse.Namespace) -> int:
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
            announce(store)
            if style is None:
                style = citation_style(store)
            if path is None:
                path = last_read_in(store)
    except StoreError as error:
        print(f"essaytui: {inline(str(error))}", file=sys.stderr)
        style = style or citation_style(None)
    try:
        essay = load_essay(path or paths.default_essay())
    except EssayFileError as error:
        raise UsageError(str(error)) from None
    reference = essay_reference(essay)
    for problem in reference.problems:
        print(f"essaytui: warning: {inline(problem)}", file=sys.stderr)
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
    write_output(text, None)
    return 0
