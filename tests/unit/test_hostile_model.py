"""Hostile input for the model: tiny files that used to hang or crash the reader.

A case that used to hang runs in a child process with a generous timeout, so a
regression fails instead of stalling the suite; what it prints is checked as well.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essaytui.model.annotation import Annotation
from essaytui.model.parse import parse_essay

SRC = str(Path(__file__).resolve().parents[2] / "src")

#: Seconds a child may take: far above what each case needs now (well under a
#: second), far below what they took before (minutes, or for ever).
CHILD_TIMEOUT = 60


def in_child(script: str) -> object:
    """Run `script` (which prints one JSON value) in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


PARSE_SUMMARY = """
import json
from essaytui.model.parse import parse_essay
essay = parse_essay({source}, limit={limit})
text = essay.reading_text
assert all(0 <= b.start <= b.end <= len(text) for b in essay.blocks)
print(json.dumps({{
    "complete": essay.complete,
    "length": len(text),
    "tail": text[-40:],
    "notes": sorted(note.label for note in essay.footnotes if note.text),
}}))
"""


def parse_in_child(source: str, limit: int | None = None) -> dict[str, object]:
    summary = in_child(PARSE_SUMMARY.format(source=source, limit=limit))
    assert isinstance(summary, dict)
    return summary


# -- parse.py: block prefixes, footnote and link definitions, HTML blocks ----------


@pytest.mark.parametrize("marker", ["> ", "-  ", "1.  ", ">  ", "> - "])
def test_container_markers_before_a_definition_open_at_once(marker: str) -> None:
    # 92 bytes with "> ": the definition-prefix pattern backtracked exponentially
    source = f'"# Tiny\\n\\nHello.\\n\\n" + {marker!r} * 34 + "x[^1]: y"'
    summary = parse_in_child(source)
    assert summary["complete"] is True
    assert str(summary["tail"]).endswith("y")


def test_deep_quote_after_the_first_part_opens() -> None:
    # the first screen's part (200 KB) ends before a line of 300 nested quotes: the
    # link-definition scan of the whole file backtracked exponentially
    summary = parse_in_child('"x" * 200_000 + "\\n\\n" + "> " * 300 + "deep"', limit=200_000)
    assert summary["complete"] is False
    assert summary["length"] == 200_000


@pytest.mark.parametrize(
    "source",
    [
        '"[^" * 20_000',  # 40 KB: quadratic label scans, in our scan and the plugin's
        '"[" * 200_000',  # markdown-it looked ahead 200 levels from every "["
        '"\\x1b[31m" * 80_000',  # 400 KB of colour codes: the same, after sanitising
        '"<div>\\n" + "a < b " * 40_000',  # every "<" searched to the end for a ">"
        '"prose\\n" + "".join(f"[^{i}]: note {i}\\n" for i in range(20_000))',
        '"text\\n\\n" + "x [^a]:" * 50_000',  # one line: a look back per "[^a]:"
    ],
)
def test_hostile_documents_open(source: str) -> None:
    summary = parse_in_child(source)
    assert summary["complete"] is True
    assert isinstance(summary["length"], int) and summary["length"] > 0


def test_brackets_and_notes_keep_their_meaning() -> None:
    essay = parse_essay("a[^1] [^x y] [b](/u) [^[c]\n\n[^1]: one\n\n[^[c]: odd label")
    assert essay.reading_text.startswith("a¹ [^x y] b ²")
    assert [note.text for note in essay.footnotes] == ["one", "odd label"]
    assert [(s.kind.name, s.data) for s in essay.blocks[0].spans][1] == ("LINK", "/u")


def test_html_block_text_keeps_its_less_than_signs() -> None:
    essay = parse_essay("<div>\na < b and <b>c</b> > d\n</div>")
    assert essay.reading_text == "a < b and c > d"


def test_notes_right_after_prose_are_all_found() -> None:
    source = "prose[^0]\n" + "".join(f"[^{i}]: note {i}\n" for i in range(300))
    essay = parse_essay(source)
    assert [note.text for note in essay.footnotes][:3] == ["note 0", "note 1", "note 2"]
    assert len(essay.footnotes) == 300


def test_link_definitions_in_quotes_and_lists_resolve_in_every_part() -> None:
    source = "[a] and [b]\n\n" + "x\n\n" * 50 + "- [a]: /in-list\n\n> [b]: /in-quote\n"
    for limit in (None, 10):
        essay = parse_essay(source, limit=limit)
        links = [span.data for span in essay.blocks[0].spans]
        assert links == ["/in-list", "/in-quote"], limit


