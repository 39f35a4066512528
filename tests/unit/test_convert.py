"""`convert_text`: blog posts copied as plain text become essay Markdown files.

Each fixture in `tests/data/blog/` is a different shape of copied post; the
converted Markdown is parsed with the real parser and its reading text is
compared with the post's own paragraphs and notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from essaytui.model.convert import (
    Conversion,
    ConvertError,
    convert_text,
    is_header_leftover,
    is_leftover,
)
from essaytui.model.essay import BlockKind, Essay, SpanKind
from essaytui.model.parse import parse_essay

ROOT = Path(__file__).resolve().parents[2]
BLOG = ROOT / "tests" / "data" / "blog"
BUNDLED = ROOT / "content" / "strategic-partners-with-caveats" / "essay.md"


def _convert(name: str) -> tuple[Conversion, Essay]:
    conversion = convert_text((BLOG / name).read_text("utf-8"))
    return conversion, parse_essay(conversion.markdown)


def _body(essay: Essay) -> list[str]:
    return [
        essay.reading_text[block.start : block.end]
        for block in essay.blocks
        if block.kind is not BlockKind.HEADING
    ]


def _notes(essay: Essay) -> list[tuple[str, str, int]]:
    return [(note.label, note.text, len(note.refs)) for note in essay.footnotes]


def _front_matter(markdown: str) -> dict[str, str]:
    if not markdown.startswith("---\n"):
        return {}
    data = yaml.safe_load(markdown.split("---\n", 2)[1])
    assert isinstance(data, dict)
    return data


# -- the seed ------------------------------------------------------------------------


SEED_LEFTOVERS = (
    "Leave a Reply",
    "Fill in your details below or click an icon to log in: Logo",
    "You are commenting using your account. Log\u00a0Out\u00a0/\u00a0 Change\u00a0)",
    "Google+ photo",
    "You are commenting using your Google+ account. Log\u00a0Out\u00a0/\u00a0 Change\u00a0)",
    "Twitter picture",
    "You are commenting using your Twitter account. Log\u00a0Out\u00a0/\u00a0 Change\u00a0)",
    "Facebook photo",
    "You are commenting using your Facebook account. Log\u00a0Out\u00a0/\u00a0 Change\u00a0)",
    "Connecting to %s",
    "%d bloggers like this:",
)


def test_the_seed_converts_to_the_bundled_essay_headings_aside() -> None:
    conversion, converted = _convert("strategic-partners-with-caveats.txt")
    bundled = parse_essay(BUNDLED.read_text("utf-8"))
    assert _body(converted) == _body(bundled)
    assert _notes(converted) == _notes(bundled)
    assert len(_notes(converted)) == 7
    assert converted.sections == ()
    assert converted.warnings == ()


def test_the_seed_s_metadata_matches_the_bundled_essay() -> None:
    conversion, converted = _convert("strategic-partners-with-caveats.txt")
    bundled = parse_essay(BUNDLED.read_text("utf-8"))
    assert converted.title == bundled.title == "Strategic partners with caveats: China & Russia"
    assert converted.author == bundled.author == "Dean Chen"
    for key in ("series", "author_note"):
        assert converted.meta[key] == bundled.meta[key]


def test_the_seed_s_leftovers_are_removed_and_reported() -> None:
    conversion, _ = _convert("strategic-partners-with-caveats.txt")
    assert conversion.removed == SEED_LEFTOVERS
    assert conversion.warnings == ()
    for leftover in ("Leave a Reply", "bloggers like this", "Log\u00a0Out", "Connecting to"):
        assert leftover not in conversion.markdown


# -- other shapes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What a fixture converts to."""

    meta: dict[str, str]
    body: list[str]
    notes: list[tuple[str, str, int]] = field(default_factory=list)
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


