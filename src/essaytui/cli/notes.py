"""`essaytui notes search` and `essaytui import-notes`: notes across essays."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from essaytui.cli.common import (
    UsageError,
    clean,
    data_dir_option,
    inline,
    open_store,
    report_warnings,
)


def search_options(parser: argparse.ArgumentParser) -> None:
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
    data_dir_option(search, inner=True)


def run_search(options: argparse.Namespace) -> int:
    """`essaytui notes search WORD…`: every live note that holds all the words."""
    from essaytui.store import StoreError

    query = " ".join(options.words)
    with open_store(options) as store:
        try:
            hits = store.search_notes(query)
        except StoreError as error:
            raise UsageError(str(error)) from None
        report_warnings(store)
    if not hits:
        print(f"essaytui: no note matches “{inline(query)}”", file=sys.stderr)
        return 1
    for hit in hits:
        annotation = hit.annotation
        title = hit.title or (Path(hit.path).stem if hit.path else "an essay")
        section = " › ".join(annotation.section_trail) or "Opening"
        details = f"{annotation.kind.value} · {clean(annotation.modified[:10])}"
        if annotation.tags:
            details += " · " + " ".join(f"#{clean(tag)}" for tag in annotation.tags)
        print(f"“{clean(hit.snippet)}”")
        print(f"  {clean(title)} — § {clean(section)} · {details}")
        if annotation.note.strip():
            note = clean(annotation.note)
            print(f"  ✎ {note[:157] + '…' if len(note) > 160 else note}")
        if hit.path:
            print(f"  {inline(hit.path)}")
    print(f"essaytui: {len(hits)} note(s) match “{inline(query)}”", file=sys.stderr)
    return 0


def import_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui import-notes`."""
    parser.description = (
        "Merge annotations exported before, by id: never duplicates, a deletion "
        "marker deletes, the newer copy of a note wins. Reports how many were "
        "added, updated, deleted and unchanged; a note whose id belongs to a note "
        "of another essay is refused."
    )
    parser.add_argument("file", metavar="FILE.json")


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
    with open_store(options) as store:
        try:
            result = store.merge(imported.annotations, essays=imported.essays)
        except StoreError as error:
            raise UsageError(str(error)) from None
        report_warnings(store)
    refused = f", {result.refused} refused" if result.refused else ""
    print(
        f"imported {inline(options.file)}: {result.added} added, {result.updated} updated, "
        f"{result.deleted} deleted, {result.unchanged} unchanged{refused}"
    )
    return 0
