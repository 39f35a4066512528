"""Generate benchmark essays of a given size, deterministically.

Each essay has YAML front matter (id, title, author and a ``glossary:`` list of
``{term, def}`` entries), ``##``/``###`` headings, paragraphs of varied prose with
emphasis, links and inline code, ``[^n]`` footnote references (about one per two
paragraphs) with their definitions at the end, and the glossary terms used in the text.

Usage: ``python bench/generate.py [OUT_DIR] [--sizes small,medium,large] [--seed N]``.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

#: Target sizes in bytes: ~9 KB, ~880 KB, ~4.4 MB.
SIZES: dict[str, int] = {
    "small": 9 * 1024,
    "medium": 880 * 1024,
    "large": int(4.4 * 1024 * 1024),
}

DEFAULT_SEED = 20161
DEFAULT_OUT = Path(__file__).resolve().parent / "out"

#: A word that occurs exactly once, about three quarters of the way into the text,
#: so a search for it has to look through most of the essay.
SEARCH_WORD = "quillwort"

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "strategic partnership",
        "A declared relationship of close, long-term cooperation short of an alliance.",
    ),
    ("hedging", "Keeping options open between rival powers instead of choosing a side."),
    ("balancing", "Aligning against a stronger power to offset its advantage."),
    ("bandwagoning", "Aligning with a stronger power in the hope of sharing its gains."),
    ("multipolarity", "An order in which power is spread among several major states."),
    ("soft power", "Influence that comes from attraction and example rather than coercion."),
    ("sphere of influence", "A region in which one power claims a special say."),
    ("security dilemma", "When one state's defensive steps make another feel less safe."),
    ("path dependence", "The way earlier choices narrow the options available later."),
    (
        "sanctions regime",
        "The set of economic restrictions imposed on a state and how they are enforced.",
    ),
    (
        "energy corridor",
        "A route of pipelines and transport links that carries oil or gas across borders.",
    ),
    (
        "Belt and Road Initiative",
        "China's programme of infrastructure lending and building abroad.",
    ),
    ("Eurasian Economic Union", "A customs union led by Russia with several former Soviet states."),
    ("Shanghai Cooperation Organisation", "A regional security and economic body founded in 2001."),
    ("asymmetric interdependence", "A relationship in which one side needs the other more."),
    ("strategic autonomy", "The capacity to decide one's own course without depending on allies."),
    ("grand strategy", "A state's overall plan for using all its means towards its chief ends."),
    (
        "rules-based order",
        "The network of institutions and norms that has governed post-war relations.",
    ),
    ("dual circulation", "A policy of relying on the home market while staying open to trade."),
    ("pivot to Asia", "A shift of diplomatic and military attention towards the Asia-Pacific."),
    ("arms control", "Agreed limits on the development, testing or deployment of weapons."),
    ("deterrence", "Preventing an attack by making its costs appear greater than its gains."),
    ("coercive diplomacy", "Using threats, short of war, to make another state change course."),
    ("status quo power", "A state that broadly wishes to keep the existing order."),
    ("revisionist power", "A state that seeks to change the existing order in its favour."),
    ("trade dependence", "The share of a country's economy that rests on exports and imports."),
    ("currency swap", "An agreement between central banks to exchange currencies on demand."),
    ("dedollarisation", "Reducing reliance on the US dollar in trade and reserves."),
    ("great power", "A state able to exert influence on a global scale."),
    ("buffer state", "A smaller country lying between two rival powers."),
)

_SUBJECTS = (
    "Moscow",
    "Beijing",
    "the Kremlin",
    "the leadership",
    "the foreign ministry",
    "the policy community",
    "the government",
    "the expert community",
    "state media",
    "the elite",
    "official rhetoric",
    "the economic relationship",
    "the partnership",
    "each side",
    "neither capital",
    "the region",
    "trade",
    "the military establishment",
    "public opinion",
    "the treaty",
)
_VERBS = (
    "has emphasised",
    "continues to shape",
    "rarely questions",
    "quietly reinforces",
    "was expected to deepen",
    "tends to overlook",
    "openly rejects",
    "has long favoured",
    "struggles to reconcile",
    "depends on",
    "slowly undermined",
    "keeps returning to",
    "cannot ignore",
    "appears to accept",
    "has consistently downplayed",
    "reflects",
)
_OBJECTS = (
    "the question of trust",
    "a shared suspicion of the West",
    "the imbalance in trade",
    "long-standing border disputes",
    "the limits of cooperation",
    "its own priorities",
    "the logic of the market",
    "competition in Central Asia",
    "a careful ambiguity",
    "the memory of the Sino-Soviet split",
    "the pace of investment",
    "arms sales",
    "the terms of the gas contract",
    "joint military exercises",
    "the new financial architecture",
    "the role of smaller neighbours",
    "the promise of infrastructure",
    "regional stability",
)
_CONNECTIVES = (
    "However,",
    "At the same time,",
    "In practice,",
    "Even so,",
    "By contrast,",
    "Moreover,",
    "For this reason,",
    "Still,",
    "In other words,",
    "Above all,",
    "On closer inspection,",
)
_CLAUSES = (
    "which is hardly surprising given the history",
    "although the evidence remains mixed",
    "as several observers have pointed out",
    "despite repeated assurances to the contrary",
    "while the numbers tell a more modest story",
    "because neither side wants to be the junior partner",
    "even when the official statements sound warm",
    "so long as the wider environment stays hostile",
    "in a way that few expected a decade ago",
)
_SHORT = (
    "That matters.",
    "The gap is real.",
    "Few disagree.",
    "This is not new.",
    "The record is uneven.",
    "Much depends on timing.",
    "Caution prevails.",
)
_TITLE_WORDS = (
    "Trust",
    "Trade",
    "Energy",
    "Security",
    "Order",
    "Memory",
    "Borders",
    "Finance",
    "Institutions",
    "Neighbours",
    "Limits",
    "Ambitions",
    "Caveats",
    "Futures",
    "Rhetoric",
)
_CODE = ("RUB/CNY", "SCO-2001", "GDP_growth", "Power-of-Siberia", "HS-2709", "Art. 9")
_AUTHORS = ("A. Petrova", "L. Wei", "M. Ivanov", "J. Chen", "S. Morozova", "R. Zhang", "K. Lee")
_JOURNALS = (
    "International Affairs",
    "Survival",
    "Journal of Strategic Studies",
    "Asian Survey",
    "Europe-Asia Studies",
    "The China Quarterly",
    "Post-Soviet Affairs",
)


@dataclass
class _Writer:
    """Builds one essay's body and footnotes while tracking its size in bytes."""

    rng: random.Random
    target: int
    size: int = 0
    paragraphs: int = 0
    footnotes: int = 0
    search_word_placed: bool = False

    def sentence(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            return rng.choice(_SHORT)
        words = [rng.choice(_SUBJECTS), rng.choice(_VERBS), self._object()]
        if roll < 0.45:
            words.append(rng.choice(_CLAUSES))
        if roll > 0.8:
            words.extend(["and", rng.choice(_VERBS), self._object()])
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        if rng.random() < 0.25:
            text = f"{rng.choice(_CONNECTIVES)} {text[0].lower()}{text[1:]}"
        return text + ("?" if roll > 0.93 else ".")

    def _object(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.22:
            term = rng.choice(GLOSSARY)[0]
            return f"the logic of {term}" if rng.random() < 0.5 else term
        obj = rng.choice(_OBJECTS)
        if roll < 0.28:
            return f"*{obj}*"
        if roll < 0.31:
            return f"**{obj}**"
        if roll < 0.34:
            slug = obj.replace(" ", "-").strip("*")
            return f"[{obj}](https://example.org/{slug})"
        if roll < 0.36:
            return f"`{rng.choice(_CODE)}`"
        return obj

    def paragraph(self) -> str:
        rng = self.rng
        sentences = [self.sentence() for _ in range(rng.randint(2, 8))]
        if not self.search_word_placed and self.size >= 0.75 * self.target:
            sentences.insert(1, f"The {SEARCH_WORD} metaphor, used only here, is apt.")
            self.search_word_placed = True
        if rng.random() < 0.5:
            self.footnotes += 1
            at = rng.randrange(len(sentences))
            sentences[at] = sentences[at] + f"[^{self.footnotes}]"
        self.paragraphs += 1
        return " ".join(sentences)

    def footnote(self, number: int) -> str:
        rng = self.rng
        author = rng.choice(_AUTHORS)
        title = " ".join(rng.sample(_TITLE_WORDS, 3))
        year = rng.randint(1995, 2023)
        page = rng.randint(1, 400)
        extra = ""
        if rng.random() < 0.3:
            term = rng.choice(GLOSSARY)[0]
            extra = f" See also {term}, discussed in [the archive](https://example.org/n{number})."
        journal = rng.choice(_JOURNALS)
        return f'[^{number}]: {author}, "{title}," *{journal}*, {year}, p. {page}.{extra}'


def front_matter(name: str, seed: int) -> str:
    """The YAML front matter of a benchmark essay."""
    lines = [
        "---",
        f"id: bench-{name}-{seed}",
        f'title: "Benchmark essay ({name}): partners with caveats"',
        "author: Bench Generator",
        "glossary:",
    ]
    for term, definition in GLOSSARY:
        lines.append(f'  - term: "{term}"')
        lines.append(f'    def: "{definition}"')
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def generate_essay(size_bytes: int, seed: int = DEFAULT_SEED, name: str = "essay") -> str:
    """Return a Markdown essay of about `size_bytes` bytes (UTF-8), the same for the same seed."""
    rng = random.Random(f"{seed}:{size_bytes}")
    writer = _Writer(rng, size_bytes)
    head = front_matter(name, seed)
    parts: list[str] = [head]
    writer.size = len(head.encode())
    footnote_text: list[str] = []
    footnote_size = 0
    section = 0
    while writer.size + footnote_size < size_bytes:
        section += 1
        heading = f"## {section}. {' and '.join(rng.sample(_TITLE_WORDS, 2))}\n\n"
        parts.append(heading)
        writer.size += len(heading)
        for sub in range(rng.randint(1, 4)):
            if sub or rng.random() < 0.3:
                subheading = f"### {section}.{sub + 1} {rng.choice(_TITLE_WORDS)}\n\n"
                parts.append(subheading)
                writer.size += len(subheading)
            for _ in range(rng.randint(2, 7)):
                before = writer.footnotes
                text = writer.paragraph() + "\n\n"
                parts.append(text)
                writer.size += len(text.encode())
                for number in range(before + 1, writer.footnotes + 1):
                    note = writer.footnote(number) + "\n"
                    footnote_text.append(note)
                    footnote_size += len(note.encode())
                if writer.size + footnote_size >= size_bytes:
                    break
            if writer.size + footnote_size >= size_bytes:
                break
    if not writer.search_word_placed:
        parts.append(f"The {SEARCH_WORD} metaphor, used only here, is apt.\n\n")
    return "".join(parts) + "".join(footnote_text)


def write_essays(
    out_dir: Path, sizes: list[str] | None = None, seed: int = DEFAULT_SEED
) -> dict[str, Path]:
    """Write the named essays (default: all of `SIZES`) to `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name in sizes or list(SIZES):
        path = out_dir / f"bench-{name}.md"
        text = generate_essay(SIZES[name], seed, name)
        # Regenerating is cheap, but skipping an identical write keeps file times stable.
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command line: write the benchmark essays."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--sizes", default=",".join(SIZES), help="comma-separated: small,medium,large"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    unknown = [size for size in sizes if size not in SIZES]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    for name, path in write_essays(args.out_dir, sizes, args.seed).items():
        print(f"{name}: {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
