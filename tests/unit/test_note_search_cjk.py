"""Notes in Chinese and Japanese, found by a two-character word as the library's texts
are: in the store, after an edit, in a database indexed before, from the command line."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from essaytui_run import essaytui

from essaytui.model.annotation import Annotation, Kind, make_annotation, with_note
from essaytui.model.essay import Essay
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore
from essaytui.store.rows import annotation_values
from essaytui.store.schema import DATABASE_NAME, MIGRATIONS
from essaytui.store.search import quote_around

DATA = Path(__file__).resolve().parents[1] / "data"
CJK = DATA / "cjk.md"
CJK_ESSAY = DATA / "reading" / "cjk-essay.md"


def on(store: AnnotationStore, path: Path, phrase: str, note: str = "") -> Annotation:
    essay: Essay = load_essay(path)
    essay = dataclasses.replace(essay, id=store.identify(essay))
    start = essay.reading_text.index(phrase)
    annotation = make_annotation(essay, start, start + len(phrase), Kind.NOTE, note=note)
    store.add(annotation)
    store.touch(essay.id, str(path), essay.title, essay.author)
    return annotation


def found(store: AnnotationStore, query: str) -> list[str]:
    return [hit.annotation.id for hit in store.search_notes(query)]


def test_a_two_character_word_finds_a_chinese_or_japanese_note(tmp_path: Path) -> None:
    with AnnotationStore.open(tmp_path) as store:
        chinese = on(store, CJK, "中国和俄罗斯是全面战略协作伙伴关系", "伙伴关系的历史很长")
        japanese = on(store, CJK_ESSAY, "日本の研究者たちも", "商店街の衰退について")
        # inside a run, not at its start: unicode61 alone took the run for one word
        assert found(store, "战略") == [chinese.id]
        assert found(store, "俄罗斯") == [chinese.id]
        assert found(store, "历史") == [chinese.id]  # in the note
        assert found(store, "研究") == [japanese.id]
        assert found(store, "衰退") == [japanese.id]
        assert found(store, "战略 伙伴") == [chinese.id]  # every word
        assert found(store, "战略 研究") == []
        assert found(store, "中") == [chinese.id]  # one character: a prefix
        assert found(store, "美国") == []
        # the snippet is the quote as written, never its two-character words
        (hit,) = store.search_notes("战略")
        assert "全面战略协作" in hit.snippet and "战略 略协" not in hit.snippet


def test_an_edited_note_is_found_by_its_new_words_only(tmp_path: Path) -> None:
    with AnnotationStore.open(tmp_path) as store:
        annotation = on(store, CJK, "这种关系有很长的历史", "长期合作")
        assert found(store, "合作") == [annotation.id]
        store.update(with_note(annotation, "东京的首都"))
        assert found(store, "合作") == []
        assert found(store, "首都") == [annotation.id]


def test_a_database_indexed_before_finds_its_cjk_notes_once_opened(tmp_path: Path) -> None:
    database = tmp_path / DATABASE_NAME
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("BEGIN")
    for migration in MIGRATIONS[:4]:  # as essaytui made it before CJK words
        for step in migration:
            connection.execute(step) if isinstance(step, str) else step(connection)
    connection.execute("PRAGMA user_version = 4")
    connection.execute("COMMIT")
    essay = load_essay(CJK)
    start = essay.reading_text.index("全面战略")
    old = make_annotation(essay, start, start + 4, Kind.NOTE, note="笔记 notebook")
    connection.execute(
        f"INSERT INTO annotations VALUES ({', '.join('?' * 17)})", annotation_values(old)
    )
    connection.close()
    with AnnotationStore.open(tmp_path) as store:
        assert store.database.read("PRAGMA user_version")[0][0] == 5
        assert found(store, "战略") == [old.id]
        assert found(store, "notebook") == [old.id]
    # a row another program writes (no essaytui to index it) is found by its other words
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("UPDATE annotations SET note = '新的笔记 fresh' WHERE id = ?", (old.id,))
    connection.close()
    with AnnotationStore.open(tmp_path) as store:
        assert found(store, "fresh") == [old.id]


def test_search_notes_from_the_command_line_in_chinese(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        annotation = on(store, CJK, "全面战略协作伙伴关系", "重要的概念")
    result = essaytui("search", "战略", "--notes", data=data)
    assert result.returncode == 0, result.stderr
    assert "全面战略协作伙伴关系" in result.stdout and "Traceback" not in result.stderr
    notes = essaytui("notes", "search", "概念", data=data)
    assert notes.returncode == 0 and "重要的概念" in notes.stdout
    assert essaytui("search", "美国", "--notes", data=data).returncode == 1
    assert annotation.id


def test_quote_around_cuts_either_side_of_the_word() -> None:
    text = "甲" * 100 + "战略" + "乙" * 100
    cut = quote_around(text, ["战略"], reach=10)
    assert cut == "…" + "甲" * 10 + "战略" + "乙" * 18 + "…"
    assert quote_around("short 战略", ["无"], reach=10) == "short 战略"
