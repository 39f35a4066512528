"""The identity room of the store: which essay a document is (see `model.identity`).

The only part of the store that reads essay files (their prints, through
`model.identity`); the database itself only holds what was found.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import TYPE_CHECKING

from essaytui.model import identity
from essaytui.model.annotation import now_iso
from essaytui.model.identity import DocumentPrint
from essaytui.store.database import Database
from essaytui.store.errors import StoreError, StoreWriteError
from essaytui.store.rows import storable
from essaytui.store.schema import split_id, split_title_hash_essays

if TYPE_CHECKING:
    from essaytui.model.essay import Essay


class Identities:
    """Which essay a document is: its id, found by path, print or title hash."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._index = SketchIndex()

    def identify(self, essay: Essay, *, source: bytes | None = None, record: bool = True) -> str:
        """The id the essay's notes and position are filed under (see `model.identity`).

        The front-matter id if there is one. Otherwise the essay of the path where
        it was read (`essay.source_path`), else the known essay that is the same
        document (the same bytes; or a close print whose recorded paths no longer
        hold it: moved, renamed, lightly edited), else a new one. `source` is the
        document's bytes when it has no file (standard input).

        `record=False` (for `export` and `list`) never writes: it returns the id
        the reader would use. With `record=True` a new path, a new essay and an
        edited file's print are remembered; a read-only store records nothing.
        Never raises: when the store cannot be read the id is worked out from the
        document alone.
        """
        declared = identity.declared_id(essay)
        if declared is not None and not essay.source_path:
            return declared
        path = storable(essay.source_path) if essay.source_path else None
        document = _Document(path, source)
        try:
            return self._identify(
                document,
                storable(essay.title),
                storable(essay.author),
                record=record,
                declared=declared,
            )
        except StoreError as error:
            self._db.warn(f"the essay's notes could not be looked up ({error})")
            if declared is not None:
                return declared
            return identity.new_essay_id(path, document.print().digest)

    def _identify(
        self,
        document: _Document,
        title: str,
        author: str,
        *,
        record: bool,
        declared: str | None = None,
    ) -> str:
        record = record and not self._db.read_only
        path = document.path
        if path is not None:
            rows = self._db.read(
                "SELECT essay_id, size, mtime_ns FROM essay_paths WHERE path = ?", (path,)
            )
            known = str(rows[0]["essay_id"]) if rows else None
            # a path that held another book (another identifier) is a new path for this one
            if known is not None and (declared in (None, known) or identity.is_generated(known)):
                state = (rows[0]["size"], rows[0]["mtime_ns"])
                return self._at_known_path(known, state, document, title, author, record=record)
            legacy = None if declared else self._legacy_id(path, title, author, record=record)
            if legacy is not None:
                if record:
                    self._remember_print(legacy, document, title, author)
                return legacy
        if declared is not None:
            found, moved = self._same_book(declared, document)
        else:
            found, moved = self._same_document(document)
        if found is None:
            found = identity.new_essay_id(path, document.print().digest)
        if record:
            self._remember_print(found, document, title, author, moved=moved)
        return found

    def _at_known_path(
        self,
        known: str,
        recorded: tuple[object, object],
        document: _Document,
        title: str,
        author: str,
        *,
        record: bool,
    ) -> str:
        """The essay of a path read before: its own, however much the file was edited,
        unless it was a copy of another path's text and now differs from that text,
        which is still there: then it is an essay of its own (two different files never
        share notes)."""
        state = document.state()
        if state is None or state == recorded:
            return known
        essay_id = known
        if self._diverged_copy(known, document):
            essay_id = identity.new_essay_id(document.path, document.print().digest)
        if record:
            self._remember_print(essay_id, document, title, author)
        return essay_id

    def _diverged_copy(self, essay_id: str, document: _Document) -> bool:
        """True if `document` (at a path of the essay, changed) is no longer the essay's
        text while a path of the essay recorded before this one still holds it."""
        rows = self._db.read("SELECT digest FROM essays WHERE id = ?", (essay_id,))
        recorded = str(rows[0][0] or "") if rows else ""
        found = document.print()
        if not recorded or not found.digest or found.digest == recorded:
            return False
        paths = self._db.read("SELECT path, seen FROM essay_paths WHERE essay_id = ?", (essay_id,))
        mine = next((str(row[1]) for row in paths if row[0] == document.path), "")
        for row in paths:
            other, seen = str(row[0]), str(row[1])
            # the essay's first path keeps it; a later one (a copy) is what goes
            if other == document.path or (seen, other) > (mine, str(document.path)):
                continue
            there = identity.read_print(other)
            if there is not None and there.digest == recorded:
                return True
        return False

    def _same_book(self, declared: str, document: _Document) -> tuple[str | None, bool]:
        """Which essay a file with a front-matter id (a book's package identifier) is,
        at a new path, and whether the essay moved here.

        The identifier's essay, unless it is a book's, a recorded file of that book
        still holds the bytes recorded and this one's differ (a damaged or altered
        copy): then a new essay (None). Bytes that differ where no recorded file still
        holds the recorded ones: the same book, renamed or moved, or a new edition.
        """
        rows = self._db.read("SELECT digest FROM essays WHERE id = ?", (declared,))
        recorded = str(rows[0][0] or "") if rows else ""
        found = document.print()
        # a front-matter id is the author's word that this is that essay
        if not identity.is_book_id(declared) or not found.digest or found.digest == recorded:
            # "moved": recorded paths that no longer hold it are forgotten
            return declared, True
        if recorded:
            where = "SELECT path FROM essay_paths WHERE essay_id = ?"
            parameters: tuple[object, ...] = (declared,)
        else:
            # read before its path was recorded: where its notes and place were made
            where = (
                "SELECT essay_path FROM positions WHERE essay_id = ? "
                "UNION SELECT essay_path FROM annotations WHERE essay_id = ?"
            )
            parameters = (declared, declared)
        for row in self._db.read(where, parameters):
            other = str(row[0])
            there = identity.read_print(other) if other and other != document.path else None
            if there is not None and there.digest == (recorded or there.digest) != found.digest:
                return None, False
        return declared, True

    def _legacy_id(self, path: str, title: str, author: str, *, record: bool) -> str | None:
        """An unregistered id that notes were filed under at `path` (imported from an
        older essaytui, or from another machine): the title hash of this essay's title
        and author, or the one generated id found there.

        A title hash that also has notes at other paths joined several files, as
        before migration 3: it is split the same way (`record`), and the id of this
        path's part returned.
        """
        rows = self._db.read(
            "SELECT essay_id FROM annotations WHERE essay_path = ? "
            "UNION SELECT essay_id FROM positions WHERE essay_path = ?",
            (path, path),
        )
        candidates = {str(row[0]) for row in rows}
        if not candidates:
            return None
        registered = {
            str(row[0])
            for row in self._db.read(
                f"SELECT id FROM essays WHERE id IN ({', '.join('?' * len(candidates))})",
                tuple(candidates),
            )
        }
        unregistered = candidates - registered
        hashed = identity.title_hash(title, author)
        if hashed not in unregistered:
            generated = [c for c in unregistered if identity.is_generated(c)]
            return generated[0] if len(generated) == 1 else None
        elsewhere = self._db.read(
            "SELECT 1 FROM annotations WHERE essay_id = ? AND essay_path NOT IN (?, '') "
            "UNION SELECT 1 FROM positions WHERE essay_id = ? AND essay_path NOT IN (?, '')",
            (hashed, path, hashed, path),
        )
        if not elsewhere:
            return hashed
        if record:
            try:
                self._db.write(lambda connection: split_title_hash_essays(connection, {hashed}))
            except StoreWriteError as error:
                self._db.warn(f"notes shared by several files could not be split ({error})")
                return hashed
        return split_id(hashed, path)

    def _same_document(self, document: _Document) -> tuple[str | None, bool]:
        """A known essay that `document` (at a new path) is, and whether it moved here.

        The same bytes: that essay (a copy; its other paths stay its own). A close
        print whose recorded paths no longer hold it: that essay, moved.
        """
        found = document.print()
        if found.digest:
            rows = self._db.read(
                "SELECT id FROM essays WHERE digest = ? ORDER BY created, id", (found.digest,)
            )
            if rows:
                return str(rows[0][0]), False
        if not found.sketch:
            return None, False
        scored: list[tuple[float, str, DocumentPrint]] = []
        for essay_id, known in self._close_candidates(found.sketch):
            score = found.similarity(known)
            if score >= identity.CLOSE_SIMILARITY:
                scored.append((score, essay_id, known))
        scored.sort(key=lambda entry: (-entry[0], entry[1]))
        for _, essay_id, known in scored:
            if not self._held_elsewhere(essay_id, known, document.path):
                return essay_id, True
        return None, False

    def _close_candidates(self, sketch: tuple[int, ...]) -> list[tuple[str, DocumentPrint]]:
        """The known essays whose print may be close to `sketch`, with their prints:
        every one that is (the sketch index rules out only those that cannot be)."""
        if self._index.stamp != self._db.change_stamp():
            self._index.rebuild(self._db)
        ids = self._index.candidates(sketch)
        found: list[tuple[str, DocumentPrint]] = []
        # in slices: SQLite limits the parameters of one statement
        for start in range(0, len(ids), _IDS_A_QUERY):
            part = ids[start : start + _IDS_A_QUERY]
            for row in self._db.read(
                f"SELECT id, digest, sketch FROM essays WHERE id IN ({', '.join('?' * len(part))})",
                tuple(part),
            ):
                known = DocumentPrint(str(row[1]), identity.sketch_from_text(str(row[2])))
                found.append((str(row[0]), known))
        return found

    def _held_elsewhere(self, essay_id: str, known: DocumentPrint, path: str | None) -> bool:
        """True if a recorded path of the essay still holds its document."""
        for row in self._db.read("SELECT path FROM essay_paths WHERE essay_id = ?", (essay_id,)):
            other = str(row[0])
            if other == path:
                continue
            there = identity.read_print(other)
            if there is not None and there.is_close(known):
                return True
        return False

    def _remember_print(
        self, essay_id: str, document: _Document, title: str, author: str, *, moved: bool = False
    ) -> None:
        """Record the essay's print and path; when it `moved` here, forget the paths
        that no longer hold it (so a new file there is a new essay)."""
        found = document.print()
        state = document.state() or (-1, -1)
        now = now_iso()
        stale: list[str] = []
        if moved and document.path is not None:
            for row in self._db.read(
                "SELECT path FROM essay_paths WHERE essay_id = ? AND path != ?",
                (essay_id, document.path),
            ):
                there = identity.read_print(str(row[0]))
                if there is None or not there.is_close(found):
                    stale.append(str(row[0]))

        def write(connection: sqlite3.Connection) -> None:
            indexed = self._index.current(connection)
            before = _stored_sketch(connection, essay_id) if indexed else ()
            connection.execute(
                "INSERT INTO essays (id, digest, sketch, title, author, created) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "digest = excluded.digest, sketch = excluded.sketch, "
                "title = excluded.title, author = excluded.author",
                (essay_id, found.digest, found.sketch_text(), title, author, now),
            )
            if document.path is not None:
                connection.execute(
                    "INSERT OR REPLACE INTO essay_paths (path, essay_id, size, mtime_ns, seen) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (document.path, essay_id, state[0], state[1], now),
                )
            for old in stale:
                connection.execute(
                    "DELETE FROM essay_paths WHERE path = ? AND essay_id = ?", (old, essay_id)
                )
            if indexed:
                self._index.put(connection, essay_id, before, found.sketch)

        try:
            self._db.write(write)
        except StoreWriteError as error:
            self._index.stamp = None
            self._db.warn(f"where this essay was read could not be remembered ({error})")


