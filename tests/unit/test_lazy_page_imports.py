"""Start-up never imports what reading other files needs: lxml,
Beautiful Soup, markdownify and charset-normalizer load only when a web page (or a file
not in UTF-8) is opened, and zipfile only when a book is. Checked in a fresh process,
the way the reader starts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"

LIBRARIES = ("lxml", "bs4", "markdownify", "charset_normalizer", "zipfile")


def imported_after(code: str) -> list[str]:
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps([name for name in {LIBRARIES!r} if name in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    found: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_opening_a_markdown_essay_imports_none_of_them() -> None:
    code = (
        "from pathlib import Path\n"
        "from essaytui.cli import reader_app\n"
        f"reader_app(Path({str(DATA / 'tiny.md')!r}), None)"
    )
    assert imported_after(code) == []


def test_opening_a_text_post_imports_none_of_them() -> None:
    assert imported_after(loading(DATA / "blog" / "wordpress-numbered-notes.txt")) == []


def loading(path: Path) -> str:
    return (
        "from pathlib import Path\n"
        "from essaytui.model.files import load_essay\n"
        f"load_essay(Path({str(path)!r}))"
    )


def test_a_page_in_the_charset_it_declares_imports_the_page_libraries() -> None:
    found = imported_after(loading(DATA / "html" / "word-notes-windows-1252.html"))
    # Beautiful Soup imports a charset detector of its own accord (bs4.dammit takes
    # charset-normalizer when it is installed): whether it comes along is bs4's doing.
    assert [name for name in found if name != "charset_normalizer"] == [
        "lxml",
        "bs4",
        "markdownify",
    ]


def test_a_text_in_another_encoding_imports_the_detector_only() -> None:
    assert imported_after(loading(DATA / "text" / "latin-1.txt")) == ["charset_normalizer"]


def test_a_books_first_screen_imports_no_css_selectors(tmp_path: Path) -> None:
    from epub_books import real_standard_ebook

    book = real_standard_ebook(tmp_path / "enquiry.epub")
    code = (
        "from pathlib import Path\n"
        "from essaytui.model.files import load_essay\n"
        f"load_essay(Path({str(book)!r}), limit=32 * 1024, cache_dir=Path({str(tmp_path)!r}))\n"
        "held = [n for n in ('soupsieve', 'charset_normalizer') if n in sys.modules]\n"
        # put back for anyone else: importing them later works as ever
        "import soupsieve, charset_normalizer\n"
        "print(json.dumps(held))"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import json, sys\n" + code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # Beautiful Soup came without Soup Sieve (CSS selectors, ~60 ms to import), and
    # said nothing about it on the terminal
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert result.stderr == ""
