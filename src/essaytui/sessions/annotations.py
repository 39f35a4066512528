"""The reader's highlights, notes and bookmarks in one essay: read, placed, changed, undone.

`AnnotationSession` turns what the reader does (highlight this, note that, delete,
undo) into `Change`s: the store writes to make, what to say when they are made, and
what undo puts back. The screen makes the writes without waiting for a database another
essaytui holds locked (`wait=False`); when it is locked, the same writes run in a
worker that waits, and the reader is told.

Placing annotations in a text that changed (re-anchoring) can be slow for many notes:
`read()` places at once everything whose text is unchanged or already placed (a cache
by id, modification time and text hash) and leaves the rest to `place()`, which the
screen runs in a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from essaytui.model.anchoring import Anchor, AnchorCache
from essaytui.model.annotation import (
    DEFAULT_COLOR,
    AnchorStatus,
    Annotation,
    Kind,
    as_copy,
    as_deleted,
    make_annotation,
    now_iso,
    relocated,
    text_hash,
    with_color,
    with_note,
    with_tags,
)
from essaytui.model.essay import Essay
from essaytui.model.text import sanitize
from essaytui.store import AnnotationStore, EditConflict, StoreError, UnknownAnnotation

#: Most changes `undo` can take back.
UNDO_LIMIT = 100
#: Characters of a quote or note shown in a palette entry.
PALETTE_SNIPPET = 60

#: A write to the store; `wait` says whether to wait for a lock held by another process.
Write = Callable[[AnnotationStore, bool], object]


@dataclass(frozen=True)
class Change:
    """What one action of the reader writes, and what to tell them.

    Attributes:
        writes: the store writes, made in order (each is one transaction).
        done: what to say once they are made.
        undo: the versions to write back to take the change back.
        focus: the annotation to show in the Notes pane afterwards.
    """

    writes: tuple[Write, ...]
    done: str
    undo: tuple[Annotation, ...] = ()
    focus: str | None = None


@dataclass(frozen=True)
class Loading:
    """What `read()` found: annotations placed already, and those still to place."""

    version: int
    essay: Essay
    annotations: list[Annotation]
    anchors: dict[str, Anchor]
    to_place: list[Annotation]


@dataclass(frozen=True)
class Placed:
    """What `place()` found for the annotations `read()` left to place."""

    loading: Loading
    anchors: dict[str, Anchor]


def _update(annotation: Annotation) -> Write:
    def write(store: AnnotationStore, wait: bool) -> object:
        return store.update(annotation, wait=wait)

    return write


def _update_from(changed: Annotation, base: Annotation) -> Write:
    """Write `changed` only over `base`; if the note changed or was deleted since (in
    another window), keep both: the new text goes in as a new note, and the write
    returns the `Change` that says so (and whose undo takes the new note back)."""

    def write(store: AnnotationStore, wait: bool) -> object:
        try:
            return store.update(changed, wait=wait, base=base)
        except (EditConflict, UnknownAnnotation) as conflict:
            current = getattr(conflict, "current", None)
            gone = not isinstance(current, Annotation) or current.is_deleted
            kept = store.add(as_copy(changed), wait=wait)
        what = "deleted" if gone else "changed"
        return Change(
            (),
            f"That note was {what} elsewhere (another window) after you opened it: your "
            "text was saved as a new note beside it, and nothing was overwritten.",
            undo=(as_deleted(kept),),
            focus=kept.id,
        )

    return write


def _delete_from(base: Annotation) -> Write:
    """Delete the note only if `base` is still its stored version: one changed since
    (in another window) is left as it is, and the returned `Change` says so."""

    def write(store: AnnotationStore, wait: bool) -> object:
        try:
            return store.update(as_deleted(base), wait=wait, base=base)
        except (EditConflict, UnknownAnnotation):
            return Change(
                (),
                "That note was changed or deleted elsewhere (another window) since it was "
                "shown: it is left as it is now.",
            )

    return write


def _setting(key: str, value: str) -> Write:
    def write(store: AnnotationStore, wait: bool) -> object:
        store.set_setting(key, value, wait=wait)
        return None

    return write


@dataclass(frozen=True)
class Draft:
    """What the note editor gives back: the note, its tags and its colour."""

    text: str
    tags: tuple[str, ...] = ()
    color: str = DEFAULT_COLOR


def _add(annotation: Annotation) -> Write:
    def write(store: AnnotationStore, wait: bool) -> object:
        return store.add(annotation, wait=wait)

    return write


@dataclass
class AnnotationSession:
    """The annotations of one essay, where each is placed, and what undo can take back."""

    essay: Essay
    store: AnnotationStore
    annotations: list[Annotation] = field(default_factory=list)
    anchors: dict[str, Anchor] = field(default_factory=dict)
    #: The store's data version when the annotations were last read (-1: never).
    version: int = -1
    #: Whether some annotations are not placed yet (the search ran out of time): the
    #: screen tries again on its next look at the store.
    unsettled: bool = False
    _undo: list[tuple[Annotation, ...]] = field(default_factory=list)
    #: Placements already worked out, by annotation and text.
    _cache: AnchorCache = field(default_factory=AnchorCache)

    # -- reading and placing -------------------------------------------------------

    def current_hash(self) -> str:
        """The hash of the reading text annotations are placed in ("" while partial)."""
        return text_hash(self.essay.reading_text) if self.essay.complete else ""

    def read(self) -> Loading:
        """Read the essay's annotations; place at once those that need no search.

        Raises:
            StoreError: the store cannot be read.
        """
        version = self.store.data_version()
        annotations = self.store.list_for_essay(self.essay.id)
        current = self.current_hash()
        anchors: dict[str, Anchor] = {}
        to_place: list[Annotation] = []
        for annotation in annotations:
            if current and annotation.text_hash == current:
                anchors[annotation.id] = Anchor(
                    AnchorStatus.ANCHORED, annotation.start, annotation.end, 1.0, 1.0, 1.0
                )
                continue
            known = self._cache.get(annotation, current) if current else None
            if known is not None:
                anchors[annotation.id] = known
            else:
                to_place.append(annotation)
        return Loading(version, self.essay, annotations, anchors, to_place)

    def place(self, loading: Loading) -> Placed:
        """Find the annotations `read` left in the text (slow: run it in a worker, one
        at a time; each pass has a time budget, see `model.anchoring`)."""
        found = self._cache.reanchor_all(loading.to_place, loading.essay.reading_text)
        pairs = zip(loading.to_place, found, strict=True)
        return Placed(loading, {annotation.id: anchor for annotation, anchor in pairs})

    def take(self, loading: Loading, placed: Placed | None = None) -> list[Annotation]:
        """Use what was read (and placed); returns the annotations to rewrite in the store.

        Exact anchors found in a changed text are rewritten to it; fuzzy ones wait for
        the reader to confirm them. Results for another version of the essay are
        dropped (the reader has a newer one).
        """
        if loading.essay is not self.essay:
            return []
        anchors = dict(loading.anchors)
        current = self.current_hash()
        if placed is not None:
            anchors.update(placed.anchors)
            self.unsettled = any(not anchor.settled for anchor in placed.anchors.values())
        for annotation in loading.to_place:
            anchors.setdefault(
                annotation.id,
                Anchor(AnchorStatus.ANCHORED, annotation.start, annotation.end, 1.0, 1.0, 1.0),
            )
        self.annotations = loading.annotations
        self.anchors = anchors
        self.version = loading.version
        if not current or placed is None:
            return []
        return [
            relocated(
                annotation, self.essay, anchors[annotation.id].start, anchors[annotation.id].end
            )
            for annotation in loading.to_place
            if anchors[annotation.id].status is AnchorStatus.ANCHORED
        ]

    def rewrite(self, annotations: Sequence[Annotation]) -> Change:
        """Store exact new places found for annotations (no message, no undo)."""
        return Change(tuple(_update(a) for a in annotations), "")

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another essaytui) changed the store since `read`.

        Raises:
            StoreError: the store cannot be read.
        """
        return self.store.data_version() != self.version

    def get(self, annotation_id: str) -> Annotation | None:
        """The live annotation with that id, if it is this essay's."""
        return next((a for a in self.annotations if a.id == annotation_id), None)

    def drawn(self) -> list[tuple[Annotation, Anchor]]:
        """Each annotation placed in the text (anchored or fuzzy), with its place."""
        found = []
        for annotation in self.annotations:
            anchor = self.anchors.get(annotation.id)
            if anchor is not None and anchor.drawn:
                found.append((annotation, anchor))
        return found

    # -- what the reader does ----------------------------------------------------------

    def highlight(self, start: int, end: int, color: str = DEFAULT_COLOR) -> Change:
        """Highlight `[start, end)` in `color`; on a passage already highlighted, take it away.

        A selection inside one highlight removes that highlight; one that overlaps or
        touches highlights merges them into one (the first keeps its id and date).
        """
        around = [
            (annotation, anchor)
            for annotation, anchor in self.drawn()
            if annotation.kind is Kind.HIGHLIGHT and anchor.start <= end and anchor.end >= start
        ]
        inside = next(
            (a for a, anchor in around if anchor.start <= start and end <= anchor.end), None
        )
        if inside is not None:
            return Change(
                (_update(as_deleted(inside)),),
                "Highlight removed (ctrl+z brings it back).",
                undo=(inside,),
            )
        if around:
            low = min(start, *(anchor.start for _, anchor in around))
            high = max(end, *(anchor.end for _, anchor in around))
            keep, *others = sorted((a for a, _ in around), key=lambda a: a.created)
            merged = relocated(keep, self.essay, low, high)
            writes = [_update(merged), *(_update(as_deleted(a)) for a in others)]
            return Change(
                tuple(writes),
                "Highlight extended to take in the one beside it."
                if not others
                else f"Highlights merged ({len(others) + 1} into one).",
                undo=(keep, *others),
                focus=keep.id,
            )
        annotation = make_annotation(self.essay, start, end, Kind.HIGHLIGHT, color=color)
        done = "Highlighted." if color == DEFAULT_COLOR else f"Highlighted in {color}."
        return Change(
            (_add(annotation),), done, undo=(as_deleted(annotation),), focus=annotation.id
        )

    def recolor(self, start: int, end: int, color: str) -> Change | None:
        """Give the highlights and notes that `[start, end)` touches `color`; None when it
        touches none (then the colour is for the next highlight or note)."""
        touched = [
            annotation
            for annotation, anchor in self.drawn()
            if annotation.kind is not Kind.BOOKMARK
            and anchor.start < max(end, start + 1)
            and anchor.end > start
            and annotation.color != color
        ]
        if not touched:
            return None
        many = f" ({len(touched)})" if len(touched) > 1 else ""
        return Change(
            tuple(_update(with_color(a, color)) for a in touched),
            f"Colour: {color}{many} (ctrl+z undoes).",
            undo=tuple(touched),
            focus=touched[0].id,
        )

    def note(self, start: int, end: int, draft: Draft | str) -> Change:
        """A new note on `[start, end)` (its text, or the note editor's draft)."""
        if isinstance(draft, str):
            draft = Draft(draft)
        annotation = make_annotation(
            self.essay, start, end, Kind.NOTE, note=draft.text, color=draft.color, tags=draft.tags
        )
        return Change(
            (_add(annotation),), "Note saved.", undo=(as_deleted(annotation),), focus=annotation.id
        )

    def bookmark(self, start: int, end: int) -> Change | str:
        """A bookmark on `[start, end)`, or why none is needed."""
        for annotation, anchor in self.drawn():
            if annotation.kind is Kind.BOOKMARK and anchor.start == start:
                return "Already bookmarked here: the bookmark is in Notes (5)."
        annotation = make_annotation(self.essay, start, end, Kind.BOOKMARK)
        return Change(
            (_add(annotation),), "Bookmarked.", undo=(as_deleted(annotation),), focus=annotation.id
        )

    def edit(self, annotation: Annotation, draft: Draft | str) -> Change:
        """A new text (and tags and colour, from the note editor) for `annotation`."""
        if isinstance(draft, str):
            draft = Draft(draft, annotation.tags, annotation.color)
        changed = with_note(annotation, draft.text)
        if draft.tags != annotation.tags:
            changed = with_tags(changed, draft.tags)
        if draft.color != annotation.color:
            changed = with_color(changed, draft.color)
        return Change(
            (_update_from(changed, annotation),),
            "Note saved.",
            undo=(annotation,),
            focus=annotation.id,
        )

    def delete(self, annotation: Annotation) -> Change:
        """Delete `annotation` (kept, marked deleted; undo brings it back)."""
        return Change(
            (_delete_from(annotation),),
            "Deleted (u or ctrl+z brings it back).",
            undo=(annotation,),
        )

    def reattach(self, annotation: Annotation, start: int, end: int) -> Change:
        """Move `annotation` (e.g. one not found in this edition) to `[start, end)`."""
        return Change(
            (_update(relocated(annotation, self.essay, start, end)),),
            "Re-attached to the selection.",
            undo=(annotation,),
            focus=annotation.id,
        )

    def confirm(self, annotation: Annotation) -> Change | str:
        """Accept the place found for a moved annotation, or why there is none."""
        anchor = self.anchors.get(annotation.id)
        if anchor is None or anchor.start < 0:
            return "There is no proposed place: select new text, then r."
        return Change(
            (_update(relocated(annotation, self.essay, anchor.start, anchor.end)),),
            "Place confirmed.",
            undo=(annotation,),
            focus=annotation.id,
        )

    def undo(self) -> Change | str:
        """Take back the last change, or say there is nothing to take back."""
        if not self._undo:
            return "Nothing to undo."
        versions = self._undo.pop()
        return Change(
            tuple(_update(version) for version in versions),
            "Undone.",
            focus=versions[0].id if not versions[0].is_deleted else None,
        )

    # -- making changes --------------------------------------------------------------

    def make(self, change: Change, *, wait: bool) -> Change:
        """Write `change` to the store (see `Change`); returns what was made: `change`,
        or what a write made instead (an edit of a note changed meanwhile, kept as a
        new note).

        Raises:
            StoreBusy: `wait` is False and another process holds the database.
            StoreError: the writes failed; what was written before the failing one stays.
        """
        made = change
        for write in change.writes:
            result = write(self.store, wait)
            if isinstance(result, Change):
                made = result
        return made

    def made(self, change: Change) -> None:
        """`change` was written: remember how to take it back."""
        if change.undo:
            self._undo.append(change.undo)
            del self._undo[:-UNDO_LIMIT]

    # -- what the reader sees of them ------------------------------------------------------

    def palette_entries(self) -> list[tuple[str, str, str]]:
        """`(title, help, annotation id)` for each annotation, for the command palette."""
        found: list[tuple[str, str, str]] = []
        for annotation in self.annotations:
            quote = " ".join(sanitize(annotation.exact).split())[:PALETTE_SNIPPET]
            note = " ".join(sanitize(annotation.note).split())[:PALETTE_SNIPPET]
            found.append(
                (
                    f"Go to: {annotation.kind.value} “{quote}”",
                    note or annotation.modified[:10],
                    annotation.id,
                )
            )
        return found

    def citation_style(self) -> str:
        """The citation style the reader chose (a setting), else the default."""
        from essaytui.interchange.styles import DEFAULT_STYLE, STYLE_SETTING, STYLES

        try:
            chosen = self.store.get_setting(STYLE_SETTING)
        except StoreError:
            chosen = None
        return chosen if chosen in STYLES else DEFAULT_STYLE

    def choose_style(self, key: str) -> Change:
        """Make `key` the citation style of `y` and of Markdown exports."""
        from essaytui.interchange.citation import style_of
        from essaytui.interchange.styles import STYLE_SETTING

        name = style_of(key).name
        return Change((_setting(STYLE_SETTING, key),), f"Citation style: {name}.")

    def quotation(self, start: int, end: int, style: str) -> str:
        """The passage quoted, with its citation in `style` (¶ N) and the reference.

        Slow the first time (the citation processor loads): call it from a worker.

        Raises:
            CitationError: the citation could not be made.
        """
        from essaytui.interchange.citation import quotation

        return quotation(self.essay, start, end, style).text

    def tags_in_use(self) -> list[str]:
        """Every tag used on a live note of any essay, the most used first."""
        try:
            found = self.store.tags_in_use()
        except StoreError:
            found = []
        here = [tag for a in self.annotations for tag in a.tags]
        return list(dict.fromkeys([*here, *found]))

    def export(self, folder: Path) -> tuple[Path, int]:
        """Write the annotations as Markdown and W3C JSON files in `folder`.

        Returns:
            The Markdown file's path (the JSON has the same name) and how many were written.

        Raises:
            OSError: the files could not be written.
        """
        from essaytui.interchange.markdown import to_markdown
        from essaytui.interchange.w3c import to_web_annotation

        live = [a for a in self.annotations if not a.is_deleted]
        stamp = now_iso()[:19].replace(":", "").replace("-", "")
        stem = f"essaytui-{self.essay.id[:40]}-{stamp}"
        folder.mkdir(parents=True, exist_ok=True)
        markdown = folder / f"{stem}.md"
        markdown.write_text(
            to_markdown(self.essay, live, style=self.citation_style()), encoding="utf-8"
        )
        document = to_web_annotation(self.essay, live)
        (folder / f"{stem}.json").write_text(
            json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return markdown, len(live)
