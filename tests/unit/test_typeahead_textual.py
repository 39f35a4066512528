"""What typeahead needs of Textual beyond its public API: one private attribute, read in
one place (`essaytui.typeahead.stopped`). If Textual renames or changes it, this fails
here, by name, rather than keys going astray in the reader."""

from __future__ import annotations

from textual.message import Message

from essaytui.typeahead import stopped


def test_a_stopped_message_reads_as_stopped() -> None:
    message = Message()
    assert "_stop_propagation" in Message.__slots__, "Textual moved Message._stop_propagation"
    assert not stopped(message)
    message.stop()
    assert stopped(message)
    message.stop(False)
    assert not stopped(message)
