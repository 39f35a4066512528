# ruff: noqa: E501
"""EPUB books for the tests, written with zipfile.

- `epub3_book`: a small EPUB 3 with a nav document (nested), a cover page, endnotes
  marked with ``epub:type`` (a note referenced twice), a footnote ``aside``, an image.
- `epub2_book`: an EPUB 2 with an NCX, notes found by plain links to a notes chapter.
- `standard_ebook`: modelled on a Standard Ebooks release (David Hume's *An Enquiry
  Concerning the Principles of Morals*, public domain): its ``content.opf``, ``toc.xhtml``,
  ``titlepage``/``imprint``/``colophon`` pages, chapters with ``hgroup`` headings and
  ``noteref`` links, and ``endnotes.xhtml`` with ``epub:type="backlink"`` arrows; the text
  is cut short.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>{title}</title></head>
<body{body_attributes}>
{body}
</body>
</html>
"""


def page(body: str, title: str = "Page", body_attributes: str = "") -> str:
    """An XHTML document around `body`."""
    return XHTML.format(title=title, body=body, body_attributes=body_attributes)


def write_epub(
    path: Path,
    files: dict[str, str | bytes],
    *,
    opf: str = "OEBPS/content.opf",
    container: bool = True,
) -> Path:
    """Write an EPUB: the ``mimetype`` first and stored, the container, then `files`."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED
        )
        if container:
            archive.writestr("META-INF/container.xml", CONTAINER.format(opf=opf))
        for name, content in files.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def opf3(
    items: list[tuple[str, str, str, str]],
    spine: list[str],
    *,
    metadata: str = "",
    identifier: str = "urn:uuid:0b0c5c1e-1111-4222-8333-444455556666",
) -> str:
    """An EPUB 3 package: `items` are (id, href, media type, properties)."""
    manifest = "\n".join(
        f'<item id="{i}" href="{h}" media-type="{m}"' + (f' properties="{p}"' if p else "") + "/>"
        for i, h, m, p in items
    )
    refs = "\n".join(f'<itemref idref="{idref}"/>' for idref in spine)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">{identifier}</dc:identifier>
{metadata}
</metadata>
<manifest>
{manifest}
</manifest>
<spine>
{refs}
</spine>
</package>
"""


XHTML_TYPE = "application/xhtml+xml"

EPUB3_METADATA = """
<dc:title id="t">The Lighthouse Keeper</dc:title>
<dc:creator id="a1">Ada Marsh</dc:creator>
<meta refines="#a1" property="role" scheme="marc:relators">aut</meta>
<dc:creator id="a2">Ben Ortiz</dc:creator>
<meta refines="#a2" property="role" scheme="marc:relators">aut</meta>
<dc:contributor id="t1">Clara Dunn</dc:contributor>
<meta refines="#t1" property="role" scheme="marc:relators">trl</meta>
<dc:date>1911-03-04</dc:date>
<dc:publisher>Harbour Press</dc:publisher>
<dc:language>en</dc:language>
<meta property="belongs-to-collection" id="c1">Tales of the Coast</meta>
<meta refines="#c1" property="group-position">2</meta>
"""

NAV = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Contents</title></head>
<body>
<nav epub:type="toc"><h1>Contents</h1>
<ol>
  <li><a href="text/part-1.xhtml">Part One: The Shore</a>
    <ol>
      <li><a href="text/chapter-1.xhtml">Chapter 1. Arrival</a></li>
      <li><a href="text/chapter-2.xhtml">Chapter 2. The Lamp</a>
        <ol><li><a href="text/chapter-2.xhtml#storm">The storm</a></li></ol>
      </li>
    </ol>
  </li>
  <li><a href="text/endnotes.xhtml">Notes</a></li>
