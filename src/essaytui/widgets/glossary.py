"""The Glossary pane: every term alphabetically (type to filter) and one term's entry."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from essaytui.actions import LISTS, action
from essaytui.model.essay import EMPTY_ESSAY, Essay, Term
from essaytui.widgets.lists import ReaderList, bound_keys

#: Most occurrences an entry lists.
MAX_OCCURRENCES = 2000


def snippet(text: str, start: int, end: int, width: int = 36) -> Text:
    """The words around `[start, end)` with the match emphasised."""
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    result = Text("…" + left.lstrip())
    result.append(text[start:end], style="bold underline")
    result.append(right.rstrip() + "…")
    return result


class GlossaryPane(Vertical):
    """Terms list with a filter; `open_term` shows one term's entry and occurrences."""

    BINDINGS: ClassVar[list[BindingType]] = [
        action(
            "escape",
            "back_to_list",
            "All terms",
            id="glossary.list",
            group=LISTS,
            show=True,
            palette=False,
            help="in Glossary: from an entry or the filter back to the list of terms",
        ),
        action(
            "slash",
            "filter",
            "Filter",
            id="glossary.filter",
            group=LISTS,
            palette=False,
            help="in Glossary: type to narrow the terms (any letter on the list starts it)",
        ),
    ]

    @dataclass
    class OccurrenceChosen(Message):
        """Enter on an occurrence: jump there in the essay."""

        pane: GlossaryPane
        term_id: str
        start: int
        end: int

        @property
        def control(self) -> GlossaryPane:
            return self.pane

    #: The essay whose glossary is shown (bound to the reader's).
    essay: var[Essay] = var(EMPTY_ESSAY, always_update=True, init=False)

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.set_reactive(GlossaryPane.essay, essay)
        self.term: Term | None = None

    def compose(self) -> ComposeResult:
        # no select-on-focus: typing on the terms list moves focus here mid-word, and the
        # next key would otherwise replace the letters already typed
        yield Input(placeholder="Filter terms…", id="glossary-filter", select_on_focus=False)
        yield Static("", id="glossary-showing", markup=False)
        yield ReaderList(id="glossary-terms")
        yield Static("", id="glossary-entry", markup=False)
        yield ReaderList(id="glossary-occurrences")

    def on_mount(self) -> None:
        if not self.query("#glossary-terms"):
            return  # taken down as it came (the reader quit within its first frames)
        self._fill_terms("")
        self._show_entry(False)

    def watch_essay(self, essay: Essay) -> None:
        """Show the glossary of `essay`."""
        fields = self.query("#glossary-filter").results(Input)
        field = next(fields, None)
        if field is None:
            return  # not built yet, or being taken down as the reader quits
        self._fill_terms(field.value)
        if self.term is not None and self.term.id in essay.terms_by_id:
            self.open_term(self.term.id)

    def _fill_terms(self, needle: str) -> None:
        terms_list = self.query_one("#glossary-terms", OptionList)
        terms_list.clear_options()
        needle = needle.casefold().strip()
        options = []
        for term in sorted(self.essay.glossary, key=lambda term: term.name.casefold()):
            names = [term.name, *term.aliases]
            if needle and not any(needle in name.casefold() for name in names):
                continue
            label = Text(term.name, style="bold")
            if term.aliases:
                label.append(f"  ({', '.join(term.aliases)})", style="dim")
            label.append(f"  ×{len(term.occurrences)}", style="dim")
            options.append(Option(label, id=term.id))
        if not options:
            message = "No term matches." if needle else "This essay has no glossary."
            options.append(Option(message, disabled=True))
        terms_list.add_options(options)
        if options and not options[0].disabled:
            terms_list.highlighted = 0
        shown = sum(1 for option in options if not option.disabled)
        total = len(self.essay.glossary)
        self.query_one("#glossary-showing", Static).update(
            f"showing {shown} of {total} terms matching “{needle}”"
            if needle
            else f"{total} terms · type to filter"
        )

    def _show_entry(self, show: bool) -> None:
        self.query_one("#glossary-filter").display = not show
        self.query_one("#glossary-showing").display = not show
        self.query_one("#glossary-terms").display = not show
        self.query_one("#glossary-entry").display = show
        self.query_one("#glossary-occurrences").display = show

    def open_term(self, term_id: str, *, focus: bool = False, near: int | None = None) -> None:
        """Show the entry of `term_id`: definition, aliases, count, occurrences.

        The occurrence at or after offset `near` (else the first) is highlighted, so enter
        on it goes on from where the reader came from.
        """
        term = self.essay.terms_by_id.get(term_id)
        if term is None:
            return
        self.term = term
        # the name alone is bold: a style given to Text() would embolden the whole entry
        entry = Text()
        entry.append(term.name, style="bold")
        if term.aliases:
            entry.append("\nalso: " + ", ".join(term.aliases), style="italic")
        entry.append("\n\n" + term.definition)
        if term.see_also:
            entry.append("\n\nSee also: " + "; ".join(term.see_also), style="dim")
        count = len(term.occurrences)
        entry.append(
            f"\n\n{count} occurrence{'s' if count != 1 else ''} in the essay:", style="dim"
        )
        self.query_one("#glossary-entry", Static).update(entry)
        occurrences = self.query_one("#glossary-occurrences", OptionList)
        occurrences.clear_options()
        text = self.essay.reading_text
        occurrences.add_options(
            [Option(snippet(text, start, end)) for start, end in term.occurrences[:MAX_OCCURRENCES]]
        )
        if term.occurrences:
            starts = [start for start, _ in term.occurrences[:MAX_OCCURRENCES]]
            index = bisect.bisect_left(starts, near) if near is not None else 0
            occurrences.highlighted = index if index < len(starts) else 0
        self._show_entry(True)
        if focus:
            occurrences.focus()

    def focus_list(self) -> None:
        """Focus what the pane shows: the open entry's occurrences, else the terms."""
        target = "#glossary-occurrences" if self.term is not None else "#glossary-terms"
        self.screen.set_focus(self.query_one(target))

    def action_back_to_list(self) -> None:
        self.term = None
        self._show_entry(False)
        self.screen.set_focus(self.query_one("#glossary-terms"))

    @on(Input.Changed, "#glossary-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._fill_terms(event.value)

    def action_filter(self) -> None:
        self._show_entry(False)
        self.term = None
        self.screen.set_focus(self.query_one("#glossary-filter", Input))

    @on(Input.Submitted, "#glossary-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        terms_list = self.query_one("#glossary-terms", OptionList)
        enabled = [
            terms_list.get_option_at_index(index)
            for index in range(terms_list.option_count)
            if not terms_list.get_option_at_index(index).disabled
        ]
        if len(enabled) == 1 and enabled[0].id:
            self.open_term(enabled[0].id, focus=True)  # one match: open it
            return
        self.screen.set_focus(terms_list)

    @on(OptionList.OptionSelected, "#glossary-terms")
    def _term_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.open_term(event.option.id, focus=True)

    @on(OptionList.OptionSelected, "#glossary-occurrences")
    def _occurrence_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.term is None:
            return
        start, end = self.term.occurrences[event.option_index]
        self.post_message(self.OccurrenceChosen(self, self.term.id, start, end))

    def on_key(self, event: events.Key) -> None:
        terms_list = self.query_one("#glossary-terms", OptionList)
        if (
            terms_list.has_focus
            and event.is_printable
            and event.character
            and event.character.isalpha()
            and event.key not in bound_keys(terms_list)  # j k g G move in the list
        ):
            field = self.query_one("#glossary-filter", Input)
            field.value += event.character
            field.cursor_position = len(field.value)
            # now, not a turn later: the next letter typed must find the filter focused
            self.screen.set_focus(field)
            event.stop()
