"""Where essays are: a book's path is recorded and followed like any essay's, a changed
copy or a damaged book is an essay of its own (subprocess runs of the CLI, stores on disk)."""

from __future__ import annotations

import dataclasses
import subprocess
import zipfile
from pathlib import Path

import pytest
from epub_books import epub3_book
from essaytui_run import essaytui

from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore

DATA = Path(__file__).resolve().parents[1] / "data"


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESSAYTUI_CACHE_DIR", str(tmp_path / "cache"))


def note_on(data: Path, path: Path, note: str) -> str:
    """A note on the first words of the essay at `path`, as the reader files it; its id."""
    with AnnotationStore.open(data) as store:
        essay = load_essay(path)
        essay = dataclasses.replace(essay, id=store.identify(essay))
        store.add(make_annotation(essay, 0, 12, Kind.NOTE, note=note))
        return essay.id


def identify(data: Path, path: Path, *, record: bool = True) -> str:
    with AnnotationStore.open(data) as store:
        return store.identify(load_essay(path), record=record)


def without_chapter(book: Path, copy: Path, chapter: str = "OEBPS/text/chapter-2.xhtml") -> Path:
    """A copy of `book` (same package identifier) with one chapter's file missing."""
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            if info.filename != chapter:
                target.writestr(info, source.read(info))
    return copy


def test_a_books_path_is_recorded_and_followed_when_renamed(tmp_path: Path) -> None:
    data, shelf = tmp_path / "data", tmp_path / "shelf"
    shelf.mkdir()
    book = epub3_book(shelf / "keeper.epub")
    ok(essaytui("add", shelf, data=data))
    book_id = note_on(data, book, "keeper of the light")
    with AnnotationStore.open(data) as store:
        assert store.essay_paths(book_id) == [str(book.resolve())]
    renamed = book.rename(shelf / "lighthouse.epub")
    assert identify(data, renamed) == book_id
    with AnnotationStore.open(data) as store:
        assert store.essay_paths(book_id) == [str(renamed.resolve())]
    found = ok(essaytui("notes", "search", "keeper", data=data)).stdout
    assert "lighthouse.epub" in found and "keeper.epub" not in found, found


def test_a_damaged_copy_of_a_book_is_its_own_text(tmp_path: Path) -> None:
    data, shelf, other = tmp_path / "data", tmp_path / "shelf", tmp_path / "other"
    shelf.mkdir()
    other.mkdir()
    book = epub3_book(shelf / "keeper.epub")
    ok(essaytui("add", shelf, data=data))
    book_id = note_on(data, book, "keeper of the light")
    broken = without_chapter(book, other / "broken.epub")
    result = ok(essaytui("add", broken, data=data))
    # not "the same text as keeper.epub": it is not the same text
    assert "added 1 text(s)" in result.stderr, result.stderr
    assert "same text" not in result.stderr
    assert identify(data, broken) != book_id
    assert identify(data, book) == book_id
    with AnnotationStore.open(data) as store:
        assert store.essay_paths(book_id) == [str(book.resolve())]
    found = ok(essaytui("notes", "search", "keeper", data=data)).stdout
    assert "keeper.epub" in found and "broken.epub" not in found, found


def test_a_new_edition_in_place_of_the_book_keeps_its_notes(tmp_path: Path) -> None:
    data, shelf = tmp_path / "data", tmp_path / "shelf"
    shelf.mkdir()
    book = epub3_book(shelf / "keeper.epub")
    book_id = note_on(data, book, "keeper of the light")
    edition = without_chapter(book, shelf / "keeper-2nd.epub")
    book.unlink()
    assert identify(data, edition) == book_id
    with AnnotationStore.open(data) as store:
        assert store.essay_paths(book_id) == [str(edition.resolve())]


def edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("waiting", "queueing", 1) + "\n\nA paragraph added to the copy.\n",
        encoding="utf-8",
    )


