"""The peek: a footnote's source, a term's definition or a link's address under the
selected reference, placed where the layout leaves room for it."""

from __future__ import annotations

from essaytui.screens.reading.layout import PaneLayout
from essaytui.screens.reading.navigation import Navigation
from essaytui.screens.reading.reading import Reading
from essaytui.sessions.links import link_peek
from essaytui.sessions.targets import FootnoteRef, LinkRef, MatchRef, Target, TermHit
from essaytui.widgets.peek import Peek


class Peeking:
    """Keeps the peek on the selected reference, or hidden."""

    def __init__(self, reading: Reading, layout: PaneLayout, navigation: Navigation) -> None:
        self.reading = reading
        self.layout = layout
        self.navigation = navigation
        #: Whether the selected note's sidenote was on screen when the peek was last placed.
        self._in_margin = False

    def text_for(self, target: Target) -> tuple[str, str]:
        """What the peek shows for `target`, and its last line when cut."""
        essay = self.reading.essay
        match target:
            case FootnoteRef(label=label):
                note = essay.footnotes_by_label.get(label)
                if note is None or not note.defined:
                    return f"[^{label}] is referenced but never defined.", ""
                number = f"{note.number}. " if note.number else ""
                return f"{number}{note.text}\n\nenter: open in Sources", "… enter: the whole note"
            case TermHit(term_id=term_id):
                term = essay.terms_by_id.get(term_id)
                if term is None:
                    return "", ""
                return (
                    f"{term.name}: {term.definition}\n\nenter: open in Glossary",
                    "… enter: the whole entry",
                )
            case LinkRef(url=url, image=image):
                return link_peek(essay, url, image), ""
            case MatchRef():
                return "", ""

    def selected(self) -> None:
        """A new selection: its peek may show."""
        self.navigation.peek_closed_for = None
        # a note already in the margin (cut there) is peeked at whole when selected
        self._in_margin = self._note_in_margin()
        self.place()

    def _note_in_margin(self) -> bool:
        target = self.reading.view.target
        return isinstance(target, FootnoteRef) and self.reading.view.sidenote_is_shown(target.label)

    def place_later(self) -> None:
        """Place the peek once the layout has run."""
        # The panes' new places and sizes are known only then: a peek placed now would be
        # measured against the view as it was.
        self.reading.screen.call_after_refresh(self.place)

    def place(self) -> None:
        """Show the peek under the selected reference, or hide it."""
        peek = self.reading.screen.query_one(Peek)
        view = self.reading.view
        target = view.target
        text, more = self.text_for(target) if target is not None else ("", "")
        row = view.row_of(target.start) if target is not None else None
        if isinstance(target, FootnoteRef) and view.sidenote_is_whole(target.label):
            text = ""  # the whole note is in the margin beside its line
        in_margin = self._note_in_margin()
        if in_margin and not self._in_margin:
            # The layout brought the sidenotes in (z, p, a resize): the note is beside its
            # line now, and the same note twice on screen is one too many.
            self.navigation.peek_closed_for = target
        self._in_margin = in_margin
        closed = target == self.navigation.peek_closed_for
        if not text or row is None or self.layout.covered or closed:
            peek.hide()  # nothing to show, or a pane is over the text or shows it whole
            return
        area = view.scrollable_content_region
        peek.show_near(text, area, row, more=more, column=view.text_column)
