"""The reader files notes and positions under the document, not its title.

Two Rust RFCs both begin "# Summary" and have no front matter: once the
second one opened at the first one's place, with its bookmark listed as "not found".
"""

from __future__ import annotations

from pathlib import Path

from ready import until

from essaytui.app import EssayApp
from essaytui.cli import last_read_path
from essaytui.model.files import FIRST_SCREEN_LIMIT
from essaytui.model.identity import title_hash
from essaytui.store import AnnotationStore
from essaytui.widgets.essay_view import EssayView


def rfc(folder: Path, name: str, topic: str) -> Path:
    """An RFC with the template's headings and enough text to scroll."""
    paragraphs = "\n\n".join(
        f"Paragraph {n} about {topic}: it explains one more detail of the proposal at length."
        for n in range(80)
    )
    path = folder / name
    path.write_text(
        f"# Summary\n\nThis RFC proposes {topic}.\n\n# Motivation\n\n{paragraphs}\n\n"
        "# Drawbacks\n\nWhy should we not do this?\n",
        encoding="utf-8",
    )
    return path


async def test_two_summaries_keep_their_own_notes_and_places(tmp_path: Path) -> None:
    one = rfc(tmp_path, "2388-try-expr.md", "try blocks")
    two = rfc(tmp_path, "1598-gat.md", "generic associated types")

    app = EssayApp(one)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first_id = app.essay.id
        assert first_id != title_hash("Summary", "")
        await pilot.press(*["j"] * 30, "m")
        await pilot.pause()
        assert [a.kind.value for a in app.reader.notes.annotations] == ["bookmark"]
        top = app.reader.query_one(EssayView).top_offset
        assert top > 0
        await pilot.press("q")

    app = EssayApp(two)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.essay.id != first_id
        assert app.reader.notes.annotations == []
        assert app.reader.query_one(EssayView).top_offset == 0
        await pilot.press("q")

    app = EssayApp(one)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.essay.id == first_id
        assert len(app.reader.notes.annotations) == 1
        assert app.reader.query_one(EssayView).top_offset == top
        await pilot.press("q")


async def test_last_read_is_recorded_when_an_essay_is_opened(tmp_path: Path) -> None:
    one = rfc(tmp_path, "one.md", "try blocks")
    two = rfc(tmp_path, "two.md", "generic associated types")
    for path in (one, two):
        app = EssayApp(path)
        async with app.run_test(size=(120, 40)) as pilot:
            # no scrolling at all: opening is reading
            wanted = path.resolve()
            await until(pilot, lambda: last_read_path(None) == wanted, "last read")  # noqa: B023
            await pilot.press("q")
    assert last_read_path(None) == two.resolve()


async def test_a_long_essay_keeps_its_id_when_the_rest_arrives(tmp_path: Path) -> None:
    paragraphs = "\n\n".join(
        f"Paragraph {n}: a sentence long enough to make a large file in the end."
        for n in range(4000)
    )
    path = tmp_path / "long.md"
    path.write_text(f"# Introduction\n\n{paragraphs}\n", encoding="utf-8")
    assert path.stat().st_size > 2 * FIRST_SCREEN_LIMIT
    app = EssayApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert not app.essay.complete
        early = app.essay.id
        await pilot.press("m")  # a bookmark made on the first part
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.reader
        assert app.essay.complete and screen.essay.complete
        assert app.essay.id == screen.essay.id == early
        assert len(screen.notes.annotations) == 1
        await pilot.press("q")
    with AnnotationStore.open() as store:
        assert [a.essay_id for a in store.all_annotations()] == [early]
        position = store.last_read()
        assert position is not None and position.essay_id == early
