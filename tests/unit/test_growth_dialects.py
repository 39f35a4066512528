"""Growth tests for the Markdown dialects (issue 22): each construct written here
rather than taken from a kept library takes about linear time on input built to make
it quadratic. As in `test_growth`: timed at n and 8n in a child process with a
timeout, the ratio under `test_growth.MAX_RATIO`; no absolute time is asserted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from test_growth import assert_grows_linearly, growth


def _parse(source: str) -> Callable[[], object]:
    from essaytui.model.parse import parse_essay

    return lambda: parse_essay(source)


def _trimmed(url: str) -> Callable[[], object]:
    from essaytui.widgets.sources import _trimmed_url

    return lambda: _trimmed_url(url)


def _escape(text: str, in_link: bool = False) -> Callable[[], object]:
    from essaytui.model.html import escape_page_text

    return lambda: escape_page_text(text, in_link=in_link)


ENTRY_CASES: dict[str, tuple[Callable[[int], Callable[[], object]], int]] = {
    "parse: \\[ words on every line, one closer": (
        lambda n: _parse("\\[ a b\n" * n + "\\]\n"),
        1_000,
    ),
    "parse: \\[ words, one closer far on": (lambda n: _parse("\\[a " * n + "\\]"), 2_000),
    "parse: \\[ TeX-like and not, alternating": (
        lambda n: _parse("\\[x\\] \\[y^2\\] " * n),
        2_000,
    ),
    "parse: ^[ repeated, unclosed": (lambda n: _parse("^[" * n), 5_000),
    "parse: ^[ nested deep": (lambda n: _parse("^[" * n + "x" + "]" * n), 2_000),
    "parse: inline notes": (lambda n: _parse("Claim.^[A *note*.] " * n), 1_000),
    "parse: escaped brackets before ^[": (lambda n: _parse("\\[" * n + "^[x]"), 5_000),
    "parse: admonitions": (lambda n: _parse('!!! note "T"\n    Body[^1].\n\n' * n), 300),
    "parse: admonition markers alone": (lambda n: _parse("!!! note\n" * n), 1_000),
    "parse: content tabs": (lambda n: _parse('=== "T"\n\n    x\n\n' * n), 300),
    "parse: unclosed directive fences": (lambda n: _parse("```{note}\n" * n), 1_000),
    "parse: directives with options": (
        lambda n: _parse("```{prf:theorem} T\n:label: a\n\nBody.\n```\n\n" * n),
        300,
    ),
    "parse: colon directives": (lambda n: _parse(":::{note}\n:class: x\n" * n), 1_000),
    "parse: callout fences": (lambda n: _parse("::: {.callout-note}\n## T\nx\n" * n), 500),
    "parse: roles without closing ticks": (lambda n: _parse("{a}`x " * n), 2_000),
    "parse: roles": (lambda n: _parse("{cite:t}`k` " * n), 2_000),
    "parse: scripts": (lambda n: _parse("~a ^b " * n + "~" * n + "^" * n), 2_000),
    "parse: bracketed spans": (lambda n: _parse("[a]{" * n + "[b]{.c} " * n), 1_000),
    "parse: shortcode-like colons": (lambda n: _parse(":a" * n + " :smile: " * n), 2_000),
    "parse: targets": (lambda n: _parse("(a)=\n" * n), 2_000),
    "parse: an mkdocs meta header": (
        lambda n: _parse("".join(f"k{i}: v\n" for i in range(n)) + "\n!!! note\n    x\n"),
        2_000,
    ),
    "parse: grid table rows": (
        lambda n: _parse("+---+---+\n| a | b |\n+===+===+\n" + "| c | d |\n+---+---+\n" * n),
        500,
    ),
    "parse: grid rule lines without rows": (lambda n: _parse("+---+\n" * n), 1_000),
    "parse: simple table rows": (
        lambda n: _parse("  a    b\n---- ----\n" + "  1    2\n" * n),
        1_000,
    ),
    "parse: dash lines without a column line": (lambda n: _parse("----\n" + "text\n" * n), 1_000),
    "parse: multiline table rows": (
        lambda n: _parse("-----\n a  b\n-- --\n" + " 1  2\n 3  4\n\n" * n + "-----\n"),
        500,
    ),
    "parse: headerless simple table rows": (
        lambda n: _parse("-- --\n" + " 1  2\n" * n + "-- --\n"),
        1_000,
    ),
    "parse: headerless multiline table rows": (
        lambda n: _parse("-- --\n" + " 1  2\n 3  4\n\n" * n + "-- --\n"),
        500,
    ),
    "parse: column lines never closed": (
        lambda n: _parse("-- --\n 1  2\n\n\n" * n + "-- --\n" + " 1  2\n" * n),
        1_000,
    ),
    "sources: an address ending in many )": (lambda n: _trimmed("http://a" + ")" * n), 20_000),
    "sources: an address ending in punctuation": (
        lambda n: _trimmed("http://a" + ".," * n),
        20_000,
    ),
    "outline: TeX in a heading": (lambda n: _parse("## $" + "\\alpha{x} " * n + "$\n"), 1_000),
    "page escapes: brackets in a link's text": (lambda n: _escape("[" * n, True), 20_000),
    "page escapes: backslashes and brackets": (lambda n: _escape("\\[a] " * n), 20_000),
}


def entry_ratios(name: str) -> dict[str, float]:
    build, n = ENTRY_CASES[name]
    return {name: growth(build, n)}


@pytest.mark.parametrize("name", list(ENTRY_CASES))
def test_dialect_constructs_grow_linearly(name: str) -> None:
    assert_grows_linearly(f"entry_ratios({name!r})", module="test_growth_dialects")
