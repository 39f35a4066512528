"""References written for reference managers: CSL-JSON, BibTeX and RIS, and as YAML
front matter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from essaytui.interchange.citation.reference import (
    DATE_FIELDS,
    PEOPLE_FIELDS,
    TEXT_FIELDS,
    Person,
    Reference,
    safe_key,
)

# -- CSL-JSON, BibTeX, RIS -------------------------------------------------------------------


def _date_parts(parts: Sequence[int]) -> dict[str, object]:
    return {"date-parts": [list(parts)]}


def _csl_names(people: Sequence[Person]) -> list[dict[str, str]]:
    return [
        {"literal": p.literal}
        if p.literal
        else {"family": p.family, **({"given": p.given} if p.given else {})}
        for p in people
    ]


def to_csl_json(reference: Reference) -> dict[str, object]:
    """One CSL-JSON item (csl-data.json): only the fields the reference has."""
    item: dict[str, object] = {"id": reference.id, "type": reference.type}
    if reference.title:
        item["title"] = reference.title
    if reference.authors:
        item["author"] = _csl_names(reference.authors)
    for role in PEOPLE_FIELDS:
        if people := role.value(reference):
            item[role.csl] = _csl_names(people)
    for text in TEXT_FIELDS:
        if value := text.value(reference):
            item[text.csl] = value
    for when in DATE_FIELDS:
        if parts := when.value(reference):
            item[when.csl] = _date_parts(parts)
    return item


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    # BibTeX counts every brace, escaped or not, to find where a value ends: "\}" would
    # end it early. These commands keep the braces of a value balanced.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
    "thesis": "phdthesis",
}
_HOW_PUBLISHED = {"post-weblog": "Blog post", "webpage": "Web page", "post": "Online post"}


def bibtex_escape(text: str) -> str:
    """`text` on one line with LaTeX's special characters escaped (Unicode is left to the
    engine): nothing in it can end its field or its entry."""
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in one_line(text))


def one_line(text: str) -> str:
    """`text` with every run of white space (newlines too) one space: a field on one
    line, so a value can never start a line of its own (a RIS tag, a BibTeX entry)."""
    return " ".join(text.split())


#: Characters percent-encoded in a BibTeX `url`: braces and backslashes would end or
#: escape the field, white space and controls have no place in an address. `%` and `#`
#: are kept: they belong to addresses, and `url` is a verbatim field (biblatex, `\url`).
_URL_UNSAFE = re.compile(r'[{}\\\s"<>^`|\x00-\x1f\x7f-\x9f]')


def bibtex_url(url: str) -> str:
    """`url` as a BibTeX `url` field may hold it (see `_URL_UNSAFE`)."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def _bibtex_title(title: str) -> str:
    """The title escaped, capitalised words after the first protected by braces (BibTeX
    styles lower-case titles: "China" must stay "China")."""
    escaped = bibtex_escape(title)
    first = re.search(r"\w", escaped)
    skip = first.start() if first else 0

    def protect(match: re.Match[str]) -> str:
        word = match.group(0)
        return f"{{{word}}}" if match.start() > skip and any(c.isupper() for c in word) else word

    return re.sub(r"(?<![\\\w])\w[\w’'-]*", protect, escaped)


def _iso(parts: Sequence[int]) -> str:
    return "-".join(f"{part:02d}" if index else str(part) for index, part in enumerate(parts))


def _bibtex_names(people: Sequence[Person]) -> str:
    # a name taken as it is stays one name: braced, BibTeX never splits it
    return " and ".join(
        f"{{{bibtex_escape(p.literal)}}}" if p.literal else bibtex_escape(p.sort_form())
        for p in people
    )


