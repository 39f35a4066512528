"""The real-terminal benchmark's pure parts: reading a screen, the tables, RESULTS.md.

Nothing here is timed and nothing needs tmux: the screens are ones tmux captured
(`tests/data/bench/`, bundled essay at 140x45), and the tables are fed known figures.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "tests" / "data" / "bench"
BUNDLED = ROOT / "content" / "strategic-partners-with-caveats" / "essay.md"


def _load(name: str) -> ModuleType:
    # bench/ holds scripts, not a package: load the file itself.
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


terminal = _load("terminal")
harness = _load("harness")


def _screen(name: str) -> list[str]:
    return (SCREENS / name).read_text(encoding="utf-8").splitlines()


# -- the first sentence ------------------------------------------------------------------


def test_first_sentence_of_the_bundled_essay_stops_before_its_footnote() -> None:
    sentence: str = terminal.first_sentence(BUNDLED.read_text(encoding="utf-8"))
    assert sentence.startswith("In his recent visit to Russia on March 11th")
    assert sentence.endswith("major foreign policy orientation.")


def test_first_sentence_skips_front_matter_headings_and_lists_and_stops_at_markup() -> None:
    text = (
        "---\ntitle: T\nglossary:\n  - term: x\n---\n\n# Title\n\n- a list item.\n\n"
        "1. numbered.\n\nThe opening words run on, *with emphasis*. Then more.\n"
    )
    assert terminal.first_sentence(text) == "The opening words run on,"
    assert terminal.first_sentence("Plain start. Second one.\n") == "Plain start."
    assert terminal.first_sentence("---\nid: x\n---\n## Only a heading\n") == ""


# -- reading a screen --------------------------------------------------------------------


@pytest.mark.parametrize(
    "screen", ["essaytui-bundled-140x45.txt", "markdownviewer-bundled-140x45.txt"]
)
def test_the_bundled_essays_first_sentence_is_found_wrapped_in_its_pane(screen: str) -> None:
    sentence = terminal.first_sentence(BUNDLED.read_text(encoding="utf-8"))
    rows = _screen(screen)
    assert terminal.screen_shows(rows, sentence)
    # One word different, or a word more than the screen has: not shown.
    assert not terminal.screen_shows(rows, sentence.replace("Wang Yi", "Wang Li"))
    assert not terminal.screen_shows(rows, sentence.replace("orientation.", "orientation now."))


def test_a_sentence_is_read_down_its_own_column_only() -> None:
    rows = [
        "│Left pane   ││ The first sentence runs  ││ other   │",
        "│text here   ││ on over three lines of   ││ pane    │",
        "│            ││ this pane.¹ Next one.    ││         │",
    ]
    assert terminal.screen_shows(rows, "The first sentence runs on over three lines of this pane.")
    # The words are all on screen, but in another order across the panes.
    assert not terminal.screen_shows(rows, "Left pane The first sentence runs")
    assert not terminal.screen_shows(rows, "The first sentence runs other")
    assert not terminal.screen_shows(rows, "")


def test_wide_characters_before_the_column_keep_it_aligned() -> None:
    rows = [
        "│中文标题│ Words that wrap",
        "│        │ onto the next row.",
    ]
    assert terminal.screen_shows(rows, "Words that wrap onto the next row.")


def test_the_hello_world_line_is_found_on_its_own() -> None:
    apps = _load("apps")
    line: str = apps.HELLO_LINE
    assert terminal.screen_shows(["", line, ""], line)
    assert not terminal.screen_shows(["", line.replace("blank", "busy"), ""], line)


# -- figures and tables ------------------------------------------------------------------


def test_parse_size() -> None:
    assert terminal.parse_size("140x45") == (140, 45)
    assert terminal.parse_size("80X24") == (80, 24)
    for bad in ("140", "x45", "140x", "10x10", "wide"):
        with pytest.raises(ValueError):
            terminal.parse_size(bad)


def test_summaries_take_medians_of_the_runs_that_reached_the_screen() -> None:
    launch = terminal.Launch
    summary = terminal.summarise(
        [
            launch(first_s=1.0, cpu_s=0.5, settled_s=2.0, peak_mb=50.0),
            launch(first_s=3.0, cpu_s=0.7, settled_s=4.0, peak_mb=52.0),
            launch(first_s=2.0, cpu_s=0.6, settled_s=3.0, peak_mb=51.0),
            launch(error="exited before its first sentence"),
        ]
    )
    assert (summary.first_s, summary.cpu_s, summary.settled_s) == (2.0, 0.6, 3.0)
    assert (summary.peak_mb, summary.runs, summary.failed) == (51.0, 3, 1)


def _row(name: str, first: dict[str, float], notes: dict[str, str] | None = None) -> object:
    summaries = {
        app: terminal.summarise([terminal.Launch(first_s=value, peak_mb=40.0 + value)])
        for app, value in first.items()
    }
    return terminal.EssayRow(name, f"{name} (9 KB)", summaries, notes or {})


def test_first_screen_table_gives_ratios_to_the_hello_world_app() -> None:
    rows = [
        _row("bundled", {"essaytui": 0.8, "markdownviewer": 0.6, "hello": 0.4}),
        _row("large", {"essaytui": 1.2, "hello": 0.4}, {"markdownviewer": "skipped: --skip-slow"}),
    ]
    table: list[str] = terminal.first_screen_table(rows, 120.0)
    assert table[0].startswith("| essay | app | first sentence on screen | × hello-world app")
    body = table[2:]
    assert len(body) == 6
    assert body[0].startswith("| bundled (9 KB) | essaytui | 0.80 s | 2.00× |")
    assert body[1].startswith("| bundled (9 KB) | MarkdownViewer | 0.60 s | 1.50× |")
    assert body[2].startswith("| bundled (9 KB) | hello-world app | 0.40 s | 1.00× |")
    assert body[3].startswith("| large (9 KB) | essaytui | 1.20 s | 3.00× |")
    assert body[4].endswith("| skipped: --skip-slow |")
    assert all(line.count("|") == table[0].count("|") for line in table)


def test_targets_table_checks_the_ratios() -> None:
    rows = [
        _row("bundled", {"essaytui": 0.5, "markdownviewer": 0.6, "hello": 0.4}),
        _row("large", {"essaytui": 0.8, "reopened": 0.5, "hello": 0.4}),
    ]
    table = "\n".join(terminal.targets_table(rows))
    assert "| bundled essay ≤ 1.3× the hello-world app | 1.25× | ✓ |" in table
    assert "| bundled essay sooner than MarkdownViewer | 0.50 s vs 0.60 s | ✓ |" in table
    assert "| 4.4 MB essay ≤ 1.6× the hello-world app | 2.00× | ✗ |" in table
    assert "| reopened 4.4 MB essay ≤ 1.4× the hello-world app | 1.25× | ✓ |" in table
    assert "| 4.4 MB peak memory ≤ 90 MB | 41 MB | ✓ |" in table


def test_keys_and_comparison_tables() -> None:
    timing = terminal.KeyTiming
    keys = terminal.keys_table(
        {"page down (space)": [timing(10.0, 4.0), timing(30.0, 6.0), timing(20.0, None)]}
    )
    assert keys[2] == "| page down (space) | 20.0 ms | 30.0 ms | 5.0 ms | 3 |"
    comparison = terminal.comparison_table(
        [terminal.Comparison("first sentence", "s", [1.0, 1.2, 1.1], [0.9, 1.0, 0.95])]
    )
    assert comparison[2] == "| first sentence | 1.10 s | 0.95 s | -14 % | 3 + 3 |"


# -- RESULTS.md --------------------------------------------------------------------------


def test_each_mode_rewrites_its_own_section_of_results_md() -> None:
    marker: str = harness.TERMINAL_MARKER
    first = harness.merge_results("", headless="# Headless\n\nold table\n")
    assert first == "# Headless\n\nold table\n"
    both = harness.merge_results(first, terminal="## Real terminal\n\nfigures\n")
    assert both == f"# Headless\n\nold table\n\n{marker}\n\n## Real terminal\n\nfigures\n"
    # A headless run keeps the terminal section, a terminal run the headless one.
    rerun = harness.merge_results(both, headless="# Headless\n\nnew table")
    assert rerun == f"# Headless\n\nnew table\n\n{marker}\n\n## Real terminal\n\nfigures\n"
    again = harness.merge_results(rerun, terminal="## Real terminal\n\nnewer\n")
    assert again == f"# Headless\n\nnew table\n\n{marker}\n\n## Real terminal\n\nnewer\n"
