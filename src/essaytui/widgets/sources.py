"""The Sources pane: every footnote in order, its full text, a ↩ for each reference."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from essaytui.model.essay import EMPTY_ESSAY, BlockKind, Essay, Footnote, SpanKind
from essaytui.model.text import superscript
from essaytui.widgets.lists import ReaderList

_URL = re.compile(r"(?:https?|ftp|mailto|javascript|data|file):[^\s<>\"'\]]+", re.IGNORECASE)


def paragraph_numbers(essay: Essay) -> list[int]:
    """For each block, the number of the paragraph it is in (headings do not count)."""
    numbers: list[int] = []
    count = 0
    for block in essay.blocks:
        if block.kind is not BlockKind.HEADING:
            count += 1
        numbers.append(max(1, count))
    return numbers


#: How the search's matches inside a note are marked (legible in every theme).
MATCH_STYLE = "reverse"


def source_prompt(
    essay: Essay, note: Footnote, numbers: list[int], matches: Sequence[tuple[int, int]] = ()
) -> Text:
    """How a source reads in the pane: number, text, and its references (¶ paragraph).

    `matches` are ranges of the note's text to mark (the current search's).
    """
    text = Text()
    number = superscript(note.number) if note.number else "–"
    # A note that opens with CJK text follows its number closely: after a space, the
    # list would take the whole run of characters (no space to break at) to the next
    # line and leave the number alone on its own.
    # The same when the run opens with a quotation mark or a bracket: “中俄…” is one run.
    first = note.text.split(maxsplit=1)[0][:4] if note.text.strip() else ""
    opens_wide = note.defined and any(cell_len(character) == 2 for character in first)
    text.append(number if opens_wide else f"{number} ", style="bold")
    if not note.defined:
        text.append(f"[^{note.label}] is referenced but never defined.", style="italic")
    else:
        text.append_text(_note_body(note.text, matches))
    if note.refs:
        backrefs = "  ".join(f"↩ ¶{numbers[essay.block_index_at(start)]}" for start, _ in note.refs)
        text.append(f"\n{backrefs}", style="dim")
    elif note.defined:
        text.append("\n(never referenced in the text)", style="dim italic")
    text.append("\n")
    return text


def _note_body(body: str, matches: Sequence[tuple[int, int]]) -> Text:
    """The note's text with its paragraphs one line apart and `matches` marked."""
    text = Text()
    removed = 0  # characters dropped before the current piece (one per paragraph break)
    position = 0
    marks: list[tuple[int, int]] = []
    for index, piece in enumerate(body.split("\n\n")):
        if index:
            text.append("\n")
            position += 2
            removed += 1
        end = position + len(piece)
        for start, stop in matches:
            if start < end and stop > position:
                marks.append((max(start, position) - removed, min(stop, end) - removed))
        text.append(piece)
        position = end
    for start, stop in marks:
        text.stylize(MATCH_STYLE, start, stop)
    return text


def _trimmed_url(url: str) -> str:
    """An address written out in text, without the punctuation of the sentence after it
    ("see https://x.org/a." is x.org/a) or a ")" it does not open (GitHub's rule)."""
    opened, closed = url.count("("), url.count(")")
    end = len(url)
    while end and url[end - 1] in ".,;:!?*)":
        if url[end - 1] == ")":
            if opened >= closed:
                break
            closed -= 1
        end -= 1
    return url[:end]


