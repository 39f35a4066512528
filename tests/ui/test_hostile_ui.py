"""Hostile essays in the real app: inert text, no unsafe links.

Everything a file controls must reach the screen as visible symbols, never as
control characters; no link with a `javascript:`, `data:` or `file:` address is
opened or even offered; broken front matter, odd encodings and pathological
documents open and scroll.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from ready import opened
from textual.command import CommandPalette
from textual.events import Paste
from textual.pilot import Pilot
from textual.widgets import OptionList, Static, TextArea

from essaytui.app import EssayApp
from essaytui.interchange.w3c import read_web_annotation_file, to_web_annotation
from essaytui.model.annotation import Kind, make_annotation
from essaytui.model.files import load_essay
from essaytui.screens.confirm import ConfirmScreen
from essaytui.screens.note_editor import NoteEditor
from essaytui.screens.reader import ReaderScreen
from essaytui.sessions.targets import FootnoteRef, LinkRef
from essaytui.store import AnnotationStore
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.glossary import GlossaryPane
from essaytui.widgets.notes import NotesPane
from essaytui.widgets.sources import SourcesPane

DATA = Path(__file__).resolve().parents[1] / "data"
ESCAPES = DATA / "hostile" / "escapes" / "essay.md"
MARKUP = DATA / "hostile" / "markup" / "essay.md"

#: Nothing below 0x20 (newlines are checked line by line), no DEL or C1 control, no
#: bidi override or isolate, no line/paragraph separator.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


class RecordingApp(EssayApp):
    """The app under test, recording what it would open in a browser."""

    opened: list[str]

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)


def make_app(path: Path) -> RecordingApp:
    app = RecordingApp(path)
    app.opened = []
    return app


def assert_clean(text: str, where: str) -> None:
    for line in text.split("\n"):
        found = UNSAFE.search(line)
        assert found is None, f"{where}: {found.group()!r} in {line!r}"


def view_text(view: EssayView) -> str:
    """Every line the essay view renders, scrolled through from top to bottom."""
    height = view.scrollable_content_region.height
    lines: list[str] = []
    top = 0
    while True:
        view.scroll_to(y=top, animate=False, immediate=True)
        for y in range(height):
            lines.append("".join(segment.text for segment in view.render_line(y)))
        if top >= view.max_scroll_y:
            break
        top += height
    view.scroll_to(y=0, animate=False, immediate=True)
    return "\n".join(lines)


def screen_text(app: EssayApp) -> str:
    """The whole composited screen, as it would be written to the terminal."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def option_texts(options: OptionList) -> str:
    prompts = []
    for index in range(options.option_count):
        prompt = options.get_option_at_index(index).prompt
        prompts.append(getattr(prompt, "plain", str(prompt)))
    return "\n".join(prompts)


def static_text(widget: Static) -> str:
    content = widget.content
    return getattr(content, "plain", str(content))


# -- inert text ----------------------------------------------------------------------------------


def test_the_fixture_really_is_hostile() -> None:
    raw = ESCAPES.read_bytes()
    for needle in (b"\x1b]0;", b"\x1b]52;", b"\x1b[2J", b"\x07", b"\xc2\x9b", b"\xe2\x80\xae"):
        assert needle in raw
    glossary = (ESCAPES.parent / "glossary.md").read_bytes()
    assert b"\x1b]0;" in glossary and b"\xc2\x9b" in glossary


