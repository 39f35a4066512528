"""Growth tests for books: converting an EPUB takes about linear time in its chapters and
its notes — many small chapters, one chapter with many endnotes, plain marker links to a
notes chapter.

As in `test_growth`: each case is timed at n and 8n in a child process with a timeout, and
the ratio must stay under `test_growth.MAX_RATIO`. No absolute time is asserted.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from test_growth import assert_grows_linearly, growth

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from epub_books import XHTML_TYPE, opf3, page, write_epub  # noqa: E402

#: Builds the chapters (name → XHTML, under OEBPS/) of a book of size n.
Build = Callable[[int], dict[str, str]]


def _many_chapters(n: int) -> dict[str, str]:
    chapters = {
        f"c{i}.xhtml": page(
            f"<h2>Chapter {i}</h2><p>Text {i}.<a href='notes.xhtml#n{i}' "
            f"epub:type='noteref'>{i}</a></p>"
        )
        for i in range(n)
    }
    notes = "".join(f"<li id='n{i}' epub:type='endnote'><p>Note {i}.</p></li>" for i in range(n))
    chapters["notes.xhtml"] = page(f"<section epub:type='endnotes'><ol>{notes}</ol></section>")
    return chapters


def _many_endnotes(n: int) -> dict[str, str]:
    text = "".join(
        f"<p>Claim {i}.<a href='notes.xhtml#n{i}' id='r{i}' epub:type='noteref'>{i}</a></p>"
        for i in range(n)
    )
    notes = "".join(
        f"<li id='n{i}' epub:type='endnote'><p>Note {i}. "
        f"<a href='c.xhtml#r{i}' epub:type='backlink'>↩</a></p></li>"
        for i in range(n)
    )
    return {
        "c.xhtml": page(f"<section>{text}</section>"),
        "notes.xhtml": page(
            f"<section epub:type='endnotes'><h2>Notes</h2><ol>{notes}</ol></section>"
        ),
    }


def _plain_marker_links(n: int) -> dict[str, str]:
    text = "".join(
        f"<p>Claim {i}.<sup><a href='notes.html#n{i}'>{i}</a></sup></p>" for i in range(n)
    )
    notes = "".join(f"<p id='n{i}'>{i}. Note {i}.</p>" for i in range(n))
    return {"c.xhtml": page(text), "notes.html": page(f"<h2>Notes</h2>{notes}")}


BOOK_CASES: dict[str, Build] = {
    "many chapters": _many_chapters,
    "many endnotes": _many_endnotes,
    "plain marker links": _plain_marker_links,
}


def _book(build: Build, n: int, folder: Path) -> Path:
    chapters = build(n)
    items = [(f"i{k}", name, XHTML_TYPE, "") for k, name in enumerate(chapters)]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, [i for i, *_ in items], metadata="<dc:title>G</dc:title>"),
        **{f"OEBPS/{name}": body for name, body in chapters.items()},
    }
    return write_epub(folder / f"{build.__name__}-{n}.epub", files)


def _converting(build: Build, folder: Path) -> Callable[[int], Callable[[], object]]:
    from essaytui.model.epub import book_markdown

    def at(size: int) -> Callable[[], object]:
        path = _book(build, size, folder)
        return lambda: book_markdown(path)

    return at


def book_ratios(n: int) -> dict[str, float]:
    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="essaytui-growth-books-") as folder:
        for name, build in BOOK_CASES.items():
            print(f"timing {name}", file=sys.stderr, flush=True)
            ratios[name] = growth(_converting(build, Path(folder)), n)
    return ratios


def test_book_conversion_grows_linearly() -> None:
    assert_grows_linearly("book_ratios(150)", "test_growth_books")
