"""The reader screen: composes the panes, holds the reader's keys and routes keys and
messages to the parts that act on them.

The parts (`essaytui.screens.reading`) are plain objects this screen owns: the layout
of the panes, navigation, search, annotations, quotations and the peek, all sharing one
`Reading` (the essay, the store and the sessions of `essaytui.sessions`). Panes never
reach into each other: they post messages, and this screen hands each to its part (data
down, messages up). The key actions are one-line routes from a table (`ROUTES`), so
Textual still finds them on the screen: the screen's bindings apply whichever pane has
the focus, and `check_action`, the help screen, the palette and the key hints see them
as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.command import Hit, Hits, Provider
from textual.events import Resize
from textual.reactive import Reactive, var
from textual.screen import Screen
from textual.widget import MountError, Widget

from essaytui.model.essay import Essay
from essaytui.model.series import part_label
from essaytui.screens.reading.annotations import Annotations
from essaytui.screens.reading.finding import Finding
from essaytui.screens.reading.keys import READER_BINDINGS, READER_COMMANDS
from essaytui.screens.reading.layout import PaneLayout
from essaytui.screens.reading.navigation import Navigation
from essaytui.screens.reading.peeking import Peeking
from essaytui.screens.reading.quoting import Quoting
from essaytui.screens.reading.reading import LONG, SHORT, Reading
from essaytui.sessions.annotations import AnnotationSession
from essaytui.sessions.search import SearchSession
from essaytui.sessions.targets import FootnoteRef, LinkRef, MatchRef, TermHit
from essaytui.store import AnnotationStore, StoreError
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.key_hints import KeyHints
from essaytui.widgets.outline import OutlinePane
from essaytui.widgets.peek import Peek
from essaytui.widgets.reader_panes import ReaderPanes
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.side_placeholder import SidePlaceholder
from essaytui.widgets.status import StatusLine
from essaytui.widgets.text_layout import TextLayout

if TYPE_CHECKING:
    # The side pane and its lists are imported when the pane is built, after the first
    # screen (`bring_side_pane`); their messages are handled by name (`on_…`) for that.
    from textual.widgets import TabbedContent

    from essaytui.widgets.glossary import GlossaryPane
    from essaytui.widgets.notes import NotesPane
    from essaytui.widgets.side_pane import SidePane
    from essaytui.widgets.sources import SourcesPane

#: Seconds between saves of the reading position, and between looks for notes
#: another essaytui wrote.
SAVE_EVERY = 5.0
POLL_EVERY = 2.0

#: Each action of the reader's bindings and commands → (the part that does it, its method).
ROUTES: dict[str, tuple[str, str]] = {
    "search": ("finding", "open"),
    "next_match": ("finding", "step"),
    "search_selection": ("finding", "search_selection"),
    "clear_search": ("finding", "escape"),
    "back": ("navigation", "back"),
    "forward": ("navigation", "forward"),
    "bookmark_step": ("navigation", "bookmark_step"),
    "toggle_outline": ("panes", "toggle_outline"),
    "toggle_side": ("panes", "toggle_side"),
    "focus_pane": ("panes", "focus_pane"),
    "focus_mode": ("panes", "toggle_focus_mode"),
    "measure": ("panes", "change_measure"),
    "toggle_sidenotes": ("panes", "toggle_sidenotes"),
    "color": ("annotations", "color"),
    "highlight": ("annotations", "highlight"),
    "annotate": ("annotations", "annotate"),
    "bookmark": ("annotations", "bookmark"),
    "undo": ("annotations", "undo"),
    "copy_quote": ("quoting", "copy_quote"),
    "write_quotation": ("quoting", "write_quotation"),
    "choose_style": ("quoting", "choose_style"),
    "export": ("quoting", "export"),
}


class ReaderScreen(Screen[None]):
    """Reading one essay: the panes, and the parts that act on the reader's keys."""

    BINDINGS: ClassVar[list[BindingType]] = list(READER_BINDINGS)
    #: The essay has the focus in the first frame: Textual's default (the first focusable
    #: widget, the outline) drew the outline focused, then restyled and repainted both
    #: panes once `on_mount` had moved the focus, a frame the reader saw change.
    AUTO_FOCUS = "#essay"
    #: What the palette offers beside the keys: (title, help line, action).
    COMMANDS_WITHOUT_KEYS: ClassVar[list[tuple[str, str, str]]] = READER_COMMANDS

    #: The essay read (a new value, the complete parse of a long file, reaches every pane).
    essay: var[Essay] = var(None, always_update=True, init=False)  # type: ignore[arg-type]
    #: Textual's, without its repaint of the whole screen on every focus move: the
    #: widgets the focus leaves and reaches repaint themselves (their :focus styles), and
    #: nothing else here shows the focus. The whole screen cost ~15 ms of enter, back
    #: and every other focus move at 4.4 MB.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(
        self,
        essay: Essay,
        store: AnnotationStore | None = None,
        *,
        warnings: Sequence[str] = (),
    ) -> None:
        """Reading `essay`, its notes in `store`; `warnings` (about keys.toml) are shown
        once the screen is up."""
        super().__init__()
        self.startup_warnings = list(warnings)
        self.set_reactive(ReaderScreen.essay, essay)
        store = store if store is not None else AnnotationStore.in_memory()
        self.reading = Reading(self, essay, store)
        self.panes = PaneLayout(self.reading, placed=lambda: self.peeking.place_later())
        self.navigation = Navigation(self.reading, self.panes)
        self.finding = Finding(self.reading, self.panes, self.navigation)
        self.annotations = Annotations(self.reading, self.navigation)
        self.quoting = Quoting(self.reading, self.annotations)
        self.peeking = Peeking(self.reading, self.panes, self.navigation)
        #: An offset to open the text at that lies past its first part (a library hit
        #: deep in a long text): shown once the rest is in.
        self._opening_at: int | None = None

    # -- what others use of the reading --------------------------------------------------

    @property
    def store(self) -> AnnotationStore:
        """The notes store."""
        return self.reading.store

    @property
    def notes(self) -> AnnotationSession:
        """This essay's annotations."""
        return self.reading.notes

    @property
    def search(self) -> SearchSession:
        """The search in this essay."""
        return self.reading.search

    @property
    def view(self) -> EssayView:
        """The essay view."""
        return self.reading.view

    @property
    def status(self) -> StatusLine:
        """The status line."""
        return self.reading.status

    def say(self, message: str, seconds: float = SHORT) -> None:
        """Tell the reader something for a while on the bottom line."""
        self.reading.say(message, seconds)

    # -- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        essay = self.essay
        # First: Textual numbers the painting order of siblings from the last one, so a
        # peek shown or hidden after them renumbered every widget on the screen and
        # repainted it all (~8 ms a footnote at 4.4 MB); its own layer puts it on top.
        yield Peek(id="peek", classes="-hidden")
        with ReaderPanes(id="main"):
            yield OutlinePane(essay, id="outline").data_bind(ReaderScreen.essay)
            yield EssayView(essay, id="essay").data_bind(ReaderScreen.essay)
            yield SidePlaceholder(id="side-placeholder")
        yield SearchBar(id="search")
        yield StatusLine(id="status")
        yield KeyHints(id="keys")

    def on_mount(self) -> None:
        # before the first frame: the panes where the budget puts them
        self.panes.start(self.size.width or self.app.size.width)
        view = self.view
        self.query_one(Peek).lie_over(view)
        view.border_title = Text(self.essay.title)
        view.border_subtitle = essay_subtitle(self.essay)
        view.focus()
        self.status.set_series(part_label(self.essay.meta))
        self.reading.show_status()
        for warning in self.reading.startup_messages(self.startup_warnings):
            self.say(warning, seconds=LONG)
        self.annotations.reload()
        self.reading.restore_position()
        # in the first frame, not a frame later (when the view's first `Moved` arrives)
        self.query_one(OutlinePane).show_section(self.essay.section_at(view.top_offset))
        self.set_interval(SAVE_EVERY, self.reading.save_position, name="save-position")
        self.set_interval(POLL_EVERY, self.annotations.poll, name="poll-store")
        self.call_after_refresh(bring_side_pane, self)

    def open_essay(self, essay: Essay) -> None:
        """Read another essay in this screen: its own notes, place, jumps and search."""
        self.reading.save_position()
        self.reading.restart(essay)
        view = self.view
        view.target = None
        view.selection = None
        view.scroll_to(y=0, animate=False, immediate=True)
        view.border_title = Text(essay.title)
        view.border_subtitle = essay_subtitle(essay)
        self._opening_at = None
        # a message belongs to the text it was said on
        self.status.forget()
        self.status.set_series(part_label(essay.meta))
        self.essay = essay
        self.refresh_bindings()

    def open_at(self, offset: int) -> None:
        """Show `offset` of the text just opened instead of its saved place. No step
        of its own: `backspace` goes straight back to the text read before it."""
        self.reading.position.restored = True  # the saved place is not wanted now
        if self.essay.complete or offset < len(self.essay.reading_text):
            self.view.scroll_to_offset(offset)
        else:
            self._opening_at = offset

    def watch_essay(self, essay: Essay) -> None:
        """A new version of the essay (the complete parse of a large file), or another."""
        self.reading.update(essay)
        if self.is_mounted:
            self.panes.essay_changed()
        self.annotations.reload()
        if self.reading.search.query:
            # made while only the first part was in: find it in the whole now
            self.finding.run(self.reading.search.query)
        if self._opening_at is not None and essay.complete:
            # after the view has this essay (it is given it after this watcher)
            self.call_later(self.view.scroll_to_offset, self._opening_at)
            self._opening_at = None
        elif not self.reading.position.restored:
            # once the view has this essay: bound to the screen's, it is given it after
            # this watcher, and scrolled now it would stop at the end of the first part
            self.call_later(self.reading.restore_position)
        self.reading.show_status()
        # again once the view has laid this essay out: until then its bottom is the last
        # text's, and a text that fits on the screen would read 0 % instead of 100 %
        self.call_after_refresh(self.reading.show_status)
        if essay.warnings:
            self.say(self.reading.warning_summary(), seconds=8)

    def rest_unreadable(self, error: str) -> None:
        """The rest of a long essay could not be read: read on in its first part (its
        position is no longer saved: it would be measured on a part)."""
        self.reading.position.frozen = True
        self.reading.show_status()
        self.say(f"Only the first part could be read: {error}", seconds=15)

    # -- the keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        reading = self.reading
        if action == "back":
            previous: Callable[[], bool] | None = getattr(self.app, "can_go_back_a_text", None)
            return reading.navigator.can_go_back or (previous is not None and previous())
        if action == "forward":
            return reading.navigator.can_go_forward
        if action == "next_match":
            return bool(reading.search.hits)
        if action == "clear_search":
            return bool(reading.search.query) or None
        if action == "color":
            # only while selecting; otherwise the key goes on to its pane binding
            return self.view.selected_range is not None
        return True

    def action_about(self) -> None:
        from essaytui.screens.about import AboutScreen

        self.app.push_screen(AboutScreen(self.essay))

    def action_toggle_all_terms(self) -> None:
        view = self.view
        view.show_all_terms = not view.show_all_terms
        self.say(
            "Marking every glossary term."
            if view.show_all_terms
            else "Marking the first glossary term of each section."
        )

    def action_find_note(self) -> None:
        """The palette again, searching the notes of every essay."""
        from textual.command import CommandPalette

        self.app.push_screen(
            CommandPalette(providers=[FindNoteProvider], placeholder="Find a note in any essay…")
        )

    # -- where the app and the palette send the reader ---------------------------------

    def go_to_annotation(self, annotation_id: str) -> None:
        """Jump to an annotation (its anchored or proposed place)."""
        self.navigation.go_to_annotation(annotation_id)

    def save_position(self) -> None:
        """Remember the place at the top of the view."""
        self.reading.save_position()

    # -- messages from the panes -----------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.panes.resize(event.size.width)

    def on_side_pane_ready(self, event: SidePane.Ready) -> None:
        self.panes.side_arrived()
        self.annotations.show()

    @on(EssayView.Moved)
    def _moved(self, event: EssayView.Moved) -> None:
        self.query_one(OutlinePane).show_section(self.essay.section_at(event.top_offset))
        self.reading.show_status()
        self.peeking.place()

    @on(EssayView.Notice)
    def _notice(self, event: EssayView.Notice) -> None:
        self.say(event.text)

    @on(EssayView.TargetSelected)
    def _target_selected(self, event: EssayView.TargetSelected) -> None:
        self.peeking.selected()
        self.reading.show_status()

    @on(EssayView.TargetFollowed)
    def _target_followed(self, event: EssayView.TargetFollowed) -> None:
        match event.target:
            case FootnoteRef(label=label):
                self.navigation.open_source(label)
            case TermHit(term_id=term_id):
                self.navigation.open_term(term_id)
            case LinkRef(url=url, image=image):
                self.navigation.open_link(url, noun="image" if image else "address")
            case MatchRef():
                pass

    @on(OutlinePane.SectionChosen)
    def _section_chosen(self, event: OutlinePane.SectionChosen) -> None:
        self.navigation.section_chosen(event.section.start)

    def on_sources_pane_source_chosen(self, event: SourcesPane.SourceChosen) -> None:
        self.navigation.source_chosen(event.label)

    def on_sources_pane_link_chosen(self, event: SourcesPane.LinkChosen) -> None:
        self.navigation.open_link(event.url)

    def on_glossary_pane_occurrence_chosen(self, event: GlossaryPane.OccurrenceChosen) -> None:
        self.navigation.arrive(event.start, TermHit(event.start, event.end, event.term_id))

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self.finding.run(event.query)

    @on(SearchBar.Submitted)
    def _search_submitted(self, event: SearchBar.Submitted) -> None:
        self.finding.submitted()

    @on(SearchBar.Closed)
    def _search_closed(self, event: SearchBar.Closed) -> None:
        self.finding.clear()

    def on_notes_pane_go_to(self, event: NotesPane.GoTo) -> None:
        self.annotations.go_to(event)

    def on_notes_pane_delete(self, event: NotesPane.Delete) -> None:
        self.annotations.delete(event)

    def on_notes_pane_undo(self, event: NotesPane.Undo) -> None:
        self.annotations.undo()

    def on_notes_pane_confirm(self, event: NotesPane.Confirm) -> None:
        self.annotations.confirm(event)

    def on_notes_pane_reattach(self, event: NotesPane.Reattach) -> None:
        self.annotations.reattach(event)

    def on_notes_pane_edit(self, event: NotesPane.Edit) -> None:
        self.annotations.edit(event)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "notes-tab":
            self.annotations.poll()


