"""`essaytui sync`: notes and positions exchanged through a sync folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from essaytui.cli.common import UsageError, clean, inline, open_store, report_warnings

if TYPE_CHECKING:
    from essaytui.interchange.sync import SyncReport
    from essaytui.store import AnnotationStore


def options(parser: argparse.ArgumentParser) -> None:
    """The options of `essaytui sync`."""
    parser.description = (
        "Exchange notes and reading positions with your other machines through a "
        "folder that a file-sync engine (Syncthing, Dropbox, Nextcloud) or git "
        "carries: one file per note, written only when that note changed. The later "
        "change of a note wins on every machine; a deletion is a change like any "
        "other. In a git work tree the sync commits, pulls (settling conflicts on "
        "notes by the same rule) and pushes; without a remote it only commits. The "
        "first DIR given is remembered (another DIR later is synced with once), and "
        "the reader then syncs by itself when an "
        "essay opens and when it quits. A bare git repository is cloned first (git "
        "clone), and the clone is the sync folder. Exit status 1 when something could "
        "not be sent or fetched (it goes at the next sync)."
    )
    parser.add_argument(
        "folder",
        nargs="?",
        metavar="DIR",
        help="the sync folder (default: the one remembered); made if missing",
    )
    parser.add_argument(
        "--forget",
        action="store_true",
        help="forget the remembered folder (no sync); exit status 0 also when none was",
    )


def run(options: argparse.Namespace) -> int:
    """`essaytui sync [DIR] [--forget]`: exchange notes through the sync folder."""
    from essaytui.interchange.sync import FOLDER_SETTING
    from essaytui.store import StoreError

    with open_store(options) as store:
        try:
            remembered = store.get_setting(FOLDER_SETTING) or ""
            if options.forget:
                if options.folder:
                    raise UsageError("sync: --forget takes no DIR")
                if not remembered:
                    # nothing to do is not a failure (as `export` with no notes)
                    print("essaytui: no sync folder was remembered")
                    return 0
                store.set_setting(FOLDER_SETTING, "")
                print(
                    f"essaytui: forgot the sync folder {inline(remembered)}; the reader no "
                    "longer syncs by itself"
                )
                return 0
            if not options.folder and not remembered:
                raise UsageError(
                    "sync: no sync folder given and none remembered (essaytui sync DIR)"
                )
            if store.read_only or not store.persistent:
                raise UsageError(f"sync: {store.problem or 'notes cannot be saved here'}")
            folder = _sync_folder(options.folder or remembered, given=bool(options.folder))
            if options.folder and not remembered:
                store.set_setting(FOLDER_SETTING, str(folder))
                print(
                    f"essaytui: {inline(str(folder))} is now your sync folder "
                    "(essaytui sync --forget to stop)",
                    file=sys.stderr,
                )
                _say_if_inside_a_work_tree(folder)
            elif options.folder and Path(remembered).absolute() != folder:
                # synced once with another folder: the reader still syncs with the first
                print(
                    f"essaytui: the remembered sync folder is still {inline(remembered)} "
                    "(to change it: essaytui sync --forget, then essaytui sync DIR)",
                    file=sys.stderr,
                )
            status = _sync_now(store, folder)
        except StoreError as error:
            raise UsageError(f"sync: {error}") from None
        report_warnings(store)
    return status


def _sync_folder(name: str, *, given: bool) -> Path:
    """The sync folder, made when given on the command line and missing.

    Raises:
        UsageError: it is not a folder, cannot be made, (remembered) is not there, or
            is git's own folder (a bare repository, a `.git`).
    """
    from essaytui.interchange.sync import git_internals_problem

    folder = Path(name).expanduser().absolute()
    problem = git_internals_problem(folder)
    if problem:
        raise UsageError(f"sync: {problem}")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"sync: {name} is not a folder")
    if not folder.exists():
        if not given:
            raise UsageError(
                f"sync: the sync folder {name} is not there (not mounted?); nothing synced"
            )
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            raise UsageError(f"sync: cannot make {name} ({error.strerror or error})") from None
    return folder


def _say_if_inside_a_work_tree(folder: Path) -> None:
    """A folder inside a git work tree (not its top) is synced as a plain folder: say
    so once, when it is first remembered, since its notes are never committed."""
    from essaytui.interchange.sync_git import Git, GitError, is_git_work_tree

    if is_git_work_tree(folder):
        return
    try:
        top = Git(folder).text("rev-parse", "--show-toplevel")
    except GitError:
        return  # no git here: nothing to say
    if top:
        print(
            f"essaytui: {inline(str(folder))} is inside the git work tree {inline(top)}: "
            "it is synced as a plain folder, and its files are yours to commit (or sync "
            "with a clone of its own)",
            file=sys.stderr,
        )


def _sync_now(store: AnnotationStore, folder: Path) -> int:
    """Sync with `folder` (a git work tree or a plain folder) and say what happened.

    Raises:
        UsageError: the folder or git cannot be used.
        StoreError: the notes cannot be read or saved.
    """
    from essaytui.interchange.sync import SyncError, device_id, device_name, sync_folder
    from essaytui.interchange.sync_git import GitError, is_git_work_tree, sync_git

    problems: list[str] = []
    try:
        device = device_id(store)
        if is_git_work_tree(folder):
            report, outcome = sync_git(store, folder, device=device, name=device_name())
            problems = outcome.problems
            git_line = outcome.summary()
        else:
            report = sync_folder(store, folder, device=device)
            git_line = ""
    except (SyncError, GitError) as error:
        raise UsageError(f"sync: {error}") from None
    print(f"synced with {inline(str(folder))}: {report.summary()}")
    if git_line:
        print(git_line)
    _print_sync_details(report)
    for problem in problems:
        print(f"essaytui: {inline(problem)}", file=sys.stderr)
    return 1 if problems or report.not_written else 0


def _print_sync_details(report: SyncReport) -> None:
    """The lines of a sync report beyond its summary: kept notes, notes only, warnings."""
    if report.kept_after_deletion:
        print(
            f"kept {report.kept_after_deletion} note(s) deleted on another machine: "
            "they were edited here after that"
        )
    if report.restored:
        print(
            f"{report.restored} note(s) deleted here came back: they were edited on "
            "another machine after that"
        )
    if report.conflicts_merged:
        print(f"merged and removed {report.conflicts_merged} conflict copy(ies)")
    for title in report.joined:
        print(
            f"joined the notes of {clean(title)}: another machine knew the same document "
            "under another id"
        )
    for title in report.notes_only:
        print(f"notes only (the essay is not on this machine yet): {clean(title)}")
    for warning in report.warnings:
        print(f"essaytui: warning: {inline(warning)}", file=sys.stderr)
    if report.hidden_warnings:
        print(f"essaytui: and {report.hidden_warnings} more warning(s)", file=sys.stderr)
    if report.not_written:
        print(
            f"essaytui: {report.not_written} file(s) could not be written to the sync "
            f"folder ({inline(report.write_problem)}); nothing is lost, the next sync "
            "tries again",
            file=sys.stderr,
        )
