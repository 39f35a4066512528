"""`essaytui export`: an essay's notes as Markdown, W3C JSON, or Anki cards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from essaytui.cli.common import (
    UsageError,
    citation_style,
    identified_essay,
    inline,
    open_store,
    report_warnings,
    write_output,
)

if TYPE_CHECKING:
    from essaytui.interchange.anki import Card
    from essaytui.model.annotation import Annotation
    from essaytui.model.essay import Essay
    from essaytui.store import AnnotationStore, EssaySummary

#: Where `export --all` writes without -o.
EXPORT_FOLDER = "essaytui-notes"


def options(parser: argparse.ArgumentParser) -> None:
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


def run(options: argparse.Namespace) -> int:
    """`essaytui export [PATH] [--format markdown|json] [--include-deleted] [-o FILE]`."""

    from essaytui.store import StoreError

    if options.include_deleted and options.format != "json":
        raise UsageError("export: --include-deleted goes with --format json")
    if options.format in ("anki", "tsv"):
        return run_export_cards(options)
    if options.all:
        return run_export_all(options)
    # The store is opened first: when the data folder is unusable, that is the
    # reason to give, not "none read yet".
    with open_store(options) as store:
        try:
            path, essay = identified_essay(store, options.path, "export")
            everything = store.list_for_essay(essay.id, include_deleted=options.include_deleted)
            style = citation_style(store)
        except StoreError as error:
            raise UsageError(str(error)) from None
        report_warnings(store)
    live = [a for a in everything if not a.is_deleted]
    text = _export_text(essay, everything, path, options, style)
    write_output(text, options.output)
    markers = len(everything) - len(live)
    also = f" and {markers} deletion marker(s)" if options.include_deleted else ""
    print(
        f"essaytui: exported {len(live)} annotation(s){also} of “{inline(essay.title)}”",
        file=sys.stderr,
    )
    return 0


def _export_text(
    essay: Essay,
    annotations: list[Annotation],
    path: Path | None,
    options: argparse.Namespace,
    style: str,
) -> str:
    """The export of one essay's `annotations` in `options.format` (json or markdown):
    JSON keeps deletion markers when asked and the essay file's print."""
    import json

    from essaytui.interchange.markdown import to_markdown
    from essaytui.interchange.w3c import to_web_annotation
    from essaytui.model.identity import read_print

    if options.format == "json":
        document = to_web_annotation(
            essay,
            annotations,
            include_deleted=options.include_deleted,
            fingerprint=read_print(path) if path is not None else None,
        )
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return to_markdown(essay, [a for a in annotations if not a.is_deleted], style=style)


def run_export_all(options: argparse.Namespace) -> int:
    """`essaytui export --all [-o DIR] [--format markdown|json]`: one file per essay."""
    from essaytui.store import StoreError

    if options.path:
        raise UsageError("export: --all exports every essay; give no PATH with it")
    folder = Path(options.output or EXPORT_FOLDER)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"export: {options.output}: is not a folder")
    written: list[Path] = []
    with open_store(options) as store:
        try:
            style = citation_style(store)
            for summary in store.essays_with_notes():
                written.append(_export_one(store, summary, folder, options, style))
        except StoreError as error:
            raise UsageError(str(error)) from None
        report_warnings(store)
    if not written:
        print("essaytui: no essay has notes yet: nothing exported", file=sys.stderr)
        return 0
    for target in written:
        print(inline(str(target)))
    print(
        f"essaytui: exported the notes of {len(written)} essay(s) to {inline(str(folder))}",
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
    from essaytui.interchange.markdown import file_name

    everything = store.list_for_essay(summary.essay_id, include_deleted=options.include_deleted)
    path, essay = _essay_of(store, summary)
    text = _export_text(essay, everything, path, options, style)
    suffix = "json" if options.format == "json" else "md"
    target = folder / f"{file_name(essay)}.{suffix}"
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
            f"essaytui: warning: the file of “{inline(summary.title)}” is not "
            "found: its notes are exported without the essay's text",
            file=sys.stderr,
        )
        title = summary.title or (Path(summary.path).stem if summary.path else "")
        essay = dataclasses.replace(EMPTY_ESSAY, title=title or "Untitled")
    return path, dataclasses.replace(essay, id=summary.essay_id)


def run_export_cards(options: argparse.Namespace) -> int:
    """`essaytui export [PATH | --all] --format anki|tsv [-o FILE]`: flash cards."""
    from essaytui.interchange.anki import cards_of, deck_name, to_tsv, write_apkg
    from essaytui.interchange.markdown import file_name
    from essaytui.store import StoreError

    if options.all and options.path:
        raise UsageError("export: --all exports every essay; give no PATH with it")
    decks: list[tuple[str, list[Card]]] = []
    names: list[str] = []
    with open_store(options) as store:
        try:
            style = citation_style(store)
            for essay, annotations in _essays_for_cards(store, options):
                cards = cards_of(essay, annotations, _citation_text(essay, style))
                decks.append((deck_name(essay), cards))
                names.append(file_name(essay))
        except StoreError as error:
            raise UsageError(str(error)) from None
        report_warnings(store)
    count = sum(len(cards) for _, cards in decks)
    if options.format == "tsv":
        deck = decks[0][0] if len(decks) == 1 else "essaytui"
        text = to_tsv([c for _, cards in decks for c in cards], deck)
        if options.output:
            write_output(text, options.output)
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
        print(f"essaytui: wrote {inline(str(target))}", file=sys.stderr)
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

    if options.all:
        found = []
        for summary in store.essays_with_notes():
            _, essay = _essay_of(store, summary)
            found.append((essay, store.list_for_essay(summary.essay_id)))
        return found
    _, essay = identified_essay(store, options.path, "export")
    return [(essay, store.list_for_essay(essay.id))]


def _citation_text(essay: Essay, style: str) -> str:
    """The essay's reference in the chosen style (its title and author if that fails)."""
    from essaytui.interchange.citation import CitationError, bibliography_entry, essay_reference

    try:
        return bibliography_entry(essay_reference(essay), style)
    except CitationError:
        return ", ".join(part for part in (essay.author, essay.title) if part)
