"""Markdown → `Essay`: blocks, one reading text, outline, footnotes, glossary.

The source is made inert first (`text.sanitize`), so every offset is computed on
text that is safe to show. Big files are parsed in chunks of about
`chunks.CHUNK_CHARS`, cut at blank lines outside fenced code, and each chunk's
tokens are dropped as soon as they are converted: markdown-it's token stream for a
4 MB essay would otherwise be several times the size of the text. Things that
cross chunks are resolved up front by cheap scans of the whole source: footnote
definition labels (so a reference early on knows its note exists) and link
reference definitions.

The package, in the order a parse uses it:

- `chunks`: where the source may be cut, and the scans of the whole source;
- `front_matter`: the YAML block at the top, and the essay's id, title and author;
- `tokens`: markdown-it tokens → blocks, footnotes and the outline (`Converter`);
- here, `parse_essay`, which runs them (the parser itself is
  `essaytui.model.markdown.essay_parser`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt

from essaytui.model.dialects import DIALECTS, detect_dialect, split_meta_header, use_dialects
from essaytui.model.essay import Essay, Term
from essaytui.model.glossary import (
    GlossaryEntry,
    build_terms,
    entries_from_front_matter,
    parse_glossary_source,
)
from essaytui.model.markdown import essay_parser, plain_tokens
from essaytui.model.parse.chunks import (
    Layout,
    chunk_bounds,
    defined_labels,
    definition_sources,
    link_references,
    split_point,
)
from essaytui.model.parse.front_matter import essay_fields, split_front_matter
from essaytui.model.parse.tokens import Converter
from essaytui.model.text import BLOCK_SEPARATOR, sanitize

#: Warnings beyond this many are summarised in one line.
MAX_WARNINGS = 50

#: Container markup (quote markers, indentation) kept at the start of a line:
#: deeper nesting is flattened to this depth so its text is still shown.
_MAX_PREFIX = 150
_DEEP_PREFIX = re.compile(
    r"^((?=[ >]|[-+*] )[ >\-+*]{" + str(_MAX_PREFIX) + r"})[ >\-+*]+", re.MULTILINE
)


def parse_essay(
    source: str,
    *,
    path: str | None = None,
    glossary_source: str | None = None,
    limit: int | None = None,
    dialect: str | None = None,
) -> Essay:
    """Parse Markdown into an `Essay`.

    Args:
        source: the Markdown text (front matter optional).
        path: the file it came from: the title when nothing else gives one,
            and `Essay.source_path`.
        glossary_source: the text of a sibling ``glossary.md``.
        limit: when the source is longer, parse only about this many
            characters (cut at a blank line outside code) and return an essay
            with `complete=False`; its reading text is a prefix of the full
            one's, so offsets stay valid once the whole file is parsed.
        dialect: "myst", "mkdocs", "pandoc" or "commonmark"; by default the front
            matter's ``dialect:``, else told from the file (`dialects.detect_dialect`).
    """
    text, warnings = _flattened(sanitize(source))
    data, body, front_warnings = split_front_matter(text)
    warnings.extend(front_warnings)

    if dialect is None:
        # a front matter's "dialect:" overrides what the file looks like, for every
        # command alike (reader, pipe, exports), so notes anchor on the same text
        named = str(data.get("dialect", "")).lower()
        dialect = named if named in DIALECTS else detect_dialect(text, path)
    if dialect == "mkdocs" and not data:
        data, body = split_meta_header(body)
    md = essay_parser()
    use_dialects(md, dialect)
    whole = Layout.of(body)
    part = _part(whole, limit)
    complete = part is whole
    # every definition label of the whole file, so that references in an early
    # chunk (or in a prefix parsed alone) already know their note exists
    converter = Converter(defined_labels(whole))
    env: dict[str, Any] = {"references": link_references(md, whole) if "]:" in body else {}}
    warnings.extend(_convert(md, converter, part, env))
    if not complete:
        _convert_cited_definitions(md, converter, whole, len(part.text), env)

    reading_text = converter.essay.text()
    footnotes, footnote_warnings = converter.footnotes(complete)
    warnings.extend(footnote_warnings)
    # MkDocs titles a page by its meta title, its first level-1 heading, else its file
    # name: a page's first "##" is the name of its first section
    heading = converter.first_h1 if dialect == "mkdocs" else converter.title_heading
    fields = essay_fields(data, heading, path)
    glossary = _glossary(data, glossary_source, reading_text, converter.essay.excluded, warnings)
    return Essay(
        id=fields.id,
        title=fields.title,
        author=fields.author,
        reading_text=reading_text,
        blocks=tuple(converter.essay.blocks),
        sections=converter.sections(len(reading_text)),
        footnotes=footnotes,
        glossary=glossary,
        anchors=converter.anchors(len(reading_text)),
        meta=fields.meta,
        warnings=tuple(_capped(warnings)),
        source_path=path,
        complete=complete,
    )


def _flattened(text: str) -> tuple[str, list[str]]:
    """`text` with container markup nested deeper than `_MAX_PREFIX` flattened, and a
    warning when any was."""
    if _DEEP_PREFIX.search(text):
        return _DEEP_PREFIX.sub(r"\1", text), ["quotes or lists nested too deeply were flattened"]
    return text, []


def _part(whole: Layout, limit: int | None) -> Layout:
    """The part of the source parsed: all of it (`whole` itself), or, with a `limit`
    it exceeds, about `limit` characters up to a point where it may be cut."""
    if limit is not None and len(whole.text) > limit:
        cut = split_point(whole, limit)
        if cut is not None and cut < len(whole.text):
            return whole.cut_before(cut)
    return whole


def _convert(md: MarkdownIt, converter: Converter, part: Layout, env: dict[str, Any]) -> list[str]:
    """Feed `converter` the tokens of `part`, chunk by chunk; the warnings."""
    warnings: list[str] = []
    text = part.text
    for begin, end in chunk_bounds(part):
        env.pop("footnotes", None)
        try:
            tokens = md.parse(text[begin:end], env)
        except RecursionError:
            tokens = plain_tokens(text[begin:end])
            warnings.append("part of the text is nested too deeply and is shown unformatted")
        converter.feed(tokens)
        del tokens  # let the chunk's tokens go before the next chunk is parsed
    converter.close_open_notes()
    return warnings


def _convert_cited_definitions(
    md: MarkdownIt, converter: Converter, whole: Layout, start: int, env: dict[str, Any]
) -> None:
    """Feed `converter` the definitions after `start` of the notes it has references
    to: those cited in a part shown are usually defined at the very end, and parsing
    just them lets the first screen peek them."""
    wanted = {label for label in converter.refs if label not in converter.notes}
    snippets = definition_sources(whole, start, wanted)
    if snippets:
        converter.feed_definitions(md.parse(BLOCK_SEPARATOR.join(snippets), env))


def _glossary(
    data: dict[str, Any],
    glossary_source: str | None,
    reading_text: str,
    excluded: Sequence[tuple[int, int]],
    warnings: list[str],
) -> tuple[Term, ...]:
    """The terms of the front matter's glossary and of `glossary_source`, found in the
    reading text (not in code, links or footnote markers); adds to `warnings`."""
    entries: list[GlossaryEntry] = []
    if "glossary" in data:
        found, glossary_warnings = entries_from_front_matter(data["glossary"])
        entries.extend(found)
        warnings.extend(glossary_warnings)
    if glossary_source is not None:
        found, glossary_warnings = parse_glossary_source(glossary_source)
        entries.extend(found)
        warnings.extend(glossary_warnings)
    glossary, glossary_warnings = build_terms(entries, reading_text, excluded)
    warnings.extend(glossary_warnings)
    return glossary


def _capped(warnings: list[str]) -> list[str]:
    """`warnings`, the ones beyond `MAX_WARNINGS` counted in a last line."""
    if len(warnings) > MAX_WARNINGS:
        extra = len(warnings) - MAX_WARNINGS + 1
        return [*warnings[: MAX_WARNINGS - 1], f"… and {extra} more warnings"]
    return warnings
