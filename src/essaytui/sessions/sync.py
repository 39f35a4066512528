"""The reader's side of the sync folder: sync in the background, say what came in, and
offer to continue where another machine is further in the essay.

Plain Python (no Textual): the app runs `ReaderSync.run` in a worker thread when an
essay opens and when it quits, and shows `SyncOutcome.message` on the status line.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from essaytui.interchange.sync import (
    FOLDER_SETTING,
    RemotePosition,
    SyncError,
    SyncReport,
    device_id,
    device_name,
    positions_elsewhere,
    sync_folder,
    when,
)
from essaytui.model.annotation import text_hash
from essaytui.model.essay import Essay
from essaytui.store import AnnotationStore, Position, StoreError

#: Progress another machine must be ahead by before the reader offers to go there.
FURTHER_BY = 0.02


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What a background sync did: a line for the status line ("" for nothing worth
    saying), whether notes came in, and where another machine is further on."""

    message: str
    received: bool
    elsewhere: RemotePosition | None = None
    #: essays now filed under another id (the same document known on another machine)
    rekeyed: dict[str, str] | None = None


def sync_folder_of(store: AnnotationStore) -> Path | None:
    """The remembered sync folder, if one is set (whether or not it is there now)."""
    try:
        remembered = store.get_setting(FOLDER_SETTING)
    except StoreError:
        return None
    return Path(remembered) if remembered else None


def offer(remote: RemotePosition) -> str:
    """ "continue at 63 % (laptop, yesterday)"."""
    name = remote.name or "another machine"
    return f"continue at {round(remote.progress * 100)} % ({name}, {when(remote.updated)})"


def remote_offset(essay: Essay, remote: RemotePosition) -> int:
    """Where the other machine's place is in this essay's text: its offset when the text
    is the same, else its sentence, else the same fraction of the text."""
    text = essay.reading_text
    if remote.text_hash and remote.text_hash == text_hash(text):
        return min(remote.offset, len(text))
    if remote.quote:
        found = text.find(remote.quote)
        if found >= 0:
            return found
    return min(len(text), int(remote.progress * len(text)))


class ReaderSync:
    """The sync of one reader: one at a time, with the store the reader uses."""

    def __init__(self, store: AnnotationStore, essay_id: str) -> None:
        self.store = store
        self.folder = sync_folder_of(store)
        self._lock = threading.Lock()
        self._opened: Position | None = None
        try:
            self._opened = store.position(essay_id)
        except StoreError:
            self._opened = None

    @property
    def active(self) -> bool:
        """Whether a sync folder is set (and notes can be saved here)."""
        return self.folder is not None and self.store.persistent

    def run(self, essay_id: str) -> SyncOutcome:
        """Sync now (waits for a sync already running); never raises."""
        if self.folder is None:
            return SyncOutcome("", False)
        with self._lock:
            try:
                report, problem = self._sync(self.folder)
                essay_id = report.rekeyed.get(essay_id, essay_id)
                elsewhere = self.further_elsewhere(self.folder, essay_id)
            except (SyncError, StoreError) as error:
                return SyncOutcome(f"⚠ Sync: {error}", False)
        message = "" if not report.received else f"⇅ {report.summary()}"
        if problem:
            message = f"⚠ Sync: {problem}"
        elif report.not_written:
            message = (
                f"⚠ Sync: the sync folder cannot be written ({report.write_problem}); "
                "nothing is lost"
            )
        if report.joined and not message:
            message = f"⇅ Notes joined with another machine's: {', '.join(report.joined)}"
        received = report.received > 0 or bool(report.rekeyed)
        return SyncOutcome(message, received, elsewhere, report.rekeyed)

    def _sync(self, folder: Path) -> tuple[SyncReport, str]:
        from essaytui.interchange.sync_git import GitError, is_git_work_tree, sync_git

        device = device_id(self.store)
        if not is_git_work_tree(folder):
            return sync_folder(self.store, folder, device=device), ""
        try:
            report, outcome = sync_git(self.store, folder, device=device, name=device_name())
        except GitError as error:
            raise SyncError(str(error)) from None
        return report, outcome.problems[0] if outcome.problems else ""

    def further_elsewhere(self, folder: Path, essay_id: str) -> RemotePosition | None:
        """The place of another machine in this essay furthest on, if it is further than
        this machine was when the essay opened (by `FURTHER_BY` at least).

        Progress alone decides: opening an essay already marks it read "now" here, so
        the times say nothing about who read more recently.
        """
        device = device_id(self.store)
        here = self._opened.progress if self._opened is not None else 0.0
        ahead = [
            remote
            for remote in positions_elsewhere(folder, essay_id, device)
            if remote.progress >= here + FURTHER_BY
        ]
        return max(ahead, key=lambda remote: remote.progress, default=None)
