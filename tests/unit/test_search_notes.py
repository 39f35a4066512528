"""Search over the essay and its notes: one count, reading order."""

from __future__ import annotations

from essaytui.model.parse import parse_essay
from essaytui.sessions.search import SearchSession

ESSAY = """# Sources

Datamation reported it first.[^a] Others followed.[^b] Then silence.

A later paragraph names Datamation again.

[^a]: Datamation, March 1981; reprinted in Datamation's anthology.
[^b]: Computerworld, April 1981.
[^never]: Datamation, an unreferenced note.
"""


def test_matches_in_notes_count_and_come_after_their_reference() -> None:
    essay = parse_essay(ESSAY)
    search = SearchSession(essay.reading_text, essay.footnotes)
    query = search.begin("datamation")
    assert query is not None
    assert search.found(query, search.run(query), top=0)
    assert search.count == "1/5"
    where = [(hit.note, hit.place) for hit in search.hits]
    ref_a = essay.footnotes_by_label["a"].refs[0]
    assert where[0] == ("", essay.reading_text.index("Datamation"))
    assert where[1:3] == [("a", ref_a[1]), ("a", ref_a[1])]  # right after its marker
    assert where[3][0] == ""  # the later paragraph
    assert where[4] == ("never", len(essay.reading_text))  # an unreferenced note: last
    assert search.matches == [
        (search.hits[0].start, search.hits[0].end),
        (search.hits[3].start, search.hits[3].end),
    ]
    second = essay.footnotes_by_label["a"].text.index("Datamation's")
    assert search.in_notes == {
        "a": [(0, 10), (second, second + 10)],
        "never": [(0, 10)],
    }


def test_stepping_walks_every_match_and_wraps() -> None:
    essay = parse_essay(ESSAY)
    search = SearchSession(essay.reading_text, essay.footnotes)
    query = search.begin("datamation")
    assert query is not None
    search.found(query, search.run(query), top=0)
    seen = [search.current]
    for _ in range(4):
        assert search.step(1) == ""
        seen.append(search.current)
    assert seen == [0, 1, 2, 3, 4]
    assert search.step(1) == "Search wrapped to the top."
    assert search.step(-1) == "Search wrapped to the bottom."
    assert search.current == 4


def test_the_first_match_from_the_top_of_the_view_may_be_in_a_note() -> None:
    essay = parse_essay(ESSAY)
    search = SearchSession(essay.reading_text, essay.footnotes)
    query = search.begin("computerworld")
    assert query is not None
    search.found(query, search.run(query), top=essay.reading_text.index("Others"))
    hit = search.current_hit
    assert hit is not None and hit.note == "b"
    assert search.count == "1/1"


def test_regular_expressions_search_the_notes_too() -> None:
    essay = parse_essay(ESSAY)
    search = SearchSession(essay.reading_text, essay.footnotes)
    query = search.begin("re:19[0-9]{2}")
    assert query is not None
    search.found(query, search.run(query), top=0)
    assert [hit.note for hit in search.hits] == ["a", "b"]
