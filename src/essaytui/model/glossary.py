"""Glossary terms: reading them, their variants, and finding them in a text.

A glossary comes from a ``glossary.md`` definition list (a term line may carry
aliases, ``One Belt One Road | OBOR | BRI``) or from a ``glossary:`` list in
front matter. Matching (design §4b) uses one regular expression built as a
trie of every variant of every term, run once over a lower-cased copy of the
text, so its cost hardly grows with the number of terms.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from essaytui.model.essay import Term
from essaytui.model.markdown import glossary_parser, tokens_to_text
from essaytui.model.ranges import merge_ranges
from essaytui.model.text import (
    BLOCK_SEPARATOR,
    SUPERSCRIPT_DIGITS,
    lower_same_length,
    sanitize,
    sanitize_inline,
)


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A term as written in a glossary, before it is matched in an essay."""

    name: str
    aliases: tuple[str, ...]
    definition: str
    see_also: tuple[str, ...] = ()


# -- reading glossaries ----------------------------------------------------

# A final "See also: A; B" sentence (or line) of a definition, searched in its last
# line only: the names cannot cross a line, and searching the whole definition tried
# every newline of a run of them, and every split of a run of spaces, to its end.
_SEE_ALSO = re.compile(
    r"(?:^|(?<=[.!?…])[ ]+)See also:?[ ]+(?P<list>.+?)\.?\Z", re.IGNORECASE | re.MULTILINE
)
_NAME_SEPARATOR = re.compile(r"[;,]")


def _split_see_also(definition: str) -> tuple[str, tuple[str, ...]]:
    body = definition.rstrip()
    match = _SEE_ALSO.search(body, body.rfind("\n") + 1)
    if match is None:
        return definition, ()
    names = tuple(
        name.strip() for name in _NAME_SEPARATOR.split(match.group("list")) if name.strip()
    )
    return definition[: match.start()].rstrip(), names


def _split_names(line: str) -> tuple[str, tuple[str, ...]]:
    names = [part.strip() for part in line.split("|")]
    names = [name for name in names if name]
    if not names:
        return "", ()
    return names[0], tuple(dict.fromkeys(names[1:]))


def parse_glossary_source(source: str) -> tuple[list[GlossaryEntry], list[str]]:
    """Read a ``glossary.md`` definition list.

    Returns:
        The entries in file order and warnings (one line each).
    """
    tokens = glossary_parser().parse(sanitize(source))
    entries: list[GlossaryEntry] = []
    warnings: list[str] = []
    names: list[str] = []
    definitions: list[str] = []
    in_definition = 0

    def flush() -> None:
        if names:
            if not definitions:
                warnings.append(f"glossary: {names[0]!r} has no definition")
            for line in names:
                name, aliases = _split_names(line)
                if not name:
                    continue
                definition, see_also = _split_see_also(BLOCK_SEPARATOR.join(definitions))
                entries.append(GlossaryEntry(name, aliases, definition, see_also))
        names.clear()
        definitions.clear()

    for index, token in enumerate(tokens):
        if token.type == "dt_open":
            if definitions:
                flush()
            names.append(tokens_to_text(tokens[index + 1].children))
        elif token.type == "dd_open":
            in_definition += 1
        elif token.type == "dd_close":
            in_definition -= 1
        elif token.type == "dl_close":
            flush()
        elif token.type == "inline" and in_definition:
            text = tokens_to_text(token.children)
            if text:
                definitions.append(text)
        elif token.type in ("fence", "code_block") and in_definition:
            definitions.append(token.content.rstrip("\n"))
    flush()
    return entries, warnings


