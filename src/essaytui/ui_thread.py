"""Handing a worker thread's outcome back to the interface's thread.

A thread worker cannot be stopped: one still reading, indexing or syncing when the app
closes goes on, and asks afterwards for its outcome to be shown. By then the app's
screens are gone (`App.screen` raises `ScreenStackError`, the reader's widgets are
unmounted) and its stores are closed; an error raised there would come back to the worker,
which Textual reports as the app's own failure while it closes. So an outcome that
arrives once the app has begun to close is not shown. Nothing is lost by that: what a
worker saves, it saves in the worker, before it asks for anything to be shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App


def is_closing(app: App[Any]) -> bool:
    """Whether `app` has begun to close (or has not begun to run): no screen to show on."""
    return not app.is_running or not app.screen_stack


def show_from_worker(app: App[Any], callback: Callable[..., object], *args: object) -> None:
    """From a worker thread: run `callback(*args)` on `app`'s thread and wait for it,
    unless the app is closing when it comes to run (see the module's docstring)."""

    def unless_closing() -> None:
        if not is_closing(app):
            callback(*args)

    if is_closing(app):
        return
    try:
        app.call_from_thread(unless_closing)
    except RuntimeError:
        if not is_closing(app):
            raise
        # its event loop stopped meanwhile: the app is gone
