"""The two apps essaytui is measured against in a real terminal, as small scripts.

Usage::

    python bench/apps.py hello                # a blank Textual app showing one line
    python bench/apps.py markdownviewer FILE  # MarkdownViewer on FILE, as Frogmouth shows it
    python bench/apps.py floor FILE           # FILE's paragraphs as plain lines, line API

``bench/run.py --terminal`` starts each in a fresh tmux session, the way a user starts a
program. Textual is imported only once the script runs, so the harness (and the unit test)
can import this file for `HELLO_LINE` and `without_front_matter` without it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: What the hello-world app shows: its "first sentence".
HELLO_LINE = "Hello from a blank Textual app."

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def without_front_matter(text: str) -> str:
    """The text without its YAML front matter, which MarkdownViewer does not understand.

    Left in, it becomes a setext heading whose table-of-contents entry is hundreds of cells
    wide: the docked contents then push the document off a 120-column screen altogether.
    """
    return FRONT_MATTER.sub("", text, count=1)


def run_hello() -> None:
    """One line of text; each key pressed adds to a count after it (the key-response floor)."""
    from textual.app import App, ComposeResult
    from textual.events import Key
    from textual.widgets import Static

    class Hello(App[None]):
        presses = 0

        def compose(self) -> ComposeResult:
            yield Static(HELLO_LINE)

        def on_key(self, event: Key) -> None:
            self.presses += 1
            self.query_one(Static).update(f"{HELLO_LINE} ({self.presses} keys)")

    Hello().run()


def run_markdown_viewer(path: Path) -> None:
    """Textual's MarkdownViewer with its table of contents, on `path` without front matter."""
    from textual.app import App, ComposeResult
    from textual.widgets import MarkdownViewer

    class Viewer(App[None]):
        def compose(self) -> ComposeResult:
            text = without_front_matter(path.read_text(encoding="utf-8"))
            yield MarkdownViewer(text, show_table_of_contents=True)

    Viewer().run()


def run_floor(path: Path) -> None:
    """The cheapest Textual app showing an essay's first screen: its paragraphs wrapped at
    76 cells, drawn by one line-API widget with no styles, panes or parse (the floor
    essaytui's first screen is compared with)."""
    import textwrap

    from rich.segment import Segment
    from textual.app import App, ComposeResult
    from textual.strip import Strip
    from textual.widget import Widget

    paragraphs = without_front_matter(path.read_text(encoding="utf-8")).split("\n\n")
    lines: list[str] = []
    for paragraph in paragraphs[:200]:
        lines.extend(textwrap.wrap(" ".join(paragraph.split()), 76) + [""])

    class Lines(Widget):
        def render_line(self, y: int) -> Strip:
            return Strip([Segment(lines[y])]) if y < len(lines) else Strip.blank(0)

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Lines()

    Floor().run()


def main(argv: list[str]) -> int:
    """Command line (see the module docstring)."""
    if argv == ["hello"]:
        run_hello()
        return 0
    if len(argv) == 2 and argv[0] == "markdownviewer":
        run_markdown_viewer(Path(argv[1]))
        return 0
    if len(argv) == 2 and argv[0] == "floor":
        run_floor(Path(argv[1]))
        return 0
    print(
        "usage: apps.py hello | apps.py markdownviewer FILE | apps.py floor FILE", file=sys.stderr
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