def _route(name: str, part: str, method: str) -> Callable[..., object]:
    """The screen's action `name`, handing its arguments to `part`'s `method`."""

    def route(screen: ReaderScreen, *arguments: object) -> object:
        return getattr(getattr(screen, part), method)(*arguments)

    route.__name__ = f"action_{name}"
    route.__qualname__ = f"ReaderScreen.action_{name}"
    route.__doc__ = f"Routed to `{part}.{method}`."
    return route


for _name, (_part, _method) in ROUTES.items():
    setattr(ReaderScreen, f"action_{_name}", _route(_name, _part, _method))


class FindNoteProvider(Provider):
    """ "Find note…": the notes of every essay whose quote, note or tags hold the words
    typed (the store's full-text search, off the event loop)."""

    async def search(self, query: str) -> Hits:
        import asyncio

        from essaytui.model.text import sanitize_inline
        from essaytui.widgets.inert import inert, inert_markup

        reader = next(
            (s for s in reversed(self.app.screen_stack) if isinstance(s, ReaderScreen)), None
        )
        if reader is None or not query.strip():
            return
        try:
            hits = await asyncio.to_thread(reader.store.search_notes, query, 50)
        except StoreError:
            return
        for rank, hit in enumerate(hits):
            annotation = hit.annotation
            here = annotation.essay_id == reader.essay.id
            title = sanitize_inline(hit.title or "another essay")
            snippet = " ".join(sanitize_inline(hit.snippet).split())[:70]
            where = " › ".join(annotation.section_trail) or "Opening"
            # Content, not a str: the palette parses a str as markup, and a note or a
            # title such as "x [/b] y" ended the app (MarkupError)
            yield Hit(
                1.0 - rank / (len(hits) + 1),
                inert(f"“{snippet}” — {'this essay' if here else title}"),
                partial(open_note, self.app, annotation.id, annotation.essay_id, hit.path),
                text=snippet,
                help=inert_markup(
                    f"{where} · {annotation.kind.value} · {annotation.modified[:10]}"
                ),
            )