EXPECTED: dict[str, Expected] = {
    "wordpress-numbered-notes.txt": Expected(
        meta={
            "title": "Grain, gas and goodwill: notes on a cold winter",
            "series": "Part 2",
            "author": "Maria Ortiz",
        },
        body=[
            "When the pipeline talks stalled in January, few people outside the ministries "
            "noticed.¹ By February, the shortage had reached the markets, and the price of "
            "bread in the capital had doubled.²",
            "The government's first reply was to blame the weather. Its second reply, a week "
            "later, was to blame its neighbours. Neither reply convinced many, and readers of "
            "the main paper were invited to “share this story” with their representatives.",
            "Officials insisted that the reserves would last until spring.³ They did not.",
        ],
        notes=[
            ("1", "Energy Ministry, “Statement on supply negotiations,” January 14, 2019.", 1),
            ("2", "National Statistics Office, Monthly Price Bulletin, February 2019, p. 4.", 1),
            ("3", "Interview with the deputy minister, Evening News, March 2, 2019.", 1),
        ],
        removed=(
            "Share this:",
            "Twitter",
            "Facebook",
            "Like this:",
            "Like Loading...",
            "Related",
            "Leave a Reply Cancel reply",
            "Your email address will not be published. Required fields are marked *",
            "Comment",
            "Name *",
            "Email *",
            "Website",
            "Notify me of new posts via email.",
        ),
    ),
    "medium-bracket-notes.txt": Expected(
        meta={"title": "Why small libraries matter", "author": "Jonah Abebe"},
        body=[
            "The village library opened in 1952 with three hundred books and one lamp.¹ It "
            "still opens every afternoon, and on Saturdays there is a queue.",
            "Nobody asks it to do much. It lends books, it keeps the newspapers, and when the "
            "post office closed it began to take in parcels.² If you want to reply to a letter "
            "from the council, this is where you find the form; if you like this sort of thing, "
            "you will like the noticeboard.",
            "A library is where a town keeps its memory.³",
        ],
        notes=[
            ("1", "Parish records, 1952 volume, https://example.org/records/1952", 1),
            ("2", "Interview with the librarian, June 2021.", 1),
            ("3", "See also the author’s earlier essay, “Shelves” (2019).", 1),
        ],
        removed=(
            "Follow",
            "Share",
            "Share this:",
            "Like this:",
            "Written by Jonah Abebe",
            "212 Followers",
            "Recommended from Medium",
        ),
    ),
    "no-notes.txt": Expected(
        meta={"title": "A walk along the old canal", "author": "Priya Nair"},
        body=[
            "The towpath starts behind the brewery, where the lock-keeper's cottage still "
            "stands. Please reply to this post if you know who lived there after 1960 [2]; the "
            "parish records stop in that year.",
            "Like this: a path of cinders, a line of willows, and the water so still that the "
            "herons stand in their own reflections. Share the walk with someone slow.",
            "At the third bridge the canal turns north and the path gives out.",
        ],
        removed=(
            "Leave a Reply",
            "Fill in your details below or click an icon to log in:",
            "You are commenting using your WordPress.com account. Log Out / Change )",
            "Connecting to %s",
            "Loading…",
            "Be the first to like this.",
        ),
        warnings=("marker(s) [2] have no note; kept as literal text",),
    ),
    "notes-without-markers.txt": Expected(
        meta={"title": "The quiet decade", "series": "Part 3"},
        body=[
            "The 1990s are often remembered as years without history, but they were busy "
            "years for those who lived through them.",
            "Archives opened, borders moved and whole professions vanished within a few seasons.",
        ],
        notes=[
            ("1", "Fukuyama, The End of History and the Last Man (1992).", 0),
            ("2", "Judt, Postwar (2005), chapter 21.", 0),
        ],
        removed=("Share this:", "Email", "Print"),
        warnings=("no marker in the text refers to note(s) 1, 2; kept as unreferenced footnotes",),
    ),
    "markdown-hazards.txt": Expected(
        meta={"title": "Lists, stars & other hazards"},
        body=[
            "# of days in the year is 365, the clerk wrote, and nobody corrected him. > is "
            'the sign he used for "more than", and he used it often.',
            "- and that dash began half of his lines.",
            "1. was the number on his door; 2) was the number on the next.",
            "* marked the footnotes in his own ledger, like *this* one, and __that__ one. Some "
            "names have under_scores in them, some have _leading ones, some end with trailing_. "
            'He wrote <b>bold</b> notes, used &amp; for "and", and put [brackets](around) '
            "things. A backslash \\ and a `backtick` and a ~~strike~~ are all in the ledger too. "
            "| a | b | ---",
            "Things he kept:",
            "1. a pen",
            "2. a ruler",
            "3. a bottle of ink",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_blog_shapes_convert(name: str) -> None:
    expected = EXPECTED[name]
    conversion, essay = _convert(name)
    assert _front_matter(conversion.markdown) == expected.meta
    assert _body(essay) == expected.body
    assert _notes(essay) == expected.notes
    assert conversion.removed == expected.removed
    assert conversion.warnings == expected.warnings
    # plain text in, plain text out: no block the post did not have
    assert {block.kind for block in essay.blocks} <= {BlockKind.PARAGRAPH}
    spans = [span for block in essay.blocks for span in block.spans]
    assert all(span.kind is SpanKind.FOOTNOTE_REF for span in spans)


def test_every_fixture_is_used() -> None:
    names = {path.name for path in BLOG.glob("*.txt")}
    assert names == set(EXPECTED) | {"strategic-partners-with-caveats.txt"}


# -- edges ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "\ufeff\r\n"])
def test_no_text_at_all_is_an_error(text: str) -> None:
    with pytest.raises(ConvertError, match="empty"):
        convert_text(text)


def test_leftover_words_inside_the_body_stay() -> None:
    text = (
        "Notes from the harbour\n\n"
        "Leave a Reply\n\n"
        "The first paragraph mentions nothing odd.\n\n"
        "Share this:\n\n"
        "Share this with a friend who likes boats.\n"
    )
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert _body(essay) == [
        "Leave a Reply",
        "The first paragraph mentions nothing odd.",
        "Share this:",
        "Share this with a friend who likes boats.",
    ]
    assert conversion.removed == ()


def test_a_first_line_that_is_a_paragraph_is_not_taken_as_the_title() -> None:
    paragraph = "This post has no title line; it starts straight away with a sentence."
    conversion = convert_text(paragraph + "\n\nA second paragraph.\n")
    essay = parse_essay(conversion.markdown)
    assert _body(essay) == [paragraph, "A second paragraph."]
    assert _front_matter(conversion.markdown) == {}
    assert any("no title" in warning for warning in conversion.warnings)


def test_duplicate_and_skipped_note_numbers_are_warned_about() -> None:
    text = "Title\n\nOne.[1] Three.[3]\n\n[1] First.\n\n[1] Again.\n\n[3] Third.\n"
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert _notes(essay) == [("1", "First.", 1), ("3", "Third.", 1)]
    assert conversion.warnings == (
        "note 1 appears twice; the first one is kept",
        "note 3 follows note 1: numbering has a gap",
    )


def test_a_notes_heading_before_numbered_notes_is_dropped() -> None:
    text = "Title\n\nBody text.\n\nNotes\n\n1. A source.\n2. Another.\n"
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert _body(essay) == ["Body text."]
    assert _notes(essay) == [("1", "A source.", 0), ("2", "Another.", 0)]
    assert conversion.removed == ("Notes",)


def test_notes_glued_to_the_last_paragraph_are_found() -> None:
    text = "Title\n\nThe claim.[1] The other claim.[2]\n[1] First source.\n[2] Second source.\n"
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert _body(essay) == ["The claim.¹ The other claim.²"]
    assert _notes(essay) == [("1", "First source.", 1), ("2", "Second source.", 1)]
    assert conversion.warnings == ()


def test_a_marker_that_looks_like_a_definition_stays_text() -> None:
    text = (
        "Title\n\nFirst.[1]\n\n[1]: is how the clerk began his lines.\n\nLast.\n\n[1] The note.\n"
    )
    essay = parse_essay(convert_text(text).markdown)
    assert _body(essay) == ["First.¹", "[1]: is how the clerk began his lines.", "Last."]
    assert _notes(essay) == [("1", "The note.", 1)]


def test_a_notes_line_glued_to_numbered_notes_is_dropped() -> None:
    text = "Title\n\nA claim.[1]\n\nReferences:\n1. A book.\n"
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert _body(essay) == ["A claim.¹"]
    assert _notes(essay) == [("1", "A book.", 1)]
    assert conversion.removed == ("References:",)


@pytest.mark.parametrize(
    "last",
    [
        "Tagged as a traitor, he left the country.",
        "Written by hand, the letter survived.",
        "Next story: the harbour at night, when the boats come in.",
        "Posted in haste, the reply never came.",
        "Comments are welcome, as always.",
    ],
)
def test_a_last_paragraph_that_looks_like_page_furniture_stays(last: str) -> None:
    conversion = convert_text(f"Title\n\nFirst paragraph.\n\n{last}\n\nLeave a Reply\n")
    assert _body(parse_essay(conversion.markdown)) == ["First paragraph.", last]
    assert conversion.removed == ("Leave a Reply",)


def test_a_hard_wrapped_paragraph_stays_one_paragraph() -> None:
    text = (
        "Wrapped\n\n"
        "This paragraph was wrapped at a narrow width by\n"
        "an email client, so each of its lines is short,\n"
        "but it is one paragraph.[1]\n\n"
        "[1] A note.\n"
    )
    essay = parse_essay(convert_text(text).markdown)
    assert _body(essay) == [
        "This paragraph was wrapped at a narrow width by an email client, so each of its "
        "lines is short, but it is one paragraph.¹"
    ]


def test_web_paragraphs_without_blank_lines_are_split() -> None:
    first = "A long paragraph copied from a web page without a blank line after it. " * 2
    second = "The next paragraph, also on one line of its own, as browsers copy them."
    text = f"Title\n\n{first.strip()}\n{second}\n"
    essay = parse_essay(convert_text(text).markdown)
    assert _body(essay) == [first.strip(), second]


def test_leftover_predicates() -> None:
    assert is_leftover("You are commenting using your Twitter account. Log\u00a0Out /  Change )")
    assert is_leftover("%d bloggers like this:")
    assert is_leftover("Loading...")
    assert not is_leftover("Share this with a friend who likes boats.")
    assert not is_leftover("He did not reply.")
    assert is_header_leftover("5 min read")
    assert not is_header_leftover("Follow the river north.")


# -- never lose a paragraph ---------------------------------------------------------------

_HAZARDS = list("*_#>-+=[]()<>&\\`~!|:.,;^%$'’“”—")
_WORD = st.one_of(
    st.text(
        alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789") + _HAZARDS),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(
        ["Share", "Reply", "Like", "this:", "Leave", "a", "Log", "Out", "Comment", "Follow"]
        + ["Loading…", "[1]", "[2]", "1.", "&amp;", "<b>", "[^1]", "*", "Notes"]
        + ["[x](y)", "[x]:", "![i](s)", "[a][b]", "<http://e.org>", "`c`", "~~s~~", "\\"]
    ),
)
_NOTE_START = re.compile(r"\[\d+\]|\d+[.)]\s")
#: a line that starts a new paragraph of its own (a copied list item)
_LIST_LIKE = re.compile(r"(?:\d{1,9}[.)]|[-*+•–—])\s")


def _keeps_as_body(paragraph: str) -> bool:
    # whole-line leftovers and note lines are what the converter is meant to take out
    return not (
        is_leftover(paragraph) or is_header_leftover(paragraph) or _NOTE_START.match(paragraph)
    )


_PARAGRAPH = st.lists(_WORD, min_size=1, max_size=12).map(" ".join).filter(_keeps_as_body)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=6))
def test_convert_never_loses_a_body_paragraph(paragraphs: list[str]) -> None:
    text = "A title\n\nBy Test Author\n\n" + "\n\n".join(paragraphs) + "\n"
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert _body(essay) == paragraphs
    assert essay.title == "A title"
    assert essay.author == "Test Author"
    assert conversion.removed == ()


_LINE = _PARAGRAPH.filter(lambda line: len(line) < 90 and not _LIST_LIKE.match(line))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_LINE, min_size=1, max_size=4), min_size=1, max_size=4))
def test_a_wrapped_paragraph_reads_as_its_lines_joined(paragraphs: list[list[str]]) -> None:
    text = "A title\n\nBy Test Author\n\n"
    text += "\n\n".join("\n".join(lines) for lines in paragraphs) + "\n"
    essay = parse_essay(convert_text(text).markdown)
    assert _body(essay) == [" ".join(lines) for lines in paragraphs]
