"""Converting a post: a numbered list glued to the last paragraph stays in the body.

The converter tries such a list as the notes (they are often pasted right below the
text); when it is no notes list after all (no `[n]` marker refers to it and no
"Notes" line announces it) it used to be dropped with no word: every line of it
lost. It is body text, kept as the post had it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from essaytui.model.convert import convert_text
from essaytui.model.essay import Essay
from essaytui.model.parse import parse_essay


def body(essay: Essay) -> list[str]:
    return [essay.reading_text[block.start : block.end] for block in essay.blocks]


def test_a_numbered_list_below_the_last_paragraph_is_kept() -> None:
    text = "My Title\n\nSome paragraph of the body.\nIts last line\n1. first item\n2. second item\n"
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert body(essay) == [
        "Some paragraph of the body. Its last line",
        "1. first item",
        "2. second item",
    ]
    assert essay.footnotes == ()
    assert conversion.removed == ()


def test_notes_glued_below_a_paragraph_that_cites_them_are_still_notes() -> None:
    text = "My Title\n\nThe claim.[1]\nThe end of it.\n1. A source.\n2. Another.\n"
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert body(essay) == ["The claim.¹ The end of it."]
    assert [(note.label, note.text) for note in essay.footnotes] == [
        ("1", "A source."),
        ("2", "Another."),
    ]


_WORD = st.sampled_from(["river", "stone", "harbour", "lamp", "winter", "ledger", "salt"])
_ITEM = st.lists(_WORD, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    paragraph=st.lists(_ITEM, min_size=1, max_size=3),
    items=st.lists(_ITEM, min_size=1, max_size=5),
)
def test_no_line_of_a_glued_list_is_lost(paragraph: list[str], items: list[str]) -> None:
    listed = [f"{number}. {item}" for number, item in enumerate(items, 1)]
    text = "A Title\n\n" + "\n".join(paragraph + listed) + "\n"
    conversion = convert_text(text)
    essay = parse_essay(conversion.markdown)
    assert body(essay) == [" ".join(paragraph), *listed]
    assert conversion.removed == ()
