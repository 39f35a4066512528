"""Notes imported for an essay never opened here: `list` and `notes search` call it by
the title the import gives, and list it once (the bundled essay is not listed a second
time as an "other essay" named after its file). Real CLI runs in subprocesses over real
data folders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from essaytui_run import essaytui

from essaytui import paths
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore

OWN_ESSAY = """---
id: a-river-essay
title: Notes on a River
author: Ann Author
---

## The water

The river runs slowly past the mill. Nobody remembers when it was built.
"""


def exported_notes(essay_path: Path, phrase: str, note: str, folder: Path) -> Path:
    """A JSON export of one note on `essay_path`, made in a data folder of its own."""
    essay = load_essay(essay_path)
    start = essay.reading_text.index(phrase)
    source = folder / "source-data"
    with AnnotationStore.open(source) as store:
        store.add(make_annotation(essay, start, start + len(phrase), Kind.NOTE, note=note))
    export = folder / "notes.json"
    result = essaytui("export", essay_path, "--format", "json", "-o", export, data=source)
    assert result.returncode == 0, result.stderr
    return export


def test_imported_notes_of_the_bundled_essay_list_it_once_by_its_title(tmp_path: Path) -> None:
    bundled = paths.default_essay()
    title = load_essay(bundled).title
    export = exported_notes(bundled, "bitter rivalries", "rivalry thought", tmp_path)
    fresh = tmp_path / "fresh"
    assert essaytui("import-notes", export, data=fresh).returncode == 0
    listed = essaytui("list", data=fresh)
    assert listed.returncode == 0, listed.stderr
    out = listed.stdout
    assert out.count(str(bundled)) == 1, out  # one identity, listed once
    assert "  essay  " not in out and "\n  essay" not in out, out
    assert f"{title} — Dean Chen  1 note(s)" in out, out
    found = essaytui("notes", "search", "rivalry", data=fresh)
    assert found.returncode == 0, found.stderr
    assert f"{title} — § " in found.stdout, found.stdout
    assert "\n  essay —" not in found.stdout


def test_imported_notes_of_another_essay_carry_its_title(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    essay_path = folder / "essay.md"
    essay_path.write_text(OWN_ESSAY, encoding="utf-8")
    export = exported_notes(essay_path, "runs slowly", "slow river", tmp_path)
    fresh = tmp_path / "fresh"
    assert essaytui("import-notes", export, data=fresh).returncode == 0
    # the essay was never opened with this data folder, and its file moved meanwhile
    shutil.move(essay_path, folder / "moved.md")
    listed = essaytui("list", data=fresh).stdout
    assert "Notes on a River  1 note(s)" in listed, listed
    assert "\n  essay  " not in listed
    found = essaytui("notes", "search", "slow", data=fresh).stdout
    assert "Notes on a River — § The water" in found, found
    # importing again changes nothing, and the title is still the import's
    again = essaytui("import-notes", export, data=fresh)
    assert "0 added" in again.stdout and "1 unchanged" in again.stdout
    assert essaytui("list", data=fresh).stdout == listed
