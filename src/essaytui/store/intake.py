"""Taking files into the library: walking folders, reading each file, skipping with a
reason what cannot be read or is already there."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from essaytui.model.files import EssayFileError, load_essay
from essaytui.model.identity import read_print, resolved_path
from essaytui.store.library import Library
from essaytui.store.store import AnnotationStore

#: The file endings essaytui reads, looked for inside folders (a file named on the
#: command line is tried whatever its name).
READ_SUFFIXES = frozenset(
    {".md", ".markdown", ".mdown", ".txt", ".text", ".html", ".htm", ".xhtml"}
    | {".qmd", ".rmd", ".epub"}
)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file not added, and why (one line).

    `path` is the file as the walk from the path given found it; `other` is the text
    already held that it repeats, if that is why (the reason then ends with it).
    """

    path: str
    reason: str
    other: str = ""


@dataclass
class IntakeReport:
    """What `take_in` did."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    seen: int = 0


def files_under(paths: Iterable[Path]) -> Iterator[Path | Skipped]:
    """The files named, and the readable kinds of file inside the folders named
    (recursively, following links, each folder once: a link loop ends)."""
    visited: set[tuple[int, int]] = set()
    for given in paths:
        if given.is_dir():
            yield from _walk(given, visited)
        elif given.exists() or given.is_symlink():
            yield given
        else:
            yield Skipped(str(given), "no such file or folder")


def _walk(folder: Path, visited: set[tuple[int, int]]) -> Iterator[Path | Skipped]:
    try:
        info = folder.stat()
    except OSError as error:
        yield Skipped(str(folder), f"cannot read the folder: {error.strerror or error}")
        return
    if (info.st_dev, info.st_ino) in visited:
        return
    visited.add((info.st_dev, info.st_ino))
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        yield Skipped(str(folder), f"cannot read the folder: {error.strerror or error}")
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.name.startswith("."):
                yield from _walk(path, visited)
        elif path.suffix.lower() in READ_SUFFIXES and not entry.name.startswith("."):
            yield path


def take_in(
    library: Library,
    store: AnnotationStore,
    paths: Iterable[Path],
    progress: Callable[[IntakeReport], None] | None = None,
) -> IntakeReport:
    """Add the files under `paths` to the library without opening them in the reader.

    A file that cannot be read as an essay, or the same document as a text already held
    at another path (the store's identity rules), is skipped with its reason. Each file
    is committed as it is added, so an interruption keeps what was added before it.
    """
    report = IntakeReport()
    for found in files_under(paths):
        report.seen += 1
        if isinstance(found, Skipped):
            report.skipped.append(found)
        else:
            _take_one(library, store, found, report)
        if progress is not None:
            progress(report)
    return report


def _take_one(library: Library, store: AnnotationStore, path: Path, report: IntakeReport) -> None:
    try:
        essay = load_essay(path)
    except EssayFileError as error:
        report.skipped.append(Skipped(str(path), _reason(str(error), str(path))))
        return
    except (RecursionError, ValueError) as error:
        report.skipped.append(Skipped(str(path), f"cannot be read as an essay ({error})"))
        return
    where = essay.source_path or str(path)
    essay_id = store.identify(essay, record=True)
    held = library.text(essay_id)
    # A text whose file is gone is not a duplicate: this is where it went.
    elsewhere = held is not None and resolved_path(held.path) != resolved_path(where)
    if held is not None and elsewhere and not held.removed and Path(held.path).is_file():
        report.skipped.append(Skipped(str(path), _why_same(where, held.path, essay_id), held.path))
        return
    library.forget_others_at(Path(where), essay_id)
    if library.put(essay_id, essay, Path(where)):
        report.added.append(where)
    else:
        report.already.append(where)


def _why_same(path: str, held: str, essay_id: str) -> str:
    """Why a file is not added beside the text `held` of the same essay, truthfully: the
    same bytes, or another file that the identity rules file under the same essay (its
    front-matter id; a close copy whose original moved)."""
    mine, theirs = read_print(path), read_print(held)
    if mine is not None and theirs is not None and mine.digest == theirs.digest:
        return f"the same text as {held}"
    return f"a version of {held}, filed under the same essay ({essay_id}): its notes are shared"


def _reason(message: str, path: str) -> str:
    """The loader's message without the file name it starts with (printed beside it)."""
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def gather(library: Library, store: AnnotationStore) -> IntakeReport:
    """Bring into the library what belongs there without being added: the bundled essays
    and every text read before (a text taken out with `remove` stays out); index again
    a text whose file changed (size or mtime), and follow one whose file moved to a
    path it was read from since."""
    from essaytui import paths

    report = IntakeReport()
    held = {resolved_path(text.path) for text in library.texts()}
    for bundled in paths.bundled_essays():
        if resolved_path(bundled) not in held:
            _take_one(library, store, bundled, report)
    for position in store.recent(1000):
        where = position.essay_path
        if where and not library.known(position.essay_id) and Path(where).is_file():
            _take_one(library, store, Path(where), report)
    for text in library.texts():
        if library.stale(text):
            _take_one(library, store, Path(text.path), report)
        elif text.missing:
            for other in store.essay_paths(text.essay_id):
                if other != text.path and Path(other).is_file():
                    library.move(text.essay_id, Path(other))
                    report.already.append(other)
                    break
    return report
