"""Growth tests: every regular expression and every parsing or matching entry point
takes about linear time on input built to make it backtrack.

Each case is timed at size n and 8n (best of three, repeated until a timing is long
enough to trust; at 8n the timings stop at the first within the bound) and the ratio
must stay near 8: linear is ~8, quadratic ~64, and the bound of 24 leaves room for a
loaded two-core machine. The timing runs in a child process with a timeout (a fork of
one that imported the growth modules once: `growth_forks`), so a case that turns
exponential fails instead of stalling the suite. It counts the child's CPU time, not
the wall clock: a test running beside it on the other core, or the machine's load, does
not stretch what a case is charged (on the wall clock, a busy neighbour pushed linear
work past a ratio of 30), so growth tests run beside the rest of the suite. No absolute
time is asserted.

`PATTERN_CASES` must name every module-level compiled pattern under
`src/essaytui` (a test walks the modules): a new pattern needs an adversarial case.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from growth_dialect_cases import DIALECT_PATTERN_CASES
from growth_forks import CaseFailed, CaseTimeout, Forks

import essaytui

HERE = Path(__file__).resolve().parent
SRC = str(HERE.parents[1] / "src")

#: Growth from n to 8n above this fails (linear ≈ 8, quadratic ≈ 64).
MAX_RATIO = 24
#: Seconds a child may take for all the cases it times.
CHILD_TIMEOUT = 120

Build = Callable[[int], str] | Callable[[int], bytes]

#: pattern ("module.NAME", or "module.NAME[key]" inside a dict) → how it is used on
#: the adversarial inputs: "find" (every match), "match", "fullmatch", "sub", "split".
PATTERN_CASES: dict[str, tuple[str, list[Build]]] = {
    "essaytui.interchange.citation.formats._URL_UNSAFE": (
        "sub",
        [lambda n: "{" * n, lambda n: "a" * n],
    ),
    "essaytui.interchange.citation.reference._KEY_UNSAFE": (
        "sub",
        [lambda n: "!" * n, lambda n: "a!" * n],
    ),
    "essaytui.interchange.markdown._FORGING_LINE": (
        "match",
        [lambda n: " " * n + "x", lambda n: " " * n + "[^" + "a" * n],
    ),
    "essaytui.interchange.markdown._NOT_PROSE": (
        "find",
        [
            lambda n: "^" + "a" * n + " " * n + "x",
            lambda n: " ^a" * n + " b",
            lambda n: "%" * n + "$" * n,
        ],
    ),
    "essaytui.interchange.sync._CONFLICT": (
        "search",
        [lambda n: "(conflic" * n, lambda n: ".sync-conflict" * n],
    ),
    "essaytui.interchange.sync._DEVICE": ("fullmatch", [lambda n: "a" * n + "g"]),
    "essaytui.interchange.sync._SAFE_KEY": ("sub", [lambda n: "!" * n, lambda n: "a!" * n]),
    "essaytui.model.epub._DATE": ("match", [lambda n: "2016-" * n]),
    "essaytui.model.epub._REFERENCE": ("findall", [lambda n: "[^" * n, lambda n: "[^1" * n]),
    "essaytui.model.epub.chapters._NAV_TOKEN": (
        "sub",
        [lambda n: "\ue003" * n, lambda n: "\ue0031" * n],
    ),
    # over a chapter's bytes, before it is parsed
    "essaytui.model.epub.chapters._HREF": (
        "find",
        [
            lambda n: b'href="' * n,
            lambda n: b'href="' + b"a" * n + b"#",
            lambda n: b"href='a#" + b"b" * n,
        ],
    ),
    "essaytui.model.epub.chapters._REF_MARK": (
        "sub",
        [lambda n: "\ue000" * n, lambda n: "\ue000" + "1" * n],
    ),
    "essaytui.model.epub.chapters._GLOSSARY_HEADING": (
        "match",
        [lambda n: " " * n + "x", lambda n: "-" * n + "glossar" + "y" * n],
    ),
    "essaytui.model.epub.documents._XHTML_NAMESPACE": (
        "sub",
        [lambda n: b" xmlns" * n, lambda n: b' xmlns = "http://www.w3.org' * n],
    ),
    "essaytui.sessions.links._SCHEME": ("match", [lambda n: "a" * n, lambda n: "a+" * n]),
    "essaytui.model.anchoring._SPACE": ("find", [lambda n: "a " * n, lambda n: " " * n + "x"]),
    "essaytui.sessions.links._FOOTNOTE_LINK": (
        "match",
        [lambda n: "fn" + "-" * n, lambda n: "user-content-" * n + "fn1"],
    ),
    "essaytui.sessions.links._REPEAT": (
        "match",
        [lambda n: "1-" * n + "x", lambda n: "a-" + "1" * n + "x", lambda n: "-:_" * n],
    ),
    "essaytui.model.convert._LEFTOVER": (
        "fullmatch",
        [
            lambda n: "you are commenting using your" + " a" * n + " x",
            lambda n: "1" * n + "x",
            lambda n: "you are commenting using your account" + " (log out / change)" * n + "x",
            lambda n: "share on " + "a " * n + "(",
        ],
    ),
    "essaytui.model.convert._HEADER": ("fullmatch", [lambda n: "1" * n + "x"]),
    "essaytui.model.html._MARKER_TEXT": (
        "fullmatch",
        [
            lambda n: "[" + " " * n + "x",
            lambda n: "footnote" + " " * n + "1x",
            lambda n: "i" * n,
            lambda n: "[n" + " " * n + "1x",
        ],
    ),
    "essaytui.model.html.MARKER_TEXT": (
        "fullmatch",
        [lambda n: "[" + " " * n + "x", lambda n: "footnote" + " " * n + "1x", lambda n: "i" * n],
    ),
    "essaytui.model.html._REF_TOKEN": (
        "find",
        [lambda n: "\ue000" + "1" * n, lambda n: "\ue000" * n],
    ),
    "essaytui.model.convert._NOTES_HEADING": (
        "fullmatch",
        [lambda n: "#" * n + "x", lambda n: "notes" + " " * n + "x"],
    ),
    "essaytui.model.convert._BRACKET_NOTE": ("match", [lambda n: "[1]" + " \n" * n]),
    "essaytui.model.convert._NUMBERED_NOTE": ("fullmatch", [lambda n: "1." + " \n" * n]),
    "essaytui.model.convert._MARKER": ("find", [lambda n: "[1" * n, lambda n: "[1234" * n]),
    "essaytui.model.convert._LIST_ITEM": ("match", [lambda n: "1" * n]),
    "essaytui.model.convert._SERIES_PREFIX": (
        "fullmatch",
        [lambda n: "part 12345678" + " " * n + "x", lambda n: "part 1 -" + " " * n],
    ),
    "essaytui.model.convert._SERIES_SUFFIX": (
        "fullmatch",
        [lambda n: "a" + " " * n + "b", lambda n: "a -" * n, lambda n: "a - part" + " " * n],
    ),
    "essaytui.model.convert._BYLINE": (
        "fullmatch",
        [lambda n: "By " + "Aa" * n + " x", lambda n: "By A" + " A" * n, lambda n: "By " + " " * n],
    ),
    "essaytui.model.convert._BIO": (
        "fullmatch",
        [lambda n: "A" + "a" * n + " Bb is", lambda n: "Aa Bb" + " " * n + "x"],
    ),
    "essaytui.model.convert._ORDERED_START": ("match", [lambda n: "1" * n]),
    "essaytui.model.convert._ENTITY": ("find", [lambda n: "&" * n, lambda n: "&#" * n]),
    "essaytui.model.convert._TAG_OPEN": ("find", [lambda n: "<" * n]),
    "essaytui.model.convert._LINK_SYNTAX": (
        "find",
        [lambda n: "]" + " " * n, lambda n: "] " * n, lambda n: "[" * n],
    ),
    "essaytui.model.text._SENTENCE_END": (
        "find",
        [lambda n: "." + '"' * n + "x", lambda n: ". " * n, lambda n: "." + " " * n + "x"],
    ),
    "essaytui.model.text._WORD": ("find", [lambda n: "a'" * n, lambda n: "a-" * n]),
    "essaytui.model.glossary._SEE_ALSO": (
        "find",
        [
            lambda n: "x. See also: a" * n,
            lambda n: "a." + " " * n + "b",
            lambda n: "See also: a" + " " * n + "x",
        ],
    ),
    "essaytui.model.glossary._NAME_SEPARATOR": ("split", [lambda n: "a;" * n]),
    "essaytui.model.glossary._NOT_SLUG": ("sub", [lambda n: "_-" * n]),
    "essaytui.model.glossary._PARENTHESISED": (
        "match",
        [lambda n: "a" + " " * n + "b", lambda n: "a (" * n, lambda n: "a" + " " * n + "(b"],
    ),
    "essaytui.model.parse.front_matter._FRONT_MATTER": (
        "match",
        [lambda n: "---\n" + "---  x\n" * n, lambda n: "---" + " " * n, lambda n: "---\n" * n],
    ),
    "essaytui.model.parse.chunks._FENCE_LINE": (
        "find",
        [lambda n: "```" * n, lambda n: "```\n" * n],
    ),
    "essaytui.model.parse.chunks._OPAQUE_START": (
        "find",
        [lambda n: "<" * n, lambda n: "   <!-" * n, lambda n: "```" + "`" * n],
    ),
    "essaytui.model.parse.chunks._TAG_LINE": ("find", [lambda n: "   <\n" * n, lambda n: " " * n]),
    "essaytui.model.parse.chunks._BLANK_LINE": (
        "find",
        [lambda n: "\n" + " " * n, lambda n: "\n \n" * n],
    ),
    "essaytui.model.parse.chunks._SPLIT": (
        "find",
        [lambda n: "\n" + " " * n + "x", lambda n: "\n[^" + "a" * n, lambda n: "\n[^a" * n],
    ),
    "essaytui.model.parse.chunks._DEFINITION_START": ("find", [lambda n: ":" * n]),
    "essaytui.model.parse.chunks._LIST_START": ("find", [lambda n: "1" * n, lambda n: "1." * n]),
    "essaytui.model.parse.chunks._FOOTNOTE_DEF": (
        "match",
        [lambda n: "> " * n + "x[^1]: y", lambda n: "[^" * n, lambda n: "1." * n + "[^a"],
    ),
    "essaytui.model.parse.chunks._LINK_DEF": (
        "fullmatch",
        [
            lambda n: "> " * n + "[a]: /u x",
            lambda n: "- " * n + "x",
            lambda n: "1.  " * n + "[a]: /u 'x",
            lambda n: "[a]: /" + "u" * n + " x",
        ],
    ),
    "essaytui.model.parse.html_blocks.TAG": (
        "find",
        [lambda n: "a < b " * n, lambda n: "<" * n],
    ),
    "essaytui.model.parse.html_blocks.HIDDEN_HTML": (
        "find",
        [
            lambda n: "<!--" * n,
            lambda n: "<script" * n,
            lambda n: "<style></style" + " " * n,
            lambda n: "<svg " + "</svg " * n,
        ],
    ),
    "essaytui.model.parse.html_blocks._TAG_NAME": (
        "match",
        [lambda n: "<" + "a" * n + " ", lambda n: "</" + "-" * n],
    ),
    "essaytui.model.parse.html_blocks._TAG_ATTRIBUTE": (
        "find",
        [
            lambda n: ' a="x' * n,
            lambda n: " a='" * n,
            lambda n: " a = " * n,
            lambda n: "a" * n + "=",
            lambda n: ' a="' + "x" * n,
        ],
    ),
    "essaytui.model.parse.html_blocks._SPACES": (
        "sub",
        [lambda n: " \n" * n + "x", lambda n: "a " * n],
    ),
    "essaytui.model.markdown._TEX_OPEN": (
        "find",
        [lambda n: "\\begin{align" * n, lambda n: "\\" * n, lambda n: "\\begin{" * n],
    ),
    "essaytui.model.markdown._TEX_CLOSE_PAREN": (
        "find",
        [lambda n: "\\)" * n, lambda n: "\\" * n],
    ),
    "essaytui.model.markdown._TEX_CLOSE_BRACKET": (
        "find",
        [lambda n: "\\]" * n, lambda n: "\\" * n],
    ),
    "essaytui.model.markdown._CLOSING_BRACE": ("find", [lambda n: "}" * n, lambda n: "{" * n]),
    "essaytui.model.markdown._CONTAINER_FENCE": (
        "fullmatch",
        [lambda n: ":" * n + "\n", lambda n: ":::" + " " * n + "\n"],
    ),
    "essaytui.model.text._NOT_SLUG": ("sub", [lambda n: "!" * n, lambda n: "a-" * n]),
    "essaytui.model.markdown._PARAGRAPH_BREAK": ("split", [lambda n: "\n" + " " * n + "x"]),
    "essaytui.model.parse._DEEP_PREFIX": (
        "find",
        [lambda n: "> " * n, lambda n: ">" * 149 + "x\n" * n],
    ),
    "essaytui.model.markdown._LABEL_END": ("find", [lambda n: "a]" * n]),
    "essaytui.model.markdown._CLOSING_BRACKET": ("find", [lambda n: "a]" * n]),
    "essaytui.model.parse.front_matter._PLAIN_LINE": (
        "fullmatch",
        [lambda n: "title: a" + " " * n + "b", lambda n: "a" * n + ":", lambda n: "a:" + " " * n],
    ),
    "essaytui.model.parse.front_matter._SINGLE_QUOTED": (
        "fullmatch",
        [lambda n: "'" + "''" * n + "x"],
    ),
    "essaytui.model.parse.front_matter._DOUBLE_QUOTED": ("fullmatch", [lambda n: '"' + "a" * n]),
    "essaytui.model.parse.chunks._HTML_END[-]": ("find", [lambda n: "-" * n + "->"]),
    "essaytui.model.parse.chunks._HTML_END[?]": ("find", [lambda n: "?" * n]),
    "essaytui.model.parse.chunks._HTML_END[!]": ("find", [lambda n: "!" * n]),
    "essaytui.model.parse.chunks._HTML_END[[]": ("find", [lambda n: "]" * n]),
    "essaytui.model.parse.chunks._HTML_END[<]": (
        "find",
        [lambda n: "</pre" * n, lambda n: "<" * n],
    ),
    "essaytui.model.search._UNBOUNDED": ("find", [lambda n: "{1" * n, lambda n: "{" + "1" * n]),
    "essaytui.model.search._BACKREFERENCE": ("find", [lambda n: "\\" * n, lambda n: "(?P" * n]),
    "essaytui.model.text._UNSAFE": ("sub", [lambda n: "\x1b[0m" * n, lambda n: "a\u200b" * n]),
    "essaytui.interchange.w3c._HASH": ("fullmatch", [lambda n: "a" * n]),
    "essaytui.interchange.citation.reference._ACCESSED": (
        "findall",
        [lambda n: "accessed " * n, lambda n: "accessed April 1" * n],
    ),
    "essaytui.interchange.citation.reference._ISO_DATE": ("findall", [lambda n: "2016-" * n]),
    "essaytui.interchange.citation.reference._NAME": (
        "findall",
        [lambda n: "A" * n, lambda n: "Ab " * n + "x", lambda n: "A.b " * n],
    ),
    "essaytui.interchange.citation.reference._QUOTED_TITLE": (
        "findall",
        [lambda n: "“" + "a" * n, lambda n: "“a" * n, lambda n: "“a,”" * n],
    ),
    "essaytui.interchange.citation.reference._UK_DATE": (
        "findall",
        [lambda n: "12 " * n + "April"],
    ),
    "essaytui.interchange.citation.reference._URL": ("findall", [lambda n: "http://" * n]),
    "essaytui.interchange.citation.reference._US_DATE": ("findall", [lambda n: "April 12 " * n]),
    "essaytui.model.series._PART": (
        "find",
        [
            lambda n: "part" + " " * n,
            lambda n: "part12345 " * n,
            lambda n: "part " * n,
            lambda n: "book " + "x" * n,
            lambda n: "vol." * n,
        ],
    ),
    "essaytui.model.series._OF_TOTAL": (
        "match",
        [lambda n: " of" * n, lambda n: "of" + " " * n, lambda n: "of " + "a " * n],
    ),
    "essaytui.store.library_text._CJK_RUN": ("sub", [lambda n: "因此" * n, lambda n: "a因 " * n]),
    "essaytui.store.library_text._QUERY_WORD": ("findall", [lambda n: "a" * n, lambda n: "a " * n]),
    # a run of stops without a space after it (a dotted leader): each start once
    "essaytui.store.library_text._SENTENCE_END": (
        "find",
        [
            lambda n: "." * n,
            lambda n: "!" + "\u201d" * n,
            lambda n: ".\u201d" * n,
            lambda n: "\u3002" * n,
            lambda n: "a. " * n,
        ],
    ),
    "essaytui.store.search._SEARCH_WORD": ("findall", [lambda n: '"' * n, lambda n: "a" * n]),
    "essaytui.model.identity._TITLE_HASH": ("fullmatch", [lambda n: "a" * n, lambda n: "0" * n]),
    "essaytui.store.rows._SURROGATE": ("sub", [lambda n: "\ud800a" * n, lambda n: "a" * n]),
    "essaytui.widgets.status._CJK": ("find", [lambda n: "因此" * n, lambda n: "a " * n]),
    "essaytui.widgets.sources._URL": (
        "find",
        [lambda n: "http:" * n, lambda n: "https://" + "a" * n, lambda n: "data:" + " data:" * n],
    ),
}
PATTERN_CASES.update(
    {
        "essaytui.model.html._CHARACTER_REFERENCE": (
            "sub",
            [lambda n: "&#" * n, lambda n: "&#x" + "1" * n, lambda n: "&#1" * n + "x"],
        ),
        "essaytui.model.text._NOT_XML": ("sub", [lambda n: "\x07" * n, lambda n: "a\x1b" * n]),
    }
)
PATTERN_CASES.update(DIALECT_PATTERN_CASES)


def module_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern at module level (or in a module-level dict) in essaytui."""
    found: dict[str, re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(essaytui.__path__, "essaytui."):
        if info.name.endswith("__main__"):
            continue  # importing it runs the app
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{info.name}.{name}"] = value
            elif isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(item, re.Pattern):
                        found[f"{info.name}.{name}[{key}]"] = item
    return found


def test_every_module_level_pattern_has_an_adversarial_case() -> None:
    patterns = module_patterns()
    missing = sorted(set(patterns) - set(PATTERN_CASES))
    assert not missing, f"patterns without a growth case in PATTERN_CASES: {missing}"
    gone = sorted(set(PATTERN_CASES) - set(patterns))
    assert not gone, f"growth cases for patterns that no longer exist: {gone}"


# -- timing --------------------------------------------------------------------------


def timings(run: Callable[[], object]) -> Iterator[float]:
    """Up to three timings of `run` in this process's CPU time (its threads' included;
    time spent waiting for a core is not), each repeated until it lasts a few
    milliseconds. A first run long enough on its own is the first of them."""
    start = time.process_time()
    run()
    once = time.process_time() - start
    repeats = max(1, int(0.004 / max(once, 1e-7)))
    if repeats == 1:
        yield once
    for _ in range(2 if repeats == 1 else 3):
        start = time.process_time()
        for _ in range(repeats):
            run()
        yield (time.process_time() - start) / repeats


def best_time(run: Callable[[], object]) -> float:
    """The best of `timings`: a busy machine only ever makes a timing longer."""
    return min(timings(run))


def growth(
    run_at: Callable[[int], Callable[[], object]], n: int, bound: float = MAX_RATIO
) -> float:
    """The time at 8n over the time at n, each the best of its timings; the timings at 8n
    stop at the first within `bound` of the time at n (more could only bring the ratio
    down, and the test asks only whether it is within the bound: the same answer as
    from all three, for a third of the time at 8n, most of a case's time)."""
    small = max(best_time(run_at(n)), 1e-9)
    large = float("inf")
    for timing in timings(run_at(8 * n)):
        large = min(large, timing)
        if large <= bound * small:
            break
    return large / small


def pattern_use(pattern: re.Pattern[Any], mode: str, text: str | bytes) -> Callable[[], object]:
    if mode == "find":
        return lambda: sum(1 for _ in pattern.finditer(text))
    if mode == "sub":
        return lambda: pattern.sub(text[:0], text)
    if mode == "split":
        return lambda: pattern.split(text)
    method = getattr(pattern, mode)
    return lambda: method(text)


def pattern_ratios(module: str, n: int) -> dict[str, float]:
    """Growth of each of `module`'s patterns on each of its inputs (run in a child)."""
    ratios: dict[str, float] = {}
    for name, (mode, builds) in PATTERN_CASES.items():
        if name.rsplit(".", 1)[0] != module:
            continue
        for number, build in enumerate(builds):
            print(f"timing {name} input {number}", file=sys.stderr, flush=True)
            ratios[f"{name} #{number}"] = growth(_runner(pattern_named(name), mode, build), n)
    return ratios


def pattern_named(name: str) -> re.Pattern[Any]:
    """The pattern `PATTERN_CASES` names "module.NAME" or "module.NAME[key]" (only its
    module is imported: `module_patterns` imports all of essaytui)."""
    module, _, attribute = name.rpartition(".")
    attribute, _, key = attribute.partition("[")
    value = getattr(importlib.import_module(module), attribute)
    pattern = value[key[:-1]] if key else value
    assert isinstance(pattern, re.Pattern), name
    return pattern


def _runner(
    pattern: re.Pattern[Any], mode: str, build: Build
) -> Callable[[int], Callable[[], object]]:
    return lambda size: pattern_use(pattern, mode, build(size))


_FORKS: list[Forks] = []


def in_child(call: str, module: str = "test_growth") -> dict[str, float]:
    """Run `call` (an expression of `module`, a test module beside this one, returning a
    dict) in a process of its own: a fork of this worker's growth process
    (`growth_forks`), which has imported the growth modules once."""
    if not _FORKS:
        _FORKS.append(Forks())
    try:
        ratios: dict[str, float] = _FORKS[0].call(call, module, CHILD_TIMEOUT)
    except CaseTimeout as error:
        pytest.fail(f"{call} did not finish in {CHILD_TIMEOUT} s (last: {error.last})")
    except CaseFailed as error:
        pytest.fail(f"{call} failed: {error}")
    return ratios


#: Times a case is measured again when it came out above `MAX_RATIO` (a busy machine
#: can stall one timing; a case that really grows faster than linear stays above it).
RETRIES = 2


def assert_near_linear(ratios: dict[str, float], bound: float = MAX_RATIO) -> None:
    assert ratios
    slow = {name: round(ratio, 1) for name, ratio in ratios.items() if ratio > bound}
    assert not slow, f"grew faster than linear from n to 8n: {slow}"


def best_ratios(call: str, bound: float, module: str = "test_growth") -> dict[str, float]:
    """`call`'s ratios (run in a child), each the best of up to 1 + `RETRIES`
    measurements: measured again while any is above `bound`."""
    ratios = in_child(call, module)
    for _ in range(RETRIES):
        if all(ratio <= bound for ratio in ratios.values()):
            break
        again = in_child(call, module)
        ratios = {name: min(ratio, again.get(name, ratio)) for name, ratio in ratios.items()}
    return ratios


def assert_grows_linearly(call: str, module: str = "test_growth") -> None:
    """`call`'s cases (run in a child) grow about linearly: each case's best ratio of up
    to 1 + `RETRIES` measurements is at most `MAX_RATIO`."""
    assert_near_linear(best_ratios(call, MAX_RATIO, module))


PATTERN_MODULES = sorted({name.rsplit(".", 1)[0] for name in PATTERN_CASES})


@pytest.mark.parametrize("module", PATTERN_MODULES)
def test_patterns_grow_linearly(module: str) -> None:
    assert_grows_linearly(f"pattern_ratios({module!r}, 2_000)")


# -- entry points ----------------------------------------------------------------------


def _parse(source: str, limit: int | None = None) -> Callable[[], object]:
    from essaytui.model.parse import parse_essay

    return lambda: parse_essay(source, limit=limit)


def _same_slug_names(count: int) -> list[str]:
    """Distinct names that all slug to "c": "C+", "C!", "C#+", …"""
    names = []
    for number in range(count):
        digits = ""
        while True:
            digits += "+!#%"[number % 4]
            number //= 4
            if not number:
                break
        names.append("C" + digits)
    return names


def _build_terms(names: list[str], aliases: tuple[str, ...] = ()) -> Callable[[], object]:
    from essaytui.model.glossary import GlossaryEntry, build_terms

    entries = [GlossaryEntry(name, aliases, "d") for name in names]
    return lambda: build_terms(entries, "Shared C+ text")


def _matcher_on(text: str) -> Callable[[], object]:
    from essaytui.model.glossary import GlossaryMatcher

    matcher = GlossaryMatcher([(f"t{i}", f"term{i} word", ("T" + str(i),)) for i in range(50)])
    matcher.SCAN_LIMIT = 0  # the expression, as for a long essay
    return lambda: matcher.find(text)


def _long_term(size: int) -> Callable[[], object]:
    from essaytui.model.glossary import GlossaryMatcher

    return lambda: GlossaryMatcher([("t", "ab " * size, ())])._compile()


def _glossary_source(source: str) -> Callable[[], object]:
    from essaytui.model.glossary import parse_glossary_source

    return lambda: parse_glossary_source(source)


def _convert(text: str) -> Callable[[], object]:
    from essaytui.model.convert import convert_text

    return lambda: convert_text(text)


def _blog_post(n: int) -> str:
    body = "".join(f"Paragraph {i} says a thing[{i % 50 + 1}] plainly.\n\n" for i in range(n))
    hostile = ("1" * 40 + "x\n\n" + "By " + "Aa" * 30 + " x\n\n" + "share on " + "a " * 30) * (
        n // 10 + 1
    )
    notes = "".join(f"[{i}] Source {i}, p. {i}.\n" for i in range(1, 51))
    return "Title | Part 2\n\nBy Ada Writer\n\n" + body + hostile + "\n\nNotes\n\n" + notes


#: Folders of the stores `_identify_new` builds, removed when the child ends.
_STORE_FOLDERS: list[tempfile.TemporaryDirectory[str]] = []


def _identify_new(count: int) -> Callable[[], object]:
    """Identifying `count` new documents in a store that holds `count` essays (the
    texts of `essaytui add` on a generated folder: each shares its template's words
    with every other, none is close to another)."""
    from essaytui.model.identity import print_of_bytes
    from essaytui.model.parse import parse_essay
    from essaytui.store import AnnotationStore

    def text(number: int) -> str:
        return f"# Essay {number}\n\n## Part one\n\nText number {number} speaks of harbour grain.\n"

    folder = tempfile.TemporaryDirectory(prefix="growth-identity-")
    _STORE_FOLDERS.append(folder)
    store = AnnotationStore.open(folder.name)
    prints = [(n, print_of_bytes(text(n).encode())) for n in range(count)]
    store.database.write(
        lambda connection: connection.executemany(
            "INSERT INTO essays (id, digest, sketch, title, author, created) "
            "VALUES (?, ?, ?, '', '', '')",
            [(f"doc-{n:016x}", found.digest, found.sketch_text()) for n, found in prints],
        )
    )
    new = [(parse_essay(text(n)), text(n).encode()) for n in range(count, 2 * count)]
    return lambda: [store.identify(essay, source=data, record=False) for essay, data in new]


def _search(text: str, query: str) -> Callable[[], object]:
    from essaytui.model.search import TextSearch, compile_query

    pattern = compile_query(query)
    search = TextSearch(text)
    return lambda: search.find(query, pattern)


def _reanchor(
    text: str, exact: str, prefix: str = "", suffix: str = "", copies: int = 1
) -> Callable[[], object]:
    from essaytui.model.anchoring import reanchor_all
    from essaytui.model.annotation import Annotation, Kind

    notes = [
        Annotation(
            f"n{i}", "e", "p", Kind.NOTE, exact, prefix, suffix, 3, 3 + len(exact), text_hash="x"
        )
        for i in range(copies)
    ]
    return lambda: reanchor_all(notes, text, budget=None)


def _pipe_mode(source: str) -> Callable[[], object]:
    """What ``essaytui FILE | cat`` does: parse, then set as plain text."""
    from essaytui.model.parse import parse_essay
    from essaytui.model.plain import render_plain

    return lambda: render_plain(parse_essay(source))


def _chinese_soft_breaks(n: int) -> str:
    """n lines of Chinese in one paragraph: it joins with no space between lines, so
    the paragraph is one "word" to wrap."""
    return "# 标题\n\n" + "\n".join(["因此我们必须认真研究这个问题，并且找到解决的办法。"] * n)


def _unclosed_then_stray(n: int) -> str:
    """One paragraph: `<em>` and `<a href>` never closed, each followed by a stray
    `</b>` that has nothing to close."""
    return "# T\n\n" + '<em>a <a href="#">b</b> ' * n


def _prefix_terms(count: int) -> list[str]:
    """Names each the start of the next: "+", "++", "+++", …"""
    return ["+" * size for size in range(1, count + 1)]


def _terms_on(names: list[str], text: str) -> Callable[[], object]:
    from essaytui.model.glossary import GlossaryEntry, build_terms

    entries = [GlossaryEntry(name, (), "d") for name in names]
    return lambda: build_terms(entries, text)


def _many_prefix_families(n: int) -> Callable[[], object]:
    """n families of names each the start of the next ("+1", "+1+", "+1++"), and a
    chain of 300 that no regular expression holds, so the text is scanned; the text
    mentions each family, and every name starts with a character it is full of."""
    names = _prefix_terms(300)
    for family in range(n):
        names += [f"+{family}", f"+{family}+", f"+{family}++"]
    text = "".join(f"Use +{i}++ and +{(i * 7) % n}, not +{i}+. " for i in range(n)) * 4
    return _terms_on(names, text)


def _plus_runs(n: int) -> str:
    return ("In C we write i++ and x += 1; a +++ b; " + "+" * 40 + " and " + "+" * 400 + ". ") * n


#: Block quote depths of the lazy-line cases: 25 to 150, varied.
QUOTE_DEPTHS = range(25, 151, 25)


def _quoted_paragraphs(n: int, markers: bool = True) -> str:
    """n paragraphs, each one line opening a quote 25–150 deep (or no quote, with
    `markers` False) and lazy lines going on without the markers. Markers are written
    ">" and "> " by turns (150 of "> " are flattened to 75 levels: `parse._MAX_PREFIX`)."""
    paragraphs = (
        (
            (">", "> ")[i // len(QUOTE_DEPTHS) % 2] * QUOTE_DEPTHS[i % len(QUOTE_DEPTHS)]
            if markers
            else ""
        )
        + f"Quoted paragraph {i} starts here\n"
        + "and a lazy line of it goes on\n" * 20
        for i in range(n)
    )
    return "# T\n\n" + "\n".join(paragraphs)


#: name → (build the run at size n, n)
ENTRY_CASES: dict[str, tuple[Callable[[int], Callable[[], object]], int]] = {
    "parse: quote markers before [^1]:": (
        lambda n: _parse("# T\n\n" + ("> " * 30 + "x[^1]: y\n\n") * n),
        25,
    ),
    "parse: [^ repeated": (lambda n: _parse("[^" * n), 2_500),
    "parse: [ repeated": (lambda n: _parse("[" * n), 10_000),
    "parse: colour codes": (lambda n: _parse("\x1b[31m" * n), 5_000),
    "parse: < in an HTML block": (lambda n: _parse("<div>\n" + "a < b " * n), 5_000),
    "parse: \\[ on every line": (lambda n: _parse("a\n\\[ x\n" * n), 2_000),
    "parse: \\( repeated": (lambda n: _parse("\\(" * n), 5_000),
    "parse: $ repeated": (lambda n: _parse("$a " * n), 5_000),
    "parse: { after links": (lambda n: _parse("[a](b){" * n), 2_000),
    "parse: unclosed attributes in HTML": (lambda n: _parse('<p a="x ' * n), 2_000),
    "parse: ::: lines": (lambda n: _parse(":::\n" * n), 5_000),
    "parse: a table of many rows": (
        lambda n: _parse("| a | b |\n|---|:-:|\n" + "| x `c` | $y$ |\n" * n),
        1_000,
    ),
    "parse: notes right after prose": (
        lambda n: _parse("prose\n" + "".join(f"[^{i}]: note {i}\n" for i in range(n))),
        300,
    ),
    "parse: [^a]: on one line": (lambda n: _parse("text\n\n" + "x [^a]:" * n), 2_000),
    "parse: first part before deep quotes": (
        lambda n: _parse("x" * (20 * n) + "\n\n" + "> " * 300 + "deep", limit=20 * n),
        5_000,
    ),
    "parse: fences and comments in list items": (
        lambda n: _parse(("````\n```\n\n- a\n\n  <!--\n\nx\n\n  ```\n\n-->\n\n") * n, limit=0),
        200,
    ),
    "parse: link definitions in quotes": (
        lambda n: _parse("".join(f"[r{i}]\n\n> - [r{i}]: /u{i} 'T'\n\n" for i in range(n))),
        200,
    ),
    "front matter: spaces in a value": (
        lambda n: _parse("---\ntitle: a" + " " * (100 * n) + "b\n---\n\nx"),
        200,
    ),
    "front matter: impossible dates": (
        lambda n: _parse("---\n" + "".join(f"d{i}: 2024-02-30\n" for i in range(n)) + "---\n\nx"),
        200,
    ),
    "glossary: names with one slug": (lambda n: _build_terms(_same_slug_names(n)), 300),
    "glossary: a shared alias": (
        lambda n: _build_terms([f"term {i}" for i in range(n)], ("Shared",)),
        300,
    ),
    "glossary: matching a long text": (
        lambda n: _matcher_on("word term1 word T2 the term11 words " * n),
        500,
    ),
    "glossary: a long term": (_long_term, 300),
    "glossary: See also and blank runs": (
        lambda n: _glossary_source("T\n: " + "x. See also: a" * n + "\n\nU\n: a" + " " * n + "b"),
        1_000,
    ),
    "convert: a blog post with leftovers": (lambda n: _convert(_blog_post(n)), 100),
    "search: a phrase": (lambda n: _search("word and more words " * n, "words"), 20_000),
    "search: a regular expression": (
        lambda n: _search("word and more words " * n, r"re:\w+s\b"),
        5_000,
    ),
    "anchoring: a one-character quote": (lambda n: _reanchor("ab" * n + "c", "c"), 20_000),
    "anchoring: a long quote, moved": (
        lambda n: _reanchor(
            "Intro. " + "".join(f"w{i} " for i in range(n)),
            "".join(f"w{i} " for i in range(n)),
            "x" * 40,
        ),
        2_000,
    ),
    "pipe mode: Chinese joined by single newlines": (
        lambda n: _pipe_mode(_chinese_soft_breaks(n)),
        400,
    ),
    "parse: unclosed <em> and <a> then a stray </b>": (
        lambda n: _parse(_unclosed_then_stray(n)),
        500,
    ),
    "parse: lazy lines in quotes 25-150 deep": (lambda n: _parse(_quoted_paragraphs(n)), 10),
    "glossary: terms each the start of the next, on runs of them": (
        lambda n: _terms_on(_prefix_terms(300), _plus_runs(n)),
        40,
    ),
    "glossary: many families of terms each the start of the next": (
        _many_prefix_families,
        300,
    ),
    "anchoring: orphans with long contexts": (
        lambda n: _reanchor(
            "".join(f"Sentence {i} of it. " for i in range(n)), "q" * 60, "p" * 1000, "s" * 1000, 5
        ),
        200,
    ),
    "identity: new paths in a store of as many essays": (_identify_new, 50),
}


def entry_ratios(name: str) -> dict[str, float]:
    build, n = ENTRY_CASES[name]
    return {name: growth(build, n)}


@pytest.mark.parametrize("name", list(ENTRY_CASES))
def test_entry_points_grow_linearly(name: str) -> None:
    assert_grows_linearly(f"entry_ratios({name!r})")


# -- cost a character ---------------------------------------------------------------------

#: A character of paragraphs inside deep quotes, going on in lazy lines, may take at
#: most this many times as long to parse as a character of the same paragraphs unquoted.
MAX_QUOTE_COST = 2


def quote_cost(n: int) -> dict[str, float]:
    """Parse time a character of `_quoted_paragraphs` over that of the same unquoted."""
    quoted, plain = _quoted_paragraphs(n), _quoted_paragraphs(n, markers=False)
    per_quoted = best_time(_parse(quoted)) / len(quoted)
    per_plain = best_time(_parse(plain)) / len(plain)
    return {"lazy lines in quotes 25-150 deep": per_quoted / per_plain}


def test_lazy_lines_in_deep_quotes_cost_what_plain_text_costs() -> None:
    ratios = best_ratios("quote_cost(40)", MAX_QUOTE_COST)
    costly = {name: round(ratio, 1) for name, ratio in ratios.items() if ratio > MAX_QUOTE_COST}
    assert not costly, f"a character costs more than {MAX_QUOTE_COST}× plain text: {costly}"


# -- the timing itself ----------------------------------------------------------------------


def control_ratios(kind: str) -> dict[str, float]:
    """A case known to be quadratic, or one known to be linear, timed as every case is."""
    if kind == "quadratic":
        return {kind: growth(lambda n: lambda: sum(1 for _ in range(n) for _ in range(n)), 150)}
    return {kind: growth(lambda n: lambda: sum(1 for _ in range(50 * n)), 2_000)}


def test_the_timing_tells_a_quadratic_case_from_a_linear_one() -> None:
    assert in_child("control_ratios('quadratic')")["quadratic"] > MAX_RATIO
    assert_grows_linearly("control_ratios('linear')")