</ol>
</nav>
<nav epub:type="landmarks"><ol><li><a epub:type="bodymatter" href="text/chapter-1.xhtml">Start</a></li></ol></nav>
</body>
</html>
"""

CHAPTER_1 = """<section epub:type="chapter" id="chapter-1">
<h2>Chapter 1. Arrival</h2>
<p>The keeper came to the island in March, when the gulls were loud.<a href="endnotes.xhtml#note-1" id="noteref-1" epub:type="noteref">1</a> He carried one trunk and a lamp.</p>
<p><img src="../images/map.png" alt="A map of the island"/></p>
<p>Nobody met him at the jetty.<a href="endnotes.xhtml#note-2" id="noteref-2" epub:type="noteref">2</a></p>
<p>He had been warned about <a href="chapter-2.xhtml#storm">the storms</a> and <a href="https://example.org/coast">the coast</a>.</p>
</section>"""

CHAPTER_2 = """<section epub:type="chapter" id="chapter-2">
<h2>Chapter 2. The Lamp</h2>
<p>The lamp needed oil every evening, as the manual said.<a href="endnotes.xhtml#note-1" id="noteref-3" epub:type="noteref">1</a></p>
<p>He read the manual twice.<a href="#fn-a" epub:type="noteref" role="doc-noteref">*</a></p>
<aside id="fn-a" epub:type="footnote" role="doc-footnote"><p>The manual survives in the harbour museum.</p></aside>
<h3 id="storm">The storm</h3>
<p>In the third week the storm came in from the west and stayed for two days.</p>
</section>"""

ENDNOTES = """<section epub:type="endnotes" id="endnotes">
<h2>Notes</h2>
<ol>
<li id="note-1" epub:type="endnote"><p>Gulls nest on the cliffs from March. <a href="chapter-1.xhtml#noteref-1" epub:type="backlink">↩</a></p></li>
<li id="note-2" epub:type="endnote"><p>The jetty was rebuilt in 1909. <a href="chapter-1.xhtml#noteref-2" epub:type="backlink">↩</a></p></li>
</ol>
</section>"""


def epub3_book(
    path: Path,
    *,
    identifier: str = "urn:uuid:0b0c5c1e-1111-4222-8333-444455556666",
    metadata: str = EPUB3_METADATA,
) -> Path:
    """The small EPUB 3 (see the module), with other `metadata` if given."""
    items = [
        ("nav", "nav.xhtml", XHTML_TYPE, "nav"),
        ("cover", "text/cover.xhtml", XHTML_TYPE, ""),
        ("cover-image", "images/cover.jpg", "image/jpeg", "cover-image"),
        ("part-1", "text/part-1.xhtml", XHTML_TYPE, ""),
        ("chapter-1", "text/chapter-1.xhtml", XHTML_TYPE, ""),
        ("chapter-2", "text/chapter-2.xhtml", XHTML_TYPE, ""),
        ("endnotes", "text/endnotes.xhtml", XHTML_TYPE, ""),
        ("map", "images/map.png", "image/png", ""),
    ]
    spine = ["cover", "part-1", "chapter-1", "chapter-2", "endnotes"]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(items, spine, metadata=metadata, identifier=identifier),
        "OEBPS/nav.xhtml": NAV,
        "OEBPS/text/cover.xhtml": page(
            '<section epub:type="cover"><img src="../images/cover.jpg" alt=""/></section>'
        ),
        "OEBPS/images/cover.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
        "OEBPS/images/map.png": b"\x89PNG not really a png",
        "OEBPS/text/part-1.xhtml": page(
            '<section epub:type="part"><h1>Part One: The Shore</h1></section>'
        ),
        "OEBPS/text/chapter-1.xhtml": page(CHAPTER_1),
        "OEBPS/text/chapter-2.xhtml": page(CHAPTER_2),
        "OEBPS/text/endnotes.xhtml": page(ENDNOTES, body_attributes=' epub:type="backmatter"'),
    }
    return write_epub(path, files)


OPF2 = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="BookId">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>Letters from the Valley</dc:title>
<dc:creator opf:role="aut" opf:file-as="Reyes, Dora">Dora Reyes</dc:creator>
<dc:creator opf:role="edt">Eli Park</dc:creator>
<dc:identifier id="BookId" opf:scheme="ISBN">9780000000002</dc:identifier>
<dc:date>1899</dc:date>
<dc:language>en</dc:language>
<meta name="calibre:series" content="Valley Papers"/>
<meta name="calibre:series_index" content="1.0"/>
</metadata>
<manifest>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="l1" href="letter1.html" media-type="application/xhtml+xml"/>
<item id="l2" href="letter2.html" media-type="application/xhtml+xml"/>
<item id="notes" href="notes.html" media-type="application/xhtml+xml"/>
</manifest>
<spine toc="ncx">
<itemref idref="l1"/>
<itemref idref="l2"/>
<itemref idref="notes"/>
</spine>
</package>
"""

