"""Text from outside the program, as the reader shows it.

A file's name, its front matter and text, a note, a tag, an imported title or path, an
error message naming any of these: each may hold markup (`[/b]` ends the app where Textual
parses it) and escape sequences (`ESC ]0;…BEL` retitles the terminal, OSC 52 writes the
clipboard). Everything shown goes through `essaytui.model.text.sanitize` /
`sanitize_inline`, the same functions the command line prints through (ESC shows as ␛,
C1 controls as �, bidirectional overrides are dropped), and reaches Textual as `Content`,
never as markup.
"""

from __future__ import annotations

from textual.content import Content

from essaytui.model.text import sanitize, sanitize_inline


def inert(text: str) -> Content:
    """`text` on one line, safe for the terminal, shown as it is (no markup)."""
    return Content(sanitize_inline(text))


def inert_lines(text: str) -> Content:
    """`text` with its lines, safe for the terminal, shown as it is (no markup)."""
    return Content(sanitize(text))


def inert_markup(text: str) -> str:
    """`text` on one line, safe for the terminal, as Textual markup that shows it as it is,
    for what takes only markup (the command palette's help lines).

    `textual.markup.escape` escapes only the brackets that look like tags, so a `[/usr/bin`
    stayed an unmatched closing tag (MarkupError). Here every `[` is escaped; in Textual's
    markup a backslash is special only right before a bracket, so nothing else changes.
    """
    return sanitize_inline(text).replace("[", "\\[")
