"""The essay and its sources as references: read from the front matter and the footnotes.

Front-matter keys read (all optional; what is missing is left out, never guessed):

    author     one name ("Dean Chen", "Chen, Dean") or a list of names
    title      the essay's title
    series     the series it belongs to ("Part 5")
    part       its number in that series (2)
    translator, editor, illustrator
               who translated, edited or illustrated it (names as `author`)
    isbn       its ISBN
    site       the website or blog it was published on
    publisher  who published it
    date       when it was published: 2016, 2016-04 or 2016-04-17
    url        where it was published
    accessed   when it was read there (same forms as date)
    type       what it is: blog post, web page, article, journal article, newspaper
               article, magazine article, book, chapter, report, thesis (or a CSL type)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from essaytui.model.essay import Essay

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
    translators: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    illustrators: tuple[Person, ...] = ()
    series: str = ""
    number: str = ""
    isbn: str = ""
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
        translators=parse_people(meta.get("translator", "")),
        editors=parse_people(meta.get("editor", "")),
        illustrators=parse_people(meta.get("illustrator", "")),
        series=meta.get("series", "").strip(),
        number=meta.get("part", "").strip(),
        isbn=meta.get("isbn", "").strip(),
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


@dataclass(frozen=True, slots=True)
class TextField:
    """A text field of a reference, with its name in CSL-JSON and in front matter
    ("" where front matter has no such key)."""

    value: Callable[[Reference], str]
    csl: str
    front_matter: str


#: The text fields after the title and the authors, in the order every format writes
#: them: the one table CSL-JSON and front matter both read.
TEXT_FIELDS = (
    TextField(lambda r: r.series, "collection-title", "series"),
    TextField(lambda r: r.number, "collection-number", "part"),
    TextField(lambda r: r.isbn, "ISBN", "isbn"),
    TextField(lambda r: r.container, "container-title", "site"),
    TextField(lambda r: r.publisher, "publisher", "publisher"),
    TextField(lambda r: r.url, "URL", "url"),
    TextField(lambda r: r.note, "note", ""),
)


@dataclass(frozen=True, slots=True)
class PeopleField:
    """The people of a reference in one role after its authors, with the role's name in
    CSL-JSON and in front matter (BibTeX and biblatex use the front matter's)."""

    value: Callable[[Reference], tuple[Person, ...]]
    csl: str
    front_matter: str


#: The roles besides the authors, in the order every format writes them.
PEOPLE_FIELDS = (
    PeopleField(lambda r: r.editors, "editor", "editor"),
    PeopleField(lambda r: r.translators, "translator", "translator"),
    PeopleField(lambda r: r.illustrators, "illustrator", "illustrator"),
)


@dataclass(frozen=True, slots=True)
class DateField:
    """A date of a reference, with its name in CSL-JSON and in front matter."""

    value: Callable[[Reference], tuple[int, ...]]
    csl: str
    front_matter: str


#: The dates, after the text fields: when it was published, and when it was read.
DATE_FIELDS = (
    DateField(lambda r: r.issued, "issued", "date"),
    DateField(lambda r: r.accessed, "accessed", "accessed"),
)
