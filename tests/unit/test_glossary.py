"""Glossary: reading definition lists, term variants, matching in the text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from essaytui import paths
from essaytui.model.files import load_essay
from essaytui.model.glossary import (
    GlossaryEntry,
    GlossaryMatcher,
    build_terms,
    entries_from_front_matter,
    is_acronym,
    parse_glossary_source,
    term_id,
    variants,
)
from essaytui.model.parse import parse_essay
from essaytui.model.text import lower_same_length

DATA = Path(__file__).parent.parent / "data"


def both_ways(
    matcher: GlossaryMatcher, text: str, excluded: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, str]]:
    """`matcher.find`, checked to give the same by scanning and by regular expression."""
    scanned = matcher.find(text, excluded or [])
    matcher.SCAN_LIMIT = -1  # this instance only: always the regular expression
    try:
        by_regex = matcher.find(text, excluded or [])
    finally:
        del matcher.SCAN_LIMIT
    assert scanned == by_regex
    return scanned


def found(terms: list[tuple[str, str, list[str]]], text: str) -> list[tuple[str, str]]:
    """`(matched text, term id)` for every occurrence (both ways of finding agree)."""
    matcher = GlossaryMatcher(terms)
    return [(text[s:e], ident) for s, e, ident in both_ways(matcher, text)]


# -- reading ----------------------------------------------------------------------------------


def test_glossary_md_with_aliases_and_see_also() -> None:
    source = (DATA / "sibling-glossary" / "glossary.md").read_text(encoding="utf-8")
    entries, warnings = parse_glossary_source(source)
    assert warnings == []
    obor = entries[0]
    assert obor.name == "One Belt One Road"
    assert obor.aliases == ("OBOR", "Belt and Road Initiative", "BRI")
    assert obor.definition == "China's programme of infrastructure investment announced in 2013."
    assert obor.see_also == ("Central Asia", "sphere of influence")
    assert [e.name for e in entries] == [
        "One Belt One Road",
        "Central Asia",
        "sphere of influence",
        "unequal treaty",
        "Sino-Soviet split",
    ]


def test_glossary_md_multi_paragraph_definition_and_missing_definition() -> None:
    source = "Alpha\n: First *para*.\n\n    Second para.\n\nBeta\n\nGamma\n: g\n"
    entries, _ = parse_glossary_source(source)
    alpha = entries[0]
    assert alpha.definition == "First para.\n\nSecond para."
    assert [e.name for e in entries] == ["Alpha", "Gamma"]


def test_front_matter_glossary_forms() -> None:
    entries, warnings = entries_from_front_matter(
        [
            {"term": "EEU", "def": "Eurasian union.", "aliases": ["Eurasian Economic Union"]},
            {"name": "SCO", "definition": "Shanghai body. See also: BRICS; EEU"},
            {"term": "X", "def": "x", "see_also": "A; B", "aliases": "Ex | Eks"},
            {"def": "no term"},
            "not a mapping",
        ]
    )
    assert entries[0] == GlossaryEntry("EEU", ("Eurasian Economic Union",), "Eurasian union.")
    assert entries[1].see_also == ("BRICS", "EEU")
    assert entries[1].definition == "Shanghai body."
    assert entries[2].aliases == ("Ex", "Eks")
    assert entries[2].see_also == ("A", "B")
    assert len(warnings) == 2
    mapping, _ = entries_from_front_matter({"NATO": "An alliance."})
    assert mapping == [GlossaryEntry("NATO", (), "An alliance.")]
    _, bad = entries_from_front_matter("oops")
    assert bad


def test_front_matter_glossary_fixture() -> None:
    essay = load_essay(DATA / "front-matter-glossary.md")
    terms = essay.terms_by_id
    eeu = terms["eurasian-economic-union"]
    quoted = [essay.reading_text[s:e] for s, e in eeu.occurrences]
    assert quoted == ["Eurasian Economic Union", "EEU's"]  # not the lower-case "eeu"
    assert terms["multipolarity"].see_also == ("hegemony",)
    assert [t.name for t in essay.glossary] == [
        "Eurasian Economic Union",
        "hegemony",
        "multipolarity",
    ]


def test_sibling_glossary_fixture_occurrences() -> None:
    essay = load_essay(DATA / "sibling-glossary" / "essay.md")
    text = essay.reading_text
    by_name = {t.name: [text[s:e] for s, e in t.occurrences] for t in essay.glossary}
    assert by_name["One Belt One Road"] == [
        "One Belt One Road",
        "OBOR",
        "Belt and Road Initiative",
        "BRI’s",
    ]  # not the OBOR in code nor the one in a link
    assert by_name["Sino-Soviet split"] == ["Sino-Soviet split", "Sino Soviet split"]
    assert by_name["unequal treaty"] == ["unequal treaties"]
    assert by_name["sphere of influence"] == ["sphere of influence"]


def test_duplicate_terms_first_wins() -> None:
    terms, warnings = build_terms(
        [GlossaryEntry("NATO", (), "one"), GlossaryEntry("nato", (), "two")], "NATO"
    )
    assert [t.definition for t in terms] == ["one"]
    assert warnings


def test_different_names_with_the_same_slug_get_distinct_ids() -> None:
    terms, warnings = build_terms([GlossaryEntry("C++", (), "a"), GlossaryEntry("C", (), "b")], "")
    assert sorted(t.id for t in terms) == ["c", "c-2"]
    assert warnings == []


# -- ids and variants -------------------------------------------------------------------------


def test_term_id_slug() -> None:
    assert term_id("Sino-Soviet split") == "sino-soviet-split"
    assert term_id("Zhenbao Island clash of 1969") == "zhenbao-island-clash-of-1969"
    assert term_id("Mukden Incident (1931)") == "mukden-incident-1931"
    assert term_id("Café") == "cafe"
    assert term_id("中俄关系") == "中俄关系"
    assert term_id("!!!") == "term"


def test_acronyms() -> None:
    assert is_acronym("NATO") and is_acronym("BRICS") and is_acronym("G20")
    assert not is_acronym("UNESCOX") and not is_acronym("Nato") and not is_acronym("One Belt")


def test_variants_cover_plural_possessive_and_expansion() -> None:
    forms = dict(variants("unequal treaty", ["North Atlantic Treaty Organization (NATO)"]))
    assert "unequal treaties" in forms
    assert "unequal treaty's" in forms and "unequal treaty’s" in forms
    assert "North Atlantic Treaty Organization" in forms
    assert forms["NATO"] is True and forms["NATOs"] is True
    assert forms["unequal treaty"] is False
    assert "churches" in dict(variants("church"))
    assert "unequal treaty" in dict(variants("unequal treaties"))
    assert "western sanction" in dict(variants("western sanctions"))
    assert "BRIC" not in dict(variants("BRICS"))
    assert "BRICS’" in dict(variants("BRICS"))


# -- matching ---------------------------------------------------------------------------------


def test_longest_match_wins_and_no_nesting() -> None:
    terms: list[tuple[str, str, list[str]]] = [
        ("china", "China", []),
        ("cer", "China Eastern Railway", []),
    ]
    assert found(terms, "The China Eastern Railway crossed China.") == [
        ("China Eastern Railway", "cer"),
        ("China", "china"),
    ]


def test_word_boundaries_both_sides() -> None:
    terms: list[tuple[str, str, list[str]]] = [("sco", "SCO", []), ("asia", "Asia", [])]
    assert found(terms, "SCOT and ASCO and Asian and SCO-led Asia.") == [
        ("SCO", "sco"),
        ("Asia", "asia"),
    ]


def test_case_insensitive_except_short_acronyms() -> None:
    terms: list[tuple[str, str, list[str]]] = [
        ("obor", "One Belt One Road", ["OBOR"]),
        ("hegemony", "hegemony", []),
    ]
    assert found(terms, "one belt one road, Obor, obor, OBOR, OBORs, HEGEMONY") == [
        ("one belt one road", "obor"),
        ("OBOR", "obor"),
        ("OBORs", "obor"),
        ("HEGEMONY", "hegemony"),
    ]


def test_hyphen_space_and_apostrophe_variants() -> None:
    terms: list[tuple[str, str, list[str]]] = [
        ("split", "Sino-Soviet split", []),
        ("bri", "BRI", []),
    ]
    text = "Sino Soviet split, sino-soviet-split, the BRI's and BRI’s."
    assert found(terms, text) == [
        ("Sino Soviet split", "split"),
        ("sino-soviet-split", "split"),
        ("BRI's", "bri"),
        ("BRI’s", "bri"),
    ]


def test_offsets_do_not_shift_after_characters_that_lower_to_two() -> None:
    text = "İİİ Yalta İ Yalta"
    assert len(lower_same_length(text)) == len(text)
    assert found([("yalta", "Yalta", [])], text) == [("Yalta", "yalta"), ("Yalta", "yalta")]


def test_cjk_terms_match_without_spaces() -> None:
    assert found([("zg", "中国", [])], "中国和俄罗斯，中国。") == [("中国", "zg"), ("中国", "zg")]


def test_excluded_ranges() -> None:
    matcher = GlossaryMatcher([("nato", "NATO", [])])
    text = "NATO `NATO` NATO"
    assert [s for s, _, _ in matcher.find(text, [(5, 11)])] == [0, 12]
    assert matcher.find(text, [(0, 2), (3, 20)]) == []


def test_terms_in_code_links_and_markers_are_not_matched() -> None:
    essay = parse_essay(
        "---\nglossary:\n  - term: x1\n    def: d\n---\n"
        "x1 `x1` [x1](https://x1.org) x1[^x1]\n\n```\nx1\n```\n\n[^x1]: x1"
    )
    occurrences = essay.glossary[0].occurrences
    assert [essay.reading_text[s:e] for s, e in occurrences] == ["x1", "x1"]
    assert occurrences[0][0] == 0


def test_no_terms_no_matches() -> None:
    assert GlossaryMatcher([]).find("anything") == []


# -- properties -------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["NATO", "nato", "Asia", "Central", "central asia", "-", " ", "’s", "s", "İ", "中国", "x", "\n"]
)


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(st.lists(_WORDS, min_size=1, max_size=3).map("".join), max_size=6),
    text=st.lists(_WORDS, max_size=60).map("".join),
    excluded=st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=3),
)
def test_matches_never_overlap_or_leave_the_text(
    names: list[str], text: str, excluded: list[tuple[int, int]]
) -> None:
    matcher = GlossaryMatcher([(f"t{i}", name, []) for i, name in enumerate(names)])
    matches = both_ways(matcher, text, excluded)
    previous_end = 0
    for start, end, _ in matches:
        assert 0 <= previous_end <= start < end <= len(text)
        previous_end = end
        for low, high in excluded:
            assert not (low < high and start < high and low < end)


def test_see_also_only_as_the_final_sentence() -> None:
    entries, _ = parse_glossary_source(
        "A\n: Linked to trade, see also the EEU.\n\nB\n: A union.\n  See also: EEU; SCO\n"
    )
    assert (entries[0].definition, entries[0].see_also) == (
        "Linked to trade, see also the EEU.",
        (),
    )
    assert (entries[1].definition, entries[1].see_also) == ("A union.", ("EEU", "SCO"))


FRAGMENTS = st.sampled_from(
    [
        "belt",
        "and",
        "road",
        "initiative",
        "brics",
        "bank",
        "nato",
        "un",
        "us",
        "u.s.",
        "s",
        "'s",
        "’s",
        "s’",
        "es",
        " ",
        "  ",
        "-",
        "\u2010",
        "\u00a0",
        "\n",
        ".",
        ",",
        "¹",
        "²",
        "x",
        "_",
        "9",
        "中国",
        "一带一路",
        "İ",
        "NATO",
        "Nato",
        "BRICS",
        "Belt",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(FRAGMENTS, max_size=40), st.lists(st.tuples(st.integers(0, 80), st.integers(0, 20)))
)
def test_scanning_and_the_regular_expression_find_the_same(
    pieces: list[str], holes: list[tuple[int, int]]
) -> None:
    terms = [
        ("obor", "Belt and Road Initiative", ["belt and road", "One Belt One Road"]),
        ("brics", "BRICS", ["BRICS bank"]),
        ("nato", "NATO", []),
        ("un", "UN", ["United Nations"]),
        ("us", "U.S.", []),
        ("zh", "中国", ["一带一路"]),
    ]
    text = "".join(pieces)
    excluded = [(start, start + size) for start, size in holes]
    matcher = GlossaryMatcher(terms)
    spans = both_ways(matcher, text, excluded)
    assert all(0 <= start < end <= len(text) for start, end, _ in spans)


def test_bundled_glossary_found_the_same_both_ways() -> None:
    essay = load_essay(paths.default_essay())
    terms = [(term.id, term.name, list(term.aliases)) for term in essay.glossary]
    matcher = GlossaryMatcher(terms)
    spans = both_ways(matcher, essay.reading_text)
    assert len(spans) == sum(len(term.occurrences) for term in essay.glossary) > 50
