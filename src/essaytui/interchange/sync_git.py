"""A git work tree as the sync folder: commit what changed, pull, push.

The user's own `git` does the work (its remotes, credentials and configuration). A sync
is: the folder sync (`sync_folder`), a commit of the notes' folders, a fetch and merge
of the upstream branch, the folder sync again (to take in what came), a commit, a push.

A merge conflict on a file of the notes is settled by the folder's merge rule: for an
annotation, the side `version_key` puts first; for an essay, the side that parses (its
paths joined with the other's); for a reading position, the later one. A conflict on
any other file stops the merge (`git merge --abort`): that file is the user's to settle.
Without a remote the sync only commits; when fetching or pushing fails (no network, the
remote gone) the notes stay committed here and the next sync completes the exchange.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from essaytui.interchange.sync import (
    ANNOTATIONS_DIR,
    ESSAYS_DIR,
    POSITIONS_DIR,
    BadFile,
    SyncReport,
    dumps,
    json_object,
    parse_annotation_file,
    sync_folder,
    version_key,
)
from essaytui.model.annotation import time_key
from essaytui.model.text import sanitize_inline
from essaytui.store.store import AnnotationStore

#: The folders of the notes: what a sync adds and commits, nothing else.
NOTE_FOLDERS = (ESSAYS_DIR, ANNOTATIONS_DIR, POSITIONS_DIR)
#: Longest wait for one git command (a fetch over a slow network).
GIT_TIMEOUT = 120.0
#: Name and address of commits where the user has not configured git's.
FALLBACK_NAME = "essaytui"
FALLBACK_EMAIL = "essaytui@localhost"


class GitError(Exception):
    """A git command failed; `str()` is its first line of explanation."""


@dataclass(slots=True)
class GitOutcome:
    """What the git part of a sync did."""

    committed: int = 0
    merged: bool = False
    pushed: bool = False
    #: commits the push sent (0 with `pushed`: the remote had them all already)
    sent: int = 0
    remote: str = ""
    conflicts_settled: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: "git: 2 commits made, pulled from origin/main, pushed 3 commits"."""
        parts = [f"{_commits(self.committed)} made" if self.committed else "nothing to commit"]
        if self.remote:
            parts.append(f"pulled from {self.remote}" if self.merged else "nothing to pull")
            if self.pushed:
                parts.append(f"pushed {_commits(self.sent)}" if self.sent else "nothing to send")
        else:
            parts.append("no remote to pull from or push to")
        if self.conflicts_settled:
            parts.append(f"{self.conflicts_settled} conflict(s) settled by the merge rule")
        return "git: " + ", ".join(parts)


def _commits(count: int) -> str:
    return f"{count} commit" if count == 1 else f"{count} commits"


def is_git_work_tree(folder: Path) -> bool:
    """True if `folder` is the top of a git work tree (it has its own `.git`)."""
    return (folder / ".git").exists()


def _environment(folder: Path) -> dict[str, str]:
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    environment.pop("GIT_DIR", None)
    environment.pop("GIT_WORK_TREE", None)
    if not _config(folder, "user.email") or not _config(folder, "user.name"):
        for role in ("AUTHOR", "COMMITTER"):
            environment.setdefault(f"GIT_{role}_NAME", FALLBACK_NAME)
            environment.setdefault(f"GIT_{role}_EMAIL", FALLBACK_EMAIL)
    return environment


def _config(folder: Path, key: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "config", "--get", key],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


