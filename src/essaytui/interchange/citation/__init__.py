"""The essay as a reference, by job: `reference` reads it from the front matter and the
footnotes, `formats` writes it as CSL-JSON, BibTeX, RIS and front matter, and
`formatting` sets it in Chicago, APA or MLA with citeproc-py (imported only when a
reference is first formatted, never at start-up).
"""

from essaytui.interchange.citation.formats import (
    bibtex_escape,
    bibtex_url,
    describe,
    one_line,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from essaytui.interchange.citation.formatting import (
    Quotation,
    bibliography_entry,
    in_text_citation,
    locator_of,
    paragraph_number,
    prose,
    quotation,
    style_of,
)
from essaytui.interchange.citation.reference import (
    CSL_TYPES,
    DATE_FIELDS,
    TEXT_FIELDS,
    TYPES,
    CitationError,
    DateField,
    Person,
    Reference,
    TextField,
    citation_key,
    essay_reference,
    parse_date,
    parse_people,
    parse_person,
    safe_key,
    source_references,
)

__all__ = [
    "CSL_TYPES",
    "DATE_FIELDS",
    "TEXT_FIELDS",
    "TYPES",
    "CitationError",
    "DateField",
    "Person",
    "Quotation",
    "Reference",
    "TextField",
    "bibliography_entry",
    "bibtex_escape",
    "bibtex_url",
    "citation_key",
    "describe",
    "essay_reference",
    "in_text_citation",
    "locator_of",
    "one_line",
    "paragraph_number",
    "parse_date",
    "parse_people",
    "parse_person",
    "prose",
    "quotation",
    "safe_key",
    "source_references",
    "style_of",
    "to_bibtex",
    "to_csl_json",
    "to_ris",
]
