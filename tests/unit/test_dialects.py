"""The Markdown dialects people write (issue 22): brackets that are only brackets,
pandoc's inline notes, documentation-site containers, MyST, pandoc's tables and
inline extensions, saved pages. The fixtures in tests/data/dialects are modelled on
public documents (pandoc and Quarto blogs, bookdown books, Material for MkDocs pages,
Jupyter Book lectures, a saved Wikipedia article)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
