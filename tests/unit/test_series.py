"""A text's place in a series, from the shapes front matter really gives it."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaytui import paths
from essaytui.model.files import load_essay
from essaytui.model.series import SeriesPlace, series_place
from essaytui.sessions.library import library_rows
from essaytui.store.library import LibraryText


@pytest.mark.parametrize(
    ("meta", "place"),
    [
        ({"series": "Part 5"}, SeriesPlace("", 5)),
        ({"series": "part 5"}, SeriesPlace("", 5)),
        ({"series": "Part 5 of a series"}, SeriesPlace("", 5)),
        ({"series": "Part 5 of the series"}, SeriesPlace("", 5)),
        ({"series": "Part 5 of 7"}, SeriesPlace("", 5)),
        ({"series": "Part 5 of The Cold War"}, SeriesPlace("The Cold War", 5)),
        ({"series": "Part 5 of the series The Cold War"}, SeriesPlace("The Cold War", 5)),
        ({"series": "Part 5: The Cold War"}, SeriesPlace("The Cold War", 5)),
        ({"series": "The Cold War, Part 5"}, SeriesPlace("The Cold War", 5)),
        ({"series": "The Cold War (Part 5 of 7)"}, SeriesPlace("The Cold War", 5)),
        ({"series": "The Cold War — part 12"}, SeriesPlace("The Cold War", 12)),
        ({"series": "The Cold War", "part": "5"}, SeriesPlace("The Cold War", 5)),
        ({"series": "The Cold War", "part": 5}, SeriesPlace("The Cold War", 5)),
        ({"series": "The Cold War", "part": "Part 5"}, SeriesPlace("The Cold War", 5)),
        ({"series": "The Cold War", "part": "II"}, SeriesPlace("The Cold War", 2)),
        ({"series": "The Cold War", "part": "three"}, SeriesPlace("The Cold War", 3)),
        ({"series": "Book II"}, SeriesPlace("", 2)),
        ({"series": "Dune, Book IV"}, SeriesPlace("Dune", 4)),
        ({"series": "The Book Thief, Part 2"}, SeriesPlace("The Book Thief", 2)),
        ({"series": "Vol. 3 of Collected Essays"}, SeriesPlace("Collected Essays", 3)),
        ({"series": "Part One"}, SeriesPlace("", 1)),
        ({"part": "4"}, SeriesPlace("", 4)),
        # a part that is no number: in the series, unnumbered
        ({"series": "The Cold War", "part": "Epilogue"}, SeriesPlace("The Cold War", 0)),
        ({"series": "The Cold War", "part": "Prelude to Part 1"}, SeriesPlace("The Cold War", 1)),
        ({"series": "Number Theory"}, SeriesPlace("Number Theory", 0)),
        ({"series": "Part mix"}, SeriesPlace("Part mix", 0)),  # "mix" is a word, not 1009
        ({"series": "Part IIII"}, SeriesPlace("Part IIII", 0)),  # not a numeral as written
        ({"series": "Parts of speech"}, SeriesPlace("Parts of speech", 0)),
        ({"series": "a series"}, None),
        ({"part": "Epilogue"}, None),
        ({"title": "x"}, None),
        ({"series": "  ", "part": ""}, None),
    ],
)
def test_the_shapes_of_a_series_line(meta: dict[str, object], place: SeriesPlace | None) -> None:
    assert series_place({k: str(v) for k, v in meta.items()}) == place


def test_labels_never_invent_a_name() -> None:
    assert SeriesPlace("", 5).label() == "Part 5"
    assert SeriesPlace("The Cold War", 5).label() == "Part 5 of The Cold War"
    assert SeriesPlace("The Cold War", 0).label() == "The Cold War"
    # an unnamed series' parts by one author group together, under no shown name
    assert SeriesPlace("", 4).key("Dean Chen") == SeriesPlace("", 5).key("dean chen")


def test_the_bundled_essay_is_part_5_of_a_series_named_nowhere() -> None:
    bundled = load_essay(paths.default_essay())
    assert bundled.meta["series"] == "Part 5"
    place = series_place(bundled.meta)
    assert place == SeriesPlace("", 5)
    text = LibraryText(
        essay_id="e", path=str(paths.default_essay()), title=bundled.title,
        author=bundled.author, series=place.name, part=place.part, words=100,
        length=600, size=9000, mtime_ns=1, added="2026-12-07",
    )  # fmt: skip
    (row,) = library_rows([text], [], {})
    assert row.series_label == "Part 5"
    named = dataclasses.replace(text, series="The Cold War")
    (row,) = library_rows([named], [], {})
    assert row.series_label == " 5 · The Cold War"


@given(st.text(max_size=60), st.text(max_size=12))
def test_any_line_gives_a_place_without_a_leftover_name(series: str, part: str) -> None:
    place = series_place({"series": series, "part": part})
    if place is not None:
        assert place.name or place.part
        assert place.part >= 0
        assert place.name == place.name.strip()
        assert place.name.casefold() not in {"series", "a series", "the series"}
