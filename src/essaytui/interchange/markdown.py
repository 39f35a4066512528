"""Annotations as a Markdown note to keep: ready for an Obsidian vault or Zotero.

One file per essay: YAML front matter (title, author, source, date, tags, the
citation), then one heading per section and, for each annotation, the passage as a block
quote with the sources it cites as Markdown footnotes, a `^block-id` to link to it, the
reader's note below it, and its colour and tags as `#tags`.

The output depends only on the essay and the annotations: the same annotation gets the
same block id every time (made from its id) and nothing says when the file was written,
so exporting again changes only what changed.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from essaytui.interchange.citation import (
    CitationError,
    bibliography_entry,
    describe,
    essay_reference,
    locator_of,
)
from essaytui.interchange.styles import DEFAULT_STYLE
from essaytui.model.annotation import Annotation, parse_time, text_hash
from essaytui.model.essay import Essay

#: Hex digits of an annotation's id in its block id (48 bits: a clash in one file is
#: unlikely, and handled: then both get their whole id).
BLOCK_ID_LENGTH = 12
#: The heading for what comes before the essay's first heading.
OPENING = "Opening"


def block_id(annotation_id: str, length: int = BLOCK_ID_LENGTH) -> str:
    """The `^block-id` of an annotation (letters, digits and dashes, as Obsidian wants)."""
    digits = re.sub(r"[^0-9a-zA-Z]", "", annotation_id).lower()
    return digits[:length] if digits else "note"


def _block_ids(annotations: Sequence[Annotation]) -> dict[str, str]:
    short = {a.id: block_id(a.id) for a in annotations}
    counts: dict[str, int] = {}
    for value in short.values():
        counts[value] = counts.get(value, 0) + 1
    return {key: value if counts[value] == 1 else block_id(key, 64) for key, value in short.items()}


def tag_name(tag: str) -> str:
    """`tag` as an Obsidian/Markdown `#tag`: letters, digits, `_`, `-` and `/`, not all
    digits."""
    cleaned = re.sub(r"[^\w/-]+", "-", tag.strip(), flags=re.UNICODE).strip("-/")
    if cleaned and cleaned.replace("/", "").isdigit():
        cleaned = f"tag-{cleaned}"
    return cleaned


#: A line that would define a footnote (`[^1]: …`), be taken for a block id (`^abc123`),
#: or open an Obsidian comment or math block (`%%`, `$$`) wherever it stood.
_FORGING_LINE = re.compile(r"^\s*(?:\[\^[^\]]*\]:|\^|%%|\$\$)")


def _inert_line(line: str) -> str:
    """`line` with a backslash before what would make it a footnote definition, a block
    id, a comment or a math block (Markdown shows an escaped character as itself)."""
    if _FORGING_LINE.match(line) is None:
        return line
    stripped = line.lstrip()
    return line[: len(line) - len(stripped)] + "\\" + stripped


def _blockquote(text: str) -> str:
    return "\n".join(
        f"> {_inert_line(line)}" if line.strip() else ">" for line in text.strip().splitlines()
    )


#: Block tokens a note may make and still be written as Markdown: paragraphs and lists.
_PLAIN_BLOCKS = frozenset(
    {
        "paragraph_open",
        "paragraph_close",
        "inline",
        "bullet_list_open",
        "bullet_list_close",
        "ordered_list_open",
        "ordered_list_close",
        "list_item_open",
        "list_item_close",
    }
)
#: What makes a line of a note more than prose for some Markdown reader: a block id at
#: its end (Obsidian's `text ^abc`), a comment or math that runs on (`%%`, `$$`).
_NOT_PROSE = re.compile(r"(?:^|\s)\^[\w-]+\s*$|%%|\$\$", re.MULTILINE)


def _is_prose(note: str) -> bool:
    """Whether `note` is paragraphs and lists only, with nothing that reaches outside it:
    no fence, HTML block, heading, rule, quote, table, footnote (a definition, a reference
    or an inline one), link definition, block id, comment or math block."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    if _NOT_PROSE.search(note):
        return False
    env: dict[str, Any] = {}
    tokens = MarkdownIt("commonmark").use(footnote_plugin).parse(note, env)
    if env.get("references") or env.get("footnotes"):
        return False
    for token in tokens:
        if token.type not in _PLAIN_BLOCKS:
            return False
        if any(child.type.startswith("footnote") for child in token.children or ()):
            return False
    return True


def note_block(note: str) -> str:
    """The reader's note as it is written into the export.

    Prose (paragraphs and lists) stays Markdown, to read well in a vault. Anything else
    goes into a fenced block whose fence is longer than any run of backticks in the note,
    so nothing in it can close the block, open one that runs on over the rest of the file
    (an unclosed fence, an HTML comment), or define a footnote or a block id of the
    export's own; the block reads back as the note's exact text.
    """
    text = note.strip("\n")
    if _is_prose(text):
        return text.strip()
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


