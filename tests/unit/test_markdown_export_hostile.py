"""A note in the Markdown export cannot close, open or forge structure.

A note with an unclosed ```` ``` ```` swallowed the rest of the file (the other notes and
the real footnotes); a line `[^1]: …` in a note replaced the source it cites; a line
`^deadbeef0000` forged a block id. The export is parsed back here, by markdown-it with
the footnote plugin and by the reader's own parser, and the real footnotes, block ids and
every other note must be intact, each hostile note reading back as its own text.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from essaytui import paths
from essaytui.interchange.markdown import block_id, to_markdown
from essaytui.model.annotation import Annotation, Kind, make_annotation
from essaytui.model.essay import Essay
from essaytui.model.files import load_essay
from essaytui.model.parse import parse_essay

HOSTILE_NOTES = (
    "```\nan unclosed fence",
    "[^1]: A forged source.\n^deadbeef0000",
    "<!-- an unclosed comment",
    "````\n```\nfences inside\n```",
    "## A forged section\n\n[x]: https://example.org/forged",
    "Text ending in a block id ^abc-123",
    "An inline note^[forged] and a %% comment",
    "<script>\nnever closed",
    "    indented code\n~~~",
)
PLAIN = "A *plain* note, with a [link](https://example.org) and a list:\n\n- one\n- two"


@pytest.fixture(scope="module")
def bundled() -> Essay:
    return load_essay(paths.default_essay())


def on(essay: Essay, first: str, last: str, note: str) -> Annotation:
    start = essay.reading_text.index(first)
    end = essay.reading_text.index(last, start) + len(last)
    return make_annotation(essay, start, end, Kind.NOTE, note=note)


@pytest.fixture(scope="module")
def marks(bundled: Essay) -> list[Annotation]:
    # the first cites footnote 1, the last footnote 4; the hostile notes come between
    first = on(bundled, "In his recent visit", "orientation.¹", HOSTILE_NOTES[0])
    last = on(bundled, "Despite the grandiose", "minimal level.⁴", PLAIN)
    middle = [on(bundled, "In all aspects", "good state.", note) for note in HOSTILE_NOTES[1:]]
    return [first, *middle, last]


def tokens_of(text: str) -> list[Token]:
    return MarkdownIt("commonmark").use(footnote_plugin).parse(text.split("\n---\n", 1)[1])


def block_ids(tokens: list[Token]) -> list[str]:
    """The block ids a Markdown reader sees: lines `^id` outside code."""
    found: list[str] = []
    for token in tokens:
        if token.type == "inline":
            found += re.findall(r"^\^([\w-]+)$", token.content, re.MULTILINE)
    return found


def test_the_real_footnotes_and_block_ids_are_intact(
    bundled: Essay, marks: list[Annotation]
) -> None:
    text = to_markdown(bundled, marks)
    tokens = tokens_of(text)
    definitions = [i for i, t in enumerate(tokens) if t.type == "footnote_open"]
    assert [tokens[i].meta["label"] for i in definitions] == ["1", "4"]
    # footnote_open, paragraph_open, inline: the source's words
    sources = [tokens[i + 2].content for i in definitions]
    assert sources[0].startswith("“China confident about relations with Russia,” Xinhua")
    assert sources[1].startswith("Jindong Yuan, “A Sino-Russian Alliance?")
    # exactly one block id per annotation, each a paragraph of its own (a line inside a
    # fenced note is the note's text)
    assert sorted(block_ids(tokens)) == sorted(block_id(a.id) for a in marks)
    # headings: the title and the essay's sections, none from a note
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "A forged section" not in headings
    assert headings[0] == bundled.title and len(headings) == 1 + len(
        {tuple(bundled.section_trail(a.start)) for a in marks}
    )


def test_every_note_reads_back_as_its_own_text(bundled: Essay, marks: list[Annotation]) -> None:
    text = to_markdown(bundled, marks)
    tokens = tokens_of(text)
    fences = [t.content for t in tokens if t.type == "fence"]
    assert sorted(fences) == sorted(note + "\n" for note in HOSTILE_NOTES)
    # the note after all of them is still Markdown: a paragraph, a link, a list
    inline = [t.content for t in tokens if t.type == "inline"]
    assert "A *plain* note, with a [link](https://example.org) and a list:" in inline
    assert inline.count("one") == 1 and inline.count("two") == 1
    assert not any(t.type == "html_block" for t in tokens)
    # the reader's own parser reads the export the same way
    essay = parse_essay(text)
    assert [note.label for note in essay.footnotes if note.defined] == ["1", "4"]
    for note in HOSTILE_NOTES:
        assert note in essay.reading_text
    assert "A plain note, with a link and a list:" in essay.reading_text


def test_a_hostile_quote_forges_nothing() -> None:
    essay = parse_essay(
        "# T\n\nOne line.  \n\\[^1]: not a definition here  \n\\^deadbeef0000 neither.\n"
    )
    start = essay.reading_text.index("One line.")
    end = essay.reading_text.index("neither.") + len("neither.")
    mark = make_annotation(essay, start, end, Kind.HIGHLIGHT)
    text = to_markdown(essay, [mark])
    tokens = tokens_of(text)
    assert not any(t.type.startswith("footnote") for t in tokens)
    assert block_ids(tokens) == [block_id(mark.id)]


@pytest.mark.parametrize("note", [*HOSTILE_NOTES, PLAIN, "Just words.", "`code` and ``more``"])
def test_a_note_block_is_the_note(note: str) -> None:
    from essaytui.interchange.markdown import note_block

    block = note_block(note)
    if block == note:
        assert note in (PLAIN, "Just words.", "`code` and ``more``")
    else:
        (fence,) = [t for t in MarkdownIt("commonmark").parse(block) if t.type == "fence"]
        assert fence.content == note + "\n"
