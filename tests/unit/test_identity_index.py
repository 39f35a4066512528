"""The sketch index of the identity room: it finds exactly the close essays a full scan
of every stored print finds (the answers of `identify` do not depend on it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaytui.model.identity import CLOSE_SIMILARITY, SKETCH_SIZE, DocumentPrint
from essaytui.store import AnnotationStore
from essaytui.store.database import Database
from essaytui.store.identity import SketchIndex

#: A small universe of values, so that random sketches share many of them.
VALUES = st.integers(min_value=0, max_value=400)
SKETCHES = st.lists(VALUES, min_size=1, max_size=SKETCH_SIZE + 40).map(
    lambda values: tuple(sorted(set(values)))[:SKETCH_SIZE]
)


def full_scan(sketch: tuple[int, ...], known: dict[str, tuple[int, ...]]) -> set[str]:
    """The ids a scan of every stored print finds close (what the store did before)."""
    found = DocumentPrint("", sketch)
    return {
        essay_id
        for essay_id, other in known.items()
        if found.similarity(DocumentPrint("", other)) >= CLOSE_SIMILARITY
    }


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with AnnotationStore.open(tmp_path_factory.mktemp("index")) as store:
        yield store.database


def fill(database: Database, known: dict[str, tuple[int, ...]]) -> None:
    def write(connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM essays")
        connection.executemany(
            "INSERT INTO essays (id, digest, sketch, title, author, created) "
            "VALUES (?, ?, ?, '', '', '')",
            [
                (essay_id, essay_id, DocumentPrint("", s).sketch_text())
                for essay_id, s in known.items()
            ],
        )

    database.write(write)


@given(
    st.lists(SKETCHES, min_size=1, max_size=12),
    st.lists(SKETCHES, min_size=1, max_size=4),
    st.integers(min_value=0, max_value=SKETCH_SIZE),
)
def test_the_index_keeps_every_essay_a_full_scan_finds_close(
    database: Database,
    stored: list[tuple[int, ...]],
    probes: list[tuple[int, ...]],
    cut: int,
) -> None:
    known = {f"doc-{number:04d}": sketch for number, sketch in enumerate(stored)}
    # a probe that is a stored sketch cut short or with values added: near the line
    probes = [
        *probes,
        stored[0][:cut],
        tuple(sorted({*stored[-1][cut:], *probes[0]}))[:SKETCH_SIZE],
    ]
    fill(database, known)
    index = SketchIndex()
    index.rebuild(database)
    for probe in probes:
        if not probe:
            continue
        candidates = set(index.candidates(probe))
        assert full_scan(probe, known) <= candidates


def test_a_store_reading_a_new_path_follows_the_other_connections_writes(tmp_path: Path) -> None:
    # the index of one store is built, then another store on the same file records an
    # essay: the first must find it (a moved copy at a new path is that essay)
    words = " ".join(f"word{n}" for n in range(300))
    original = tmp_path / "a.md"
    original.write_text(f"# A\n\n{words}\n", encoding="utf-8")
    from essaytui.model.files import load_essay

    with (
        AnnotationStore.open(tmp_path / "data") as first,
        AnnotationStore.open(tmp_path / "data") as second,
    ):
        other = tmp_path / "other.md"
        other.write_text("# Other\n\nnothing alike at all here, none\n", encoding="utf-8")
        first.identify(load_essay(other))
        known = second.identify(load_essay(original))
        moved = tmp_path / "b.md"
        original.rename(moved)
        moved.write_text(f"# A\n\n{words} and one more line\n", encoding="utf-8")
        assert first.identify(load_essay(moved)) == known
