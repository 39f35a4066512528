"""The library's commands: `add`, `remove`, `search`, `stats` (and `library`, which
opens the reader on the Library screen)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from essaytui import paths
from essaytui.cli.common import UsageError
from essaytui.cli.reader import keys_from_terminal, reader_app

if TYPE_CHECKING:
    from essaytui.store import AnnotationStore
    from essaytui.store.intake import IntakeReport
    from essaytui.store.library import Library, TextHit

#: Seconds between two progress lines of `add`.
PROGRESS_EVERY = 1.0

#: Terminal attributes that mark a found word (bold reverse), and their end.
MARK_ON, MARK_OFF = "\x1b[1;7m", "\x1b[0m"


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui add`."""
    parser.description = (
        "Add texts to the library without opening them: files, or folders (every "
        "Markdown (.md, .qmd, .Rmd), text, web page and EPUB file inside, recursively). "
        "A file that cannot be read, or the same essay as one already held (the same "
        "text, or a version under the same id), is skipped with its reason, its path as "
        "you gave it. Exit status 0 when every text is in the library afterwards, new or "
        "already there; 1 when nothing was added and nothing was there already. Ctrl+C "
        "stops, keeping what was added."
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")


def remove_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui remove`."""
    parser.description = (
        "Take texts out of the library: files, or folders (every text held under them). "
        "Their notes and place stay. Exit status 1 when a path holds no text of the library."
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")


def search_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui search`."""
    parser.description = (
        "Search every text of the library (footnotes and endnotes too) and your notes: "
        "each hit with its title, section, paragraph (or note) and the words marked. "
        "Every word must occur (a word also finds longer ones); re:PATTERN alone is a "
        "regular expression over the texts (not your notes, and not mixed with words; "
        "one that matches nothing but the empty string is refused). Exit status 1 when "
        "nothing matches, 2 for a search that cannot be made."
    )
    parser.add_argument("words", nargs="+", metavar="WORD")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--notes", action="store_true", help="search only your notes")
    which.add_argument("--texts", action="store_true", help="search only the texts")


def stats_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui stats`."""
    parser.description = (
        "Reading time (active only: two minutes without a key is a pause) per text and "
        "per week, and your words per minute."
    )


def library_options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui library`."""
    parser.description = "Open the reader on the Library screen."


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


@contextmanager
def opened(data_dir: str | None) -> Iterator[tuple[Library, AnnotationStore]]:
    """The library and the notes store of a data directory.

    Raises:
        UsageError: either cannot be opened.
    """
    from essaytui.store import AnnotationStore, StoreError
    from essaytui.store.library import Library, LibraryError

    folder = paths.data_dir(data_dir)
    try:
        store = AnnotationStore.open(folder)
    except StoreError as error:
        raise UsageError(str(error)) from None
    try:
        library = Library.open(folder)
    except LibraryError as error:
        store.close()
        raise UsageError(str(error)) from None
    try:
        yield library, store
    finally:
        library.close()
        store.close()


def _say(text: str) -> None:
    from essaytui.model.text import sanitize_inline

    print(f"essaytui: {sanitize_inline(text)}", file=sys.stderr)


def run_add(options: argparse.Namespace) -> int:
    """`essaytui add PATH…`."""
    from essaytui.store.intake import take_in

    last = [time.monotonic()]

    def progress(report: IntakeReport) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            _say(f"{report.seen} file(s) looked at, {len(report.added)} added…")

    with opened(options.data_dir) as (library, store):
        report = None
        try:
            report = take_in(library, store, [Path(p) for p in options.paths], progress)
            if len(report.added) > 1:
                library.tidy()
        except KeyboardInterrupt:
            _say("stopped: the texts added so far stay in the library")
            return 130
    for skipped in report.skipped:
        reason = skipped.reason
        relative = not Path(skipped.path).is_absolute()
        if skipped.other and reason.endswith(skipped.other) and relative:
            reason = reason[: -len(skipped.other)] + _shown(skipped.other)
        _say(f"skipped {skipped.path}: {reason}")
    summary = f"added {len(report.added)} text(s)"
    if report.already:
        summary += f", {len(report.already)} already in the library"
    if report.skipped:
        summary += f", skipped {len(report.skipped)}"
    _say(summary)
    return 0 if report.added or report.already else 1


def _shown(path: str) -> str:
    """A held path as the reader gave theirs: relative to the current folder when it
    lies under it, else as it is."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except (OSError, ValueError):
        return path


def run_remove(options: argparse.Namespace) -> int:
    """`essaytui remove PATH…`: out of the library (a folder: all it holds); notes stay."""
    from essaytui.model.identity import resolved_path

    status = 0
    with opened(options.data_dir) as (library, store):
        held = [(resolved_path(t.path), t) for t in library.texts()]
        for given in options.paths:
            target = resolved_path(given)
            inside = target.rstrip("/") + "/"
            found = [t for path, t in held if path == target or path.startswith(inside)]
            if not found:
                _say(f"{given}: not in the library")
                status = 1
                continue
            for text in found:
                library.remove(text.essay_id)
                notes = len(store.list_for_essay(text.essay_id))
                kept = f"; its {notes} note(s) stay" if notes else "; its notes, if any, stay"
                _say(f"removed {text.title or text.path} from the library{kept}")
            if len(found) > 1 or Path(given).is_dir():
                _say(f"{given}: removed {len(found)} text(s)")
            held = [(path, t) for path, t in held if t not in found]
    return status


def run_search(options: argparse.Namespace) -> int:
    """`essaytui search WORD…`: texts and notes, exit 1 when nothing matches."""
    from essaytui.model.search import REGEX_PREFIX, SearchError
    from essaytui.model.text import sanitize_inline
    from essaytui.store import StoreError
    from essaytui.store.intake import gather

    query = " ".join(options.words)
    _check_query(options)
    marked = sys.stdout.isatty()
    found = 0
    with opened(options.data_dir) as (library, store):
        if not options.notes:
            gather(library, store)
            try:
                hits = library.search(query)
            except SearchError as error:
                raise UsageError(str(error)) from None
            for hit in hits:
                print(_hit_lines(hit, marked))
            found += len(hits)
        if not options.texts and not query.startswith(REGEX_PREFIX):
            try:
                notes = store.search_notes(query)
            except StoreError as error:
                raise UsageError(str(error)) from None
            for note in notes:
                title = sanitize_inline(note.title or "an essay")
                section = " › ".join(note.annotation.section_trail) or "Opening"
                print(f"{title} — § {sanitize_inline(section)} · your note")
                print(f"  “{sanitize_inline(note.snippet)}”")
                if note.annotation.note.strip():
                    print(f"  ✎ {sanitize_inline(note.annotation.note)[:160]}")
            found += len(notes)
    if not found:
        _say(f"nothing matches “{query}”")
        return 1
    _say(f"{found} hit(s) for “{query}”")
    return 0


def _check_query(options: argparse.Namespace) -> None:
    """Refuse the searches `re:` cannot make, rather than find nothing silently.

    Raises:
        UsageError: a pattern among words, or a pattern for the notes only.
    """
    from essaytui.model.search import REGEX_PREFIX

    words: list[str] = options.words
    if any(word.startswith(REGEX_PREFIX) for word in words[1:]):
        raise UsageError(
            "search: re:PATTERN cannot be combined with words; search for the pattern alone"
        )
    if options.notes and words[0].startswith(REGEX_PREFIX):
        raise UsageError("search: re:PATTERN searches the texts only, not your notes")


def _hit_lines(hit: TextHit, marked: bool) -> str:
    from essaytui.model.text import sanitize_inline

    # Marks are placed on the clean text: nothing from a file reaches the terminal raw.
    snippet, cursor = "", 0
    for start, end in hit.marks:
        if start < cursor:
            continue
        on, off = (MARK_ON, MARK_OFF) if marked else ("", "")
        snippet += sanitize_inline(hit.snippet[cursor:start]) + on
        snippet += sanitize_inline(hit.snippet[start:end]) + off
        cursor = end
    snippet += sanitize_inline(hit.snippet[cursor:])
    section = f" — § {sanitize_inline(hit.section)}" if hit.section else ""
    if hit.note:
        where = f" · note {hit.note}"
    else:
        where = f" · paragraph {hit.paragraph}" if hit.paragraph else " · heading"
    return (
        f"{sanitize_inline(hit.title)}{section}{where}\n  {snippet}\n  {sanitize_inline(hit.path)}"
    )


def run_stats(options: argparse.Namespace) -> int:
    """`essaytui stats`: reading time per text and per week."""
    from essaytui.model.text import sanitize_inline

    with opened(options.data_dir) as (library, _store):
        # Under a second is a text opened and left at once: no reading to list.
        per_text = {k: v for k, v in library.reading_by_text().items() if v.seconds >= 1}
        weeks = [(week, v) for week, v in library.reading_by_week() if v.seconds >= 1]
        total = library.reading()
        titles = {t.essay_id: t.title for t in library.texts()}
    if not per_text:
        print("No reading time recorded yet: it is counted while you read in essaytui.")
        return 0
    print(f"Your pace: {total.words_per_minute:.0f} words a minute")
    print("Per text:")
    for essay_id, totals in sorted(per_text.items(), key=lambda kv: -kv[1].seconds):
        title = sanitize_inline(titles.get(essay_id, essay_id))
        print(f"  {duration(totals.seconds):>8}  {title}")
    print("Per week:")
    for week, totals in weeks:
        print(f"  {week}  {duration(totals.seconds):>8}  {totals.words} words")
    return 0


def duration(seconds: float) -> str:
    """A reading time as a reader says it: "40 s", then as the Library's columns say
    it ("3 min", "1 h 05", "113 h")."""
    from essaytui.sessions.library import duration as in_minutes

    if seconds < 60:
        return f"{int(seconds)} s"
    return in_minutes(round(seconds / 60))