def _placed(essay: Essay, annotation: Annotation) -> bool:
    """Whether the annotation's offsets address this text (the same edition, or the quote
    still at its place)."""
    if not essay.complete:
        return False
    text = essay.reading_text
    if annotation.text_hash and annotation.text_hash == text_hash(text):
        return True
    return 0 <= annotation.start <= annotation.end <= len(text) and (
        text[annotation.start : annotation.end] == annotation.exact
    )


def _quote_with_notes(
    essay: Essay, annotation: Annotation, cited: dict[str, int]
) -> tuple[str, list[str]]:
    """The quote with each footnote marker it holds as `[^n]`, and the labels it cites."""
    if not _placed(essay, annotation):
        return annotation.exact, []
    text = essay.reading_text
    pieces: list[str] = []
    labels: list[str] = []
    position = annotation.start
    for start, end, label in essay.footnote_refs:
        if end <= annotation.start or start >= annotation.end:
            continue
        note = essay.footnotes_by_label.get(label)
        pieces.append(text[position:start] if start > position else "")
        position = max(position, end)
        if note is None or not note.defined:
            continue
        number = cited.setdefault(label, note.number or len(cited) + 1)
        pieces.append(f"[^{number}]")
        labels.append(label)
    pieces.append(text[position : annotation.end])
    return "".join(pieces), labels


def _trail(essay: Essay, annotation: Annotation) -> tuple[str, ...]:
    if _placed(essay, annotation):
        return tuple(essay.section_trail(annotation.start))
    return annotation.section_trail


def _details(essay: Essay, annotation: Annotation) -> str:
    parts = [annotation.kind.value]
    if _placed(essay, annotation) and annotation.end > annotation.start:
        parts.append("¶ " + locator_of(essay, annotation.start, annotation.end))
    with contextlib.suppress(ValueError):  # a time only an import could have left
        parts.append(parse_time(annotation.created).strftime("%Y-%m-%d"))
    tags = [f"#color/{tag_name(annotation.color)}"] if annotation.color else []
    tags += [f"#{name}" for name in (tag_name(tag) for tag in annotation.tags) if name]
    return " · ".join(parts) + ("  " + " ".join(tags) if tags else "")


def front_matter(essay: Essay, annotations: Sequence[Annotation], style: str) -> dict[str, Any]:
    """The YAML front matter's fields: only what is known."""
    reference = essay_reference(essay)
    data: dict[str, Any] = {"title": essay.title}
    data.update({k: v for k, v in describe(reference).items() if k != "title"})
    source = reference.url or essay.meta.get("source", "")
    if source:
        data["source"] = source
    if essay.source_path:
        data["essay_file"] = essay.source_path
    data["essay_id"] = essay.id
    tags = sorted({tag_name(t) for a in annotations for t in a.tags} - {""})
    data["tags"] = tags
    with contextlib.suppress(CitationError):  # the notes matter more than the line
        data["citation"] = bibliography_entry(reference, style)
    return data


def to_markdown(
    essay: Essay, annotations: Iterable[Annotation], *, style: str = DEFAULT_STYLE
) -> str:
    """The essay's live annotations as one Markdown note (see the module docstring)."""
    import yaml

    live = sorted(
        (a for a in annotations if not a.is_deleted),
        key=lambda a: (a.start, a.end, a.created, a.id),
    )
    ids = _block_ids(live)
    head = yaml.safe_dump(
        front_matter(essay, live, style), allow_unicode=True, sort_keys=False, width=1000
    )
    lines = ["---", head.rstrip("\n"), "---", "", f"# {essay.title}", ""]
    if essay.author:
        lines += [f"*{essay.author}*", ""]
    if not live:
        lines += ["No annotations yet.", ""]
    cited: dict[str, int] = {}
    trail: tuple[str, ...] | None = None
    for annotation in live:
        here = _trail(essay, annotation)
        if here != trail:
            trail = here
            lines += [f"## {' › '.join(trail) if trail else OPENING}", ""]
        quote, _ = _quote_with_notes(essay, annotation, cited)
        if quote.strip():
            lines += [_blockquote(quote), ""]
        lines += [f"^{ids[annotation.id]}", ""]
        if annotation.note.strip():
            lines += [note_block(annotation.note), ""]
        lines += [_details(essay, annotation), ""]
    if cited:
        for label, number in sorted(cited.items(), key=lambda item: item[1]):
            note = essay.footnotes_by_label[label]
            body = "\n".join(
                f"    {_inert_line(line)}" if index and line.strip() else line
                for index, line in enumerate(note.text.strip().splitlines())
            )
            lines += [f"[^{number}]: {body}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def file_name(essay: Essay) -> str:
    """The file `export --all` writes an essay's notes to: its title, made safe, and a
    short id (two essays may share a title)."""
    words = re.sub(r"[^\w\s-]", "", essay.title, flags=re.UNICODE).split()
    stem = "-".join(words)[:60].strip("-") or "essay"
    return f"{stem}-{block_id(_digest(essay.id), 6)}"


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
