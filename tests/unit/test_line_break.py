"""Line breaking of CJK text: UAX #14 where a line ends."""

from __future__ import annotations

from array import array

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from essaytui.widgets.line_break import break_before, line_break_class, line_end
from essaytui.widgets.text_layout import wrap_text

CLOSING = "，。、」』）》！？：；"
OPENING = "「『（《"
NEVER_FIRST = ("CL", "CP", "EX", "IS", "NS", "CJ", "IN")


def lines_of(text: str, width: int) -> list[str]:
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    wrap_text(text, 0, width, starts, ends)
    return [text[start:end] for start, end in zip(starts, ends, strict=True)]


def test_the_classes_of_cjk_punctuation() -> None:
    assert {line_break_class(char) for char in "，。、」』）》"} == {"CL"}
    assert {line_break_class(char) for char in OPENING} == {"OP"}
    assert line_break_class("“") == "OP" and line_break_class("”") == "CL"  # by category
    assert line_break_class("ー") == "CJ" and line_break_class("っ") == "CJ"
    assert line_break_class("中") == "ID" and line_break_class("가") == "ID"
    assert line_break_class("¹") == "CL"  # a footnote marker stays with its word


def test_a_comma_that_would_start_a_line_takes_a_character_with_it() -> None:
    text = "城市的记忆往往藏在最普通的地方。老街口"
    # 15 characters fit in 30 cells: "…的地方" then "。" would start the next line
    assert lines_of(text, 30) == ["城市的记忆往往藏在最普通的地", "方。老街口"]


def test_an_opening_bracket_never_ends_a_line() -> None:
    text = "一位老人说「街道是一种公共的客厅」。"
    for width in range(8, 40):
        for line in lines_of(text, width):
            assert line_break_class(line[-1]) != "OP", (width, line)
            assert line_break_class(line[0]) not in NEVER_FIRST, (width, line)


def test_latin_words_break_at_spaces_and_keep_their_numbers() -> None:
    text = "见 Jacobs 1961 的第三章，price rose 140% in 8 years，共 3.14 倍。"
    for width in range(10, 50):
        for line in lines_of(text, width):
            assert not line.startswith(("%", ".14", "，", "。")), (width, line)
            assert cell_len(line) <= width
    assert "Jacobs" in "".join(lines_of(text, 12))


def test_japanese_small_kana_and_long_marks_stay_with_their_syllable() -> None:
    text = "シャッター通りという言葉が広く使われるようになった。"
    for width in range(6, 40):
        for line in lines_of(text, width):
            assert line[0] not in "ャッーょっ", (width, line)


def test_spaces_hang_at_the_line_end_and_no_break_before_closing_after_them() -> None:
    assert line_end("ab 」cd", 0, 2) == 2  # "ab" cannot end before the space at "」"
    assert break_before("中 文", 2)
    assert not break_before("中 」", 2)
    assert not break_before("「 中", 2)  # opening punctuation, spaces, then the text


def test_a_run_longer_than_the_line_is_cut() -> None:
    text = "，" * 30
    lines = lines_of(text, 10)
    assert "".join(lines) == text and all(cell_len(line) <= 10 for line in lines)


WORD = st.text(alphabet="城市记忆街道客厅老人公园東京日本語", min_size=1, max_size=6)
PIECE = st.one_of(
    WORD,
    st.builds(lambda word, mark: word + mark, WORD, st.sampled_from(CLOSING)),
    st.builds(lambda mark, word: mark + word, st.sampled_from(OPENING), WORD),
    st.builds(lambda word: f" {word} ", st.text(alphabet="abcdef", min_size=1, max_size=8)),
)


@given(st.lists(PIECE, min_size=1, max_size=40), st.integers(min_value=12, max_value=90))
def test_wrapped_cjk_lines_keep_every_character_and_the_punctuation_rules(
    pieces: list[str], width: int
) -> None:
    text = "".join(pieces).strip()
    if not text:
        return
    lines = lines_of(text, width)
    # nothing lost: the lines and the spaces between them are the text
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for index, line in enumerate(lines):
        assert cell_len(line) <= width
        if index:
            assert line_break_class(line[0]) not in NEVER_FIRST, (width, lines)
        if index + 1 < len(lines):
            assert line_break_class(line[-1]) != "OP", (width, lines)
