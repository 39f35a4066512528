"""The library store: texts held, the sentence index (CJK too), reading time, series."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from essaytui import paths
from essaytui.model.files import load_essay
from essaytui.model.search import SearchError
from essaytui.store import AnnotationStore
from essaytui.store.intake import files_under, gather, take_in
from essaytui.store.library import LIBRARY_NAME, Library, ReadingTotals
from essaytui.store.library_text import bigrams, match_expression, sentences
from essaytui.store.pace import DEFAULT_WPM

DATA = Path(__file__).resolve().parents[1] / "data"
CJK = DATA / "cjk.md"
CJK_ESSAY = DATA / "reading" / "cjk-essay.md"
#: Two-character words of the Chinese and Japanese fixtures, the commonest CJK word length.
CJK_WORDS = ["中国", "东京", "東京", "日本", "街道", "客厅", "商店", "研究", "通り"]


def open_both(folder: Path) -> tuple[Library, AnnotationStore]:
    return Library.open(folder), AnnotationStore.open(folder)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_bigram_index_finds_two_character_cjk_words_that_trigram_misses(tmp_path: Path) -> None:
    """The measurement behind the tokenizer: on both CJK fixtures, every two-character
    word found in the text is found by unicode61 over bigrams; trigram finds none."""
    texts = [load_essay(CJK).reading_text, load_essay(CJK_ESSAY).reading_text]
    words = [w for w in CJK_WORDS if any(w in t for t in texts)]
    assert len(words) >= 6
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE tri USING fts5(body, tokenize = 'trigram')")
    db.execute("CREATE VIRTUAL TABLE bi USING fts5(body, tokenize = 'unicode61')")
    for text in texts:
        db.execute("INSERT INTO tri VALUES (?)", (text,))
        db.execute("INSERT INTO bi VALUES (?)", (bigrams(text),))
    by_trigram = [
        w
        for w in words
        if db.execute("SELECT 1 FROM tri WHERE tri MATCH ?", (f'"{w}"',)).fetchall()
    ]
    by_bigram = [
        w
        for w in words
        if db.execute("SELECT 1 FROM bi WHERE bi MATCH ?", (match_expression(w),)).fetchall()
    ]
    assert by_bigram == words
    assert by_trigram == []


def test_bigrams_split_runs_and_keep_other_text() -> None:
    assert bigrams("中国人 and 日本") == " 中国 国人  and  日本 "
    assert bigrams("plain words") == "plain words"
    assert match_expression("中国人 trade") == '"中国 国人" "trade"*'


def test_sentences_cover_paragraphs_once_in_order() -> None:
    essay = load_essay(paths.default_essay())
    rows = list(sentences(essay))
    assert len(rows) > 30
    starts = [start for _, _, start, _ in rows]
    assert starts == sorted(starts)
    for (_, _, _, end), (_, _, start, _) in zip(rows, rows[1:], strict=False):
        assert start >= end


def test_put_search_and_remove(tmp_path: Path) -> None:
    library, store = open_both(tmp_path / "data")
    essay_path = write(
        tmp_path / "t" / "trade.md",
        "---\ntitle: Trade\nauthor: A. Writer\n---\n\n## Ports\n\nShips carry grain. "
        "Merchants argue about tariffs.\n\n## Roads\n\n中国的道路很长。\n",
    )
    report = take_in(library, store, [essay_path])
    assert len(report.added) == 1
    hits = library.search("tariff")
    assert [h.section for h in hits] == ["Ports"]
    hit = hits[0]
    assert hit.snippet[hit.marks[0][0] : hit.marks[0][1]].lower() == "tariff"
    text = load_essay(essay_path).reading_text
    assert text[hit.start : hit.end] == "Merchants argue about tariffs."
    assert [h.section for h in library.search("道路")] == ["Roads"]
    assert [h.section for h in library.search("re:gr[ae]in")] == ["Ports"]
    with pytest.raises(SearchError):
        library.search("re:(")
    essay_id = library.texts()[0].essay_id
    assert library.remove(essay_id)
    assert library.texts() == []
    assert library.search("tariff") == []
    # a removed text stays out of what `gather` brings back, but `add` takes it in again
    assert take_in(library, store, [essay_path]).added == [str(essay_path.resolve())]


def test_changed_file_is_indexed_again(tmp_path: Path) -> None:
    library, store = open_both(tmp_path / "data")
    essay_path = write(tmp_path / "e.md", "# E\n\nAlpha words here.\n")
    take_in(library, store, [essay_path])
    assert library.search("alpha")
    write(essay_path, "# E\n\nBeta words now, and more of them.\n")
    gather(library, store)
    assert library.search("alpha") == []
    assert library.search("beta")


def test_bundled_essay_is_always_in_the_library(tmp_path: Path) -> None:
    library, store = open_both(tmp_path / "data")
    gather(library, store)
    held = [Path(t.path).resolve() for t in library.texts()]
    assert paths.default_essay().resolve() in held


def test_skips_say_why_and_duplicates_are_one_entry(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    write(folder / "a.md", "# Same\n\nThe very same text.\n")
    write(folder / "sub" / "b.md", "# Same\n\nThe very same text.\n")
    (folder / "binary.md").write_bytes(bytes(range(256)) * 20)
    write(folder / "empty.txt", "")
    write(folder / "ignored.png", "not looked at")
    (folder / "sub" / "loop").symlink_to(folder)
    library, store = open_both(tmp_path / "data")
    report = take_in(library, store, [folder])
    assert len(report.added) == 1
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"b.md", "binary.md", "empty.txt"}
    assert "same text as" in reasons["b.md"]
    assert "binary" in reasons["binary.md"]
    assert all("\n" not in r for r in reasons.values())
    found = [p for p in files_under([folder]) if isinstance(p, Path)]
    assert sorted(p.name for p in found) == ["a.md", "b.md", "binary.md", "empty.txt"]


def test_damaged_library_file_is_set_aside(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / LIBRARY_NAME).write_bytes(b"this is not a database" * 100)
    library = Library.open(folder)
    assert library.texts() == []
    assert list(folder.glob(f"{LIBRARY_NAME}.damaged-*"))


def test_reading_time_and_pace(tmp_path: Path) -> None:
    library = Library.open(tmp_path)
    assert library.reading().words_per_minute == DEFAULT_WPM
    library.add_reading("a", 600, 3000, day="2026-12-07")
    library.add_reading("a", 600, 3000, day="2026-12-07")
    library.add_reading("b", 300, 0, day="2026-11-02")
    assert library.reading("a") == ReadingTotals(1200, 6000)
    assert library.reading("a").words_per_minute == 300
    weeks = library.reading_by_week()
    assert [w for w, _ in weeks] == ["2026-W50", "2026-W45"]
    assert set(library.reading_by_text()) == {"a", "b"}


def test_a_locked_library_is_not_taken_for_damaged(tmp_path: Path) -> None:
    from essaytui.store.library import LibraryError

    Library.open(tmp_path).close()
    holder = sqlite3.connect(tmp_path / LIBRARY_NAME)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LibraryError, match="locked"):
            Library.open(tmp_path, wait=0.1)
    finally:
        holder.rollback()
        holder.close()
    assert not list(tmp_path.glob(f"{LIBRARY_NAME}.damaged-*"))
    Library.open(tmp_path).close()


def test_a_file_known_under_a_new_id_is_held_once(tmp_path: Path) -> None:
    """After a sync joins two ids, the file is read under the new one: one entry."""
    library = Library.open(tmp_path / "data")
    essay_path = write(tmp_path / "j.md", "# Joined\n\nOne text, two ids once.\n")
    essay = load_essay(essay_path)
    library.put("old-id", essay, essay_path)
    assert library.forget_others_at(essay_path, "new-id") == 1
    library.put("new-id", essay, essay_path)
    assert [t.essay_id for t in library.texts()] == ["new-id"]
    assert len(library.search("joined")) == 1
