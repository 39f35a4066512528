"""The ways around work that grew faster than the input give what the slow ways gave:
deep quotes read in one step, a long run of wide characters cut for a pipe, a closing
tag after thousands left open, page elements taken out together, glossary forms
each the start of the next. (How their time grows: `test_growth`.)
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.rules_block import blockquote as markdown_blockquote
from markdown_it.token import Token

from essaytui.model.essay import SpanKind
from essaytui.model.glossary import GlossaryMatcher
from essaytui.model.html import page_to_essay
from essaytui.model.markdown import essay_parser
from essaytui.model.parse import parse_essay
from essaytui.model.plain import cell_width, wrap

# -- deep quotes with lazy lines ---------------------------------------------------------


def _as_data(tokens: list[Token] | None) -> list[Any]:
    """Everything a token holds, children included, as plain values."""
    return [
        (
            token.type,
            token.tag,
            token.nesting,
            token.level,
            token.content,
            token.map,
            token.markup,
            token.info,
            repr(token.meta),
            repr(token.attrs),
            token.block,
            token.hidden,
            _as_data(token.children),
        )
        for token in tokens or []
    ]


def _markdown_its_own_quotes() -> Any:
    """The essay parser with markdown-it's block quote rule put back."""
    md = essay_parser()
    md.block.ruler.at(
        "blockquote",
        markdown_blockquote,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    return md


MARKERS = st.sampled_from(["> ", ">", "> >", ">>", ">  ", " > ", ">\t"])
STARTS = st.sampled_from(
    ["word", "Lazy text", "因此", "é x", "(aside)", '"quoted"', "*em* x", "—dash", "。", "x"]
)
BLOCK_STARTS = st.sampled_from(
    ["1. one", "2) two", "- dash", "+ plus", "* star", "# h", "```", "~~~", "---", "===",
     "***", "    four", "  two", "   three", "\tx", "<div>", "<!-- c", "[^1]: n", "[a]: /u",
     ": def", "~ def", "$$", "\\[", "\\begin{align}", "{#id}", ":::", "| a |", "a | b",
     "|-|", "[!NOTE]", "   > q", "\u00a0x", ""]
)  # fmt: skip
LINES = st.one_of(
    st.tuples(st.lists(MARKERS, min_size=1, max_size=6), st.one_of(STARTS, BLOCK_STARTS)).map(
        lambda quote: "".join(quote[0]) + quote[1]
    ),
    STARTS,
    BLOCK_STARTS,
)
OPENINGS = st.sampled_from(["", "- a\n  ", "1. b\n   ", "> ", "[^1]: ", "Term\n: ", "x\n"])


@settings(max_examples=400, deadline=None)
@given(OPENINGS, st.lists(LINES, min_size=1, max_size=14))
def test_quotes_give_the_tokens_markdown_its_own_rule_gives(opening: str, lines: list[str]) -> None:
    source = opening + "\n".join(lines) + "\n"
    expected = _as_data(_markdown_its_own_quotes().parse(source, {}))
    assert _as_data(essay_parser().parse(source, {})) == expected


def test_a_paragraph_150_quotes_deep_goes_on_in_its_lazy_lines() -> None:
    # ">" without spaces: 150 of "> " would be flattened to 75 levels (parse._MAX_PREFIX)
    source = "# T\n\n" + ">" * 150 + "Deep start\nlazy one\n(lazy two)\n\nAfter.\n"
    essay = parse_essay(source)
    deep, after = essay.blocks[1], essay.blocks[2]
    assert deep.quote_depth == 150
    assert essay.reading_text[deep.start : deep.end] == "Deep start lazy one (lazy two)"
    assert after.quote_depth == 0 and essay.reading_text[after.start : after.end] == "After."
    expected = _as_data(_markdown_its_own_quotes().parse(source, {}))
    assert _as_data(essay_parser().parse(source, {})) == expected


# -- a run of wide characters, cut for a pipe -------------------------------------------------

WIDE_RUNS = st.text(alphabet="因此我们必须认真，。ab\u0301", min_size=1, max_size=300)


def _wrapped_one_character_at_a_time(text: str, width: int, first: str, rest: str) -> list[str]:
    """What `wrap` gives, the obvious way: a word wider than the line loses the longest
    head that fits (at least one character), measured again after each cut."""
    lines: list[str] = []
    words: list[str] = []
    prefix, used = first, 0
    for word in text.split():
        room = max(1, width - cell_width(prefix))
        if words and used + 1 + cell_width(word) > room:
            lines.append(prefix + " ".join(words))
            prefix, words, used = rest, [], 0
            room = max(1, width - cell_width(prefix))
        while not words and cell_width(word) > room:
            size = 1
            while size < len(word) and cell_width(word[: size + 1]) <= room:
                size += 1
            lines.append(prefix + word[:size])
            word, prefix = word[size:], rest
            room = max(1, width - cell_width(prefix))
        words.append(word)
        used += cell_width(word) + (1 if len(words) > 1 else 0)
    if words or not lines:
        lines.append((prefix + " ".join(words)).rstrip())
    return lines


@settings(max_examples=300, deadline=None)
@given(
    st.lists(WIDE_RUNS, min_size=1, max_size=4),
    st.integers(min_value=1, max_value=30),
    st.sampled_from([("", ""), ("> ", "> "), ("1. ", "   "), ("> > > ", "  ")]),
)
def test_a_run_wider_than_the_line_is_cut_as_one_character_at_a_time_would(
    runs: list[str], width: int, margin: tuple[str, str]
) -> None:
    text = " ".join(runs)
    assert wrap(text, width, *margin) == _wrapped_one_character_at_a_time(text, width, *margin)


def test_chinese_joined_by_single_newlines_fills_every_line_in_a_pipe() -> None:
    line = "因此我们必须认真研究这个问题，并且找到解决的办法。"
    essay = parse_essay("# 标题\n\n" + "\n".join([line] * 400))
    paragraph = essay.reading_text[essay.blocks[1].start : essay.blocks[1].end]
    lines = wrap(paragraph, 80)
    assert "".join(lines) == line * 400
    assert all(cell_width(text) == 80 for text in lines[:-1])


# -- a closing tag after thousands left open ----------------------------------------------------


def test_a_stray_closing_tag_closes_nothing_and_each_closes_its_own_kind() -> None:
    source = "<b>x " + '<em>a <a href="#">b</b> ' * 2000 + "<em>c <b>d</em> e</b> f</em>"
    essay = parse_essay(source)
    text = essay.reading_text
    shown = [(span.kind, text[span.start : span.end]) for span in essay.blocks[0].spans]
    # the first </b> closes <b>; the 1,999 after it have nothing to close; </em> closes
    # the innermost <em> (at "c"), the last </em> the one before it
    assert shown == [
        (SpanKind.STRONG, "x a b"),
        (SpanKind.EMPHASIS, "a b c d e f"),
        (SpanKind.EMPHASIS, "c d"),
        (SpanKind.STRONG, "d e"),
    ]


# -- page elements taken out together -----------------------------------------------------------


def _page(body: str) -> str:
    head = "<!DOCTYPE html><html><head><title>T</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def test_text_after_each_element_taken_out_stays_in_place() -> None:
    body = (
        "<p>a<input>b <em>c</em> d<input>e<button>x</button>f "
        '<span class="share">Share</span>g<select><option>o</select></p>'
    )
    assert page_to_essay(_page(body)).markdown.split("---\n\n", 1)[1] == "ab *c* def g\n"


def test_thousands_of_fields_before_text_keep_all_their_text() -> None:
    body = "<p>" + "".join(f"<input>w{i} " for i in range(5000)) + "</p>"
    markdown = page_to_essay(_page(body)).markdown
    assert markdown.split("---\n\n", 1)[1] == " ".join(f"w{i}" for i in range(5000)) + "\n"


# -- glossary forms each the start of the next --------------------------------------------------


def test_three_hundred_terms_each_the_start_of_the_next_take_the_longest_match() -> None:
    matcher = GlossaryMatcher([(f"t{size}", "+" * size, ()) for size in range(1, 301)])
    text = "a +++ b " + "+" * 400 + " c ++"
    found = matcher.find(text)
    assert found == [(2, 5, "t3"), (8, 308, "t300"), (308, 408, "t100"), (411, 413, "t2")]
