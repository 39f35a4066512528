"""`essaytui sync`: real data folders, a real sync folder, the CLI run as a subprocess;
and a git work tree as the folder: a bare repository on disk with two clones."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from essaytui_run import essaytui

from essaytui.interchange.sync import annotation_path
from essaytui.model.annotation import Annotation, Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore

DATA = Path(__file__).parents[1] / "data"


def add_notes(data: Path, *quotes: str, note: str = "") -> list[Annotation]:
    essay = load_essay(DATA / "tiny.md")
    made: list[Annotation] = []
    with AnnotationStore.open(data) as store:
        essay = replace(essay, id=store.identify(essay))
        store.touch(essay.id, str(DATA / "tiny.md"), essay.title, essay.author)
        for quote in quotes:
            start = essay.reading_text.index(quote)
            made.append(
                store.add(make_annotation(essay, start, start + len(quote), Kind.NOTE, note=note))
            )
    return made


def notes_of(data: Path) -> dict[str, Annotation]:
    with AnnotationStore.open(data) as store:
        return {a.id: a for a in store.all_annotations(include_deleted=True)}


def test_sync_without_a_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = essaytui("sync", data=tmp_path / "a")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "essaytui: sync: no sync folder given and none remembered (essaytui sync DIR)"
    ]


def test_two_machines_through_the_cli_remember_the_folder_and_list_notes_only(
    tmp_path: Path,
) -> None:
    laptop, desk, folder = tmp_path / "laptop", tmp_path / "desk", tmp_path / "Sync"
    add_notes(laptop, "comprehensive", "official", "friends", note="mine")
    sent = essaytui("sync", folder, data=laptop)
    assert sent.returncode == 0, sent.stderr
    assert "3 notes sent" in sent.stdout and "is now your sync folder" in sent.stderr
    came = essaytui("sync", folder, data=desk)
    assert came.returncode == 0, came.stderr
    assert "3 notes from another machine (3 new)" in came.stdout
    assert "notes only (the essay is not on this machine yet): A tiny essay on partners" in (
        came.stdout
    )
    assert notes_of(desk) == notes_of(laptop)
    again = essaytui("sync", data=desk)  # the folder is remembered
    assert again.returncode == 0 and "nothing new" in again.stdout
    assert essaytui("sync", f"{folder}/", data=desk).stderr == ""  # the same folder
    other = essaytui("sync", tmp_path / "Other", data=desk)  # once, not remembered
    assert other.returncode == 0 and other.stderr.splitlines() == [
        f"essaytui: the remembered sync folder is still {folder} "
        "(to change it: essaytui sync --forget, then essaytui sync DIR)"
    ]
    listed = essaytui("list", data=desk)
    assert "A tiny essay on partners  3 note(s)" in listed.stdout
    assert "(notes only: the essay was never opened on this machine)" in listed.stdout
    forgot = essaytui("sync", "--forget", data=desk)
    assert forgot.returncode == 0 and "forgot the sync folder" in forgot.stdout
    assert essaytui("sync", data=desk).returncode == 2
    again = essaytui("sync", "--forget", data=desk)  # nothing to do: said, not failed
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "essaytui: no sync folder was remembered"


def test_a_remembered_folder_that_is_gone_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "usb" / "Sync"
    assert essaytui("sync", folder, data=tmp_path / "a").returncode == 0
    folder.rmdir()
    done = essaytui("sync", data=tmp_path / "a")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "is not there" in done.stderr
    file = tmp_path / "file"
    file.write_text("x")
    assert essaytui("sync", file, data=tmp_path / "b").returncode == 2


# -- git ------------------------------------------------------------------------------


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """No user configuration: the sync must work where git knows no name either."""
    home = tmp_path / "home"
    home.mkdir()
    for key, value in {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }.items():
        monkeypatch.setenv(key, value)
    return dict(os.environ)


def git(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        ["git", *map(str, args)], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_bare_repository_with_two_clones_carries_notes_and_settles_conflicts(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    bare = tmp_path / "notes.git"
    git("init", "-q", "--bare", bare)
    one, two = tmp_path / "one", tmp_path / "two"
    git("clone", "-q", bare, one)
    git("clone", "-q", bare, two)  # both cloned while it was empty
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    first, second = add_notes(laptop, "comprehensive", "official", note="laptop")
    done = essaytui("sync", one, data=laptop)
    assert done.returncode == 0, done.stderr
    assert "git: 1 commit made, nothing to pull, pushed 1 commit" in done.stdout
    done = essaytui("sync", two, data=desk)
    assert done.returncode == 0, done.stderr
    assert "2 notes from another machine" in done.stdout
    again = essaytui("sync", data=laptop)  # nothing changed anywhere: nothing pushed
    assert "git: nothing to commit, nothing to pull, nothing to send" in again.stdout
    # the same note edited on both machines: the files conflict in git
    with AnnotationStore.open(laptop) as store:
        store.update(replace(first, note="laptop edit"))
    with AnnotationStore.open(desk) as store:
        store.update(replace(first, note="desk edit, later"))
        store.delete(second.id)
    assert essaytui("sync", data=laptop).returncode == 0
    done = essaytui("sync", data=desk)
    assert done.returncode == 0, done.stderr
    assert "conflict(s) settled by the merge rule" in done.stdout
    assert essaytui("sync", data=laptop).returncode == 0
    assert notes_of(laptop) == notes_of(desk)
    assert notes_of(laptop)[first.id].note == "desk edit, later"
    assert notes_of(laptop)[second.id].is_deleted
    assert git("status", "--porcelain", cwd=one) == "" == git("status", "--porcelain", cwd=two)
    assert "<<<<<<<" not in annotation_path(one, first).read_text()


def test_a_remote_that_is_gone_loses_nothing_and_the_next_sync_completes_it(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    bare = tmp_path / "notes.git"
    git("init", "-q", "--bare", bare)
    one = tmp_path / "one"
    git("clone", "-q", bare, one)
    laptop = tmp_path / "laptop"
    add_notes(laptop, "comprehensive", note="first")
    assert essaytui("sync", one, data=laptop).returncode == 0
    bare.rename(tmp_path / "away.git")
    (made,) = add_notes(laptop, "official", note="while offline")
    done = essaytui("sync", data=laptop)
    assert done.returncode == 1
    problems = done.stderr.strip().splitlines()
    assert len(problems) == 1 and "could not pull" in problems[0]
    assert "while offline" in git("show", "HEAD", cwd=one)  # committed here
    (tmp_path / "away.git").rename(bare)
    done = essaytui("sync", data=laptop)
    assert done.returncode == 0 and "pushed" in done.stdout, done.stderr
    other = tmp_path / "other"
    git("clone", "-q", bare, other)
    assert annotation_path(other, made).is_file()


def test_a_work_tree_without_a_remote_only_commits(tmp_path: Path, git_env: dict[str, str]) -> None:
    repository = tmp_path / "notes"
    git("init", "-q", repository)
    (repository / "README").write_text("mine, not essaytui's\n")
    laptop = tmp_path / "laptop"
    add_notes(laptop, "comprehensive")
    done = essaytui("sync", repository, data=laptop)
    assert done.returncode == 0, done.stderr
    assert "git: 1 commit made, no remote to pull from or push to" in done.stdout
    assert git("log", "--oneline", cwd=repository).count("\n") == 1
    assert git("status", "--porcelain", cwd=repository) == "?? README\n"
    again = essaytui("sync", data=laptop)
    assert "git: nothing to commit, no remote" in again.stdout


def test_opening_an_essay_again_without_moving_makes_no_commit(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    """The reader stamps the position of an essay when it opens and leaves it; a place
    that did not move is nothing to send (else: a commit per reading session)."""
    bare = tmp_path / "notes.git"
    git("init", "-q", "--bare", bare)
    one = tmp_path / "one"
    git("clone", "-q", bare, one)
    laptop = tmp_path / "laptop"
    add_notes(laptop, "comprehensive")
    essay = load_essay(DATA / "tiny.md")
    with AnnotationStore.open(laptop) as store:
        essay = replace(essay, id=store.identify(essay))
        store.save_position(essay.id, 40, title=essay.title, progress=0.3, quote="", text_hash="")
        store.touch(essay.id, str(DATA / "tiny.md"), essay.title, essay.author)
    assert essaytui("sync", one, data=laptop).returncode == 0
    commits = git("rev-list", "--count", "HEAD", cwd=one)
    with AnnotationStore.open(laptop) as store:  # what the reader does, opening and leaving
        before = store.position(essay.id)
        store.touch(essay.id, str(DATA / "tiny.md"), essay.title, essay.author)
        after = store.position(essay.id)
    assert before is not None and after is not None and after.updated != before.updated
    done = essaytui("sync", data=laptop)
    assert done.returncode == 0, done.stderr
    assert "git: nothing to commit, nothing to pull, nothing to send" in done.stdout
    assert git("rev-list", "--count", "HEAD", cwd=one) == commits
    with AnnotationStore.open(laptop) as store:  # a place that moved goes out
        store.save_position(essay.id, 90, title=essay.title, progress=0.6, quote="", text_hash="")
    done = essaytui("sync", data=laptop)
    assert "git: 1 commit made, nothing to pull, pushed 1 commit" in done.stdout


def test_a_bare_repository_or_git_s_own_folder_is_refused_and_nothing_is_written(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    bare = tmp_path / "notes.git"
    git("init", "-q", "--bare", bare)
    work = tmp_path / "work"
    git("init", "-q", work)
    laptop = tmp_path / "laptop"
    add_notes(laptop, "comprehensive", note="mine")
    before = sorted(p.name for p in bare.iterdir())
    done = essaytui("sync", bare, data=laptop)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"essaytui: sync: {bare} is a bare git repository: clone it "
        f"(git clone {bare} FOLDER) and sync with FOLDER"
    ]
    assert sorted(p.name for p in bare.iterdir()) == before
    for inside in (bare / "refs", bare / "refs" / "new", work / ".git", work / ".git" / "x"):
        done = essaytui("sync", inside, data=laptop)
        assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
        assert "git clone" in done.stderr or f"work tree {work} " in done.stderr
    assert not (bare / "refs" / "new").exists() and not (work / ".git" / "x").exists()
    assert not (work / ".git" / "annotations").exists()
    # nothing was remembered: the first folder that works is
    clone = tmp_path / "clone"
    git("clone", "-q", bare, clone)
    done = essaytui("sync", clone, data=laptop)
    assert done.returncode == 0 and "is now your sync folder" in done.stderr, done.stderr


# -- a sync folder that cannot be written --------------------------------------------

AS_NOBODY = """
import os, sys
# everything the sync imports, imported as the owner: 'nobody' cannot read /root
import encodings.idna, encodings.utf_8_sig, json, sqlite3, socket, subprocess, hashlib, uuid, re
import essaytui.cli, essaytui.store, essaytui.model.files, essaytui.model.text
import essaytui.interchange.sync, essaytui.interchange.sync_git, essaytui.interchange.w3c
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
from essaytui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_read_only_sync_folder_takes_notes_in_sends_none_and_loses_nothing() -> None:
    """The denial is real: the folder belongs to root and the sync runs as 'nobody' (or,
    not as root, the folder is made read-only for this very user)."""
    import shutil
    import sys
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="essaytui-sync-ro-"))
    try:
        root.chmod(0o755)
        folder, laptop, desk = root / "Sync", root / "laptop", root / "desk"
        folder.mkdir()
        add_notes(laptop, "comprehensive", note="from the laptop")
        assert essaytui("sync", folder, data=laptop).returncode == 0
        (made,) = add_notes(desk, "official", note="written on the desk")
        desk.chmod(0o777)
        for path in desk.rglob("*"):
            path.chmod(0o777 if path.is_dir() else 0o666)
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        done = subprocess.run(
            [sys.executable, "-c", AS_NOBODY, "sync", str(folder)],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "ESSAYTUI_DATA_DIR": str(desk), "HOME": str(root)},
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        assert "1 note from another machine (1 new)" in done.stdout
        problems = [p for p in done.stderr.splitlines() if "now your sync folder" not in p]
        assert len(problems) == 1 and "could not be written to the sync folder" in problems[0]
        assert "Permission denied" in problems[0] and "nothing is lost" in problems[0]
        assert "Traceback" not in done.stderr
        mine = notes_of(desk)
        assert mine[made.id].note == "written on the desk" and len(mine) == 2
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        again = essaytui("sync", data=desk)
        assert again.returncode == 0 and "1 note sent" in again.stdout, again.stderr
        assert annotation_path(folder, made).is_file()
    finally:
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(root)