# -- front matter ------------------------------------------------------------------------


def test_a_value_padded_with_spaces_reads_at_once() -> None:
    summary = in_child(
        "import json\n"
        "from essaytui.model.parse import parse_essay\n"
        "essay = parse_essay('---\\ntitle: a' + ' ' * 40_000 + 'b\\n---\\n\\nBody.')\n"
        "print(json.dumps(essay.title))\n"
    )
    assert summary == "a" + " " * 40_000 + "b"


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("date: 2024-02-30", "2024-02-30"),
        ("date: 2024-13-45", "2024-13-45"),
        ("date: 0000-01-01", "0000-01-01"),
        ("date: 2024-01-01 25:61:61", "2024-01-01 25:61:61"),
        ("date: 2016-03-12T10:30:00Z", "2016-03-12T10:30:00Z"),
        ("date: !!timestamp 2024-02-30", "2024-02-30"),
        ("count: " + "7" * 5000, "7" * 5000),
        ("count: 12", "12"),
    ],
)
def test_impossible_dates_and_huge_numbers_are_kept_as_written(line: str, value: str) -> None:
    essay = parse_essay(f"---\ntitle: T\n{line}\n---\n\nThe body opens.")
    assert essay.reading_text == "The body opens."
    assert essay.meta[line.split(":")[0]] == value
    assert essay.warnings == ()


def test_aliases_of_aliases_in_a_glossary_definition_are_not_printed() -> None:
    # each level doubles what str() would print: 2**40 items
    levels = "\n".join(f"b{i}: &b{i} [*b{i - 1}, *b{i - 1}]" for i in range(1, 41))
    source = f"---\nb0: &b0 [x, y]\n{levels}\nglossary:\n  - term: bomb\n    def: *b40\n---\n\nbomb"
    essay = parse_essay(source)
    assert [term.definition for term in essay.glossary] == [""]
    assert any("not text" in warning for warning in essay.warnings)


# -- glossary ------------------------------------------------------------------------------


def test_see_also_is_found_only_at_the_end() -> None:
    from essaytui.model.glossary import _split_see_also

    assert _split_see_also("A thing. See also: B; C.") == ("A thing.", ("B", "C"))
    assert _split_see_also("See also X\n\nMore text.") == ("See also X\n\nMore text.", ())
    assert _split_see_also("A.\n\nSee also: D, E") == ("A.", ("D", "E"))
    # the first "See also" whose names run to the end
    assert _split_see_also("x. See also: a" * 3) == ("x.", ("ax. See also: ax. See also: a",))


def test_a_term_of_thousands_of_characters_is_matched() -> None:
    from essaytui.model.glossary import GlossaryMatcher

    name = "word " * 1000 + "end"
    matcher = GlossaryMatcher([("long", name, ())])
    text = "before " + name + " after"
    assert matcher._pattern is not None  # the expression is built (it recursed per character)
    assert list(matcher._spans_by_regex(text)) == [(7, 7 + len(name))]
    assert matcher.find(text) == [(7, 7 + len(name), "long")]


def test_terms_each_the_start_of_the_next_fall_back_to_scanning() -> None:
    from essaytui.model.glossary import GlossaryMatcher

    matcher = GlossaryMatcher([(f"t{size}", "b" * size, ()) for size in range(1, 600)])
    matcher.SCAN_LIMIT = 0  # as for a long essay: the expression would be wanted
    assert matcher.find("a " + "b" * 10 + " c") == [(2, 12, "t10")]


def test_same_slug_names_and_shared_aliases_keep_first_wins() -> None:
    from essaytui.model.glossary import GlossaryEntry, build_terms

    entries = [GlossaryEntry(name, ("Shared",), "d") for name in ("C", "C+", "C-3", "C++")]
    terms, _ = build_terms(entries, "Shared and shared")
    assert sorted(term.id for term in terms) == ["c", "c-2", "c-3", "c-4"]
    assert [term.occurrences for term in terms if term.id == "c"] == [((0, 6), (11, 17))]
    assert all(not term.occurrences for term in terms if term.id != "c")


# -- source.py: invisible characters, empty files ----------------------------------------


INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\U000e0001",
    "\U000e0041",
    "\U000e007f",
]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_are_dropped_like_bidi_controls(char: str) -> None:
    from essaytui.model.text import sanitize, sanitize_inline

    assert sanitize(f"pass{char}word\u202e") == "password"
    assert sanitize_inline(f"pass{char}word") == "password"
    essay = parse_essay(f"# Ti{char}tle\n\nA pass{char}word[^1].\n\n[^1]: A no{char}te.")
    assert essay.title == "Title"
    assert essay.reading_text == "Title\n\nA password¹."
    assert essay.footnotes[0].text == "A note."


def test_a_lone_surrogate_never_reaches_the_output() -> None:
    from essaytui.model.text import sanitize, sanitize_inline

    assert sanitize("a\ud800b\udfffc") == "a\ufffdb\ufffdc"
    assert sanitize_inline("\udc80") == "\ufffd"
    sanitize("a\ud83d\ude00").encode()  # a pair written as two surrogates: encodable after


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbf \n\t\n",
        b"\xff\xfe",
        b"\xfe\xff\x00 \x00\n",
        b"\xef\xbb\xbf\xef\xbb\xbf",
    ],
)
def test_a_file_of_only_a_byte_order_mark_is_empty(tmp_path: Path, data: bytes) -> None:
    from essaytui.model.files import EssayFileError, read_text_file

    path = tmp_path / "bom.md"
    path.write_bytes(data)
    with pytest.raises(EssayFileError, match="is empty"):
        read_text_file(path)
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", str(path)],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin", "ESSAYTUI_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stderr.strip().endswith("bom.md: is empty")


# -- search: user regular expressions are stopped, and let other threads run -------------

#: Patterns that slip past the nested-quantifier check and backtrack exponentially on
#: the text beside them.
RUNAWAY = [
    ("(a|a)*b", "a" * 40 + "cb"),
    ("(?:\\w|a)*!", "a" * 40 + "?!"),
    ("a*a*a*a*a*!", "a" * 3000 + "?!"),
]

SEARCH_IN_CHILD = """
import json, time
from essaytui.model.search import SearchTimeout, TextSearch, compile_query
query, text = {query!r}, {text}
search = TextSearch(text)
try:
    found = search.find(query, compile_query(query), timeout=0.5)
    print(json.dumps(["found", len(found)]))
except SearchTimeout as error:
    print(json.dumps(["stopped", str(error)]))
"""


@pytest.mark.parametrize(("expression", "text"), RUNAWAY)
def test_a_runaway_regular_expression_is_stopped(expression: str, text: str) -> None:
    from essaytui.model.search import compile_query

    compile_query("re:" + expression)  # the pattern check lets it through
    outcome = in_child(SEARCH_IN_CHILD.format(query="re:" + expression, text=repr(text)))
    assert outcome == [
        "stopped",
        "this regular expression took too long and was stopped (over 0.5 s)",
    ]


def test_the_bundled_essay_searched_for_a_runaway_pattern_answers() -> None:
    # re took more than 30 s for this on the bundled essay, on the interface thread
    text = "load_essay(default_essay()).reading_text"
    script = SEARCH_IN_CHILD.format(query="re:(.|\\s)*§", text=text).replace(
        "import json, time",
        "import json, time\nfrom essaytui.model.files import load_essay\n"
        "from essaytui.paths import default_essay",
    )
    outcome = in_child(script)
    assert isinstance(outcome, list) and outcome[0] in ("found", "stopped")


@pytest.mark.timed  # compares two waits: no other test beside it (tests/conftest.py)
def test_a_regular_expression_search_lets_other_threads_run() -> None:
    """While a runaway search runs in a worker, the main thread keeps getting turns
    (the interface's keys): `re` held the interpreter until it finished, so the
    longest wait between two 10 ms sleeps was the whole search."""
    import threading
    import time

    from essaytui.model.search import SearchTimeout, TextSearch, compile_query

    query = "re:(a|a)*b"
    search = TextSearch("a" * 40 + "cb")
    outcome: list[str] = []

    def worker() -> None:
        try:
            search.find(query, compile_query(query), timeout=1.0)
        except SearchTimeout:
            outcome.append("stopped")

    thread = threading.Thread(target=worker)
    started = last = time.perf_counter()
    thread.start()
    longest = 0.0
    while thread.is_alive() and last - started < CHILD_TIMEOUT:
        time.sleep(0.01)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    assert outcome == ["stopped"]
    assert longest < (last - started) / 4


