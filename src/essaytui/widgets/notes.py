"""The Notes pane: the reader's highlights, notes and bookmarks, by section."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from rich.text import Text
from textual import on
from textual.binding import BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from essaytui.actions import NOTES, action
from essaytui.model.anchoring import Anchor
from essaytui.model.annotation import COLORS, AnchorStatus, Annotation, Kind
from essaytui.model.essay import EMPTY_ESSAY, Essay
from essaytui.model.text import sanitize
from essaytui.typeahead import hold_keys
from essaytui.widgets.inert import inert
from essaytui.widgets.lists import ReaderList

KIND_FILTERS: tuple[str, ...] = ("all", "highlight", "note", "bookmark")
#: The colour filter's values: every colour, then each one.
COLOR_FILTERS: tuple[str, ...] = ("all", *COLORS)
_ICONS = {Kind.HIGHLIGHT: "▌", Kind.NOTE: "✎", Kind.BOOKMARK: "⚑"}
_STATUS = {
    AnchorStatus.ANCHORED: "",
    AnchorStatus.FUZZY: "≈ ",
    AnchorStatus.NEEDS_REVIEW: "? ",
    AnchorStatus.ORPHAN: "✗ ",
}


def _shorten(text: str, limit: int) -> str:
    text = " ".join(sanitize(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annotation_prompt(annotation: Annotation, status: AnchorStatus, settled: bool = True) -> Text:
    """How one annotation reads in the pane: kind, quote, note, date."""
    text = Text()
    text.append(f"{_ICONS.get(annotation.kind, '•')} ", style="bold")
    if _STATUS[status]:
        text.append(_STATUS[status], style="bold")
    text.append(f"“{_shorten(annotation.exact, 160)}”", style="italic")
    if annotation.note.strip():
        text.append("\n  " + _shorten(annotation.note, 300))
    meta = f"\n  {annotation.kind.value} · {_shorten(annotation.modified[:10], 10)}"
    if annotation.kind is not Kind.BOOKMARK:
        meta += f" · {_shorten(annotation.color, 20)}"
    if annotation.tags:
        # tags come from imports too: shown, like every other field, made inert
        meta += " · " + " ".join(f"#{_shorten(tag, 40)}" for tag in annotation.tags)
    if status is AnchorStatus.FUZZY:
        meta += " · moved (≈): c confirms the new place"
    elif status is AnchorStatus.NEEDS_REVIEW:
        meta += " · place uncertain: c accepts the proposed place"
    elif status is AnchorStatus.ORPHAN and not settled:
        meta += " · still looking for its place in this edition…"
    elif status is AnchorStatus.ORPHAN:
        meta += " · not found in this edition: select new text, then r"
    text.append(meta, style="dim")
    return text


class NotesPane(ReaderList):
    """Annotations of the essay grouped by section; orphans under their own heading."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action("e", "edit", "Edit note", id="notes.edit", group=NOTES, show=True),
        action(
            "x,delete",
            "delete",
            "Delete",
            id="notes.delete",
            group=NOTES,
            show=True,
            help="delete the annotation (ctrl+z or u brings it back)",
        ),
        action("u,ctrl+z", "undo", "Undo", id="notes.undo", group=NOTES, show=True),
        action(
            "r",
            "reattach",
            "Re-attach",
            id="notes.reattach",
            group=NOTES,
            help="re-attach a note not found in this edition to the text selected (v)",
        ),
        action(
            "c",
            "confirm",
            "Confirm place",
            id="notes.confirm",
            group=NOTES,
            help="accept the new place found for a moved (≈) annotation",
        ),
        action(
            "f",
            "cycle_filter",
            "Filter",
            id="notes.filter",
            group=NOTES,
            show=True,
            help="show all, only highlights, only notes or only bookmarks",
        ),
        action(
            "C",
            "cycle_color_filter",
            "Colour filter",
            id="notes.color_filter",
            group=NOTES,
            help="show every colour, or only yellow, green, blue, pink or purple",
        ),
        action(
            "number_sign",
            "cycle_tag_filter",
            "Tag filter",
            id="notes.tag_filter",
            group=NOTES,
            help="show every tag, or only the notes with one tag (each in turn)",
        ),
        action(
            "F",
            "clear_filters",
            "Clear filters",
            id="notes.clear_filters",
            group=NOTES,
            help="show every annotation again",
        ),
    ]

    @dataclass
    class Request(Message):
        """Something asked of one annotation in the pane (see the subclasses); the id is
        None when no annotation is highlighted."""

        pane: NotesPane
        annotation_id: str | None

        @property
        def control(self) -> NotesPane:
            return self.pane

    class GoTo(Request):
        """Enter: show the annotation in the essay."""

    class Edit(Request):
        """Edit the annotation's note."""

    class Delete(Request):
        """Delete the annotation (it can be brought back)."""

    class Reattach(Request):
        """Move a lost annotation to the text selected in the essay."""

    class Confirm(Request):
        """Accept the place found for a moved annotation."""

    @dataclass
    class Undo(Message):
        """Bring back what was last deleted or removed."""

        pane: NotesPane

        @property
        def control(self) -> NotesPane:
            return self.pane

    #: The essay whose annotations are listed (bound to the reader's).
    essay: var[Essay] = var(EMPTY_ESSAY, always_update=True, init=False)

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.set_reactive(NotesPane.essay, essay)
        self.kind_filter = "all"
        self.color_filter = "all"
        #: The tag shown alone ("" for every tag).
        self.tag_filter = ""
        self._annotations: list[Annotation] = []
        self._anchors: dict[str, Anchor] = {}

    def on_mount(self) -> None:
        self._fill()

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        """A refresh; one asked for by listing notes while the pane is hidden (another
        tab, or the side pane closed) lays nothing out: the list's height matters only
        once it is shown, and showing it lays the screen out anyway. A whole-screen
        layout costs ~10 ms at 4.4 MB, and saving a note lists them again."""
        if layout and not self.is_on_screen:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def watch_essay(self, essay: Essay) -> None:
        """Show the annotations of `essay` (keeps the list until set_annotations)."""
        self._fill()

    def set_annotations(
        self, annotations: Sequence[Annotation], anchors: Mapping[str, Anchor]
    ) -> None:
        """The annotations to list and where each was found in the current text."""
        self._annotations = list(annotations)
        self._anchors = dict(anchors)
        self._fill()

    def settled(self, annotation: Annotation) -> bool:
        """False while the search for `annotation`'s place ran out of time (tried again)."""
        anchor = self._anchors.get(annotation.id)
        return anchor is None or anchor.settled

    def status_of(self, annotation: Annotation) -> AnchorStatus:
        """How well `annotation` is anchored in the current text."""
        anchor = self._anchors.get(annotation.id)
        return anchor.status if anchor is not None else AnchorStatus.ANCHORED

    def _fill(self) -> None:
        highlighted_id = self.highlighted_id
        self.clear_options()
        shown = [annotation for annotation in self._annotations if self.passes(annotation)]
        placed: list[tuple[int, Annotation]] = []
        lost: list[Annotation] = []
        for annotation in shown:
            status = self.status_of(annotation)
            anchor = self._anchors.get(annotation.id)
            if status in (AnchorStatus.ORPHAN, AnchorStatus.NEEDS_REVIEW):
                lost.append(annotation)
            else:
                placed.append((anchor.start if anchor else annotation.start, annotation))
        placed.sort(key=lambda pair: pair[0])
        options: list[Option] = []
        current_section: object = ()
        for start, annotation in placed:
            section = self.essay.section_at(start)
            title = section.title if section is not None else self.essay.title
            if title != current_section:
                current_section = title
                options.append(
                    Option(Text(_shorten(title, 60), style="bold underline"), disabled=True)
                )
            options.append(
                Option(
                    annotation_prompt(
                        annotation, self.status_of(annotation), self.settled(annotation)
                    ),
                    id=annotation.id,
                )
            )
        if lost:
            options.append(
                Option(Text("Not found in this edition", style="bold underline"), disabled=True)
            )
            for annotation in lost:
                options.append(
                    Option(
                        annotation_prompt(
                            annotation, self.status_of(annotation), self.settled(annotation)
                        ),
                        id=annotation.id,
                    )
                )
        if not options:
            hint = (
                "No notes yet: select text with v, then h (highlight) or a (note); m bookmarks."
                if not self.filtering
                else f"None shown: {self.filter_label}. F shows everything."
            )
            options.append(Option(inert(hint), disabled=True))
        self.add_options(options)
        # the filter names a tag: a str title would be parsed as markup
        self.border_title = inert(f"Notes ({len(shown)}) · showing: {self.filter_label or 'all'}")
        if highlighted_id is not None:
            self.highlight_annotation(highlighted_id)
        elif self.highlighted is None:
            first = next((i for i, option in enumerate(options) if not option.disabled), None)
            if first is not None:
                self.highlighted = first

    @property
    def highlighted_id(self) -> str | None:
        """The id of the highlighted annotation, if any."""
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def highlight_annotation(self, annotation_id: str) -> None:
        """Highlight the annotation with this id, if it is listed."""
        try:
            self.highlighted = self.get_option_index(annotation_id)
        except Exception:  # noqa: BLE001 - not listed (filtered out or gone)
            return

    # -- filters -----------------------------------------------------------------------

    def passes(self, annotation: Annotation) -> bool:
        """Whether `annotation` is shown with the filters set."""
        if self.kind_filter != "all" and annotation.kind.value != self.kind_filter:
            return False
        if self.color_filter != "all" and (
            annotation.kind is Kind.BOOKMARK or annotation.color != self.color_filter
        ):
            return False
        return not self.tag_filter or self.tag_filter.casefold() in (
            tag.casefold() for tag in annotation.tags
        )

    @property
    def filtering(self) -> bool:
        """Whether any filter is set."""
        return (self.kind_filter, self.color_filter, self.tag_filter) != ("all", "all", "")

    @property
    def filter_label(self) -> str:
        """What the filters show, as the pane's title says it ("" when none is set)."""
        parts = []
        if self.kind_filter != "all":
            parts.append(f"{self.kind_filter}s")
        if self.color_filter != "all":
            parts.append(self.color_filter)
        if self.tag_filter:
            parts.append(f"#{_shorten(self.tag_filter, 40)}")
        return " · ".join(parts) + " only" if parts else ""

    def tags(self) -> list[str]:
        """The tags of the annotations listed, sorted."""
        found = {tag for annotation in self._annotations for tag in annotation.tags}
        return sorted(found, key=str.casefold)

    def action_cycle_filter(self) -> None:
        index = KIND_FILTERS.index(self.kind_filter)
        self.kind_filter = KIND_FILTERS[(index + 1) % len(KIND_FILTERS)]
        self._fill()

    def action_cycle_color_filter(self) -> None:
        index = COLOR_FILTERS.index(self.color_filter)
        self.color_filter = COLOR_FILTERS[(index + 1) % len(COLOR_FILTERS)]
        self._fill()

    def action_cycle_tag_filter(self) -> None:
        choices = ["", *self.tags()]
        index = choices.index(self.tag_filter) if self.tag_filter in choices else 0
        self.tag_filter = choices[(index + 1) % len(choices)]
        self._fill()

    def action_clear_filters(self) -> None:
        self.kind_filter, self.color_filter, self.tag_filter = "all", "all", ""
        self._fill()

    def _ask(self, request: type[Request]) -> None:
        self.post_message(request(self, self.highlighted_id))

    def action_edit(self) -> None:
        if self.highlighted_id:
            hold_keys(self)  # the editor opens on the next turn: what is typed next is the note
        self._ask(self.Edit)

    def action_delete(self) -> None:
        self._ask(self.Delete)

    def action_reattach(self) -> None:
        self._ask(self.Reattach)

    def action_confirm(self) -> None:
        self._ask(self.Confirm)

    def action_undo(self) -> None:
        self.post_message(self.Undo(self))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.GoTo(self, event.option.id))
