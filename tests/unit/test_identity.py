"""Essay identity: two documents never share notes; one document keeps them.

Real files in `tmp_path`, a real SQLite store, the real parser. Documents without a
front-matter id are the case: Rust RFCs all begin "# Summary", many READMEs
"# Introduction".
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.essay import Essay
from essaytui.model.files import load_essay
from essaytui.model.identity import (
    CLOSE_SIMILARITY,
    HEAD_BYTES,
    TAIL_BYTES,
    declared_id,
    print_of_bytes,
    read_print,
    title_hash,
)
from essaytui.store import AnnotationStore
from essaytui.store.schema import DATABASE_NAME

TEMPLATE = """# Summary

{summary}

# Motivation

{motivation}

# Guide-level explanation

{guide}

# Drawbacks

Why should we *not* do this?

# Rationale and alternatives

# Unresolved questions
"""

RFC_ONE = TEMPLATE.format(
    summary="Add a `try` block that catches the early returns of the question mark operator.",
    motivation=(
        "Error handling with the question mark is pleasant inside functions, but a block of "
        "code cannot use it without being moved into a closure or a helper function. People "
        "write immediately invoked closures, which fight the borrow checker and read poorly."
    ),
    guide=(
        "A try block evaluates its body; every question mark inside it that meets an error "
        "leaves the block instead of the function. The value of the block is a Result."
    ),
)
RFC_TWO = TEMPLATE.format(
    summary="Allow generic associated types, so a trait can name a type that borrows from self.",
    motivation=(
        "Streaming iterators, collection families and pointer families all want an associated "
        "type that takes lifetime or type parameters. Today they need workarounds with higher "
        "ranked trait bounds that most users never learn and the compiler handles badly."
    ),
    guide=(
        "An associated type may now declare generic parameters, and an implementation supplies "
        "a definition for every instantiation of them, checked at the definition site."
    ),
)


def essay_at(path: Path) -> Essay:
    return load_essay(path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AnnotationStore]:
    with AnnotationStore.open(tmp_path / "data") as opened:
        yield opened


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edited(text: str) -> str:
    """The same RFC after a light edit: a paragraph changed, one added, one removed."""
    text = text.replace("read poorly.", "read poorly, and nobody likes them.")
    text = text.replace("# Drawbacks\n\nWhy should we *not* do this?\n\n", "# Drawbacks\n\n")
    return text + "\n# Future possibilities\n\nA `try` block with a type ascription.\n"


# -- the print ---------------------------------------------------------------------------------


def test_two_rfcs_from_one_template_are_not_close_and_an_edit_is() -> None:
    one, two = print_of_bytes(RFC_ONE.encode()), print_of_bytes(RFC_TWO.encode())
    assert one.similarity(two) < 0.2 < CLOSE_SIMILARITY
    assert not one.is_close(two)
    again = print_of_bytes(edited(RFC_ONE).encode())
    assert again.digest != one.digest
    assert one.similarity(again) >= CLOSE_SIMILARITY
    assert one.is_close(again)


def test_the_print_reads_a_bounded_part_of_the_file(tmp_path: Path) -> None:
    """Head and tail only: a file bigger than both reads the same as its head and tail."""
    body = "".join(f"Sentence {n} of a long essay about nothing much. " for n in range(40_000))
    big = write(tmp_path / "big.md", body)
    data = big.read_bytes()
    assert len(data) > 20 * (HEAD_BYTES + TAIL_BYTES)
    from essaytui.model.identity import print_of

    assert read_print(big) == print_of(data[:HEAD_BYTES], data[-TAIL_BYTES:], len(data))
    assert read_print(big) == print_of_bytes(data)
    small = write(tmp_path / "small.md", "# Tiny\n\nText.\n")
    assert read_print(small) == print_of_bytes(small.read_bytes())
    assert read_print(tmp_path / "absent.md") is None
    assert read_print(tmp_path) is None


def test_the_print_costs_the_same_for_a_file_eight_times_larger(tmp_path: Path) -> None:
    """Identifying a new path must not slow start-up on a big essay: constant, not linear."""
    paragraph = "Words of a paragraph that goes on for a while about this and that. " * 20
    sizes = {}
    for name, count in (("n", 2_000), ("8n", 16_000)):
        sizes[name] = write(tmp_path / f"{name}.md", (paragraph + "\n\n") * count)

    def best(path: Path) -> float:
        times = []
        for _ in range(7):  # this thread's CPU time: a test beside it does not count
            started = time.thread_time()
            read_print(path)
            times.append(time.thread_time() - started)
        return min(times)

    ratio = best(sizes["8n"]) / max(best(sizes["n"]), 1e-9)
    assert ratio < 3, ratio  # linear would be ~8


def test_declared_id_tells_a_front_matter_id_from_the_provisional_one(tmp_path: Path) -> None:
    declared = essay_at(write(tmp_path / "a.md", "---\nid: my-essay\n---\n# Summary\n\nText.\n"))
    assert declared_id(declared) == "my-essay"
    plain = essay_at(write(tmp_path / "b.md", "# Summary\n\nText.\n"))
    assert plain.id == title_hash("Summary", "")
    assert declared_id(plain) is None


# -- the store ---------------------------------------------------------------------------------


def test_two_files_titled_summary_never_share_an_id(tmp_path: Path, store: AnnotationStore) -> None:
    one = essay_at(write(tmp_path / "rfcs" / "2388-try-expr.md", RFC_ONE))
    two = essay_at(write(tmp_path / "rfcs" / "1598-gat.md", RFC_TWO))
    assert one.title == two.title == "Summary"
    first, second = store.identify(one), store.identify(two)
    assert first != second
    # And a README that begins like every other README: its own id too.
    readme = essay_at(write(tmp_path / "x" / "README.md", "# Introduction\n\nA tool.\n"))
    other = essay_at(write(tmp_path / "y" / "README.md", "# Introduction\n\nA library.\n"))
    assert len({first, second, store.identify(readme), store.identify(other)}) == 4
    # Asked again, each path gives its essay back.
    assert store.identify(essay_at(tmp_path / "rfcs" / "1598-gat.md")) == second


def test_notes_of_one_summary_stay_with_it(tmp_path: Path, store: AnnotationStore) -> None:
    one = essay_at(write(tmp_path / "one.md", RFC_ONE))
    two = essay_at(write(tmp_path / "two.md", RFC_TWO))
    from dataclasses import replace

    one = replace(one, id=store.identify(one))
    two = replace(two, id=store.identify(two))
    store.add(make_annotation(one, 0, 7, Kind.BOOKMARK))
    store.save_position(one.id, 120, essay_path=one.source_path or "", title=one.title)
    assert store.list_for_essay(two.id) == []
    assert store.position(two.id) is None
    assert len(store.list_for_essay(one.id)) == 1


def test_an_edited_file_at_a_known_path_keeps_its_id(
    tmp_path: Path, store: AnnotationStore
) -> None:
    path = write(tmp_path / "rfc.md", RFC_ONE)
    before = store.identify(essay_at(path))
    write(path, RFC_TWO)  # even rewritten entirely: a path seen before is its essay
    os.utime(path, ns=(1, 1))
    assert store.identify(essay_at(path)) == before


def test_the_same_file_at_two_paths_is_one_essay(tmp_path: Path, store: AnnotationStore) -> None:
    original = write(tmp_path / "a" / "rfc.md", RFC_ONE)
    first = store.identify(essay_at(original))
    copy = tmp_path / "b" / "copy-of-rfc.md"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    assert store.identify(essay_at(copy)) == first
    link = tmp_path / "c.md"
    link.symlink_to(original)
    assert store.identify(essay_at(link)) == first
    # Both paths stay recorded: the copy did not take the original's place.
    assert set(store.essay_paths(first)) == {str(original), str(copy)}


def test_a_moved_and_lightly_edited_file_keeps_its_notes(
    tmp_path: Path, store: AnnotationStore
) -> None:
    old = write(tmp_path / "drafts" / "try-blocks.md", RFC_ONE)
    first = store.identify(essay_at(old))
    new = tmp_path / "accepted" / "2388-try-expr.md"
    new.parent.mkdir()
    old.rename(new)
    write(new, edited(RFC_ONE))
    assert store.identify(essay_at(new)) == first
    assert store.essay_paths(first) == [str(new)]
    # A different document written later at the old path is a new essay.
    write(old, RFC_TWO)
    assert store.identify(essay_at(old)) != first


def test_a_close_copy_whose_original_is_still_there_is_its_own_essay(
    tmp_path: Path, store: AnnotationStore
) -> None:
    """An edited copy next to the original (a fork, a draft) is not the original."""
    original = write(tmp_path / "rfc.md", RFC_ONE)
    first = store.identify(essay_at(original))
    fork = write(tmp_path / "rfc-fork.md", edited(RFC_ONE))
    assert store.identify(essay_at(fork)) != first
    assert store.identify(essay_at(original)) == first


def test_a_front_matter_id_wins(tmp_path: Path, store: AnnotationStore) -> None:
    text = "---\nid: try-blocks\n---\n" + RFC_ONE
    one = write(tmp_path / "a.md", text)
    two = write(tmp_path / "b.md", text.replace("try` block", "try` expression"))
    assert store.identify(essay_at(one)) == store.identify(essay_at(two)) == "try-blocks"


def test_the_read_only_lookup_names_the_same_essay_and_writes_nothing(
    tmp_path: Path, store: AnnotationStore
) -> None:
    path = write(tmp_path / "rfc.md", RFC_ONE)
    essay = essay_at(path)
    looked_up = store.identify(essay, record=False)
    database = sqlite3.connect(tmp_path / "data" / DATABASE_NAME)
    assert database.execute("SELECT count(*) FROM essays").fetchone()[0] == 0
    assert database.execute("SELECT count(*) FROM essay_paths").fetchone()[0] == 0
    assert store.identify(essay) == looked_up
    assert database.execute("SELECT count(*) FROM essay_paths").fetchone()[0] == 1
    database.close()
    # A moved file is found read-only too.
    moved = tmp_path / "moved.md"
    path.rename(moved)
    assert store.identify(essay_at(moved), record=False) == looked_up


def test_piped_text_is_identified_by_its_bytes(tmp_path: Path, store: AnnotationStore) -> None:
    from essaytui.model.parse import parse_essay

    data = RFC_ONE.encode()
    piped = parse_essay(RFC_ONE)
    first = store.identify(piped, source=data)
    assert store.identify(piped, source=data) == first
    other = parse_essay(RFC_TWO)
    assert store.identify(other, source=RFC_TWO.encode()) != first
    # The same text as a file is the same essay.
    assert store.identify(essay_at(write(tmp_path / "rfc.md", RFC_ONE))) == first


def test_a_store_that_cannot_be_read_still_gives_an_id(tmp_path: Path) -> None:
    path = write(tmp_path / "rfc.md", RFC_ONE)
    store = AnnotationStore.open(tmp_path / "data")
    store.close()  # every read now fails
    found = store.identify(essay_at(path))
    assert found.startswith("doc-") and found != title_hash("Summary", "")
