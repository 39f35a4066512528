"""The Glossary pane: every term alphabetically (type to filter) and one term's entry."""

from __future__ import annotations

import bisect

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from essaytui.model.essay import Essay, Term


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

    BINDINGS = [
        Binding("escape", "back_to_list", "All terms", id="glossary.list"),
    ]

    class OccurrenceChosen(Message):
        """Enter on an occurrence: jump there in the essay."""

        def __init__(self, pane: GlossaryPane, term_id: str, start: int, end: int) -> None:
            super().__init__()
            self.pane = pane
            self.term_id = term_id
            self.start = start
            self.end = end

        @property
        def control(self) -> GlossaryPane:
            return self.pane

    def __init__(self, essay: Essay, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.essay = essay
        self.term: Term | None = None

    def compose(self) -> ComposeResult:
        # no select-on-focus: typing on the terms list moves focus here mid-word, and the
        # next key would otherwise replace the letters already typed
        yield Input(placeholder="Filter terms…", id="glossary-filter", select_on_focus=False)
        yield OptionList(id="glossary-terms")
        yield Static("", id="glossary-entry", markup=False)
        yield OptionList(id="glossary-occurrences")

    def on_mount(self) -> None:
        self._fill_terms("")
        self._show_entry(False)

    def set_essay(self, essay: Essay) -> None:
        """Show the glossary of `essay`."""
        self.essay = essay
        self._fill_terms(self.query_one("#glossary-filter", Input).value)
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

    def _show_entry(self, show: bool) -> None:
        self.query_one("#glossary-filter").display = not show
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
            [
                Option(snippet(text, start, end), id=f"{index}")
                for index, (start, end) in enumerate(term.occurrences[:2000])
            ]
        )
        if term.occurrences:
            starts = [start for start, _ in term.occurrences[:2000]]
            index = bisect.bisect_left(starts, near) if near is not None else 0
            occurrences.highlighted = index if index < len(starts) else 0
        self._show_entry(True)
        if focus:
            occurrences.focus()

    def action_back_to_list(self) -> None:
        self.term = None
        self._show_entry(False)
        self.query_one("#glossary-terms").focus()

    @on(Input.Changed, "#glossary-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._fill_terms(event.value)

    @on(Input.Submitted, "#glossary-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#glossary-terms").focus()

    @on(OptionList.OptionSelected, "#glossary-terms")
    def _term_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.open_term(event.option.id, focus=True)

    @on(OptionList.OptionSelected, "#glossary-occurrences")
    def _occurrence_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.term is None or event.option.id is None:
            return
        start, end = self.term.occurrences[int(event.option.id)]
        self.post_message(self.OccurrenceChosen(self, self.term.id, start, end))

    def on_key(self, event: events.Key) -> None:
        terms_list = self.query_one("#glossary-terms", OptionList)
        if (
            terms_list.has_focus
            and event.is_printable
            and event.character
            and event.character.isalpha()
        ):
            field = self.query_one("#glossary-filter", Input)
            field.value += event.character
            field.cursor_position = len(field.value)
            # now, not a turn later: the next letter typed must find the filter focused
            self.screen.set_focus(field)
            event.stop()
