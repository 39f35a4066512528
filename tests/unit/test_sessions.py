"""The reading sessions in plain Python: the jump list and the search (issue 11)."""

from __future__ import annotations

import pytest

from essaytui.model.search import SearchError
from essaytui.sessions.navigator import HISTORY_LIMIT, Navigator, Place
from essaytui.sessions.search import SearchSession
from essaytui.sessions.targets import FootnoteRef


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
