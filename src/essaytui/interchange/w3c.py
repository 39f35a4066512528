"""Annotations as W3C Web Annotation JSON: exported to move them, imported to merge them.

The JSON is an `AnnotationCollection` (https://www.w3.org/TR/annotation-model/)
whose items carry a `TextQuoteSelector` and a `TextPositionSelector`; what the
W3C model has no field for (essay id, kind, colour, tags, section trail,
deletion marker, text hash) travels under `essaytui:data`, so a round trip
loses nothing. Imports are validated item by item: anything malformed raises
`InterchangeError` naming the item and the field.

An import file comes from anywhere: it is read only if it is a regular
file, at most `MAX_IMPORT_BYTES` of it however it reports its size; times are
normalised and must lie between 1970 and a little after now; the text it brings
(quotes, notes, tags, section titles) loses lone surrogates and its control
characters become visible symbols, as an essay's text does.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote as url_quote
from urllib.parse import unquote as url_unquote

from essaytui.interchange.errors import InterchangeError
from essaytui.model.annotation import (
    DEFAULT_COLOR,
    Annotation,
    Kind,
    checked_time,
)
from essaytui.model.essay import Essay
from essaytui.model.identity import DocumentPrint, sketch_from_text
from essaytui.model.regular_file import FileRefused, Refusal, read_regular_file
from essaytui.model.text import sanitize, sanitize_inline
from essaytui.store.store import EssayRecord, storable

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Key of our own fields inside each item (and of the essay inside the collection).
EXTRA_KEY = "essaytui:data"
ESSAY_KEY = "essaytui:essay"
SOURCE_PREFIX = "urn:essaytui:"

_MOTIVATION = {
    Kind.HIGHLIGHT: "highlighting",
    Kind.NOTE: "commenting",
    Kind.BOOKMARK: "bookmarking",
}
_KIND_OF_MOTIVATION = {motivation: kind for kind, motivation in _MOTIVATION.items()}

# Limits on imported values: generous for real notes, small enough that a
# hostile file cannot fill the disk or the screen.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_ITEMS = 100_000
MAX_QUOTE = 1_000_000
MAX_CONTEXT = 1_000
MAX_NOTE = 1_000_000
MAX_SHORT = 1_000
MAX_PATH = 4_096
MAX_LIST = 200
MAX_OFFSET = 1_000_000_000
_HASH = re.compile(r"[0-9a-f]{64}")


# -- W3C Web Annotation ----------------------------------------------------------------


def source_of(essay_id: str) -> str:
    """The `target.source` IRI of an essay."""
    return SOURCE_PREFIX + url_quote(essay_id, safe="")


def annotation_to_item(annotation: Annotation) -> dict[str, object]:
    """One annotation as a W3C Web Annotation object."""
    item: dict[str, object] = {
        "@context": W3C_CONTEXT,
        "id": f"urn:uuid:{annotation.id}",
        "type": "Annotation",
        "motivation": _MOTIVATION[annotation.kind],
        "created": annotation.created,
        "modified": annotation.modified,
    }
    if annotation.note:
        item["body"] = {
            "type": "TextualBody",
            "value": annotation.note,
            "format": "text/markdown",
            "purpose": "commenting",
        }
    item["target"] = {
        "source": source_of(annotation.essay_id),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            },
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
        ],
    }
    item[EXTRA_KEY] = {
        "essay_id": annotation.essay_id,
        "essay_path": annotation.essay_path,
        "kind": annotation.kind.value,
        "color": annotation.color,
        "tags": list(annotation.tags),
        "section_trail": list(annotation.section_trail),
        "deleted": annotation.deleted,
        "text_hash": annotation.text_hash,
    }
    return item


def to_web_annotation(
    essay: Essay,
    annotations: Iterable[Annotation],
    *,
    include_deleted: bool = False,
    fingerprint: DocumentPrint | None = None,
) -> dict[str, object]:
    """The essay's annotations as a W3C `AnnotationCollection` (a JSON-ready dict).

    Live annotations only, unless `include_deleted`: then deletion markers go too
    (under `essaytui:data`), so that importing the file elsewhere deletes them
    there as well. `fingerprint` (the essay file's `DocumentPrint`) lets the
    machine importing the file find the essay's notes when it opens the document.
    """
    items = [
        annotation_to_item(a)
        for a in sorted(annotations, key=lambda a: (a.start, a.end, a.created, a.id))
        if include_deleted or not a.is_deleted
    ]
    label = f"Annotations on “{essay.title}”" + (f" by {essay.author}" if essay.author else "")
    about: dict[str, object] = {
        "id": essay.id,
        "title": essay.title,
        "author": essay.author,
        "path": essay.source_path or "",
    }
    if fingerprint is not None and fingerprint.digest:
        about["fingerprint"] = {"digest": fingerprint.digest, "sketch": fingerprint.sketch_text()}
    return {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        ESSAY_KEY: about,
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def _items_of(data: object) -> list[object]:
    if isinstance(data, list):
        return list(data)
    if not isinstance(data, Mapping):
        raise InterchangeError("expected a JSON object (an AnnotationCollection)")
    kind = data.get("type")
    if kind == "Annotation":
        return [data]
    if kind == "AnnotationPage" or (kind is None and "items" in data):
        items = data.get("items")
        if not isinstance(items, list):
            raise InterchangeError("the AnnotationPage has no list of items")
        return list(items)
    if kind == "AnnotationCollection":
        first = data.get("first")
        if not isinstance(first, Mapping):
            raise InterchangeError("the AnnotationCollection has no 'first' page object")
        return _items_of(dict(first, type="AnnotationPage"))
    raise InterchangeError(f"unknown type {kind!r}; expected an AnnotationCollection")


class _Item:
    """Typed access to one imported item, with errors that name it."""

    def __init__(self, index: int, data: object) -> None:
        self.where = f"item {index + 1}"
        if not isinstance(data, Mapping):
            raise InterchangeError(f"{self.where}: not a JSON object")
        self.data = data

    def fail(self, message: str) -> InterchangeError:
        return InterchangeError(f"{self.where}: {message}")

    def string(
        self, source: Mapping[str, object], key: str, limit: int, default: str | None = None
    ) -> str:
        """A string field, as it is (only lone surrogates replaced): ids and paths."""
        value = source.get(key, default)
        if value is None:
            raise self.fail(f"missing '{key}'")
        if not isinstance(value, str):
            raise self.fail(f"'{key}' must be a string")
        if len(value) > limit:
            raise self.fail(f"'{key}' is longer than {limit} characters")
        return storable(value)

    def text(
        self, source: Mapping[str, object], key: str, limit: int, default: str | None = None
    ) -> str:
        """A string field that will be shown: control characters made visible."""
        return sanitize(self.string(source, key, limit, default))

    def integer(self, source: Mapping[str, object], key: str) -> int:
        value = source.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"'{key}' must be a whole number")
        if not 0 <= value <= MAX_OFFSET:
            raise self.fail(f"'{key}' is out of range")
        return value

    def strings(self, source: Mapping[str, object], key: str) -> tuple[str, ...]:
        value = source.get(key, [])
        if not isinstance(value, list) or len(value) > MAX_LIST:
            raise self.fail(f"'{key}' must be a list of at most {MAX_LIST} strings")
        for entry in value:
            if not isinstance(entry, str) or len(entry) > MAX_SHORT:
                raise self.fail(f"'{key}' must hold strings of at most {MAX_SHORT} characters")
        return tuple(sanitize_inline(storable(entry)) for entry in value)

    def time(self, key: str, value: object) -> str:
        if not isinstance(value, str) or len(value) > 64:
            raise self.fail(f"'{key}' must be an ISO-8601 date-time string")
        try:
            datetime.fromisoformat(value)
        except ValueError:
            shown = sanitize_inline(storable(value[:40]))
            raise self.fail(f"'{key}' is not an ISO-8601 date-time: {shown!r}") from None
        try:
            return checked_time(value)
        except ValueError as error:
            raise self.fail(f"'{key}' {sanitize_inline(storable(str(error)))}") from None


def _parse_id(item: _Item) -> str:
    raw = item.string(item.data, "id", 200)
    text = raw[len("urn:uuid:") :] if raw.lower().startswith("urn:uuid:") else raw
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise item.fail(f"id {raw[:60]!r} is not a urn:uuid") from None


def _selectors(item: _Item) -> tuple[Mapping[str, object], Mapping[str, object] | None]:
    target = item.data.get("target")
    if isinstance(target, list) and len(target) == 1:
        target = target[0]
    if not isinstance(target, Mapping):
        raise item.fail("missing 'target' object")
    selector = target.get("selector")
    selectors = selector if isinstance(selector, list) else [selector]
    quote: Mapping[str, object] | None = None
    position: Mapping[str, object] | None = None
    for entry in selectors:
        if not isinstance(entry, Mapping):
            raise item.fail("each selector must be a JSON object")
        if entry.get("type") == "TextQuoteSelector" and quote is None:
            quote = entry
        elif entry.get("type") == "TextPositionSelector" and position is None:
            position = entry
    if quote is None:
        raise item.fail("the target has no TextQuoteSelector")
    return quote, position


def _essay_id(item: _Item, extra: Mapping[str, object], fallback: str | None) -> str:
    if "essay_id" in extra:
        return item.string(extra, "essay_id", MAX_SHORT)
    target = item.data.get("target")
    source = target.get("source") if isinstance(target, Mapping) else None
    if isinstance(source, str) and source.startswith(SOURCE_PREFIX):
        return url_unquote(source[len(SOURCE_PREFIX) :])[:MAX_SHORT]
    if fallback is not None:
        return fallback
    raise item.fail("cannot tell which essay it belongs to (no essaytui source)")


def _annotation_from_item(item: _Item, essay_id: str | None) -> Annotation:
    data = item.data
    if data.get("type") != "Annotation":
        raise item.fail("'type' must be \"Annotation\"")
    annotation_id = _parse_id(item)
    extra_value = data.get(EXTRA_KEY, {})
    if not isinstance(extra_value, Mapping):
        raise item.fail(f"'{EXTRA_KEY}' must be a JSON object")
    extra: Mapping[str, object] = extra_value
    exact, prefix, suffix, start, end = _quoted_range(item)
    note = _note_of(item)
    created, modified, deleted = _times_of(item, extra)
    text_hash = item.string(extra, "text_hash", 64, "")
    if text_hash and not _HASH.fullmatch(text_hash):
        raise item.fail("'text_hash' must be a sha256 hex digest")
    color = sanitize_inline(item.string(extra, "color", 64, DEFAULT_COLOR)) or DEFAULT_COLOR
    return Annotation(
        id=annotation_id,
        essay_id=_essay_id(item, extra, essay_id),
        essay_path=item.string(extra, "essay_path", MAX_PATH, ""),
        kind=_kind_of(item, extra, note),
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        section_trail=item.strings(extra, "section_trail"),
        note=note,
        color=color,
        tags=item.strings(extra, "tags"),
        created=created,
        modified=modified,
        deleted=deleted,
        text_hash=text_hash,
    )


def _quoted_range(item: _Item) -> tuple[str, str, str, int, int]:
    """The quote, its context and its place, from the item's two selectors."""
    quote, position = _selectors(item)
    exact = item.text(quote, "exact", MAX_QUOTE)
    prefix = item.text(quote, "prefix", MAX_CONTEXT, "")
    suffix = item.text(quote, "suffix", MAX_CONTEXT, "")
    if position is None:
        return exact, prefix, suffix, 0, len(exact)  # the quote alone finds the place
    start, end = item.integer(position, "start"), item.integer(position, "end")
    if end < start:
        raise item.fail("the TextPositionSelector ends before it starts")
    return exact, prefix, suffix, start, end


def _note_of(item: _Item) -> str:
    """The text of the item's TextualBody ("" for none)."""
    body = item.data.get("body")
    if isinstance(body, list):
        bodies = [b for b in body if isinstance(b, Mapping) and b.get("type") == "TextualBody"]
        body = bodies[0] if bodies else None
    if isinstance(body, Mapping):
        return item.text(body, "value", MAX_NOTE, "")
    if body is not None:
        raise item.fail("'body' must be a TextualBody object")
    return ""


def _kind_of(item: _Item, extra: Mapping[str, object], note: str) -> Kind:
    """The kind essaytui wrote, else the one the W3C motivation names."""
    motivation = item.data.get("motivation", "highlighting")
    if not isinstance(motivation, str) or motivation not in _KIND_OF_MOTIVATION:
        raise item.fail(f"unsupported motivation {str(motivation)[:40]!r}")
    if "kind" in extra:
        try:
            return Kind(item.string(extra, "kind", 40))
        except ValueError:
            raise item.fail(f"unknown kind {str(extra.get('kind'))[:40]!r}") from None
    kind = _KIND_OF_MOTIVATION[motivation]
    return Kind.NOTE if note and kind is Kind.HIGHLIGHT else kind


def _times_of(item: _Item, extra: Mapping[str, object]) -> tuple[str, str, str | None]:
    """`(created, modified, deleted)`, each checked and normalised; never modified
    before created."""
    data = item.data
    if "created" not in data:
        raise item.fail("missing 'created'")
    created = item.time("created", data["created"])
    modified = max(created, item.time("modified", data.get("modified", data["created"])))
    deleted_value = extra.get("deleted")
    if deleted_value is None or deleted_value is False:
        return created, modified, None
    if deleted_value is True:
        return created, modified, modified
    return created, modified, item.time("deleted", deleted_value)


@dataclass(frozen=True, slots=True)
class ImportedNotes:
    """What an import file holds: its annotations, and the essays it says they are on."""

    annotations: list[Annotation]
    essays: list[EssayRecord]


def from_web_annotation(data: object, *, essay_id: str | None = None) -> list[Annotation]:
    """Annotations from parsed W3C Web Annotation JSON (a collection, page, list or one item).

    `essay_id` is used for items that do not say which essay they belong to.

    Raises:
        InterchangeError: the data is malformed; the message names the item and field.
    """
    if isinstance(data, Mapping) and data.get("type") == "AnnotationCollection":
        essay = data.get(ESSAY_KEY)
        if essay_id is None and isinstance(essay, Mapping):
            given = essay.get("id")
            if isinstance(given, str) and 0 < len(given) <= MAX_SHORT:
                essay_id = storable(given)
    raw_items = _items_of(data)
    if len(raw_items) > MAX_ITEMS:
        raise InterchangeError(f"too many annotations ({len(raw_items)}; at most {MAX_ITEMS})")
    annotations: list[Annotation] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items):
        annotation = _annotation_from_item(_Item(index, raw), essay_id)
        if annotation.id in seen:
            raise InterchangeError(f"item {index + 1}: id {annotation.id} appears twice")
        seen.add(annotation.id)
        annotations.append(annotation)
    return annotations