class Git:
    """The `git` command run in one work tree."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.environment = _environment(folder)

    def run(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        """Run `git ARGUMENTS` here.

        Raises:
            GitError: git is missing, timed out, or (with `check`) failed.
        """
        try:
            done = subprocess.run(
                ["git", "-C", str(self.folder), *arguments],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                env=self.environment,
                timeout=GIT_TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("the git command is not installed") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {arguments[0]} took longer than {GIT_TIMEOUT:.0f} s") from None
        if check and done.returncode != 0:
            raise GitError(_first_line(done.stderr or done.stdout) or f"git {arguments[0]} failed")
        return done

    def text(self, *arguments: str) -> str | None:
        """The output of a git command, stripped; None if it failed."""
        done = self.run(*arguments, check=False)
        return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def _first_line(output: bytes) -> str:
    for line in output.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and not line.startswith("hint:"):
            return sanitize_inline(line.removeprefix("fatal: ").removeprefix("error: "))
    return ""


def commit(git: Git, message: str) -> bool:
    """Commit the notes' folders if anything in them changed; True if it did."""
    tracked = {
        Path(line).parts[0]
        for line in (git.text("ls-files", "--", *NOTE_FOLDERS) or "").splitlines()
    }
    folders = [n for n in NOTE_FOLDERS if n in tracked or (git.folder / n).exists()]
    if not folders:
        return False
    # a temporary file left by a sync that was killed mid-write is not a note
    git.run("add", "-A", "--", *folders, ":(exclude,glob)**/.*.tmp")
    if git.run("diff", "--cached", "--quiet", "--", *folders, check=False).returncode == 0:
        return False
    git.run("commit", "-q", "--no-verify", "-m", message, "--", *folders)
    return True


def _upstream(git: Git) -> tuple[str, str, str] | None:
    """`(remote, branch there, its tracking ref)` to pull from and push to, or None."""
    tracking = git.text("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}")
    if tracking and "/" in tracking:
        remote, branch = tracking.split("/", 1)
        return remote, branch, f"refs/remotes/{tracking}"
    remotes = (git.text("remote") or "").split()
    if not remotes:
        return None
    remote = "origin" if "origin" in remotes else remotes[0]
    branch = git.text("symbolic-ref", "--short", "HEAD") or "main"
    return remote, branch, f"refs/remotes/{remote}/{branch}"


def _side(git: Git, stage: int, path: str) -> bytes | None:
    """A conflicted file as one side of the merge has it (2: ours, 3: theirs)."""
    done = git.run("show", f":{stage}:{path}", check=False)
    return done.stdout if done.returncode == 0 else None


def _annotation_side(path: str, data: bytes) -> tuple[object, ...] | None:
    parts = Path(path).parts
    try:
        copy = parse_annotation_file(Path(path), parts[1], Path(path).stem, data)
    except BadFile:
        return None
    assert copy.version is not None
    return version_key(copy.version)


def settle(path: str, ours: bytes | None, theirs: bytes | None) -> bytes | None:
    """The content a conflicted file of the notes gets (None: it is removed)."""
    if ours is None or theirs is None:
        return ours if theirs is None else theirs
    folder = Path(path).parts[0]
    if folder == ANNOTATIONS_DIR:
        first, second = _annotation_side(path, ours), _annotation_side(path, theirs)
        if first is None or second is None:
            return ours if second is None else theirs
        return ours if first >= second else theirs
    try:
        mine, other = json_object(ours), json_object(theirs)
    except BadFile:
        return ours
    if folder == ESSAYS_DIR:
        paths = [p for side in (mine, other) for p in _listed(side.get("paths"))]
        return dumps({**other, **mine, "paths": sorted(set(paths))})
    later = time_key(str(other.get("updated", ""))) > time_key(str(mine.get("updated", "")))
    return theirs if later else ours


def _listed(value: object) -> list[str]:
    return [p for p in value if isinstance(p, str)] if isinstance(value, list) else []


