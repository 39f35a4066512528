"""Highlights and notes as Anki cards: an `.apkg` deck (genanki) or Anki's plain-text import.

One card per highlight or note (bookmarks are places, not things to remember): the quote
with its essay and section on the front; the note and the essay's citation on the back;
the note's tags as Anki tags. Every card's guid is derived from its annotation's id, so
importing a newer export updates the cards already in Anki instead of adding copies.

Anki fields are HTML: every text is sanitised (control characters made visible) and
escaped before it goes in. genanki is imported only when a deck is written.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from essaytui.model.annotation import Annotation, Kind
from essaytui.model.essay import Essay
from essaytui.model.text import sanitize

#: The note type's id in Anki: fixed, so every export uses the same note type.
MODEL_ID = 1_736_417_262
MODEL_NAME = "essaytui highlight"
#: Top deck name; each essay is a deck below it.
DECK_PREFIX = "essaytui"
FIELDS = ("Quote", "Source", "Note", "Citation", "Annotation")

_FRONT = '<div class="quote">{{Quote}}</div>\n<div class="source">{{Source}}</div>'
_BACK = (
    "{{FrontSide}}\n<hr id=answer>\n"
    '<div class="note">{{Note}}</div>\n<div class="citation">{{Citation}}</div>'
)
_CSS = (
    ".card { font-family: Georgia, serif; font-size: 20px; text-align: left; "
    "max-width: 40em; margin: auto; }\n"
    ".quote { border-left: 4px solid #c9a227; padding-left: 0.8em; }\n"
    ".source, .citation { color: #666; font-size: 15px; margin-top: 0.8em; }\n"
)


@dataclass(frozen=True, slots=True)
class Card:
    """One card: its guid, its fields (HTML, in `FIELDS` order) and its tags."""

    guid: str
    fields: tuple[str, str, str, str, str]
    tags: tuple[str, ...]


def card_guid(annotation_id: str) -> str:
    """The card's guid: the same for an annotation in every export, on every machine."""
    digest = hashlib.sha256(f"essaytui\0{annotation_id}".encode()).digest()
    return "et" + digest[:12].hex()


def _html(text: str) -> str:
    return html.escape(sanitize(text)).replace("\n", "<br>")


def anki_tag(tag: str) -> str:
    """A tag as Anki spells them: no spaces (Anki separates tags with them)."""
    return "_".join(sanitize(tag).split()) or "tag"


def cards_of(essay: Essay, annotations: Iterable[Annotation], citation: str) -> list[Card]:
    """The cards of an essay's live highlights and notes, in reading order."""
    title = essay.title or "Untitled"
    cards: list[Card] = []
    live = [a for a in annotations if not a.is_deleted and a.kind is not Kind.BOOKMARK]
    for annotation in sorted(live, key=lambda a: (a.start, a.end, a.created, a.id)):
        section = " › ".join(annotation.section_trail)
        source = title + (f" — § {section}" if section else "")
        fields = (
            _html(annotation.exact),
            _html(source),
            _html(annotation.note),
            _html(citation),
            html.escape(annotation.id),
        )
        tags = tuple(dict.fromkeys(anki_tag(t) for t in annotation.tags))
        cards.append(Card(card_guid(annotation.id), fields, tags))
    return cards


def deck_name(essay: Essay) -> str:
    """The deck of an essay's cards: "essaytui::Title" (colons in a title kept apart)."""
    title = " ".join(sanitize(essay.title or "Untitled").split()).replace("::", ":")
    return f"{DECK_PREFIX}::{title}"


def _deck_id(name: str) -> int:
    # Anki ids are 63-bit; a hash of the name keeps a deck's id across exports.
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:7], "big") | 1 << 40


def write_apkg(decks: Sequence[tuple[str, Sequence[Card]]], path: Path) -> int:
    """Write the decks (name, cards) to an `.apkg` file; the number of cards written.

    Raises:
        OSError: the file cannot be written.
    """
    import genanki

    model = genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Recall", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )
    packaged = []
    count = 0
    for name, cards in decks:
        deck = genanki.Deck(_deck_id(name), name)
        for card in cards:
            deck.add_note(
                genanki.Note(
                    model=model, fields=list(card.fields), tags=list(card.tags), guid=card.guid
                )
            )
            count += 1
        packaged.append(deck)
    genanki.Package(packaged).write_to_file(str(path))
    return count


def to_tsv(cards: Iterable[Card], deck: str) -> str:
    """Anki's plain-text import (File › Import): a header naming the columns, then one
    card per line: guid, front, back, tags. Importing it again updates the cards."""
    lines = [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype:Basic",
        f"#deck:{deck}",
        "#tags column:4",
    ]
    for card in cards:
        quote, source, note, citation, _ = card.fields
        front = f"{quote}<br><small>{source}</small>"
        back = f"{note}<br><small>{citation}</small>" if note else f"<small>{citation}</small>"
        row = (card.guid, front, back, " ".join(card.tags))
        lines.append("\t".join(cell.replace("\t", " ") for cell in row))
    return "\n".join(lines) + "\n"
