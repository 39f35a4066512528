"""Pathological documents open without error or hang.

Each case is parsed in a child process with a generous timeout, so a hang fails
the test instead of stalling the suite; no timing is asserted otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")

CASES = {
    "one 1 MB line": '"word " * 200_000 + "NATO"',
    "one 1 MB line without spaces": '"x" * 1_000_000',
    "300 nested quotes on one line": '">" * 300 + " deep"',
    "300 levels of nested quotes": '"\\n".join(">" * i + f" level {i}" for i in range(1, 301))',
    "300 levels of nested lists": '"\\n".join("  " * i + f"- item {i}" for i in range(300))',
    "300 nested list markers on one line": '"- " * 300 + "deep"',
    "10,000 footnotes": (
        '" ".join(f"t[^{i}]" for i in range(10_000)) + "\\n\\n"'
        ' + "\\n".join(f"[^{i}]: note {i}" for i in range(10_000))'
    ),
    "5,000 headings": (
        '"\\n\\n".join(f"{chr(35) * (i % 6 + 1)} H{i}\\n\\ntext" for i in range(5_000))'
    ),
    "a footnote that references itself": '"a[^a] b[^a]\\n\\n[^a]: me[^a] and me[^a]"',
    "10,000 nested brackets": '"[" * 10_000 + "x" + "](u)" * 10_000',
    "10,000 emphasis markers": '"*" * 10_000 + "x" + "_" * 10_000',
    "an unclosed fence": '"```\\n" + "code line\\n\\n" * 20_000',
}

SCRIPT = """
import json, sys
from essaytui.model.parse import parse_essay
source = eval(sys.argv[1])
essay = parse_essay(source, glossary_source="NATO\\n: An alliance.")
text = essay.reading_text
assert all(0 <= b.start <= b.end <= len(text) for b in essay.blocks)
print(json.dumps({
    "length": len(text),
    "blocks": len(essay.blocks),
    "sections": len(essay.sections),
    "footnotes": len(essay.footnotes),
    "numbered": sum(1 for n in essay.footnotes if n.number),
    "words": text.count("item ") + text.count("level "),
    "max_quote": max((b.quote_depth for b in essay.blocks), default=0),
    "max_list": max((b.list_depth for b in essay.blocks), default=0),
    "self": [n.text for n in essay.footnotes if n.label == "a"],
}))
"""


def parse_in_child(expression: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, expression],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


@pytest.mark.parametrize("name", list(CASES))
def test_pathological_document_parses(name: str) -> None:
    summary = parse_in_child(CASES[name])
    length = summary["length"]
    assert isinstance(length, int) and length > 0
    if name == "one 1 MB line":
        assert length == 1_000_004
    if name == "300 levels of nested quotes" or name == "300 levels of nested lists":
        assert summary["words"] == 300  # deep text is flattened, never dropped
        assert 1 < max(int(str(summary["max_quote"])), int(str(summary["max_list"]))) < 300
    if name == "10,000 footnotes":
        assert summary["numbered"] == 10_000
    if name == "5,000 headings":
        assert summary["sections"] == 5_000
    if name == "a footnote that references itself":
        assert summary["self"] == ["me¹ and me¹"]


def test_recursion_limit_falls_back_to_plain_text() -> None:
    """If markdown-it runs out of stack (a worker thread, a low limit), the text
    is still shown, unformatted, with a warning."""
    script = (
        "import json, sys\n"
        "from essaytui.model.parse import parse_essay\n"
        "source = '\\n'.join('>' * i + f' level {i}' for i in range(1, 141))\n"
        "sys.setrecursionlimit(150)\n"
        "essay = parse_essay(source)\n"
        "print(json.dumps([essay.warnings, essay.reading_text.count('level')]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    warnings, levels = json.loads(result.stdout)
    assert warnings == ["part of the text is nested too deeply and is shown unformatted"]
    assert levels == 140
