"""A yes/no question in a small dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from essaytui.actions import DIALOGS, action
from essaytui.widgets.inert import inert_lines


class ConfirmScreen(ModalScreen[bool]):
    """Asks a question; enter or y answers yes, escape or n answers no."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 70; max-width: 95%; height: auto; padding: 1 2;
        border: round $accent; background: $panel;
    }
    ConfirmScreen #confirm-keys { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        action(
            "enter,y",
            "answer(True)",
            "Yes",
            id="confirm.yes",
            group=DIALOGS,
            palette=False,
            help="in a question: yes",
        ),
        action(
            "escape,n",
            "answer(False)",
            "No",
            id="confirm.no",
            group=DIALOGS,
            palette=False,
            help="in a question: no",
        ),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            # the question quotes an address or a name from the file: shown inert
            yield Static(inert_lines(self.question), markup=False, id="confirm-question")
            yield Static("enter / y: yes    escape / n: no", id="confirm-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