NCX = """<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="9780000000002"/></head>
<docTitle><text>Letters from the Valley</text></docTitle>
<navMap>
<navPoint id="p1" playOrder="1"><navLabel><text>First letter</text></navLabel><content src="letter1.html"/>
  <navPoint id="p1a" playOrder="2"><navLabel><text>A postscript</text></navLabel><content src="letter1.html#ps"/></navPoint>
</navPoint>
<navPoint id="p2" playOrder="3"><navLabel><text>Second letter</text></navLabel><content src="letter2.html"/></navPoint>
<navPoint id="p3" playOrder="4"><navLabel><text>Notes</text></navLabel><content src="notes.html"/></navPoint>
</navMap>
</ncx>
"""

#: EPUB 2 documents as old tools wrote them: HTML entities, upper-case tags, no
#: closing </p> (not well-formed XML: read leniently).
LETTER_1 = """<html><head><title>First letter</title></head><body>
<H1>First letter</H1>
<P>Dear Tom, the valley is green again&nbsp;and the river high.<sup><a href="notes.html#n1" id="r1">1</a></sup>
<P id="ps">P.S. The mill wheel turns.<sup><a href="notes.html#n2" id="r2">[2]</a></sup>
</body></html>"""

LETTER_2 = """<html><head><title>Second letter</title></head><body>
<h1>Second letter</h1>
<p>Dear Tom, the harvest is in.<a href="notes.html#n1" id="r3">1</a></p>
<p>See the <a href="letter1.html#ps">postscript</a> of my last.</p>
</body></html>"""

NOTES_2 = """<html><head><title>Notes</title></head><body>
<h2>Notes</h2>
<p id="n1"><a href="letter1.html#r1">1.</a> The spring floods of that year.</p>
<p id="n2"><a href="letter1.html#r2">2.</a> Built by the writer's grandfather.</p>
</body></html>"""


def epub2_book(path: Path) -> Path:
    """The EPUB 2 with an NCX (see the module)."""
    files: dict[str, str | bytes] = {
        "content.opf": OPF2,
        "toc.ncx": NCX,
        "letter1.html": LETTER_1,
        "letter2.html": LETTER_2,
        "notes.html": NOTES_2,
    }
    return write_epub(path, files, opf="content.opf")


# -- a Standard Ebooks release, cut short ---------------------------------------------------

