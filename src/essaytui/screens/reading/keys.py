"""The reader screen's keys and its palette commands without keys: what `ReaderScreen`
binds, kept here so the screen's class is the routing alone."""

from __future__ import annotations

from textual.binding import Binding

from essaytui.actions import (
    ANNOTATIONS,
    GENERAL,
    GLOSSARY,
    JUMPS,
    PANES,
    SEARCH,
    SELECTING,
    action,
)
from essaytui.interchange.styles import STYLES
from essaytui.model.annotation import COLORS
from essaytui.screens.reading.quoting import QUOTATIONS_FILE

#: The reader's own keys (the panes' keys are in their BINDINGS).
READER_BINDINGS: list[Binding] = [
    action(
        "slash",
        "search",
        "Search",
        id="reader.search",
        group=SEARCH,
        show=True,
        help="search (case-insensitive; re: for a regular expression), from the top of the view",
    ),
    action("n", "next_match(1)", "Next match", id="reader.next_match", group=SEARCH),
    action("N", "next_match(-1)", "Previous match", id="reader.previous_match", group=SEARCH),
    action(
        "asterisk",
        "search_selection",
        "Search for this",
        id="reader.search_selection",
        group=SEARCH,
        help="search for the selected text, term or link",
    ),
    action(
        "escape",
        "clear_search",
        "Clear search",
        id="reader.clear_search",
        group=SEARCH,
        palette=False,
    ),
    action(
        "backspace,ctrl+o,less_than_sign",
        "back",
        "Back",
        id="reader.back",
        group=JUMPS,
        show=True,
        help="back to exactly where you were before the last jump",
    ),
    action(
        "greater_than_sign",
        "forward",
        "Forward",
        id="reader.forward",
        group=JUMPS,
        help="forward again to where back came from",
    ),
    action(
        "apostrophe",
        "bookmark_step(1)",
        "Next bookmark",
        id="reader.next_bookmark",
        group=JUMPS,
        help="go to the next bookmark (m makes one)",
    ),
    action(
        "grave_accent",
        "bookmark_step(-1)",
        "Previous bookmark",
        id="reader.previous_bookmark",
        group=JUMPS,
    ),
    action(
        "o",
        "toggle_outline",
        "Show or hide the outline",
        id="reader.outline",
        group=PANES,
        show=True,
    ),
    action(
        "p",
        "toggle_side",
        "Show or hide the side pane",
        id="reader.side",
        group=PANES,
        show=True,
    ),
    # While a selection is active, 1–5 colour it (check_action); otherwise they fall
    # through to the pane keys below, bound to the same keys.
    *(
        action(
            str(number),
            f"color({number})",
            f"Colour {color}",
            id=f"reader.color_{color}",
            group=SELECTING,
            help=f"while selecting: {color} for the highlight or note (recolours the "
            "ones the selection touches)",
        )
        for number, color in enumerate(COLORS, start=1)
    ),
    action("1", "focus_pane('outline')", "Focus outline", id="reader.focus_outline", group=PANES),
    action("2", "focus_pane('essay')", "Focus essay", id="reader.focus_essay", group=PANES),
    action("3", "focus_pane('sources')", "Focus sources", id="reader.focus_sources", group=PANES),
    action(
        "4", "focus_pane('glossary')", "Focus glossary", id="reader.focus_glossary", group=PANES
    ),
    action("5", "focus_pane('notes')", "Focus notes", id="reader.focus_notes", group=PANES),
    action(
        "z",
        "focus_mode",
        "Focus mode",
        id="reader.focus_mode",
        group=PANES,
        help="the essay alone (the status line stays); z again for the panes",
    ),
    action(
        "plus,equals_sign",
        "measure(4)",
        "Wider text",
        id="reader.wider",
        group=PANES,
        help="a wider text column (up to 100 cells; remembered)",
    ),
    action(
        "minus",
        "measure(-4)",
        "Narrower text",
        id="reader.narrower",
        group=PANES,
        help="a narrower text column (down to 50 cells; remembered)",
    ),
    action(
        "i",
        "about",
        "About this edition",
        id="reader.about",
        group=GENERAL,
        help="title, series, author, the author's note, source, editorial note, length",
    ),
    action(
        "A",
        "toggle_all_terms",
        "All term marks",
        id="reader.all_terms",
        group=GLOSSARY,
        help="mark every glossary term, or only the first in each section",
    ),
    action(
        "h",
        "highlight",
        "Highlight",
        id="reader.highlight",
        group=ANNOTATIONS,
        help="highlight the selection; on a highlighted passage, remove the highlight",
    ),
    action(
        "a",
        "annotate",
        "Note",
        id="reader.note",
        group=ANNOTATIONS,
        help="write a note on the selection (ctrl+s saves, escape cancels)",
    ),
    action(
        "y",
        "copy_quote",
        "Copy quote",
        id="reader.copy",
        group=ANNOTATIONS,
        help="copy the selection as a quotation with its citation",
    ),
    action(
        "m",
        "bookmark",
        "Bookmark",
        id="reader.bookmark",
        group=ANNOTATIONS,
        help="bookmark the sentence at the top of the view",
    ),
    action(
        "ctrl+z",
        "undo",
        "Undo",
        id="reader.undo",
        group=ANNOTATIONS,
        help="take back the last highlight, note, removal or deletion",
    ),
]

#: What the palette offers beside the keys: (title, help line, action).
READER_COMMANDS: list[tuple[str, str, str]] = [
    (
        "Panes: Footnotes in the margin or in peeks",
        "sidenotes where the terminal leaves room beside the text; else peeks (remembered)",
        "toggle_sidenotes",
    ),
    (
        "Highlights and notes: Find note…",
        "search the quotes, notes and tags of every essay; opens the essay at the passage",
        "find_note",
    ),
    *(
        (
            f"Highlights and notes: Citation style: {style.name}",
            "how y cites a quotation and the Markdown export its essay",
            f"choose_style('{style.key}')",
        )
        for style in STYLES.values()
    ),
    (
        "Highlights and notes: Export to Markdown and JSON",
        "this essay's annotations, as files in the data folder's exports",
        "export",
    ),
    (
        "Highlights and notes: Write the last quotation to a file",
        f"adds what y copied last to {QUOTATIONS_FILE} in the exports folder",
        "write_quotation",
    ),
]
