"""Saved web pages become essays: the article, its footnotes as
``[^n]``, its title, author and date; page furniture and anything that would run left out.

The fixtures in `tests/data/html/` are modelled on real pages (each says on what): a
Jekyll/kramdown post, a WordPress post with the core footnotes block, pandoc's standalone
HTML, a Substack post, and a classic WordPress post pasted from Word in windows-1252.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from essaytui.model.essay import Essay
from essaytui.model.files import load_essay
from essaytui.model.html import (
    MAX_DEPTH,
    PageError,
    declared_charset,
    looks_like_html,
    page_to_essay,
)
from essaytui.model.parse import parse_essay

PAGES = Path(__file__).resolve().parents[1] / "data" / "html"


def page(name: str) -> Essay:
    return load_essay(PAGES / name)


def note_texts(essay: Essay) -> list[str]:
    return [footnote.text for footnote in sorted(essay.footnotes, key=lambda f: f.number)]


# -- footnotes, per generator -------------------------------------------------------------


def test_kramdown_notes_are_footnotes_numbered_by_first_reference() -> None:
    essay = page("jekyll-kramdown.html")
    assert note_texts(essay) == [
        "Anthony Grafton, The Footnote: A Curious History (Harvard University Press, 1997).",
        "Chuck Zerby, The Devil’s Details (2002), chapter 3.\n\nA second paragraph of the "
        "same note, with a link.",
    ]
    first = min(essay.footnotes, key=lambda f: f.number)
    assert len(first.refs) == 2  # referenced twice in the text, one note
    assert "↩" not in essay.reading_text and "↩" not in "".join(note_texts(essay))


def test_wordpress_footnote_block_and_its_uuid_ids() -> None:
    essay = page("wordpress-footnotes.html")
    texts = note_texts(essay)
    assert len(texts) == 3
    assert texts[0] == "“China confident about relations,” Xinhua, March 12, 2016."
    assert texts[1].startswith("Customs statistics, 2010–2015; see the trade tables")
    assert all("↩" not in text and "Jump to" not in text for text in texts)
    # the notes list left the body
    assert "Interview with the author" not in essay.reading_text


def test_pandoc_notes_math_and_table() -> None:
    essay = page("pandoc.html")
    assert note_texts(essay)[0] == "Darrell Huff, How to Lie with Statistics (1954), chapter 2."
    assert len(essay.footnotes) == 3
    markdown = page_to_essay((PAGES / "pandoc.html").read_text(encoding="utf-8")).markdown
    # TeX kept as written, as $…$ and $$…$$, with no Markdown escapes in it
    assert r"$\bar{x} = \frac{1}{n}\sum_{i=1}^{n} x_i$" in markdown
    assert "$$\\operatorname{median}(x) \\le \\bar{x} \\quad" in markdown
    assert "| mean income | 41 200 |" in markdown
    # lines broken at 72 columns in the file are one paragraph, as a browser shows them
    assert "almost none said of what.[^1]" in markdown


def test_substack_notes_whose_links_carry_the_posts_address() -> None:
    essay = page("substack.html")
    texts = note_texts(essay)
    assert texts[0] == "Robin Sloan calls them “slow pages”; I borrow the idea, not the name."
    assert texts[1].startswith("Gwern’s margin notes are the best example I know.")
    assert "A second paragraph" in texts[1]
    assert "footnote-anchor" not in essay.reading_text


def test_word_notes_pasted_into_wordpress() -> None:
    essay = page("word-notes-windows-1252.html")
    assert note_texts(essay) == [
        "Le Monde, “Les délégués au café”, 14 mars 2016.",
        "Entretien avec un ancien conseiller, Paris, juin 2016.",
    ]
    assert "[1]" not in essay.reading_text


def test_a_link_to_a_later_anchor_that_is_no_note_stays_a_link() -> None:
    result = page_to_essay(
        "<html><head><title>T</title></head><body><article>"
        '<p>See <a href="#part-2">part 2</a> below, or <a href="#b">2</a>.</p>'
        '<h2 id="part-2">Part 2</h2><p id="b">Plain text, not a note of anything here.</p>'
        "</article></body></html>"
    )
    assert result.footnotes == 0
    assert "[part 2](#part-2)" in result.markdown


def test_a_reference_to_a_note_is_found_without_any_class_when_in_sup() -> None:
    result = page_to_essay(
        "<!DOCTYPE html><html><body><article><p>Text.<sup><a href='#n1'>1</a></sup></p>"
        "<ol><li id='n1'>The note.</li></ol></article></body></html>"
    )
    assert result.footnotes == 1
    assert "Text.[^1]" in result.markdown and "[^1]: The note." in result.markdown


# -- the article, not the page ------------------------------------------------------------

FURNITURE = [
    "Leave a Reply",
    "Share this",
    "Like this",
    "Recent posts",
    "Proudly powered",
    "Archive",
    "Post Comment",
    "Subscribe",
    "Sign in",
    "Discussion about this post",
    "Laisser un commentaire",
    "reader-supported publication",
]


@pytest.mark.parametrize(
    "name",
    [
        "jekyll-kramdown.html",
        "wordpress-footnotes.html",
        "pandoc.html",
        "substack.html",
        "word-notes-windows-1252.html",
    ],
)
def test_only_the_article_is_kept(name: str) -> None:
    essay = page(name)
    text = essay.reading_text + "".join(note_texts(essay))
    assert [line for line in FURNITURE if line.lower() in text.lower()] == []
    assert "<" not in essay.title and "DOCTYPE" not in essay.title.upper()
    assert "function" not in text and "jetpack" not in text.lower()


def test_wordpress_h3_headings_are_sections() -> None:
    essay = page("wordpress-footnotes.html")
    assert [section.title for section in essay.sections] == ["Cooperation", "Caveats"]


def test_pandoc_title_block_and_contents_are_not_repeated() -> None:
    essay = page("pandoc.html")
    assert essay.title == "Averages that lie" and essay.author == "Ines Carvalho"
    assert essay.reading_text.count("What to report instead") == 1
    assert [s.title for s in essay.sections] == ["The mean", "What to report instead"]


# -- title, author, date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "author", "date"),
    [
        ("jekyll-kramdown.html", "Reading slowly, on purpose", "Tomasz Wierzba", "2023-05-14"),
        ("wordpress-footnotes.html", "Strategic partners with caveats", "Helena Marsh",
         "2016-04-18"),
        ("pandoc.html", "Averages that lie", "Ines Carvalho", "2021-09-30"),
        ("substack.html", "The slow web", "Priya Raman", "2024-02-03"),
        ("word-notes-windows-1252.html", "Le café des délégués", "Renée Dubois", ""),
    ],
)  # fmt: skip
def test_metadata(name: str, title: str, author: str, date: str) -> None:
    essay = page(name)
    assert (essay.title, essay.author, essay.meta.get("date", "")) == (title, author, date)


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ('<meta property="og:title" content="From og">', "<h1>From h1</h1>", "From og"),
        ("<title>From title</title>", "<h1>From h1</h1>", "From title"),
        ("<title>Post name | Some Site</title>", "<h1>Post name</h1>", "Post name"),
        ("", "<h1>From h1</h1><p>text</p>", "From h1"),
    ],
)
def test_title_comes_from_og_title_then_title_then_h1(head: str, body: str, title: str) -> None:
    result = page_to_essay(
        f"<!DOCTYPE html><html><head>{head}</head><body>{body}<p>Body text.</p></body></html>"
    )
    assert result.title == title
    assert parse_essay(result.markdown).title == title


def test_a_page_without_any_title_is_titled_by_its_file_not_its_doctype(tmp_path: Path) -> None:
    path = tmp_path / "untitled-page.html"
    path.write_text("<!DOCTYPE html>\n<html><body><p>Only a paragraph.</p></body></html>")
    essay = load_essay(path)
    assert "DOCTYPE" not in essay.title.upper() and "<" not in essay.title
    assert "the page has no title" in " ".join(essay.warnings)
    assert essay.reading_text.strip() == "Only a paragraph."


# -- nothing runs, nothing is fetched -----------------------------------------------------


def test_scripts_styles_forms_and_script_links_are_dropped() -> None:
    result = page_to_essay(
        "<html><head><title>T</title><style>p{color:red}</style></head><body><article>"
        "<p>Kept<script>alert('x')</script> text "
        '<a href="javascript:alert(1)">click</a> <img src="data:image/png;base64,AAAA" '
        'alt="pic"></p><form><input value="Send"></form><iframe src="https://x.example"></iframe>'
        "<noscript>Enable JavaScript</noscript></article></body></html>"
    )
    assert "alert" not in result.markdown and "color:red" not in result.markdown
    assert "javascript:" not in result.markdown and "data:" not in result.markdown
    assert "Send" not in result.markdown and "Enable JavaScript" not in result.markdown
    assert "Kept text click" in result.markdown


def test_a_page_of_scripts_only_is_refused_with_one_line() -> None:
    with pytest.raises(PageError) as raised:
        page_to_essay("<!DOCTYPE html><html><body><div id='app'></div><script>x()</script>")
    assert "\n" not in str(raised.value) and "no text" in str(raised.value)


def test_deep_markup_keeps_its_text() -> None:
    depth = MAX_DEPTH * 3
    result = page_to_essay(
        "<html><body>" + "<div>" * depth + "<p>deep <em>words</em></p>" + "</div>" * depth
    )
    assert "deep" in result.markdown and "words" in result.markdown


def test_a_page_deeper_than_the_parser_reads_is_refused_with_one_line() -> None:
    with pytest.raises(PageError) as raised:
        page_to_essay("<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000)
    assert "nested too deeply" in str(raised.value) and "\n" not in str(raised.value)


# -- telling a page, and its charset -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html>", True),
        ("\ufeff  <!doctype HTML>", True),
        ('<?xml version="1.0"?>\n<!-- saved -->\n<html lang="en">', True),
        ("<html>", True),
        ("# A Markdown essay\n\n<b>bold</b>", False),
        ("<div>an HTML block in Markdown</div>", False),
        ("<!-- a comment never closed", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<!DOCTYPE html><meta charset="windows-1252">', "windows-1252"),
        (b"<html><head><meta http-equiv=Content-Type content='text/html; charset=ISO-8859-1'>",
         "iso-8859-1"),
        (b'<?xml version="1.0" encoding="Shift_JIS"?><html>', "shift_jis"),
        (b"<html><head><title>none</title>", None),
        (b"# not a page <meta charset=latin-1>", None),
    ],
)  # fmt: skip
def test_declared_charset(head: bytes, charset: str | None) -> None:
    assert declared_charset(head) == charset


# -- other generators, as their markup is written ------------------------------------------


@pytest.mark.parametrize(
    ("body", "note"),
    [
        (  # Wikipedia (MediaWiki's Cite extension)
            '<p>Claim.<sup id="cite_ref-1" class="reference"><a href="#cite_note-1">[1]</a>'
            '</sup></p><div class="mw-heading"><h2>References</h2></div><div class="reflist">'
            '<ol class="references"><li id="cite_note-1"><span class="mw-cite-backlink"><b>'
            '<a href="#cite_ref-1">^</a></b></span> <span class="reference-text">A. Author, '
            "<i>Book</i> (2001).</span></li></ol></div>",
            "A. Author, Book (2001).",
        ),
        (  # GitHub's rendered Markdown
            '<p>Claim.<sup><a href="#user-content-fn-1-4f2a" id="user-content-fnref-1-4f2a" '
            'data-footnote-ref="" aria-describedby="footnote-label">1</a></sup></p>'
            '<section data-footnotes="" class="footnotes"><h2 id="footnote-label" '
            'class="sr-only">Footnotes</h2><ol><li id="user-content-fn-1-4f2a"><p>A note. '
            '<a href="#user-content-fnref-1-4f2a" data-footnote-backref="" '
            'class="data-footnote-backref" aria-label="Back to reference 1">↩</a></p></li>'
            "</ol></section>",
            "A note.",
        ),
        (  # WordPress's Footnotes Made Easy plugin
            '<p>Claim.<span id="easy-footnote-1-211" class="easy-footnote-margin-adjust">'
            '</span><span class="easy-footnote"><a href="#easy-footnote-bottom-1-211" '
            'title="A note."><sup>1</sup></a></span></p><div class="easy-footnote-title">'
            '<h4>Notes</h4></div><ol class="easy-footnotes-wrapper"><li class='
            '"easy-footnote-single"><span id="easy-footnote-bottom-1-211" class='
            '"easy-footnote-margin-adjust"></span>A note.<a class="easy-footnote-to-top" '
            'href="#easy-footnote-1-211"></a></li></ol>',
            "A note.",
        ),
    ],
)
def test_more_footnote_markup(body: str, note: str) -> None:
    result = page_to_essay(f"<!DOCTYPE html><html><body><article>{body}</article></body></html>")
    essay = parse_essay(result.markdown)
    assert [footnote.text for footnote in essay.footnotes] == [note]
    assert essay.reading_text.startswith("Claim.")
    assert "References" not in essay.reading_text and "Footnotes" not in essay.reading_text
    assert "Notes" not in essay.reading_text and "↩" not in essay.reading_text


def test_dollars_in_a_page_are_text_and_its_tex_is_math() -> None:
    result = page_to_essay(
        "<html><body><article><p>It costs $5, or $10 with <code>$HOME</code> set; "
        '<span class="math inline">\\(a_1 + b\\)</span>.</p></article></body></html>'
    )
    assert "It costs \\$5, or \\$10 with `$HOME` set; $a_1 + b$." in result.markdown
    assert parse_essay(result.markdown).reading_text.startswith("It costs $5, or $10 with $HOME")
