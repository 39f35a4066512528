"""Growth tests for reading other files: converting a web page, the
footnote search on pages built to make it quadratic, deep markup, and detecting an
encoding, all take about linear time.

As in `test_growth`: each case is timed at n and 8n in a child process with a timeout
(a case that turns quadratic or hangs fails instead of stalling the suite), and the
ratio must stay under `test_growth.MAX_RATIO`. No absolute time is asserted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from test_growth import assert_grows_linearly, growth

Build = Callable[[int], str]


def _page(body: str) -> str:
    head = "<!DOCTYPE html><html><head><title>T</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def _notes(n: int) -> str:
    """n references, each to its own note (kramdown's markup)."""
    text = "".join(
        f'<p>Paragraph {i} says something.<sup id="fnref:{i}"><a href="#fn:{i}" '
        f'class="footnote">{i}</a></sup></p>'
        for i in range(1, n + 1)
    )
    notes = "".join(
        f'<li id="fn:{i}"><p>Note {i}. <a href="#fnref:{i}" class="reversefootnote">↩</a></p></li>'
        for i in range(1, n + 1)
    )
    return _page(f'{text}<div class="footnotes"><ol>{notes}</ol></div>')


def _links_into_one_block(n: int) -> str:
    """n marker-like links to an anchor at the end of the one block that holds them all:
    each candidate note is the whole page."""
    links = "".join(f'<span>Text <a href="#end">{i % 9 + 1}</a> more.</span>' for i in range(n))
    return _page(f'<div>{links}<span id="end">the end</span></div>')


def _many_refs_to_one_note(n: int) -> str:
    refs = "".join(f'<p>Claim {i}.<sup><a href="#n">1</a></sup></p>' for i in range(n))
    return _page(f'{refs}<ol><li id="n">The one note <a href="#top">↩</a></li></ol>')


def _plain_article(n: int) -> str:
    return _page(
        "".join(
            f"<h2>Part {i}</h2><p>Some <em>text</em> with <a href='https://x.example/{i}'>a "
            f"link</a> and <code>code</code>.</p><ul><li>one</li><li>two</li></ul>"
            for i in range(n)
        )
    )


def _deep(n: int) -> str:
    # at most libxml2's depth (2048): deeper is refused, not converted
    depth = min(n, 2000)
    return _page(("<div>" * depth + "<p>x</p>" + "</div>" * depth) * max(1, n // depth))


def _removed_before_text(n: int) -> str:
    """One paragraph of text, each line after a form field (a saved page's search
    boxes, quizzes): every field is taken out and its text kept."""
    fields = "".join(
        f'<input type="text" name="f{i}">word {i} and more text ' for i in range(20 * n)
    )
    return _page(f"<p>{fields}</p>")


def _share_boxes_in_text(n: int) -> str:
    """One paragraph with a sharing box before each sentence: each box is dropped."""
    boxes = "".join(
        f'<span class="share">Share {i}</span> text {i} goes on. ' for i in range(20 * n)
    )
    return _page(f"<p>{boxes}</p>")


def _references_in_one_paragraph(n: int) -> str:
    refs = "".join(
        f'Claim {i}.<sup><a href="#n{i % 50}">{i % 50 + 1}</a></sup> ' for i in range(20 * n)
    )
    notes = "".join(f'<li id="n{j}">Note {j} <a href="#top">↩</a></li>' for j in range(50))
    return _page(f"<p>{refs}</p><ol>{notes}</ol>")


def _list_in_a_table_cell(n: int) -> str:
    """An infobox cell: a list (each item a line of the cell) between runs of spaces."""
    items = "".join(f"<li>item {i}{' ' * 20}</li>{' ' * 20}" for i in range(20 * n))
    return _page(f"<table><tr><th>Places</th><td><ul>{items}</ul></td></tr></table>")


PAGE_CASES: dict[str, Build] = {
    "form fields before text": _removed_before_text,
    "share boxes inside a paragraph": _share_boxes_in_text,
    "references in one paragraph": _references_in_one_paragraph,
    "notes": _notes,
    "links into one block": _links_into_one_block,
    "many refs to one note": _many_refs_to_one_note,
    "plain article": _plain_article,
    "deep": _deep,
    "a list in a table cell": _list_in_a_table_cell,
}


def _convert(page: str) -> Callable[[], object]:
    from essaytui.model.html import page_to_essay

    return lambda: page_to_essay(page)


def _converting(build: Build) -> Callable[[int], Callable[[], object]]:
    return lambda size: _convert(build(size))


def page_ratios(n: int) -> dict[str, float]:
    ratios: dict[str, float] = {}
    for name, build in PAGE_CASES.items():
        print(f"timing {name}", file=sys.stderr, flush=True)
        ratios[name] = growth(_converting(build), n)
    return ratios


def _decode(data: bytes) -> Callable[[], object]:
    from essaytui.model.files import decode_text

    return lambda: decode_text(data, "file.txt")


def decode_ratios(n: int) -> dict[str, float]:
    sentence = "Le château se dressait au bout de l'allée, à côté du café. "
    return {
        "latin-1": growth(lambda size: _decode((sentence * size).encode("latin-1")), n),
        "cp1251": growth(lambda size: _decode(("Москва — столица. " * size).encode("cp1251")), n),
    }


def test_page_conversion_grows_linearly() -> None:
    assert_grows_linearly("page_ratios(60)", "test_growth_pages")


def test_decoding_grows_linearly() -> None:
    assert_grows_linearly("decode_ratios(2_000)", "test_growth_pages")
