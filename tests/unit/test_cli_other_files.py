"""`essaytui page.html`, `essaytui post.txt` and `essaytui convert page.html`, run as the
user runs them: a real subprocess of the CLI.

Without a terminal the reader prints the essay as plain text, so what it would show
(the converted article, the warnings on standard error) is read from its output. Bad
input ends in one line on standard error and exit status 2, within a timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from essaytui_run import essaytui

from essaytui.model.parse import parse_essay

DATA = Path(__file__).resolve().parents[1] / "data"
PAGES = DATA / "html"
TEXTS = DATA / "text"
BLOG = DATA / "blog"

#: Seconds any one bad input may take before the test fails (a hang, not slowness).
BAD_INPUT_TIMEOUT = 60


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_convert_a_page_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "reading.md"
    result = essaytui("convert", PAGES / "jekyll-kramdown.html", "-o", out, data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"essaytui: wrote {out}\n"
    essay = parse_essay(out.read_text(encoding="utf-8"))
    assert essay.title == "Reading slowly, on purpose" and essay.author == "Tomasz Wierzba"
    assert len(essay.footnotes) == 2
    assert essay.meta.get("url") == "https://tomasz.example.org/2023/05/14/reading-slowly.html"


def test_convert_a_page_to_standard_output_never_titles_it_with_its_doctype(
    tmp_path: Path,
) -> None:
    result = essaytui("convert", PAGES / "wordpress-footnotes.html", data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("---\ntitle: Strategic partners with caveats\n")
    assert "DOCTYPE" not in result.stdout and "Leave a Reply" not in result.stdout
    assert "[^3]: Interview with the author, Moscow, February 2016" in result.stdout


def test_convert_names_the_encoding_it_read_on_standard_error(tmp_path: Path) -> None:
    out = tmp_path / "cafe.md"
    result = essaytui("convert", PAGES / "word-notes-windows-1252.html", "-o", out, data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "essaytui: warning: "
        f"{PAGES / 'word-notes-windows-1252.html'}: read as Windows-1252 (not UTF-8, as the "
        "page declares)\n"
    ) in result.stderr
    assert "l’endroit où les délégués" in out.read_text(encoding="utf-8")


def test_convert_a_post_in_windows_1252(tmp_path: Path) -> None:
    result = essaytui("convert", TEXTS / "windows-1252-post.txt", data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "read as Windows-1252 (not UTF-8)" in result.stderr
    assert "removed 5 web-page leftover line(s):\n  - Notes\n  - Share this:\n" in result.stderr
    assert "[^1]: Le Monde, “Les délégués au café,” 14 mars 2016." in result.stdout


def test_reading_a_page_shows_the_article_and_says_it_was_converted(tmp_path: Path) -> None:
    result = essaytui(PAGES / "substack.html", data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Some pages load in a blink" in result.stdout
    assert "Subscribe" not in result.stdout and "Share" not in result.stdout
    assert (
        "essaytui: warning: converted from a web page (2 footnotes); keep it: "
        f"essaytui convert {PAGES / 'substack.html'} -o substack.md" in result.stderr
    )


def test_reading_a_latin_1_text_warns_on_standard_error(tmp_path: Path) -> None:
    result = essaytui(TEXTS / "latin-1.txt", data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Le château se dressait" in result.stdout and "\ufffd" not in result.stdout
    assert result.stderr == (
        f"essaytui: warning: {TEXTS / 'latin-1.txt'}: read as Latin-1 (not UTF-8)\n"
    )


def test_reading_a_copied_post_converts_it(tmp_path: Path) -> None:
    result = essaytui(BLOG / "wordpress-numbered-notes.txt", data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Leave a Reply" not in result.stdout and "[1]" not in result.stdout
    assert "Energy Ministry" in result.stdout  # the note, listed after the text
    assert "converted from a blog post (3 notes)" in result.stderr


def test_a_page_on_standard_input_is_converted(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", "-"],
        input=(PAGES / "pandoc.html").read_bytes(),
        capture_output=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    stdout, stderr = result.stdout.decode(), result.stderr.decode()
    assert "Every report I read last year" in stdout and "<aside" not in stdout
    assert "converted from a web page (3 footnotes); keep it: save it as a file, then" in stderr


# -- bad input ---------------------------------------------------------------------------


def test_a_binary_file_named_html(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    for args in ((page,), ("convert", page)):
        line = one_line_error(essaytui(*args, data=tmp_path, timeout=BAD_INPUT_TIMEOUT))
        assert line == f"essaytui: {page}: is a binary file, not text"


def test_a_page_of_nothing_but_scripts(tmp_path: Path) -> None:
    page = tmp_path / "app.html"
    page.write_text("<!DOCTYPE html><html><body><div id=root></div><script>boot()</script>")
    line = one_line_error(essaytui("convert", page, data=tmp_path, timeout=BAD_INPUT_TIMEOUT))
    assert line.startswith(f"essaytui: {page}: has no text to read")


@pytest.mark.parametrize("shape", ["deep", "wide"])
def test_fifty_megabytes_of_nested_divs(tmp_path: Path, shape: str) -> None:
    """Deeper than any parser reads, or nested to a reasonable depth over and over: a
    one-line refusal well within the timeout, never a traceback, a hang or a crash."""
    page = tmp_path / "divs.html"
    size = 50 * 1024 * 1024
    if shape == "deep":
        unit = b"<div>"
        page.write_bytes(b"<!DOCTYPE html><html><body>" + unit * (size // len(unit)))
    else:
        unit = b"<div>" * 40 + b"x" + b"</div>" * 40
        page.write_bytes(b"<!DOCTYPE html><html><body>" + unit * (size // len(unit)))
    for args in ((page,), ("convert", page)):
        line = one_line_error(essaytui(*args, data=tmp_path, timeout=BAD_INPUT_TIMEOUT))
        assert line.startswith(f"essaytui: {page}: ")


def test_garbage_bytes_in_no_encoding(tmp_path: Path) -> None:
    """High bytes with no pattern: read as something with a warning, or refused in one
    line; never a traceback."""
    text = tmp_path / "noise.txt"
    text.write_bytes(bytes((i * 7919) % 128 + 128 for i in range(200_000)))
    result = essaytui(text, data=tmp_path, timeout=BAD_INPUT_TIMEOUT)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert "(not UTF-8" in result.stderr
    else:
        one_line_error(result)


def test_a_truncated_utf16_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(("<!DOCTYPE html><html><body><p>" + "Seite " * 300).encode("utf-16")[:-1])
    result = essaytui(page, data=tmp_path, timeout=BAD_INPUT_TIMEOUT)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "Seite Seite" in result.stdout
