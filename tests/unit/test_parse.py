"""Markdown → Essay: blocks, reading text, outline, footnotes, front matter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from essaytui import paths
from essaytui.model.essay import BlockKind, Essay, SpanKind
from essaytui.model.files import load_essay
from essaytui.model.identity import title_hash as essay_id
from essaytui.model.parse import parse_essay
from essaytui.model.parse.chunks import CHUNK_CHARS
from essaytui.model.parse.front_matter import plain_mapping
from essaytui.model.parse.tokens import RULE_TEXT
from essaytui.model.text import BLOCK_SEPARATOR, sentence_bounds, superscript

DATA = Path(__file__).parent.parent / "data"


def tiny() -> Essay:
    return load_essay(DATA / "tiny.md")


def spans_of(essay: Essay, kind: SpanKind) -> list[tuple[str, str]]:
    return [
        (essay.reading_text[span.start : span.end], span.data)
        for block in essay.blocks
        for span in block.spans
        if span.kind == kind
    ]


def check_invariants(essay: Essay) -> None:
    """Everything lies inside the reading text, in order, and nothing is unsafe."""
    text = essay.reading_text
    length = len(text)
    previous_end = -1
    for block in essay.blocks:
        assert 0 <= block.start <= block.end <= length
        assert block.start > previous_end
        previous_end = block.end
        starts = [span.start for span in block.spans]
        assert starts == sorted(starts)
        for span in block.spans:
            assert block.start <= span.start <= span.end <= block.end
    if essay.blocks:
        pieces = [text[block.start : block.end] for block in essay.blocks]
        assert BLOCK_SEPARATOR.join(pieces) == text
    for section in essay.sections:
        assert 0 <= section.start <= section.end <= length
        assert section.parent < section.index
    for note in essay.footnotes:
        for start, end in note.refs:
            assert 0 <= start < end <= length
        for block in note.blocks:
            assert 0 <= block.start <= block.end <= len(note.text)
            for span in block.spans:
                assert block.start <= span.start <= span.end <= block.end
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", note.text)
    for term in essay.glossary:
        for start, end in term.occurrences:
            assert 0 <= start < end <= length
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


# -- the tiny essay with every feature ------------------------------------------------


def test_tiny_metadata() -> None:
    essay = tiny()
    assert essay.id == "tiny-essay"
    assert essay.title == "A tiny essay on partners"
    assert essay.author == "Ada Example"
    assert essay.meta == {
        "series": "Part 1",
        "author_note": "Ada Example writes about small things.",
        "source": "https://example.org/tiny",
        "editorial_note": "Headings were added for this edition.",
    }
    assert essay.warnings == ()
    assert essay.complete
    assert essay.source_path == str((DATA / "tiny.md").resolve())
    check_invariants(essay)


def test_tiny_sections_nest_by_level() -> None:
    essay = tiny()
    outline = [(s.title, s.level, s.parent) for s in essay.sections]
    assert outline == [("The claim", 2, -1), ("A closer look", 3, 0), ("The doubts", 2, -1)]
    claim, closer, doubts = essay.sections
    assert claim.end == doubts.start
    assert closer.end == doubts.start
    assert doubts.end == len(essay.reading_text)
    assert essay.reading_text[claim.start :].startswith("The claim")
    assert essay.section_trail(closer.start + 20) == ["The claim", "A closer look"]


def test_tiny_inline_spans() -> None:
    essay = tiny()
    assert spans_of(essay, SpanKind.EMPHASIS) == [("comprehensive strategic partnership", "")]
    assert ("official", "") in spans_of(essay, SpanKind.STRONG)
    assert spans_of(essay, SpanKind.CODE) == [("joint statements", "")]
    links = spans_of(essay, SpanKind.LINK)
    assert ("Kremlin site", "https://example.org/kremlin") in links
    assert spans_of(essay, SpanKind.STRIKE) == [("$88bn", "")]


def test_tiny_blocks_quote_list_table_code_rule_definition() -> None:
    essay = tiny()
    text = essay.reading_text
    by_text = {text[b.start : b.end]: b for b in essay.blocks}
    quote = next(b for b in essay.blocks if b.quote_depth == 1)
    assert text[quote.start : quote.end].startswith("“We are friends forever,”")
    bullet = by_text["trade along OBOR;"]
    assert (bullet.list_depth, bullet.marker, bullet.kind) == (1, "•", BlockKind.PARAGRAPH)
    assert by_text["second, the economy."].marker == "2."
    table = next(b for b in essay.blocks if b.kind is BlockKind.TABLE)
    assert text[table.start : table.end] == "Year │ Trade\n2014 │ $88bn $95bn\n2015 │ $68bn"
    assert table.table is not None and table.table.header == 1
    assert [[text[s:e] for s, e in row] for row in table.table.rows][0] == ["Year", "Trade"]
    assert by_text['route = "land + sea"'].kind == BlockKind.CODE
    assert by_text[RULE_TEXT].kind == BlockKind.RULE
    assert by_text["Term of art"].kind == BlockKind.DEFINITION_TERM
    assert by_text["A phrase with a special meaning."].kind == BlockKind.DEFINITION
    image = by_text["🖼 A map of the routes"]  # an image: its sign and alt text
    assert [span.kind for span in image.spans] == [SpanKind.IMAGE]
    heading = by_text["A closer look"]
    assert (heading.kind, heading.level) == (BlockKind.HEADING, 3)


def test_tiny_footnotes_numbered_by_first_reference_with_every_ref() -> None:
    essay = tiny()
    text = essay.reading_text
    xinhua, ft = essay.footnotes
    assert (xinhua.label, xinhua.number, ft.label, ft.number) == ("xinhua", 1, "ft", 2)
    assert len(xinhua.refs) == 2
    assert all(text[s:e] == "¹" for s, e in xinhua.refs)
    assert [text[s:e] for s, e in ft.refs] == ["²"]
    assert xinhua.text == "“China confident about ties”, Xinhua, March 12, 2016."
    assert essay.footnote_refs[0] == (*xinhua.refs[0], "xinhua")
    refs = spans_of(essay, SpanKind.FOOTNOTE_REF)
    assert refs == [("¹", "xinhua"), ("¹", "xinhua"), ("²", "ft")]


def test_footnote_with_two_paragraphs_a_link_and_chinese() -> None:
    note = tiny().footnotes_by_label["ft"]
    assert note.text == (
        "Financial Times, “Russia and China”, 2016. See the article."
        + BLOCK_SEPARATOR
        + "A second paragraph of the note, with a Chinese title: 《中俄关系》."
    )
    assert len(note.blocks) == 2
    link = note.blocks[0].spans[0]
    assert (note.text[link.start : link.end], link.kind, link.data) == (
        "the article",
        SpanKind.LINK,
        "https://example.org/ft",
    )


def test_quote_skips_footnote_markers() -> None:
    essay = tiny()
    start = essay.reading_text.index("China and Russia")
    end = essay.reading_text.index("The phrase")
    assert essay.quote(start, end).endswith("partnership.")


def test_edited_copy_differs_only_in_the_edits() -> None:
    before, after = tiny(), load_essay(DATA / "edited-tiny.md")
    assert before.id == after.id
    assert "frustations" in before.reading_text
    assert "frustrations" in after.reading_text
    assert "Observers have noted this for years." in after.reading_text
    assert "The historian’s view is sober." in before.reading_text
    assert "The historian’s view is sober." not in after.reading_text


# -- reading text details -------------------------------------------------------------------


def test_softbreak_is_a_space_hardbreak_a_newline() -> None:
    essay = parse_essay("one\ntwo  \nthree\\\nfour")
    assert essay.reading_text == "one two\nthree\nfour"


def test_blocks_joined_by_separator() -> None:
    essay = parse_essay("# Title\n\nFirst.\n\nSecond.")
    assert essay.reading_text == "Title\n\nFirst.\n\nSecond."
    assert [b.kind for b in essay.blocks] == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
    ]


def test_nested_lists_and_quotes_depths() -> None:
    essay = parse_essay("> quoted\n>\n> > deeper\n\n- a\n  - b\n    1. c\n")
    depths = [(b.quote_depth, b.list_depth, b.marker) for b in essay.blocks]
    assert depths == [(1, 0, ""), (2, 0, ""), (0, 1, "•"), (0, 2, "•"), (0, 3, "1.")]


def test_list_item_with_two_paragraphs_marks_only_the_first() -> None:
    essay = parse_essay("- first para\n\n  second para\n- next\n")
    assert [b.marker for b in essay.blocks] == ["•", "", "•"]


def test_headings_inside_quotes_and_lists_are_not_sections() -> None:
    essay = parse_essay("# Real\n\n> # Quoted\n\n- # Listed\n\n## Also real\n")
    assert [s.title for s in essay.sections] == ["Real", "Also real"]
    assert essay.sections[1].parent == 0


def test_section_end_is_next_heading_of_same_or_higher_level() -> None:
    essay = parse_essay("# A\n\ntext\n\n## B\n\nb\n\n### C\n\nc\n\n## D\n\nd\n\n# E\n\ne")
    sections = {s.title: s for s in essay.sections}
    assert sections["A"].end == sections["E"].start
    assert sections["B"].end == sections["D"].start
    assert sections["C"].end == sections["D"].start
    assert sections["C"].parent == sections["B"].index
    assert sections["E"].end == len(essay.reading_text)


def test_no_headings_gives_no_sections_and_file_name_title() -> None:
    essay = load_essay(DATA / "no-headings.md")
    assert essay.sections == ()
    assert essay.title == "no-headings"
    assert len(essay.blocks) == 3


def test_title_fallbacks() -> None:
    assert parse_essay("# First heading[^1]\n\n[^1]: n").title == "First heading"
    assert parse_essay("text", path="/x/my-essay.md").title == "my-essay"
    assert parse_essay("text").title == "Untitled"


def test_essay_id_is_hash_of_title_and_author() -> None:
    essay = parse_essay("---\ntitle: T\nauthor: A\n---\ntext")
    assert essay.id == essay_id("T", "A")
    assert essay.id != essay_id("T", "B")
    assert re.fullmatch(r"[0-9a-f]{16}", essay.id)
    moved = parse_essay("---\ntitle: T\nauthor: A\n---\ntext", path="/elsewhere/x.md")
    assert moved.id == essay.id


def test_no_front_matter_fixture() -> None:
    essay = load_essay(DATA / "no-front-matter.md")
    assert essay.title == "Plain Markdown Essay"
    assert essay.author == ""
    assert [s.title for s in essay.sections] == ["Plain Markdown Essay", "Part one", "Part two"]
    assert essay.footnotes[0].number == 1
    check_invariants(essay)


def test_malformed_front_matter_warns_and_body_opens() -> None:
    essay = load_essay(DATA / "malformed-front-matter.md")
    assert any("front matter" in w for w in essay.warnings)
    assert "This paragraph must be shown" in essay.reading_text
    assert "unclosed" not in essay.reading_text
    assert essay.title == "The body still opens"


def test_unclosed_front_matter_is_just_markdown() -> None:
    essay = parse_essay("---\ntitle: x\n\nBody text.")
    assert "Body text." in essay.reading_text


def test_front_matter_that_is_not_a_mapping_is_kept_as_text() -> None:
    essay = parse_essay("---\nJust a line of prose\n---\n\nMore.")
    assert "Just a line of prose" in essay.reading_text


def test_front_matter_values_become_strings() -> None:
    essay = parse_essay(
        "---\ntitle: 2016\nseries: [a, b]\ndate: 2016-03-12\nnested: {a: 1}\n---\nx"
    )
    assert essay.title == "2016"
    assert essay.meta == {"series": "a, b", "date": "2016-03-12"}


def test_code_block_keeps_lines_and_is_not_parsed() -> None:
    essay = parse_essay("```\n*not em* [^1]\n  indented\n```\n\n    indented code\n")
    assert [b.kind for b in essay.blocks] == [BlockKind.CODE, BlockKind.CODE]
    assert essay.reading_text == "*not em* [^1]\n  indented\n\nindented code"
    assert essay.footnotes == ()


def test_html_is_shown_without_tags() -> None:
    essay = parse_essay("<div>\n<p>Inside</p>\n</div>\n\nline<br>break <span>x</span>")
    assert essay.reading_text == "Inside\n\nline\nbreak x"


def test_html_comments_and_scripts_are_hidden() -> None:
    source = "<!-- a\n\nhidden comment -->\n\n<script>\nalert(1)\n</script>\n\nShown."
    assert parse_essay(source).reading_text == "Shown."


def test_entities_decoded_and_unsafe_entities_inert() -> None:
    essay = parse_essay("a &amp; b &#x1b;[31m &#x202e;c")
    assert essay.reading_text.startswith("a & b ")
    check_invariants(essay)


def test_link_reference_definitions_resolve() -> None:
    essay = parse_essay("See [the site][ref].\n\n[ref]: https://example.org/ref")
    assert spans_of(essay, SpanKind.LINK) == [("the site", "https://example.org/ref")]


# -- footnote edge cases ---------------------------------------------------------------------


def edge() -> Essay:
    return load_essay(DATA / "footnote-edge-cases.md")


def test_undefined_reference_is_kept_literally_with_a_warning() -> None:
    essay = edge()
    note = essay.footnotes_by_label["missing"]
    assert not note.defined
    assert note.number == 0
    assert [essay.reading_text[s:e] for s, e in note.refs] == ["[^missing]"]
    assert ("[^missing]", "missing") in spans_of(essay, SpanKind.FOOTNOTE_REF)
    assert "footnote [^missing] is referenced but never defined" in essay.warnings


def test_duplicate_definition_first_wins() -> None:
    essay = edge()
    assert essay.footnotes_by_label["dup"].text == "The first definition wins."
    assert any("[^dup]" in w and "more than once" in w for w in essay.warnings)


def test_unreferenced_definition_listed_last_with_number_zero() -> None:
    essay = edge()
    orphan = essay.footnotes[-1]
    assert (orphan.label, orphan.number, orphan.refs, orphan.defined) == ("orphan", 0, (), True)
    assert orphan.text == "Defined but never referenced."
    assert "footnote [^orphan] is defined but never referenced" in essay.warnings


def test_references_in_heading_list_and_quote() -> None:
    essay = edge()
    text = essay.reading_text
    numbered = [(n.label, n.number) for n in essay.footnotes if n.number]
    assert numbered == [("heading", 1), ("dup", 2), ("list", 3), ("quote", 4), ("self", 5)]
    heading = essay.footnotes_by_label["heading"]
    assert len(heading.refs) == 2  # from the heading and from the second list item
    assert text[heading.refs[0][0] : heading.refs[0][1]] == "¹"
    assert essay.sections[0].title == "A heading with a note"
    list_ref = essay.footnotes_by_label["list"].refs[0]
    block = essay.blocks[essay.block_index_at(list_ref[0])]
    assert block.list_depth == 1
    quote_ref = essay.footnotes_by_label["quote"].refs[0]
    assert essay.blocks[essay.block_index_at(quote_ref[0])].quote_depth == 1


def test_self_referencing_footnote_does_not_loop() -> None:
    note = edge().footnotes_by_label["self"]
    assert note.text == "This note refers to itself⁵ and to another.¹"
    assert [span.data for span in note.blocks[0].spans] == ["self", "heading"]
    assert len(note.refs) == 2  # only the references in the essay count


def test_reference_inside_a_note_to_a_note_numbered_later() -> None:
    essay = parse_essay("[^a]: cites [^b] early.\n\nText[^a] and[^b].\n\n[^b]: bee")
    note = essay.footnotes_by_label["a"]
    assert note.text == "cites ² early."
    span = note.blocks[0].spans[0]
    assert (note.text[span.start : span.end], span.data) == ("²", "b")


def test_note_cited_only_by_another_note_is_not_warned_about() -> None:
    essay = parse_essay("Text[^a].\n\n[^a]: see [^b]\n[^b]: inner")
    assert essay.footnotes_by_label["b"].number == 0
    assert not any("never referenced" in w for w in essay.warnings)
    assert essay.footnotes_by_label["a"].text == "see [^b]"


def test_definitions_before_references_still_number_by_reference() -> None:
    essay = parse_essay("[^z]: zed\n[^y]: why\n\nFirst[^y] then[^z].")
    assert [(n.label, n.number) for n in essay.footnotes] == [("y", 1), ("z", 2)]


def test_many_footnote_warnings_are_summarised() -> None:
    source = " ".join(f"x[^n{i}]" for i in range(200))
    essay = parse_essay(source)
    assert len(essay.warnings) == 50
    assert essay.warnings[-1].startswith("… and 151 more")


# -- chunked parsing and the limit ------------------------------------------------------------


def long_source(paragraphs: int) -> str:
    parts = ["---\ntitle: Long\n---\n"]
    for index in range(paragraphs):
        if index % 50 == 0:
            parts.append(f"## Section {index // 50}\n\n")
        parts.append(
            f"Paragraph {index} cites a note[^n{index % 300}] and has *some* text " * 4 + "\n\n"
        )
        if index % 97 == 0:
            parts.append("```\ncode\n\nwith a blank line\n```\n\n")
    parts.extend(f"[^n{i}]: Note {i} with a [link](https://example.org/{i}).\n" for i in range(300))
    return "".join(parts)


def test_chunked_parse_resolves_late_definitions() -> None:
    source = long_source(3000)
    assert len(source) > 3 * CHUNK_CHARS
    essay = parse_essay(source)
    check_invariants(essay)
    assert essay.warnings == ()
    assert [n.number for n in essay.footnotes] == list(range(1, 301))
    assert all(n.defined and n.text.startswith("Note ") for n in essay.footnotes)
    first = essay.footnotes[0]
    assert essay.reading_text[first.refs[0][0] : first.refs[0][1]] == "¹"
    assert len(essay.sections) == 60
    codes = [b for b in essay.blocks if b.kind == BlockKind.CODE]
    assert all(essay.reading_text[b.start : b.end] == "code\n\nwith a blank line" for b in codes)


def test_chunked_parse_matches_single_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    source = long_source(400)
    whole = parse_essay(source)
    import essaytui.model.parse.chunks as parse_module

    monkeypatch.setattr(parse_module, "CHUNK_CHARS", 5_000)
    chunked = parse_essay(source)
    assert chunked.reading_text == whole.reading_text
    assert chunked.blocks == whole.blocks
    assert chunked.footnotes == whole.footnotes
    assert chunked.sections == whole.sections


def test_limit_parses_a_prefix_of_the_same_reading_text() -> None:
    source = long_source(1000)
    whole = parse_essay(source)
    part = parse_essay(source, limit=20_000)
    assert not part.complete
    assert whole.complete
    assert 10_000 < len(part.reading_text) < 40_000
    assert whole.reading_text.startswith(part.reading_text)
    assert part.blocks == whole.blocks[: len(part.blocks)]
    assert part.id == whole.id and part.title == whole.title
    assert not any("never defined" in w for w in part.warnings)
    note = part.footnotes[0]
    assert note.defined and note.number == 1
    # definitions at the end of the file are found for the notes cited so far
    for shown, full in zip(part.footnotes, whole.footnotes, strict=False):
        assert (shown.label, shown.number, shown.text, shown.blocks) == (
            full.label,
            full.number,
            full.text,
            full.blocks,
        )
        assert shown.refs == full.refs[: len(shown.refs)]
    check_invariants(part)


def test_limit_larger_than_source_is_complete() -> None:
    essay = parse_essay("short text", limit=1000)
    assert essay.complete


# -- properties ------------------------------------------------------------------------------

_PIECES = [
    *"ab *_`[]^:()>-+#|~!\n\t\\1.<>&;",
    "[^1]",
    "[^x]: ",
    "\x1b",
    "中",
    "İ",
    "\u202e",
    "\n\n",
]
_MARKDOWNISH = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.one_of(_MARKDOWNISH, st.text(max_size=200)))
def test_any_text_parses_within_bounds(source: str) -> None:
    essay = parse_essay(source, glossary_source="a | B\n: def\n\nx y\n: z")
    check_invariants(essay)
    assert superscript(1) == "¹"


@settings(max_examples=100, deadline=None)
@given(source=_MARKDOWNISH, limit=st.integers(min_value=0, max_value=200))
def test_any_text_with_a_limit_parses_within_bounds(source: str, limit: int) -> None:
    check_invariants(parse_essay(source, limit=limit))


def test_cjk_fixture() -> None:
    essay = load_essay(DATA / "cjk.md")
    assert essay.title == "中俄关系的历史"
    assert essay.author == "陈先生"
    assert [s.title for s in essay.sections] == ["第一部分", "第二部分"]
    assert "東京は日本の首都です。" in essay.reading_text
    first, second = essay.footnotes
    assert first.text == "《中俄关系》，新华社，2016年3月12日。"
    assert essay.reading_text[first.refs[0][0] : first.refs[0][1]] == "¹"
    assert second.text.startswith("日本語の注")
    check_invariants(essay)


@pytest.mark.parametrize(
    "name",
    sorted(
        str(path.relative_to(DATA))
        for path in DATA.rglob("*.md")
        if "blog" not in path.relative_to(DATA).parts
    ),
)
def test_every_fixture_loads_within_bounds(name: str) -> None:
    essay = load_essay(DATA / name)
    assert essay.reading_text
    check_invariants(essay)


_BLOCKY = st.lists(
    st.sampled_from(
        [
            "a",
            "b c",
            "*",
            "`",
            "\n",
            "\n\n",
            "> ",
            "- ",
            "1. ",
            "## h\n",
            "    ",
            "[^1]",
            "[^2]",
            "[^1]: note\n",
            "[^2]: two\n",
            "```\n",
            "~~~\n",
            "<!--",
            "-->",
            "<pre>",
            "</pre>",
            "|a|b|\n|-|-|\n",
            "Term\n: def\n",
            ": ",
            "---\n",
            "[x](/u)",
        ]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(source=_BLOCKY, limit=st.integers(min_value=0, max_value=100))
def test_a_prefix_parse_is_a_prefix_of_the_full_parse(source: str, limit: int) -> None:
    whole = parse_essay(source)
    part = parse_essay(source, limit=limit)
    assert whole.reading_text.startswith(part.reading_text)
    assert part.blocks == whole.blocks[: len(part.blocks)]


@settings(max_examples=300, deadline=None)
@given(source=_BLOCKY, size=st.integers(min_value=1, max_value=100))
def test_chunked_parse_equals_single_parse(source: str, size: int) -> None:
    import essaytui.model.parse.chunks as parse_module

    whole = parse_essay(source)
    saved = parse_module.CHUNK_CHARS
    parse_module.CHUNK_CHARS = size
    try:
        chunked = parse_essay(source)
    finally:
        parse_module.CHUNK_CHARS = saved
    assert chunked.reading_text == whole.reading_text
    assert chunked.blocks == whole.blocks
    assert chunked.footnotes == whole.footnotes


# -- any Markdown-like text: it ends, all lies inside, a part is a prefix --
#
# The alphabet is made of the pieces that open, close or continue blocks, so the
# examples reach the corners where a cut could change how either side parses: HTML
# blocks and comments, fences, lazy continuation lines, link reference definitions,
# footnote definitions, lists, quotes and definition lists.

_BLOCK_PIECES = [
    ">",
    "> ",
    "-",
    "- ",
    "*",
    "1.",
    "1. ",
    "2) ",
    "[^",
    "[^1]",
    "[^a]: ",
    "]:",
    "[",
    "]",
    "[x]",
    "[x]: /u",
    "](/v)",
    "<!--",
    "-->",
    "<!-->",
    "```",
    "~~~",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<?",
    "?>",
    "<!X",
    "<![CDATA[",
    "]]>",
    ": ",
    "Term\n: ",
    "#",
    "## ",
    "|a|b|\n|-|-|\n",
    "---",
    "===",
    "\n",
    "\n\n",
    " ",
    "  ",
    "    ",
    "a",
    "b c",
    "`",
    "_",
]
# lines of a few pieces each, a third of them blank, so that there are places to cut
_LINE = st.one_of(
    st.just(""), st.lists(st.sampled_from(_BLOCK_PIECES), min_size=1, max_size=6).map("".join)
)
_MARKDOWN = st.lists(st.one_of(_LINE, st.just("")), max_size=24).map("\n".join)


def assert_prefix(part: Essay, whole: Essay) -> None:
    assert whole.reading_text.startswith(part.reading_text)
    assert part.blocks == whole.blocks[: len(part.blocks)]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_MARKDOWN, limit=st.integers(min_value=0, max_value=120))
@example(source="<!--> \n```\n-->\n\na", limit=0)  # hypothesis found it
@example(source="<div>\n```\n\n```\nin code\n\nstill code\n\n```\n\nafter", limit=0)
@example(source="- a\n\n  ```\n  x\n\nfoo\n\n```\nbar\n\nin code", limit=0)
@example(source="- a\n\n  <pre>\n\nfoo\n\n<!--\n\n</pre>\n\nhidden\n\n-->\n\nb", limit=0)
@example(source="[a]\n\n- [a]: /u\n\n[b]\n\n> [b]: /v", limit=0)
@example(source="x [^1]\n\n> q\n[^1]: lazy, not a note\n\nz", limit=0)
def test_markdown_parses_within_bounds_and_a_part_is_a_prefix(source: str, limit: int) -> None:
    whole = parse_essay(source)
    check_invariants(whole)
    part = parse_essay(source, limit=limit)
    check_invariants(part)
    assert_prefix(part, whole)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_MARKDOWN, size=st.integers(min_value=1, max_value=60))
def test_markdown_parsed_in_chunks_equals_one_parse(source: str, size: int) -> None:
    import essaytui.model.parse.chunks as parse_module

    whole = parse_essay(source)
    saved = parse_module.CHUNK_CHARS
    parse_module.CHUNK_CHARS = size
    try:
        chunked = parse_essay(source)
    finally:
        parse_module.CHUNK_CHARS = saved
    assert chunked.reading_text == whole.reading_text
    assert chunked.blocks == whole.blocks
    assert chunked.footnotes == whole.footnotes


# -- front matter without PyYAML: the same answers -----------------------------------

_YAML_PIECES = st.sampled_from(
    [
        "a",
        "Dean",
        " ",
        "  ",
        "Chen",
        "’",
        "'",
        "''",
        '"',
        "\\",
        ":",
        ": ",
        " #",
        "#",
        ",",
        "[",
        "]",
        "{",
        "}",
        "-",
        "?",
        "&",
        "*",
        "!",
        "|",
        ">",
        "%",
        "@",
        "`",
        "\t",
        "0",
        "12",
        "1.5",
        "0x1F",
        "2016-04-17",
        "yes",
        "No",
        "ON",
        "off",
        "null",
        "~",
        "true",
        "y",
        "n",
        ".inf",
        "\n\u00a0\n",
        "\n \n",
        "\u3000",
        "<<",
        "=",
        "中国",
        "é",
        "\u00a0",
        "\u2028",
        "\x85",
        "\x07",
    ]
)
_KEYS = st.sampled_from(["id", "title", "author", "yes", "on", "Null", "a-b", "x_1", "2", "-k"])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(
            _KEYS,
            st.sampled_from([": ", ":", ":  ", " : "]),
            st.sampled_from(["", "", "'", '"']),  # quoted, or not
            st.sampled_from(["", "A", "é", "中"]),  # mostly starting with a letter
            st.lists(_YAML_PIECES, max_size=6),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_plain_front_matter_reads_as_pyyaml_does(
    entries: list[tuple[str, str, str, str, list[str]]],
) -> None:
    import yaml

    raw = "\n".join(
        key + colon + quote + first + "".join(pieces) + quote
        for key, colon, quote, first, pieces in entries
    )
    mine = plain_mapping(raw)
    if mine is None:
        return  # left to PyYAML
    assert mine == yaml.safe_load(raw)
    assert all(isinstance(value, str) for value in mine.values())


def test_lines_pyyaml_refuses_are_left_to_it() -> None:
    # a line holding only a no-break space is not blank to YAML, nor is a 2000-character key
    assert plain_mapping("title: a\n\u00a0\nauthor: b") is None
    assert plain_mapping("k" * 2000 + ": value") is None
    assert plain_mapping("title: a\n   \nauthor: b") == {"title": "a", "author": "b"}


def test_the_bundled_front_matter_needs_no_pyyaml() -> None:
    source = paths.default_essay().read_text(encoding="utf-8")
    raw = source.split("---\n")[1]
    mine = plain_mapping(raw)
    assert mine is not None and mine["title"] == "Strategic partners with caveats: China & Russia"
    import yaml

    assert mine == yaml.safe_load(raw)


# -- sentences -------------------------------------------------------------------------


def test_a_footnote_marker_belongs_to_the_sentence_it_ends() -> None:
    text = "It is the main orientation.¹ This demonstration seems false. Last one."
    marker = text.index("¹")
    first = (0, marker + 1)
    assert sentence_bounds(text, marker) == first
    assert sentence_bounds(text, 3) == first
    second = sentence_bounds(text, text.index("This"))
    assert text[slice(*second)] == "This demonstration seems false."
    assert text[slice(*sentence_bounds(text, len(text) - 1))] == "Last one."


@given(st.lists(st.sampled_from(["Word", " ", ". ", ".¹ ", "!” ", "\n\n", "a"]), max_size=30))
def test_sentences_contain_their_offset_and_do_not_start_with_space(pieces: list[str]) -> None:
    text = "".join(pieces)
    for offset in range(len(text) + 1):
        start, end = sentence_bounds(text, offset)
        assert 0 <= start <= end <= len(text)
        assert start == end or not text[start].isspace()
        # a marker right after a sentence's full stop is never the start of the next one
        assert not (0 < start < end and text[start] == "¹" and text[start - 1] in ".!”")
