"""Command-palette providers: "Go to: section / footnote / term"."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from essaytui.model.essay import superscript


class GoToProvider(Provider):
    """Every section, footnote and glossary term as a place to go."""

    def _targets(self) -> list[tuple[str, str, Callable[[], None]]]:
        from essaytui.screens.reader import ReaderScreen

        screen = self.screen
        if not isinstance(screen, ReaderScreen):
            return []
        essay = screen.essay
        found: list[tuple[str, str, Callable[[], None]]] = []
        for section in essay.sections:
            found.append(
                (
                    f"Go to: section {section.index + 1} {section.title}",
                    "Jump to this section",
                    partial(screen.go_to_section, section.index),
                )
            )
        for note in essay.footnotes:
            if note.number:
                preview = note.text[:60].replace("\n", " ")
                found.append(
                    (
                        f"Go to: footnote {note.number} {preview}",
                        f"Show source {superscript(note.number)} in Sources",
                        partial(screen.open_source, note.label),
                    )
                )
        for term in essay.glossary:
            found.append(
                (
                    f"Go to: term {term.name}",
                    term.definition[:80],
                    partial(screen.open_term, term.id),
                )
            )
        found.extend(screen.note_targets())
        return found

    async def discover(self) -> Hits:
        for title, help_text, callback in self._targets()[:200]:
            yield DiscoveryHit(Content(title), callback, text=title, help=as_markup(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._targets():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, title),
                    callback,
                    text=title,
                    help=as_markup(help_text),
                )


def as_markup(text: str) -> str:
    """`text` written as Textual markup that shows it as it is.

    The palette parses help lines as markup. `textual.markup.escape` escapes only the
    brackets that look like tags, so a `[/usr/bin` from a note or a definition stayed an
    unmatched closing tag (MarkupError). Here every `[` is escaped; in Textual's markup a
    backslash is special only right before a bracket, so nothing else changes.
    """
    return text.replace("[", "\\[")


def highlighted(matcher: Matcher, title: str) -> Content:
    """`title` as plain text with the characters the query matched highlighted.

    (`Matcher.highlight` parses its candidate as markup, and an escaped one shifts the
    highlight by a character per escape.)
    """
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if not score:
        return content
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