#: Essay ids looked up in one statement (SQLite allows 999 parameters in older builds).
_IDS_A_QUERY = 500


def _stored_sketch(connection: sqlite3.Connection, essay_id: str) -> tuple[int, ...]:
    """The sketch the database holds for `essay_id` (empty if none)."""
    row = connection.execute("SELECT sketch FROM essays WHERE id = ?", (essay_id,)).fetchone()
    return identity.sketch_from_text(str(row[0] or "")) if row else ()


def _stamp(connection: sqlite3.Connection) -> tuple[int, int, int]:
    """`Database.change_stamp` of the connection a write is running on."""
    version = int(connection.execute("PRAGMA data_version").fetchone()[0])
    return id(connection), version, connection.total_changes


class SketchIndex:
    """Which known essays hold each sketch value: an inverted index, so that a new path
    is compared with the essays that may be close to it, not with every one.

    Built from the database when first needed and whenever `stamp` says the database
    changed since (another connection, or any other write of this one); a print this
    room records is put in as it is written.

    The values are filed by the size of the sketch that holds them: how many values a
    close essay must share depends on its size, and knowing it lets a lookup skip the
    values every essay of a generated folder shares (its template's words).
    """

    def __init__(self) -> None:
        self.stamp: tuple[int, int, int] | None = None
        # (value, sketch size) -> the essays of that size whose sketch holds the value
        self._holders: dict[tuple[int, int], set[str]] = {}
        self._sizes: dict[str, int] = {}
        self._of_size: Counter[int] = Counter()

    def rebuild(self, database: Database) -> None:
        """Index every essay's sketch as the database holds it now."""
        stamp = database.change_stamp()
        self._holders, self._sizes, self._of_size = {}, {}, Counter()
        for row in database.read("SELECT id, sketch FROM essays WHERE sketch != ''"):
            self._add(str(row[0]), identity.sketch_from_text(str(row[1])))
        self.stamp = stamp

    def current(self, connection: sqlite3.Connection) -> bool:
        """True if the index holds what the database held before this write began."""
        return self.stamp is not None and self.stamp == _stamp(connection)

    def put(
        self,
        connection: sqlite3.Connection,
        essay_id: str,
        before: tuple[int, ...],
        sketch: tuple[int, ...],
    ) -> None:
        """Inside the write that changed `essay_id`'s sketch from `before` to `sketch`
        (after `current` said the index was up to date)."""
        self._drop(essay_id, before)
        self._add(essay_id, sketch)
        self.stamp = _stamp(connection)

    def candidates(self, sketch: tuple[int, ...]) -> list[str]:
        """The essays whose bottom-k estimate against `sketch` may reach
        `CLOSE_SIMILARITY`, sorted.

        The estimate is |U ∩ a ∩ b| / |U| with U the k smallest values of a ∪ b, and
        |U| = min(k, |a ∪ b|) = min(k, |a| + |b| - c) for c = |a ∩ b|: it is at most
        c / min(k, |a| + |b| - c). So an essay of size |b| must share at least
        `_least_shared` values, and then one of any |a| - that + 1 values of a (the
        rarest are looked up).
        """
        values = set(sketch)
        found: set[str] = set()
        for size in self._of_size:
            need = _least_shared(len(values), size)
            if need is None:
                continue
            rarest = sorted(values, key=lambda v: len(self._holders.get((v, size), ())))
            seen: set[str] = set()
            for value in rarest[: len(values) - need + 1]:
                seen.update(self._holders.get((value, size), ()))
            for essay_id in seen:
                both = sum(1 for v in values if essay_id in self._holders.get((v, size), ()))
                if both >= need:
                    found.add(essay_id)
        return sorted(found)

    def _add(self, essay_id: str, sketch: tuple[int, ...]) -> None:
        values = set(sketch)
        if not values:
            return
        size = len(values)
        self._sizes[essay_id] = size
        self._of_size[size] += 1
        for value in values:
            self._holders.setdefault((value, size), set()).add(essay_id)

    def _drop(self, essay_id: str, sketch: tuple[int, ...]) -> None:
        size = self._sizes.pop(essay_id, None)
        if size is None:
            return
        self._of_size[size] -= 1
        if not self._of_size[size]:
            del self._of_size[size]
        for value in set(sketch):
            holders = self._holders.get((value, size))
            if holders is not None:
                holders.discard(essay_id)
                if not holders:
                    del self._holders[(value, size)]


def _least_shared(mine: int, theirs: int) -> int | None:
    """The fewest values two sketches of these sizes must share for the bottom-k
    estimate to reach `CLOSE_SIMILARITY` (None: they cannot)."""
    for both in range(1, min(mine, theirs) + 1):
        union = min(identity.SKETCH_SIZE, mine + theirs - both)
        # a hair below the line: a float rounding must not drop a close essay
        if both >= identity.CLOSE_SIMILARITY * union - 1e-9:
            return both
    return None


class _Document:
    """The document being identified: its path and, computed once when needed, its
    print and file state."""

    def __init__(self, path: str | None, source: bytes | None) -> None:
        self.path = path
        self._source = source
        self._print: DocumentPrint | None = None

    def print(self) -> DocumentPrint:
        if self._print is None:
            found = None
            if self._source is not None:
                found = identity.print_of_bytes(self._source)
            elif self.path is not None:
                found = identity.read_print(self.path)
            self._print = found or DocumentPrint("", ())
        return self._print

    def state(self) -> tuple[int, int] | None:
        if self._source is not None or self.path is None:
            return None
        return identity.file_state(self.path)
