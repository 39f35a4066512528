"""The parse cache: an essay opened before comes back from the user cache directory the
same as parsed, without markdown-it; an entry that cannot be trusted is parsed again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaytui.model import essay_cache
from essaytui.model.files import load_essay
from essaytui.model.parse import parse_essay

DATA = Path(__file__).resolve().parents[1] / "data"

#: Files with every construct the model has: footnotes, tables, a glossary, front matter.
ESSAYS = [
    DATA / "tiny.md",
    DATA / "front-matter-glossary.md",
    DATA / "footnote-edge-cases.md",
    DATA / "cjk.md",
    *sorted((DATA / "constructs").glob("*.md")),
    *sorted(p for p in (DATA / "sibling-glossary").glob("*.md") if p.name != "glossary.md"),
]


def entries(cache: Path) -> list[Path]:
    return sorted((cache / essay_cache.ESSAYS_FOLDER).glob("*.json"))


@pytest.mark.parametrize("path", ESSAYS, ids=lambda p: p.name)
def test_a_reopened_essay_is_the_essay_parsed(path: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    parsed = load_essay(path, cache_dir=cache)
    assert len(entries(cache)) == 1
    again = load_essay(path, cache_dir=cache)
    assert again == parsed
    assert again.reading_text == parsed.reading_text


def test_the_first_part_is_cached_apart_from_the_whole(tmp_path: Path) -> None:
    essay = tmp_path / "long.md"
    essay.write_text(
        "".join(f"## Part {i}\n\nText {i} with a note.[^n{i}]\n\n" for i in range(400))
        + "".join(f"[^n{i}]: Note {i}.\n" for i in range(400)),
        encoding="utf-8",
    )
    head = load_essay(essay, limit=2000, cache_dir=tmp_path / "cache")
    whole = load_essay(essay, cache_dir=tmp_path / "cache")
    assert not head.complete and whole.complete
    assert len(entries(tmp_path / "cache")) == 2
    assert load_essay(essay, limit=2000, cache_dir=tmp_path / "cache") == head
    assert load_essay(essay, cache_dir=tmp_path / "cache") == whole


def test_a_changed_file_or_glossary_is_parsed_again(tmp_path: Path) -> None:
    folder = tmp_path / "essay"
    folder.mkdir()
    essay = folder / "essay.md"
    essay.write_text("# Title\n\nThe first text.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert "first" in load_essay(essay, cache_dir=cache).reading_text
    essay.write_text("# Title\n\nThe second text.\n", encoding="utf-8")
    assert "second" in load_essay(essay, cache_dir=cache).reading_text
    (folder / "glossary.md").write_text("text\n: What is written.\n", encoding="utf-8")
    assert [t.name for t in load_essay(essay, cache_dir=cache).glossary] == ["text"]


def damage(entry: Path, how: str) -> None:
    raw = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(raw[: len(raw) // 2])
    elif how == "byte":
        middle = len(raw) * 3 // 4
        entry.write_bytes(raw[:middle] + bytes([raw[middle] ^ 1]) + raw[middle + 1 :])
    elif how == "garbage":
        entry.write_bytes(os.urandom(500))
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "length":  # the header claims more text than there is
        line, _, rest = raw.partition(b"\n")
        header = json.loads(line)
        header["text_bytes"] = len(rest) + 1
        entry.write_bytes(json.dumps(header).encode() + b"\n" + rest)
    elif how == "folder":
        entry.unlink()
        entry.mkdir()


@pytest.mark.parametrize("how", ["truncated", "byte", "garbage", "empty", "length", "folder"])
def test_an_entry_that_cannot_be_read_is_parsed_again(how: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    parsed = load_essay(DATA / "tiny.md", cache_dir=cache)
    [entry] = entries(cache)
    damage(entry, how)
    assert essay_cache.load(cache, entry.name.removesuffix(".json")) is None
    assert load_essay(DATA / "tiny.md", cache_dir=cache) == parsed
    if how != "folder":  # a folder in its place cannot be replaced; the parse is used
        assert essay_cache.load(cache, entry.name.removesuffix(".json")) == parsed


def written_with_digest(entry: Path, key: str, payload: object, text: str = "") -> None:
    """An entry whose header and digest are right but whose essay is `payload`."""
    body, words = json.dumps(payload).encode(), text.encode()
    header = json.dumps(essay_cache._header(key, words, body)).encode()
    entry.write_bytes(header + b"\n" + words + body)


def parts(entry: Path) -> tuple[dict[str, object], str, object]:
    """The header, reading text and structure of an entry."""
    line, _, rest = entry.read_bytes().partition(b"\n")
    header = json.loads(line)
    size = header["text_bytes"]
    return header, rest[:size].decode(), json.loads(rest[size:])


BAD_SHAPES: list[object] = [
    [],
    {"text": 5},
    "essay",
    None,
]


@pytest.mark.parametrize("change", ["title", "block", "span", "kind", "complete", "anchors"])
def test_an_entry_of_the_wrong_shape_is_not_used(change: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    parsed = load_essay(DATA / "tiny.md", cache_dir=cache)
    [entry] = entries(cache)
    key = entry.name.removesuffix(".json")
    _, text, payload = parts(entry)
    assert isinstance(payload, dict)
    if change == "title":
        payload["title"] = 5
    elif change == "block":
        payload["blocks"][0][2] = len(parsed.reading_text) + 10  # ends past the text
    elif change == "span":
        block = next(b for b in payload["blocks"] if b[7])
        block[7][0][0] = "zero"
    elif change == "kind":
        payload["blocks"][0][0] = "sonnet"
    elif change == "complete":
        payload["complete"] = 1
    elif change == "anchors":
        payload["anchors"] = {"top": "zero"}
    written_with_digest(entry, key, payload, text)
    assert essay_cache.load(cache, key) is None
    assert load_essay(DATA / "tiny.md", cache_dir=cache) == parsed


@pytest.mark.parametrize("payload", BAD_SHAPES)
def test_an_entry_that_is_no_essay_is_not_used(payload: object, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_essay(DATA / "tiny.md", cache_dir=cache)
    [entry] = entries(cache)
    key = entry.name.removesuffix(".json")
    written_with_digest(entry, key, payload)
    assert essay_cache.load(cache, key) is None


def test_an_entry_is_data_not_code(tmp_path: Path) -> None:
    load_essay(DATA / "tiny.md", cache_dir=tmp_path / "cache")
    [entry] = entries(tmp_path / "cache")
    header, text, structure = parts(entry)
    assert header["format"] == "essaytui-essay"
    assert text == load_essay(DATA / "tiny.md").reading_text
    assert isinstance(structure, dict) and "blocks" in structure


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    assert load_essay(DATA / "tiny.md", cache_dir=blocked).reading_text


@given(st.text(alphabet="ab *_#>-[]^:|`\n1.", max_size=200))
def test_any_parse_comes_back_the_same(source: str) -> None:
    parsed = parse_essay(source, path="/essays/any.md")
    payload = json.dumps(essay_cache._encoded(parsed)).encode()
    assert essay_cache._decoded(json.loads(payload), parsed.reading_text) == parsed


@given(st.text(alphabet="ab *_#>-[]^:|`\n1.", max_size=200))
def test_any_parse_comes_back_the_same_from_an_entry(source: str) -> None:
    parsed = parse_essay(source, path="/essays/any.md")
    structure = essay_cache._structure(parsed).decode()
    assert essay_cache._read_structure(structure, parsed.reading_text) == parsed
    spaced = json.dumps(json.loads(structure), indent=1)  # JSON's white space anywhere
    assert essay_cache._read_structure(spaced, parsed.reading_text) == parsed


@pytest.mark.parametrize(
    "structure",
    [
        '{"id": "x", "blocks": []}',  # the blocks not first
        '{"blocks": [[1] [2]], "id": "x"}',  # blocks not separated
        '{"blocks": [{"kind": 1}], "id": "x"}',  # a block that is no list
        '{"blocks": []}',  # nothing after the blocks
        '{"blocks": [',  # cut short
    ],
)
def test_a_structure_that_is_not_one_raises(structure: str) -> None:
    with pytest.raises((ValueError, TypeError, IndexError)):
        essay_cache._read_structure(structure, "")


PROBE = """
import asyncio, json, sys
from pathlib import Path
from essaytui.cli import reader_app

