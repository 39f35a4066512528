"""Quotations and exports: y (copy with the citation), the quotations file when no
clipboard works, the citation style, and the export of this essay's annotations."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from essaytui.screens.reading.annotations import Annotations
from essaytui.screens.reading.reading import Reading
from essaytui.store import AnnotationStore
from essaytui.ui_thread import show_from_worker

#: The file in the export folder that quotations are added to when no clipboard works.
QUOTATIONS_FILE = "quotations.md"


def export_folder(store: AnnotationStore) -> Path:
    """Where the in-app export writes: the data folder, or home when that is unusable."""
    if store.persistent and store.path is not None:
        return store.path.parent / "exports"
    return Path.home()


class Quoting:
    """What leaves the reader as text: quotations and exports."""

    def __init__(self, reading: Reading, annotations: Annotations) -> None:
        self.reading = reading
        self.annotations = annotations
        #: The last quotation copied with y (for "write the last quotation to a file").
        self.last_quotation = ""
        #: The Markdown file the last export wrote.
        self.last_export: Path | None = None

    def copy_quote(self) -> None:
        """y: the selection as a quotation with its citation, to the clipboard."""
        selected = self.annotations.selection_or_hint()
        if selected is None:
            return
        self.reading.view.end_selection()
        style = self.reading.notes.citation_style()
        # off the event loop: the citation processor's first use loads it (~0.2 s)
        self.reading.screen.run_worker(
            partial(self._cite, *selected, style),
            thread=True,
            group="cite",
            exclusive=True,
            description="citing",
        )

    def _cite(self, start: int, end: int, style: str) -> None:
        from essaytui.interchange.citation import CitationError

        call = partial(show_from_worker, self.reading.screen.app)
        try:
            quotation = self.reading.notes.quotation(start, end, style)
        except CitationError as error:
            call(self.reading.say, f"Not copied: {error}", 10)
            return
        call(self._copy_quotation, quotation)

    def _copy_quotation(self, quotation: str) -> None:
        from essaytui.clipboard import TERMINAL_CLIPBOARD, copy_text

        self.last_quotation = quotation
        copied = copy_text(quotation, osc52=self.reading.screen.app.copy_to_clipboard)
        if copied.way is None:
            self._offer_quotation_file(copied.problem)
        elif copied.way == TERMINAL_CLIPBOARD:
            self.reading.say(
                f"Copied the quotation ({copied.way}). If nothing pastes, this terminal "
                "ignores it: ctrl+p, “write the last quotation to a file”.",
                seconds=8,
            )
        else:
            self.reading.say(f"Copied the quotation with its citation ({copied.way}).")

    def _offer_quotation_file(self, problem: str) -> None:
        from essaytui.screens.confirm import ConfirmScreen

        path = export_folder(self.reading.store) / QUOTATIONS_FILE

        def answered(write: bool | None) -> None:
            if write:
                self.write_quotation()

        self.reading.screen.app.push_screen(
            ConfirmScreen(
                f"The quotation could not be copied: {problem}.\n\nAdd it to {path} instead?"
            ),
            answered,
        )

    def write_quotation(self) -> None:
        """Add the last quotation copied to the quotations file, and say where."""
        say = self.reading.say
        if not self.last_quotation:
            say("No quotation yet: select a passage (v) and press y.")
            return
        path = export_folder(self.reading.store) / QUOTATIONS_FILE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"{self.last_quotation}\n\n")
        except OSError as error:
            say(f"Could not write {path}: {error.strerror or error}", seconds=10)
            return
        say(f"Added the quotation to {path}", seconds=10)

    def choose_style(self, key: str) -> None:
        """Make `key` the citation style (a setting, kept in the notes database)."""
        from essaytui.interchange.citation import CitationError

        try:
            change = self.reading.notes.choose_style(key)
        except CitationError as error:
            self.reading.say(str(error))
            return
        self.annotations.perform(change)

    def export(self) -> None:
        """Write this essay's annotations as Markdown and JSON files, and say where."""
        try:
            markdown, count = self.reading.notes.export(export_folder(self.reading.store))
        except OSError as error:
            self.reading.say(f"Export failed: {error.strerror or error}", seconds=10)
            return
        self.last_export = markdown
        self.reading.say(f"Exported {count} annotations to {markdown} (and .json)", seconds=12)
