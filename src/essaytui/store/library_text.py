"""The library's index, as text: a text's sentences, CJK runs as two-character words, and
the FTS5 query for what the reader types (see `essaytui.store.library`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from essaytui.model.essay import BlockKind, Essay
from essaytui.model.text import is_cjk

#: Runs of Chinese, Japanese and Korean letters (ideographs, kana, Hangul, full-width
#: letters and half-width katakana; never CJK punctuation, which ends a word).
_CJK_RUN = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f\U00020000-\U0002fa1f]+"
)


def _pairs(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "


def bigrams(text: str) -> str:
    """`text` with each run of CJK characters written as its overlapping two-character
    words ("中国人" → "中国 国人"), so a word tokenizer can find a two-character word."""
    return _CJK_RUN.sub(_pairs, text)


#: Where a sentence ends: after . ! ? … (and closing quotes or a footnote's number) and
#: a space, or after 。！？ with or without one. A run of stops is tried from its start
#: only, and never given back: a line of ten thousand dots is one look, not 50 million.
_SENTENCE_END = re.compile(
    "(?<![.!?\u2026])[.!?\u2026]++[\"'\u201d\u2019)\\]]*+[\u00b9\u00b2\u00b3\u2070-\u2079]*+\\s+"
    "|[\u3002\uff01\uff1f]+[\u300d\u300f\u201d\u2019\uff09]*[\u00b9\u00b2\u00b3\u2070-\u2079]*\\s*"
)


_QUERY_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(query: str) -> list[str]:
    """The words of what the reader typed, as the index matches them."""
    return _QUERY_WORD.findall(query)


def fts_term(word: str) -> str:
    """One word of a search as an FTS5 term over text indexed through `bigrams`: a
    prefix ("grievan" finds "grievances"), or a word with CJK characters as the phrase of
    its two-character words (one character: a prefix of them). Double quotes, and with
    them FTS5's operators, are plain text."""
    word = word.replace('"', "")
    if any(is_cjk(char) for char in word):
        pairs = bigrams(word).split()
        return '"' + " ".join(pairs) + '"' + ("*" if len(word) == 1 else "")
    return f'"{word}"*'


def match_expression(query: str) -> str:
    """An FTS5 query that needs every word of `query` (see `fts_term`)."""
    return " ".join(fts_term(word) for word in _QUERY_WORD.findall(query))


def sentences(essay: Essay) -> Iterator[tuple[int, int, int, int]]:
    """The sentences of an essay's reading text: `(section index (-1: before the first
    heading), paragraph, start,
    end)`, in reading order. `paragraph` counts the blocks of the section from 1 (its
    heading is 0)."""
    text = essay.reading_text
    paragraph, current = 0, -2
    for block in essay.blocks:
        if block.kind is BlockKind.RULE or block.end <= block.start:
            continue
        section = essay.section_at(block.start)
        here = section.index if section is not None else -1
        if here != current:
            paragraph, current = 0, here
        if block.kind is not BlockKind.HEADING:
            paragraph += 1
        index = paragraph
        start = block.start
        for end_match in _SENTENCE_END.finditer(text, block.start, block.end):
            yield from _sentence(text, here, index, start, end_match.end())
            start = end_match.end()
        yield from _sentence(text, here, index, start, block.end)


def note_sentences(essay: Essay) -> Iterator[tuple[int, int, int, int, str]]:
    """The footnotes and endnotes of an essay, each as one sentence on one line (a note
    is short, and a sentence split inside "Codd, E. F." reads worse than the whole
    note): `(note number, section of its first reference, start, end, text)`, where
    `start` and `end` are that reference's place in the reading text. A note never
    referenced is left out: there is nowhere in the text to open it at."""
    for footnote in essay.footnotes:
        text = _flat(footnote.text)
        if not footnote.refs or not text:
            continue
        start, end = footnote.refs[0]
        section = essay.section_at(start)
        here = section.index if section is not None else -1
        yield footnote.number, here, start, end, text


def _flat(sentence: str) -> str:
    """A sentence on one line (a note's blocks are joined by the block separator)."""
    return " ".join(sentence.split())


def _sentence(
    text: str, section: int, paragraph: int, start: int, end: int
) -> Iterator[tuple[int, int, int, int]]:
    """The sentence `[start, end)` without the space around it, if it holds anything."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield section, paragraph, start, end
