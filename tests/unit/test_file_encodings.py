"""A file that is not UTF-8 is read in its encoding, with a warning naming it: the
page's declared charset first, else the one charset-normalizer detects.
A UTF-8 file with a few damaged bytes stays UTF-8; bytes that are no text are refused.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from essaytui.model.files import EssayFileError, decode_text, load_essay

TEXTS = Path(__file__).resolve().parents[1] / "data" / "text"
PAGES = Path(__file__).resolve().parents[1] / "data" / "html"

#: The opening of Natsume Sōseki's "I Am a Cat" (1905): detection needs real text, not a
#: sentence repeated (charset-normalizer reads one repeated as Korean).
SOSEKI = (
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめ"
    "した所でニャーニャー泣いていた事だけは記憶している。吾輩はここで始めて人間というものを"
    "見た。しかもあとで聞くとそれは書生という人間中で一番獰悪な種族であったそうだ。この書生"
    "というのは時々我々を捕えて煮て食うという話である。しかしその当時は何という考もなかった"
    "から別段恐しいとも思わなかった。"
)


FRENCH = (
    "Le château se dressait au bout de l'allée. À l'époque, on y allait à pied, par le "
    "chemin des écoliers, et l'on s'arrêtait au café du village. Naïve ou non, la façade "
    "avait gardé ses volets bleus.\n"
)


def test_a_latin_1_file_is_read_as_latin_1_and_says_so() -> None:
    essay = load_essay(TEXTS / "latin-1.txt")
    assert "Le château se dressait" in essay.reading_text and "\ufffd" not in essay.reading_text
    assert essay.warnings[0] == f"{TEXTS / 'latin-1.txt'}: read as Latin-1 (not UTF-8)"


def test_a_windows_1252_file_with_curly_quotes_is_read_as_windows_1252() -> None:
    text, warnings = decode_text((TEXTS / "windows-1252-post.txt").read_bytes(), "post.txt")
    assert "“We are partners, not allies” – a café conversation" in text
    assert "\r" not in text
    assert warnings == ["post.txt: read as Windows-1252 (not UTF-8)"]


def test_a_page_is_read_in_the_charset_it_declares() -> None:
    data = (PAGES / "word-notes-windows-1252.html").read_bytes()
    text, warnings = decode_text(data, "page.html")
    assert "Le café des délégués" in text and "l’endroit" in text
    assert warnings == ["page.html: read as Windows-1252 (not UTF-8, as the page declares)"]


def test_a_page_declaring_a_wrong_charset_is_read_in_the_detected_one() -> None:
    data = ("<!DOCTYPE html><meta charset=utf-8><p>" + FRENCH).encode("latin-1")
    text, warnings = decode_text(data, "page.html")
    assert "château" in text
    assert warnings == ["page.html: read as Latin-1 (not UTF-8)"]


@pytest.mark.parametrize(
    ("encoding", "name", "sample"),
    [
        ("cp1251", "Windows-1251", "Москва — столица России, крупнейший город страны. " * 6),
        ("shift_jis", "Shift_JIS", SOSEKI),
        (
            "gb18030",
            "GB18030",
            "因此，我们必须认真对待这个问题，不能掉以轻心。这是长期的任务。" * 4,
        ),
    ],
)
def test_other_encodings_are_detected_and_named(encoding: str, name: str, sample: str) -> None:
    text, warnings = decode_text(sample.encode(encoding), "file.txt")
    assert text == sample
    assert len(warnings) == 1 and warnings[0].startswith("file.txt: read as ")
    # what is named decodes the same (GBK, GB2312 and GB18030 agree on this text)
    named = warnings[0].removeprefix("file.txt: read as ").removesuffix(" (not UTF-8)")
    assert codecs.decode(sample.encode(encoding), named.replace("Windows-", "cp")) == sample
    assert named == name or (encoding == "gb18030" and named in ("GBK", "GB2312", "GB18030"))


def test_utf8_with_a_few_damaged_bytes_stays_utf8() -> None:
    data = ("Ein schönes Beispiel für Umlaute: Größe, Übung, äußerst. " * 10).encode()
    damaged = data[:40] + b"\xff" + data[40:]
    text, warnings = decode_text(damaged, "essay.md")
    assert "Größe" in text and text.count("\ufffd") == 1
    assert warnings == ["essay.md is not valid UTF-8: 1 bytes shown as \ufffd"]


def test_utf8_is_read_without_a_warning() -> None:
    text, warnings = decode_text(FRENCH.encode(), "essay.md")
    assert (text, warnings) == (FRENCH, [])


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,  # every byte: controls and NULs
        b"\x00\x01\x02PK\x03\x04" + bytes(4000),  # a zip's start
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    ],
)
def test_binary_bytes_are_refused_with_one_line(data: bytes) -> None:
    with pytest.raises(EssayFileError) as raised:
        decode_text(data, "page.html")
    assert str(raised.value) == "page.html: is a binary file, not text"


def test_a_truncated_multibyte_text_is_read_or_refused_never_raising_otherwise() -> None:
    sample = SOSEKI
    for cut in (1, 7, 13):
        data = sample.encode("utf-8")[:-cut]
        try:
            text, _ = decode_text(data, "cut.md")
        except EssayFileError as error:
            assert "\n" not in str(error)
        else:
            assert text.startswith("吾輩は猫である。")
    data = sample.encode("shift_jis")[:-1]
    text, warnings = decode_text(data, "cut.txt")
    assert text.startswith("吾輩は猫である。") and "read as" in warnings[0]
