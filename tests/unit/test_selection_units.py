"""Moving a selection's end by a character, word, sentence or paragraph (model/selection)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaytui.model.parse import parse_essay
from essaytui.model.selection import Unit, moved, next_word

TEXT = "# Title\n\nFirst sentence here. Second one follows.\n\nA new paragraph starts.\n"


def test_units_are_named_as_the_bindings_name_them() -> None:
    assert [unit.value for unit in Unit] == ["char", "word", "sentence", "paragraph"]
    assert Unit("sentence") is Unit.SENTENCE
    with pytest.raises(ValueError):
        Unit("line")


def test_each_unit_moves_forward_and_back() -> None:
    essay = parse_essay(TEXT)
    text = essay.reading_text
    start = text.index("First")
    assert moved(essay, start, Unit.CHAR, 1) == start + 1
    assert text[start : moved(essay, start, Unit.WORD, 1)] == "First"
    end = moved(essay, start, Unit.SENTENCE, 1)
    assert text[start:end].rstrip() == "First sentence here."
    assert moved(essay, end, Unit.SENTENCE, -1) <= end
    block_end = moved(essay, start, Unit.PARAGRAPH, 1)
    assert text[start:block_end].endswith("Second one follows.")
    assert moved(essay, block_end, Unit.PARAGRAPH, -1) <= start
    assert moved(essay, 0, Unit.CHAR, -1) == 0


@given(st.text(max_size=80), st.integers(min_value=0, max_value=80), st.sampled_from([1, -1]))
def test_a_word_move_stays_in_the_text_and_goes_its_way(text: str, cursor: int, step: int) -> None:
    cursor = min(cursor, len(text))
    after = next_word(text, cursor, step)
    assert 0 <= after <= len(text)
    if step > 0:
        assert after >= cursor
    else:
        assert after <= cursor
