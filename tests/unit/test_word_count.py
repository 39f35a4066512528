"""`word_count`: the words of a text counted slice by slice, as `str.split` counts them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from essaytui.model.text import word_count

#: Words, runs of blanks of every kind `str.split` knows, and CJK text without spaces.
PIECES = st.sampled_from(["a", "word", "長い文章", " ", "  ", "\n", "\n\n", "\t", "\u3000", "\xa0"])


@given(st.lists(PIECES, max_size=60).map("".join), st.integers(min_value=1, max_value=9))
def test_counts_what_split_counts_whatever_the_slices(text: str, slice_size: int) -> None:
    assert word_count(text, slice_size) == len(text.split())


def test_a_word_longer_than_several_slices_is_one_word() -> None:
    assert word_count("x" * 50 + " y", slice_size=7) == 2
    assert word_count("", slice_size=3) == 0
    assert word_count("   ", slice_size=1) == 0
