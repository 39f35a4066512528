"""Opening files that are not Markdown essays.

A `.txt` with the shape of a copied blog post opens converted, with a notice saying so
and how to keep the conversion; any other `.txt` opens as it is. A saved web page opens
converted. The essay's identity is the file's, stable across reopenings, so its notes
stay with it. Real files, the real parser, a real SQLite store.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import convert_file, is_page, load_essay, read_text_file
from essaytui.store import AnnotationStore

DATA = Path(__file__).resolve().parents[1] / "data"
BLOG = DATA / "blog"
TEXTS = DATA / "text"
PAGES = DATA / "html"


def test_a_copied_blog_post_opens_converted_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "grain.txt"
    shutil.copy(BLOG / "wordpress-numbered-notes.txt", path)
    essay = load_essay(path)
    assert len(essay.footnotes) == 3
    assert "[1]" not in essay.reading_text and "Leave a Reply" not in essay.reading_text
    assert essay.title.startswith("Grain, gas and goodwill")
    notice = essay.warnings[0]
    assert notice.startswith("converted from a blog post (3 notes)")
    assert f"keep it: essaytui convert {path} -o grain.md" in notice


def test_the_notice_names_the_file_as_it_was_given(tmp_path: Path) -> None:
    folder = tmp_path / "my posts"
    folder.mkdir()
    shutil.copy(BLOG / "wordpress-numbered-notes.txt", folder / "a post.txt")
    essay = load_essay(folder / "a post.txt")
    assert f"essaytui convert '{folder / 'a post.txt'}' -o 'a post.md'" in essay.warnings[0]


def test_a_plain_text_file_opens_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "todo.txt"
    path.write_text("Shopping\n\n- bread\n- [1] cheese\n\nCall the plumber [2].\n")
    essay = load_essay(path)
    assert essay.warnings == ()
    assert "Call the plumber [2]." in essay.reading_text


def test_a_markdown_file_is_never_converted(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    shutil.copy(BLOG / "wordpress-numbered-notes.txt", path)
    essay = load_essay(path)
    assert essay.warnings == () and "Leave a Reply" in essay.reading_text


def test_a_page_opens_converted_with_a_notice_naming_its_footnotes() -> None:
    essay = load_essay(PAGES / "wordpress-footnotes.html")
    assert essay.warnings[0].startswith("converted from a web page (3 footnotes)")
    assert "-o wordpress-footnotes.md" in essay.warnings[0]


def test_a_page_with_another_suffix_is_a_page_when_it_starts_as_one(tmp_path: Path) -> None:
    path = tmp_path / "saved"
    shutil.copy(PAGES / "pandoc.html", path)
    assert is_page(path.read_text(), path.suffix)
    assert load_essay(path).title == "Averages that lie"


def test_a_file_in_another_encoding_says_both_things_on_its_first_line() -> None:
    essay = load_essay(TEXTS / "windows-1252-post.txt")
    first = essay.warnings[0]
    assert first.startswith(
        "read as Windows-1252 (not UTF-8), converted from a blog post (2 notes); keep it: "
        "essaytui convert "
    )
    assert [f.text for f in essay.footnotes][0] == "Le Monde, “Les délégués au café,” 14 mars 2016."


def test_the_first_part_and_the_whole_of_a_page_are_the_same_conversion() -> None:
    path = PAGES / "substack.html"
    part = load_essay(path, limit=200)
    whole = load_essay(path)
    assert whole.reading_text.startswith(part.reading_text[:100])
    assert part.title == whole.title and part.warnings[:1] == whole.warnings[:1]


def test_convert_file_takes_pages_and_posts() -> None:
    text, _ = read_text_file(PAGES / "jekyll-kramdown.html")
    page = convert_file(text, "post.html", ".html")
    assert page.markdown.startswith("---\ntitle: Reading slowly, on purpose\n")
    assert "[^2]: Chuck Zerby" in page.markdown and page.removed == ()
    text, _ = read_text_file(BLOG / "wordpress-numbered-notes.txt")
    post = convert_file(text, "post.txt", ".txt")
    assert "[^1]: Energy Ministry" in post.markdown and "Leave a Reply Cancel reply" in post.removed


def test_notes_on_a_page_stay_with_it_across_reopenings(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    shutil.copy(PAGES / "jekyll-kramdown.html", page)
    other = tmp_path / "other.html"
    shutil.copy(PAGES / "pandoc.html", other)
    with AnnotationStore.open(tmp_path / "data") as store:
        essay = load_essay(page)
        first = store.identify(essay)
        start = essay.reading_text.index("A note is a small act")
        store.add(make_annotation(replace(essay, id=first), start, start + 20, Kind.HIGHLIGHT))
        assert store.identify(load_essay(other)) != first
    with AnnotationStore.open(tmp_path / "data") as store:
        again = load_essay(page)
        assert store.identify(again) == first
        [note] = store.list_for_essay(first)
        assert again.reading_text[note.start : note.end] == "A note is a small ac"


def test_a_post_keeps_its_identity_when_moved(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    shutil.copy(BLOG / "strategic-partners-with-caveats.txt", post)
    with AnnotationStore.open(tmp_path / "data") as store:
        first = store.identify(load_essay(post))
        moved = tmp_path / "kept" / "post.txt"
        moved.parent.mkdir()
        post.rename(moved)
        assert store.identify(load_essay(moved)) == first
