"""`essaytui export --format anki|tsv`: the deck read back (a zip with an SQLite collection)."""

from __future__ import annotations

import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

from essaytui_run import essaytui

from essaytui.interchange.anki import card_guid
from essaytui.model.annotation import Annotation, Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore

DATA = Path(__file__).parents[1] / "data"
ESSAY = DATA / "tiny.md"


def annotate(data: Path) -> list[Annotation]:
    essay = load_essay(ESSAY)
    made: list[Annotation] = []
    with AnnotationStore.open(data) as store:
        essay = replace(essay, id=store.identify(essay))
        store.touch(essay.id, str(ESSAY), essay.title, essay.author)
        specs: list[tuple[str, Kind, str, tuple[str, ...]]] = [
            (
                "comprehensive",
                Kind.NOTE,
                "Why <comprehensive>?\nSecond line \x1b[31m",
                ("ties", "china"),
            ),
            ("official", Kind.HIGHLIGHT, "", ()),
            ("friends", Kind.BOOKMARK, "", ()),
            ("describe", Kind.NOTE, "gone", ()),
        ]
        for quote, kind, note, tags in specs:
            start = essay.reading_text.index(quote)
            made.append(
                store.add(
                    make_annotation(essay, start, start + len(quote), kind, note=note, tags=tags)
                )
            )
        store.delete(made[-1].id)
    return made


def collection(apkg: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as archive:
        name = next(n for n in archive.namelist() if n.startswith("collection.anki2"))
        archive.extract(name, tmp_path / "unzipped")
    return sqlite3.connect(tmp_path / "unzipped" / name)


def test_one_card_per_highlight_and_note_with_stable_guids(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = annotate(data)
    deck = tmp_path / "deck.apkg"
    done = essaytui("export", ESSAY, "--format", "anki", "-o", deck, data=data)
    assert done.returncode == 0, done.stderr
    assert "exported 2 card(s)" in done.stderr
    with collection(deck, tmp_path) as db:
        rows = db.execute("SELECT guid, flds, tags FROM notes ORDER BY sfld").fetchall()
        assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == 2
        decks = db.execute("SELECT decks FROM col").fetchone()[0]
    assert "essaytui::A tiny essay on partners" in decks
    by_guid = {guid: (fields.split("\x1f"), tags) for guid, fields, tags in rows}
    assert set(by_guid) == {card_guid(made[0].id), card_guid(made[1].id)}
    fields, tags = by_guid[card_guid(made[0].id)]
    quote, source, note, citation, annotation_id = fields
    assert quote == "comprehensive" and annotation_id == made[0].id
    assert source.startswith("A tiny essay on partners — § The claim")
    assert note.startswith("Why &lt;comprehensive&gt;?<br>Second line")
    assert "\x1b" not in note
    assert citation.startswith("Example, Ada.") and "Tiny Essay on Partners" in citation
    assert tags.split() == ["ties", "china"]
    # exporting again (and from another machine) gives the same guids: Anki updates
    again = tmp_path / "again.apkg"
    assert essaytui("export", ESSAY, "--format", "anki", "-o", again, data=data).returncode == 0
    with collection(again, tmp_path / "second") as db:
        guids = {row[0] for row in db.execute("SELECT guid FROM notes")}
    assert guids == set(by_guid)


def test_tsv_for_ankis_plain_text_import(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = annotate(data)
    done = essaytui("export", ESSAY, "--format", "tsv", data=data)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == ["#separator:tab", "#html:true", "#guid column:1"]
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert [row[0] for row in rows] == [card_guid(made[0].id), card_guid(made[1].id)]
    assert all(len(row) == 4 for row in rows)
    assert rows[0][3] == "ties china" and "\x1b" not in done.stdout


def test_all_essays_in_one_deck_file_and_an_unusable_target(tmp_path: Path) -> None:
    data = tmp_path / "data"
    annotate(data)
    target = tmp_path / "all.apkg"
    done = essaytui("export", "--all", "--format", "anki", "-o", target, data=data)
    assert done.returncode == 0, done.stderr
    with collection(target, tmp_path) as db:
        assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 2
    folder = tmp_path / "a-folder"
    folder.mkdir()
    bad = essaytui("export", ESSAY, "--format", "anki", "-o", folder, data=data)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
