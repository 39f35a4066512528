"""The Markdown dialects people write (issue 22): brackets that are only brackets,
pandoc's inline notes, documentation-site containers, MyST, pandoc's tables and
inline extensions, saved pages. The fixtures in tests/data/dialects are modelled on
public documents (pandoc and Quarto blogs, bookdown books, Material for MkDocs pages,
Jupyter Book lectures, a saved Wikipedia article)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essaytui.model.essay import Block, BlockKind, Essay, SpanKind
from essaytui.model.files import load_essay
from essaytui.model.html import escape_page_text
from essaytui.model.parse import parse_essay

DIALECTS = Path(__file__).parent.parent / "data" / "dialects"


def dialect(name: str) -> Essay:
    return load_essay(DIALECTS / name)


def shown(essay: Essay, block: Block) -> str:
    return essay.reading_text[block.start : block.end]


def blocks_of(essay: Essay, kind: BlockKind) -> list[Block]:
    return [block for block in essay.blocks if block.kind is kind]


def spans(essay: Essay, kind: SpanKind) -> list[str]:
    return [
        essay.reading_text[span.start : span.end]
        for block in essay.blocks
        for span in block.spans
        if span.kind is kind
    ]


# -- brackets and display math -------------------------------------------------------


def test_escaped_brackets_in_prose_are_brackets() -> None:
    essay = dialect("pandoc-brackets.md")
    text = essay.reading_text
    assert "the thing[s] he sent" in text
    assert "lost in the post [sic]" in text
    assert "signs it [William T.]" in text
    assert "[see below]" in text
    prose = [shown(essay, b) for b in essay.blocks if b.kind is BlockKind.PARAGRAPH]
    assert not [p for p in prose if "\\" in p and "x^2" not in p]
    assert "[sic] is how editors mark" in text  # a paragraph opening with one
    assert "[update]" in [shown(essay, block) for block in essay.blocks]


def test_display_math_needs_tex_inside() -> None:
    essay = dialect("pandoc-brackets.md")
    maths = [shown(essay, block) for block in blocks_of(essay, BlockKind.MATH)]
    assert [m.strip() for m in maths] == [r"E_{n+1} = E_n + \frac{1}{2} \Delta t"]
    assert spans(essay, SpanKind.MATH) == [r"\[ x^2 + y^2 = r^2 \]"]


def test_a_reference_list_label_in_brackets_is_a_link_reading_as_its_label() -> None:
    essay = dialect("pandoc-brackets.md")
    links = [
        (essay.reading_text[s.start : s.end], s.data)
        for b in essay.blocks
        for s in b.spans
        if s.kind is SpanKind.LINK
    ]
    assert ("[Cline99]", "#Cline99") in links
    note = essay.footnotes[0]
    assert note.text == "The clerk's hand is identified in [Cline99], p. 12."


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("\\[sic\\] and more\n", "[sic] and more"),
        ("a \\[b\\] c \\[d\\]\n", "a [b] c [d]"),
        ("\\[\nsome words\n\\]\n", "[ some words ]"),
        ("\\[ x \\] tail\n", "[ x ] tail"),
    ],
)
def test_brackets_around_words_are_text(source: str, text: str) -> None:
    essay = parse_essay(source)
    assert essay.reading_text == text
    assert not blocks_of(essay, BlockKind.MATH)


@pytest.mark.parametrize(
    "source", ["\\[ \\alpha \\]\n", "\\[\na = b\n\\]\n", "\\[ x_1 \\]\n", "\\[ {n} \\]\n"]
)
def test_brackets_around_tex_on_lines_of_their_own_are_display_math(source: str) -> None:
    essay = parse_essay(source)
    assert [b.kind for b in essay.blocks] == [BlockKind.MATH]


# -- the page converter's escapes ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("[update] and [n 3] x", "[update] and [n 3] x"),
        ("thing[s] = [sic]", "thing[s] = [sic\\]"),  # a "]" ending a text may meet "("
        ("a [b](c) d", "a [b\\](c) d"),
        ("note [^1] here", "note [\\^1] here"),
        ("[!NOTE] x", "[\\!NOTE] x"),
        ("[ ] box", "[ \\] box"),
        ("1. first", "1\\. first"),
        ("# not a heading", "\\# not a heading"),
        ("C++ & C#, a+b=c, x > y, x ~ y", "C++ & C#, a+b=c, x > y, x \\~ y"),
        ("snake_case _em_ *x* `c` $5", "snake_case \\_em\\_ \\*x\\* \\`c\\` \\$5"),
        ("&amp; <b>", "\\&amp; \\<b>"),
        ("a\\b \\*", "a\\b \\\\\\*"),
        ("I :smile: at you", "I \\:smile: at you"),
        ("!!! note that", "\\!!! note that"),
        ("(label)=", "(label)\\="),
    ],
)
def test_a_page_text_is_written_with_only_the_escapes_it_needs(text: str, written: str) -> None:
    assert escape_page_text(text) == written
    assert parse_essay(written + "\n").reading_text == text


@pytest.mark.parametrize(
    ("text", "written"),
    [("[1]", "[1]"), ("[", "\\["), ("a] [b", "a\\] \\[b"), ("x = [y]", "x = [y]")],
)
def test_brackets_in_a_links_text_are_escaped_only_when_unpaired(text: str, written: str) -> None:
    assert escape_page_text(text, in_link=True) == written
    essay = parse_essay(f"[{written}](https://example.org/)\n")
    assert essay.reading_text == text


def test_a_saved_page_shows_no_backslashes_before_brackets(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Rail</title></head><body><article><p>Built in 1901"
        "<sup>[update]</sup> by the company [sic], see <a href='/x'>[list]</a>.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    essay = load_essay(page)
    assert "[update]" in essay.reading_text
    assert "company [sic], see [list]." in essay.reading_text
    assert "\\" not in essay.reading_text


# -- inline notes ----------------------------------------------------------------------


def test_inline_notes_are_footnotes_numbered_with_the_others() -> None:
    essay = dialect("quarto-post.qmd")
    numbered = [(note.number, note.text) for note in essay.footnotes if note.number]
    assert numbered[0][1].startswith('The survey asked "how long did you wait last time?"')
    assert numbered[1][1].startswith("Means and medians of skewed data differ by design")
    assert numbered[2] == (3, "Clinic records for 2019–2023, anonymised.")
    assert "The survey asked" not in essay.reading_text  # the note is not in the sentence
    refs = spans(essay, SpanKind.FOOTNOTE_REF)
    assert refs[:3] == ["¹", "²", "³"]
    assert not [w for w in essay.warnings if "footnote" in w]


def test_an_inline_note_keeps_its_markup_and_a_note_inside_it_is_text() -> None:
    essay = parse_essay("A claim.^[With *emphasis*, ^[nested] and [a link](https://x.org).]\n")
    (note,) = essay.footnotes
    assert note.text == "With emphasis, (nested) and a link."
    kinds = [block_span.kind for block in note.blocks for block_span in block.spans]
    assert kinds == [SpanKind.EMPHASIS, SpanKind.LINK]
    assert essay.reading_text == "A claim.¹"


@pytest.mark.parametrize("source", ["a ^[] b", "a ^[ unclosed", "a \\^[x] b", "`^[x]`"])
def test_what_is_no_inline_note_stays_text(source: str) -> None:
    essay = parse_essay(source + "\n")
    assert not essay.footnotes
    assert "^" in essay.reading_text


def test_a_part_parsed_alone_labels_inline_notes_as_the_whole_does() -> None:
    source = "".join(f"Para {i}.^[Note {i}.]\n\n" for i in range(40))
    whole = parse_essay(source)
    part = parse_essay(source, limit=len(source) // 2)
    assert not part.complete
    for note in part.footnotes:
        assert whole.footnotes_by_label[note.label].text == note.text
        assert whole.footnotes_by_label[note.label].refs == note.refs


# -- containers: admonitions, tabs, callouts, directives --------------------------------


def callouts(essay: Essay) -> list[tuple[str, str]]:
    return [(shown(essay, b), b.callout) for b in blocks_of(essay, BlockKind.CALLOUT)]


def inside(essay: Essay, title: str) -> list[str]:
    """The blocks of the callout titled `title`: what follows it, one quote deeper."""
    blocks = list(essay.blocks)
    start = next(i for i, b in enumerate(blocks) if b.kind is BlockKind.CALLOUT and
                 shown(essay, b) == title)  # fmt: skip
    depth = blocks[start].quote_depth
    found = []
    for block in blocks[start + 1 :]:
        if block.quote_depth < depth or block.kind is BlockKind.CALLOUT:
            break
        found.append(shown(essay, block))
    return found


def test_mkdocs_admonitions_and_tabs_are_titled_callouts_with_markdown_bodies() -> None:
    essay = dialect("mkdocs-wiki.md")
    assert callouts(essay) == [
        ("定义", "note"),
        ("注意", "warning"),
        ("Tip", "tip"),
        ("C++", ""),
        ("Python", ""),
    ]
    assert inside(essay, "定义") == [
        "二分查找是在有序数组中查找某一元素的算法¹。",
        "每次比较后，搜索范围减半。",
    ]
    assert inside(essay, "C++") == ["int l = 0, r = n;"]
    code = [b for b in essay.blocks if b.kind is BlockKind.CODE]
    assert [b.quote_depth for b in code] == [1, 1]
    assert "!!!" not in essay.reading_text and "???" not in essay.reading_text
    assert '=== "' not in essay.reading_text


def test_footnote_references_inside_admonitions_count() -> None:
    essay = dialect("mkdocs-wiki.md")
    assert [(note.label, note.number, len(note.refs)) for note in essay.footnotes] == [
        ("ref1", 1, 1),
        ("ref2", 2, 1),
    ]
    assert not essay.warnings


def test_the_mkdocs_meta_header_is_metadata_not_text() -> None:
    essay = dialect("mkdocs-wiki.md")
    assert essay.author == "Ir1d, Xeonacid, ouuan"
    assert essay.meta["date"] == "2021-05-03"
    assert "author:" not in essay.reading_text
    assert essay.reading_text.startswith("引入")


def test_a_paragraph_of_key_value_lines_is_text_outside_mkdocs() -> None:
    essay = parse_essay("Note: this essay is a draft.\nStatus: open\n\nText.\n")
    assert essay.reading_text.startswith("Note: this essay is a draft.")


def test_emoji_shortcodes_are_emoji_and_unknown_ones_stay_text() -> None:
    essay = dialect("mkdocs-wiki.md")
    assert "ℹ 请先阅读" in essay.reading_text  # noqa: RUF001 (no variation selector)
    assert essay.reading_text.count("👍") == 1
    assert parse_essay("At 10:30:00 see :no_such_code: here\n").reading_text == (
        "At 10:30:00 see :no_such_code: here"
    )


def test_a_quarto_callout_is_titled_by_its_heading_or_its_title() -> None:
    essay = dialect("quarto-post.qmd")
    assert callouts(essay) == [
        ("What a callout holds", "note"),
        ("Beware the average patient", "warning"),
    ]
    assert [s.title for s in essay.sections] == ["The question", "Peaks and shapes"]
    assert inside(essay, "What a callout holds")[0].endswith("to the first contact.⁴")
    essay = parse_essay('::: {.callout-tip title="Quick tip"}\nBody.\n:::\n\nAfter.\n')
    assert callouts(essay) == [("Quick tip", "tip")]
    assert [b.quote_depth for b in essay.blocks] == [1, 1, 0]


def test_a_plain_div_reads_as_it_stands() -> None:
    essay = parse_essay("::: {.column-margin}\nIn the margin.\n:::\n\nAfter.\n")
    assert essay.reading_text == "In the margin.\n\nAfter."
    assert [b.quote_depth for b in essay.blocks] == [0, 0]


def test_a_myst_directive_is_a_titled_callout_its_label_an_anchor() -> None:
    essay = dialect("myst-lecture.md")
    titles = [title for title, _ in callouts(essay)]
    assert titles == ["Theorem (Data Processing Inequality)", "Note", "Unknownthing (An Argument)"]
    assert inside(essay, "Theorem (Data Processing Inequality)") == [
        r"If $X \to Y \to Z$ is a Markov chain, then",
        r"I(X; Z) \le I(X; Y).",
    ]
    text = essay.reading_text
    assert ":label:" not in text and ":class:" not in text and "$$" not in text
    assert text[essay.anchors["dpi"] :].startswith("Theorem (Data Processing Inequality)")
    assert text[essay.anchors["eq-entropy"] :].startswith(r"H(X) = -\sum_x")
    assert text[essay.anchors["entropy"] :].startswith("Entropy and Information")


def test_myst_code_cells_stay_code_raw_latex_and_comments_are_left_out() -> None:
    essay = dialect("myst-lecture.md")
    code = [shown(essay, b) for b in blocks_of(essay, BlockKind.CODE)]
    assert code == ["import numpy as np\nnp.log2(8)"]
    assert "newpage" not in essay.reading_text
    assert "comment is for the authors" not in essay.reading_text
    body = inside(essay, "Unknownthing (An Argument)")
    assert body == ["Some body text that is Markdown."]  # text, never code


def test_myst_roles_read_as_their_content() -> None:
    essay = dialect("myst-lecture.md")
    text = essay.reading_text
    assert "Shannon; shannon1948 gives the definition and the previous lecture the" in text
    assert "By dpi, processing" in text
    assert "{cite:t}" not in text and "`" not in text
    assert "$H(X)$" in spans(essay, SpanKind.MATH)  # TeX as inline math is shown


def test_a_percent_line_is_text_outside_myst() -> None:
    assert parse_essay("% of readers agree.\n").reading_text == "% of readers agree."


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("post.qmd", "text", "pandoc"),
        ("report.Rmd", "text", "pandoc"),
        ("lecture.md", "---\njupytext:\n  x: 1\n---\n\ntext", "myst"),
        ("lecture.md", "---\nmyst:\n  x: 1\n---\n\ntext", "myst"),
        ("lecture.md", "```{note}\nx\n```\n", "myst"),
        ("wiki.md", '!!! note "T"\n    x\n', "mkdocs"),
        ("wiki.md", '=== "Tab"\n    x\n', "mkdocs"),
        ("essay.md", "# Title\n\ntext with !!! inside\n", "commonmark"),
        ("lecture.md", "text\n\n::::{note}\nx\n::::\n", "myst"),
        ("lecture.md", "text\n\n`````{note}\nx\n`````\n", "myst"),
        ("lecture.md", "text\n\n```{python}\nx\n```\n", "commonmark"),
        ("wiki.md", "text\n\n???+ note\n    x\n", "mkdocs"),
        ("wiki.md", "text\n\n??? note\n    x\n", "mkdocs"),
        ("wiki.md", "Title\n===\n\ntext\n", "commonmark"),
        ("essay.md", "What??? No!!! Yes===\n", "commonmark"),
    ],
)
def test_the_dialect_is_told_from_the_file(name: str, source: str, expected: str) -> None:
    from essaytui.model.dialects import detect_dialect

    assert detect_dialect(source, name) == expected


# -- inline extensions -------------------------------------------------------------------


def test_sub_and_superscripts_and_spans_read_as_text() -> None:
    essay = dialect("quarto-post.qmd")
    text = essay.reading_text
    assert "concentration Cₘₐₓ of a drug" in text
    assert "so does 2¹⁰ patients" in text
    assert "as a span --- keeps its text, and important is just" in text
    assert "{.emdash}" not in text and "{.mark}" not in text


def test_citations_stay_readable() -> None:
    essay = dialect("quarto-post.qmd")
    assert "[@smith2020, pp. 33-35; @jones2021]" in essay.reading_text


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("H~2~O and x^2^", "H₂O and x²"),
        ("~~struck~~ stays struck", "struck stays struck"),
        ("approx ~5 and ~10 km", "approx ~5 and ~10 km"),
        ("x^2 + y^2 in prose", "x^2 + y^2 in prose"),
        ("## C~max~ of a drug", "Cₘₐₓ of a drug"),
        ("[a span]{#here .x} then", "a span then"),
        ("[not a span] {.x}", "[not a span] {.x}"),
    ],
)
def test_inline_extensions(source: str, text: str) -> None:
    assert parse_essay(source + "\n").reading_text == text


def test_a_section_title_with_a_span_and_a_subscript_reads_as_text() -> None:
    essay = parse_essay("## Peak C~max~ [---]{.emdash} and more\n\ntext\n")
    assert [s.title for s in essay.sections] == ["Peak Cₘₐₓ --- and more"]


# -- pandoc's tables ---------------------------------------------------------------------


def table_cells(essay: Essay) -> list[list[list[str]]]:
    found = []
    for block in blocks_of(essay, BlockKind.TABLE):
        assert block.table is not None
        found.append([[essay.reading_text[s:e] for s, e in row] for row in block.table.rows])
    return found


def test_grid_simple_and_multiline_tables_are_tables() -> None:
    essay = dialect("pandoc-tables.md")
    grid, simple, multiline = table_cells(essay)
    assert grid == [
        ["Fruit", "Price", "Advantages"],
        ["Bananas", "$1.34", "- built-in wrapper - bright color"],
        ["Oranges", "$2.10", "- cures scurvy - tasty"],
    ]
    assert simple[0] == ["Right", "Left", "Center", "Default"]
    assert simple[1:] == [["12"] * 4, ["123"] * 4, ["1"] * 4]
    assert multiline == [
        ["Centered Header", "Default Aligned", "Right Aligned", "Left Aligned"],
        ["First", "row", "12.0", "Example of a row that spans multiple lines."],
        ["Second", "row", "5.0", "Here's another one. Note the blank line between rows."],
    ]
    assert "+---" not in essay.reading_text and "-------" not in essay.reading_text


def test_pandoc_tables_keep_their_alignment_and_header() -> None:
    essay = dialect("pandoc-tables.md")
    tables = [b.table for b in blocks_of(essay, BlockKind.TABLE)]
    assert [t.header for t in tables if t is not None] == [1, 1, 1]
    simple = tables[1]
    multiline = tables[2]
    assert simple is not None and multiline is not None
    assert [a.value for a in simple.align] == ["right", "left", "center", ""]
    assert [a.value for a in multiline.align] == ["center", "", "right", "left"]


def test_a_pandoc_table_is_laid_out_as_a_grid() -> None:
    from essaytui.model.plain import render_plain

    essay = dialect("pandoc-tables.md")
    printed = render_plain(essay, width=80)
    assert "Bananas" in printed and "│" in printed


def test_headerless_simple_and_multiline_tables_are_tables() -> None:
    essay = dialect("pandoc-headerless.md")
    simple, multiline = table_cells(essay)
    assert simple == [["12"] * 4, ["123"] * 4, ["1"] * 4]
    assert multiline == [
        ["First", "row", "12.0", "Example of a row that spans multiple lines."],
        ["Second", "row", "5.0", "Here's another one. Note the blank line between rows."],
    ]
    assert "-------" not in essay.reading_text
    assert "Text after a rule" in essay.reading_text


def test_a_headerless_table_has_no_header_and_aligns_by_its_first_row() -> None:
    tables = [b.table for b in blocks_of(dialect("pandoc-headerless.md"), BlockKind.TABLE)]
    simple, multiline = tables
    assert simple is not None and multiline is not None
    assert (simple.header, multiline.header) == (0, 0)
    assert [a.value for a in simple.align] == ["right", "left", "center", "right"]
    assert [a.value for a in multiline.align] == ["center", "left", "right", "left"]


def test_a_headerless_table_is_laid_out_through_the_table_layout() -> None:
    from essaytui.model.plain import render_plain

    printed = render_plain(dialect("pandoc-headerless.md"), width=80)
    assert "First │ row │ 12.0 │ Example of a row that spans multiple lines." in printed


@pytest.mark.parametrize(
    "source",
    [
        "Text\n\n---\n\nMore\n",  # a rule
        "Heading\n-------\n",  # a setext heading
        "+---+\n\nx\n",  # a rule line alone
        "-- --\n\nText\n\n\n-- --\n",  # column lines parted by two blank lines
        "-- --\n1  2\n",  # a column line never closed
        "- a\n- b\n",
    ],
)
def test_what_is_no_pandoc_table_is_left_as_it_was(source: str) -> None:
    assert not blocks_of(parse_essay(source), BlockKind.TABLE)


def test_an_mkdocs_page_without_a_title_line_is_titled_by_its_meta_title_or_file() -> None:
    assert dialect("mkdocs-wiki.md").title == "mkdocs-wiki"
    essay = parse_essay("title: 二分\n\n## 引入\n\n!!! note\n    x\n", path="/w/binary.md")
    assert essay.title == "二分"
    assert [s.title for s in essay.sections] == ["引入"]


# -- saved pages -------------------------------------------------------------------------


def test_wikipedias_explanatory_notes_are_footnotes_too() -> None:
    essay = dialect("wikipedia-saved.html")
    assert [note.text for note in essay.footnotes] == [
        "Lewis, P. Beautiful Railway Bridge of the Silvery Tay (2004).",
        "Rapley, J. Thomas Bouch (2006).",
        "Some accounts give 74, counting one passenger twice.",
        "See the Board of Trade inquiry.",
    ]
    text = essay.reading_text
    assert "killed,³ although" in text and "in the press.⁴" in text
    assert "[n 1]" not in text and "Notes" not in text and "References" not in text
    assert "75 [update] in the press" in text  # brackets in prose, no backslash


def test_relative_links_of_a_saved_page_lead_to_its_own_site() -> None:
    essay = dialect("wikipedia-saved.html")
    links = [
        (essay.reading_text[s.start : s.end], s.data)
        for b in essay.blocks
        for s in b.spans
        if s.kind is SpanKind.LINK
    ]
    assert ("Tay Bridge", "https://en.wikipedia.org/wiki/Tay_Bridge") in links
    assert ("when?", "https://en.wikipedia.org/wiki/Wikipedia:Manual_of_Style/Dates_and_numbers"
            "#Chronological_items") in links  # fmt: skip
    note = essay.footnotes_by_label["4"]
    assert [s.data for b in note.blocks for s in b.spans if s.kind is SpanKind.LINK] == [
        "https://en.wikipedia.org/wiki/Board_of_Trade"
    ]


def test_a_relative_link_is_left_as_it_is_without_an_address(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>T</title></head><body><article><p>See "
        "<a href='/wiki/X'>x</a> and <a href='#top'>top</a>.</p></article></body></html>",
        encoding="utf-8",
    )
    essay = load_essay(page)
    assert [s.data for b in essay.blocks for s in b.spans] == ["/wiki/X", "#top"]


def test_an_infoboxs_list_items_and_breaks_are_lines_of_their_cell() -> None:
    essay = dialect("wikipedia-infobox.html")
    (infobox,) = table_cells(essay)
    cells = dict((row[0], row[1]) for row in infobox)
    assert cells["Design"] == "Truss bridge\nWrought-iron lattice girders\nCast-iron piers"
    assert cells["Spoken languages"] == "English\nScots"
    assert cells["Opened"] == "1 June 1878\n20 June 1887 (second bridge)"
    assert cells["Engineers"] == "1. Thomas Bouch\n2. William Henry Barlow"
    assert cells["Lines"] == "Dundee · Wormit"  # a horizontal list, as the page shows it
    assert "<br>" not in essay.reading_text and "\ue003" not in essay.reading_text
    # a plainlist outside a table is still a list
    texts = [shown(essay, b) for b in essay.blocks]
    assert "Storm of 1879" in texts and "Board of Trade inquiry" in texts


def test_an_infobox_cell_is_drawn_a_line_per_item() -> None:
    from essaytui.widgets.table_layout import lay_out_table
    from essaytui.widgets.text_layout import wrap_text

    essay = dialect("wikipedia-infobox.html")
    (block,) = blocks_of(essay, BlockKind.TABLE)
    assert block.table is not None
    grid = lay_out_table(essay.reading_text, block.table, 76, wrap_text)
    # a header row and its rule, then a line per item: 1 + 3 + 2 + 2 + 2 + 1
    assert len(grid.lines) == 2 + 11


def test_a_pages_own_private_mark_is_no_line_break_and_a_pipe_stays_in_its_cell() -> None:
    from essaytui.model.html import page_to_essay

    page = "<html><body><table><tr><td>a\ue003b</td><td>c | d</td></tr></table></body></html>"
    markdown = page_to_essay(page).markdown
    assert "<br>" not in markdown and "| ab | c \\| d |" in markdown


def test_a_summary_stands_apart_from_its_answer() -> None:
    essay = dialect("wikipedia-saved.html")
    question = next(b for b in essay.blocks if shown(essay, b).startswith("▸"))
    assert shown(essay, question) == "▸ Why did the bridge fall?"
    assert [s.kind for s in question.spans] == [SpanKind.STRONG]
    source = "<details>\n<summary>How do I install it?</summary>\n\nRun it.\n\n</details>\n"
    essay = parse_essay(source)
    assert [shown(essay, b) for b in essay.blocks] == ["▸ How do I install it?", "Run it."]
    assert essay.blocks[0].spans[0].kind is SpanKind.STRONG


def test_a_link_around_an_image_and_a_label_is_reached_as_the_link() -> None:
    from essaytui.widgets.hyperlinks import essay_links

    essay = dialect("wikipedia-saved.html")
    found = [(essay.reading_text[s:e], ref.url, ref.image) for s, e, ref in essay_links(essay)]
    assert (
        "🖼 The fallen girders The fallen girders",
        "https://en.wikipedia.org/wiki/File:Tay_bridge_down.jpg",
        False,
    ) in found
    assert not [url for _, url, image in found if image]  # the image alone is not a stop


# -- smaller things ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "urls"),
    [
        ("[https://x.org/a](https://x.org/a).", ["https://x.org/a"]),
        ("See https://x.org/a, and [b](http://b.org).", ["https://x.org/a", "http://b.org"]),
        ("https://x.org/a_(b) (see https://c.org/d).", ["https://x.org/a_(b)", "https://c.org/d"]),
    ],
)
def test_a_notes_addresses_are_listed_once_without_the_sentences_punctuation(
    note: str, urls: list[str]
) -> None:
    from essaytui.widgets.sources import note_urls

    essay = parse_essay(f"Claim.[^1]\n\n[^1]: {note}\n")
    assert note_urls(essay.footnotes[0]) == urls


def test_an_outline_entry_reads_its_tex_as_text() -> None:
    essay = parse_essay("## 3.1 $\\textit{Socrates}$の外延\n\n## $\\alpha$-stable laws\n\nx\n")
    assert [s.title for s in essay.sections] == ["3.1 Socratesの外延", "α-stable laws"]
    assert essay.reading_text.startswith("3.1 $\\textit{Socrates}$の外延")  # the text keeps it


@pytest.mark.parametrize("path", ["report.Rmd", "post.qmd", "notes.md"])
def test_code_chunks_in_braces_stay_code(path: str) -> None:
    source = (
        "```{r setup, include=FALSE}\nlibrary(x)\n```\n\n```{python}\nprint(1)\n```\n\n"
        "```{.haskell}\nmain = 1\n```\n"
    )
    essay = parse_essay(source, path=path)
    assert [(b.kind, shown(essay, b)) for b in essay.blocks] == [
        (BlockKind.CODE, "library(x)"),
        (BlockKind.CODE, "print(1)"),
        (BlockKind.CODE, "main = 1"),
    ]


def test_the_front_matter_may_name_the_dialect() -> None:
    source = "---\ntitle: T\ndialect: myst\n---\n\n% a comment\n\nText.\n"
    assert parse_essay(source).reading_text == "Text."
    assert parse_essay(source.replace("myst", "klingon")).reading_text == "% a comment\n\nText."


@pytest.mark.parametrize(
    "line", ["^0^ and H~2~O", "I :smile: at :+1: you", "!!! note this", "(label)=", "[a]{.b} c"]
)
def test_a_copied_post_keeps_text_that_a_dialect_would_read(line: str) -> None:
    from essaytui.model.convert import convert_text

    essay = parse_essay(convert_text(f"A title\n\nBy X\n\n{line}\n").markdown)
    assert essay.reading_text.split("\n\n")[-1] == line


# -- any mix ---------------------------------------------------------------------------

_DIALECT_PIECES = st.sampled_from(
    [
        '!!! note "T"\n    body[^1]\n',
        "???+ tip\n    x\n",
        '=== "Tab"\n\n    ```py\n    x\n    ```\n',
        "::: {.callout-note}\n## Title\n",
        ":::{note}\n:class: x\n",
        ":::\n",
        "```{prf:theorem} T\n:label: t\nBody $x$.\n```\n",
        "```{raw} html\n<b>x</b>\n```\n",
        "```{r}\nx\n```\n",
        "(target)=\n",
        "{cite:t}`key` and {math}`x^2`",
        "a^[inline *note*]",
        "C~max~ 2^10^ [span]{.c}",
        ":smile: :no_such:",
        "\\[sic\\] \\[ x^2 \\]",
        "+---+---+\n| a | b |\n+===+===+\n| c | d |\n+---+---+\n",
        "  a    b\n---- ----\n  1    2\n",
        "-----\n a  b\n-- --\n 1  2\n\n-----\n",
        "<details><summary>Q</summary>A</details>",
        "## H $\\alpha$",
        "[",
        "^",
        "~",
        "{",
        "`",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_DIALECT_PIECES, min_size=1, max_size=10),
    st.sampled_from(["\n", "\n\n", " "]),
    st.sampled_from(["x.md", "x.qmd"]),
)
def test_any_mix_of_dialect_constructs_keeps_every_offset_inside(
    pieces: list[str], glue: str, path: str
) -> None:
    source = glue.join(pieces) + "\n\n[^1]: one\n"
    essay = parse_essay(source, path=path)
    text = essay.reading_text
    previous = 0
    for block in essay.blocks:
        assert previous <= block.start <= block.end <= len(text)
        previous = block.end
        for span in block.spans:
            assert block.start <= span.start <= span.end <= block.end
    for offset in essay.anchors.values():
        assert 0 <= offset <= len(text)
    for note in essay.footnotes:
        for start, end in note.refs:
            assert text[start:end].strip()


@pytest.mark.parametrize("name", ["mkdocs-wiki.md", "quarto-post.qmd", "myst-lecture.md"])
def test_a_dialect_document_parsed_in_chunks_reads_as_a_whole(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from essaytui.model.parse import chunks

    source = (DIALECTS / name).read_text(encoding="utf-8")
    head, _, body = source.partition("\n\n")  # a front matter or meta header stays first
    long = head + "\n\n" + "\n\n".join([body] * 30)
    whole = parse_essay(long, path=name)
    monkeypatch.setattr(chunks, "CHUNK_CHARS", 300)
    cut = parse_essay(long, path=name)
    assert cut.reading_text == whole.reading_text
    assert [(b.kind, b.quote_depth, b.callout) for b in cut.blocks] == [
        (b.kind, b.quote_depth, b.callout) for b in whole.blocks
    ]
