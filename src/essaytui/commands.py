"""The command palette: every action that applies ("Footnotes: Next footnote") and
"Go to: section / footnote / term / note"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING

from textual.actions import parse
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.fuzzy import Matcher

from essaytui.actions import all_bindings, help_of, in_palette, keys_display, keys_taken
from essaytui.model.text import sanitize_inline, superscript
from essaytui.widgets.inert import inert_markup

if TYPE_CHECKING:
    from essaytui.screens.reader import ReaderScreen


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
                    partial(screen.navigation.go_to_section, section.index),
                )
            )
        for note in essay.footnotes:
            if note.number:
                preview = note.text[:60].replace("\n", " ")
                found.append(
                    (
                        f"Go to: footnote {note.number} {preview}",
                        f"Show source {superscript(note.number)} in Sources",
                        partial(screen.navigation.open_source, note.label),
                    )
                )
        for term in essay.glossary:
            found.append(
                (
                    f"Go to: term {term.name}",
                    term.definition[:80],
                    partial(screen.navigation.open_term, term.id),
                )
            )
        found.extend(screen.navigation.note_targets())
        # titles and help lines hold the essay's words and the reader's notes: one line,
        # inert for the terminal, before they are matched and shown
        return [
            (sanitize_inline(title), sanitize_inline(help_text), callback)
            for title, help_text, callback in found
        ]

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
    """`text` written as Textual markup that shows it as it is (the palette parses help
    lines as markup): `essaytui.widgets.inert.inert_markup`."""
    return inert_markup(text)


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


def palette_commands(screen: ReaderScreen, keymap: Mapping[str, str]) -> Iterator[SystemCommand]:
    """Every action of the reader's bindings that applies now, run where it belongs.

    Built from the bindings themselves (see `essaytui.actions`), with the keys in effect
    after `keys.toml`, and only what `check_action` allows (no "Next match" without a
    search). Actions without a key (export, …) come from the screen's `COMMANDS`.
    """
    pairs = all_bindings(type(screen.app))
    taken = keys_taken(pairs, keymap)
    for owner, binding in pairs:
        if not in_palette(binding) or binding.group is None:
            continue
        node = _node_of(screen, owner)
        if node is None:
            continue
        _, name, parameters = parse(binding.action)
        if not node.check_action(name, parameters):
            continue
        yield SystemCommand(
            f"{binding.group.description}: {binding.description}",
            as_markup(
                f"{keys_display(binding, keymap, taken.get(owner, ()))}  ·  {help_of(binding)}"
            ),
            _runner(node, binding.action),
        )
    in_use = f"choose_style('{screen.notes.citation_style()}')"
    for title, help_text, name in screen.COMMANDS_WITHOUT_KEYS:
        if name == in_use:  # the style in use says so, among the others
            title, help_text = f"{title} (in use)", f"the style in use · {help_text}"
        yield SystemCommand(title, as_markup(help_text), _runner(screen, name))


def _node_of(screen: ReaderScreen, owner: type) -> DOMNode | None:
    """The node of `owner` that an action from the palette runs on, if it is there."""
    if isinstance(screen, owner):
        return screen
    for node in screen.query(owner.__name__):
        if isinstance(node, owner):
            return node
    return None


def _runner(node: DOMNode, name: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        await node.app.run_action(name, node)

    return run
