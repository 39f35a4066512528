"""A worker thread that outlives the app shows nothing and raises nothing.

A thread worker cannot be stopped. One still indexing a book for the library (`_shelve`)
when the app closed asked for its outcome to be shown after the app's screens were gone:
`App.screen` raised `ScreenStackError` inside `_library_holds_it`, the error went back to
the worker, and Textual failed the app as it closed (seen once in CI, in
`test_a_note_on_a_real_book_survives_a_reopen`). Every outcome now comes back through
`ui_thread.show_from_worker`, which drops it once the app has begun to close.
"""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import pytest
from ready import opened
from textual.app import ScreenStackError

from essaytui.app import EssayApp
from essaytui.ui_thread import is_closing, show_from_worker

SRC = Path(__file__).resolve().parents[2] / "src" / "essaytui"


async def test_an_outcome_is_shown_while_the_app_runs_and_dropped_once_it_closed() -> None:
    app = EssayApp()
    shown: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        assert not is_closing(app)
        await asyncio.to_thread(show_from_worker, app, shown.append, "while open")
        assert shown == ["while open"]
    assert is_closing(app)
    # what a worker still running after the close gets from Textual, unguarded
    with pytest.raises(ScreenStackError):
        await asyncio.to_thread(app.call_from_thread, app._library_holds_it)
    await asyncio.to_thread(show_from_worker, app, shown.append, "after the close")
    # the app's own outcomes, as its workers send them: none of them raises now
    for outcome in (app._library_holds_it, app._show_series):
        await asyncio.to_thread(show_from_worker, app, outcome)
    assert shown == ["while open"]


async def test_an_error_of_the_outcome_itself_still_reaches_the_worker() -> None:
    """Only the close is forgiven: a callback that fails while the app runs fails the
    worker as before, and is not hidden."""

    def fails() -> None:
        raise RuntimeError("the outcome's own error")

    app = EssayApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        with pytest.raises(RuntimeError, match="the outcome's own error"):
            await asyncio.to_thread(show_from_worker, app, fails)


def test_workers_hand_their_outcomes_back_through_show_from_worker() -> None:
    """`call_from_thread` appears only in `ui_thread` and in `EssayApp._prepared`, which
    asks the view for a value (its own `LookupError` covers a closed app)."""
    found: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Attribute) and node.attr == "call_from_thread":
                    found.append(f"{path.relative_to(SRC)}:{function.name}")
    assert sorted(set(found)) == [
        "app.py:_prepared",
        "ui_thread.py:show_from_worker",
    ]
