"""`cite` on hostile front matter and footnotes: nothing in a value can end its field or
its entry (BibTeX), or start a line of its own (RIS).

A `}` in a URL closed a BibTeX field early and the rest of the value became entries of
its own; a footnote label `x,}` ended the key; a newline in `site`, `series` or
`publisher` put a line such as `ER  - ` into the RIS output, which readers took as the
end of a record. The output of `essaytui cite --sources` is parsed back here (BibTeX with
bibtexparser, RIS with a reader written below) and its entries and fields counted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from essaytui_run import essaytui

FRONT_URL = "https://example.org/a}},@misc{forged1,title={X}}%#\\"
NOTE_URL = "https://example.org/x}},@misc{forged3,title={Y}}"
_YAML_URL = FRONT_URL.replace("\\", "\\\\")  # in a double-quoted YAML string

ESSAY = f"""---
title: "Shell }} tricks {{ and 100% #1 \\\\ fun"
author: Jane Doe
url: "{_YAML_URL}"
site: "Site line one\\nTY  - JOUR\\nER  - "
series: "Series}}\\n@misc{{forged2,"
publisher: "Pub % # \\\\ {{ }} line\\nAU  - Evil"
date: 2020-01-02
---

Text with a note.[^1] And another.[^2] And a third.[^a,}}]

[^1]: Someone Else, “A title,” Some Blog, {NOTE_URL}
[^2]: Plain note 50% #1 \\\\ {{brace
    ER  - on a line of its own
[^a,}}]: A label with a comma and a brace.

[^x,}}]: Never referenced, with its own label.
"""

#: The fields of the essay's own entry, and what each must read as once parsed.
ESSAY_FIELDS = {"author", "title", "howpublished", "series", "publisher", "year", "date", "url"}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.md"
    path.write_text(ESSAY, encoding="utf-8")
    return path


def braces_balance(value: str) -> bool:
    """Whether `value`'s braces balance as BibTeX counts them (a backslash escapes none)."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_parses_back_to_the_entries_written(hostile: Path, tmp_path: Path) -> None:
    result = essaytui("cite", hostile, "--sources", "--format", "bibtex", data=tmp_path / "d")
    assert result.returncode == 0, result.stderr
    library = parse_string(result.stdout)
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == 5 == len(set(keys))  # the essay and its four notes; nothing forged
    assert all(re.fullmatch(r"[a-z0-9-]+", key) for key in keys), keys
    assert not any("forged" in key for key in keys)
    essay = {field.key: field.value for field in library.entries[0].fields}
    assert set(essay) == ESSAY_FIELDS
    assert essay["url"].startswith("https://example.org/a%7D%7D,@misc%7Bforged1")
    assert essay["series"].startswith("Series\\textbraceright{}")
    notes = [{f.key: f.value for f in entry.fields} for entry in library.entries[1:]]
    assert [sorted(note) for note in notes] == [
        ["author", "howpublished", "note", "title", "url"],
        ["note"],
        ["note"],
        ["note"],
    ]
    assert notes[0]["url"] == NOTE_URL.replace("{", "%7B").replace("}", "%7D")
    for entry in library.entries:
        for field in entry.fields:
            assert braces_balance(field.value), (field.key, field.value)
            assert "\n" not in field.value
            if field.key == "url":
                assert not set(field.value) & set("{}\\ ")


def read_ris(text: str) -> list[list[tuple[str, str]]]:
    """RIS records as (tag, value) lines; any line that is not `XX  - value` fails."""
    records: list[list[tuple[str, str]]] = []
    record: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match is not None, f"not a RIS line: {line!r}"
        record.append((match[1], match[2]))
        if match[1] == "ER":
            records.append(record)
            record = []
    assert record == [], "a record without its ER"
    return records


def test_ris_has_one_line_per_field(hostile: Path, tmp_path: Path) -> None:
    result = essaytui("cite", hostile, "--sources", "--format", "ris", data=tmp_path / "d")
    assert result.returncode == 0, result.stderr
    records = read_ris(result.stdout)
    assert len(records) == 5
    assert [tag for tag, _ in records[0]] == [
        *("TY", "AU", "TI", "T2", "T3", "PB", "PY", "DA", "UR", "ID", "ER"),
    ]
    fields = dict(records[0])
    assert fields["T2"] == "Site line one TY - JOUR ER -"
    assert fields["PB"] == "Pub % # \\ { } line AU - Evil"
    assert fields["UR"] == FRONT_URL
    assert [sum(tag == "TY" for tag, _ in record) for record in records] == [1] * 5
    assert dict(records[2])["N1"] == "Plain note 50% #1 \\ {brace ER - on a line of its own"
    ids = [dict(record)["ID"] for record in records]
    assert len(set(ids)) == 5 and all(re.fullmatch(r"[a-z0-9-]+", key) for key in ids)
