"""The sync folder's merge rule: the same answer on every machine, whatever the order."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from essaytui.interchange.sync import (
    Version,
    device_id,
    sync_folder,
    version_key,
    winner,
)
from essaytui.model.annotation import Annotation, Kind, format_time, time_key
from essaytui.store import AnnotationStore

BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
IDS = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(3)]


def note(index: int, text: str, minute: int, deleted: bool = False) -> Annotation:
    moment = format_time(BASE + timedelta(minutes=minute))
    return Annotation(
        id=IDS[index],
        essay_id="essay",
        essay_path="",
        kind=Kind.NOTE,
        exact="quote",
        prefix="",
        suffix="",
        start=0,
        end=5,
        note=text,
        created=format_time(BASE - timedelta(hours=1)),
        modified=moment,
        deleted=moment if deleted else None,
    )


versions = st.builds(
    lambda text, minute, deleted, device: Version(note(0, text, minute, deleted), device),
    st.sampled_from(["a", "b", "c"]),
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from(["0" * 16, "1" * 16, "f" * 16]),
)


@given(versions, versions, versions)
def test_the_rule_is_commutative_associative_and_idempotent(
    a: Version, b: Version, c: Version
) -> None:
    assert winner(a, b) == winner(b, a)
    assert winner(a, a) == a
    assert winner(winner(a, b), c) == winner(a, winner(b, c))
    assert version_key(winner(a, b)) == max(version_key(a), version_key(b))


# One step of a schedule: (machine, action, note, minutes on that machine's clock).
steps = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(["edit", "delete", "sync"]),
        st.integers(0, 2),
        st.integers(0, 20),
    ),
    max_size=14,
)


def edit(store: AnnotationStore, index: int, text: str, minute: int, delete: bool) -> Version:
    """An edit as the reader makes one: never older than the note it changes."""
    current = store.get(IDS[index])
    moment = BASE + timedelta(minutes=minute)
    if current is not None:
        moment = max(moment, time_key(current.modified) + timedelta(milliseconds=1))
    stamp = format_time(moment)
    changed = replace(note(index, text, 0), modified=stamp, deleted=stamp if delete else None)
    store.merge([changed], wins=lambda incoming, existing: True)
    return Version(changed, device_id(store))


@settings(max_examples=30, deadline=None)
@given(steps, st.integers(-5, 5), st.booleans())
def test_machines_whose_clocks_disagree_by_minutes_end_with_the_same_notes(
    schedule: list[tuple[int, str, int, int]], skew: int, desk_first: bool
) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "Sync"
        folder.mkdir()
        stores = [AnnotationStore.open(Path(root) / name) for name in ("laptop", "desk")]
        try:
            made: dict[str, list[Version]] = {}
            for number, (machine, action, index, minute) in enumerate(schedule):
                store = stores[machine]
                if action == "sync":
                    sync_folder(store, folder)
                    continue
                clock = minute + (skew if machine else 0)
                version = edit(store, index, f"{machine}:{number}", clock, action == "delete")
                made.setdefault(version.annotation.id, []).append(version)
            order = [1, 0, 1] if desk_first else [0, 1, 0]
            for machine in order:
                sync_folder(stores[machine], folder)
            final = [{a.id: a for a in s.all_annotations(include_deleted=True)} for s in stores]
            assert final[0] == final[1]
            for annotation_id, candidates in made.items():
                expected = max(candidates, key=version_key).annotation
                assert final[0][annotation_id] == expected
        finally:
            for store in stores:
                store.close()
