"""Front matter: the YAML block at the top of an essay, and the fields it gives.

Most front matter is a few `key: text` lines, read here without PyYAML
(`plain_mapping`: importing PyYAML costs more than the rest of reading a short
essay); anything else goes to PyYAML's safe loader, read so that no value stops the
essay from opening. `essay_fields` picks the id, title and author (with their
fallbacks: the first heading, the file name, a hash of title and author) and keeps
the other string values as `Essay.meta`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath
from typing import Any

from essaytui.model.identity import title_hash
from essaytui.model.text import sanitize, sanitize_inline

#: Front matter keys that become Essay fields rather than `meta` entries.
_OWN_KEYS = frozenset({"id", "title", "author", "glossary"})

#: Keys longer than this are left to PyYAML (which caps implicit keys at 1024).
_MAX_PLAIN_KEY = 128

_FRONT_MATTER = re.compile(r"\A---[ ]*\n(?:(.*?)\n)??(?:---|\.\.\.)[ ]*(?:\n|\Z)", re.DOTALL)
# The value runs to the line's end (trailing spaces are stripped afterwards: a lazy
# value followed by "[ ]*" tried every split of a run of spaces, quadratic).
_PLAIN_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):[ ]+(\S.*)")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
#: Plain words YAML 1.1 (PyYAML) reads as booleans or null, in any case.
_NOT_STRINGS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})
#: Characters that may end a plain scalar early (": ", " #") or that YAML treats apart.
#: (Indicators such as "[", "&" or "'" only matter first, and a plain value here starts
#: with a letter.)
_PLAIN_AVOID = frozenset("#:\t")


def plain_mapping(raw: str) -> dict[str, Any] | None:
    """Front matter of one-line `key: text` entries read without PyYAML, else None.

    Most front matter is a few such lines, and importing PyYAML costs more than the
    rest of reading a short essay. Anything this does not recognise as certainly a
    string (numbers, dates, booleans, lists, nesting, comments, escapes, repeated
    keys) is left to PyYAML's `safe_load`, which gives the same for what this
    accepts (a property test holds the two to that).
    """
    data: dict[str, Any] = {}
    for line in raw.split("\n"):
        if not line.strip(" "):  # only spaces: YAML's blank (a no-break space is not)
            continue
        match = _PLAIN_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.group(1), match.group(2).rstrip(" ")
        if (
            key in data
            or len(key) > _MAX_PLAIN_KEY
            or key.lower() in _NOT_STRINGS
            or not value.isprintable()
        ):
            return None
        if quoted := _SINGLE_QUOTED.fullmatch(value):
            data[key] = quoted.group(1).replace("''", "'")
        elif quoted := _DOUBLE_QUOTED.fullmatch(value):
            data[key] = quoted.group(1)
        elif (
            value[0].isalpha()
            and value.lower() not in _NOT_STRINGS
            and not _PLAIN_AVOID.intersection(value)
        ):
            data[key] = value
        else:
            return None
    return data or None


@cache
def _front_matter_loader() -> type[Any]:
    """PyYAML's safe loader, reading dates and times as the text written.

    A date is shown and cited as written, so nothing is lost; and PyYAML's own
    constructors raise ValueError on impossible ones (``2024-02-30``,
    ``0000-01-01``, ``25:61:61``) and on integers longer than Python converts
    (4,300 digits), which would stop the essay from opening.
    """
    import yaml

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def scalar_text(loader: Any, node: Any) -> Any:
        return loader.construct_scalar(node)

    def integer(loader: Any, node: Any) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    class Loader(base):  # type: ignore[misc]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", scalar_text)
    Loader.add_constructor("tag:yaml.org,2002:int", integer)
    return Loader


def split_front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """Split off YAML front matter: `(data, body, warnings)`."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text, []
    body = text[match.end() :]
    raw = match.group(1) or ""
    plain = plain_mapping(raw)
    if plain is not None:
        return plain, body, []
    import yaml  # ~15 ms to import: only for front matter that needs it

    try:
        data = yaml.load(raw, Loader=_front_matter_loader())
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        problem = getattr(error, "problem", None) or "cannot be read"
        return {}, body, [f"front matter ignored: not valid YAML: {problem}{line}"]
    except RecursionError:
        return {}, body, ["front matter ignored: nested too deeply"]
    except (ValueError, OverflowError) as error:  # a constructor PyYAML did not guard
        return {}, body, [f"front matter ignored: a value cannot be read: {error}"]
    if data is None:
        return {}, body, []
    if not isinstance(data, dict):
        # "---", a line of prose, "---" is Markdown (a rule and a heading), not
        # front matter: keep it as text
        return {}, text, []
    return data, body, []


def _meta_text(value: object) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, list):
        items = [str(item) for item in value if isinstance(item, str | int | float)]
        return sanitize(", ".join(items)).strip() if items else None
    return sanitize(str(value)).strip()


def _one_line(text: str | None) -> str:
    """`text` (a block scalar, maybe) with its lines joined by single spaces."""
    if not text:
        return ""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True, slots=True)
class EssayFields:
    """What the front matter (or its fallbacks) says of an essay as a whole."""

    id: str
    title: str
    author: str
    meta: dict[str, str]


def essay_fields(data: dict[str, Any], heading: str | None, path: str | None) -> EssayFields:
    """The id, title, author and other metadata of an essay with front matter `data`.

    The title (on one line, however the YAML wrote it: a block scalar is read whole)
    falls back to `heading` (the converter's `title_heading`: the first level-1
    heading, else the first that is not "Contents" or "Summary"), then the file name
    at `path`, then "Untitled"; the id to a hash of title and author
    (`identity.title_hash`).
    """
    title = _one_line(_meta_text(data.get("title"))) or heading
    if not title and path:
        title = sanitize_inline(PurePath(path).stem)
    title = title or "Untitled"
    author = _one_line(_meta_text(data.get("author")))
    identifier = _meta_text(data.get("id")) or title_hash(title, author)
    meta: dict[str, str] = {}
    for key, value in data.items():
        name = sanitize_inline(str(key))
        if name in _OWN_KEYS:
            continue
        value_text = _meta_text(value)
        if value_text is not None:
            meta[name] = value_text
    return EssayFields(identifier, title, author, meta)