def test_three_machines_syncing_at_the_same_moment_end_with_the_same_notes(
    tmp_path: Path,
) -> None:
    import sys

    folder = tmp_path / "Sync"
    machines = [tmp_path / name for name in ("laptop", "desk", "phone")]
    (shared,) = add_notes(machines[0], "comprehensive", note="shared")
    assert essaytui("sync", folder, data=machines[0]).returncode == 0
    for data in machines[1:]:
        assert essaytui("sync", folder, data=data).returncode == 0
    for number, data in enumerate(machines):
        add_notes(data, "official", "friends", note=f"own notes of machine {number}")
        with AnnotationStore.open(data) as store:
            store.update(replace(shared, note=f"edited on machine {number}"))
    last = notes_of(machines[2])[shared.id]
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "essaytui", "sync"],
            env={**os.environ, "ESSAYTUI_DATA_DIR": str(data)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        for data in machines
    ]
    for process in running:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    for _ in range(2):
        for data in machines:
            assert essaytui("sync", data=data).returncode == 0
    results = [notes_of(data) for data in machines]
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == 7
    assert results[0][shared.id] == last  # the latest edit, on every machine
    leftovers = [p.name for p in folder.rglob("*") if p.name.startswith(".")]
    assert leftovers == []


def test_a_folder_inside_a_work_tree_is_synced_plain_and_says_so_once(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    work = tmp_path / "dotfiles"
    git("init", "-q", work)
    laptop = tmp_path / "laptop"
    add_notes(laptop, "comprehensive")
    folder = work / "essaytui"
    done = essaytui("sync", folder, data=laptop)
    assert done.returncode == 0 and "1 note sent" in done.stdout, done.stderr
    said = [line for line in done.stderr.splitlines() if "inside the git work tree" in line]
    assert said == [
        f"essaytui: {folder} is inside the git work tree {work}: it is synced as a plain "
        "folder, and its files are yours to commit (or sync with a clone of its own)"
    ]
    assert "git:" not in done.stdout
    assert git("status", "--porcelain", cwd=work) == "?? essaytui/\n"  # nothing committed
    again = essaytui("sync", data=laptop)
    assert again.returncode == 0 and again.stderr == ""
