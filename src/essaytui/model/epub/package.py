"""An EPUB's package: ``META-INF/container.xml`` → the OPF → metadata, manifest, spine,
and the table of contents (the EPUB 3 ``nav`` document, else the EPUB 2 NCX).

XML is parsed by lxml with entities left unresolved, no DTD and no network; a package
file that is not well-formed is read again in libxml2's recovery mode before it is
given up on.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from essaytui.model.epub.archive import Archive, resolve
from essaytui.model.epub.errors import BookError, EncryptedBook, MemberError

#: Encryption algorithms that only obfuscate embedded fonts (IDPF and Adobe): a book
#: using them is not DRM-protected.
FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)

#: The largest package, container, nav or NCX file read.
MAX_PACKAGE_BYTES = 8 * 1024 * 1024

#: Table-of-contents entries kept at most.
MAX_TOC_ENTRIES = 20_000

#: How deep a table of contents nests at most (deeper entries take this level).
MAX_TOC_DEPTH = 6

#: MARC relator codes and the front-matter key each contributor goes under.
ROLES = {
    "aut": "author",
    "trl": "translator",
    "edt": "editor",
    "ill": "illustrator",
    "aui": "introduction",
    "win": "introduction",
    "wpr": "preface",
    "ann": "annotator",
    "com": "compiler",
    "nrt": "narrator",
}

XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/xml", "text/xml"})


@dataclass(frozen=True)
class TocEntry:
    """One entry of the book's table of contents.

    Attributes:
        title: what the entry says.
        level: 1 for the outermost entries.
        member: the document it points into.
        fragment: the id inside that document ("" for its start).
    """

    title: str
    level: int
    member: str
    fragment: str = ""


@dataclass(frozen=True)
class SpineItem:
    """A document of the reading order."""

    member: str
    media_type: str
    linear: bool = True
    properties: str = ""


@dataclass
class Package:
    """What the OPF says about the book."""

    opf: str
    identifier: str = ""
    title: str = ""
    people: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    spine: list[SpineItem] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    cover_image: str = ""
    cover_documents: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def read_package(archive: Archive) -> Package:
    """The book's package, after checking it is not encrypted.

    Raises:
        EncryptedBook: its text is encrypted (DRM).
        BookError: no package, or one that cannot be read.
    """
    _check_encryption(archive)
    opf = _package_name(archive)
    root = _xml(archive, opf, "its package file")
    if root is None or _local(root.tag) != "package":
        raise BookError(f"{archive.name}: its package file ({opf}) cannot be read")
    package = Package(opf=opf)
    manifest = _manifest(root, opf)
    _metadata(root, package, manifest)
    _spine(root, package, manifest, archive)
    package.toc = _toc(archive, root, manifest, package)
    return package


def _check_encryption(archive: Archive) -> None:
    if "META-INF/encryption.xml" not in archive:
        return
    root = _xml(archive, "META-INF/encryption.xml", "")
    if root is None:
        # unreadable: the content may or may not be encrypted; the chapters tell
        return
    for data in root.iter():
        if _local(data.tag) != "EncryptedData":
            continue
        method = next((e for e in data.iter() if _local(e.tag) == "EncryptionMethod"), None)
        algorithm = method.get("Algorithm", "") if method is not None else ""
        if algorithm not in FONT_OBFUSCATION:
            raise EncryptedBook(f"{archive.name}: encrypted (DRM): essaytui can't read it")


def _package_name(archive: Archive) -> str:
    root = _xml(archive, "META-INF/container.xml", "")
    if root is not None:
        for element in root.iter():
            if _local(element.tag) == "rootfile":
                path = resolve("", element.get("full-path", ""))
                if path and path in archive:
                    return path
    # no container (or it names nothing there): the one package file, if there is one
    found = [name for name in archive.names() if name.lower().endswith(".opf")]
    if len(found) == 1:
        return found[0]
    raise BookError(f"{archive.name}: is not an EPUB (it has no package file)")


def _xml(archive: Archive, member: str, what: str) -> Any:
    """The root of XML member `member`, or None; a member that is there but cannot be
    read at all raises `BookError` when `what` names it."""
    from lxml import etree

    try:
        data = archive.read(member, MAX_PACKAGE_BYTES)
    except MemberError as error:
        if what and member in archive:
            raise BookError(f"{archive.name}: {what} ({member}) {error}") from None
        return None
    for recover in (False, True):
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, recover=recover,
            remove_comments=True, remove_pis=True,
        )  # fmt: skip
        try:
            root = etree.fromstring(data, parser=parser)
        except (etree.XMLSyntaxError, ValueError):
            continue
        if root is not None:
            return root
    return None


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _text(element: Any) -> str:
    # joined as written: "<span>Section</span> <span>I</span>: …" is "Section I: …"
    return " ".join("".join(element.itertext()).split())


def _manifest(root: Any, opf: str) -> dict[str, tuple[str, str, str]]:
    """id → (member, media type, properties)."""
    items: dict[str, tuple[str, str, str]] = {}
    for element in root.iter():
        if _local(element.tag) != "item":
            continue
        member = resolve(opf, element.get("href", ""))
        identifier = element.get("id", "")
        if member and identifier and identifier not in items:
            items[identifier] = (
                member,
                element.get("media-type", "").strip().lower(),
                element.get("properties", ""),
            )
    return items


def _metadata(root: Any, package: Package, manifest: dict[str, tuple[str, str, str]]) -> None:
    metadata = next((e for e in root if _local(e.tag) == "metadata"), None)
    if metadata is None:
        package.warnings.append("the book's package has no metadata")
        return
    refines = _refinements(metadata)
    roles = _roles(metadata)
    unique = root.get("unique-identifier", "")
    identifiers: list[tuple[str, str]] = []
    titles: list[tuple[str, str]] = []
    for element in metadata.iter():
        name = _local(element.tag)
        value = _text(element)
        if not value:
            continue
        own = element.get("id", "")
        if name == "identifier":
            identifiers.append((own, value))
            isbn = _isbn(element, value)
            if isbn and "isbn" not in package.meta:
                package.meta["isbn"] = isbn
        elif name == "title":
            titles.append((refines.get((own, "title-type"), ""), value))
        elif name in ("creator", "contributor"):
            for role in _shown_roles(element, roles.get(own, []), name):
                package.people.setdefault(role, []).append(value)
        elif name in ("date", "publisher", "language") and name not in package.meta:
            package.meta[name] = value
        elif name == "meta":
            _meta_element(element, value, package, refines)
    _calibre_series(metadata, package)
    package.identifier = next(
        (value for own, value in identifiers if own == unique),
        identifiers[0][1] if identifiers else "",
    )
    main = [value for kind, value in titles if kind == "main"]
    package.title = (main or [value for _, value in titles] or [""])[0]
    cover = _cover_image(metadata, manifest)
    package.cover_image = cover
    if package.identifier:
        package.meta["identifier"] = package.identifier


def _isbn(element: Any, value: str) -> str:
    """The ISBN an identifier states (EPUB 3 ``urn:isbn:…``, EPUB 2 ``opf:scheme="ISBN"``),
    or ""."""
    scheme = next((v for k, v in element.attrib.items() if _local(k) == "scheme"), "")
    lowered = value.lower()
    if lowered.startswith("urn:isbn:"):
        value = value[len("urn:isbn:") :]
    elif lowered.startswith("isbn:"):
        value = value[len("isbn:") :]
    elif scheme.strip().upper() != "ISBN":
        return ""
    digits = "".join(char for char in value if char.isdigit() or char in "Xx")
    return value.strip() if len(digits) in (10, 13) else ""


def _refinements(metadata: Any) -> dict[tuple[str, str], str]:
    """(id, property) → value of the EPUB 3 ``<meta refines="#id" property=…>``."""
    found: dict[tuple[str, str], str] = {}
    for element in metadata.iter():
        if _local(element.tag) != "meta":
            continue
        target = element.get("refines", "")
        prop = element.get("property", "")
        if target.startswith("#") and prop:
            found.setdefault((target[1:], prop), _text(element))
    return found


def _roles(metadata: Any) -> dict[str, list[str]]:
    """id → the role codes refining it, in order: a person may have several (Standard
    Ebooks give an author who also wrote the notes ``ann`` then ``aut``)."""
    found: dict[str, list[str]] = {}
    for element in metadata.iter():
        target = element.get("refines", "")
        role = _local(element.tag) == "meta" and element.get("property") == "role"
        if role and target.startswith("#"):
            found.setdefault(target[1:], []).append(_text(element).strip().lower())
    return found


def _shown_roles(element: Any, refined: list[str], kind: str) -> list[str]:
    """The front-matter keys of a creator or contributor (none for those not shown).

    An author is the author only: Standard Ebooks give one who also wrote the notes
    ``ann`` then ``aut``, and "annotated by" their own author says nothing. Anyone else
    counts in every role shown: Pepys's editor Henry B. Wheatley is ``ann``, ``edt`` and
    ``trc``, and taking only his first role lost the book's editor from its citation.
    """
    codes = [code for code in refined if code]
    if not codes:
        attribute = next((v for k, v in element.attrib.items() if _local(k) == "role"), "")
        codes = [attribute.strip().lower()] if attribute.strip() else []
    if not codes:
        return ["author"] if kind == "creator" else []
    if "aut" in codes:
        return ["author"]
    return list(dict.fromkeys(ROLES[code] for code in codes if ROLES.get(code)))


def _meta_element(
    element: Any, value: str, package: Package, refines: dict[tuple[str, str], str]
) -> None:
    prop = element.get("property", "")
    if prop != "belongs-to-collection" or "series" in package.meta:
        return
    own = element.get("id", "")
    if refines.get((own, "collection-type"), "").strip().lower() == "set":
        # a multi-volume set (EPUB 3's other collection type: Standard Ebooks name the
        # "Great Books of the Western World" so) is no series the book is a part of
        return
    package.meta["series"] = value
    position = refines.get((own, "group-position"), "")
    if position:
        package.meta["part"] = position


def _calibre_series(metadata: Any, package: Package) -> None:
    """EPUB 2 books made by calibre keep their series in ``<meta name="calibre:series">``."""
    for element in metadata.iter():
        if _local(element.tag) != "meta":
            continue
        name, content = element.get("name", ""), " ".join(element.get("content", "").split())
        if name == "calibre:series" and content and "series" not in package.meta:
            package.meta["series"] = content
        elif name == "calibre:series_index" and content and "part" not in package.meta:
            package.meta["part"] = content.removesuffix(".0")


def _cover_image(metadata: Any, manifest: dict[str, tuple[str, str, str]]) -> str:
    for member, _, properties in manifest.values():
        if "cover-image" in properties.split():
            return member
    for element in metadata.iter():
        if _local(element.tag) == "meta" and element.get("name") == "cover":
            item = manifest.get(element.get("content", ""))
            if item is not None and item[1].startswith("image/"):
                return item[0]
    return ""


def _spine(
    root: Any, package: Package, manifest: dict[str, tuple[str, str, str]], archive: Archive
) -> None:
    spine = next((e for e in root if _local(e.tag) == "spine"), None)
    if spine is None:
        raise BookError(f"{archive.name}: its package file has no reading order (spine)")
    missing: list[str] = []
    seen: set[str] = set()
    for element in spine:
        if _local(element.tag) != "itemref":
            continue
        idref = element.get("idref", "")
        item = manifest.get(idref)
        if item is None or item[0] not in archive:
            # named by its file, or by its id when the manifest does not list it
            missing.append(member_title(item[0]) if item is not None else idref or "?")
            continue
        member, media_type, properties = item
        if member in seen or (media_type and media_type not in XHTML_TYPES):
            continue
        seen.add(member)
        linear = element.get("linear", "yes").strip().lower() != "no"
        package.spine.append(SpineItem(member, media_type, linear, properties))
    if missing:
        package.warnings.append(_missing_warning(missing))
    guide = next((e for e in root if _local(e.tag) == "guide"), None)
    if guide is not None:
        for reference in guide:
            if reference.get("type", "").lower() == "cover":
                cover = resolve(package.opf, reference.get("href", ""))
                if cover:
                    package.cover_documents.add(cover)


#: Missing documents named in the warning at most (the rest are counted).
MAX_MISSING_NAMED = 3


def _missing_warning(missing: list[str]) -> str:
    """ "1 document of the reading order is missing from the book: ch2.xhtml"; several
    are named up to `MAX_MISSING_NAMED`, then "and N more"."""
    from essaytui.model.text import sanitize_inline

    count = len(missing)
    named = ", ".join(sanitize_inline(name)[:80] for name in missing[:MAX_MISSING_NAMED])
    rest = count - MAX_MISSING_NAMED
    more = f" and {rest} more" if rest > 0 else ""
    many = count != 1
    return (
        f"{count} document{'s' if many else ''} of the reading order "
        f"{'are' if many else 'is'} missing from the book: {named}{more}"
    )


def _toc(
    archive: Archive, root: Any, manifest: dict[str, tuple[str, str, str]], package: Package
) -> list[TocEntry]:
    nav = next((m for m, _, props in manifest.values() if "nav" in props.split()), None)
    if nav is not None:
        entries = _nav_entries(archive, nav)
        if entries:
            return entries
    spine = next((e for e in root if _local(e.tag) == "spine"), None)
    ncx_id = spine.get("toc", "") if spine is not None else ""
    ncx = manifest.get(ncx_id, ("", "", ""))[0] or next(
        (m for m, kind, _ in manifest.values() if kind == "application/x-dtbncx+xml"), ""
    )
    if ncx:
        return _ncx_entries(archive, ncx)
    return []


def _nav_entries(archive: Archive, member: str) -> list[TocEntry]:
    """The entries of the EPUB 3 navigation document's ``toc`` nav, nested as it nests."""
    from essaytui.model.epub.documents import parse_document

    try:
        root = parse_document(archive.read(member, MAX_PACKAGE_BYTES))
    except MemberError:
        return []
    navs = [e for e in root.iter("nav")]
    toc = next((n for n in navs if "toc" in n.get("epub:type", "").split()), None)
    if toc is None:
        toc = navs[0] if navs else None
    if toc is None:
        return []
    entries: list[TocEntry] = []
    top = next(toc.iter("ol", "ul"), None)
    if top is not None:
        _walk_list(top, member, 1, entries)
    return entries


