"""An EPUB's XHTML documents as plain element trees.

A document is read as XML first (an EPUB's chapters are XHTML); one that is not
well-formed — named HTML entities without their DTD, unclosed tags — is read again by
libxml2's forgiving HTML parser, as a browser would. Either way the tree comes back with
plain tag names (``p``, not ``{http://www.w3.org/1999/xhtml}p``) and the EPUB
vocabulary's ``epub:type`` attribute as ``epub-type``, so the page converter's code
reads it as it reads a web page.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

#: ``epub:type`` as documents carry it once parsed.
EPUB_TYPE = "epub-type"

_OPS_NAMESPACE = "{http://www.idpf.org/2007/ops}"

_XHTML_NAMESPACE = re.compile(rb"""\sxmlns\s*=\s*["']http://www\.w3\.org/1999/xhtml["']""")

#: Characters the converter uses as placeholders (U+E000-U+E004): a book's own are
#: removed before anything else.
_PRIVATE_MARKS = dict.fromkeys(range(0xE000, 0xE005))


def parse_document(data: bytes) -> Any:
    """The root element of an XHTML document (never None: an unreadable one is empty)."""
    from lxml import etree, html

    if b"\xee\x80" in data:  # UTF-8 of U+E000-U+E03F: cheaper to check than to translate
        data = data.decode("utf-8", "replace").translate(_PRIVATE_MARKS).encode("utf-8")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
        remove_comments=True, remove_pis=True,
    )  # fmt: skip
    # Renaming every element after the parse cost ~20 ms a 400 KB document: the XHTML
    # namespace and the epub: prefix are taken out of the markup instead, and only what
    # is still namespaced (another spelling of them) is renamed.
    plain = _XHTML_NAMESPACE.sub(b"", data, count=1).replace(b" epub:type=", b" epub-type=")
    try:
        root = etree.fromstring(plain, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is not None:
        if _namespaced(root):
            _plain_names(root)
        return root
    from essaytui.model.html import lxml_markup

    text = lxml_markup(_decoded(data))
    lenient = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=True, encoding="utf-8"
    )
    try:
        root = html.document_fromstring(text.encode("utf-8", "replace"), parser=lenient)
    except (etree.ParserError, ValueError):
        return html.Element("html")
    for element in root.iter():
        value = element.attrib.pop("epub:type", None)
        if value is not None:
            element.set(EPUB_TYPE, value)
    return root


def _namespaced(root: Any) -> bool:
    """Whether the tree still has a namespaced element or attribute where one is likely
    (the root, its body, the body's first descendants)."""
    body = next(root.iter("{*}body"), root)
    for element in (root, body):
        for node in itertools.islice(element.iter(), 50):
            tag = node.tag
            if isinstance(tag, str) and (tag[:1] == "{" or any(k[:1] == "{" for k in node.attrib)):
                return True
    return False


def _decoded(data: bytes) -> str:
    from essaytui.model.html import declared_charset

    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data[:4096])
    if declared:
        try:
            return data.decode(declared, "replace")
        except LookupError:
            pass
    return data.decode("cp1252", "replace")


def _plain_names(root: Any) -> None:
    """Namespaced names → local ones; ``epub:type`` → ``epub-type``; other namespaced
    attributes (``xml:lang``) dropped."""
    from lxml import etree

    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag[:1] == "{":
            element.tag = tag.rpartition("}")[2]
        attributes = element.attrib
        if not attributes:
            continue
        for name in [key for key in attributes if key[:1] == "{"]:
            value = attributes.pop(name)
            if name.startswith(_OPS_NAMESPACE) and name.endswith("}type"):
                attributes[EPUB_TYPE] = value
    etree.cleanup_namespaces(root)


def epub_types(element: Any) -> list[str]:
    """The ``epub:type`` words of `element` (without vocabulary prefixes)."""
    return [word.rpartition(":")[2] for word in str(element.get(EPUB_TYPE, "")).split()]
