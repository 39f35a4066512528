"""Books on the command line, run as the user runs them: `essaytui book.epub | cat`,
`essaytui convert book.epub -o book.md`, `essaytui cite book.epub --format bibtex`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from epub_books import epub3_book, standard_ebook

from essaytui.model.parse import parse_essay


def essaytui(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "essaytui", *map(str, args)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "ESSAYTUI_DATA_DIR": str(home / "data"),
            "ESSAYTUI_CACHE_DIR": str(home / "cache"),
            "COLUMNS": "80",
        },
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def test_a_book_piped_prints_its_text_and_notes(tmp_path: Path) -> None:
    result = essaytui(epub3_book(tmp_path / "keeper.epub"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("The Lighthouse Keeper\n")
    assert "Ada Marsh, Ben Ortiz" in out
    assert out.index("Chapter 1. Arrival") < out.index("Chapter 2. The Lamp")
    assert "when the gulls were loud.¹" in out
    assert "1.  Gulls nest on the cliffs from March." in out
    assert "↩" not in out and result.stderr == ""


def test_convert_writes_the_book_as_an_essay_file(tmp_path: Path) -> None:
    out = tmp_path / "hume.md"
    result = essaytui("convert", standard_ebook(tmp_path / "hume.epub"), "-o", out, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"essaytui: wrote {out}\n"
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith("---\nid: book-")
    essay = parse_essay(markdown)
    assert essay.title == "An Enquiry Concerning the Principles of Morals"
    assert essay.author == "David Hume" and essay.meta["type"] == "book"
    assert [note.text for note in essay.footnotes][:1] == ["See Appendix I."]


def test_cite_a_book_in_bibtex_is_a_book(tmp_path: Path) -> None:
    result = essaytui(
        "cite", epub3_book(tmp_path / "keeper.epub"), "--format", "bibtex", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("@book{marsh-lighthouse-1911,")
    assert "author = {Marsh, Ada and Ortiz, Ben}" in result.stdout
    assert "publisher = {Harbour Press}" in result.stdout
    assert "series = {Tales of the Coast}" in result.stdout


def test_the_second_run_reads_the_cache(tmp_path: Path) -> None:
    book = epub3_book(tmp_path / "keeper.epub")
    first = essaytui(book, home=tmp_path)
    assert len(list((tmp_path / "cache" / "books").glob("*.json"))) == 1
    again = essaytui(book, home=tmp_path)
    assert again.returncode == 0 and again.stdout == first.stdout


def test_a_book_on_standard_input_says_to_open_it_as_a_file(tmp_path: Path) -> None:
    book = epub3_book(tmp_path / "keeper.epub")
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", "-"],
        input=book.read_bytes(),
        capture_output=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(tmp_path / "data")},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "essaytui: standard input: is an EPUB book: open it as a file (essaytui BOOK.epub)\n"
    )