SE_OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" dir="ltr" prefix="se: https://standardebooks.org/vocab/1.0" unique-identifier="uid" version="3.0" xml:lang="en-US">
	<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
		<dc:identifier id="uid">https://standardebooks.org/ebooks/david-hume/an-enquiry-concerning-the-principles-of-morals</dc:identifier>
		<dc:date>2021-05-10T18:05:42Z</dc:date>
		<meta property="dcterms:modified">2021-05-10T18:05:42Z</meta>
		<dc:publisher id="publisher">Standard Ebooks</dc:publisher>
		<meta property="file-as" refines="#publisher">Standard Ebooks</meta>
		<meta property="role" refines="#publisher" scheme="marc:relators">pbl</meta>
		<dc:contributor id="type-designer">The League of Moveable Type</dc:contributor>
		<meta property="role" refines="#type-designer" scheme="marc:relators">tyd</meta>
		<dc:title id="title">An Enquiry Concerning the Principles of Morals</dc:title>
		<meta property="file-as" refines="#title">Enquiry Concerning the Principles of Morals, An</meta>
		<dc:language>en-GB</dc:language>
		<dc:creator id="author">David Hume</dc:creator>
		<meta property="file-as" refines="#author">Hume, David</meta>
		<meta property="role" refines="#author" scheme="marc:relators">aut</meta>
		<dc:contributor id="producer-1">Jane Doe</dc:contributor>
		<meta property="role" refines="#producer-1" scheme="marc:relators">bkp</meta>
	</metadata>
	<manifest>
		<item href="css/core.css" id="core.css" media-type="text/css"/>
		<item href="images/cover.jpg" id="cover.jpg" media-type="image/jpeg" properties="cover-image"/>
		<item href="images/titlepage.svg" id="titlepage.svg" media-type="image/svg+xml"/>
		<item href="text/colophon.xhtml" id="colophon.xhtml" media-type="application/xhtml+xml"/>
		<item href="text/endnotes.xhtml" id="endnotes.xhtml" media-type="application/xhtml+xml"/>
		<item href="text/imprint.xhtml" id="imprint.xhtml" media-type="application/xhtml+xml"/>
		<item href="text/section-1.xhtml" id="section-1.xhtml" media-type="application/xhtml+xml"/>
		<item href="text/part-2-1.xhtml" id="part-2-1.xhtml" media-type="application/xhtml+xml"/>
		<item href="text/part-2-2.xhtml" id="part-2-2.xhtml" media-type="application/xhtml+xml"/>
		<item href="text/section-2.xhtml" id="section-2.xhtml" media-type="application/xhtml+xml"/>
		<item href="text/titlepage.xhtml" id="titlepage.xhtml" media-type="application/xhtml+xml" properties="svg"/>
		<item href="toc.xhtml" id="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>
	</manifest>
	<spine>
		<itemref idref="titlepage.xhtml"/>
		<itemref idref="imprint.xhtml"/>
		<itemref idref="section-1.xhtml"/>
		<itemref idref="section-2.xhtml"/>
		<itemref idref="part-2-1.xhtml"/>
		<itemref idref="part-2-2.xhtml"/>
		<itemref idref="endnotes.xhtml"/>
		<itemref idref="colophon.xhtml"/>
	</spine>
</package>
"""

SE_TOC = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/, se: https://standardebooks.org/vocab/1.0" xml:lang="en-GB">
	<head>
		<title>Table of Contents</title>
	</head>
	<body epub:type="frontmatter">
		<nav id="toc" role="doc-toc" epub:type="toc">
			<h2 epub:type="title">Table of Contents</h2>
			<ol>
				<li><a href="text/titlepage.xhtml">Titlepage</a></li>
				<li><a href="text/imprint.xhtml">Imprint</a></li>
				<li><a href="text/section-1.xhtml"><span epub:type="label">Section</span> <span epub:type="ordinal z3998:roman">I</span>: Of the General Principles of Morals</a></li>
				<li>
					<a href="text/section-2.xhtml"><span epub:type="label">Section</span> <span epub:type="ordinal z3998:roman">II</span>: Of Benevolence</a>
					<ol>
						<li><a href="text/part-2-1.xhtml">Part <span epub:type="z3998:roman">I</span></a></li>
						<li><a href="text/part-2-2.xhtml">Part <span epub:type="z3998:roman">II</span></a></li>
					</ol>
				</li>
				<li><a href="text/endnotes.xhtml">Endnotes</a></li>
				<li><a href="text/colophon.xhtml">Colophon</a></li>
			</ol>
		</nav>
		<nav id="landmarks" epub:type="landmarks">
			<h2 epub:type="title">Landmarks</h2>
			<ol>
				<li><a href="text/section-1.xhtml" epub:type="bodymatter z3998:non-fiction">An Enquiry Concerning the Principles of Morals</a></li>
				<li><a href="text/endnotes.xhtml" epub:type="backmatter endnotes">Endnotes</a></li>
			</ol>
		</nav>
	</body>
</html>
"""

SE_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/, se: https://standardebooks.org/vocab/1.0" xml:lang="en-GB">
	<head>
		<title>{title}</title>
		<link href="../css/core.css" rel="stylesheet" type="text/css"/>
	</head>
	<body epub:type="{body_type}">
{body}
	</body>