def test_plain_and_regex_searches_agree_where_both_apply() -> None:
    from essaytui.model.search import TextSearch, compile_query, find_matches

    text = "Partners in partnership, apart. PART"
    search = TextSearch(text)
    for query in ("re:\\bpart\\w*", "re:Ru(ss|ß)", "re:^p", "re:x*"):
        assert search.find(query, compile_query(query)) == find_matches(text, compile_query(query))
    assert search.find("re:part", compile_query("re:part"), limit=2) == [(0, 4), (12, 16)]


# -- anchoring: every note's cost is bounded, and so is a pass ---------------------------

ANCHOR_IN_CHILD = """
import dataclasses, json
from essaytui.model.anchoring import reanchor_all
from essaytui.model.annotation import Annotation, Kind
def note(exact, prefix="", suffix="", start=0, number=0):
    return Annotation(f"id-{{number}}", "e", "p", Kind.NOTE, exact, prefix, suffix, start,
                      start + len(exact), text_hash="old")
text = {text}
annotations = {annotations}
anchors = reanchor_all(annotations, text, budget={budget})
print(json.dumps([[a.status.value, a.start, a.end, a.settled] for a in anchors]))
"""


def anchor_in_child(text: str, annotations: str, budget: float | None = None) -> list[list[object]]:
    result = in_child(ANCHOR_IN_CHILD.format(text=text, annotations=annotations, budget=budget))
    assert isinstance(result, list)
    return result


def test_a_one_character_quote_on_a_long_text_is_placed() -> None:
    # every occurrence of a one-character quote with no context was scored: 3.4 s on 4 MB
    result = anchor_in_child('"ab" * 2_000_000 + "c"', '[note("c", start=5)]')
    assert result == [["anchored", 4_000_000, 4_000_001, True]]


def test_a_huge_quote_moved_in_the_text_is_placed() -> None:
    # edit distance over 500,000 characters took a minute
    text = '"Intro. " + "".join(f"word{i} " for i in range(70_000))'
    annotations = '[note(text[7:500_007], prefix="x" * 32, start=0)]'
    assert anchor_in_child(text, annotations) == [["anchored", 7, 500_007, True]]


def test_orphans_with_long_contexts_are_bounded_by_the_pass_budget() -> None:
    text = '"".join(f"Sentence {i} of the essay. " for i in range(8_000))'
    orphans = '[note("q" * 60, "p" * 1000, "s" * 1000, 500, number) for number in range(100)]'
    settled = anchor_in_child(text, orphans, budget=None)
    assert settled == [["orphan", -1, -1, True]] * 100
    hurried = anchor_in_child(text, orphans, budget=0.0)
    assert hurried == [["orphan", -1, -1, False]] * 100


def test_the_cache_answers_a_second_pass_and_retries_unsettled_notes() -> None:
    from dataclasses import replace

    from essaytui.model.anchoring import AnchorCache

    text = "One sentence here. Another sentence there. A third one at the end."
    moved = "Preface. " + text.replace("Another", "And another")
    first = annotate_text(text, "Another sentence there")
    second = annotate_text(text, "A third one")
    cache = AnchorCache()
    hurried = cache.reanchor_all([first, second], moved, budget=0.0)
    assert [anchor.settled for anchor in hurried] == [False, True]  # fuzzy, exact
    anchors = cache.reanchor_all([first, second], moved)
    assert [anchor.status.value for anchor in anchors] == ["needs_review", "anchored"]
    assert all(anchor.settled for anchor in anchors)
    assert anchors[1] is hurried[1]
    again = cache.reanchor_all([second, first], moved)
    assert again[0] is anchors[1] and again[1] is anchors[0]
    edited = replace(first, exact="One sentence", start=0, end=12)
    assert cache.reanchor_all([edited], moved)[0] is not anchors[0]


def annotate_text(text: str, quote: str) -> Annotation:
    from essaytui.model.annotation import Kind, make_annotation
    from essaytui.model.essay import Essay

    essay = Essay(id="e", title="T", author="A", reading_text=text, blocks=())
    start = text.index(quote)
    return make_annotation(essay, start, start + len(quote), Kind.NOTE, note="n")


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab ", max_size=40),
    quote=st.text(alphabet="ab", min_size=1, max_size=3),
    offset=st.integers(min_value=-3, max_value=45),
)
def test_nearest_occurrence_is_the_nearest_one(text: str, quote: str, offset: int) -> None:
    from essaytui.model.anchoring import nearest_occurrence

    starts = [i for i in range(len(text)) if text.startswith(quote, i)]
    expected = min(starts, key=lambda start: (abs(start - offset), start)) if starts else None
    assert nearest_occurrence(text, quote, offset) == expected
