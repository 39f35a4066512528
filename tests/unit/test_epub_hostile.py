"""Bad books: DRM, zip bombs, paths out of the book, missing or broken packages, missing
chapters, huge chapters, thousands of chapters, picture books. Each is one line (exit 2
from the command line) or a readable book with a warning; nothing is extracted to disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from epub_books import XHTML_TYPE, epub3_book, opf3, page, write_epub

from essaytui.model.epub import archive as book_archive
from essaytui.model.files import EssayFileError, load_essay

#: Seconds any one bad book may take before the test fails (a hang, not slowness).
BAD_INPUT_TIMEOUT = 120


def essaytui(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "essaytui", *map(str, args)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "ESSAYTUI_DATA_DIR": str(home / "data"),
            "ESSAYTUI_CACHE_DIR": str(home / "cache"),
        },
        stdin=subprocess.DEVNULL,
        timeout=BAD_INPUT_TIMEOUT,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def simple_book(path: Path, chapters: Mapping[str, str | bytes], **extra: str | bytes) -> Path:
    """A book whose spine is `chapters` (names under OEBPS/), in order."""
    items = [(f"c{n}", name, XHTML_TYPE, "") for n, name in enumerate(chapters)]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, [i for i, *_ in items], metadata="<dc:title>B</dc:title>"),
        **{f"OEBPS/{name}": body for name, body in chapters.items()},
        **extra,
    }
    return write_epub(path, files)


ENCRYPTION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>
  </enc:EncryptedData>
</encryption>
"""


def test_a_drm_book_is_one_line_and_exit_2(tmp_path: Path) -> None:
    book = simple_book(
        tmp_path / "locked.epub",
        {"c.xhtml": b"\x8a\x13\xf0 ciphertext"},
        **{
            "META-INF/encryption.xml": ENCRYPTION.format(
                algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="OEBPS/c.xhtml"
            )
        },
    )
    line = one_line_error(essaytui(book, home=tmp_path))
    assert line == f"essaytui: {book}: encrypted (DRM): essaytui can't read it"


def test_font_obfuscation_is_not_drm(tmp_path: Path) -> None:
    fonts: dict[str, str | bytes] = {
        "META-INF/encryption.xml": ENCRYPTION.format(
            algorithm="http://www.idpf.org/2008/embedding", uri="OEBPS/fonts/a.otf"
        ),
        "OEBPS/fonts/a.otf": b"\x00\x01obfuscated",
    }
    book = simple_book(
        tmp_path / "fonts.epub",
        {"c.xhtml": page("<p>Readable text.</p>")},
        **fonts,
    )
    assert "Readable text." in load_essay(book).reading_text


def test_a_zip_bomb_chapter_is_left_out_without_being_inflated(tmp_path: Path) -> None:
    bomb = b"<p>" + b"a" * (64 * 1024 * 1024) + b"</p>"
    book = simple_book(
        tmp_path / "bomb.epub", {"a.xhtml": page("<p>Before the bomb.</p>"), "b.xhtml": bomb}
    )
    assert book.stat().st_size < 1024 * 1024
    essay = load_essay(book)
    assert "Before the bomb." in essay.reading_text
    assert any("b.xhtml" in w and "left out" in w for w in essay.warnings), essay.warnings


def test_a_chapter_of_50_mb_is_left_out_with_a_warning(tmp_path: Path) -> None:
    # text that compresses like prose (2:1): not a zip bomb, just too large
    words = os.urandom(25 * 1024 * 1024).hex().encode()
    book = simple_book(
        tmp_path / "huge.epub",
        {"a.xhtml": page("<p>The short chapter.</p>"), "b.xhtml": b"<p>" + words + b"</p>"},
    )
    essay = load_essay(book)
    assert "The short chapter." in essay.reading_text
    (warning,) = [w for w in essay.warnings if "b.xhtml" in w]
    assert "too large" in warning or "zip bomb" in warning


def test_a_lying_size_is_caught_while_reading(tmp_path: Path) -> None:
    path = simple_book(tmp_path / "liar.epub", {"a.xhtml": page("<p>" + "x" * 5000 + "</p>")})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("OEBPS/a.xhtml")
    # the central directory's uncompressed size (24 bytes into the header that ends
    # 46 bytes before the name) says 100 bytes
    at = bytes(data).find(info.filename.encode(), bytes(data).find(b"PK\x01\x02"))
    size_field = at - 46 + 24
    assert int.from_bytes(data[size_field : size_field + 4], "little") == info.file_size
    data[size_field : size_field + 4] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(EssayFileError) as caught:
        load_essay(path)
    assert "\n" not in str(caught.value)


