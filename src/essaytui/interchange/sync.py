"""The sync folder: notes that travel between machines by a file-sync engine or git.

essaytui never moves bytes over the network: Syncthing, Dropbox, Nextcloud or a git
repository carries a plain folder, and every machine reads and writes it the same way::

    essays/<essay-key>.json                        title, author, print, paths seen
    annotations/<essay-key>/<annotation-id>.json   one W3C Web Annotation per note
    positions/<essay-key>/<device-id>.json         where each machine is reading

One file per annotation, rewritten only when that note changed: two machines never
rewrite the same file for different changes, so an engine never sees a conflict on a
note nobody touched. When one does happen (the same note edited on two machines
between syncs), the engine's conflict copy (`*.sync-conflict-*`, "conflicted copy")
is read, merged and removed.

**The merge rule**, the same on every machine (`version_key`): per annotation id the
version with the later `modified` wins; equal times are ordered by the device that
wrote the version, then by content, so every machine picks the same winner whatever
order the versions arrive in and however their clocks disagree. A deletion is a
version like any other (its `modified` is the time of the deletion): an edit made
later elsewhere keeps the note, and the report says so.

Everything read from the folder passes the import rules of `interchange.w3c` (sizes,
times, text made inert) and of `AnnotationStore.merge` (a note whose id belongs to
another essay's note here is refused). A file that cannot be read (half-written,
empty, not JSON, too large, nested too deeply) is skipped with a warning and left as
it is for the next sync. Writes are atomic: a temporary file in the same folder,
then `os.replace`. Fields this version does not know are kept when a file is
rewritten.

A small state file in the data folder remembers each file's size and time as last
seen, so a sync where nothing changed reads no file at all; losing it costs one
full read, never a note.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import socket
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from essaytui import paths
from essaytui.interchange.errors import InterchangeError
from essaytui.interchange.w3c import (
    MAX_PATH,
    MAX_SHORT,
    annotation_to_item,
    from_web_annotation,
)
from essaytui.model.annotation import Annotation, checked_time, time_key
from essaytui.model.identity import DocumentPrint, file_state, is_generated, sketch_from_text
from essaytui.model.regular_file import FileRefused, Refusal, read_regular_file
from essaytui.model.text import sanitize_inline
from essaytui.store.errors import StoreError
from essaytui.store.store import AnnotationStore, EssayRecord, Position, storable

ESSAYS_DIR = "essays"
ANNOTATIONS_DIR = "annotations"
POSITIONS_DIR = "positions"
#: Our own fields in a file of the folder (beside the W3C item and `essaytui:data`).
SYNC_KEY = "essaytui:sync"
#: Settings in the store: the folder remembered by `essaytui sync DIR`, this data
#: folder's device id and the name shown to other machines.
FOLDER_SETTING = paths.SYNC_FOLDER_SETTING
DEVICE_SETTING = "sync.device"
#: The state file (sizes and times of the files as last seen), in the data folder.
STATE_FILE = "sync-state.json"
STATE_VERSION = 1

#: Largest file of the folder read (a note of a million characters fits).
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Deepest nesting of JSON values accepted: ours is 4 deep.
MAX_DEPTH = 16
#: Warnings kept per sync (the rest are counted).
MAX_WARNINGS = 50
#: A device id: what `new_device_id` makes, or what another machine made.
_DEVICE = re.compile(r"[0-9a-f]{8,64}")
_SAFE_KEY = re.compile(r"[^a-z0-9._-]+")
_PLAIN_NAME = len("00000000-0000-0000-0000-000000000000.json")
_CONFLICT = re.compile(r"\.sync-conflict-|conflicted copy|\(conflict", re.IGNORECASE)


class SyncError(Exception):
    """The sync folder cannot be used at all; `str()` says why, in one line."""


class BadFile(ValueError):
    """A file of the folder that is skipped (and left) this time."""


# -- names ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=65_536)
def essay_key(essay_id: str) -> str:
    """The folder name of an essay: readable, safe on every file system, and unique.

    Lower case (macOS and Windows folders ignore case), at most 40 characters of the id,
    then 12 hexadecimal digits of its hash, so two ids never share a folder.
    """
    slug = _SAFE_KEY.sub("-", essay_id.lower()).strip(".-")[:40].strip(".-") or "essay"
    digest = hashlib.sha256(essay_id.encode("utf-8", "replace")).hexdigest()[:12]
    return f"{slug}-{digest}"


def is_conflict_copy(name: str) -> bool:
    """True for a conflict copy made by a sync engine (Syncthing, Dropbox, Nextcloud)."""
    return _CONFLICT.search(name) is not None


def new_device_id() -> str:
    """A new device id: 16 hexadecimal digits, random."""
    return uuid.uuid4().hex[:16]


def device_id(store: AnnotationStore) -> str:
    """This data folder's device id, made and stored the first time it is asked for.

    Raises:
        StoreError: the store cannot be read, or a new id cannot be saved.
    """
    known = store.get_setting(DEVICE_SETTING)
    if known and _DEVICE.fullmatch(known):
        return known
    made = new_device_id()
    store.set_setting(DEVICE_SETTING, made)
    return made


def device_name() -> str:
    """This machine's name, as other machines' readers show it."""
    return sanitize_inline(storable(socket.gethostname()))[:64] or "another machine"


# -- the merge rule ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Version:
    """One version of an annotation and the device that wrote it."""

    annotation: Annotation
    device: str
    #: What the version holds, as a short hash (equal versions, equal digests).
    digest: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.digest:
            object.__setattr__(self, "digest", content_digest(self.annotation))


def content_digest(annotation: Annotation) -> str:
    """A hash of every field of `annotation`: two copies differ iff their digests do."""
    fields = (
        annotation.id,
        annotation.essay_id,
        annotation.essay_path,
        str(annotation.kind),
        annotation.exact,
        annotation.prefix,
        annotation.suffix,
        annotation.start,
        annotation.end,
        annotation.section_trail,
        annotation.note,
        annotation.color,
        annotation.tags,
        annotation.created,
        annotation.modified,
        annotation.deleted,
        annotation.text_hash,
    )
    return hashlib.sha256(repr(fields).encode("utf-8", "replace")).hexdigest()[:32]


def version_key(version: Version) -> tuple[datetime, str, str]:
    """The order of versions of one annotation: the greatest wins, on every machine."""
    return time_key(version.annotation.modified), version.device, version.digest


def winner(first: Version, second: Version) -> Version:
    """The version the merge rule keeps (commutative, associative, idempotent)."""
    return first if version_key(first) >= version_key(second) else second


# -- files ---------------------------------------------------------------------------


def _depth(value: object) -> int:
    """How deeply JSON containers nest in `value` (without recursion)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
        if deepest > MAX_DEPTH:
            break
    return deepest


