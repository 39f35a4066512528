"""The reading sessions in plain Python: the jump list and the search."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaytui.model.annotation import Kind
from essaytui.model.essay import Essay
from essaytui.model.search import SearchError
from essaytui.sessions.annotations import AnnotationSession, Change
from essaytui.sessions.navigator import HISTORY_LIMIT, Navigator, Place
from essaytui.sessions.search import SearchSession
from essaytui.sessions.targets import FootnoteRef
from essaytui.store import AnnotationStore


def test_back_returns_to_each_place_left_and_forward_undoes_back() -> None:
    navigator = Navigator()
    first, second, third = Place(0), Place(100, FootnoteRef(120, 121, "1")), Place(500)
    navigator.remember(first)  # jump from first to second
    navigator.remember(second)  # jump from second to third
    assert navigator.back(third) == second
    assert navigator.back(second) == first
    assert navigator.back(first) is None
    assert navigator.forward(first) == second
    assert navigator.forward(second) == third
    assert navigator.forward(third) is None


def test_a_new_jump_after_going_back_drops_the_places_ahead() -> None:
    navigator = Navigator()
    navigator.remember(Place(0))
    assert navigator.back(Place(100)) == Place(0)
    assert navigator.can_go_forward
    navigator.remember(Place(0))  # a new jump from here
    assert not navigator.can_go_forward


def test_the_jump_list_drops_repeats_and_is_capped() -> None:
    navigator = Navigator()
    navigator.remember(Place(5))
    navigator.remember(Place(5))
    assert navigator.back(Place(9)) == Place(5)
    assert not navigator.can_go_back
    for index in range(HISTORY_LIMIT + 30):
        navigator.remember(Place(index, FootnoteRef(index, index + 1, "x")))
    places = []
    while (place := navigator.back(Place(-1))) is not None:
        places.append(place)
    assert len(places) == HISTORY_LIMIT
    last = HISTORY_LIMIT + 29
    assert places[0] == Place(last, FootnoteRef(last, last + 1, "x"))


TEXT = "Alpha beta. Beta gamma. Delta beta epsilon."


def test_a_search_starts_at_the_first_match_from_the_top_of_the_view() -> None:
    search = SearchSession(TEXT)
    query = search.begin("beta")
    assert query is not None and not search.needs_worker(query)
    assert search.found(query, search.run(query), top=TEXT.index("Delta"))
    assert search.matches[search.current][0] == TEXT.index("beta epsilon")
    assert search.count == "3/3"
    assert search.step(1) == "Search wrapped to the top."
    assert search.current == 0
    assert search.step(-1) == "Search wrapped to the bottom."
    assert search.current == 2


def test_matches_of_a_query_typed_past_are_dropped() -> None:
    search = SearchSession(TEXT)
    old = search.begin("bet")
    new = search.begin("beta")
    assert old is not None and new is not None
    assert not search.found(old, search.run(old), top=0)
    assert search.matches == []
    assert search.found(new, search.run(new), top=0)
    assert len(search.matches) == 3


def test_regular_expressions_run_in_a_worker_and_bad_ones_are_refused() -> None:
    search = SearchSession(TEXT)
    query = search.begin("re:b.ta")
    assert query is not None and search.needs_worker(query)
    with pytest.raises(SearchError):
        search.begin("re:(")
    assert search.begin("   ") is None
    assert search.count == ""


# -- the annotation session, on a real SQLite file ---------------------------------------

ESSAY_TEXT = (
    "The first sentence is here. The second sentence follows it. A third one ends it.\n\n"
    "Another paragraph starts. It has two sentences."
)


def session_on(tmp_path: Path) -> AnnotationSession:
    essay = Essay(id="s", title="S", author="", reading_text=ESSAY_TEXT, blocks=())
    session = AnnotationSession(essay, AnnotationStore.open(tmp_path))
    session.take(session.read())
    return session


def do(session: AnnotationSession, change: Change | str) -> None:
    assert isinstance(change, Change), change
    session.make(change, wait=False)
    session.made(change)
    session.take(session.read())


def live(session: AnnotationSession, kind: Kind) -> list[tuple[int, int]]:
    return sorted(
        (session.anchors[a.id].start, session.anchors[a.id].end)
        for a in session.annotations
        if a.kind is kind
    )


def span(phrase: str) -> tuple[int, int]:
    start = ESSAY_TEXT.index(phrase)
    return start, start + len(phrase)


def test_h_on_a_highlighted_passage_takes_the_highlight_away_and_undo_brings_it_back(
    tmp_path: Path,
) -> None:
    session = session_on(tmp_path)
    do(session, session.highlight(*span("The second sentence follows it.")))
    assert live(session, Kind.HIGHLIGHT) == [span("The second sentence follows it.")]
    change = session.highlight(*span("second sentence"))  # inside the highlight
    assert isinstance(change, Change) and "removed" in change.done
    do(session, change)
    assert live(session, Kind.HIGHLIGHT) == []
    do(session, session.undo())
    assert live(session, Kind.HIGHLIGHT) == [span("The second sentence follows it.")]
    do(session, session.undo())  # and the highlight itself, made first
    assert live(session, Kind.HIGHLIGHT) == []
    assert session.undo() == "Nothing to undo."
    assert session.store.count() == 1  # nothing was ever deleted for good


def test_overlapping_highlights_merge_into_one_keeping_the_first(tmp_path: Path) -> None:
    session = session_on(tmp_path)
    do(session, session.highlight(*span("The first sentence")))
    do(session, session.highlight(*span("sentence is here. The second")))
    first_id = session.annotations[0].id
    assert live(session, Kind.HIGHLIGHT) == [span("The first sentence is here. The second")]
    assert [a.id for a in session.annotations] == [first_id]
    do(session, session.undo())  # back to the one highlight before the merge
    assert live(session, Kind.HIGHLIGHT) == [span("The first sentence")]


def test_a_second_bookmark_at_the_same_place_is_not_made(tmp_path: Path) -> None:
    session = session_on(tmp_path)
    do(session, session.bookmark(*span("Another paragraph starts.")))
    again = session.bookmark(*span("Another paragraph starts."))
    assert isinstance(again, str) and "Already bookmarked" in again
    do(session, session.bookmark(*span("It has two sentences.")))
    assert len(live(session, Kind.BOOKMARK)) == 2


def test_undo_of_a_delete_restores_the_note_as_it_was(tmp_path: Path) -> None:
    session = session_on(tmp_path)
    do(session, session.note(*span("A third one ends it."), "my thought"))
    (note,) = session.annotations
    do(session, session.delete(note))
    assert session.annotations == []
    do(session, session.undo())
    (back,) = session.annotations
    assert (back.id, back.note, back.deleted) == (note.id, "my thought", None)


def test_annotations_of_an_edited_text_are_placed_once_then_from_the_cache(
    tmp_path: Path,
) -> None:
    session = session_on(tmp_path)
    do(session, session.note(*span("Another paragraph starts."), "n"))
    edited = "A new opening line was added.\n\n" + ESSAY_TEXT
    session.essay = Essay(id="s", title="S", author="", reading_text=edited, blocks=())
    loading = session.read()
    assert len(loading.to_place) == 1  # the text changed: it must be looked for
    placed = session.place(loading)
    rewrites = session.take(loading, placed)
    start = edited.index("Another paragraph starts.")
    assert (session.anchors[rewrites[0].id].start, rewrites[0].start) == (start, start)
    # read again before the rewrite is stored: placed from the cache, no search
    assert session.read().to_place == []
