"""The Sources pane: every footnote in order, its full text, a ↩ for each reference."""

from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from essaytui.model.essay import BlockKind, Essay, Footnote, SpanKind, superscript

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


class SourcesPane(OptionList):
    """Footnotes as a list. Enter on a source jumps to its (next) reference."""

    class SourceChosen(Message):
        """Enter on a source: go to its reference."""

        def __init__(self, pane: SourcesPane, label: str) -> None:
            super().__init__()
            self.pane = pane
            self.label = label

        @property
        def control(self) -> SourcesPane:
            return self.pane

    class LinkChosen(Message):
        """Enter on a link inside a source: open it (after showing it)."""

        def __init__(self, pane: SourcesPane, url: str) -> None:
            super().__init__()
            self.pane = pane
            self.url = url

        @property
        def control(self) -> SourcesPane:
            return self.pane

    #: How many sources the list holds at once; more are a keypress away, so an essay
    #: with thousands of notes opens the pane as fast as one with seven.
    WINDOW = 120

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._links: dict[str, str] = {}
        self._window_start = 0
        self.set_essay(essay)

    def set_essay(self, essay: Essay) -> None:
        """List the sources of `essay`."""
        self.essay = essay
        self._numbers = paragraph_numbers(essay)
        self._positions = {note.label: index for index, note in enumerate(essay.footnotes)}
        self._fill(0)

    def _fill(self, start: int) -> None:
        notes = self.essay.footnotes
        start = max(0, min(start, len(notes) - self.WINDOW))
        self._window_start = start
        end = min(len(notes), start + self.WINDOW)
        self.clear_options()
        self._links = {}
        options: list[Option] = []
        if start > 0:
            options.append(
                Option(Text(f"↑ {start} earlier sources: enter to show", style="dim"), id="more:up")
            )
        for note in notes[start:end]:
            options.append(
                Option(source_prompt(self.essay, note, self._numbers), id=f"note:{note.label}")
            )
            for index, url in enumerate(note_urls(note)):
                link_id = f"link:{note.label}:{index}"
                self._links[link_id] = url
                options.append(Option(Text(f"   ↗ {url}", style="underline"), id=link_id))
        if end < len(notes):
            options.append(
                Option(
                    Text(f"↓ {len(notes) - end} later sources: enter to show", style="dim"),
                    id="more:down",
                )
            )
        if not options:
            options.append(Option("This essay has no footnotes.", disabled=True))
        self.add_options(options)

    def show_source(self, label: str) -> None:
        """Highlight the source with `label` and scroll it into view."""
        position = self._positions.get(label)
        if position is None:
            return
        if not self._window_start <= position < self._window_start + self.WINDOW:
            self._fill(position - self.WINDOW // 4)
        index = self.get_option_index(f"note:{label}")
        self.highlighted = index
        self.scroll_to_highlight(top=True)

    @property
    def highlighted_label(self) -> str | None:
        """The label of the highlighted source, if a source is highlighted."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        if option_id.startswith("note:"):
            return option_id[5:]
        return None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id in ("more:up", "more:down"):
            step = self.WINDOW // 2
            target = (
                self._window_start - step
                if option_id == "more:up"
                else (self._window_start + self.WINDOW - 1 + step)
            )
            notes = self.essay.footnotes
            label = notes[max(0, min(target, len(notes) - 1))].label
            self.show_source(label)
            return
        if option_id.startswith("note:"):
            self.post_message(self.SourceChosen(self, option_id[5:]))
        elif option_id in self._links:
            self.post_message(self.LinkChosen(self, self._links[option_id]))