def read_json(path: Path) -> dict[str, object]:
    """A JSON object from a file of the folder.

    Raises:
        BadFile: it cannot be read, is empty, too large, not UTF-8, not JSON, not an
            object, or nested too deeply.
    """
    try:
        # a FIFO swapped in after the folder was listed is refused, never waited on
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileRefused as refused:
        if refused.refusal in (Refusal.DIRECTORY, Refusal.NOT_REGULAR):
            raise BadFile("is not a regular file") from None
        if refused.refusal is Refusal.TOO_LARGE:
            raise BadFile(f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB") from None
        raise BadFile(f"cannot be read ({refused.reason})") from None
    return json_object(data)


def json_object(data: bytes) -> dict[str, object]:
    """`read_json` of bytes already read (a side of a git conflict).

    Raises:
        BadFile: see `read_json`.
    """
    if len(data) > MAX_FILE_BYTES:
        raise BadFile(f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise BadFile("is empty (still being written?)")
    # Walking the parsed value costs more than parsing it: only a file with many
    # brackets can nest too deeply (ours have about a dozen).
    suspicious = data.count(b"[") + data.count(b"{") > 4 * MAX_DEPTH
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadFile("is not UTF-8 text") from None
    except RecursionError:
        raise BadFile("is nested too deeply") from None
    except ValueError:
        raise BadFile("is not valid JSON (half-written?)") from None
    if not isinstance(parsed, dict):
        raise BadFile("is not a JSON object")
    if suspicious and _depth(parsed) > MAX_DEPTH:
        raise BadFile("is nested too deeply")
    return parsed


def dumps(data: Mapping[str, object]) -> bytes:
    """A file's bytes: sorted keys, so the same content always gives the same bytes.

    On one line: the indenting encoder is Python's own, about ten times slower than the
    compact one, and 20,000 notes are written at the first sync.
    """
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8", "replace")


def write_atomic(path: Path, data: bytes, made: set[str] | None = None) -> tuple[int, int]:
    """Write `data` to `path` all at once: a temporary file in the same folder (a name
    starting with a dot, which the folder's readers skip), then a rename. `made` holds
    the folders known to exist (a sync writes thousands of files into a few).

    Returns the file's `(size, mtime_ns)` (a rename keeps them).

    Raises:
        OSError: the folder cannot be written (read-only, full disk).
    """
    where = os.fspath(path)
    parent = os.path.dirname(where)
    if made is None or parent not in made:
        os.makedirs(parent, exist_ok=True)
        if made is not None:
            made.add(parent)
    temporary = os.path.join(parent, f".{os.path.basename(where)}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            _write_all(descriptor, data)
            # The time from the fine clock, not the kernel's coarse one (a tick of a few
            # ms): two machines' syncs rewriting one note in the same tick left the same
            # size and time, and a sync that knew one of them took it for unchanged.
            now = time.time_ns()
            os.utime(descriptor, ns=(now, now))
            info = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, where)
        return info.st_size, info.st_mtime_ns
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _with_unknown(
    ours: dict[str, object], before: Mapping[str, object] | None
) -> dict[str, object]:
    """`ours` with the fields of the file's previous content that we do not write (a
    newer essaytui's, or another tool's) kept, at the top and inside our objects."""
    if not before:
        return ours
    merged = dict(ours)
    for key, value in before.items():
        if key not in merged:
            merged[key] = value
        elif isinstance(value, Mapping) and isinstance(merged[key], dict):
            ours_inner: dict[str, object] = merged[key]  # type: ignore[assignment]
            merged[key] = {**value, **ours_inner}
    return merged


# -- the state of the last sync ------------------------------------------------------


@dataclass(slots=True)
class Seen:
    """A file of the folder as the last sync left it."""

    size: int
    mtime_ns: int
    digest: str = ""
    device: str = ""
    modified: str = ""
    local: str = ""


def signature(annotation: Annotation) -> str:
    """What changes in the store whenever a note changes there (`annotation_stamps`)."""
    return stamp_signature(annotation.essay_id, annotation.modified, annotation.deleted)


def stamp_signature(essay_id: str, modified: str, deleted: str | None) -> str:
    """`signature` from a row of `AnnotationStore.annotation_stamps`."""
    return f"{essay_id}\0{modified}\0{deleted or ''}"


@dataclass(slots=True)
class SyncState:
    """Every file of one sync folder as last seen (relative path → `Seen`)."""

    folder: str
    files: dict[str, Seen] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None, folder: Path) -> SyncState:
        """The state saved at `path` for `folder`, or an empty one (first sync, another
        folder, or a state file that cannot be read: then every file is read once)."""
        empty = cls(str(folder))
        if path is None:
            return empty
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_VERSION or data.get("folder") != str(folder):
                return empty
            files = {
                str(name): Seen(int(s[0]), int(s[1]), str(s[2]), str(s[3]), str(s[4]), str(s[5]))
                for name, s in data["files"].items()
            }
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return empty
        return cls(str(folder), files)

    def save(self, path: Path | None) -> None:
        """Write the state (a failure only costs the next sync a full read)."""
        if path is None:
            return
        files = {
            name: [s.size, s.mtime_ns, s.digest, s.device, s.modified, s.local]
            for name, s in sorted(self.files.items())
        }
        data = {"version": STATE_VERSION, "folder": self.folder, "files": files}
        with contextlib.suppress(OSError):
            write_atomic(path, json.dumps(data, separators=(",", ":")).encode())


# -- the report ------------------------------------------------------------------------


@dataclass(slots=True)
class SyncReport:
    """What one sync did, for the command line and the status line."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    sent: int = 0
    refused: int = 0
    conflicts_merged: int = 0
    kept_after_deletion: int = 0
    restored: int = 0
    notes_only: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    rekeyed: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    not_written: int = 0
    write_problem: str = ""
    hidden_warnings: int = 0
    skipped: set[Path] = field(default_factory=set)

    def write(
        self, path: Path, data: bytes, made: set[str] | None = None
    ) -> tuple[int, int] | None:
        """`write_atomic`, or None when the file could not be written (counted here: the
        next sync tries again)."""
        try:
            return write_atomic(path, data, made)
        except OSError as error:
            if not self.not_written:  # the first reason is kept
                self.write_problem = sanitize_inline(storable(str(error.strerror or error)))
            self.not_written += 1
            return None

    @property
    def received(self) -> int:
        """Notes that came in from another machine (new, changed or deleted there)."""
        return self.added + self.updated + self.deleted

    def warn(self, message: str) -> None:
        """Keep a warning (inert), at most `MAX_WARNINGS` of them."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(sanitize_inline(storable(message)))
        else:
            self.hidden_warnings += 1

    def summary(self) -> str:
        """One line: what came in and what went out."""
        parts: list[str] = []
        if self.received:
            details = [
                f"{count} {label}"
                for count, label in (
                    (self.added, "new"),
                    (self.updated, "changed"),
                    (self.deleted, "deleted"),
                )
                if count
            ]
            parts.append(f"{_notes(self.received)} from another machine ({', '.join(details)})")
        if self.sent:
            parts.append(f"{_notes(self.sent)} sent")
        return "; ".join(parts) if parts else "nothing new"


def _notes(count: int) -> str:
    return f"{count} note" if count == 1 else f"{count} notes"


# -- reading the folder ----------------------------------------------------------------


@dataclass(slots=True)
class FolderCopy:
    """A copy of an annotation found in the folder.

    `version` is None when the file is unchanged since the last sync (then only its
    digest and device, from the state, are known); `raw` is its parsed JSON.
    """

    location: str
    digest: str
    device: str
    modified: str
    version: Version | None = None
    raw: dict[str, object] | None = None
    conflict: bool = False
    relative: str = ""
    seen: Seen | None = None
    #: The file's size and time as they were before it was read: what the state records
    #: (a stat taken later could be another machine's file, read as this one's).
    stat: tuple[int, int] | None = None

    @property
    def path(self) -> Path:
        """The file."""
        return Path(self.location)

    @property
    def folder_key(self) -> str:
        """The essay key of the folder it is in."""
        return os.path.basename(os.path.dirname(self.location))

    def key(self) -> tuple[datetime, str, str]:
        """`version_key` of this copy."""
        return time_key(self.modified), self.device, self.digest


def _device_in(raw: Mapping[str, object]) -> str:
    extra = raw.get(SYNC_KEY)
    device = extra.get("device") if isinstance(extra, Mapping) else None
    return device if isinstance(device, str) and _DEVICE.fullmatch(device) else ""


def parse_annotation_file(
    path: Path, key: str, name_id: str | None, data: bytes | None = None
) -> FolderCopy:
    """The annotation a file of `annotations/<key>/` holds (`data`: its bytes, if read).

    Raises:
        BadFile: unreadable, not a valid annotation, or not the note its name and
            folder say (another essay's, or another id).
    """
    raw = read_json(path) if data is None else json_object(data)
    try:
        found = from_web_annotation(raw)
    except (InterchangeError, RecursionError, ValueError) as error:
        raise BadFile(f"is not a valid annotation ({error})") from None
    if len(found) != 1:
        raise BadFile("does not hold exactly one annotation")
    annotation = found[0]
    if name_id is not None and annotation.id != name_id:
        raise BadFile(f"holds note {annotation.id}, not the one its name says: refused")
    if essay_key(annotation.essay_id) != key:
        raise BadFile("holds a note of another essay than its folder's: refused")
    version = Version(annotation, _device_in(raw))
    return FolderCopy(str(path), version.digest, version.device, annotation.modified, version, raw)


def _files(folder: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """`(subfolder name, entry)` for every file one level below `folder`."""
    try:
        # not through a symbolic link: the folder's files are read, nothing else
        subfolders = [e for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for subfolder in subfolders:
        if subfolder.name.startswith("."):
            continue
        try:
            entries = list(os.scandir(subfolder.path))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                yield subfolder.name, entry


def scan_annotations(
    folder: Path, state: SyncState, report: SyncReport, joined: Mapping[str, str] | None = None
) -> dict[str, list[FolderCopy]]:
    """Every annotation of the folder, by id; a file unchanged since the last sync is
    not read (its state stands for it), a bad one is skipped with a warning. A note
    filed under an essay `joined` into another is read as that essay's, from a file to
    move (`_moved`)."""
    found: dict[str, list[FolderCopy]] = {}
    root = folder / ANNOTATIONS_DIR
    joined_keys = {essay_key(old) for old in joined or {}}
    for key, entry in _files(root):
        relative = f"{ANNOTATIONS_DIR}/{key}/{entry.name}"
        # a note's own file is "<36-character id>.json"; a conflict copy's name is longer
        plain = len(entry.name) == _PLAIN_NAME and entry.name.endswith(".json")
        conflict = not plain and is_conflict_copy(entry.name)
        if not conflict and not entry.name.endswith(".json"):
            continue
        name_id = None if conflict else entry.name[: -len(".json")]
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        seen = state.files.get(relative)
        if (
            not conflict
            and key not in joined_keys
            and name_id is not None
            and seen is not None
            and (seen.size, seen.mtime_ns) == (info.st_size, info.st_mtime_ns)
        ):
            copy = FolderCopy(entry.path, seen.digest, seen.device, seen.modified)
            copy.relative, copy.seen = relative, seen
            found.setdefault(name_id, []).append(copy)
            continue
        try:
            copy = parse_annotation_file(Path(entry.path), key, name_id)
        except BadFile as why:
            report.warn(f"{relative} {why}; left as it is")
            report.skipped.add(Path(entry.path))
            if "refused" in str(why):
                report.refused += 1
            continue
        copy.conflict, copy.relative = conflict, relative
        copy.stat = (info.st_size, info.st_mtime_ns)
        if joined and key in joined_keys:
            copy = _moved(copy, joined)
        assert copy.version is not None
        found.setdefault(copy.version.annotation.id, []).append(copy)
    return found


def _moved(copy: FolderCopy, joined: Mapping[str, str]) -> FolderCopy:
    """A copy under an essay joined into another, as a copy of that essay's note: a
    candidate like a conflict copy, and removed like one once its note is written in
    its new place."""
    assert copy.version is not None
    annotation = copy.version.annotation
    if annotation.essay_id not in joined:
        return copy
    version = Version(replace(annotation, essay_id=joined[annotation.essay_id]), copy.device)
    moved = FolderCopy(
        copy.location, version.digest, version.device, annotation.modified, version, None, True
    )
    moved.relative = copy.relative
    return moved


# -- deciding ----------------------------------------------------------------------------


def relative_path(essay_id: str, annotation_id: str) -> str:
    """Where an annotation lives, relative to the folder (with `/`)."""
    return f"{ANNOTATIONS_DIR}/{essay_key(essay_id)}/{annotation_id}.json"


def annotation_path(folder: Path, annotation: Annotation) -> Path:
    """Where `annotation` lives in the folder."""
    return folder / relative_path(annotation.essay_id, annotation.id)


@dataclass(slots=True)
class _Plan:
    """What a sync will do: notes to take in, versions to write, copies to remove.

    `in_sync` holds the folder's copies equal to the note here, with the note's
    `signature`; `unchanged` those that neither side touched since the last sync.
    """

    folder: Path
    state: SyncState
    device: str
    incoming: dict[str, Version] = field(default_factory=dict)
    outgoing: list[tuple[Version, FolderCopy | None]] = field(default_factory=list)
    removals: list[Path] = field(default_factory=list)
    in_sync: list[tuple[FolderCopy, str]] = field(default_factory=list)
    unchanged: list[FolderCopy] = field(default_factory=list)

    def local_version(self, annotation: Annotation) -> Version:
        """The note here as a version: written by the device of the folder's copy it
        equals as last seen, else by this one (it was changed here since)."""
        digest = content_digest(annotation)
        seen = self.state.files.get(relative_path(annotation.essay_id, annotation.id))
        device = seen.device if seen is not None and seen.digest == digest else self.device
        return Version(annotation, device, digest)

    def incoming_annotations(self) -> list[Annotation]:
        """The annotations to take in, in a stable order."""
        return [self.incoming[key].annotation for key in sorted(self.incoming)]

    def wins(self, incoming: Annotation, existing: Annotation) -> bool:
        """The merge rule as `AnnotationStore.merge` asks it, about the row as it is now."""
        theirs = self.incoming.get(incoming.id) or Version(incoming, "")
        return version_key(theirs) > version_key(self.local_version(existing))


def _parsed(copy: FolderCopy, report: SyncReport) -> FolderCopy | None:
    """`copy` with its version read (a file unchanged since the last sync is read now)."""
    if copy.version is not None:
        return copy
    try:
        found = parse_annotation_file(copy.path, copy.folder_key, copy.path.stem)
    except BadFile as why:
        report.warn(f"{copy.relative} {why}; left as it is")
        report.skipped.add(copy.path)
        return None
    found.relative, found.seen = copy.relative, copy.seen
    return found


def _own_copies(
    local: Annotation, copies: list[FolderCopy], report: SyncReport
) -> list[FolderCopy]:
    """The copies filed under the local note's essay; the others are refused (their id
    belongs to a note of another essay here)."""
    own_key = essay_key(local.essay_id)
    mine: list[FolderCopy] = []
    for copy in copies:
        moved_here = copy.conflict and (
            copy.version is not None and copy.version.annotation.essay_id == local.essay_id
        )
        if copy.folder_key == own_key or moved_here:
            mine.append(copy)
        elif not copy.conflict:
            report.refused += 1
            report.warn(
                f"{copy.relative} holds a note whose id belongs to a note of another "
                "essay here: refused, left as it is"
            )
    return mine


def _plan_one(
    plan: _Plan, local: Annotation | None, copies: list[FolderCopy], report: SyncReport
) -> None:
    """Decide one annotation id: take the folder's copy in, write ours, or nothing."""
    if local is not None:
        copies = _own_copies(local, copies, report)
    if not copies:
        if local is not None:
            plan.outgoing.append((plan.local_version(local), None))
        return
    best = max(copies, key=FolderCopy.key)
    main = next((c for c in copies if not c.conflict), None)
    plan.removals.extend(c.path for c in copies if c.conflict)
    if local is not None:
        ours = plan.local_version(local)
        if best.digest == ours.digest or version_key(ours) > best.key():
            _keep_ours(plan, ours, best, main, report)
            return
    chosen = _parsed(best, report)
    if chosen is None or chosen.version is None:
        return
    plan.incoming[chosen.version.annotation.id] = chosen.version
    if local is not None and local.is_deleted and not chosen.version.annotation.is_deleted:
        report.restored += 1
    if main is None or main.digest != chosen.digest:
        plan.outgoing.append((chosen.version, main))
    else:
        plan.in_sync.append((main, signature(chosen.version.annotation)))


def _keep_ours(
    plan: _Plan, ours: Version, best: FolderCopy, main: FolderCopy | None, report: SyncReport
) -> None:
    """Our copy stands (equal to the folder's best, or newer): write it where it differs."""
    if best.digest != ours.digest:
        folder_deleted = best.version is not None and best.version.annotation.is_deleted
        if folder_deleted and not ours.annotation.is_deleted:
            report.kept_after_deletion += 1
    if main is not None and main.digest == ours.digest:
        plan.in_sync.append((main, signature(ours.annotation)))
    else:
        plan.outgoing.append((ours, main))


def plan_sync(
    store: AnnotationStore,
    folder: Path,
    state: SyncState,
    device: str,
    copies: Mapping[str, list[FolderCopy]],
    report: SyncReport,
) -> _Plan:
    """What to take in and what to write, per annotation id (see the module's rule).

    A note whose file is unchanged since the last sync and whose row here is too (same
    `signature`) is not even read from the store: a sync where nothing changed reads
    neither notes nor files.
    """
    plan = _Plan(folder, state, device)
    stamps = store.annotation_stamps()
    needed: list[str] = []
    for annotation_id in set(stamps) | set(copies):
        group = copies.get(annotation_id, ())
        stamp = stamps.get(annotation_id)
        if stamp is not None and len(group) == 1:
            copy = group[0]
            if (
                copy.seen is not None
                and copy.version is None
                and copy.seen.local == stamp_signature(*stamp)
                and copy.relative == relative_path(stamp[0], annotation_id)
            ):
                plan.unchanged.append(copy)
                continue
        needed.append(annotation_id)
    wanted = [annotation_id for annotation_id in needed if annotation_id in stamps]
    if len(wanted) > len(stamps) // 2:
        local = {a.id: a for a in store.all_annotations(include_deleted=True)}
    else:
        local = {a.id: a for a in store.annotations_by_id(wanted)}
    for annotation_id in sorted(needed):
        group = list(copies.get(annotation_id, ()))
        _plan_one(plan, local.get(annotation_id), group, report)
    return plan


# -- writing -----------------------------------------------------------------------------


def annotation_file(version: Version, before: Mapping[str, object] | None) -> bytes:
    """The bytes of an annotation's file: its W3C item, our fields, and what `before`
    (the file's previous content) held that we do not write."""
    item = annotation_to_item(version.annotation)
    item[SYNC_KEY] = {"device": version.device}
    return dumps(_with_unknown(item, before))


def _remember(
    state: SyncState,
    folder: Path,
    relative: str,
    version: Version | None,
    local: str = "",
    found: tuple[int, int] | None = None,
) -> None:
    """Record a file of the folder as it is now (after reading or writing it: then
    `found` is its size and time); `local` is the `signature` of the note here when it
    equals the file."""
    found = found or file_state(folder / relative)
    if found is None:
        return
    seen = Seen(found[0], found[1], local=local)
    if version is not None:
        seen.digest, seen.device = version.digest, version.device
        seen.modified = version.annotation.modified
    state.files[relative] = seen


def _write_outgoing(plan: _Plan, new_state: SyncState, report: SyncReport) -> None:
    """Write every version the plan sends out (a failure is counted, never fatal)."""
    made: set[str] = set()
    for version, before in plan.outgoing:
        relative = relative_path(version.annotation.essay_id, version.annotation.id)
        target = plan.folder / relative
        if target in report.skipped:
            continue  # half-written by the engine, perhaps: left for the next sync
        raw = before.raw if before is not None else None
        if before is not None and raw is None:
            with contextlib.suppress(BadFile):
                raw = read_json(before.path)
        found = report.write(target, annotation_file(version, raw), made)
        if found is None:
            continue
        local = signature(version.annotation)
        _remember(new_state, plan.folder, relative, version, local, found)
        if version.device == plan.device and version.annotation.id not in plan.incoming:
            report.sent += 1


def _carry_over(plan: _Plan, copies: Mapping[str, list[FolderCopy]], new_state: SyncState) -> None:
    """Files left as they are keep (or get) their entry in the state."""
    for copy in plan.unchanged:
        if copy.seen is not None:
            new_state.files[copy.relative] = copy.seen
    for copy, local in plan.in_sync:
        if copy.relative in new_state.files:
            continue
        if copy.version is None and copy.seen is not None:
            copy.seen.local = local
            new_state.files[copy.relative] = copy.seen
        else:
            _remember(new_state, plan.folder, copy.relative, copy.version, local, copy.stat)
    for group in copies.values():
        for copy in group:
            if copy.conflict or copy.relative in new_state.files:
                continue
            if copy.version is None and copy.seen is not None:
                new_state.files[copy.relative] = Seen(
                    copy.seen.size, copy.seen.mtime_ns, copy.digest, copy.device, copy.modified
                )
            else:
                _remember(new_state, plan.folder, copy.relative, copy.version, found=copy.stat)


def _remove_merged(plan: _Plan, report: SyncReport) -> None:
    """Remove the engines' conflict copies, now merged (unless writing failed: then the
    next sync reads them again)."""
    if report.not_written:
        return
    for path in plan.removals:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue
        report.conflicts_merged += 1


# -- essays ------------------------------------------------------------------------------

#: Most paths an essay's file lists (the most recent kept).
MAX_PATHS = 50


def essay_path(folder: Path, essay_id: str) -> Path:
    """Where an essay's file lives in the folder."""
    return folder / ESSAYS_DIR / f"{essay_key(essay_id)}.json"


def _record_of(raw: Mapping[str, object], key: str) -> tuple[EssayRecord, list[str]] | None:
    """The essay an essays/ file describes and the paths it lists (None: not ours, or
    the file names another essay than its name says)."""
    essay_id, title, author = (raw.get(name, "") for name in ("id", "title", "author"))
    if not isinstance(essay_id, str) or not 0 < len(essay_id) <= MAX_SHORT:
        return None
    if essay_key(essay_id) != key:
        return None
    title = title if isinstance(title, str) else ""
    author = author if isinstance(author, str) else ""
    found: DocumentPrint | None = None
    fingerprint = raw.get("fingerprint")
    if isinstance(fingerprint, Mapping):
        digest, sketch = fingerprint.get("digest"), fingerprint.get("sketch")
        if (
            isinstance(digest, str)
            and re.fullmatch(r"[0-9a-f]{64}", digest)
            and isinstance(sketch, str)
        ):
            found = DocumentPrint(digest, sketch_from_text(sketch[:4000]))
    listed = raw.get("paths")
    paths = [
        storable(p)
        for p in (listed if isinstance(listed, list) else [])
        if isinstance(p, str) and len(p) <= MAX_PATH
    ][:MAX_PATHS]
    record = EssayRecord(
        storable(essay_id),
        sanitize_inline(storable(title[:MAX_SHORT])),
        sanitize_inline(storable(author[:MAX_SHORT])),
        found,
    )
    return record, paths


@dataclass(slots=True)
class _EssayFile:
    """An essay's file in the folder: what it says, its raw JSON, its conflict copies."""

    record: EssayRecord
    paths: list[str]
    raw: dict[str, object]
    copies: list[Path] = field(default_factory=list)


def read_essays(folder: Path, report: SyncReport) -> dict[str, _EssayFile]:
    """Every essay file of the folder (and its conflict copies, paths joined), by id."""
    found: dict[str, _EssayFile] = {}
    try:
        entries = sorted(os.scandir(folder / ESSAYS_DIR), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        conflict = is_conflict_copy(entry.name)
        if not conflict and not entry.name.endswith(".json"):
            continue
        key = entry.name.split(".", 1)[0].split(" ", 1)[0]
        try:
            raw = read_json(Path(entry.path))
        except BadFile as why:
            report.warn(f"{ESSAYS_DIR}/{entry.name} {why}; left as it is")
            continue
        parsed = _record_of(raw, key)
        if parsed is None:
            report.warn(f"{ESSAYS_DIR}/{entry.name} is not an essay's file of this folder")
            continue
        record, paths = parsed
        known = found.get(record.id)
        if known is None:
            found[record.id] = known = _EssayFile(record, paths, {} if conflict else raw)
        else:
            known.paths = _joined(known.paths, paths)
            if not conflict:
                known.raw, known.record = raw, record
        if conflict:
            known.copies.append(Path(entry.path))
    return found


def _joined(first: Iterable[str], second: Iterable[str]) -> list[str]:
    return sorted(set(first) | set(second))[:MAX_PATHS]


def _essay_content(
    store: AnnotationStore, essay_id: str, position: Position | None, there: _EssayFile | None
) -> dict[str, object]:
    """What the folder should say of an essay: what it says already (two machines whose
    copies of an essay differ would otherwise rewrite the file back and forth), with
    what this machine knows filling the gaps, and the paths of both."""
    record = store.essay_record(essay_id)
    title = (record.title if record else "") or (position.title if position else "")
    author = (record.author if record else "") or (position.author if position else "")
    found = record.print if record is not None else None
    if there is not None:
        title = there.record.title or title
        author = there.record.author or author
        found = there.record.print or found
    content: dict[str, object] = {"id": essay_id, "title": title, "author": author}
    if found is not None:
        content["fingerprint"] = {"digest": found.digest, "sketch": found.sketch_text()}
    mine = store.essay_paths(essay_id)
    if position is not None and position.essay_path:
        mine.append(position.essay_path)  # a front-matter id records no path of its own
    content["paths"] = _joined(mine, there.paths if there else [])
    return content


def sync_essays(
    store: AnnotationStore,
    folder: Path,
    essay_ids: Iterable[str],
    positions: Mapping[str, Position],
    report: SyncReport,
    there: Mapping[str, _EssayFile],
    joined: Mapping[str, str],
) -> list[EssayRecord]:
    """Write the essays this machine has notes on (only where their file changes) and
    return the essays the folder describes, for the merge to remember (not those joined
    into another: their file is removed once the other's is written)."""
    for essay_id in sorted(set(essay_ids) - set(joined)):
        known = there.get(essay_id)
        content = _essay_content(store, essay_id, positions.get(essay_id), known)
        data = dumps(_with_unknown(content, known.raw if known else None))
        target = essay_path(folder, essay_id)
        if known is not None and known.raw and dumps(known.raw) == data and not known.copies:
            continue
        if report.write(target, data) is None:
            continue
        for copy in known.copies if known else []:
            with contextlib.suppress(OSError):
                copy.unlink()
                report.conflicts_merged += 1
    for old, new in joined.items():
        if old in there and essay_path(folder, new).is_file():
            with contextlib.suppress(OSError):
                essay_path(folder, old).unlink()
    return [essay.record for key, essay in there.items() if key not in joined]


def join_same_documents(
    store: AnnotationStore, there: Mapping[str, _EssayFile], report: SyncReport
) -> dict[str, str]:
    """Essays known under two generated ids (the same document first read on two
    machines) joined under the smaller one, on every machine alike: `{old id: new id}`.

    Only the same bytes count (the print's digest), never a close text.
    """
    by_digest: dict[str, set[str]] = {}
    for essay in there.values():
        found = essay.record.print
        if found is not None and found.digest and is_generated(essay.record.id):
            by_digest.setdefault(found.digest, set()).add(essay.record.id)
    joined: dict[str, str] = {}
    for digest, ids in sorted(by_digest.items()):
        here = {i for i in store.essays_with_digest(digest) if is_generated(i)}
        everyone = ids | here
        canonical = min(everyone)
        for old in sorted(everyone - {canonical}):
            joined[old] = canonical
            if old in here:
                record = store.essay_record(old)
                store.join_essays(old, canonical)
                report.joined.append((record.title if record else "") or old)
                report.rekeyed[old] = canonical
    # notes made under an id after it was joined (a reader open meanwhile) follow it
    store.refile_joined()
    return joined


# -- reading positions ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemotePosition:
    """Where another machine is in an essay."""

    device: str
    name: str
    offset: int
    progress: float
    quote: str
    text_hash: str
    updated: str


def position_path(folder: Path, essay_id: str, device: str) -> Path:
    """Where a device's position in an essay lives in the folder."""
    return folder / POSITIONS_DIR / essay_key(essay_id) / f"{device}.json"


def position_content(position: Position, device: str, name: str) -> dict[str, object]:
    """A position's file: what another machine needs to offer "continue at 63 %"."""
    return {
        "essay_id": position.essay_id,
        "device": device,
        "device_name": name,
        "offset": position.offset,
        "progress": round(position.progress, 4),
        "quote": position.quote[:200],
        "text_hash": position.text_hash,
        "title": position.title,
        "updated": position.updated,
    }


def sync_positions(
    folder: Path,
    positions: Iterable[Position],
    device: str,
    state: SyncState,
    new_state: SyncState,
    report: SyncReport,
) -> None:
    """Write this machine's reading positions (only those that moved).

    The time alone is left out of "moved": opening and leaving an essay stamp its
    position anew, and a file rewritten for that was one more commit per reading
    session in a git sync folder, with nothing in it for the other machines.
    """
    name = device_name()
    for position in positions:
        relative = f"{POSITIONS_DIR}/{essay_key(position.essay_id)}/{device}.json"
        target = folder / relative
        content = position_content(position, device, name)
        data = dumps(content)
        digest = hashlib.sha256(dumps({**content, "updated": ""})).hexdigest()[:32]
        seen = state.files.get(relative)
        if (
            seen is not None
            and seen.digest == digest
            and file_state(target)
            == (
                seen.size,
                seen.mtime_ns,
            )
        ):
            new_state.files[relative] = seen
            continue
        if report.write(target, data) is None:
            continue
        found = file_state(target)
        if found is not None:
            new_state.files[relative] = Seen(found[0], found[1], digest)


def _remote_position(raw: Mapping[str, object], device: str) -> RemotePosition | None:
    offset, progress = raw.get("offset"), raw.get("progress")
    updated, name = raw.get("updated"), raw.get("device_name", "")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        return None
    if isinstance(progress, bool) or not isinstance(progress, int | float):
        return None
    if not isinstance(updated, str) or len(updated) > 64:
        return None
    try:
        updated = checked_time(updated)
    except ValueError:
        return None
    quote, text = raw.get("quote", ""), raw.get("text_hash", "")
    return RemotePosition(
        device=device,
        name=sanitize_inline(storable(name if isinstance(name, str) else ""))[:64],
        offset=offset,
        progress=min(1.0, max(0.0, float(progress))) if progress == progress else 0.0,
        quote=sanitize_inline(storable(quote if isinstance(quote, str) else ""))[:200],
        text_hash=text if isinstance(text, str) and len(text) <= 64 else "",
        updated=updated,
    )


def positions_elsewhere(folder: Path, essay_id: str, device: str) -> list[RemotePosition]:
    """Where other machines are in an essay, the most recent first (bad files skipped)."""
    found: list[RemotePosition] = []
    try:
        entries = list(os.scandir(folder / POSITIONS_DIR / essay_key(essay_id)))
    except OSError:
        return found
    for entry in entries:
        name = entry.name
        if not name.endswith(".json") or is_conflict_copy(name) or name.startswith("."):
            continue
        if not entry.is_file(follow_symlinks=False):
            continue  # a FIFO would block the read; a link leads out of the folder
        other = name[: -len(".json")]
        if other == device or not _DEVICE.fullmatch(other):
            continue
        try:
            raw = read_json(Path(entry.path))
        except BadFile:
            continue
        if raw.get("essay_id") != essay_id:
            continue
        remote = _remote_position(raw, other)
        if remote is not None:
            found.append(remote)
    found.sort(key=lambda p: (time_key(p.updated), p.device), reverse=True)
    return found


# -- one sync ----------------------------------------------------------------------------


def _is_git_directory(folder: Path) -> bool:
    """Whether `folder` is a git repository's own folder (bare, or a `.git`): git's
    HEAD, objects and refs are in it."""
    return (
        (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir()
    )


def _is_bare(git_directory: Path) -> bool:
    if git_directory.name == ".git":
        return False
    try:
        config = (git_directory / "config").read_text("utf-8", "replace")
    except OSError:
        return True
    return "bare=false" not in config.replace(" ", "").replace("\t", "").lower()


def git_internals_problem(folder: Path) -> str | None:
    """What is wrong with syncing into `folder` if it is (or is inside) a git
    repository's own folder, else None.

    Notes written there are no part of any commit: git never carries them, and they
    sit among git's objects and refs.
    """
    folder = folder.absolute()
    for place in (folder, *folder.parents):
        if not _is_git_directory(place):
            continue
        if _is_bare(place) and place == folder:
            return (
                f"{folder} is a bare git repository: clone it (git clone {folder} FOLDER) "
                "and sync with FOLDER"
            )
        if _is_bare(place):
            return (
                f"{folder} is inside the bare git repository {place}: clone it "
                f"(git clone {place} FOLDER) and sync with FOLDER"
            )
        where = "is a git repository's own folder" if place == folder else f"is inside {place}"
        return f"{folder} {where}: sync with its work tree {place.parent} instead"
    return None


def state_path(store: AnnotationStore) -> Path | None:
    """The state file beside the store's database (None for a store in memory)."""
    if store.path is None or not store.persistent:
        return None
    return store.path.parent / STATE_FILE


def sync_folder(store: AnnotationStore, folder: Path, *, device: str | None = None) -> SyncReport:
    """Sync the store with the folder: take in what other machines wrote, write what
    changed here (see the module's rules).

    Raises:
        SyncError: the folder is not there or not a folder.
        StoreError: the store cannot be read, or what came in cannot be saved.
    """
    if not folder.is_dir():
        raise SyncError(f"the sync folder {folder} is not there (or not a folder)")
    problem = git_internals_problem(folder)
    if problem:
        raise SyncError(problem)
    device = device or device_id(store)
    report = SyncReport()
    state_file = state_path(store)
    state = SyncState.load(state_file, folder)
    new_state = SyncState(state.folder)
    there = read_essays(folder, report)
    joined = join_same_documents(store, there, report)
    copies = scan_annotations(folder, state, report, joined)
    plan = plan_sync(store, folder, state, device, copies, report)
    positions = {p.essay_id: p for p in store.recent(1_000_000)}
    essay_ids = set(store.annotation_essays()) | set(positions)
    essays = sync_essays(store, folder, essay_ids, positions, report, there, joined)
    result = store.merge(plan.incoming_annotations(), essays=essays, wins=plan.wins)
    report.added, report.updated, report.deleted = result.added, result.updated, result.deleted
    report.refused += result.refused
    for warning in store.take_warnings():
        report.warn(warning)
    _write_outgoing(plan, new_state, report)
    _carry_over(plan, copies, new_state)
    _remove_merged(plan, report)
    for old in joined:
        with contextlib.suppress(OSError):  # only once empty: its notes moved
            os.rmdir(folder / ANNOTATIONS_DIR / essay_key(old))
    sync_positions(folder, positions.values(), device, state, new_state, report)
    _notes_only(store, plan, report)
    if new_state.files != state.files:
        new_state.save(state_file)
    return report


def _notes_only(store: AnnotationStore, plan: _Plan, report: SyncReport) -> None:
    """The essays whose notes came in but which this machine has never opened."""
    for essay_id in sorted({v.annotation.essay_id for v in plan.incoming.values()}):
        with contextlib.suppress(StoreError):
            if not store.essay_paths(essay_id):
                record = store.essay_record(essay_id)
                report.notes_only.append((record.title if record else "") or essay_id)


def when(moment: str, now: datetime | None = None) -> str:
    """A past moment in words: "just now", "today", "yesterday", "3 days ago"."""
    now = now or datetime.now(UTC)
    then = time_key(moment)
    days = (now.date() - then.date()).days
    if days <= 0:
        return "just now" if (now - then).total_seconds() < 120 else "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


__all__ = [
    "FOLDER_SETTING",
    "RemotePosition",
    "SyncError",
    "SyncReport",
    "Version",
    "device_id",
    "essay_key",
    "git_internals_problem",
    "positions_elsewhere",
    "sync_folder",
    "version_key",
    "winner",
]
