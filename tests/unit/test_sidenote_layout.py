"""The sidenotes' places in the margin (widgets/sidenote_layout.py), without a terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from essaytui.widgets.sidenote_layout import clip, lay_out_sidenotes

NOTES = {"a": ["¹ first", "note"], "b": ["² second", "note", "runs", "long"], "c": ["³ third"]}


def lay_out(placed: list[tuple[int, str]], *, top: int = 0, height: int = 20) -> dict[int, str]:
    rows = lay_out_sidenotes(
        placed,
        lambda label: NOTES[label],
        lambda label: NOTES[label][0].split()[0],
        top=top,
        height=height,
        width=12,
        selected="b",
    )
    return {row: text for row, (text, _) in rows.items()}


def test_a_note_starts_on_its_reference_line() -> None:
    assert lay_out([(3, "a"), (10, "c")]) == {3: "¹ first", 4: "note", 10: "³ third"}


def test_a_note_runs_to_the_next_reference_and_is_cut_there() -> None:
    assert lay_out([(0, "a"), (1, "b"), (4, "c")]) == {
        0: "¹ first…",
        1: "² second",
        2: "note",
        3: "runs…",
        4: "³ third",
    }


def test_a_taken_line_moves_the_note_below() -> None:
    assert lay_out([(0, "c"), (0, "a"), (5, "b")]) == {
        0: "³ third",
        1: "¹ first",
        2: "note",
        5: "² second",
        6: "note",
        7: "runs",
        8: "long",
    }


def test_a_note_seen_again_points_up_and_the_selected_one_is_marked() -> None:
    rows = lay_out_sidenotes(
        [(0, "b"), (8, "b")],
        lambda label: NOTES[label],
        lambda label: "²",
        top=0,
        height=20,
        width=12,
        selected="b",
    )
    assert rows[8] == ("↑ ²", True)
    assert all(selected for _, selected in rows.values())


def test_rows_are_counted_from_the_top_of_the_window() -> None:
    assert lay_out([(3, "a")], top=3, height=2) == {0: "¹ first", 1: "note"}
    assert lay_out([(3, "a")], top=3, height=1) == {0: "¹ first…"}  # cut at the window's end


@given(st.text(min_size=1, max_size=40), st.integers(min_value=2, max_value=30))
def test_clip_always_ends_in_an_ellipsis_within_the_width(line: str, width: int) -> None:
    from rich.cells import cell_len

    clipped = clip(line, width)
    assert clipped.endswith("…")
    assert cell_len(clipped) <= max(width, cell_len(line.rstrip()) + 1)
