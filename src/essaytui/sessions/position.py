"""Where the reader is in an essay: saved now and then, found again at the next opening.

Stored as the offset at the top of the view and the sentence there, never as rows or a
scroll fraction (they change with the terminal), so the place is found again at any
size and after the essay was edited.
"""

from __future__ import annotations

from essaytui.model.anchoring import nearest_occurrence, reanchor_offset
from essaytui.model.annotation import text_hash
from essaytui.model.essay import Essay, reading_progress
from essaytui.store import AnnotationStore

#: Most characters of the sentence at the top kept to find the place again.
QUOTE_CHARACTERS = 200
#: Characters kept when the top is not inside a sentence.
SHORT_QUOTE = 80


class ReadingPosition:
    """The saved place in one essay."""

    def __init__(self, essay: Essay, store: AnnotationStore) -> None:
        self.essay = essay
        self.store = store
        #: The top offset saved last (-1: none this session).
        self.saved_top = -1
        #: The progress saved with it: the same top may be another figure once the view
        #: is laid out (a text that fits on the screen is at its end, 100 %).
        self.saved_progress = -1.0
        #: Whether the saved place has been found and shown (it may wait for the rest
        #: of a long essay).
        self.restored = False
        #: The rest of the essay could not be read: positions would be measured on a
        #: part, so none is saved any more.
        self.frozen = False
        #: False while the essay is not on screen (the Library opened over it first): a
        #: text never shown is not read, so no place is saved for it.
        self.shown = True

    def save(self, top: int, bottom: int, *, wait: bool) -> bool:
        """Remember `top` (with its sentence); False if there was nothing new to save.

        Raises:
            StoreBusy: `wait` is False and another process holds the database.
            StoreError: it could not be saved.
        """
        essay = self.essay
        if not self.shown or not essay.complete or self.frozen:
            return False
        text = essay.reading_text
        progress = reading_progress(len(text), top, bottom)
        if (top, progress) == (self.saved_top, self.saved_progress):
            return False
        start, end = essay.sentence_bounds(top)
        self.store.save_position(
            essay.id,
            top,
            quote=text[top : min(end, top + QUOTE_CHARACTERS)]
            if end > top
            else text[top : top + SHORT_QUOTE],
            essay_path=essay.source_path or "",
            title=essay.title,
            author=essay.author,
            text_hash=text_hash(text),
            progress=progress,
            wait=wait,
        )
        self.saved_top, self.saved_progress = top, progress
        return True

    def restore(self) -> int | None:
        """The offset to open at, found again by its sentence; None to stay at the top
        (or, while only the first part is parsed and the sentence is not in it yet, to
        try again once the rest is in).

        Raises:
            StoreError: the store cannot be read.
        """
        position = self.store.position(self.essay.id)
        if position is None:
            self.restored = True
            return None
        text = self.essay.reading_text
        offset = position.offset
        if self.essay.complete:
            offset = reanchor_offset(offset, position.quote, text, position.text_hash)
        else:
            found = nearest_occurrence(text, position.quote, offset) if position.quote else None
            if found is None:
                return None
            offset = found
        self.restored = True
        self.saved_top, self.saved_progress = offset, position.progress
        return min(offset, len(text))
