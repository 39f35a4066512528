"""The command line, run as a real subprocess.

Every error is one line on stderr starting ``essaytui: ``, exit status 2, no
traceback and nothing on stdout. Only cases that fail before the reader starts
are run here: a run that got as far as the TUI would need a terminal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from without_privileges import unprivileged

from essaytui import paths
from essaytui.cli import COMMANDS
from essaytui.model.annotation import Annotation, Kind, make_annotation
from essaytui.model.convert import convert_text
from essaytui.model.essay import Essay
from essaytui.model.files import MAX_BYTES, load_essay, read_text_file
from essaytui.store import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]
#: The bundled essay where this essaytui finds it (the source tree or the wheel).
BUNDLED = paths.default_essay()
BLOG = ROOT / "tests" / "data" / "blog"
SEED = BLOG / "strategic-partners-with-caveats.txt"


def run(
    *args: str | Path, data_dir: Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["ESSAYTUI_DATA_DIR"] = str(data_dir)
    env.pop("ESSAYTUI_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "essaytui", *map(str, args)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Assert the run failed the essaytui way; return the message."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("essaytui: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


# -- help and version -------------------------------------------------------------------------


def test_version(data: Path) -> None:
    from essaytui import __version__

    result = ok(run("--version", data_dir=data))
    assert result.stdout.strip() == f"essaytui {__version__}"


def test_help_mentions_every_command(data: Path) -> None:
    result = ok(run("--help", data_dir=data))
    for command in COMMANDS:
        assert f"essaytui {command}" in result.stdout
    assert "--data-dir" in result.stdout


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("list", ["recently read"]),
        ("export", ["--format", "markdown", "json", "-o", "PATH"]),
        ("import-notes", ["FILE.json"]),
        ("convert", ["FILE.txt", "-o", "OUT.md"]),
    ],
)
def test_command_help(data: Path, command: str, expected: list[str]) -> None:
    result = ok(run(command, "--help", data_dir=data))
    assert result.stdout.startswith(f"usage: essaytui {command}")
    for fragment in expected:
        assert fragment in result.stdout


def test_unknown_option_is_a_usage_error(data: Path) -> None:
    result = run("export", "--format", "pdf", data_dir=data)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "invalid choice: 'pdf'" in result.stderr


# -- bad files for the reader -------------------------------------------------------------------


def test_missing_file(tmp_path: Path, data: Path) -> None:
    one_line_error(run(tmp_path / "nope.md", data_dir=data), "nope.md: no such file")


def test_directory(tmp_path: Path, data: Path) -> None:
    one_line_error(run(tmp_path, data_dir=data), "is a directory")


def test_path_through_a_file(tmp_path: Path, data: Path) -> None:
    # A real OS failure as any user, root included: stat() gives ENOTDIR.
    (tmp_path / "file.md").write_text("# A file\n", encoding="utf-8")
    one_line_error(
        run(tmp_path / "file.md" / "child.md", data_dir=data), "cannot be read: Not a directory"
    )


def test_device_is_not_a_regular_file(data: Path) -> None:
    one_line_error(run("/dev/null", data_dir=data), "/dev/null: is not a regular file")


UNREADABLE_SCRIPT = unprivileged(
    """