@runtime_checkable
class OpensEssays(Protocol):
    """An app that can show another essay in its reader (`EssayApp`)."""

    def open_essay(self, path: Path, annotation_id: str | None = None) -> None:
        """Read the essay at `path` and show it, at `annotation_id` when given."""


def open_note(app: object, annotation_id: str, essay_id: str, path: str) -> None:
    """Show a note found by "Find note…": here, or in its own essay opened at it."""
    assert isinstance(app, App) and isinstance(app, OpensEssays)
    reader = next(s for s in reversed(app.screen_stack) if isinstance(s, ReaderScreen))
    if essay_id == reader.essay.id:
        reader.go_to_annotation(annotation_id)
        return
    if not path or not Path(path).is_file():
        reader.say(f"The essay of that note is not found (last seen at {path or 'no file'}).")
        return
    app.open_essay(Path(path), annotation_id)


def essay_subtitle(essay: Essay) -> Text:
    """The line under the essay: its author, and, dimmed, who added its section headings
    when the edition says (front matter `headings: added by the editors`), so that a
    reader quoting a heading knows it is not the author's."""
    from essaytui.model.text import sanitize_inline

    subtitle = Text(sanitize_inline(essay.author))
    headings = sanitize_inline(essay.meta.get("headings", "")).strip()
    if headings:
        if subtitle:
            subtitle.append(" · ")
        subtitle.append(f"headings {headings}", style="dim italic")
    return subtitle