def essay_of_collection(data: object) -> EssayRecord | None:
    """The essay an `AnnotationCollection` says it is about (with its print), or None.

    Lenient: this only helps find the notes later, so anything odd gives None.
    """
    if not isinstance(data, Mapping) or data.get("type") != "AnnotationCollection":
        return None
    essay = data.get(ESSAY_KEY)
    if not isinstance(essay, Mapping):
        return None
    fields = {key: essay.get(key) for key in ("id", "title", "author")}
    if not all(isinstance(value, str) and len(value) <= MAX_SHORT for value in fields.values()):
        return None
    found: DocumentPrint | None = None
    fingerprint = essay.get("fingerprint")
    if isinstance(fingerprint, Mapping):
        digest, sketch = fingerprint.get("digest"), fingerprint.get("sketch")
        if isinstance(digest, str) and _HASH.fullmatch(digest) and isinstance(sketch, str):
            found = DocumentPrint(digest, sketch_from_text(sketch[: MAX_CONTEXT * 4]))
    return EssayRecord(
        id=storable(str(fields["id"])),
        title=storable(str(fields["title"])),
        author=storable(str(fields["author"])),
        print=found,
    )


def _read_capped(file: Path) -> bytes:
    """The bytes of an import file, refusing what is not a regular file or is too large
    (see `model.regular_file`: FIFOs, devices and growing files included)."""
    try:
        return read_regular_file(file, MAX_IMPORT_BYTES)
    except FileRefused as refused:
        match refused.refusal:
            case Refusal.DIRECTORY:
                why = f"cannot read {file}: it is a folder"
            case Refusal.NOT_REGULAR:
                why = f"cannot read {file}: it is not a regular file"
            case Refusal.TOO_LARGE if refused.size is not None:
                why = f"{file} is too large to be an annotation export ({refused.size} bytes)"
            case Refusal.TOO_LARGE:
                why = (
                    f"{file} is too large to be an annotation export "
                    f"(over {MAX_IMPORT_BYTES} bytes)"
                )
            case _:
                why = f"cannot read {file}: {refused.reason}"
        raise InterchangeError(why) from refused.cause


def _load_json(file: Path) -> object:
    data = _read_capped(file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InterchangeError(f"{file} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InterchangeError(
            f"{file} is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None


def read_web_annotation_file(path: str | os.PathLike[str]) -> list[Annotation]:
    """Read and validate an exported JSON file.

    Raises:
        InterchangeError: the file cannot be read, is not JSON, or is malformed.
    """
    return from_web_annotation(_load_json(Path(path)))


def read_export(path: str | os.PathLike[str]) -> ImportedNotes:
    """Read and validate an exported JSON file, with the essay it is about.

    Raises:
        InterchangeError: the file cannot be read, is not JSON, or is malformed.
    """
    data = _load_json(Path(path))
    essay = essay_of_collection(data)
    return ImportedNotes(from_web_annotation(data), [essay] if essay is not None else [])
