"""Control characters XML forbids (BEL, ESC, …) in a book's chapters or a saved page, where
the conversion edits the tree around them (a noteref beside one, an anchor before one):
libxml2's HTML parser keeps them and lxml refused every text set near one, so every
command failed with a traceback. They now show as their control pictures everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from epub_books import control_character_book
from test_epub_hostile import essaytui

from essaytui.model.files import load_essay
from essaytui.model.html import lxml_markup
from essaytui.model.text import xml_compatible

#: What must never reach any output.
RAW = ("\x1b", "\x07", "\ufffe", "\uffff")

PAGE = (
    "<html><head><title>Page</title></head><body><article>"
    "<h1>Head\x1b[5m blink</h1>"
    '<p>A bell\x07 rang<sup><a href="#fn1" id="r1">1</a></sup> and &#27;[31m red.</p>'
    '<ol class="footnotes"><li id="fn1">The note\x07 <a href="#r1">back</a></li></ol>'
    "</article></body></html>"
)


def assert_inert(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output
        for char in RAW:
            assert char not in output, (char, output)


def test_xml_compatible_shows_what_a_tree_cannot_hold() -> None:
    assert xml_compatible("a\x07b\x1bc\x00d\tf\ng\rh\ufffei\uffffj\ud800") == (
        "a␇b␛c␀d\tf\ng\rh�i�j�"
    )
    assert xml_compatible("plain — text") == "plain — text"


def test_references_to_such_characters_are_written_as_their_pictures() -> None:
    markup = "&#7; &#x1B; &#X1b &#0027; &#xFFFF; &#x85; &#160; &#9; &#" + "9" * 5000 + ";"
    assert lxml_markup(markup) == ("␇ ␛ ␛ ␛ � &#x85; &#160; &#9; &#" + "9" * 5000 + ";")


def test_a_book_with_control_characters_reads_them_as_pictures(tmp_path: Path) -> None:
    essay = load_essay(control_character_book(tmp_path / "controls.epub"))
    text = essay.reading_text
    assert "Head␛[5m blink" in text
    assert "A bell␇ rang" in text
    assert "Refs␛[31m" in text
    assert "Coded ␇ bell" in text
    assert [note.text for note in essay.footnotes] == ["First␇ note.", "Second ␛ note."]
    assert_inert(text, *(note.text for note in essay.footnotes))


def test_every_command_reads_such_a_book(tmp_path: Path) -> None:
    book = control_character_book(tmp_path / "controls.epub")
    piped = essaytui(book, home=tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert "A bell␇ rang" in piped.stdout and "Head␛[5m" in piped.stdout
    converted = essaytui("convert", book, home=tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert "A bell␇ rang" in converted.stdout
    written = essaytui("convert", book, "-o", tmp_path / "controls.md", home=tmp_path)
    assert written.returncode == 0, written.stderr
    markdown = (tmp_path / "controls.md").read_text(encoding="utf-8")
    assert "A bell␇ rang" in markdown
    added = essaytui("add", book, home=tmp_path / "other")
    assert added.returncode == 0, added.stderr
    outputs = [piped, converted, written, added]
    for style in ("text", "bibtex"):
        cited = essaytui("cite", book, "--format", style, home=tmp_path)
        assert cited.returncode == 0, cited.stderr
        assert "Controls" in cited.stdout
        outputs.append(cited)
    assert_inert(markdown, *(o.stdout for o in outputs), *(o.stderr for o in outputs))


@pytest.mark.parametrize("command", [(), ("convert",)])
def test_a_saved_page_with_control_characters_beside_a_footnote(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    saved = tmp_path / "page.html"
    saved.write_text(PAGE, encoding="utf-8")
    result = essaytui(*command, saved, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "A bell␇ rang" in result.stdout
    assert "␛[31m red" in result.stdout
    assert "The note␇" in result.stdout
    assert_inert(result.stdout, result.stderr)