def prepare_essay(essay: Essay, wrapping: Callable[[Essay], tuple[int, int]]) -> TextLayout:
    """Do beforehand, in a worker thread, what showing `essay` in place of its first part
    would do on the UI thread: fill the essay's cached lookups, hash its text (its notes
    are placed by that hash), count its words (the time left on the status line), and
    wrap it at the width `wrapping` gives (`EssayView.wrapping`, which the caller runs on
    the UI thread). Each is cached for this essay object, so the swap then only hands
    over references: done on the UI thread, a 10 MB book held a key ~1 s.

    The layout is for `EssayView.offer`."""
    from essaytui.model.annotation import text_hash
    from essaytui.widgets.status import word_counts
    from essaytui.widgets.text_layout import TextLayout

    for lookup in (
        "_block_starts",
        "_section_starts",
        "_headings",
        "footnotes_by_label",
        "footnote_refs",
        "term_occurrences",
        "terms_by_id",
    ):
        getattr(essay, lookup)
    if essay.complete:
        text_hash(essay.reading_text)
    word_counts(essay.reading_text)
    width, table_width = wrapping(essay)
    return TextLayout(essay, width, table_width)


def side_pane(essay: Essay) -> Widget:
    """The side pane: Sources (the first tab, shown first), Glossary and Notes, each
    bound to the essay read."""
    from textual.widgets import TabPane

    from essaytui.widgets.glossary import GlossaryPane
    from essaytui.widgets.notes import NotesPane
    from essaytui.widgets.side_pane import SidePane
    from essaytui.widgets.sources import SourcesPane

    side = SidePane(id="side")
    for title, tab, pane in (
        ("Sources", "sources-tab", SourcesPane(essay, id="sources")),
        ("Glossary", "glossary-tab", GlossaryPane(essay, id="glossary")),
        ("Notes", "notes-tab", NotesPane(essay, id="notes")),
    ):
        side.compose_add_child(TabPane(title, pane.data_bind(ReaderScreen.essay), id=tab))
    return side


async def bring_side_pane(screen: ReaderScreen) -> None:
    """Build the side pane and put it in its placeholder's place, once the first screen
    is written: its ~20 widgets, their styles and modules cost the first frame ~30 ms
    and more, and the placeholder has kept the layout where the pane will be."""
    placeholders = screen.query(SidePlaceholder)
    # A reader quit within its first frames (q typed at once) is already taking its
    # widgets down: the pane has nowhere to go, and that is no error.
    if not placeholders or not screen.is_attached or not placeholders.first().is_attached:
        return
    placeholder = placeholders.first()
    panes = screen.query_one(ReaderPanes)
    try:
        await panes.mount(side_pane(screen.essay), after=placeholder)
    except MountError:
        return
    await placeholder.remove()
