"""An EPUB's reading order as one essay Markdown file.

Each document of the spine goes through the web-page converter's path (lxml, then
markdownify, `essaytui.model.html`), in order. On the way:

* Note references — ``epub:type="noteref"`` / ``role="doc-noteref"`` links, and plain
  links whose text is a marker (``12``, ``[3]``, ``*``) to a later note (an
  ``endnote``/``footnote``/``rearnote`` element, an ``aside``, an item of a notes
  chapter) — become ``[^n]`` footnotes numbered by first reference; the notes, without
  their back links (↩), leave the running text, and a chapter left with nothing but its
  "Notes" heading leaves it too.
* Each table-of-contents entry gets an invisible anchor (``<a id="epub-toc-N">``) at
  the text it points to, so the reader's outline can be the book's own; so does each
  document's start, and each place a link from an earlier document points to, so links
  between chapters lead somewhere in the essay.
* The cover (the guide's ``cover`` reference, an ``epub:type="cover"`` document, or a
  first page that is only a picture) is skipped; the front matter names it.
* A glossary (a section or document with ``epub:type="glossary"`` or
  ``role="doc-glossary"``, or a ``<dl>`` under a "Glossary" heading) becomes the front
  matter's ``glossary:``, so its terms are matched in the text as an essay's are; it
  leaves the running text as the notes do, since the Glossary pane shows each
  definition beside the text (kept, every term would also be marked in its own entry).

A document that cannot be read, is too large or too deep is left out with a warning:
the rest of the book is still worth reading.
"""

from __future__ import annotations

import gc
import re
import threading
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from essaytui.model.epub.archive import MAX_BOOK_BYTES, Archive, resolve
from essaytui.model.epub.documents import epub_types, parse_document
from essaytui.model.epub.errors import BookError, MemberError
from essaytui.model.epub.package import Package, TocEntry, member_title

#: An event that, once set, ends the conversion under way in this context between two
#: chapters (`BookError`): the reader closing while a book converts in its own process,
#: whose exit would otherwise wait for the whole book. Set by the thread converting.
STOP: ContextVar[threading.Event | None] = ContextVar("essaytui_book_stop", default=None)

#: ``epub:type`` words and ARIA roles of a note.
NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "note"})
NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote", "doc-rearnote"})
#: ``epub:type`` words of a section or document that holds notes.
NOTES_TYPES = frozenset({"footnotes", "endnotes", "rearnotes"})
#: ``epub:type`` words of the cover.
COVER_TYPES = frozenset({"cover"})
#: ``epub:type`` word and ARIA role of a glossary.
GLOSSARY_TYPE, GLOSSARY_ROLE = "glossary", "doc-glossary"

#: Glossary terms taken from one book at most, and the characters kept of a term and of
#: a definition: a glossary feeds the front matter and every term is matched in the text.
MAX_GLOSSARY_TERMS = 5000
MAX_TERM_CHARS = 200
MAX_DEFINITION_CHARS = 4000

#: Elements converted in one book at most: markdownify takes ~50-100 µs an element, so
#: this many is about a minute (in the background). A 10 MB novel has ~150,000.
MAX_BOOK_ELEMENTS = 1_000_000

#: Elements of one document at most (as for a web page's article).
MAX_DOCUMENT_ELEMENTS = 150_000

#: Warnings about single documents listed at most; the rest are counted.
MAX_DOCUMENT_WARNINGS = 3

#: The id of the anchor of table-of-contents entry N.
TOC_ANCHOR = "epub-toc-{}"
#: The id of the anchor at the start of the spine's document N.
CHAPTER_ANCHOR = "epub-c-{}"
#: The id of the anchor of the Nth place another document's link points to.
TARGET_ANCHOR = "epub-t-{}"

_NAV_OPEN, _NAV_CLOSE = "\ue003", "\ue004"
_NAV_TOKEN = re.compile("\ue003(\\d{1,6})\ue004")

#: Texts of a back link written as text.
_BACK_TEXTS = frozenset({"↩", "↩\ufe0e", "↩\ufe0f", "^", "back", "[back]", "return", "↑"})

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

#: A link's address in a document's bytes, with a fragment (``href="ch1.xhtml#p3"``).
_HREF = re.compile(rb"""\bhref\s*=\s*(["'])([^"'#<>]{0,500}#[^"'<>]{1,500})\1""")


