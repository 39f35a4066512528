"""Re-anchoring speed: 200 annotations on a 500 KB reading text.

Not a test: prints milliseconds. `run_anchoring_bench()` returns the figures
for the project benchmark.

    python bench/bench_anchoring.py
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import replace

from essaytui.model.anchoring import reanchor_all
from essaytui.model.annotation import Annotation, Kind, make_annotation
from essaytui.model.essay import Essay

TEXT_SIZE = 500_000
ANNOTATIONS = 200


def _text(rng: random.Random) -> str:
    syllables = ["ka", "ro", "mi", "tes", "lan", "por", "vi", "de", "su", "gan", "el", "or"]
    words = ["".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(5000)]
    paragraphs: list[str] = []
    size = 0
    while size < TEXT_SIZE:
        sentences = []
        for _ in range(rng.randint(3, 8)):
            sentence = " ".join(rng.choices(words, k=rng.randint(6, 25)))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:TEXT_SIZE]


def _annotations(text: str, rng: random.Random) -> list[Annotation]:
    essay = Essay(id="bench", title="Bench", author="", reading_text=text, blocks=())
    result = []
    for _ in range(ANNOTATIONS):
        start = rng.randrange(0, len(text) - 400)
        length = rng.choice([3, 12, 40, 80, 200, 400])
        result.append(make_annotation(essay, start, start + length, Kind.HIGHLIGHT))
    return result


def _edited(text: str, rng: random.Random) -> str:
    """The text with a new opening, 300 one-letter typos and 20 lost sentences."""
    chars = list("New opening paragraph added by the editor of the second edition.\n\n" + text)
    for _ in range(300):
        index = rng.randrange(len(chars))
        if chars[index].isalpha():
            chars[index] = "x"
    edited = "".join(chars)
    for _ in range(20):
        start = edited.find(". ", rng.randrange(len(edited) - 1000)) + 2
        end = edited.find(". ", start) + 2
        if 2 <= start < end:
            edited = edited[:start] + edited[end:]
    return edited


def _time(annotations: list[Annotation], text: str) -> tuple[float, Counter[str]]:
    begin = time.perf_counter()
    anchors = reanchor_all(annotations, text)
    elapsed = (time.perf_counter() - begin) * 1000
    return elapsed, Counter(str(anchor.status) for anchor in anchors)


def run_anchoring_bench() -> dict[str, float]:
    """Milliseconds to re-anchor 200 annotations on a 500 KB text, in three cases.

    Keys: `unchanged_ms` (text as annotated), `unchanged_no_hash_ms` (same
    text, annotations without a stored hash, e.g. imported), `changed_ms` (an
    edited text), and `changed_<status>` counts for the edited text.
    """
    rng = random.Random(20261128)
    text = _text(rng)
    annotations = _annotations(text, rng)
    unchanged, _ = _time(annotations, text)
    no_hash, _ = _time([replace(a, text_hash="") for a in annotations], text)
    changed, statuses = _time(annotations, _edited(text, rng))
    figures = {
        "unchanged_ms": unchanged,
        "unchanged_no_hash_ms": no_hash,
        "changed_ms": changed,
    }
    for status in ("anchored", "fuzzy", "needs_review", "orphan"):
        figures[f"changed_{status}"] = float(statuses.get(status, 0))
    return figures


if __name__ == "__main__":
    for name, value in run_anchoring_bench().items():
        unit = " ms" if name.endswith("_ms") else ""
        print(f"{name:>24}: {value:10.1f}{unit}")