def test_an_edited_copy_does_not_take_the_originals_notes(tmp_path: Path) -> None:
    data, shelf = tmp_path / "data", tmp_path / "shelf"
    (shelf / "sub").mkdir(parents=True)
    original = shelf / "quarto-post.qmd"
    original.write_bytes((DATA / "dialects" / "quarto-post.qmd").read_bytes())
    copy = shelf / "sub" / "dup-of-quarto.qmd"
    copy.write_bytes(original.read_bytes())
    essay_id = note_on(data, original, "the median")
    result = ok(essaytui("add", shelf, data=data))
    assert "the same text as" in result.stderr  # it is, byte for byte
    assert identify(data, copy) == essay_id
    edit(copy)
    assert identify(data, copy, record=False) != essay_id
    own = identify(data, copy)
    assert own != essay_id
    with AnnotationStore.open(data) as store:
        assert store.list_for_essay(own) == []
        assert len(store.list_for_essay(essay_id)) == 1
        assert store.essay_paths(essay_id) == [str(original.resolve())]
    listed = ok(essaytui("list", data=data)).stdout
    assert "dup-of-quarto" not in listed.split("quarto-post.qmd")[0], listed


def test_the_edited_original_keeps_its_notes_beside_a_copy(tmp_path: Path) -> None:
    data, shelf = tmp_path / "data", tmp_path / "shelf"
    (shelf / "sub").mkdir(parents=True)
    original = shelf / "quarto-post.qmd"
    original.write_bytes((DATA / "dialects" / "quarto-post.qmd").read_bytes())
    copy = shelf / "sub" / "dup-of-quarto.qmd"
    copy.write_bytes(original.read_bytes())
    essay_id = note_on(data, original, "the median")
    ok(essaytui("add", shelf, data=data))
    edit(original)
    assert identify(data, original) == essay_id
    # and one file alone, edited, keeps its id as ever
    alone = shelf / "alone.qmd"
    alone.write_bytes((DATA / "dialects" / "quarto-post.qmd").read_bytes().replace(b"Why", b"How"))
    alone_id = identify(data, alone)
    edit(alone)
    assert identify(data, alone) == alone_id


def test_a_book_opened_on_both_machines_is_not_notes_only(tmp_path: Path) -> None:
    laptop, desk, folder = tmp_path / "laptop", tmp_path / "desk", tmp_path / "Sync"
    book = epub3_book(tmp_path / "keeper.epub")
    note_on(laptop, book, "keeper of the light")
    book.unlink()  # the desk has the book under another name
    on_desk = epub3_book(tmp_path / "desk-shelf.epub")
    identify(desk, on_desk)
    ok(essaytui("sync", folder, data=laptop))
    came = ok(essaytui("sync", folder, data=desk))
    assert "1 note from another machine" in came.stdout, came.stdout
    assert "notes only" not in came.stdout, came.stdout
    listed = ok(essaytui("list", data=desk)).stdout
    assert "desk-shelf.epub" in listed and "(file missing)" not in listed, listed


def test_a_book_read_before_its_path_was_recorded_keeps_it_from_a_damaged_copy(
    tmp_path: Path,
) -> None:
    # a store written before books' paths were recorded: the book's notes, no path row
    data, shelf = tmp_path / "data", tmp_path / "shelf"
    shelf.mkdir()
    book = epub3_book(shelf / "keeper.epub")
    book_id = note_on(data, book, "keeper of the light")
    with AnnotationStore.open(data) as store:
        store.database.write(lambda c: c.execute("DELETE FROM essay_paths"))
        store.database.write(lambda c: c.execute("DELETE FROM essays"))
    broken = without_chapter(book, tmp_path / "broken.epub")
    assert identify(data, broken) != book_id
    assert identify(data, book) == book_id


def test_add_says_why_a_different_file_of_the_same_essay_is_skipped(tmp_path: Path) -> None:
    data, shelf = tmp_path / "data", tmp_path / "shelf"
    shelf.mkdir()
    (shelf / "a.md").write_text("---\nid: harbour-notes\n---\n# Harbour\n\nOne.\n", "utf-8")
    (shelf / "b.md").write_text("---\nid: harbour-notes\n---\n# Harbour\n\nTwo.\n", "utf-8")
    result = ok(essaytui("add", shelf, data=data))
    assert "the same text as" not in result.stderr, result.stderr
    assert "a version of" in result.stderr and "(harbour-notes)" in result.stderr, result.stderr
