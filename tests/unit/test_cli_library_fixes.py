"""`essaytui add / remove / search / stats` as a reader meets them: notes found by search,
refused patterns, paths as given, folders removed, only real reading listed (subprocess
runs of the CLI over a real library file)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from epub_books import epub3_book
from essaytui_run import essaytui

from essaytui.store import AnnotationStore
from essaytui.store.intake import take_in
from essaytui.store.library import Library

QUARTO = """---
title: Tidy Notes
format: html
---

## Introduction

Tidy data maps meaning to structure.[^1] Each variable forms a column.^[This is
Wickham's formulation, from 2014.]

[^1]: Codd, E. F. "A Relational Model of Data for Large Shared Data Banks." 1970.
"""


def in_folder(folder: Path, *args: str | Path, data: Path) -> subprocess.CompletedProcess[str]:
    """The CLI run from `folder`, so relative paths are the reader's own."""
    return subprocess.run(
        [sys.executable, "-m", "essaytui", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(data)},
        stdin=subprocess.DEVNULL,
        cwd=folder,
        timeout=60,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("essaytui: "), result.stderr
    assert fragment in lines[0]


def test_search_finds_footnotes_and_inline_notes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (tmp_path / "post.qmd").write_text(QUARTO, encoding="utf-8")
    assert essaytui("add", tmp_path / "post.qmd", data=data).returncode == 0
    inline = essaytui("search", "Wickham", "formulation", "--texts", data=data)
    assert inline.returncode == 0, inline.stderr
    assert "Tidy Notes — § Introduction · note 2" in inline.stdout
    assert "This is Wickham's formulation" in inline.stdout
    footnote = essaytui("search", "Codd", data=data)
    assert footnote.returncode == 0, footnote.stderr
    assert "· note 1" in footnote.stdout and "Relational Model" in footnote.stdout
    pattern = essaytui("search", "re:Rel.tional", data=data)
    assert "· note 1" in pattern.stdout, pattern.stderr


def test_search_finds_an_epub_endnote(tmp_path: Path) -> None:
    data = tmp_path / "data"
    book = epub3_book(tmp_path / "keeper.epub")
    assert essaytui("add", book, data=data).returncode == 0
    found = essaytui("search", "jetty", "rebuilt", data=data)
    assert found.returncode == 0, found.stderr
    assert "· note 2" in found.stdout and "The jetty was rebuilt in 1909." in found.stdout


def test_refused_patterns_say_why_in_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (tmp_path / "post.qmd").write_text(QUARTO, encoding="utf-8")
    essaytui("add", tmp_path / "post.qmd", data=data)
    one_line_error(essaytui("search", "re:a*", data=data), "matches the empty string")
    one_line_error(essaytui("search", "re:^", "--texts", data=data), "empty string")
    one_line_error(essaytui("search", "tidy", "re:col", data=data), "cannot be combined with words")
    one_line_error(essaytui("search", "--notes", "re:Codd", data=data), "texts only")
    # a pattern that can match nothing yet finds words is still a search
    assert essaytui("search", "re:colu?mn", data=data).returncode == 0


def test_add_again_succeeds_and_prints_paths_as_given(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "post.qmd").write_text(QUARTO, encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "copy.qmd").write_text(QUARTO, encoding="utf-8")
    (folder / "sub" / "binary.md").write_bytes(b"\x00\x01" * 50)
    first = in_folder(tmp_path, "add", "lib", data=data)
    assert first.returncode == 0, first.stderr
    again = in_folder(tmp_path, "add", "lib", data=data)
    # every text is in the library afterwards: success, as --help and the README say
    assert again.returncode == 0, again.stderr
    assert "added 0 text(s), 1 already in the library, skipped 2" in again.stderr
    skips = [line for line in again.stderr.splitlines() if "skipped lib" in line]
    assert "essaytui: skipped lib/sub/binary.md: is a binary file, not text" in skips
    assert "essaytui: skipped lib/sub/copy.qmd: the same text as lib/post.qmd" in skips
    assert str(tmp_path) not in again.stderr
    nothing = in_folder(tmp_path, "add", "lib/sub/binary.md", data=data)
    assert nothing.returncode == 1
    assert "1 when nothing was added" in " ".join(
        in_folder(tmp_path, "add", "--help", data=data).stdout.split()
    )


def test_remove_takes_a_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "lib"
    (folder / "sub").mkdir(parents=True)
    (folder / "top.md").write_text("# Top\n\nAbove the folder.\n", encoding="utf-8")
    (folder / "sub" / "a.md").write_text("# Alpha\n\nFirst one.\n", encoding="utf-8")
    (folder / "sub" / "b.md").write_text("# Beta\n\nSecond one.\n", encoding="utf-8")
    (folder / "subway.md").write_text("# Subway\n\nNot inside sub.\n", encoding="utf-8")
    assert in_folder(tmp_path, "add", "lib", data=data).returncode == 0
    removed = in_folder(tmp_path, "remove", "lib/sub", data=data)
    assert removed.returncode == 0, removed.stderr
    assert "removed Alpha from the library" in removed.stderr
    assert "removed Beta from the library" in removed.stderr
    assert "lib/sub: removed 2 text(s)" in removed.stderr
    with Library.open(data) as library:
        left = {t.title for t in library.texts()}
    assert {"Top", "Subway"} <= left and not {"Alpha", "Beta"} & left
    again = in_folder(tmp_path, "remove", "lib/sub", data=data)
    assert again.returncode == 1 and "lib/sub: not in the library" in again.stderr


def test_stats_leaves_out_texts_not_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    read = tmp_path / "read.md"
    glance = tmp_path / "glance.md"
    read.write_text("# Read Through\n\nOne two three four five.\n", encoding="utf-8")
    glance.write_text("# Only Glanced\n\nSix seven eight.\n", encoding="utf-8")
    with Library.open(data) as library, AnnotationStore.open(data) as store:
        take_in(library, store, [read, glance])
        ids = {t.title: t.essay_id for t in library.texts()}
        library.add_reading(ids["Read Through"], 90.0, 5, day="2026-12-07")
        library.add_reading(ids["Only Glanced"], 0.4, 0, day="2026-12-07")
    result = essaytui("stats", data=data)
    assert result.returncode == 0, result.stderr
    assert "Read Through" in result.stdout
    assert "Only Glanced" not in result.stdout
    assert "0 s" not in result.stdout
    assert "2026-W50     2 min  5 words" in result.stdout


def test_a_library_from_before_notes_were_indexed_indexes_them(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (tmp_path / "post.qmd").write_text(QUARTO, encoding="utf-8")
    assert essaytui("add", tmp_path / "post.qmd", data=data).returncode == 0
    # the layout of version 1: no note column, and so no note indexed
    connection = sqlite3.connect(data / "library.sqlite3")
    with connection:
        connection.execute("DELETE FROM sentences WHERE note > 0")
        connection.execute("ALTER TABLE sentences DROP COLUMN note")
        connection.execute("PRAGMA user_version = 1")
    connection.close()
    found = essaytui("search", "Codd", data=data)
    assert found.returncode == 0, found.stderr
    assert "· note 1" in found.stdout