def _walk_list(element: Any, base: str, level: int, entries: list[TocEntry]) -> None:
    for item in element:
        if item.tag != "li" or len(entries) >= MAX_TOC_ENTRIES:
            continue
        label = next((c for c in item if c.tag in ("a", "span")), None)
        if label is not None:
            href = label.get("href", "")
            member = resolve(base, href) if href else None
            title = _text(label)
            if member and title:
                fragment = href.partition("#")[2]
                entries.append(TocEntry(title, min(level, MAX_TOC_DEPTH), member, fragment))
        for child in item:
            if child.tag in ("ol", "ul"):
                _walk_list(child, base, level + 1, entries)


def _ncx_entries(archive: Archive, member: str) -> list[TocEntry]:
    """The navMap of an EPUB 2 NCX, nested as it nests."""
    root = _xml(archive, member, "")
    if root is None:
        return []
    nav_map = next((e for e in root.iter() if _local(e.tag) == "navMap"), None)
    entries: list[TocEntry] = []
    if nav_map is not None:
        _walk_points(nav_map, member, 1, entries)
    return entries


def _walk_points(element: Any, base: str, level: int, entries: list[TocEntry]) -> None:
    for point in element:
        if _local(point.tag) != "navPoint" or len(entries) >= MAX_TOC_ENTRIES:
            continue
        label = next((c for c in point if _local(c.tag) == "navLabel"), None)
        content = next((c for c in point if _local(c.tag) == "content"), None)
        title = _text(label) if label is not None else ""
        src = content.get("src", "") if content is not None else ""
        target = resolve(base, src) if src else None
        if target and title:
            fragment = src.partition("#")[2]
            entries.append(TocEntry(title, min(level, MAX_TOC_DEPTH), target, fragment))
        _walk_points(point, base, level + 1, entries)


def member_title(member: str) -> str:
    """A document's name for messages: its file name."""
    return posixpath.basename(member) or member