</html>
"""

SE_TITLEPAGE = """		<section id="titlepage" epub:type="titlepage">
			<h1 epub:type="title">An Enquiry Concerning the Principles of Morals</h1>
			<p>By <b epub:type="z3998:author">David Hume</b>.</p>
			<img alt="" src="../images/titlepage.svg" epub:type="z3998:publisher-logo"/>
		</section>"""

SE_IMPRINT = """		<section id="imprint" epub:type="imprint">
			<header>
				<h2 epub:type="title">Imprint</h2>
			</header>
			<p>This ebook is the product of many hours of hard work by volunteers for <a href="https://standardebooks.org">Standard Ebooks</a>.</p>
		</section>"""

SE_SECTION_1 = """		<section id="section-1" epub:type="chapter">
			<hgroup>
				<h2>Section I</h2>
				<p>Of the General Principles of Morals</p>
			</hgroup>
			<p><span class="csc">Disputes</span> with men, pertinaciously obstinate in their principles, are, of all others, the most irksome.</p>
			<p>But though this question, concerning the general principles of morals, be curious and important, it is needless for us, at present, to employ farther care in our researches concerning it. For if we can be so happy, in the course of this enquiry, as to discover the true origin of morals, it will then easily appear how far either sentiment or reason enters into all determinations of this nature<a href="endnotes.xhtml#note-1" id="noteref-1" epub:type="noteref">1</a>. In order to attain this purpose, we shall endeavour to follow a very simple method.</p>
		</section>"""

SE_SECTION_2 = """		<section id="section-2" epub:type="chapter">
			<hgroup>
				<h2>Section II</h2>
				<p>Of Benevolence</p>
			</hgroup>
		</section>"""

SE_PART_2_1 = """		<section id="part-2-1" epub:type="part">
			<h3>Part I</h3>
			<p>It may be esteemed, perhaps, a superfluous task to prove, that the benevolent or softer affections are estimable.</p>
			<p>We are accordingly told of Pericles<a href="endnotes.xhtml#note-2" id="noteref-2" epub:type="noteref">2</a>, the great Athenian statesman and general.</p>
		</section>"""

SE_PART_2_2 = """		<section id="part-2-2" epub:type="part">
			<h3>Part II</h3>
			<p>We may observe, that, in displaying the praises of any humane, beneficent man, there is one circumstance which never fails to be amply insisted on.</p>
			<p>Justice, as Cicero says,<a href="endnotes.xhtml#note-3" id="noteref-3" epub:type="noteref">3</a> is the habit of the mind.</p>
		</section>"""

SE_ENDNOTES = """		<section id="endnotes" epub:type="endnotes">
			<h2 epub:type="title">Endnotes</h2>
			<ol>
				<li id="note-1" epub:type="endnote">
					<p>See Appendix I. <a href="section-1.xhtml#noteref-1" epub:type="backlink">↩</a></p>
				</li>
				<li id="note-2" epub:type="endnote">
					<p>Plut. in Pericle. <a href="part-2-1.xhtml#noteref-2" epub:type="backlink">↩</a></p>
				</li>
				<li id="note-3" epub:type="endnote">
					<p>Cic. de Officiis, lib. 1. <a href="part-2-2.xhtml#noteref-3" epub:type="backlink">↩</a></p>
				</li>
			</ol>
		</section>"""

SE_COLOPHON = """		<section id="colophon" epub:type="colophon">
			<header>
				<h2 epub:type="title">Colophon</h2>
			</header>
			<p><i epub:type="se:name.publication.book">An Enquiry Concerning the Principles of Morals</i> was published in 1751 by <a href="https://en.wikipedia.org/wiki/David_Hume">David Hume</a>.</p>
		</section>"""


def standard_ebook(path: Path) -> Path:
    """The Standard Ebooks–shaped book (see the module)."""

    def se(body: str, title: str, body_type: str = "bodymatter z3998:non-fiction") -> str:
        return SE_PAGE.format(body=body, title=title, body_type=body_type)

    files: dict[str, str | bytes] = {
        "epub/content.opf": SE_OPF,
        "epub/toc.xhtml": SE_TOC,
        "epub/css/core.css": "body { margin: 0 }",
        "epub/images/cover.jpg": b"\xff\xd8\xff\xe0 cover",
        "epub/images/titlepage.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "epub/text/titlepage.xhtml": se(SE_TITLEPAGE, "Titlepage", "frontmatter"),
        "epub/text/imprint.xhtml": se(SE_IMPRINT, "Imprint", "frontmatter"),
        "epub/text/section-1.xhtml": se(SE_SECTION_1, "I"),
        "epub/text/section-2.xhtml": se(SE_SECTION_2, "II"),
        "epub/text/part-2-1.xhtml": se(SE_PART_2_1, "Part I"),
        "epub/text/part-2-2.xhtml": se(SE_PART_2_2, "Part II"),
        "epub/text/endnotes.xhtml": se(SE_ENDNOTES, "Endnotes", "backmatter"),
        "epub/text/colophon.xhtml": se(SE_COLOPHON, "Colophon", "backmatter"),
    }
    return write_epub(path, files, opf="epub/content.opf")


GLOSSARY_CHAPTER = """<h1>The Harbour</h1>
<p>The ketch came in on the flood tide and tied up at the staithe.</p>
<p>Two ketches lay at the staithe all winter.</p>
<p>The harbour map: <img src="../images/harbour.png" alt="A map of the harbour"/></p>"""

GLOSSARY = """<section epub:type="glossary" id="glossary">
<h2>Glossary</h2>
<dl>
<dt epub:type="glossterm">ketch</dt>
<dd epub:type="glossdef"><p>A two-masted sailing boat.</p></dd>
<dt epub:type="glossterm">staithe</dt>
<dt>staith</dt>
<dd epub:type="glossdef"><p>A landing stage for loading coal.</p></dd>
</dl>
</section>"""


def glossary_book(path: Path) -> Path:
    """An EPUB 3 whose back matter is a glossary (``epub:type="glossary"``, a ``<dl>``;
    one term with a second spelling), a chapter that uses its terms and a picture."""
    items = [
        ("nav", "nav.xhtml", XHTML_TYPE, "nav"),
        ("harbour", "text/harbour.xhtml", XHTML_TYPE, ""),
        ("glossary", "text/glossary.xhtml", XHTML_TYPE, ""),
        ("map", "images/harbour.png", "image/png", ""),
    ]
    nav = page(
        '<nav epub:type="toc"><ol><li><a href="text/harbour.xhtml">The Harbour</a></li>'
        '<li><a href="text/glossary.xhtml">Glossary</a></li></ol></nav>'
    )
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(
            items, ["harbour", "glossary"], metadata="<dc:title>The Staithe</dc:title>"
        ),
        "OEBPS/nav.xhtml": nav,
        "OEBPS/text/harbour.xhtml": page(GLOSSARY_CHAPTER),
        "OEBPS/text/glossary.xhtml": page(GLOSSARY, body_attributes=' epub:type="backmatter"'),
        "OEBPS/images/harbour.png": b"\x89PNG not really a png",
    }
    return write_epub(path, files)


#: A real book's published sources (Standard Ebooks, CC0): see its README.
REAL_STANDARD_EBOOK = (
    Path(__file__).parent
    / "data"
    / "standard-ebooks"
    / "david-hume_an-enquiry-concerning-human-understanding"
    / "src"
)


def real_standard_ebook(path: Path) -> Path:
    """David Hume's *An Enquiry Concerning Human Understanding* as Standard Ebooks publish
    its sources (`REAL_STANDARD_EBOOK`), zipped into an EPUB at `path`: the ``mimetype``
    first and stored, then every other file of the tree as it is."""
    files: dict[str, str | bytes] = {
        member.relative_to(REAL_STANDARD_EBOOK).as_posix(): member.read_bytes()
        for member in sorted(REAL_STANDARD_EBOOK.rglob("*"))
        if member.is_file() and member.name != "mimetype"
    }
    container = files.pop("META-INF/container.xml")
    return write_epub(path, {"META-INF/container.xml": container, **files}, container=False)


#: The first sentence of `long_book`.
LONG_BOOK_FIRST = "The long book begins with the keeper's first letter home."


def long_book(path: Path, chapters: int = 40, paragraphs: int = 120) -> Path:
    """A book long enough to convert for a few seconds (~25 KB of XHTML a chapter of 120
    paragraphs): numbered chapters in a nav, every tenth paragraph with a noteref to an
    endnotes chapter."""
    words = "keeper lamp island harbour evening storm light water oil glass gull cliff tide"
    vocabulary = words.split()
    files: dict[str, str | bytes] = {}
    notes: list[str] = []
    for number in range(1, chapters + 1):
        body = [f'<section epub:type="chapter" id="c{number}"><h2>Chapter {number}</h2>']
        if number == 1:
            body.append(f"<p>{LONG_BOOK_FIRST}</p>")
        for index in range(paragraphs):
            sentence = " ".join(
                vocabulary[(number + index + k) % len(vocabulary)] for k in range(24)
            )
            note = ""
            if index % 10 == 0:
                notes.append(
                    f'<li id="note-{len(notes) + 1}" epub:type="endnote"><p>Note on {number}.{index}. '
                    f'<a href="c{number}.xhtml" epub:type="backlink">↩</a></p></li>'
                )
                note = (
                    f'<a href="notes.xhtml#note-{len(notes)}" epub:type="noteref">{len(notes)}</a>'
                )
            body.append(f"<p>{sentence.capitalize()}, <i>again</i> {index}.{note}</p>")
        body.append("</section>")
        files[f"OEBPS/c{number}.xhtml"] = page("\n".join(body), f"Chapter {number}")
    files["OEBPS/notes.xhtml"] = page(
        '<section epub:type="endnotes"><h2>Notes</h2><ol>' + "".join(notes) + "</ol></section>"
    )
    nav = "".join(f'<li><a href="c{n}.xhtml">Chapter {n}</a></li>' for n in range(1, chapters + 1))
    files["OEBPS/nav.xhtml"] = page(f'<nav epub:type="toc"><ol>{nav}</ol></nav>', "Contents")
    items = [("nav", "nav.xhtml", XHTML_TYPE, "nav")]
    items += [(f"c{n}", f"c{n}.xhtml", XHTML_TYPE, "") for n in range(1, chapters + 1)]
    items.append(("notes", "notes.xhtml", XHTML_TYPE, ""))
    spine = [f"c{n}" for n in range(1, chapters + 1)] + ["notes"]
    files["OEBPS/content.opf"] = opf3(
        items,
        spine,
        metadata="<dc:title>The Long Book</dc:title><dc:creator>Ada Marsh</dc:creator>",
        identifier="urn:uuid:1b0c5c1e-1111-4222-8333-444455556677",
    )
    return write_epub(path, files)


def control_character_book(path: Path) -> Path:
    """A book whose text holds control characters XML forbids, where a conversion edits
    the tree around them: raw ESC at the start of a chapter (its anchor goes there), raw
    BEL and references (``&#7;``, ``&#x1B;``) beside a noteref, a U+FFFF reference, a
    picture whose path unquotes to a BEL. Each should show as its control picture
    (``␇``, ``␛``) or ``�``."""
    first = page(
        "<h1>Head\x1b[5m blink</h1>"
        "<p>A bell\x07 rang<a href='notes.xhtml#n1' epub:type='noteref'>1</a> twice.</p>"
    )
    second = page(
        "<h2>Refs&#x1B;[31m</h2>"
        "<p>Coded &#7; bell<a href='notes.xhtml#n2' epub:type='noteref'>2</a> &#xFFFF; end.</p>"
        "<p><img src='pic%07.png' alt='A picture'/></p>"
    )
    notes = page(
        "<ol><li id='n1' epub:type='endnote'><p>First\x07 note.</p></li>"
        "<li id='n2' epub:type='endnote'><p>Second &#27; note.</p></li></ol>",
        body_attributes=' epub:type="backmatter"',
    )
    items = [
        ("c1", "one.xhtml", XHTML_TYPE, ""),
        ("c2", "two.xhtml", XHTML_TYPE, ""),
        ("n", "notes.xhtml", XHTML_TYPE, ""),
    ]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf3(
            items, ["c1", "c2", "n"], metadata="<dc:title>Controls</dc:title>"
        ),
        "OEBPS/one.xhtml": first,
        "OEBPS/two.xhtml": second,
        "OEBPS/notes.xhtml": notes,
    }
    return write_epub(path, files)