def note_urls(note: Footnote) -> list[str]:
    """Every address in a note, once each: written out, or behind a Markdown link."""
    found = [_trimmed_url(url) for url in _URL.findall(note.text)]
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

    #: Sources added to the list at a time. Laying a source out costs ~0.5 ms (a
    #: README's 372 notes: 200 ms at once), so the list holds the sources near the
    #: highlight and adds the next ones as the reader nears either end of it: any number
    #: of notes opens as fast as a hundred, and scrolling, G and End reach the last.
    CHUNK = 100
    #: Within this many options of an end of the list, the next sources are added.
    MARGIN = 12

    #: The essay whose sources are listed (bound to the reader's).
    essay: var[Essay] = var(EMPTY_ESSAY, always_update=True, init=False)
    #: The search's matches inside notes, by label (marked in the sources).
    matches: var[dict[str, list[tuple[int, int]]]] = var(dict, always_update=True, init=False)

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        #: What each option stands for, by its index.
        self._payloads: list[_Source | _Link | None] = []
        #: The sources listed: `essay.footnotes[first:stop]`.
        self._first = 0
        self._stop = 0
        #: Each source's options, made once (laying an option out again is ~30x cheaper).
        self._entries: dict[str, list[tuple[Option, _Source | _Link]]] = {}
        self.set_reactive(SourcesPane.essay, essay)
        self.watch_essay(essay)

    def watch_essay(self, essay: Essay) -> None:
        """List the sources of `essay`."""
        self._numbers = paragraph_numbers(essay)
        self._positions = {note.label: index for index, note in enumerate(essay.footnotes)}
        self._entries.clear()
        self._fill(0, self.CHUNK)

    def watch_matches(
        self, old: dict[str, list[tuple[int, int]]], new: dict[str, list[tuple[int, int]]]
    ) -> None:
        """Mark the new matches: only the sources whose marks changed are made again."""
        changed = [label for label in old.keys() | new.keys() if old.get(label) != new.get(label)]
        notes = self.essay.footnotes
        for label in changed:
            position = self._positions.get(label)
            if position is None or not self._first <= position < self._stop:
                self._entries.pop(label, None)  # made again, marked, when it is listed
                continue
            prompt = source_prompt(self.essay, notes[position], self._numbers, new.get(label, ()))
            self.replace_option_prompt(f"note:{label}", prompt)

    # -- what is listed --------------------------------------------------------------

    def _entries_of(self, index: int) -> list[tuple[Option, _Source | _Link]]:
        note = self.essay.footnotes[index]
        entries = self._entries.get(note.label)
        if entries is None:
            prompt = source_prompt(
                self.essay, note, self._numbers, self.matches.get(note.label, ())
            )
            entries = [(Option(prompt, id=f"note:{note.label}"), _Source(note.label))]
            for number, url in enumerate(note_urls(note)):
                link = Option(
                    Text(f"   ↗ {url}", style="underline"), id=f"link:{note.label}:{number}"
                )
                entries.append((link, _Link(url)))
            self._entries[note.label] = entries
        return entries

    def _options_of(self, first: int, stop: int) -> tuple[list[Option], list[_Source | _Link]]:
        options: list[Option] = []
        payloads: list[_Source | _Link] = []
        for index in range(first, stop):
            for option, payload in self._entries_of(index):
                options.append(option)
                payloads.append(payload)
        return options, payloads

    def _fill(self, first: int, stop: int) -> None:
        """List the sources `[first, stop)` (at least a chunk of them) and nothing else."""
        count = len(self.essay.footnotes)
        first = max(0, min(first, count - self.CHUNK))
        stop = min(count, max(stop, first + self.CHUNK))
        self.clear_options()
        options, payloads = self._options_of(first, stop)
        self._first, self._stop = first, stop
        self._payloads = [*payloads]
        if not options:
            options.append(Option("This essay has no footnotes.", disabled=True))
            self._payloads.append(None)
        self.add_options(options)

    def _add_later(self) -> None:
        """List the next chunk of sources after the last one listed."""
        stop = min(len(self.essay.footnotes), self._stop + self.CHUNK)
        options, payloads = self._options_of(self._stop, stop)
        self._stop = stop
        self._payloads.extend(payloads)
        self.add_options(options)

    def _add_earlier(self) -> None:
        """List the chunk of sources before the first one listed; nothing on screen moves."""
        highlighted, scroll_y = self.highlighted, self.scroll_y
        first = max(0, self._first - self.CHUNK)
        added = sum(len(self._entries_of(index)) for index in range(first, self._first))
        self._fill(first, self._stop)
        # OptionList knows each option's first line only privately; it is the way to
        # keep the view still while options arrive above it.
        shift = self._index_to_line.get(added, 0)
        if highlighted is not None:
            with self.prevent(OptionList.OptionHighlighted):
                self.highlighted = highlighted + added
        self.scroll_to(y=scroll_y + shift, animate=False, immediate=True)

    @property
    def _more_later(self) -> bool:
        return self._stop < len(self.essay.footnotes)

    # -- reaching every source -------------------------------------------------------

    def action_cursor_down(self) -> None:
        if self._more_later and (self.highlighted or 0) >= self.option_count - self.MARGIN:
            self._add_later()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self._first > 0 and (self.highlighted or 0) <= self.MARGIN:
            self._add_earlier()
        super().action_cursor_up()

    def action_page_down(self) -> None:
        if self._more_later and (self.highlighted or 0) >= self.option_count - 3 * self.MARGIN:
            self._add_later()
        super().action_page_down()  # type: ignore[no-untyped-call]

    def action_page_up(self) -> None:
        if self._first > 0 and (self.highlighted or 0) <= 3 * self.MARGIN:
            self._add_earlier()
        super().action_page_up()  # type: ignore[no-untyped-call]

    def action_first(self) -> None:
        if self._first > 0:
            self._fill(0, self.CHUNK)
        super().action_first()

    def action_last(self) -> None:
        if self._more_later:
            count = len(self.essay.footnotes)
            self._fill(count - self.CHUNK, count)
        super().action_last()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # the wheel or the scroll bar near an end: list more before it is reached
        if self._near_an_end():
            self.call_later(self._list_more_near_ends)

    def _near_an_end(self) -> bool:
        near_bottom = self.scroll_y >= self.max_scroll_y - self.scrollable_content_region.height
        return (self._more_later and near_bottom) or (self._first > 0 and self.scroll_y < 1)

    def _list_more_near_ends(self) -> None:
        if not self._near_an_end():
            return
        if self._more_later and self.scroll_y >= 1:
            self._add_later()
        else:
            self._add_earlier()

    def show_source(self, label: str) -> None:
        """Highlight the source with `label` and scroll it into view."""
        position = self._positions.get(label)
        if position is None:
            return
        if not self._first <= position < self._stop:
            self._fill(position - self.CHUNK // 4, position + self.CHUNK // 2)
        self._highlight(label)
        self.scroll_to_highlight(top=True)

    def _highlight(self, label: str) -> None:
        for index, payload in enumerate(self._payloads):
            if payload == _Source(label):
                self.highlighted = index
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
            case _Source(label):
                self.post_message(self.SourceChosen(self, label))
            case _Link(url):
                self.post_message(self.LinkChosen(self, url))
