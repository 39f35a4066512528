"""One bounded reader of regular files: essay files, annotation imports and sync files
all refuse a FIFO without waiting on it, and hold the size cap while reading."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from essaytui.interchange import InterchangeError
from essaytui.interchange.sync import BadFile, read_json
from essaytui.interchange.w3c import read_export
from essaytui.model.files import EssayFileError, read_text_file
from essaytui.model.regular_file import FileRefused, Refusal, read_at_most, read_regular_file


def test_a_fifo_is_refused_by_every_reader_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    with pytest.raises(FileRefused) as refused:
        read_regular_file(fifo, 100)
    assert refused.value.refusal is Refusal.NOT_REGULAR
    with pytest.raises(EssayFileError, match="is not a regular file"):
        read_text_file(fifo)
    with pytest.raises(InterchangeError, match="it is not a regular file"):
        read_export(fifo)
    with pytest.raises(BadFile, match="is not a regular file"):
        read_json(fifo)


def test_sizes_and_folders_are_refused_by_kind(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 11)
    with pytest.raises(FileRefused) as refused:
        read_regular_file(big, 10)
    assert (refused.value.refusal, refused.value.size) == (Refusal.TOO_LARGE, 11)
    assert read_regular_file(big, 11) == b"x" * 11
    with pytest.raises(FileRefused) as refused:
        read_regular_file(tmp_path, 10)
    assert refused.value.refusal is Refusal.DIRECTORY
    with pytest.raises(FileRefused) as refused:
        read_regular_file(tmp_path / "gone", 10)
    assert refused.value.refusal is Refusal.MISSING
    assert "No such file" in refused.value.reason


def test_the_cap_is_counted_while_reading() -> None:
    assert read_at_most(io.BytesIO(b"abcdef"), 3) == b"abcd"  # one past: "too large"
    assert read_at_most(io.BytesIO(b"abc"), 3) == b"abc"
    assert read_at_most(io.BytesIO(b""), 3) == b""
