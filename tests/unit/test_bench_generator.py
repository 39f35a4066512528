"""The benchmark's essay generator makes valid essays of the requested size."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

GENERATE_PY = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


def _load_generator() -> ModuleType:
    # bench/ holds scripts, not a package: load the file itself.
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def _split(text: str) -> tuple[dict[str, object], str]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match is not None, "no front matter"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict)
    return meta, text[match.end() :]


@pytest.mark.parametrize("size", [9 * 1024, 120 * 1024])
def test_essay_has_requested_size_and_every_feature(size: int) -> None:
    text: str = generate.generate_essay(size, seed=7, name="t")
    assert abs(len(text.encode()) - size) <= 0.05 * size

    meta, body = _split(text)
    assert meta["id"] == "bench-t-7"
    assert meta["title"] and meta["author"]
    glossary = meta["glossary"]
    assert isinstance(glossary, list) and len(glossary) == 30
    assert all(set(entry) == {"term", "def"} and entry["def"] for entry in glossary)

    assert re.search(r"^## \S", body, re.MULTILINE)
    assert re.search(r"^### \S", body, re.MULTILINE)
    lowered = body.lower()
    used = [entry["term"] for entry in glossary if entry["term"].lower() in lowered]
    assert len(used) >= (3 if size < 20_000 else 25)
    assert body.count(generate.SEARCH_WORD) == 1


def test_footnotes_resolve_about_one_per_two_paragraphs() -> None:
    text: str = generate.generate_essay(120 * 1024, seed=3)
    _, body = _split(text)
    tokens = MarkdownIt("commonmark").use(footnote_plugin).parse(body)
    references = [
        child.meta["label"]
        for token in tokens
        if token.type == "inline" and token.children
        for child in token.children
        if child.type == "footnote_ref"
    ]
    definitions = [token.meta["label"] for token in tokens if token.type == "footnote_open"]
    assert references, "no footnote references"
    # Every reference resolves (markdown-it only makes footnote_ref tokens for defined labels)
    # and every definition is referenced exactly once.
    assert sorted(references, key=int) == sorted(definitions, key=int)
    assert len(set(references)) == len(references)
    paragraphs = sum(1 for token in tokens if token.type == "paragraph_open") - len(definitions)
    assert 0.35 <= len(references) / paragraphs <= 0.65
    # Emphasis, links and inline code occur in the prose.
    kinds = {child.type for token in tokens if token.children for child in token.children}
    assert {"em_open", "strong_open", "link_open", "code_inline"} <= kinds


def test_same_seed_same_essay_other_seed_other_essay() -> None:
    first: str = generate.generate_essay(9 * 1024, seed=11)
    assert generate.generate_essay(9 * 1024, seed=11) == first
    assert generate.generate_essay(9 * 1024, seed=12) != first


def test_write_essays_writes_the_named_sizes(tmp_path: Path) -> None:
    paths: dict[str, Path] = generate.write_essays(tmp_path / "out", ["small"])
    assert list(paths) == ["small"]
    assert paths["small"].read_text(encoding="utf-8") == generate.generate_essay(
        generate.SIZES["small"], generate.DEFAULT_SEED, "small"
    )
