"""The Sources pane: every footnote in order, its full text, a ↩ for each reference."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from essaytui.model.essay import EMPTY_ESSAY, BlockKind, Essay, Footnote, SpanKind
from essaytui.model.text import superscript
from essaytui.widgets.lists import ReaderList

_URL = re.compile(r"(?:https?|ftp|mailto|javascript|data|file):[^\s<>\"')\]]+", re.IGNORECASE)


def paragraph_numbers(essay: Essay) -> list[int]:
    """For each block, the number of the paragraph it is in (headings do not count)."""
    numbers: list[int] = []
    count = 0
    for block in essay.blocks:
        if block.kind is not BlockKind.HEADING:
            count += 1
        numbers.append(max(1, count))
    return numbers


def source_prompt(essay: Essay, note: Footnote, numbers: list[int]) -> Text:
    """How a source reads in the pane: number, text, and its references (¶ paragraph)."""
    text = Text()
    number = superscript(note.number) if note.number else "–"
    text.append(f"{number} ", style="bold")
    if not note.defined:
        text.append(f"[^{note.label}] is referenced but never defined.", style="italic")
    else:
        text.append(note.text.replace("\n\n", "\n"))
    if note.refs:
        backrefs = "  ".join(f"↩ ¶{numbers[essay.block_index_at(start)]}" for start, _ in note.refs)
        text.append(f"\n{backrefs}", style="dim")
    elif note.defined:
        text.append("\n(never referenced in the text)", style="dim italic")
    text.append("\n")
    return text


def note_urls(note: Footnote) -> list[str]:
    """Every address in a note, once each: written out, or behind a Markdown link."""
    found = _URL.findall(note.text)
    found += [
        span.data for block in note.blocks for span in block.spans if span.kind is SpanKind.LINK
    ]
    return list(dict.fromkeys(url for url in found if url))


@dataclass(frozen=True, slots=True)
class _Source:
    label: str


@dataclass(frozen=True, slots=True)
class _Link:
    url: str


@dataclass(frozen=True, slots=True)
class _More:
    direction: int


class SourcesPane(ReaderList):
    """Footnotes as a list. Enter on a source jumps to its (next) reference."""

    @dataclass
    class SourceChosen(Message):
        """Enter on a source: go to its reference."""

        pane: SourcesPane
        label: str

        @property
        def control(self) -> SourcesPane:
            return self.pane

    @dataclass
    class LinkChosen(Message):
        """Enter on a link inside a source: open it (after showing it)."""

        pane: SourcesPane
        url: str

        @property
        def control(self) -> SourcesPane:
            return self.pane

    #: How many sources the list holds at once; more are a keypress away, so an essay
    #: with thousands of notes opens the pane as fast as one with seven.
    WINDOW = 120

    #: The essay whose sources are listed (bound to the reader's).
    essay: var[Essay] = var(EMPTY_ESSAY, always_update=True, init=False)

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        #: What each option stands for, by its index.
        self._payloads: list[_Source | _Link | _More | None] = []
        self._window_start = 0
        self.set_reactive(SourcesPane.essay, essay)
        self.watch_essay(essay)

    def watch_essay(self, essay: Essay) -> None:
        """List the sources of `essay`."""
        self._numbers = paragraph_numbers(essay)
        self._positions = {note.label: index for index, note in enumerate(essay.footnotes)}
        self._fill(0)

    def _fill(self, start: int) -> None:
        notes = self.essay.footnotes
        start = max(0, min(start, len(notes) - self.WINDOW))
        self._window_start = start
        end = min(len(notes), start + self.WINDOW)
        self.clear_options()
        options: list[Option] = []
        payloads: list[_Source | _Link | _More | None] = []
        if start > 0:
            options.append(Option(Text(f"↑ {start} earlier sources: enter to show", style="dim")))
            payloads.append(_More(-1))
        for note in notes[start:end]:
            options.append(
                Option(source_prompt(self.essay, note, self._numbers), id=f"note:{note.label}")
            )
            payloads.append(_Source(note.label))
            for index, url in enumerate(note_urls(note)):
                link_id = f"link:{note.label}:{index}"
                options.append(Option(Text(f"   ↗ {url}", style="underline"), id=link_id))
                payloads.append(_Link(url))
        if end < len(notes):
            options.append(
                Option(Text(f"↓ {len(notes) - end} later sources: enter to show", style="dim"))
            )
            payloads.append(_More(1))
        if not options:
            options.append(Option("This essay has no footnotes.", disabled=True))
            payloads.append(None)
        self._payloads = payloads
        self.add_options(options)

    def show_source(self, label: str) -> None:
        """Highlight the source with `label` and scroll it into view."""
        position = self._positions.get(label)
        if position is None:
            return
        if not self._window_start <= position < self._window_start + self.WINDOW:
            self._fill(position - self.WINDOW // 4)
        for index, payload in enumerate(self._payloads):
            if payload == _Source(label):
                self.highlighted = index
                self.scroll_to_highlight(top=True)
                return

    @property
    def highlighted_label(self) -> str | None:
        """The label of the highlighted source, if a source is highlighted."""
        if self.highlighted is None or self.highlighted >= len(self._payloads):
            return None
        payload = self._payloads[self.highlighted]
        return payload.label if isinstance(payload, _Source) else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        payload = self._payloads[event.option_index]
        match payload:
            case _More(direction):
                step = self.WINDOW // 2
                target = (
                    self._window_start - step
                    if direction < 0
                    else self._window_start + self.WINDOW - 1 + step
                )
                notes = self.essay.footnotes
                self.show_source(notes[max(0, min(target, len(notes) - 1))].label)
            case _Source(label):
                self.post_message(self.SourceChosen(self, label))
            case _Link(url):
                self.post_message(self.LinkChosen(self, url))
