"""Hostile input for the model: tiny files that used to hang or crash the reader
(issue 17 items 1-7, 9, 11, 18, 21; issue 10 item 6).

A case that used to hang runs in a child process with a generous timeout, so a
regression fails instead of stalling the suite; what it prints is checked as well.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from essaytui.model.parse import parse_essay

SRC = str(Path(__file__).resolve().parents[2] / "src")

#: Seconds a child may take: far above what each case needs now (well under a
#: second), far below what they took before (minutes, or for ever).
CHILD_TIMEOUT = 60


def in_child(script: str) -> object:
    """Run `script` (which prints one JSON value) in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


PARSE_SUMMARY = """
import json
from essaytui.model.parse import parse_essay
essay = parse_essay({source}, limit={limit})
text = essay.reading_text
assert all(0 <= b.start <= b.end <= len(text) for b in essay.blocks)
print(json.dumps({{
    "complete": essay.complete,
    "length": len(text),
    "tail": text[-40:],
    "notes": sorted(note.label for note in essay.footnotes if note.text),
}}))
"""


def parse_in_child(source: str, limit: int | None = None) -> dict[str, object]:
    summary = in_child(PARSE_SUMMARY.format(source=source, limit=limit))
    assert isinstance(summary, dict)
    return summary


# -- parse.py: block prefixes, footnote and link definitions, HTML blocks ----------


@pytest.mark.parametrize("marker", ["> ", "-  ", "1.  ", ">  ", "> - "])
def test_container_markers_before_a_definition_open_at_once(marker: str) -> None:
    # 92 bytes with "> ": the definition-prefix pattern backtracked exponentially
    source = f'"# Tiny\\n\\nHello.\\n\\n" + {marker!r} * 34 + "x[^1]: y"'
    summary = parse_in_child(source)
    assert summary["complete"] is True
    assert str(summary["tail"]).endswith("y")


def test_deep_quote_after_the_first_part_opens() -> None:
    # the first screen's part (200 KB) ends before a line of 300 nested quotes: the
    # link-definition scan of the whole file backtracked exponentially (issue 10)
    summary = parse_in_child('"x" * 200_000 + "\\n\\n" + "> " * 300 + "deep"', limit=200_000)
    assert summary["complete"] is False
    assert summary["length"] == 200_000


@pytest.mark.parametrize(
    "source",
    [
        '"[^" * 20_000',  # 40 KB: quadratic label scans, in our scan and the plugin's
        '"[" * 200_000',  # markdown-it looked ahead 200 levels from every "["
        '"\\x1b[31m" * 80_000',  # 400 KB of colour codes: the same, after sanitising
        '"<div>\\n" + "a < b " * 40_000',  # every "<" searched to the end for a ">"
        '"prose\\n" + "".join(f"[^{i}]: note {i}\\n" for i in range(20_000))',
        '"text\\n\\n" + "x [^a]:" * 50_000',  # one line: a look back per "[^a]:"
    ],
)
def test_hostile_documents_open(source: str) -> None:
    summary = parse_in_child(source)
    assert summary["complete"] is True
    assert isinstance(summary["length"], int) and summary["length"] > 0


def test_brackets_and_notes_keep_their_meaning() -> None:
    essay = parse_essay("a[^1] [^x y] [b](/u) [^[c]\n\n[^1]: one\n\n[^[c]: odd label")
    assert essay.reading_text.startswith("a¹ [^x y] b ²")
    assert [note.text for note in essay.footnotes] == ["one", "odd label"]
    assert [(s.kind.name, s.data) for s in essay.blocks[0].spans][1] == ("LINK", "/u")


def test_html_block_text_keeps_its_less_than_signs() -> None:
    essay = parse_essay("<div>\na < b and <b>c</b> > d\n</div>")
    assert essay.reading_text == "a < b and c > d"


def test_notes_right_after_prose_are_all_found() -> None:
    source = "prose[^0]\n" + "".join(f"[^{i}]: note {i}\n" for i in range(300))
    essay = parse_essay(source)
    assert [note.text for note in essay.footnotes][:3] == ["note 0", "note 1", "note 2"]
    assert len(essay.footnotes) == 300


def test_link_definitions_in_quotes_and_lists_resolve_in_every_part() -> None:
    source = "[a] and [b]\n\n" + "x\n\n" * 50 + "- [a]: /in-list\n\n> [b]: /in-quote\n"
    for limit in (None, 10):
        essay = parse_essay(source, limit=limit)
        links = [span.data for span in essay.blocks[0].spans]
        assert links == ["/in-list", "/in-quote"], limit