async def main() -> None:
    app = reader_app(Path(sys.argv[1]), None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        found = [m for m in ("markdown_it", "mdit_py_plugins") if m in sys.modules]
        print(json.dumps(found))

asyncio.run(main())
"""


def parser_imported_by_first_screen(path: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_a_reopened_essay_shows_its_first_screen_without_markdown_it(tmp_path: Path) -> None:
    folder = tmp_path / "essay"
    shutil.copytree(DATA / "sibling-glossary", folder)
    [essay] = [p for p in folder.glob("*.md") if p.name != "glossary.md"]
    assert parser_imported_by_first_screen(essay) == ["markdown_it", "mdit_py_plugins"]
    assert parser_imported_by_first_screen(essay) == []


def test_a_reopened_book_is_read_back_not_converted_or_parsed(tmp_path: Path) -> None:
    from epub_books import epub3_book

    book = epub3_book(tmp_path / "keeper.epub")
    cache = tmp_path / "cache"
    parsed = load_essay(book, cache_dir=cache)
    assert [p.name for p in entries(cache)] and parsed.reading_text
    # the conversion's own cache gone: the essay comes back from the parse cache alone
    shutil.rmtree(cache / "books")
    assert load_essay(book, cache_dir=cache) == parsed
    assert not (cache / "books").exists()
    book.write_bytes(book.read_bytes() + b"\0")  # other bytes: converted again
    load_essay(book, cache_dir=cache)
    assert (cache / "books").exists()


def test_the_parser_version_covers_every_model_module_a_parse_runs() -> None:
    # a parser module left out of the digest would leave old parses in the cache
    script = (
        "import sys\n"
        "from essaytui.model.parse import parse_essay\n"
        "parse_essay('# T\\n\\n!!! note\\n    x\\n\\n-- --\\n1  2\\n-- --\\n')\n"
        "print(' '.join(m.__file__ for n, m in sys.modules.items()"
        " if n.startswith('essaytui.model') and m.__file__))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    model = Path(essay_cache.__file__).parent
    covered = set(essay_cache._PARSER_SOURCES)
    # identity, ranges and regular_file read and hash files; cache and essay_cache store
    untouched = {"__init__.py", "identity.py", "ranges.py", "regular_file.py", "cache.py"}
    for file in run.stdout.split():
        relative = Path(file).relative_to(model)
        name = relative.parts[0]
        assert name in covered or name in untouched or name == "essay_cache.py", name