async def test_escape_sequences_never_reach_the_screen() -> None:
    app = make_app(ESCAPES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        view = screen.query_one(EssayView)
        essay = screen.essay
        # The parts a file controls really are on show.
        assert "Hostile" in essay.title and "Evil" in essay.author
        assert len(essay.footnotes) == 2 and len(essay.glossary) == 3
        text = view_text(view)
        assert "clipboard write ␛]52;c;cHduZWQ=␛\\ and CSI" in " ".join(text.split())
        assert_clean(text, "essay view")
        assert_clean(str(view.border_title), "view title")
        assert_clean(str(view.border_subtitle), "view subtitle")
        assert_clean(app.title, "app title")
        assert_clean(app.sub_title, "app sub_title")

        sources = screen.query_one(SourcesPane)
        assert "second note" in option_texts(sources)
        assert_clean(option_texts(sources), "sources")

        glossary = screen.query_one(GlossaryPane)
        terms = glossary.query_one("#glossary-terms", OptionList)
        assert "Evil" in option_texts(terms)
        assert_clean(option_texts(terms), "glossary terms")
        for term in essay.glossary:
            glossary.open_term(term.id)
            await pilot.pause()
            entry = static_text(glossary.query_one("#glossary-entry", Static))
            assert term.name in entry
            assert_clean(entry, f"glossary entry {term.name}")
            occurrences = glossary.query_one("#glossary-occurrences", OptionList)
            assert_clean(option_texts(occurrences), "occurrences")

        # The footnote peek, and the whole screen as composited.
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(view.target, FootnoteRef)
        assert_clean(screen_text(app), "screen with the peek")
        await pilot.press("p")  # whatever the panes show, the screen stays clean
        await pilot.pause()
        assert_clean(screen_text(app), "screen")

        # The command palette lists sections, footnotes and terms from the file.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert_clean(screen_text(app), "command palette")
        await pilot.press("escape")
        await pilot.pause()

        # Nothing in the file wrote the clipboard or retitled anything.
        assert app.clipboard == ""
        assert app.opened == []


def import_hostile_note(tmp_path: Path, data_dir: Path) -> str:
    """Store an export from "elsewhere" whose quote and note carry escape sequences."""
    essay = load_essay(ESCAPES)
    text = essay.reading_text
    start = text.index("Frontmatter and")
    foreign = make_annotation(
        essay, start, start + 11, Kind.NOTE, note="ok \x1b]52;c;cHduZWQ=\x07 \x9b31m\u202eevil"
    )
    foreign = replace(foreign, exact="quote \x1b]0;pwned\x07 \x1b[2J")
    exported = tmp_path / "foreign.json"
    exported.write_text(json.dumps(to_web_annotation(essay, [foreign])), encoding="utf-8")
    imported = read_web_annotation_file(exported)
    # The import makes control characters visible itself; display too.
    assert imported[0].note == "ok ␛]52;c;cHduZWQ=␇ \ufffd31mevil"
    with AnnotationStore.open(data_dir) as store:
        store.merge(imported)
    return foreign.id


HOSTILE_PASTE = "typed \x1b]0;title\x07 and \x1b[31mred\x1b[0m \x9b2J"


async def test_imported_and_typed_notes_show_sanitized(tmp_path: Path, data_dir: Path) -> None:
    import_hostile_note(tmp_path, data_dir)
    app = make_app(ESCAPES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        notes = screen.query_one(NotesPane)
        assert "quote ␛]0;pwned␇ ␛[2J" in option_texts(notes)
        assert "ok ␛]52;c;cHduZWQ=␇ �31mevil" in option_texts(notes)
        assert_clean(option_texts(notes), "notes pane (imported)")

        # A note pasted into the editor (a terminal delivers control characters no other way).
        await pilot.press("v", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.post_message(Paste(HOSTILE_PASTE))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        prompts = option_texts(notes)
        assert "typed ␛]0;title␇ and ␛[31mred␛[0m �2J" in prompts
        assert_clean(prompts, "notes pane (typed)")
        await pilot.press("5")
        await pilot.pause()
        assert_clean(screen_text(app), "screen with the notes pane")
        assert app.clipboard == ""


async def test_the_note_editor_never_shows_raw_escapes(tmp_path: Path, data_dir: Path) -> None:
    """The editor's text area draws what it holds: escapes in a pasted note or in an
    imported note being edited must not reach the terminal from there either."""
    foreign_id = import_hostile_note(tmp_path, data_dir)
    app = make_app(ESCAPES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        await pilot.press("v", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.post_message(Paste(HOSTILE_PASTE))
        await pilot.pause()
        assert "typed" in app.screen.query_one(TextArea).text
        assert_clean(screen_text(app), "note editor (pasted)")
        await pilot.press("ctrl+s")
        await pilot.pause()

        await pilot.press("5")
        notes = app.reader.query_one(NotesPane)
        notes.highlight_annotation(foreign_id)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert "52;c;cHduZWQ=" in app.screen.query_one(TextArea).text
        assert_clean(screen_text(app), "note editor (imported note)")


async def test_markup_in_the_file_is_shown_literally() -> None:
    """Rich/Textual markup in a title, heading, footnote or definition is text: it must
    neither crash the app (`[/]`) nor become a clickable action (`[@click=app.quit]`)."""
    app = make_app(MARKUP)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        view = screen.query_one(EssayView)
        shown = screen_text(app)
        assert "Unbalanced [/] and [@click=app.quit]" in shown  # the view's title
        assert "Heading [/] and [@click" in shown  # the outline
        text = " ".join(view_text(view).split())
        assert "Heading [/] and [@click=app.quit]quit[/] and [sic]" in text
        assert "[b]not bold[/b]" in text
        # A click on the title runs nothing.
        await pilot.click(EssayView, offset=(8, 0))
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"markup")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert "Def [/] with [@click=app.quit]markup[/] [sic]" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.return_code is None


# -- links ---------------------------------------------------------------------------------------


async def test_unsafe_links_are_never_opened(data_dir: Path) -> None:
    app = make_app(ESCAPES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader

        # enter in the essay follows the first link on screen: a data: address.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert screen.status.message.startswith(
            "Not opened (only http, https and mailto addresses are): data:image/png"
        )

        # The links of a source, chosen with enter in the Sources pane.
        await pilot.press("3")
        sources = screen.query_one(SourcesPane)
        urls: dict[str, str] = {}
        for index in range(sources.option_count):
            option = sources.get_option_at_index(index)
            if option.id is not None and option.id.startswith("link:"):
                urls[option.id] = str(getattr(option.prompt, "plain", option.prompt)).strip("↗ ")
        unsafe = {k: v for k, v in urls.items() if not v.startswith("https:")}
        assert sorted(v.split(":")[0] for v in unsafe.values()) == ["data", "file", "javascript"]
        for option_id, url in unsafe.items():
            sources.highlighted = sources.get_option_index(option_id)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen), url
            assert (
                screen.status.message
                == f"Not opened (only http, https and mailto addresses are): {url}"
            )

        # A web address is shown and asked about first (so the check above can tell).
        safe = next(k for k, v in urls.items() if v.startswith("https:"))
        sources.highlighted = sources.get_option_index(safe)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.opened == []


async def test_clicking_an_unsafe_link_does_not_open_it() -> None:
    """A click on the cells where the link is drawn (the view has a border, so those are
    not the content coordinates)."""
    app = make_app(ESCAPES)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        view = screen.query_one(EssayView)
        link = next(s for b in screen.essay.blocks for s in b.spans if s.kind.value == "link")
        middle = (link.start + link.end) // 2
        spot = next(
            (x, y)
            for y in range(view.scrollable_content_region.height)
            for x in range(view.scrollable_content_region.width)
            if view.offset_at(x, y) == middle
        )
        gutter = view.content_region.offset - view.region.offset
        assert gutter.x > 0 and gutter.y > 0  # the border
        await pilot.click(EssayView, offset=(spot[0] + gutter.x, spot[1] + gutter.y))
        await pilot.pause()
        assert isinstance(view.target, LinkRef) and view.target.url == link.data
        assert isinstance(app.screen, ReaderScreen)
        assert screen.status.message.startswith(
            "Not opened (only http, https and mailto addresses are): data:"
        )
        assert app.opened == []


# -- broken and odd files ------------------------------------------------------------------------


async def test_malformed_front_matter_opens_with_a_warning() -> None:
    app = make_app(DATA / "malformed-front-matter.md")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        assert screen.status.message.startswith("⚠")
        assert "front matter" in screen.status.message
        assert "This paragraph must be shown" in view_text(screen.query_one(EssayView))


async def test_latin1_file_opens_read_as_latin1_with_a_warning(tmp_path: Path) -> None:
    # read in the detected encoding, named in the status (it used to
    # show "na\ufffdve")
    path = tmp_path / "latin.md"
    path.write_bytes("# Caf\xe9\n\nA na\xefve essay, encoded in Latin-1.\n".encode("latin-1"))
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.pause()
        screen = app.reader
        assert "read as Latin-1 (not UTF-8)" in screen.status.message
        text = view_text(screen.query_one(EssayView))
        assert "na\xefve essay" in text


PATHOLOGICAL = {
    "a 1 MB line": ("word " * 200_000 + "LASTWORD", "LASTWORD"),
    "300 nested lists": (
        "\n".join("  " * i + f"- item {i}" for i in range(300)),
        "item 299",
    ),
    "300 nested quotes": (
        "\n".join(">" * i + f" level {i}" for i in range(1, 301)),
        "level 300",
    ),
    "10,000 footnotes": (
        " ".join(f"t{i}[^{i}]" for i in range(10_000))
        + " THE END\n\n"
        + "\n".join(f"[^{i}]: note {i}" for i in range(10_000)),
        "THE END",
    ),
    "5,000 headings": (
        "\n\n".join(f"{'#' * (i % 6 + 1)} H{i}\n\ntext {i}" for i in range(5_000)),
        "text 4999",
    ),
}


async def open_fully(pilot: Pilot[None], app: EssayApp) -> None:
    """Wait (boundedly) for the rest of a large file to be parsed."""
    for _ in range(600):
        if app.essay.complete and app.reader.essay.complete:
            return
        await pilot.pause(0.05)
    raise AssertionError("the essay never finished loading")


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
async def test_pathological_document_opens_and_scrolls(tmp_path: Path, name: str) -> None:
    source, last = PATHOLOGICAL[name]
    path = tmp_path / "pathological.md"
    path.write_text(source, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await open_fully(pilot, app)
        view = app.reader.query_one(EssayView)
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 0, name
        height = view.scrollable_content_region.height
        bottom = "\n".join("".join(s.text for s in view.render_line(y)) for y in range(height))
        assert last in " ".join(bottom.split()), name
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0, name
        assert view.render_line(0).text.strip(), name
