"""Where links lead: slugs, renderers' footnote links, addresses."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaytui.model.files import load_essay
from essaytui.model.parse import parse_essay
from essaytui.sessions.links import (
    InEssay,
    Missing,
    Outside,
    Refused,
    ToSource,
    hyperlink,
    link_peek,
    openable,
    resolve,
)

README = Path(__file__).resolve().parents[1] / "data" / "reading" / "links-readme.md"


@pytest.mark.parametrize(
    ("title", "fragment"),
    [
        ("Goals and non-goals", "goals-and-non-goals"),
        ("What's new?", "whats-new"),
        ("C++ & Rust: a comparison", "c--rust-a-comparison"),
        ("snake_case names", "snake_case-names"),
        ("中文说明", "中文说明"),
        ("Café déjà vu", "café-déjà-vu"),
    ],
)
def test_headings_are_reached_by_their_github_slugs(title: str, fragment: str) -> None:
    essay = parse_essay(f"# Top\n\nText.\n\n## {title}\n\nMore text.\n")
    assert resolve(essay, f"#{fragment}") == InEssay(essay.sections[1].start)


def test_repeated_titles_get_numbered_slugs() -> None:
    essay = load_essay(README)
    usages = [section.start for section in essay.sections if section.title == "Usage"]
    assert resolve(essay, "#usage") == InEssay(usages[0])
    assert resolve(essay, "#usage-1") == InEssay(usages[1])


def test_html_anchors_are_reached() -> None:
    essay = load_essay(README)
    text = essay.reading_text
    step2 = resolve(essay, "#step2")
    assert isinstance(step2, InEssay)
    assert text[step2.offset :].lstrip().startswith("Pick a harbour")  # <a id="step2"></a>
    faq = resolve(essay, "#faq")
    assert isinstance(faq, InEssay)
    assert text[faq.offset :].startswith("Questions people ask")  # <a name="faq"></a>


def test_fragments_are_decoded_and_case_folded() -> None:
    essay = load_essay(README)
    chinese = next(section.start for section in essay.sections if section.title == "中文说明")
    assert resolve(essay, "#%E4%B8%AD%E6%96%87%E8%AF%B4%E6%98%8E") == InEssay(chinese)
    assert resolve(essay, "#Installation") == resolve(essay, "#installation")
    assert resolve(essay, "#nowhere") == Missing("nowhere")


FOOTNOTED = """# Notes

One claim.[^a] Another.[^b] The first again.[^a] And a third.[^c]

[^a]: First note.
[^b]: Second note.
[^c]: Third note.
"""


@pytest.mark.parametrize(
    ("fragment", "label"),
    [
        ("fn1", "a"),
        ("fn:2", "b"),
        ("fn-3", "c"),
        ("user-content-fn-2", "b"),
        ("footnote-1", "a"),
        ("fn-a", "a"),
    ],
)
def test_footnote_links_open_their_source(fragment: str, label: str) -> None:
    essay = parse_essay(FOOTNOTED)
    assert resolve(essay, f"#{fragment}") == ToSource(label)


@pytest.mark.parametrize(
    ("fragment", "label", "which"),
    [
        ("fnref1", "a", 0),
        ("fnref:2", "b", 0),
        ("fnref1:1", "a", 1),  # markdown-it: the second reference to note 1
        ("user-content-fnref-1-2", "a", 1),  # GitHub: the second reference, too
        ("footnote-ref-3", "c", 0),
        ("fnref-a", "a", 0),
    ],
)
def test_back_links_return_to_the_reference(fragment: str, label: str, which: int) -> None:
    essay = parse_essay(FOOTNOTED)
    refs = essay.footnotes_by_label[label].refs
    assert resolve(essay, f"#{fragment}") == InEssay(refs[which][0])


def test_a_heading_named_like_a_footnote_link_wins() -> None:
    essay = parse_essay("# fn1\n\nText.[^x]\n\n[^x]: A note.\n")
    assert resolve(essay, "#fn1") == InEssay(essay.sections[0].start)


def test_addresses_outside_and_refused() -> None:
    essay = parse_essay(FOOTNOTED)
    assert resolve(essay, "https://example.org/a") == Outside("https://example.org/a")
    for url in ("javascript:alert(1)", " DATA:text/html,x", "file:///etc/passwd"):
        assert isinstance(resolve(essay, url), Refused)
    assert "never opened" in link_peek(essay, "javascript:alert(1)")
    assert link_peek(essay, "https://example.org/i.png", image=True).startswith("Image: ")
    assert "go there" in link_peek(essay, "#fnref1")


def test_only_clean_web_addresses_become_terminal_hyperlinks() -> None:
    assert hyperlink(" https://example.org/a?b=c ") == "https://example.org/a?b=c"
    assert hyperlink("mailto:someone@example.org") == "mailto:someone@example.org"
    assert hyperlink("https://example.org/\x1b]8;;evil") is None  # no escape inside
    assert hyperlink("https://example.org/a b") is None
    assert hyperlink("javascript:alert(1)") is None
    assert hyperlink("#goals") is None
    assert hyperlink("relative/page.html") is None


#: Addresses a link may hold that must never reach a browser or xdg-open: options for
#: the browser, bare and relative paths, and every scheme but http, https and mailto.
NEVER_OPENED = (
    "--renderer-cmd-prefix=touch /tmp/pwned",
    "-new-window",
    " --incognito https://example.org/",
    "/etc/passwd",
    "docs/guide.md",
    "../up.html",
    "file:///etc/passwd",
    "ftp://example.org/file",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>x</script>",
    "vbscript:msgbox",
    "smb://host/share",
    "ssh://host",
    "x-man-page://ls",
    "help:about",
    "https:--renderer",
    "https://",
    "https://example.org/a b",
    "https://example.org/\x1b]8;;evil",
    "mailto:",
    "",
)


@pytest.mark.parametrize("url", NEVER_OPENED)
def test_only_http_https_and_mailto_are_opened(url: str) -> None:
    essay = parse_essay(FOOTNOTED)
    assert openable(url) is None
    assert hyperlink(url) is None
    if url.strip():
        assert isinstance(resolve(essay, url), Refused)
        assert "never opened" in link_peek(essay, url)


@pytest.mark.parametrize(
    "url",
    ["https://example.org/a?b=c#d", "HTTP://EXAMPLE.ORG", "mailto:someone@example.org"],
)
def test_web_and_mail_addresses_are_opened(url: str) -> None:
    essay = parse_essay(FOOTNOTED)
    assert openable(f"  {url} ") == url
    assert resolve(essay, f" {url}") == Outside(url)


@given(st.text())
def test_what_is_opened_never_starts_with_a_dash(url: str) -> None:
    address = openable(url)
    if address is not None:
        assert address.split(":", 1)[0].lower() in ("http", "https", "mailto")
        assert not address.startswith("-") and not any(c.isspace() for c in address)


@given(st.sampled_from(["http", "https", "mailto", "ftp", "file", ""]), st.text())
def test_what_is_opened_has_one_of_the_three_schemes(scheme: str, rest: str) -> None:
    address = openable(f"{scheme}:{rest}")
    if address is not None:
        assert scheme in ("http", "https", "mailto") and address == f"{scheme}:{rest}".strip()