def _text_list(value: object, separator: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: Iterable[object] = value.split(separator)
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = [value]
    return tuple(
        sanitize_inline(str(item)).strip()
        for item in items
        if isinstance(item, str | int | float) and str(item).strip()
    )


def entries_from_front_matter(value: object) -> tuple[list[GlossaryEntry], list[str]]:
    """Read a front matter ``glossary:`` value.

    Accepts a list of mappings with ``term`` (or ``name``), ``def`` (or
    ``definition``), optional ``aliases`` and ``see_also``; or a mapping of
    term to definition.
    """
    entries: list[GlossaryEntry] = []
    warnings: list[str] = []
    items: list[object]
    if isinstance(value, dict):
        items = [{"term": key, "def": definition} for key, definition in value.items()]
    elif isinstance(value, list):
        items = value
    else:
        return [], ["front matter: 'glossary' should be a list of {term, def} entries"]
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            warnings.append(f"front matter glossary entry {number} is not a {{term, def}} mapping")
            continue
        raw_name = item.get("term", item.get("name"))
        if not isinstance(raw_name, str | int | float) or not str(raw_name).strip():
            warnings.append(f"front matter glossary entry {number} has no term")
            continue
        name, aliases = _split_names(sanitize_inline(str(raw_name)))
        aliases = tuple(dict.fromkeys(aliases + _text_list(item.get("aliases"), "|")))
        raw_definition = item.get("def", item.get("definition", ""))
        if not isinstance(raw_definition, str | int | float):
            # a list or mapping (perhaps aliases of aliases, vast once printed)
            if raw_definition is not None:
                warnings.append(
                    f"front matter glossary entry {number} has a definition that is not text"
                )
            raw_definition = ""
        definition = sanitize(str(raw_definition)).strip()
        see_also_value = item.get("see_also", item.get("see-also"))
        definition, see_also = _split_see_also(definition)
        see_also = tuple(dict.fromkeys(see_also + _text_list(see_also_value, ";")))
        entries.append(GlossaryEntry(name, aliases, definition, see_also))
    return entries, warnings


# -- ids and variants --------------------------------------------------------


_NOT_SLUG = re.compile(r"[\W_]+")


def term_id(name: str) -> str:
    """A stable slug for a term name ("Sino-Soviet split" → "sino-soviet-split")."""
    normal = unicodedata.normalize("NFKD", name)
    normal = "".join(char for char in normal if not unicodedata.combining(char))
    slug = _NOT_SLUG.sub("-", normal.casefold()).strip("-")
    return slug or "term"


_ACRONYM_MAX = 5


def is_acronym(name: str) -> bool:
    """Short all-capital names (≤ 5 letters) that are matched case-sensitively."""
    letters = [char for char in name if char.isalpha()]
    return (
        0 < len(letters) <= _ACRONYM_MAX
        and " " not in name.strip()
        and all(char.isupper() for char in letters)
    )


# The long form ends at its last non-space before the final "(…)" (".+?" then "\s*"
# tried every split of a run of spaces: quadratic).
_PARENTHESISED = re.compile(r"^(?P<long>.*\S)\s*\((?P<short>[^()]+)\)$")


def _plurals(name: str) -> list[str]:
    """The other number of `name`'s last word: plural, or singular for a plural name."""
    if not name or not name[-1].isalpha():
        return []
    if is_acronym(name):
        return [name + "s"]
    lower = name.lower()
    if lower.endswith("ies") and len(name) > 4:
        return [name[:-3] + "y"]  # "unequal treaties" → "unequal treaty"
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(name) > 3:
        return [name[:-1]]  # "western sanctions" → "western sanction"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return [name + "es"]
    if lower.endswith("y") and len(name) > 1 and lower[-2] not in "aeiou":
        return [name[:-1] + "ies"]
    return [name + "s"]


def variants(name: str, aliases: Sequence[str] = ()) -> list[tuple[str, bool]]:
    """Every written form of a term, each with whether it is case-sensitive.

    Forms: the name and aliases (and both halves of "Expansion (ACR)"), their
    plurals (or singulars, for a plural name) and possessives ('s, ’s, and a
    bare apostrophe after s).
    Hyphen/space variants are not listed: matching treats a hyphen and a
    space between words alike.
    """
    bases: list[str] = []
    for written in (name, *aliases):
        written = " ".join(written.split())
        if not written:
            continue
        bases.append(written)
        match = _PARENTHESISED.match(written)
        if match:
            bases.extend((match.group("long"), match.group("short")))
    forms: dict[str, bool] = {}
    for base in bases:
        case_sensitive = is_acronym(base)
        for form in (base, *_plurals(base)):
            for written in (form, form + "'s", form + "’s"):
                forms.setdefault(written, case_sensitive)
            if form.lower().endswith("s"):
                forms.setdefault(form + "'", case_sensitive)
                forms.setdefault(form + "’", case_sensitive)
    return list(forms.items())


# -- matching ------------------------------------------------------------------

#: Characters treated as one separator between words of a term.
_SEPARATORS = " \u00a0\n-\u2010\u2011"
_SEPARATOR_CLASS = "[ \u00a0\\n\\-\u2010\u2011]"
_KEY_TABLE = str.maketrans({**dict.fromkeys(_SEPARATORS, " "), "’": "'"})


def _key(text: str) -> str:
    """The form two spellings share when they match the same way."""
    return text.translate(_KEY_TABLE)


def _spaced(char: str) -> bool:
    """Whether `char` belongs to a script that separates words by spaces."""
    if not (char.isalnum() or char == "_"):
        return False
    code = ord(char)
    return not (
        0x2E80 <= code <= 0x9FFF  # CJK radicals, kana, CJK ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF66 <= code <= 0xFF9F  # half-width kana
        or code >= 0x20000
    )


# A word boundary that does not count footnote markers (superscript digits,
# which \w includes) as part of a word: "NATO¹" still matches "NATO".
_WORD_CHAR = f"[^\\W{SUPERSCRIPT_DIGITS}]"
_NOT_WORD_AFTER = f"(?!{_WORD_CHAR})"
_NOT_WORD_BEFORE = f"(?<!{_WORD_CHAR})"


class _Trie:
    __slots__ = ("children", "end")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.end = False


def _char_pattern(char: str) -> str:
    if char == " ":
        return _SEPARATOR_CLASS
    if char == "'":
        return "['’]"
    return re.escape(char)


def _trie_pattern(root: _Trie, last: str) -> str:
    """The expression matching every form in the trie under `root`.

    Built with a stack of pieces to write, not by recursion: a form of a few hundred
    characters would otherwise recurse once per character (RecursionError), and
    joining each level's string to its parent's would copy it once per level.
    """
    pieces: list[str] = []
    stack: list[str | tuple[_Trie, str]] = [(root, last)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            pieces.append(item)
            continue
        node, char = item
        end = _NOT_WORD_AFTER if _spaced(char) else ""
        children = sorted(node.children.items())
        if not children:
            pieces.append(end)
            continue
        todo: list[str | tuple[_Trie, str]] = []
        if node.end:
            todo.append("(?:")  # greedy: longer continuations first, then the form's end
        if len(children) > 1:
            todo.append("(?:")
        for index, (next_char, child) in enumerate(children):
            if index:
                todo.append("|")
            todo += [_char_pattern(next_char), (child, next_char)]
        if len(children) > 1:
            todo.append(")")
        if node.end:
            todo.append(f"|{end})" if end else ")?")
        stack.extend(reversed(todo))
    return "".join(pieces)


class GlossaryMatcher:
    """Finds term occurrences: longest match wins, no overlaps, whole words.

    Two ways, one result (a test holds them to that): a text small enough is scanned
    by walking a trie of every written form, which costs far less than compiling the
    regular expression (the same trie, ~40 ms for the bundled glossary and more for
    large ones); a larger text is searched with that expression, compiled on first use.
    Forms each the start of the next, hundreds deep, nest deeper than `re` compiles:
    then the text is scanned, whatever its size.

    Args:
        terms: `(term id, name, aliases)` in priority order (on a tie between
            two terms with the same written form, the first wins).
    """

    #: Above this many characters searched (text length × written forms), the
    #: regular expression is worth its compilation.
    SCAN_LIMIT = 20_000_000

    def __init__(self, terms: Sequence[tuple[str, str, Sequence[str]]]) -> None:
        # key (lower-cased, separators unified) → [(term id, exact form or "")]
        # Only choices that can win are kept: after one that matches any case, or one
        # with the same exact form, a later term never would (and thousands of terms
        # sharing an alias made every occurrence try them all).
        self._forms: dict[str, list[tuple[str, str]]] = {}
        for identifier, name, aliases in terms:
            for form, case_sensitive in variants(name, aliases):
                key = _key(lower_same_length(form))
                if not key.strip():
                    continue
                choices = self._forms.setdefault(key, [])
                exact = _key(form) if case_sensitive else ""
                if all(earlier and earlier != exact for _, earlier in choices):
                    choices.append((identifier, exact))
        self._compiled: re.Pattern[str] | None = None
        self._uncompilable = False
        self._scan: tuple[_Trie, re.Pattern[str]] | None = None

    @property
    def _pattern(self) -> re.Pattern[str] | None:
        if self._compiled is None and self._forms and not self._uncompilable:
            try:
                self._compiled = self._compile()
            except (RecursionError, OverflowError, re.error):
                # Hundreds of forms each the start of the next ("a", "aa", "aaa", …) nest
                # groups deeper than `re` can parse: then every text is scanned instead.
                self._uncompilable = True
        return self._compiled

    def _compile(self) -> re.Pattern[str]:
        bounded = _Trie()
        free = _Trie()
        for key in self._forms:
            node = bounded if _spaced(key[0]) else free
            for char in key:
                node = node.children.setdefault(char, _Trie())
            node.end = True
        parts: list[str] = []
        if bounded.children:
            parts.append(_NOT_WORD_BEFORE + _trie_pattern(bounded, ""))
        if free.children:
            parts.append(_trie_pattern(free, ""))
        return re.compile("|".join(parts))

    def _spans_by_regex(self, lowered: str) -> Iterable[tuple[int, int]]:
        pattern = self._pattern
        if pattern is None:
            return
        for match in pattern.finditer(lowered):
            yield match.span()

    def _spans_by_scan(self, lowered: str) -> list[tuple[int, int]]:
        """What `finditer` with the trie expression yields, by walking the trie in Python.

        From each place a form may start (found by `_scanner`'s expression), the trie
        is walked as far as the text follows it, and the longest form that ends on a
        word boundary wins; the search goes on after it. The cost is the text's length
        times at most the longest form's, as for the expression. (Listing every
        occurrence of every form first, overlapping ones too, took 3.5 GB and 37 s for
        300 forms "+", "++", … on 160 KB with runs of "+".)
        """
        text = _key(lowered)  # same length: separators and apostrophes unified
        length = len(text)
        trie, starts = self._scanner()
        spans: list[tuple[int, int]] = []
        position = 0
        while (start := starts.search(text, position)) is not None:
            begin = start.start()
            end = _longest_at(trie, text, begin)
            if end > begin:
                spans.append((begin, end))
                position = end
            else:
                position = begin + 1
            if position >= length:
                break
        return spans

    def _scanner(self) -> tuple[_Trie, re.Pattern[str]]:
        """The trie of every form's key, and an expression finding where one may start
        (its first character, after no word character when that is a letter)."""
        if self._scan is None:
            trie = _Trie()
            for key in self._forms:
                node = trie
                for char in key:
                    node = node.children.setdefault(char, _Trie())
                node.end = True
            bounded = "".join(re.escape(char) for char in trie.children if _spaced(char))
            free = "".join(re.escape(char) for char in trie.children if not _spaced(char))
            parts = [f"{_NOT_WORD_BEFORE}[{bounded}]"] if bounded else []
            parts += [f"[{free}]"] if free else []
            self._scan = trie, re.compile("|".join(parts))
        return self._scan

    def find(
        self, text: str, excluded: Sequence[tuple[int, int]] = ()
    ) -> list[tuple[int, int, str]]:
        """Occurrences in `text` as sorted, non-overlapping `(start, end, term id)`.

        Args:
            text: the text to search.
            excluded: ranges (code, links, footnote markers) where no
                occurrence may start, end or lie.
        """
        if not self._forms or not text:
            return []
        lowered = lower_same_length(text)
        if len(text) * len(self._forms) <= self.SCAN_LIMIT or self._pattern is None:
            spans: Iterable[tuple[int, int]] = self._spans_by_scan(lowered)
        else:
            spans = self._spans_by_regex(lowered)
        return self._resolve(text, lowered, spans, excluded)

    def _resolve(
        self,
        text: str,
        lowered: str,
        spans: Iterable[tuple[int, int]],
        excluded: Sequence[tuple[int, int]],
    ) -> list[tuple[int, int, str]]:
        merged = merge_ranges(excluded)
        starts = [start for start, _ in merged]
        found: list[tuple[int, int, str]] = []
        for start, end in spans:
            if start == end:
                continue
            if merged:
                index = bisect.bisect_left(starts, end) - 1
                if index >= 0 and merged[index][1] > start:
                    continue
            choices = self._forms.get(_key(lowered[start:end]))
            if not choices:
                continue
            written = ""
            for identifier, exact in choices:
                if exact:
                    if not written:
                        written = _key(text[start:end])
                    if written != exact:
                        continue
                found.append((start, end, identifier))
                break
        return found


def _longest_at(trie: _Trie, text: str, begin: int) -> int:
    """Where the longest form starting at `begin` ends, if it ends on a word boundary
    (after a letter of a spaced script), else `begin`."""
    node = trie
    best = begin
    index = begin
    length = len(text)
    while index < length:
        child = node.children.get(text[index])
        if child is None:
            break
        node = child
        index += 1
        if node.end and (
            index == length or not _spaced(text[index - 1]) or not _is_word(text[index])
        ):
            best = index
    return best


def _is_word(char: str) -> bool:
    """A word character as `_WORD_CHAR` has it: \\w without superscript digits."""
    return (char.isalnum() or char == "_") and char not in SUPERSCRIPT_DIGITS


def build_terms(
    entries: Sequence[GlossaryEntry],
    text: str,
    excluded: Sequence[tuple[int, int]] = (),
) -> tuple[tuple[Term, ...], list[str]]:
    """Terms for `entries` with their occurrences in `text`, sorted by name.

    Entries whose name repeats an earlier one are dropped with a warning.
    """
    warnings: list[str] = []
    chosen: list[tuple[str, GlossaryEntry]] = []
    seen: set[str] = set()
    next_suffix: dict[str, int] = {}  # slug → the first suffix worth trying for it
    names: set[str] = set()
    for entry in entries:
        name = " ".join(entry.name.casefold().split())
        if name in names:
            warnings.append(
                f"glossary: {entry.name!r} is defined more than once; the first is used"
            )
            continue
        names.add(name)
        identifier = base = term_id(entry.name)
        if identifier in seen:  # different names, same slug ("C++" and "C")
            suffix = next_suffix.get(base, 2)
            while (identifier := f"{base}-{suffix}") in seen:
                suffix += 1
            next_suffix[base] = suffix + 1
        seen.add(identifier)
        chosen.append((identifier, entry))
    matcher = GlossaryMatcher([(ident, e.name, e.aliases) for ident, e in chosen])
    occurrences: dict[str, list[tuple[int, int]]] = {ident: [] for ident, _ in chosen}
    for start, end, identifier in matcher.find(text, excluded):
        occurrences[identifier].append((start, end))
    terms = [
        Term(
            id=identifier,
            name=entry.name,
            aliases=entry.aliases,
            definition=entry.definition,
            see_also=entry.see_also,
            occurrences=tuple(occurrences[identifier]),
        )
        for identifier, entry in chosen
    ]
    terms.sort(key=lambda term: (term.name.casefold(), term.id))
    return tuple(terms), warnings