def to_bibtex(references: Iterable[Reference]) -> str:
    """The references as BibTeX entries (read by BibTeX, biblatex, Zotero and JabRef)."""
    entries: list[str] = []
    for ref in references:
        fields: list[tuple[str, str]] = []
        if ref.authors:
            fields.append(("author", _bibtex_names(ref.authors)))
        for role in PEOPLE_FIELDS:
            if people := role.value(ref):
                fields.append((role.front_matter, _bibtex_names(people)))
        if ref.title:
            fields.append(("title", _bibtex_title(ref.title)))
        kind = _BIBTEX_TYPES.get(ref.type, "misc")
        if ref.container:
            container_field = {"article": "journal", "incollection": "booktitle"}.get(
                kind, "howpublished"
            )
            fields.append((container_field, bibtex_escape(ref.container)))
        elif ref.type in _HOW_PUBLISHED and kind == "misc":
            fields.append(("howpublished", _HOW_PUBLISHED[ref.type]))
        if ref.series:
            fields.append(("series", bibtex_escape(ref.series)))
        if ref.number:
            fields.append(("number", bibtex_escape(ref.number)))
        if ref.publisher:
            fields.append(("publisher", bibtex_escape(ref.publisher)))
        if ref.issued:
            fields.append(("year", str(ref.issued[0])))
            fields.append(("date", _iso(ref.issued)))
        if ref.isbn:
            fields.append(("isbn", bibtex_escape(ref.isbn)))
        if ref.url:
            fields.append(("url", bibtex_url(ref.url.strip())))
        if ref.accessed:
            fields.append(("urldate", _iso(ref.accessed)))
        if ref.note:
            fields.append(("note", bibtex_escape(ref.note)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{safe_key(ref.id)},\n{body}\n}}\n")
    return "\n".join(entries)


_RIS_TYPES = {
    "post-weblog": "BLOG",
    "webpage": "ELEC",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "report": "RPRT",
    "thesis": "THES",
    "speech": "SOUND",
}


def _ris_date(parts: Sequence[int]) -> str:
    padded = [str(parts[0]), *(f"{part:02d}" for part in parts[1:])]
    return "/".join(padded + [""] * (3 - len(parts))) + "/"


def to_ris(references: Iterable[Reference]) -> str:
    """The references as RIS records (EndNote, Zotero, Mendeley), one line per field:
    a value's newlines are folded, so it can never start a tag or end a record."""
    lines: list[str] = []
    for ref in references:
        lines.append(f"TY  - {_RIS_TYPES.get(ref.type, 'GEN')}")
        lines.extend(f"AU  - {one_line(person.sort_form())}" for person in ref.authors)
        # RIS has editors (ED) and, in EndNote's and Zotero's reading, translators as the
        # subsidiary authors (A4); it has no tag for illustrators
        lines.extend(f"ED  - {one_line(person.sort_form())}" for person in ref.editors)
        lines.extend(f"A4  - {one_line(person.sort_form())}" for person in ref.translators)
        for tag, value in (
            ("TI", ref.title),
            ("T2", ref.container),
            ("T3", ref.series),
            ("PB", ref.publisher),
        ):
            if value.strip():
                lines.append(f"{tag}  - {one_line(value)}")
        if ref.number.strip():
            # the number in its series: RIS has no tag of its own for it; its volume
            # (VL) is what Zotero and EndNote read a part of a set as
            lines.append(f"VL  - {one_line(ref.number)}")
        if ref.issued:
            lines.append(f"PY  - {ref.issued[0]}")
            lines.append(f"DA  - {_ris_date(ref.issued)}")
        if ref.isbn.strip():
            lines.append(f"SN  - {one_line(ref.isbn)}")
        if ref.url.strip():
            lines.append(f"UR  - {one_line(ref.url)}")
        if ref.accessed:
            lines.append(f"Y2  - {_ris_date(ref.accessed)}")
        if ref.note.strip():
            lines.append(f"N1  - {one_line(ref.note)}")
        lines.append(f"ID  - {safe_key(ref.id)}")
        lines.append("ER  - ")
        lines.append("")
    return "\n".join(lines)


def describe(reference: Reference) -> dict[str, Any]:
    """The reference's fields for YAML front matter (only those it has)."""
    found: dict[str, Any] = {}
    if reference.authors:
        names = [p.literal or (f"{p.given} {p.family}".strip()) for p in reference.authors]
        found["author"] = names[0] if len(names) == 1 else names
    if reference.title:
        found["title"] = reference.title
    for role in PEOPLE_FIELDS:
        if people := role.value(reference):
            found[role.front_matter] = ", ".join(
                p.literal or f"{p.given} {p.family}".strip() for p in people
            )
    for text in TEXT_FIELDS:
        if text.front_matter and (value := text.value(reference)):
            found[text.front_matter] = value
    for when in DATE_FIELDS:
        if parts := when.value(reference):
            found[when.front_matter] = _iso(parts)
    return found