import sys
import essaytui.cli
raise SystemExit(essaytui.cli.main(sys.argv[1:]))
"""
)


def test_unreadable_file(tmp_path: Path, data: Path) -> None:
    """A real permission failure on open(), for root as for anyone: the CLI runs in a
    child that has given up root's power to read past mode bits (tests/unit/
    without_privileges.py), so the mode-0 file cannot be opened."""
    locked = tmp_path / "locked.md"
    locked.write_text("# Secret\n", encoding="utf-8")
    locked.chmod(0)
    result = subprocess.run(
        [sys.executable, "-c", UNREADABLE_SCRIPT, str(locked)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(data)},
        timeout=60,
    )
    assert one_line_error(result) == f"essaytui: {locked}: cannot be read: permission denied"


def test_binary_file(tmp_path: Path, data: Path) -> None:
    image = tmp_path / "image.md"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IHDR" + bytes(range(256)))
    one_line_error(run(image, data_dir=data), "is a binary file")


def test_not_utf8_at_all(tmp_path: Path, data: Path) -> None:
    # Mostly undecodable bytes: refused. (A latin-1 text with a few such bytes opens
    # in the reader with a warning instead: see tests/ui/test_hostile_ui.py.)
    garbage = tmp_path / "garbage.md"
    garbage.write_bytes(bytes(range(0xC0, 0x100)) * 40)
    one_line_error(run(garbage, data_dir=data), "is not UTF-8 text")


def test_empty_file(tmp_path: Path, data: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    one_line_error(run(empty, data_dir=data), "is empty")
    blank = tmp_path / "blank.md"
    blank.write_bytes(b"\n \n\t\n")
    one_line_error(run(blank, data_dir=data), "is empty")


def test_file_over_the_size_limit(tmp_path: Path, data: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no disk used
    one_line_error(run(big, data_dir=data), "is too large", "the limit is 64.0 MB")


# -- convert ------------------------------------------------------------------------------------


def expected_conversion(path: Path) -> tuple[str, list[str]]:
    text, _ = read_text_file(path)
    conversion = convert_text(text)
    return conversion.markdown, list(conversion.removed)


def test_convert_the_seed_to_stdout(data: Path) -> None:
    markdown, removed = expected_conversion(SEED)
    assert removed  # the seed has comment-form leftovers
    result = ok(run("convert", SEED, data_dir=data))
    assert result.stdout == markdown
    assert result.stdout.startswith("---\n")
    assert "[^1]:" in result.stdout
    lines = result.stderr.splitlines()
    assert f"essaytui: removed {len(removed)} web-page leftover line(s):" in lines
    for line in removed:
        assert f"  - {line}" in lines
    # Nothing removed is left in the essay.
    assert "Leave a Reply" not in result.stdout


def test_convert_to_a_file(tmp_path: Path, data: Path) -> None:
    markdown, removed = expected_conversion(BLOG / "wordpress-numbered-notes.txt")
    out = tmp_path / "out.md"
    result = ok(run("convert", BLOG / "wordpress-numbered-notes.txt", "-o", out, data_dir=data))
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == markdown
    assert f"essaytui: wrote {out}" in result.stderr.splitlines()
    assert f"essaytui: removed {len(removed)} web-page leftover line(s):" in result.stderr
    essay = load_essay(out)
    assert essay.footnotes and essay.title


def test_convert_errors(tmp_path: Path, data: Path) -> None:
    one_line_error(run("convert", tmp_path / "missing.txt", data_dir=data), "no such file")
    # An unusable -o is one line, before any report of removed leftovers.
    one_line_error(run("convert", SEED, "-o", tmp_path, data_dir=data), "is a directory")
    one_line_error(
        run("convert", SEED, "-o", tmp_path / "no" / "such" / "out.md", data_dir=data),
        "cannot write",
    )
    binary = tmp_path / "post.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    one_line_error(run("convert", binary, data_dir=data), "binary")


# -- export and import-notes --------------------------------------------------------------------


def annotate(data_dir: Path, essay: Essay) -> list[Annotation]:
    """A highlight, a note with tags, a bookmark and a deleted highlight, via the store."""
    text = essay.reading_text
    first = text.index("China is ‘fully confident’")
    second = text.index("bilateral trade was worth")
    third = text.index("An often neglected fact")
    made = [
        make_annotation(essay, first, first + 26, Kind.HIGHLIGHT),
        make_annotation(
            essay, second, second + 25, Kind.NOTE, note="Only $90bn:\n*small*", tags=("trade",)
        ),
        make_annotation(essay, third, third + 23, Kind.BOOKMARK),
        make_annotation(essay, third + 30, third + 50, Kind.HIGHLIGHT),
    ]
    with AnnotationStore.open(data_dir) as store:
        for annotation in made:
            store.add(annotation)
        made[3] = store.delete(made[3].id)
    return made


def stored(data_dir: Path) -> dict[str, Annotation]:
    with AnnotationStore.open(data_dir) as store:
        return {a.id: a for a in store.all_annotations(include_deleted=True)}


def test_export_json_and_import_round_trip(tmp_path: Path) -> None:
    essay = load_essay(BUNDLED)
    first, second = tmp_path / "first", tmp_path / "second"
    made = annotate(first, essay)
    exported = tmp_path / "x.json"
    result = ok(
        run("export", BUNDLED, "--format", "json", "--include-deleted", "-o", exported,
            data_dir=first)
    )  # fmt: skip
    assert result.stdout == ""
    assert "exported 3 annotation(s) and 1 deletion marker(s)" in result.stderr
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["type"] == "AnnotationCollection"
    items = document["first"]["items"]
    assert {item["id"] for item in items} == {f"urn:uuid:{a.id}" for a in made}
    for item in items:
        selectors = {s["type"] for s in item["target"]["selector"]}
        assert selectors == {"TextQuoteSelector", "TextPositionSelector"}

    result = ok(run("import-notes", exported, data_dir=second))
    assert result.stdout.strip() == (
        f"imported {exported}: 3 added, 0 updated, 1 deleted, 0 unchanged"
    )
    assert stored(second) == stored(first)
    assert stored(second)[made[3].id].is_deleted

    again = ok(run("import-notes", exported, data_dir=second))
    assert "0 added, 0 updated, 0 deleted, 4 unchanged" in again.stdout
    assert stored(second) == stored(first)


def test_a_deletion_stays_deleted_after_importing_an_older_export(tmp_path: Path) -> None:
    essay = load_essay(BUNDLED)
    made = annotate(tmp_path / "data", essay)
    older = tmp_path / "older.json"
    export = ("export", BUNDLED, "--format", "json", "--include-deleted", "-o")
    ok(run(*export, older, data_dir=tmp_path / "data"))
    with AnnotationStore.open(tmp_path / "data") as store:
        store.delete(made[0].id)
    result = ok(run("import-notes", older, data_dir=tmp_path / "data"))
    assert "0 added, 0 updated, 0 deleted, 4 unchanged" in result.stdout
    assert stored(tmp_path / "data")[made[0].id].is_deleted
    # And the deletion travels: a machine with the old copy deletes it too.
    newer = tmp_path / "newer.json"
    ok(run(*export, newer, data_dir=tmp_path / "data"))
    elsewhere = tmp_path / "elsewhere"
    ok(run("import-notes", older, data_dir=elsewhere))
    assert not stored(elsewhere)[made[0].id].is_deleted
    result = ok(run("import-notes", newer, data_dir=elsewhere))
    assert "0 added, 0 updated, 1 deleted, 3 unchanged" in result.stdout
    assert stored(elsewhere) == stored(tmp_path / "data")
    assert stored(elsewhere)[made[0].id].is_deleted


def test_export_markdown_to_stdout(tmp_path: Path, data: Path) -> None:
    essay = load_essay(BUNDLED)
    made = annotate(data, essay)
    result = ok(run("export", BUNDLED, "--format", "markdown", data_dir=data))
    out = result.stdout
    assert essay.title in out and essay.author in out
    assert f"> {made[0].exact}" in out
    assert "Only $90bn:" in out and "trade" in out
    assert made[3].exact not in out  # deleted: not in the Markdown
    assert "exported 3 annotation(s)" in result.stderr


def test_export_without_a_path_uses_the_last_essay_read(tmp_path: Path, data: Path) -> None:
    one_line_error(run("export", data_dir=data), "none read yet")
    essay = load_essay(BUNDLED)
    annotate(data, essay)
    with AnnotationStore.open(data) as store:
        store.save_position(essay.id, 100, essay_path=str(BUNDLED), title=essay.title)
    result = ok(run("export", data_dir=data))
    assert essay.title in result.stdout and "Only $90bn:" in result.stdout


def test_export_errors(tmp_path: Path, data: Path) -> None:
    one_line_error(run("export", tmp_path / "gone.md", data_dir=data), "no such file")
    one_line_error(run("export", BUNDLED, "-o", tmp_path, data_dir=data), "is a directory")


def valid_export(tmp_path: Path) -> dict[str, object]:
    essay = load_essay(BUNDLED)
    annotate(tmp_path / "source", essay)
    target = tmp_path / "valid.json"
    ok(run("export", BUNDLED, "--format", "json", "-o", target, data_dir=tmp_path / "source"))
    document: dict[str, object] = json.loads(target.read_text(encoding="utf-8"))
    return document


def test_malformed_imports_are_one_line(tmp_path: Path, data: Path) -> None:
    document = valid_export(tmp_path)
    bad: dict[str, bytes] = {
        "truncated.json": b'{"type": "AnnotationCollection", "first": ',
        "string.json": b'"just a string"',
        "number.json": b"42",
        "other-type.json": b'{"type": "Book"}',
        "no-page.json": b'{"type": "AnnotationCollection", "first": 3}',
        "not-utf8.json": b"\xff\xfe\x00{",
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "long-number.json": b'{"total": ' + b"9" * 5000 + b"}",
    }
    first_item = document["first"]["items"][0]  # type: ignore[index]
    wrong_types = [
        {**first_item, "id": 5},
        {**first_item, "created": "yesterday"},
        {**first_item, "target": "nowhere"},
        {**first_item, "body": "text"},
        {**first_item, "essaytui:data": {**first_item["essaytui:data"], "tags": [1, 2]}},
    ]
    for index, item in enumerate(wrong_types):
        broken = {**document, "first": {"type": "AnnotationPage", "items": [item]}}
        bad[f"wrong-type-{index}.json"] = json.dumps(broken).encode()
    for name, content in bad.items():
        path = tmp_path / name
        path.write_bytes(content)
        one_line_error(run("import-notes", path, data_dir=data), "import-notes: ")
    one_line_error(run("import-notes", tmp_path / "absent.json", data_dir=data), "cannot read")
    one_line_error(run("import-notes", tmp_path, data_dir=data), "cannot read")
    # Nothing was half-imported.
    assert stored(data) == {}


# -- list ------------------------------------------------------------------------------------


def test_list_recent_first_with_progress_then_bundled(tmp_path: Path, data: Path) -> None:
    result = ok(run("list", data_dir=data))
    assert "Recently read" not in result.stdout
    assert "Strategic partners with caveats" in result.stdout and str(BUNDLED) in result.stdout

    other = tmp_path / "other.md"
    other.write_text("---\ntitle: Another essay\nauthor: Ann Author\n---\n\nText.\n")
    gone = tmp_path / "gone.md"
    gone.write_text("# Gone\n\nText.\n")
    bundled, second, third = load_essay(BUNDLED), load_essay(other), load_essay(gone)
    with AnnotationStore.open(data) as store:
        store.save_position(
            bundled.id, 10, essay_path=str(BUNDLED), title=bundled.title,
            author=bundled.author, progress=0.42,
        )  # fmt: skip
        store.save_position(third.id, 0, essay_path=str(gone), title="Gone \x1b]0;pwned\x07")
        store.save_position(
            second.id, 5, essay_path=str(other), title=second.title, author=second.author,
            progress=0.1,
        )  # fmt: skip
    gone.unlink()
    out = ok(run("list", data_dir=data)).stdout
    assert "\x1b" not in out and "\x07" not in out
    recent, bundled_part = out.split("Bundled:")
    assert recent.index("Another essay — Ann Author  10%") < recent.index("Gone ␛]0;pwned␇")
    assert recent.index("Gone ␛]0;pwned␇") < recent.index(f"{bundled.title} — Dean Chen  42%")
    assert "(file missing)" in recent.split("Gone")[1].split("\n  ")[1]
    assert f"{bundled.title} — Dean Chen  (read)" in bundled_part


# -- a data dir that cannot be created ------------------------------------------------------


def test_data_dir_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    data = blocker / "data"
    export = tmp_path / "x.json"
    ok(run("export", BUNDLED, "--format", "json", "-o", export, data_dir=tmp_path / "fine"))

    why = "Notes cannot be saved: the folder"
    one_line_error(run("export", BUNDLED, data_dir=data), why, "cannot be created")
    # Without a PATH the reason is still the folder, not "none read yet".
    one_line_error(run("export", data_dir=data), why, "cannot be created")
    one_line_error(run("import-notes", export, data_dir=data), why, "cannot be created")
    # --data-dir wins over the environment.
    one_line_error(run("export", BUNDLED, "--data-dir", data, data_dir=tmp_path / "fine"), why)
    # list still lists the bundled essays, and says why there are no recent ones.
    result = ok(run("list", data_dir=data))
    assert "Strategic partners with caveats" in result.stdout
    assert result.stderr.startswith("essaytui: Notes cannot be saved")
    assert len(result.stderr.splitlines()) == 1
    assert blocker.read_text() == "not a folder"


# -- nothing from a file reaches the terminal as a control sequence --------------------------

HOSTILE_NAME = "post \x1b]0;pwned\x07 \x1b[2J.txt"


def test_error_messages_show_escapes_in_file_names_as_symbols(tmp_path: Path, data: Path) -> None:
    message = one_line_error(run(tmp_path / HOSTILE_NAME, data_dir=data), "no such file")
    assert "\x1b" not in message and "\x07" not in message
    assert "post ␛]0;pwned␇ ␛[2J.txt: no such file" in message


def test_convert_reports_are_inert(tmp_path: Path, data: Path) -> None:
    post = tmp_path / HOSTILE_NAME
    post.write_bytes(
        b"A title \xe9\n\nThe body \x1b]52;c;cHduZWQ=\x07 paragraph.[1]\n\n1. A note.\n"
    )
    result = ok(run("convert", post, data_dir=data))
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "post ␛]0;pwned␇ ␛[2J.txt is not valid UTF-8" in result.stderr
    # To a pipe too the escapes are shown as symbols (`convert | cat` would
    # run them); only -o FILE writes the text as it is.
    assert "The body ␛]52;c;cHduZWQ=␇ paragraph." in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    ok(run("convert", post, "-o", tmp_path / "out.md", data_dir=data))
    assert "The body \x1b]52;c;cHduZWQ=\x07 paragraph." in (tmp_path / "out.md").read_text()


def test_convert_to_a_terminal_shows_escapes_as_symbols(tmp_path: Path, data: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_bytes(
        b"A title\n\nThe body \x1b]52;c;cHduZWQ=\x07 \x1b[2J paragraph.[1]\n\n1. Note.\n"
    )
    leader, follower = os.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "essaytui", "convert", str(post)],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "ESSAYTUI_DATA_DIR": str(data)},
        )
        os.close(follower)
        follower = -1
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        _, stderr = process.communicate(timeout=60)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert process.returncode == 0, stderr
    shown = b"".join(chunks).decode("utf-8")
    assert "The body ␛]52;c;cHduZWQ=␇ ␛[2J paragraph." in shown
    assert "\x1b" not in shown and "\x07" not in shown
