"""`backspace` returns across texts, whichever way the other text was opened: the Library,
a library search hit (a sentence, or a note), the next part of a series, "Find note…".
The real app through Pilot, with a real library and notes database."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ready import opened, palette_listed
from test_library_ui import shelve
from textual.command import CommandPalette
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.screens.reader import ReaderScreen
from essaytui.store import AnnotationStore


def long_text(title: str, part: int, word: str) -> str:
    body = "\n\n".join(
        f"Paragraph {n} of {title.lower()} runs on about {word} for a while." for n in range(90)
    )
    return (
        f"---\ntitle: {title}\nauthor: Back Writer\nseries: Long water, Part {part}\n---\n\n"
        f"# {title}\n\n{body}\n\nThe {word} passage closes {title.lower()}.\n"
    )


def write_texts(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for part, (title, word) in enumerate(
        (("Headwaters", "springs"), ("Lowlands", "meanders"), ("Deltas", "zeppelin")), start=1
    ):
        path = folder / f"{title.lower()}.md"
        path.write_text(long_text(title, part, word), encoding="utf-8")
        made[title] = path
    return made


async def settle(pilot: Pilot[None]) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def read_down(pilot: Pilot[None], app: EssayApp) -> int:
    """Page into the text; the top offset there."""
    for _ in range(3):
        await pilot.press("space")
    await pilot.pause()
    top = app.reader.view.top_offset
    assert top > 0
    return top


async def back_to(pilot: Pilot[None], app: EssayApp, title: str, top: int) -> None:
    """`backspace` (past the new text's own jumps) until `title` is read again, at `top`."""
    for _ in range(4):
        await pilot.press("backspace")
        await settle(pilot)
        if app.essay.title == title:
            break
    assert app.essay.title == title
    view = app.reader.view
    assert view.top_offset <= top < view.bottom_offset, (view.top_offset, top)


async def palette_pick(pilot: Pilot[None], command: str, words: str, down: int = 0) -> None:
    app = pilot.app
    await pilot.press("ctrl+p", *command, "enter")
    await pilot.pause(0.3)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*words)
    await palette_listed(pilot)
    await pilot.press(*["down"] * down, "enter")
    await settle(pilot)
    assert isinstance(app.screen, ReaderScreen)


async def test_from_the_library(tmp_path: Path, data_dir: Path) -> None:
    texts = write_texts(tmp_path / "texts")
    shelve(data_dir, list(texts.values()))
    app = EssayApp(texts["Headwaters"])
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        top = await read_down(pilot, app)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("slash", *"deltas", "enter", "enter")
        await settle(pilot)
        assert app.essay.title == "Deltas"
        await back_to(pilot, app, "Headwaters", top)
        assert not app.can_go_back_a_text()


async def test_from_the_next_part_and_then_a_library_search_hit(
    tmp_path: Path, data_dir: Path
) -> None:
    texts = write_texts(tmp_path / "texts")
    shelve(data_dir, list(texts.values()))
    app = EssayApp(texts["Headwaters"])
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        top = await read_down(pilot, app)
        await pilot.press("alt+n")
        await settle(pilot)
        assert app.essay.title == "Lowlands"
        lowlands_top = await read_down(pilot, app)
        await palette_pick(pilot, "Search the library", "zeppelin passage")
        assert app.essay.title == "Deltas"
        # back through both: the search hit's text, then the next part's
        await back_to(pilot, app, "Lowlands", lowlands_top)
        await back_to(pilot, app, "Headwaters", top)


async def test_from_find_note_and_from_a_note_hit_of_the_library_search(
    tmp_path: Path, data_dir: Path
) -> None:
    texts = write_texts(tmp_path / "texts")
    # "Deltas" is not in the library: only its note knows where it is
    shelve(data_dir, [texts["Headwaters"], texts["Lowlands"]])
    with AnnotationStore.open(data_dir) as store:
        for title, note in (("Deltas", "airships aloft"), ("Lowlands", "oxbow lakes")):
            essay = load_essay(texts[title])
            essay = dataclasses.replace(essay, id=store.identify(essay))
            start = essay.reading_text.index("The ")
            store.add(make_annotation(essay, start, start + 12, Kind.NOTE, note=note))
            store.touch(essay.id, str(texts[title]), essay.title, essay.author)
    app = EssayApp(texts["Headwaters"])
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        top = await read_down(pilot, app)
        await palette_pick(pilot, "find note", "airships", down=1)
        assert app.essay.title == "Deltas"
        await back_to(pilot, app, "Headwaters", top)
        await palette_pick(pilot, "Search the library", "oxbow lakes")
        assert app.essay.title == "Lowlands"
        await back_to(pilot, app, "Headwaters", top)


async def test_a_text_that_fails_to_open_leaves_no_step(tmp_path: Path, data_dir: Path) -> None:
    texts = write_texts(tmp_path / "texts")
    app = EssayApp(texts["Headwaters"])
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        bad = tmp_path / "binary.md"
        bad.write_bytes(b"\x00\x01\x02" * 100)
        app.open_essay(bad)
        await settle(pilot)
        assert app.essay.title == "Headwaters"
        assert not app.can_go_back_a_text()
        assert "Not opened" in app.reader.status.message


async def test_find_note_and_the_library_search_find_a_chinese_note(
    tmp_path: Path, data_dir: Path
) -> None:
    cjk = Path(__file__).resolve().parents[1] / "data" / "cjk.md"
    with AnnotationStore.open(data_dir) as store:
        essay = load_essay(cjk)
        essay = dataclasses.replace(essay, id=store.identify(essay))
        start = essay.reading_text.index("全面战略协作")
        store.add(make_annotation(essay, start, start + 6, Kind.NOTE, note="伙伴的历史"))
        store.touch(essay.id, str(cjk), essay.title, essay.author)
    texts = write_texts(tmp_path / "texts")
    app = EssayApp(texts["Headwaters"])
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        top = await read_down(pilot, app)
        # "战略" is inside a run of Chinese: found only as one of its two-character words
        await palette_pick(pilot, "find note", "战略", down=1)
        assert app.essay.title == "中俄关系的历史"
        view = app.reader.view
        assert view.top_offset <= start < view.bottom_offset
        await back_to(pilot, app, "Headwaters", top)
        await palette_pick(pilot, "Search the library", "历史")
        assert app.essay.title == "中俄关系的历史"
