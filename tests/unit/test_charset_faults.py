"""A charset no codec can use never raises past the file loader.

A saved page declaring `<meta charset="undefined">` with one byte that is not UTF-8 made
Python's `undefined` codec raise a bare `UnicodeError` (not a `UnicodeDecodeError`): a
traceback from every entry point. Each entry point is run here as a subprocess; each
reads the page in a charset it can use and says so in a warning.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from essaytui_run import essaytui

from essaytui.model.files import EssayFileError, decode_text

#: Charsets a page may declare that no codec can decode it with: no such codec, a codec
#: that refuses everything, codecs of bytes to bytes or of text to text.
UNUSABLE = ("undefined", "no-such-charset", "hex", "rot13", "base64", "zlib", "idna")


def page(charset: str) -> bytes:
    """A saved page declaring `charset`, with one byte (0xff) that is not UTF-8."""
    return (
        "<!doctype html><html><head>"
        f'<meta charset="{charset}"><title>Declared {charset}</title></head>'
        "<body><article><h1>A page</h1>"
        "<p>Some text \xff here, and more of it so the paragraph reads as prose.</p>"
        "</article></body></html>\n"
    ).encode("latin-1")


@pytest.mark.parametrize("charset", UNUSABLE)
def test_decoding_a_page_with_an_unusable_charset_falls_back(charset: str) -> None:
    text, warnings = decode_text(page(charset), "page.html")
    assert "Some text ÿ here" in text
    assert warnings and "read as" in warnings[0] and "not UTF-8" in warnings[0]


def test_any_codec_reads_or_refuses_with_one_line() -> None:
    """Every codec Python has, declared by a page: read, or an `EssayFileError`."""
    import encodings
    import pkgutil

    names = sorted({m.name for m in pkgutil.iter_modules(encodings.__path__)} - {"aliases"})
    assert len(names) > 100
    for name in names:
        try:
            text, _ = decode_text(page(name), "page.html")
        except EssayFileError as error:
            assert "\n" not in str(error)
        else:
            assert text.strip()


@pytest.fixture
def hostile_page(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_bytes(page("undefined"))
    return path


def assert_read(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert "read as" in result.stderr and "not UTF-8" in result.stderr


def test_the_reader_piped_prints_the_page(hostile_page: Path, tmp_path: Path) -> None:
    result = essaytui(hostile_page, data=tmp_path / "data")
    assert_read(result)
    assert "Some text ÿ here" in result.stdout


def test_convert_converts_the_page(hostile_page: Path, tmp_path: Path) -> None:
    result = essaytui("convert", hostile_page, data=tmp_path / "data")
    assert_read(result)
    assert "Some text ÿ here" in result.stdout


def test_cite_cites_the_page(hostile_page: Path, tmp_path: Path) -> None:
    result = essaytui("cite", hostile_page, data=tmp_path / "data")
    assert "Traceback" not in result.stderr and result.returncode == 0, result.stderr
    assert "Declared Undefined" in result.stdout


def test_export_exports_the_page(hostile_page: Path, tmp_path: Path) -> None:
    result = essaytui("export", hostile_page, data=tmp_path / "data")
    assert "Traceback" not in result.stderr and result.returncode == 0, result.stderr
    assert "Declared undefined" in result.stdout


def test_standard_input_reads_the_page(hostile_page: Path, tmp_path: Path) -> None:
    """`essaytui - < page.html`, its output a pipe."""
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", "-"],
        input=hostile_page.read_bytes(),
        capture_output=True,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(tmp_path / "data")},
        timeout=60,
        check=False,
    )
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr and result.returncode == 0, stderr
    assert "read as" in stderr and "Some text ÿ here" in result.stdout.decode()