def merge_upstream(git: Git, tracking: str, outcome: GitOutcome) -> None:
    """Merge the fetched branch, settling conflicts on the notes by the merge rule.

    Raises:
        GitError: the merge failed for another reason, or a file outside the notes
            conflicts (the merge is then undone).
    """
    if git.text("rev-parse", "--verify", "-q", tracking) is None:
        return  # the remote has no such branch yet: the push creates it
    before = git.text("rev-parse", "-q", "--verify", "HEAD")
    done = git.run(
        "merge", "--no-edit", "--no-verify", "--allow-unrelated-histories", tracking, check=False
    )
    if done.returncode != 0:
        conflicted = (git.text("diff", "--name-only", "--diff-filter=U") or "").splitlines()
        if not conflicted:
            raise GitError(_first_line(done.stderr or done.stdout) or "git merge failed")
        outside = [p for p in conflicted if Path(p).parts[0] not in NOTE_FOLDERS]
        if outside:
            git.run("merge", "--abort", check=False)
            raise GitError(f"{outside[0]} conflicts and is not a note: settle it with git")
        for path in conflicted:
            content = settle(path, _side(git, 2, path), _side(git, 3, path))
            target = git.folder / path
            if content is None:
                git.run("rm", "-q", "--cached", "--", path, check=False)
                target.unlink(missing_ok=True)
                continue
            target.write_bytes(content)
            git.run("add", "--", path)
        git.run("commit", "-q", "--no-edit", "--no-verify")
        outcome.conflicts_settled += len(conflicted)
    outcome.merged = git.text("rev-parse", "-q", "--verify", "HEAD") != before


def sync_git(
    store: AnnotationStore, folder: Path, *, device: str, name: str
) -> tuple[SyncReport, GitOutcome]:
    """Sync with a git work tree: folder sync, commit, pull, folder sync, commit, push.

    A failing fetch, merge or push is one line in `GitOutcome.problems`: what was
    committed stays, and the next sync goes on from there.

    Raises:
        SyncError, StoreError: as `sync_folder`.
        GitError: git is missing or the work tree cannot be committed to.
    """
    git = Git(folder)
    report = sync_folder(store, folder, device=device)
    outcome = GitOutcome()
    message = f"essaytui: notes from {name}"
    outcome.committed += commit(git, message)
    upstream = _upstream(git)
    if upstream is None:
        return report, outcome
    remote, branch, tracking = upstream
    outcome.remote = f"{remote}/{branch}"
    try:
        git.run("fetch", "-q", remote)
        merge_upstream(git, tracking, outcome)
    except GitError as error:
        outcome.problems.append(
            f"could not pull from {outcome.remote} ({error}); your notes are committed "
            "here and go out at the next sync"
        )
        return report, outcome
    if outcome.merged:
        _add(report, sync_folder(store, folder, device=device))
        outcome.committed += commit(git, message)
    try:
        outcome.sent = _ahead(git, tracking)
        if outcome.sent:
            git.run("push", "-q", remote, f"HEAD:refs/heads/{branch}")
        outcome.pushed = True
        if git.text("rev-parse", "--abbrev-ref", "@{u}") is None:
            git.run("branch", "-q", f"--set-upstream-to={remote}/{branch}", check=False)
    except GitError as error:
        outcome.problems.append(
            f"could not push to {outcome.remote} ({error}); the next sync tries again"
        )
    return report, outcome


def _ahead(git: Git, tracking: str) -> int:
    """Commits here that the remote branch (as just fetched) does not have."""
    known = git.text("rev-parse", "--verify", "-q", tracking) is not None
    count = git.text("rev-list", "--count", f"{tracking}..HEAD" if known else "HEAD")
    return int(count) if count and count.isdigit() else 0


def _add(total: SyncReport, more: SyncReport) -> None:
    """Count a second folder sync into the first's report."""
    total.added += more.added
    total.updated += more.updated
    total.deleted += more.deleted
    total.sent += more.sent
    total.refused += more.refused
    total.conflicts_merged += more.conflicts_merged
    total.kept_after_deletion += more.kept_after_deletion
    total.restored += more.restored
    total.not_written += more.not_written
    total.write_problem = total.write_problem or more.write_problem
    total.notes_only += [t for t in more.notes_only if t not in total.notes_only]
    total.joined += [t for t in more.joined if t not in total.joined]
    total.rekeyed.update(more.rekeyed)
    for warning in more.warnings:
        if warning not in total.warnings:
            total.warn(warning)