def test_paths_out_of_the_book_are_never_read_nor_written(tmp_path: Path) -> None:
    inside = tmp_path / "shelf"
    inside.mkdir()
    items = [("c0", "c.xhtml", XHTML_TYPE, ""), ("evil", "../../evil.xhtml", XHTML_TYPE, "")]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, ["evil", "c0"], metadata="<dc:title>B</dc:title>"),
        "OEBPS/c.xhtml": page("<p>Safe text.</p>"),
        "../evil.xhtml": page("<p>Outside text.</p>"),
        "/etc/evil.xhtml": page("<p>Rooted text.</p>"),
    }
    book = write_epub(inside / "climb.epub", files)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    essay = load_essay(book)
    assert "Safe text." in essay.reading_text
    assert "Outside" not in essay.reading_text and "Rooted" not in essay.reading_text
    after = sorted(p.name for p in tmp_path.rglob("*") if "essaytui-cache" not in p.parts)
    assert after == before


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"OEBPS/c.xhtml": "<p>x</p>"}, "has no package file"),
        (
            {"OEBPS/content.opf": "this is not XML at all"},
            "package file (OEBPS/content.opf) cannot be read",
        ),
        ({"OEBPS/content.opf": "<package><manifest/></package>"}, "has no reading order"),
    ],
)
def test_a_missing_or_broken_package_is_one_line(
    tmp_path: Path, files: dict[str, str | bytes], expected: str
) -> None:
    book = write_epub(tmp_path / "broken.epub", files, container="OEBPS/content.opf" in files)
    line = one_line_error(essaytui(book, home=tmp_path))
    assert expected in line, line


def test_not_a_zip_is_one_line(tmp_path: Path) -> None:
    book = tmp_path / "fake.epub"
    book.write_text("just text with an .epub name", encoding="utf-8")
    line = one_line_error(essaytui(book, home=tmp_path))
    assert line == f"essaytui: {book}: is not an EPUB (not a readable zip archive)"


def test_a_spine_of_missing_files_warns_and_reads_the_rest(tmp_path: Path) -> None:
    items = [(f"c{n}", f"c{n}.xhtml", XHTML_TYPE, "") for n in range(3)]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, ["c0", "c1", "c2"], metadata="<dc:title>B</dc:title>"),
        "OEBPS/c1.xhtml": page("<p>The only chapter there.</p>"),
    }
    essay = load_essay(write_epub(tmp_path / "holes.epub", files))
    assert "The only chapter there." in essay.reading_text
    assert (
        "2 documents of the reading order are missing from the book: c0.xhtml, c2.xhtml"
        in essay.warnings
    )


def test_a_book_of_pictures_is_one_line(tmp_path: Path) -> None:
    pages = {
        f"p{n}.xhtml": page(f'<div><img src="../images/{n}.png" alt=""/></div>') for n in range(5)
    }
    book = simple_book(tmp_path / "comic.epub", pages)
    line = one_line_error(essaytui(book, home=tmp_path))
    assert "has no text to read (its pages are pictures" in line


def test_ten_thousand_chapters_read_in_bounded_time(tmp_path: Path) -> None:
    chapters = {f"c{n}.xhtml": page(f"<h2>Chapter {n}</h2><p>Text {n}.</p>") for n in range(10_000)}
    book = simple_book(tmp_path / "many.epub", chapters)
    result = essaytui(book, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Text 0." in result.stdout and "Text 9999." in result.stdout


def test_escape_codes_in_a_book_never_reach_the_terminal(tmp_path: Path) -> None:
    book = simple_book(
        tmp_path / "escapes.epub",
        {"c.xhtml": page("<h1>Title\x1b]0;owned\x07</h1><p>Text \x1b[31mred\x1b[0m here.</p>")},
    )
    result = essaytui(book, home=tmp_path)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_nothing_is_extracted_next_to_the_book(tmp_path: Path) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    book = epub3_book(shelf / "keeper.epub")
    load_essay(book)
    assert [p.name for p in shelf.iterdir()] == ["keeper.epub"]


def test_member_names_that_climb_are_not_members() -> None:
    assert book_archive.resolve("OEBPS/text/c.xhtml", "../../../etc/passwd") is None
    assert book_archive.resolve("OEBPS/c.xhtml", "/etc/passwd") is None
    assert book_archive.resolve("OEBPS/c.xhtml", "https://example.org/x") is None
    assert book_archive.resolve("OEBPS/text/c.xhtml", "../notes.xhtml#n1") == "OEBPS/notes.xhtml"


def test_an_entity_bomb_is_never_expanded(tmp_path: Path) -> None:
    levels = ['<!ENTITY a "' + "a" * 60 + '">']
    for name, previous in zip("bcdefg", "abcdef", strict=True):
        levels.append(f'<!ENTITY {name} "' + f"&{previous};" * 20 + '">')
    chapter = (
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n' + "\n".join(levels) + "\n]>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Before.</p><p>&g;</p>'
        "<p>After.</p></body></html>"
    )
    essay = load_essay(simple_book(tmp_path / "laughs.epub", {"c.xhtml": chapter}))
    assert "Before." in essay.reading_text and "After." in essay.reading_text
    assert len(essay.reading_text) < 1000
