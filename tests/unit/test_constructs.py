"""Real-world Markdown in the model: tables as grids of
offsets, CommonMark list numbers, task boxes, images, TeX, HTML, GitHub alerts,
attributes, containers, titles, adjacent footnote markers, CJK line breaks and the
anchors internal links jump to. The fixtures in tests/data/constructs are modelled
on public documents (a Rust RFC, READMEs, an ML blog post, a WordPress export, a
Chinese essay)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essaytui.model.essay import Align, Block, BlockKind, Essay, SpanKind
from essaytui.model.files import load_essay
from essaytui.model.parse import parse_essay
from essaytui.model.parse.chunks import CHUNK_CHARS
from essaytui.model.plain import render_plain
from essaytui.model.search import TextSearch, compile_query
from essaytui.model.text import github_slug

CONSTRUCTS = Path(__file__).parent.parent / "data" / "constructs"


def construct(name: str) -> Essay:
    return load_essay(CONSTRUCTS / name)


def shown(essay: Essay, block: Block) -> str:
    return essay.reading_text[block.start : block.end]


def blocks_of(essay: Essay, kind: BlockKind) -> list[Block]:
    return [block for block in essay.blocks if block.kind is kind]


def spans(essay: Essay, kind: SpanKind) -> list[tuple[str, str]]:
    return [
        (essay.reading_text[span.start : span.end], span.data)
        for block in essay.blocks
        for span in block.spans
        if span.kind is kind
    ]


# -- tables --------------------------------------------------------------------------


def cells(essay: Essay, block: Block) -> list[list[str]]:
    assert block.table is not None
    return [[essay.reading_text[s:e] for s, e in row] for row in block.table.rows]


def test_a_table_is_one_block_of_rows_with_cells_at_their_offsets() -> None:
    essay = construct("tables.md")
    first = blocks_of(essay, BlockKind.TABLE)[0]
    assert first.table is not None
    grid = cells(essay, first)
    assert grid[0] == ["Representation", "Size", "Alignment", "Niche", "Stable"]
    assert grid[4] == ["repr(transparent)", "same as the field", "same as the field", "", "yes"]
    assert first.table.header == 1
    assert first.table.align == (Align.LEFT, Align.RIGHT, Align.CENTER, Align.CENTER, Align.DEFAULT)
    # rows are lines of the reading text; code in a cell keeps its span
    assert shown(essay, first).count("\n") == len(grid) - 1
    code = [span for span in first.spans if span.kind is SpanKind.CODE]
    assert [essay.reading_text[s.start : s.end] for s in code][0] == "repr(Rust)"


def test_every_cell_lies_inside_its_block_in_order() -> None:
    essay = construct("tables.md")
    for block in blocks_of(essay, BlockKind.TABLE):
        assert block.table is not None
        previous = block.start
        for row in block.table.rows:
            for start, end in row:
                assert previous <= start <= end <= block.end
                previous = end


def test_table_text_is_searchable_like_any_other() -> None:
    essay = construct("tables.md")
    search = TextSearch(essay.reading_text)
    matches = search.find("列挙型", compile_query("列挙型"))
    table = blocks_of(essay, BlockKind.TABLE)[2]
    assert len(matches) == 1
    assert table.start <= matches[0][0] < table.end
    assert cells(essay, table)[2] == ["日本語", "列挙型", "値の集合"]


def test_an_html_table_keeps_its_cells_and_alignment() -> None:
    essay = parse_essay(
        '<table><tr><th>Factor</th><th align="right">Kittens</th></tr>'
        "<tr><td>Play</td><td>Often</td></tr></table>\n"
    )
    tables = blocks_of(essay, BlockKind.TABLE)
    assert [cells(essay, block) for block in tables] == [
        [["Factor", "Kittens"]],
        [["Play", "Often"]],
    ]
    assert tables[0].table is not None and tables[0].table.header == 1
    assert tables[0].table.align == (Align.DEFAULT, Align.RIGHT)


# -- lists ---------------------------------------------------------------------------


def markers(essay: Essay) -> list[tuple[int, str, str]]:
    return [(b.list_depth, b.marker, shown(essay, b)) for b in essay.blocks if b.list_depth]


def test_lists_are_numbered_as_commonmark_says() -> None:
    found = markers(construct("lists.md"))
    assert [marker for _, marker, _ in found[:4]] == ["1.", "2.", "3.", "4."]  # 1. 1. 1. 1.
    assert [marker for _, marker, _ in found[4:7]] == ["7.", "8.", "9."]  # starts at 7


def test_nested_lists_are_numbered_per_level() -> None:
    found = markers(construct("lists.md"))[7:15]
    assert found == [
        (1, "1.", "Prepare"),
        (2, "1.", "Fetch the sources"),
        (2, "2.", "Check the signatures"),
        (3, "•", "with gpg"),
        (3, "•", "or with minisign"),
        (1, "2.", "Build"),
        (2, "•", "Debug"),
        (2, "•", "Release"),
    ]


def test_task_items_show_their_boxes() -> None:
    found = markers(construct("lists.md"))[-3:]
    assert found == [
        (1, "☑", "Write the proposal"),
        (1, "☐", "Collect feedback"),
        (1, "☐", "Merge"),
    ]


def test_a_parenthesis_list_keeps_its_delimiter_and_a_quote_its_own_count() -> None:
    essay = parse_essay("3) three\n3) four\n\n> 1. one\n> 1. two\n")
    assert [marker for _, marker, _ in markers(essay)] == ["3)", "4)", "1.", "2."]


# -- images --------------------------------------------------------------------------


def test_images_read_as_a_sign_and_their_alt_text_keeping_the_address() -> None:
    essay = construct("images.md")
    assert spans(essay, SpanKind.IMAGE) == [
        ("🖼 A map of the overland routes", "https://example.org/maps/routes.png"),
        ("🖼 image", "https://example.org/figure-2.svg"),  # no alt text
        ("🖼 The project's logo", "https://example.org/logo.png"),  # <img alt>
        ("🖼 warning sign", "warn.png"),
    ]
    assert "Figure 2: a chart." in essay.reading_text


# -- math ----------------------------------------------------------------------------


def test_inline_tex_is_kept_as_written_and_never_read_as_markdown() -> None:
    essay = construct("math.md")
    found = [text for text, _ in spans(essay, SpanKind.MATH)]
    assert found[0] == r"$\mu_\theta: \mathcal{S} \to \mathcal{A}$"
    assert r"$\rho^\mu$" in found
    assert found[-1] == r"\(a_i * b_i\)"  # no emphasis between the asterisks
    assert "95% of the mass" in essay.reading_text  # outside math an escape is an escape


def test_display_math_is_a_block_of_its_own_lines() -> None:
    essay = construct("math.md")
    blocks = [shown(essay, block) for block in blocks_of(essay, BlockKind.MATH)]
    assert blocks[0].startswith(r"\nabla_\theta J(\theta) = \mathbb{E}_{s \sim \rho^\mu}")
    assert blocks[1] == (
        r"\theta_{t+1} \leftarrow \theta_t + \alpha_\theta \nabla_\theta \mu_\theta(s)"
        r" \nabla_a Q(s, a)"
    )
    assert blocks[2].startswith("\\begin{align}\n") and blocks[2].endswith("\\end{align}")


def test_money_is_not_math() -> None:
    essay = construct("math.md")
    last = essay.blocks[-1]
    assert shown(essay, last).startswith("The prices were $5 and $6, which is money")
    assert [s.kind for s in last.spans] == [SpanKind.MATH]


@pytest.mark.parametrize(
    "source",
    [r"\[ \\] \[", "a \\\\(b\\\\) c", r"\[ unclosed", "$ a $"],
)
def test_escaped_or_unclosed_delimiters_are_text(source: str) -> None:
    essay = parse_essay(source + "\n")
    assert not blocks_of(essay, BlockKind.MATH)
    assert not spans(essay, SpanKind.MATH)


# -- HTML ----------------------------------------------------------------------------


def test_html_headings_join_the_outline_with_their_ids() -> None:
    essay = construct("wordpress.html.md")
    assert [(s.title, s.level) for s in essay.sections] == [("Cooperation", 3), ("Caveats", 4)]
    assert essay.anchors["cooperation"] == essay.sections[0].start
    caveat = essay.reading_text.index("first caveat")
    assert essay.anchors["caveat-1"] == caveat  # <a id> where it stands


def test_html_blocks_keep_a_browsers_breaks_and_spacing() -> None:
    essay = construct("wordpress.html.md")
    paragraphs = [shown(essay, b) for b in blocks_of(essay, BlockKind.PARAGRAPH)]
    assert paragraphs[1] == (
        "Strategic partners with caveats\nIn his recent visit, trade was the first topic; "
        "H₂O and E = mc² were not."
    )
    assert [b.marker for b in essay.blocks if b.list_depth] == ["•", "•"]
    assert spans(essay, SpanKind.LINK)[0] == ("sales", "https://example.org/arms")
    assert spans(essay, SpanKind.EMPHASIS) == [("strategic partnership", "")]
    assert "alert" not in essay.reading_text  # a script is never text (nor run)
    assert "wp:" not in essay.reading_text


def test_inline_tags_leave_the_spacing_a_browser_would() -> None:
    essay = parse_essay("<p>One</p><p>Two</p>\n\nA <b>bold</b> word and x<sup>n+1</sup>.\n")
    assert [shown(essay, b) for b in essay.blocks] == ["One", "Two", "A bold word and xⁿ⁺¹."]


# -- extensions in the wild ----------------------------------------------------------


def test_github_alerts_are_labelled_callouts() -> None:
    essay = construct("alerts.md")
    labels = [(shown(essay, b), b.callout) for b in blocks_of(essay, BlockKind.CALLOUT)]
    # the third: a "::: warning" container, titled as the alert is
    assert labels == [("Note", "note"), ("Warning", "warning"), ("Warning", "warning")]
    inside = [b for b in essay.blocks if b.callout and b.kind is BlockKind.PARAGRAPH]
    assert [b.quote_depth for b in inside] == [1, 1, 1]
    assert "[!NOTE]" not in essay.reading_text


def test_attributes_are_taken_out_and_kept_as_ids() -> None:
    essay = construct("alerts.md")
    assert [s.title for s in essay.sections] == ["Syntax in the wild", "Goals"]
    assert "{" not in essay.reading_text
    assert essay.anchors["goals"] == essay.sections[1].start
    assert essay.anchors["wild"] == essay.anchors["syntax-in-the-wild"] == 0
    after = essay.reading_text.index("A paragraph given an id")
    assert essay.anchors["after"] == after


def test_containers_show_their_content_and_strikethrough_its_span() -> None:
    essay = construct("alerts.md")
    assert "Content of a pandoc div, read as it stands." in essay.reading_text
    assert ":::" not in essay.reading_text
    assert spans(essay, SpanKind.STRIKE) == [("struck", "")]


def test_a_block_scalar_title_is_read_whole() -> None:
    assert construct("alerts.md").title == (
        "Alerts, attributes and containers: syntax people actually use"
    )


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ("## Table of contents\n\n## Introduction\n\nText.\n", "Introduction"),
        ("## Summary\n\n# The real title\n\nText.\n", "The real title"),
        ("## Contents\n\nText.\n", "notes"),  # only a contents heading: the file name
        ("---\ntitle: Front\n---\n\n# Heading\n", "Front"),
    ],
)
def test_the_title_falls_back_past_contents_headings(source: str, title: str) -> None:
    assert parse_essay(source, path="/somewhere/notes.md").title == title


def test_export_names_the_essay_by_the_same_title(tmp_path: Path) -> None:
    """The pane title, `list` and exports all take `Essay.title`; the CLI says so."""
    path = CONSTRUCTS / "contents-first.md"
    result = subprocess.run(
        [sys.executable, "-m", "essaytui", "export", str(path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ESSAYTUI_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "“Introduction”" in result.stderr
    assert load_essay(path).title == "Introduction"


# -- footnotes and CJK ---------------------------------------------------------------


def test_adjacent_footnote_markers_are_separated() -> None:
    essay = parse_essay("Crashes.[^10][^11] Once.[^12]\n\n[^10]: a\n[^11]: b\n[^12]: c\n")
    assert essay.blocks[0].start == 0
    assert shown(essay, essay.blocks[0]) == "Crashes.¹˒² Once.³"
    refs = [text for text, _ in spans(essay, SpanKind.FOOTNOTE_REF)]
    assert refs == ["¹", "²", "³"]  # the separator belongs to neither


def test_a_line_break_between_cjk_characters_adds_no_space() -> None:
    essay = construct("cjk.md")
    paragraphs = [shown(essay, b) for b in blocks_of(essay, BlockKind.PARAGRAPH)]
    assert paragraphs[0] == "翻译之难，不在字词，而在语气。因此译者须先读懂原文，再求其达。¹˒²"
    assert paragraphs[1] == "日本語の文章も同じで、改行は空白にならない。"
    assert paragraphs[2] == "English words across a line break keep their space."


# -- anchors -------------------------------------------------------------------------


def test_anchors_hold_github_slugs_numbered_when_repeated() -> None:
    essay = parse_essay("# Goals and non-goals\n\n## Notes\n\n## Notes\n\n## C++ & Rust!\n")
    heads = [b.start for b in blocks_of(essay, BlockKind.HEADING)]
    assert dict(essay.anchors) == {
        "goals-and-non-goals": heads[0],
        "notes": heads[1],
        "notes-1": heads[2],
        "c--rust": heads[3],
    }
    assert github_slug("Ünïcode Heading") == "ünïcode-heading"


def test_every_internal_link_of_the_fixtures_has_its_anchor() -> None:
    for name in ("alerts.md", "wordpress.html.md", "contents-first.md"):
        essay = construct(name)
        targets = [data[1:] for _, data in spans(essay, SpanKind.LINK) if data.startswith("#")]
        assert targets, name
        for target in targets:
            assert 0 <= essay.anchors[target] < len(essay.reading_text), (name, target)


def test_an_id_written_first_wins_and_notes_give_no_anchors() -> None:
    essay = parse_essay(
        '<a id="x"></a>First.\n\n<a id="x"></a>Second.[^1]\n\n[^1]: <a id="y"></a>Note.\n'
    )
    assert essay.anchors["x"] == 0
    assert "y" not in essay.anchors


# -- open-ended input ----------------------------------------------------------------


def check_offsets(essay: Essay) -> None:
    """Blocks in order; spans, cells and anchors inside the reading text."""
    text = essay.reading_text
    previous = 0
    for block in essay.blocks:
        assert previous <= block.start <= block.end <= len(text)
        previous = block.end
        for span in block.spans:
            assert block.start <= span.start < span.end <= block.end
        if block.table is not None:
            for row in block.table.rows:
                for start, end in row:
                    assert block.start <= start <= end <= block.end
    for offset in essay.anchors.values():
        assert 0 <= offset <= len(text)


_PIECES = st.sampled_from(
    [
        "| a | b |\n|:-|-:|\n| `c` | $x$ |\n",
        "1. one\n1. two\n   - [x] done\n",
        "![alt](i.png) and <img alt='x' src=y>",
        "$$\nE = mc^2\n$$\n",
        "\\[ a \\]",
        "\\(b\\)",
        "> [!TIP]\n> Tip.\n",
        "## H {#h .c}\n",
        "{#p}\n",
        "::: note\n",
        ":::\n",
        "<h3 id='x'>T</h3><p>a<br>b</p>",
        "<sup>2</sup><sub>i</sub>",
        "<a name='n'></a>",
        "[^1][^2]",
        "中文\n中文",
        "~~s~~",
        "text with $5 and $6",
        "<table><tr><th>h</th></tr><tr><td>d</td></tr></table>",
        "{",
        "<",
        "$",
        "\\",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12), st.sampled_from(["\n", "\n\n", " "]))
def test_any_mix_of_constructs_keeps_every_offset_inside(pieces: list[str], glue: str) -> None:
    source = glue.join(pieces) + "\n\n[^1]: one\n[^2]: two\n"
    check_offsets(parse_essay(source))


def test_a_list_cut_by_a_chunk_boundary_goes_on_counting() -> None:
    items = "".join(f"1. item {n} {'words ' * 40}\n\n" for n in range(1, 1_200))
    essay = parse_essay("# Long\n\n" + items)
    numbers = [block.marker for block in essay.blocks if block.list_depth]
    assert len(essay.reading_text) > CHUNK_CHARS  # parsed in more than one chunk
    assert numbers == [f"{n}." for n in range(1, 1_200)]


def test_plain_text_prints_a_table_row_by_row_and_math_as_written() -> None:
    page = render_plain(construct("tables.md"), 100)
    assert "Representation │ Size │ Alignment │ Niche │ Stable\n────" in page
    assert "\nrepr(C) │ 4 │ 4 │ no │ yes\n" in page
    assert "alpha │ bravo │ charlie" in page  # the columns a screen cuts are all here
    math = render_plain(construct("math.md"), 100)
    assert "    \\begin{align}\n    L(\\theta) &= " in math
