"""`essaytui list`: recently read essays, other essays with notes, the bundled ones."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from essaytui import paths
from essaytui.cli.common import announce, clean, inline, report_warnings, resolved

if TYPE_CHECKING:
    from essaytui.model.essay import Essay
    from essaytui.store import EssaySummary, Position


def options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui list`."""
    parser.description = (
        "The essays recently read, most recent first, each once with its path; then "
        "other essays with notes, and the bundled essays."
    )


def run(options: argparse.Namespace) -> int:
    """`essaytui list`: recently read essays (most recent first), then the bundled ones."""
    from essaytui.store import AnnotationStore, StoreError

    data_dir = Path(options.data_dir) if options.data_dir else None
    recent: list[Position] = []
    others: list[EssaySummary] = []
    notes_only: set[str] = set()
    recorded: dict[str, list[str]] = {}
    try:
        with AnnotationStore.open(data_dir) as store:
            announce(store)
            recent = store.recent(200)
            others = store.essays_with_notes(exclude={p.essay_id for p in recent})
            # notes that came from another machine, for an essay never opened here
            recorded = {o.essay_id: store.essay_paths(o.essay_id) for o in others}
            notes_only = {essay_id for essay_id, known in recorded.items() if not known}
            report_warnings(store)
    except StoreError as error:
        print(f"essaytui: {inline(str(error))}", file=sys.stderr)
    bundled = _bundled_essays()
    by_id = {essay.id: str(path) for path, essay in bundled}
    by_path = {resolved(str(path)): str(path) for path, _ in bundled}
    bundled_notes: dict[str, int] = {}
    shown = _print_recent(recent)
    # a bundled essay with notes is listed once, under Bundled, with its notes counted
    listed = []
    for other in others:
        home = by_id.get(other.essay_id) or by_path.get(resolved(other.path) if other.path else "")
        if home is None:
            listed.append(other)
        else:
            bundled_notes[home] = bundled_notes.get(home, 0) + other.notes
    if listed:
        print("Other essays with notes:")
    for other in listed:
        where = _where_now(other.path, recorded.get(other.essay_id, []))
        title = other.title or (Path(where).stem if where else "Untitled")
        missing = "" if where and Path(where).is_file() else "  (file missing)"
        if other.essay_id in notes_only:
            missing += "  (notes only: the essay was never opened on this machine)"
        print(
            f"  {clean(title)}  {other.notes} note(s)\n"
            f"    {inline(where or '(unknown file)')}{missing}"
        )
    print("Bundled:")
    for path, essay in bundled:
        read = "  (read)" if resolved(str(path)) in shown else ""
        notes = bundled_notes.get(str(path), 0)
        counted = f"  {notes} note(s)" if notes else ""
        print(
            f"  {clean(essay.title)} — {clean(essay.author or 'unknown author')}{read}"
            f"{counted}\n    {path}"
        )
    return 0


def _print_recent(recent: list[Position]) -> set[str]:
    """Print the recently read essays; the files they were read from."""
    from essaytui.model.essay import progress_percent

    shown: set[str] = set()
    if recent:
        print("Recently read:")
    for position in recent:
        where = position.essay_path or "(read from standard input)"
        missing = "" if Path(where).is_file() else "  (file missing)"
        author = position.author or "unknown author"
        percent = progress_percent(position.progress)
        when = position.updated[:16].replace("T", " ")
        print(
            f"  {clean(position.title)} — {clean(author)}  {percent}%  "
            f"last read {clean(when)} UTC\n    {inline(where)}{missing}"
        )
        shown.add(resolved(where) if position.essay_path else "")
    return shown


def _where_now(noted_at: str, recorded: list[str]) -> str:
    """The essay's file: where its latest note was made while a file is there, else the
    first of the paths this machine read it from that holds one (a note from another
    machine, or made before the file was renamed, names a path that is not here)."""
    if noted_at and Path(noted_at).is_file():
        return noted_at
    return next((path for path in recorded if Path(path).is_file()), noted_at)


def _bundled_essays() -> list[tuple[Path, Essay]]:
    """The bundled essays that can be read, with their files."""
    from essaytui.model.files import EssayFileError, load_essay

    found = []
    for path in paths.bundled_essays():
        try:
            found.append((path, load_essay(path)))
        except EssayFileError:
            continue
    return found
