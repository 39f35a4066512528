"""Reading essay files: clear errors for bad files, inert text for hostile ones."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from without_privileges import unprivileged

from essaytui.model.files import EssayFileError, load_essay, read_text_file
from essaytui.model.text import sanitize

DATA = Path(__file__).parent.parent / "data"

_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def error_for(path: Path, **kwargs: int) -> str:
    with pytest.raises(EssayFileError) as caught:
        read_text_file(path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


# -- bad files ------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in error_for(tmp_path / "nope.md")


def test_directory(tmp_path: Path) -> None:
    assert "is a directory" in error_for(tmp_path)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert "not a regular file" in error_for(fifo)


def test_empty_and_blank_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert "is empty" in error_for(empty)
    blank = tmp_path / "blank.md"
    blank.write_bytes(b"  \n\n\t\n")
    assert "is empty" in error_for(blank)


def test_too_large(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"word " * 1000)
    assert "too large" in error_for(big, max_bytes=1000)


def test_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "binary" in error_for(binary)


def test_mostly_control_bytes_is_binary(tmp_path: Path) -> None:
    noise = tmp_path / "noise.md"
    noise.write_bytes(bytes([1, 2, 3, 4, 5, 65]) * 500)
    assert "binary" in error_for(noise)


def test_not_utf8_at_all(tmp_path: Path) -> None:
    latin = tmp_path / "garbage.md"
    latin.write_bytes(bytes(range(0xC0, 0x100)) * 40)
    assert "not UTF-8" in error_for(latin)


def test_unreadable_file_reports_permission(tmp_path: Path) -> None:
    """A real permission failure, for root as for anyone: the read runs in a child that
    has given up root's power to read past mode bits (tests/unit/without_privileges.py)."""
    locked = tmp_path / "locked.md"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    script = unprivileged(
        "import json, sys\n"
        "from pathlib import Path\n"
        "from essaytui.model.files import EssayFileError, read_text_file\n"
        "try:\n"
        "    read_text_file(Path(sys.argv[1]))\n"
        "except EssayFileError as error:\n"
        "    print(json.dumps(str(error)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(locked)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    message = json.loads(result.stdout)
    assert message == f"{locked}: cannot be read: permission denied"


# -- decoding -------------------------------------------------------------------------------


def test_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\r\n\r\nText\rmore")
    text, warnings = read_text_file(path)
    assert text == "# Title\n\nText\nmore"
    assert warnings == []


def test_latin1_text_opens_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes("Café au lait, naïve façade.\n".encode("latin-1"))
    text, warnings = read_text_file(path)
    # read in the detected encoding, named (it used to show "Caf\ufffd")
    assert text.startswith("Café au lait")
    assert warnings == [f"{path}: read as Latin-1 (not UTF-8)"]


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "utf16.md"
    path.write_bytes("# Überschrift\n\nText.".encode("utf-16"))
    text, warnings = read_text_file(path)
    assert text == "# Überschrift\n\nText."
    assert warnings == []


# -- loading --------------------------------------------------------------------------------


def test_load_essay_with_sibling_glossary() -> None:
    essay = load_essay(DATA / "sibling-glossary" / "essay.md")
    assert {term.name for term in essay.glossary} >= {"One Belt One Road", "Central Asia"}
    assert essay.source_path == str((DATA / "sibling-glossary" / "essay.md").resolve())


def test_glossary_file_itself_is_not_its_own_glossary() -> None:
    essay = load_essay(DATA / "sibling-glossary" / "glossary.md")
    assert essay.glossary == ()


def test_broken_sibling_glossary_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "essay.md").write_text("Some text.", encoding="utf-8")
    (tmp_path / "glossary.md").write_bytes(b"")
    essay = load_essay(tmp_path / "essay.md")
    assert essay.reading_text == "Some text."
    assert any("glossary not used" in w and "is empty" in w for w in essay.warnings)


def test_read_warnings_reach_the_essay(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes(b"Caf\xe9.")
    essay = load_essay(path)
    assert essay.warnings[0] == f"{path}: read as Latin-1 (not UTF-8)"


def test_load_essay_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text("\n\n".join(f"Paragraph {i}." for i in range(2000)), encoding="utf-8")
    essay = load_essay(path, limit=1000)
    assert not essay.complete
    assert len(essay.reading_text) < 2000


def test_load_errors_propagate(tmp_path: Path) -> None:
    with pytest.raises(EssayFileError, match="no such file"):
        load_essay(tmp_path / "missing.md")


# -- inert text -------------------------------------------------------------------------------


def test_sanitize_controls_escapes_and_bidi() -> None:
    assert sanitize("a\x1b]0;pwned\x07b") == "a␛]0;pwned␇b"
    assert sanitize("csi \x9b31m") == "csi \ufffd31m"
    assert sanitize("del\x7f nul\x00") == "del␡ nul␀"
    assert sanitize("x\u202eevil\u202c\u2066y\u2069") == "xevily"
    assert sanitize("a\tb\r\nc\rd") == "a   b\nc\nd"
    assert sanitize("plain text\n") == "plain text\n"
    assert sanitize("line\u2028sep\u2029x") == "line sep x"


def test_hostile_file_is_inert_everywhere() -> None:
    glossary = (DATA / "hostile-glossary.md").read_text(encoding="utf-8")
    text, _ = read_text_file(DATA / "hostile-escapes.md")
    from essaytui.model.parse import parse_essay

    essay = parse_essay(text, glossary_source=glossary)
    visible = [essay.title, essay.author, essay.reading_text, *essay.meta.values()]
    visible += [note.text for note in essay.footnotes]
    visible += [term.name for term in essay.glossary]
    visible += [term.definition for term in essay.glossary]
    visible += [alias for term in essay.glossary for alias in term.aliases]
    visible += [section.title for section in essay.sections]
    for piece in visible:
        assert not _UNSAFE.search(piece.replace("\n", "")), repr(piece)
    assert "␛]0;pwned␇" in essay.title
    assert "␛]52;c;cHduZWQ=" in essay.reading_text
    assert essay.meta["series"] == "␛]52;c;cHduZWQ=␇"  # YAML "\e" and "\a" escapes
    assert "evil" in essay.reading_text
    assert essay.glossary and "␛[2J" in essay.glossary[0].definition