@dataclass
class BookText:
    """A book as essay Markdown.

    Attributes:
        chapters: the Markdown of each document kept, in reading order.
        notes: `(label, Markdown)` of every footnote, by number.
        outline: `(level, title, anchor id)` of every table-of-contents entry placed.
        warnings: one line each.
        complete: False when the conversion stopped early (`convert_book`'s `enough`).
        cover: the cover's name ("" when there is none).
        images: documents that were only pictures (no text).
        glossary: `(names, definition)` of each term the book's glossary defines.
    """

    chapters: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    outline: list[tuple[int, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    complete: bool = True
    cover: str = ""
    images: int = 0
    glossary: list[tuple[tuple[str, ...], str]] = field(default_factory=list)


def convert_book(archive: Archive, package: Package, *, enough: int | None = None) -> BookText:
    """The book's spine as essay Markdown.

    Args:
        enough: stop once this many characters of Markdown are written (the first
            screen of a long book); None converts everything.

    Raises:
        BookError: nothing in the book could be read, or it has no text.
    """
    return _Converter(archive, package).run(enough)


class _Converter:
    def __init__(self, archive: Archive, package: Package) -> None:
        self.archive = archive
        self.package = package
        self.text = BookText()
        self.spine_index = {item.member: i for i, item in enumerate(package.spine)}
        self._documents: dict[str, Any] = {}
        self._ids: dict[str, dict[str, Any]] = {}
        self._orders: dict[str, dict[Any, int]] = {}
        #: (document, id) of each note → its label, in order of first reference. Not
        #: the note's element: that would keep its whole document in memory, and a
        #: converted chapter's tree is let go (~100 MB for 10 MB of XHTML).
        self._labels: dict[tuple[str, str], str] = {}
        #: the notes referenced so far, by the document they are in
        self._notes_in: dict[str, list[tuple[str, str]]] = {}
        #: whether each document looked at is a notes chapter
        self._notes_chapters: dict[str, bool] = {}
        #: the ids of the anchors placed, by the number of their token
        self._anchor_names: list[str] = []
        #: (document, id) a link points to → its anchor's id; by document, those of
        #: documents not converted yet (their anchors are placed when they are)
        self._targets: dict[tuple[str, str], str] = {}
        self._wanted: dict[str, dict[str, str]] = {}
        self._placed: set[str] = set()
        #: documents whose start has an anchor
        self._started: set[str] = set()
        self._reference_ids: set[tuple[str, str]] = set()
        self._toc: dict[str, list[tuple[int, TocEntry]]] = {}
        for index, entry in enumerate(package.toc):
            self._toc.setdefault(entry.member, []).append((index, entry))
        self._elements = 0
        self._enough: int | None = None
        #: whether a chapter was converted only in part (nothing may follow it then)
        self._cut = False
        self._document_warnings: list[str] = []
        #: copies of the notes taken out of the running text, made as they leave it
        self._note_copies: dict[tuple[str, str], Any] = {}
        #: whether a link back to a spot led to its document's start instead (it can,
        #: when the links back were not looked for: the first part of a book)
        self._landed_short = False

    def run(self, enough: int | None) -> BookText:
        self._enough = enough
        text = self.text
        written = 0
        linear = [item for item in self.package.spine if item.linear]
        if enough is None:
            self._find_links_back([item.member for item in linear])
        stop = STOP.get()
        for number, item in enumerate(linear):
            if stop is not None and stop.is_set():
                raise BookError("the conversion was stopped")
            if self._elements > MAX_BOOK_ELEMENTS:
                text.warnings.append(
                    f"the book is too long to convert whole: {len(linear) - number} of its "
                    f"{len(linear)} documents are left out"
                )
                break
            markdown = self._chapter(item.member, first=number == 0)
            self._let_go(item.member)
            if enough is None:
                # markdownify's soup of the chapter is a web of cycles only the collector
                # frees, and the collector is held while a book converts in the background:
                # left to the end, ~350,000 objects for 10 MB, walked in one pause (~0.3 s,
                # a key held). The youngest generation is what this chapter made. (Not for
                # the first screen: there it would be everything the start made.)
                gc.collect(0)
            if markdown:
                text.chapters.append(markdown)
                written += len(markdown)
            if self._cut or (enough is not None and written >= enough and number < len(linear) - 1):
                text.complete = False
                break
        if self._landed_short:
            text.complete = False  # the whole conversion looks for those places first
        if not any(_has_words(chapter) for chapter in text.chapters):
            raise BookError(self._no_text())
        self._finish_notes()
        if enough is None:
            gc.collect(0)  # the notes' soup, as each chapter's
        text.cover = text.cover or self.package.cover_image
        shown = self._document_warnings[:MAX_DOCUMENT_WARNINGS]
        more = len(self._document_warnings) - len(shown)
        text.warnings[:0] = shown + ([f"and {more} more documents left out"] if more > 0 else [])
        return text

    def _no_text(self) -> str:
        name = self.archive.name
        if self.text.images or any(_has_images(c) for c in self.text.chapters):
            return (
                f"{name}: has no text to read (its pages are pictures: a comic or a scanned book?)"
            )
        if self._document_warnings:
            return f"{name}: has no readable text ({self._document_warnings[0]})"
        return f"{name}: has no text to read"

    # -- documents ---------------------------------------------------------------------

    def _find_links_back(self, members: list[str]) -> None:
        """Note each place a link from a later document points to, so that an anchor is
        placed there when its document is converted (before the link is met).

        A regular expression over the documents' bytes: parsing them twice would double
        the conversion. Only for a whole conversion, and only when reading the book twice
        leaves its budget for the conversion itself."""
        from urllib.parse import unquote

        declared = sum(self.archive.declared_size(member) for member in members)
        if 2 * declared > MAX_BOOK_BYTES:
            return
        for member in members:
            here = self.spine_index.get(member, -1)
            try:
                data = self.archive.read(member)
            except MemberError:
                continue  # warned about when it is converted
            for match in _HREF.finditer(data):
                href = match.group(2).decode("utf-8", "replace")
                path, _, fragment = href.partition("#")
                target = resolve(member, href)
                if not path or target is None or not fragment:
                    continue
                there = self.spine_index.get(target)
                if there is not None and there < here:
                    key = (target, unquote(fragment))
                    name = self._targets.setdefault(key, TARGET_ANCHOR.format(len(self._targets)))
                    self._wanted.setdefault(target, {})[key[1]] = name

    def document(self, member: str) -> Any | None:
        """The parsed document `member` (None when it cannot be read; warned once)."""
        if member in self._documents:
            return self._documents[member]
        root = None
        try:
            data = self.archive.read(member)
        except MemberError as error:
            self._document_warnings.append(f"{member_title(member)} {error}: left out")
        else:
            root = parse_document(data)
            count = sum(1 for _ in root.iter())
            if count > MAX_DOCUMENT_ELEMENTS:
                self._document_warnings.append(
                    f"{member_title(member)} has too many elements ({count:,}; the limit is "
                    f"{MAX_DOCUMENT_ELEMENTS:,}): left out"
                )
                root = None
        self._documents[member] = root
        return root

    def _let_go(self, member: str) -> None:
        """Forget a converted document's tree (read again if a later note is in it)."""
        if self._documents.get(member) is not None:
            del self._documents[member]
        self._ids.pop(member, None)
        self._orders.pop(member, None)

    def _ids_of(self, member: str, root: Any) -> dict[str, Any]:
        ids = self._ids.get(member)
        if ids is None:
            ids = {}
            for element in root.iter():
                key = element.get("id") if isinstance(element.tag, str) else None
                if key and key not in ids:
                    ids[key] = element
            self._ids[member] = ids
        return ids

    def _order_of(self, member: str, root: Any) -> dict[Any, int]:
        order = self._orders.get(member)
        if order is None:
            order = self._orders[member] = {e: i for i, e in enumerate(root.iter())}
        return order

    # -- one chapter -------------------------------------------------------------------

    def _chapter(self, member: str, *, first: bool) -> str:
        from essaytui.model.html import DROPPED_TAGS, remove_element

        root = self.document(member)
        if root is None:
            return ""
        body = next(root.iter("body"), root)
        self._ids_of(member, root)  # before anything moves
        if self._is_cover(member, body, first=first):
            self.text.cover = self.package.cover_image or member
            return ""
        for element in list(body.iter(*DROPPED_TAGS)):
            remove_element(element)
        _join_heading_groups(body)
        self._elements += sum(1 for _ in body.iter())
        for link in list(body.iter("a")):
            self._reference(member, root, link)
        took_notes = self._take_out_notes(member, root, body)
        took_glossary = self._take_out_glossary(body)
        from essaytui.model.html import has_text

        if (took_notes or took_glossary) and not _text_outside_headings(body):
            return ""  # a notes or glossary chapter: shown beside the text now
        if not has_text(body) and not any(img.get("alt", "").strip() for img in body.iter("img")):
            if body.find(".//img") is not None:
                self.text.images += 1
            return ""
        _drop_decorative_images(body)
        self._place_anchors(member, root, body)
        if self._enough is not None and _cut_after(body, int(_FIRST_PART_TEXT * self._enough)):
            self._cut = True
        return self._markdown(member, root, body)

    def _take_out_glossary(self, body: Any) -> bool:
        """Take the terms of the document's glossary (if it has one) into `glossary` and
        remove it from the running text. True if one was."""
        from essaytui.model.html import remove_element

        found = _glossaries(body)
        for holder, heading in found:
            for dl in list(holder.iter("dl")) if holder.tag != "dl" else [holder]:
                self._glossary_terms(dl)
            if heading is not None and heading.getparent() is not None:
                remove_element(heading)
            if holder is body:
                for child in list(body):
                    if child.tag not in _HEADINGS:
                        remove_element(child)
            elif holder.getparent() is not None:
                remove_element(holder)
        return bool(found)

    def _glossary_terms(self, dl: Any) -> None:
        entries = self.text.glossary
        names: list[str] = []
        definitions: list[str] = []

        def flush() -> None:
            if names and len(entries) < MAX_GLOSSARY_TERMS:
                definition = " ".join(definitions)[:MAX_DEFINITION_CHARS]
                entries.append((tuple(dict.fromkeys(names)), definition))

        for child in dl:
            if child.tag == "dt":
                if definitions:
                    flush()
                    names, definitions = [], []
                name = _plain(child)[:MAX_TERM_CHARS]
                if name:
                    names.append(name)
            elif child.tag == "dd" and names:
                definitions.append(_plain(child))
        flush()

    def _is_cover(self, member: str, body: Any, *, first: bool) -> bool:
        from essaytui.model.html import has_text

        if member in self.package.cover_documents:
            return True
        for element in (body, *body.iter("section", "div")):
            if COVER_TYPES.intersection(epub_types(element)):
                return True
        if first and not has_text(body):
            return body.find(".//img") is not None or body.find(".//image") is not None
        return False

    def _markdown(self, member: str, root: Any, body: Any) -> str:
        from essaytui.model.html import (
            REF_CLOSE,
            REF_OPEN,
            PageError,
            element_markdown,
            prepare_tree,
        )

        self._link_internal(member, root, body)
        prepare_tree(body)
        body.tag = "div"
        try:
            markdown = element_markdown(body)
        except PageError:
            self._document_warnings.append(f"{member_title(member)} is nested too deeply: left out")
            return ""
        markdown = markdown.replace(REF_OPEN, "[^").replace(REF_CLOSE, "]")
        names = self._anchor_names
        markdown = _NAV_TOKEN.sub(lambda m: f'<a id="{names[int(m.group(1))]}"></a>', markdown)
        return markdown.strip("\n")

    def _link_internal(self, member: str, root: Any, body: Any) -> None:
        """Links between the book's own documents point to anchors in the essay; a link
        to nothing the essay holds keeps its text only. A picture in the book is named as
        one (`IN_BOOK`): its path means nothing outside the book."""
        from urllib.parse import unquote

        from essaytui.model.essay import IN_BOOK
        from essaytui.model.text import xml_compatible

        for link in body.iter("a"):
            href = link.get("href")
            target = resolve(member, href) if href is not None else None
            if target is None:
                continue
            name = self._link_target(member, root, body, target, unquote(href.partition("#")[2]))
            if name is None:
                del link.attrib["href"]
            else:
                link.set("href", "#" + name)
        for image in body.iter("img"):
            src = image.get("src")
            inside = resolve(member, src) if src else None
            if inside is not None:
                # a path's %07 is a control character once unquoted
                image.set("src", IN_BOOK + xml_compatible(inside))

    def _link_target(
        self, member: str, root: Any, body: Any, target: str, fragment: str
    ) -> str | None:
        here, there = self.spine_index.get(member, -1), self.spine_index.get(target)
        if there is None:
            return None
        start = CHAPTER_ANCHOR.format(there)
        if target == member:
            element = self._ids_of(member, root).get(fragment) if fragment else None
            if element is None or not _inside(element, body):
                return start
            name = self._targets.setdefault(
                (member, fragment), TARGET_ANCHOR.format(len(self._targets))
            )
            if name not in self._placed:
                self._anchor(element, name)
            return name
        if there > here and target not in self._started:
            if not fragment:
                return start
            key = (target, fragment)
            name = self._targets.setdefault(key, TARGET_ANCHOR.format(len(self._targets)))
            self._wanted.setdefault(target, {})[fragment] = name
            return name
        if fragment:
            # backward: its anchor was placed if `_find_links_back` saw this link
            placed = self._targets.get((target, fragment))
            if placed is not None and placed in self._placed:
                return placed
            self._landed_short = self._enough is not None
        return start if target in self._started else None

    # -- anchors -----------------------------------------------------------------------

    def _anchor(self, element: Any, name: str) -> None:
        """An anchor `name` at the start of `element`'s text."""
        index = len(self._anchor_names)
        self._anchor_names.append(name)
        self._placed.add(name)
        _mark_start(element, f"{_NAV_OPEN}{index}{_NAV_CLOSE}")

    def _place_anchors(self, member: str, root: Any, body: Any) -> None:
        """The anchors of a document: its start, its table-of-contents entries, and the
        places earlier documents' links point to."""
        ids = self._ids_of(member, root)
        index = self.spine_index.get(member)
        if index is not None:
            self._anchor(body, CHAPTER_ANCHOR.format(index))
            self._started.add(member)
        for entry_index, entry in self._toc.get(member, []):
            target = ids.get(entry.fragment) if entry.fragment else body
            if target is None or not _inside(target, body):
                target = body if not entry.fragment else None
            if target is None:
                continue
            self._anchor(target, TOC_ANCHOR.format(entry_index))
            self.text.outline.append((entry.level, entry.title, TOC_ANCHOR.format(entry_index)))
        for fragment, name in self._wanted.pop(member, {}).items():
            target = ids.get(fragment)
            if target is not None and _inside(target, body) and name not in self._placed:
                self._anchor(target, name)

    # -- notes -------------------------------------------------------------------------

    def _reference(self, member: str, root: Any, link: Any) -> None:
        from essaytui.model.html import REF_CLOSE, REF_OPEN, replace_with_text

        href = link.get("href", "")
        target_member = resolve(member, href) if href else None
        fragment = href.partition("#")[2]
        if target_member is None or not fragment:
            return
        explicit = "noteref" in epub_types(link) or link.get("role") == "doc-noteref"
        if not explicit and not _marker(link):
            return
        target_root = root if target_member == member else self.document(target_member)
        if target_root is None:
            return
        from urllib.parse import unquote

        target = self._ids_of(target_member, target_root).get(unquote(fragment))
        if target is None:
            return
        note = _note_element(target)
        if note is None or _inside(link, note):
            return
        if not explicit and not self._plain_reference(member, root, link, target_member, note):
            return
        key = (target_member, str(note.get("id") or unquote(fragment)))
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = str(len(self._labels) + 1)
            self._notes_in.setdefault(target_member, []).append(key)
        parent = link.getparent()
        box = parent if parent is not None and parent.tag == "sup" and len(parent) == 1 else link
        for element in (box, link):
            if element.get("id"):
                self._reference_ids.add((member, str(element.get("id"))))
        replace_with_text(box, f"{REF_OPEN}{label}{REF_CLOSE}")

    def _plain_reference(
        self, member: str, root: Any, link: Any, target_member: str, note: Any
    ) -> bool:
        """Whether a plain marker link is a note reference: its note comes later, and
        something says it is a note (a ``<sup>``, a note's markup, a link back, a notes
        chapter)."""
        here = self.spine_index.get(member, -1)
        there = self.spine_index.get(target_member)
        if target_member == member:
            order = self._order_of(member, root)
            if order.get(note, -1) <= order.get(link, 0):
                return False
        elif there is not None and there <= here:
            return False
        from essaytui.model.html import note_like

        parent = link.getparent()
        in_sup = (parent is not None and parent.tag == "sup") or link.find("sup") is not None
        own_ids = {link.get("id"), parent.get("id") if parent is not None else None} - {None}
        links_back = any(
            a.get("href", "").partition("#")[2] in own_ids for a in note.iter("a") if own_ids
        )
        if in_sup or links_back or note_like(note) or _is_note(note):
            return True
        return self._is_notes_chapter(target_member)

    def _is_notes_chapter(self, member: str) -> bool:
        known = self._notes_chapters.get(member)
        if known is None:
            root = self.document(member)
            body = next(root.iter("body"), None) if root is not None else None
            known = self._notes_chapters[member] = body is not None and _holds_notes(body)
        return known

    def _note(self, key: tuple[str, str], root: Any) -> Any | None:
        """The note `key` names, in its document's tree `root`."""
        target = self._ids_of(key[0], root).get(key[1])
        return _note_element(target) if target is not None else None

    def _take_out_notes(self, member: str, root: Any, body: Any) -> bool:
        """Remove this document's notes (those referenced so far), then what held only
        notes: their list, a "Notes" heading, a notes section. True if any were."""
        from essaytui.model.html import has_text, is_notes_heading, remove_element

        holders: dict[Any, None] = {}
        for key in self._notes_in.get(member, []):
            note = self._note(key, root)
            if note is None or note.getparent() is None or not _inside(note, body):
                continue
            self._note_copies.setdefault(key, _note_copy(note))
            holders[note.getparent()] = None
            remove_element(note)
        for holder in holders:
            place = holder
            while place is not None and place is not body and place.getparent() is not None:
                heading_only = (
                    all(child.tag in _HEADINGS or not has_text(child) for child in place)
                    and not (place.text or "").strip()
                )
                if has_text(place) and not heading_only:
                    break
                above = place.getparent()
                previous = place.getprevious()
                remove_element(place)
                if previous is not None and is_notes_heading(previous):
                    remove_element(previous)
                place = above
        if holders:
            _drop_trailing_rules(body)
        return bool(holders)

    def _finish_notes(self) -> None:
        """Every note referenced, as Markdown, without its links back."""
        from essaytui.model.html import REF_CLOSE, REF_OPEN, notes_markdown

        bodies = []
        for key in self._labels:
            copy = self._note_copies.get(key)
            if copy is None:
                root = self.document(key[0])
                note = self._note(key, root) if root is not None else None
                copy = _note_copy(note) if note is not None else _missing_note()
            bodies.append(self._without_back_links(copy, key[0]))
        texts = [
            text.replace(REF_OPEN, "[^").replace(REF_CLOSE, "]") for text in notes_markdown(bodies)
        ]
        self.text.notes = list(zip(self._labels.values(), texts, strict=True))

    def _without_back_links(self, body: Any, member: str) -> Any:
        from essaytui.model.html import remove_element

        for link in list(body.iter("a")):
            href = link.get("href", "")
            target = resolve(member, href) if href else None
            back = (
                "backlink" in epub_types(link)
                or link.get("role") == "doc-backlink"
                or (target is not None and (target, href.partition("#")[2]) in self._reference_ids)
                or " ".join(link.itertext()).strip().lower() in _BACK_TEXTS
            )
            if back:
                remove_element(link)
            elif target is not None:
                link.attrib.pop("href", None)
        body.tag = "div"
        return body


#: For the first screen, a long first chapter is converted only this many times as far as
#: needed (in characters of text): markdownify takes ~1 ms a KB, and a chapter may be
#: 100 KB. What is converted is the start of what the whole conversion writes.
_FIRST_PART_TEXT = 1.25


def _cut_after(body: Any, chars: int) -> bool:
    """Drop what follows the first `chars` characters of text in `body`, block by block:
    from the innermost element that holds the text in several blocks (a chapter is often
    one ``<section>``). True if anything was dropped."""
    from essaytui.model.html import remove_element

    container = body
    while True:
        children = [child for child in container if isinstance(child.tag, str)]
        if len(children) != 1:
            break
        container = children[0]
    total = len(container.text or "")
    cut = False
    for child in list(container):
        if total > chars:
            remove_element(child)
            cut = True
            continue
        total += sum(len(piece) for piece in child.itertext()) + len(child.tail or "")
    return cut


def _missing_note() -> Any:
    """What stands for a note that could not be read again (its document went missing)."""
    from lxml import html

    body = html.Element("div")
    body.text = "(this note could not be read)"
    return body


def _note_copy(note: Any) -> Any:
    import copy

    body = copy.deepcopy(note)
    body.tail = None
    return body


def _note_element(target: Any) -> Any | None:
    """The note `target` (a link's target) is in: a marked note, an ``aside``, a list
    item; else the block around it. None when that is a whole chapter or section."""
    from essaytui.model.html import BLOCK_TAGS

    element = target
    while element is not None and element.tag not in ("body", "html"):
        if _is_note(element) or element.tag in ("aside", "li", "dd"):
            return None if element.find(".//h2") is not None else element
        element = element.getparent()
    element = target
    while element is not None and element.tag not in BLOCK_TAGS:
        element = element.getparent()
    if element is None or element.tag in ("body", "section", "article", "footer"):
        return None
    if any(element.find(f".//{tag}") is not None for tag in _HEADINGS):
        return None
    return element


_REF_MARK = re.compile("\ue000[^\ue001]{0,12}\ue001")


def _plain(element: Any) -> str:
    """An element's text on one line, without note references."""
    return " ".join(_REF_MARK.sub("", "".join(element.itertext())).split())


def _is_glossary(element: Any) -> bool:
    return GLOSSARY_TYPE in epub_types(element) or element.get("role") == GLOSSARY_ROLE


_GLOSSARY_HEADING = re.compile(r"^\W*(glossary|glossaire|glossar|glosario|glossario)\b", re.I)


def _glossaries(body: Any) -> list[tuple[Any, Any | None]]:
    """The glossaries in `body` as `(holder, heading outside it)`: the elements marked as
    one (the outermost), or else a ``<dl>`` after a "Glossary" heading."""
    marked = [
        e for e in (body, *body.iter("section", "div", "aside", "dl", "nav")) if _is_glossary(e)
    ]
    outermost = [e for e in marked if not any(o is not e and _inside(e, o) for o in marked)]
    if outermost:
        return [(e, None) for e in outermost if e.find(".//dt") is not None or e.tag == "dl"]
    found: list[tuple[Any, Any | None]] = []
    for heading in body.iter(*_HEADINGS):
        if not _GLOSSARY_HEADING.match(" ".join(heading.itertext()).strip()):
            continue
        for sibling in heading.itersiblings():
            if sibling.tag in _HEADINGS:
                break
            dl = sibling if sibling.tag == "dl" else sibling.find(".//dl")
            if dl is not None:
                found.append((dl, heading))
                break
    return found


def _is_note(element: Any) -> bool:
    return bool(NOTE_TYPES.intersection(epub_types(element))) or element.get("role") in NOTE_ROLES


def _holds_notes(body: Any) -> bool:
    """Whether a document is a notes chapter (its body or a section is marked as one,
    or its first heading says "Notes")."""
    from essaytui.model.html import is_notes_heading

    for element in (body, *body.iter("section", "div", "aside")):
        types = epub_types(element)
        if NOTES_TYPES.intersection(types) or element.get("role") == "doc-endnotes":
            return True
    heading = next(body.iter(*_HEADINGS), None)
    return heading is not None and is_notes_heading(heading)


def _marker(link: Any) -> bool:
    from essaytui.model.html import MARKER_TEXT

    text = " ".join(" ".join(link.itertext()).split())
    return len(text) <= 20 and MARKER_TEXT.fullmatch(text) is not None


def _inside(element: Any, ancestor: Any) -> bool:
    node = element
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _mark_start(element: Any, token: str) -> None:
    """Put `token` before the first text of `element` (inside a heading, when it starts
    with one), so that the anchor it becomes lands on that text."""
    from lxml import etree

    # in reading order, a text may be an element's tail: <h2><a id="c1"/>CHAPTER I.</h2>
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        if event == "start" and node.text and node.text.strip():
            node.text = token + node.text
            return
        if event == "end" and node is not element and node.tail and node.tail.strip():
            node.tail = token + node.tail
            return
    element.text = token + (element.text or "")


def _drop_decorative_images(body: Any) -> None:
    """Remove the pictures with an empty ``alt``: HTML's mark of a decorative one (a
    title page's ornament, a publisher's logo), which has nothing to say in the running
    text. A picture without ``alt`` at all is kept: it may be the text's own."""
    from essaytui.model.html import remove_element

    for image in list(body.iter("img")):
        alt = image.get("alt")
        if alt is not None and not alt.strip() and image.get("id") is None:
            remove_element(image)


def _drop_trailing_rules(body: Any) -> None:
    """Remove the rules (``<hr>``) with nothing after them in the document: a rule that
    set the notes apart, once they have been taken out, would end the text alone."""
    from essaytui.model.html import remove_element

    for rule in reversed(list(body.iter("hr"))):
        after = rule.xpath("following::text()[normalize-space()] | following::img")
        if after:
            break
        remove_element(rule)


#: What a ``<header>``'s paragraph is marked as when it is part of the heading's title.
_TITLE_PARTS = frozenset({"title", "subtitle", "ordinal", "label"})

#: Between the parts of a heading group once joined, as Standard Ebooks' own tables of
#: contents write them ("II: Of the Origin of Ideas").
_HEADING_PARTS_JOINED = ": "


def _join_heading_groups(body: Any) -> None:
    """Make a heading group's paragraphs part of its heading: Standard Ebooks write a
    chapter's title as ``<hgroup><h2 epub:type="ordinal">II</h2><p epub:type="title">Of
    the Origin of Ideas</p></hgroup>``, which becomes the heading "II: Of the Origin of
    Ideas". Left a paragraph, the title was drawn as body text, could be quoted, and
    counted as the chapter's first paragraph. Every ``<p>`` of an ``<hgroup>`` joins; of
    a ``<header>``, only one marked as a title (its other paragraphs, a bridgehead or an
    epigraph, are not the title)."""
    for group in list(body.iter("hgroup", "header")):
        heading = next((child for child in group if child.tag in _HEADINGS), None)
        if heading is None:
            continue
        members = [
            child
            for child in group
            if child is heading
            or (
                child.tag == "p"
                and (group.tag == "hgroup" or _TITLE_PARTS.intersection(epub_types(child)))
                and "".join(child.itertext()).strip()
            )
        ]
        if len(members) > 1:
            _join_into(heading, members)


def _join_into(heading: Any, members: list[Any]) -> None:
    """Put the content of each of `members` (`heading` among them) into `heading`, in
    their order, separated by `_HEADING_PARTS_JOINED`; the other members leave the tree."""
    from essaytui.model.html import remove_element

    parts = [(member.text or "", list(member)) for member in members]
    heading.text = None
    last: Any = None  # the element whose tail the next text goes on (None: the heading's text)
    for index, (text, children) in enumerate(parts):
        piece = (_HEADING_PARTS_JOINED if index else "") + text.lstrip()
        if children:
            children[-1].tail = (children[-1].tail or "").rstrip()
        else:
            piece = piece.rstrip()
        if last is None:
            heading.text = (heading.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece
        for child in children:
            heading.append(child)  # moved from its member (a child of `heading` stays)
            last = child
    for member in members:
        if member is not heading:
            remove_element(member)


def _text_outside_headings(body: Any) -> bool:
    """Whether `body` has text that is not in a heading (nor a header or hgroup)."""
    skipped = {*_HEADINGS, "header", "hgroup"}
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        inside = any(a.tag in skipped for a in (element, *element.iterancestors()))
        if not inside and element.text and element.text.strip():
            return True
        parent = element.getparent()
        outside_parent = parent is None or not any(
            a.tag in skipped for a in (parent, *parent.iterancestors())
        )
        if element is not body and outside_parent and element.tail and element.tail.strip():
            return True
    return False


def _has_words(markdown: str) -> bool:
    without = re.sub(r"!\[[^\]]*\]\([^)]*\)|<a id=\"[^\"]*\"></a>", "", markdown)
    return any(char.isalnum() for char in without)


def _has_images(markdown: str) -> bool:
    return "![" in markdown


__all__ = ["BookText", "convert_book"]
