"""Search: literal and `re:` queries, matches, and stepping between them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essaytui.model.search import (
    SearchError,
    TextSearch,
    compile_query,
    find_matches,
    next_match,
)


def test_literal_query_is_case_insensitive_and_escaped() -> None:
    pattern = compile_query("a.b (c)")
    assert find_matches("A.B (C) axb (c)", pattern) == [(0, 7)]


def test_regex_query() -> None:
    pattern = compile_query(r"re:\bpart\w*")
    assert find_matches("Partners in partnership, apart.", pattern) == [(0, 8), (12, 23)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty search"),
        ("   ", "empty search"),
        ("re:", "empty regular expression"),
        ("re:(", "invalid regular expression: missing ), unterminated subpattern at position 0"),
        ("re:a{2,1}", "invalid regular expression"),
        ("re:(a+)+$", "refused"),
        ("re:((\\w+)\\s?)*x", "refused"),
        ("re:(?:a|b*){2,}", "refused"),
        ("re:(a)\\1", "back-references"),
        ("re:" + "a" * 600, "too long"),
    ],
)
def test_bad_queries_give_one_readable_line(query: str, message: str) -> None:
    with pytest.raises(SearchError) as caught:
        compile_query(query)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_harmless_repetition_is_allowed() -> None:
    for query in ["re:(ab)+", "re:[(]a+[)]+", "re:a{2,3}", r"re:(a\+)+", "re:(cat|dog)s?"]:
        assert isinstance(compile_query(query), re.Pattern)


def test_empty_matches_are_skipped_and_limit_applies() -> None:
    assert find_matches("abc", compile_query("re:x*")) == []
    assert len(find_matches("aaaa", compile_query("a"), limit=3)) == 3


def test_next_match_wraps_both_ways() -> None:
    matches = [(2, 4), (5, 7), (8, 10)]
    assert next_match(matches, 2) == 1
    assert next_match(matches, 0) == 0
    assert next_match(matches, 8) == 0  # wraps to the first
    assert next_match(matches, 5, forward=False) == 0
    assert next_match(matches, 2, forward=False) == 2  # wraps to the last
    assert next_match(matches, 100, forward=False) == 2
    assert next_match([], 0) is None


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=200),
    query=st.text(min_size=1, max_size=5),
    regex=st.booleans(),
    offset=st.integers(-5, 210),
)
def test_matches_in_bounds(text: str, query: str, regex: bool, offset: int) -> None:
    try:
        pattern = compile_query(("re:" if regex else "") + query)
    except SearchError:
        return
    matches = find_matches(text, pattern)
    for start, end in matches:
        assert 0 <= start < end <= len(text)
    assert matches == sorted(matches)
    index = next_match(matches, offset)
    if matches:
        assert index is not None and 0 <= index < len(matches)
    else:
        assert index is None


def test_plain_queries_are_found_in_the_folded_text() -> None:
    text = "Russia, RUSSIA and russia’s Rußland; İstanbul. Nothing else: russiarussia"
    search = TextSearch(text)
    query = "russia"
    found = search.find(query, compile_query(query))
    assert [text[s:e].lower() for s, e in found] == ["russia"] * 5
    # non-overlapping, left to right, as finditer gives them
    assert found == find_matches(text, compile_query(query))
    assert search.find("İstanbul", compile_query("İstanbul")) == [
        (text.index("İ"), text.index("."))
    ]
    assert search.find("x", compile_query("x"), limit=0) == []
    assert search.find("re:Ru(ss|ß)", compile_query("re:Ru(ss|ß)"))[:2] == [(0, 4), (8, 12)]


_SEARCH_TEXT = st.text(alphabet="abcABC éÉ-’'\nxyzXYZ", max_size=120)


@settings(max_examples=300)
@given(_SEARCH_TEXT, st.text(alphabet="abcABC éÉ-’'xyz", min_size=1, max_size=5))
def test_plain_search_finds_what_a_case_insensitive_expression_finds(text: str, query: str) -> None:
    if not query.strip():
        return
    pattern = compile_query(query)
    assert TextSearch(text).find(query, pattern) == find_matches(text, pattern)
