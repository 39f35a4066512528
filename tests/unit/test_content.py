"""The bundled essay and its glossary, checked against the seed text they were made from.

The seed (`tests/data/blog/strategic-partners-with-caveats.txt`) is the blog
post exactly as it was copied from the web page. The bundled essay must carry
every paragraph and note of it word for word, with headings as the only added
text and none of the page's leftovers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from essaytui.model.essay import BlockKind, Essay
from essaytui.model.glossary import build_terms, parse_glossary_source
from essaytui.model.parse import parse_essay
from essaytui.model.text import superscript

ROOT = Path(__file__).resolve().parents[2]
ESSAY_DIR = ROOT / "content" / "strategic-partners-with-caveats"
ESSAY_FILE = ESSAY_DIR / "essay.md"
GLOSSARY_FILE = ESSAY_DIR / "glossary.md"
SEED_FILE = ROOT / "tests" / "data" / "blog" / "strategic-partners-with-caveats.txt"

SEED_MARKER = re.compile(r"\[(\d+)\]")
SEED_NOTE = re.compile(r"\[(\d+)\] (.*)")

#: Terms a student looks for, each with the forms of it the essay holds.
NEW_TERMS: dict[str, tuple[str, ...]] = {
    "China–Russia border": ("Sino-Russian border", "border disputes"),
    "bilateral trade": ("bilateral trade",),
    "crude oil": ("crude oil",),
    "natural gas": ("natural gas",),
    "Syria": ("Syria",),
    "threat perception": ("threat perception", "threat perception"),
    "military technology transfers": ("military technology transfers",),
    "Xi Jinping and Vladimir Putin": ("the two presidents",),
    "Far East": ("Far East",),
    "regionalism": ("regionalism", "regionalism"),
    "great power": ("great power", "great powers"),
}

REQUIRED_TERMS = (
    "comprehensive strategic partnership of coordination",
    "One Belt One Road",
    "OBOR",
    "Belt and Road Initiative",
    "BRI",
    "Eurasian Economic Union",
    "EEU",
    "Shanghai Cooperation Organisation",
    "SCO",
    "BRICS",
    "BRICS Bank",
    "New Development Bank",
    "Peace Mission",
    "Zhenbao Dao",
    "Damansky Island",
    "Sino-Soviet split",
    "unequal treaties",
    "Manchukuo",
    "Manchurian crisis",
    "Mukden Incident",
    "Chinese Eastern Railway",
    "China Eastern Railway",
    "China Eastern Railways",
    "Yalta Agreement",
    "Outer Mongolia",
    "Qing dynasty",
    "Qing Dynasty",
    "century of humiliation",
    "hundred years of humiliation",
    "Opium War",
    "national rejuvenation",
    "multipolarity",
    "hegemony",
    "Silk Road Spirit",
    "sphere of influence",
    "spheres of influence",
    "Central Asia",
    "NATO",
    *NEW_TERMS,
)

LEFTOVERS = (
    "Leave a Reply",
    "Fill in your details",
    "commenting using",
    "Log Out",
    "Log\u00a0Out",
    "Change )",
    "Google+",
    "Twitter picture",
    "Facebook photo",
    "Connecting to",
    "bloggers like this",
    "%s",
    "%d",
)

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[”’)]*\s+(?=[A-Z“‘(0-9])")


def _seed_parts() -> tuple[str, list[str], list[tuple[str, str]]]:
    """The seed's bio line, body paragraphs and notes, read without our converter."""
    blocks = [block.strip("\n") for block in SEED_FILE.read_text("utf-8").split("\n\n")]
    blocks = [block for block in blocks if block.strip()]
    bio = blocks[1]
    first_note = next(i for i, block in enumerate(blocks) if block.startswith("[1] "))
    paragraphs = blocks[2:first_note]
    notes: list[tuple[str, str]] = []
    for block in blocks[first_note:]:
        match = SEED_NOTE.fullmatch(block)
        if match is None:
            break
        notes.append((match.group(1), match.group(2)))
    return bio, paragraphs, notes


def _expected_reading(paragraph: str) -> str:
    """A seed paragraph as the reader shows it: `[n]` becomes the superscript n."""
    return SEED_MARKER.sub(lambda m: superscript(int(m.group(1))), paragraph)


def _body(essay: Essay) -> list[str]:
    return [
        essay.reading_text[block.start : block.end]
        for block in essay.blocks
        if block.kind is not BlockKind.HEADING
    ]


@pytest.fixture(scope="module")
def essay() -> Essay:
    return parse_essay(
        ESSAY_FILE.read_text("utf-8"),
        path=str(ESSAY_FILE),
        glossary_source=GLOSSARY_FILE.read_text("utf-8"),
    )


@pytest.fixture(scope="module")
def front_matter() -> dict[str, str]:
    text = ESSAY_FILE.read_text("utf-8")
    assert text.startswith("---\n")
    data = yaml.safe_load(text.split("---\n", 2)[1])
    assert isinstance(data, dict)
    return data


# -- the essay --------------------------------------------------------------------


def test_the_seed_has_the_shape_the_tests_expect() -> None:
    bio, paragraphs, notes = _seed_parts()
    assert bio.startswith("Dean Chen is")
    assert len(paragraphs) == 7
    assert [label for label, _ in notes] == [str(n) for n in range(1, 8)]


def test_every_seed_paragraph_is_in_the_reading_text_verbatim(essay: Essay) -> None:
    _, paragraphs, _ = _seed_parts()
    assert _body(essay) == [_expected_reading(paragraph) for paragraph in paragraphs]


def test_headings_are_the_only_added_text(essay: Essay) -> None:
    headings = [
        essay.reading_text[block.start : block.end]
        for block in essay.blocks
        if block.kind is BlockKind.HEADING
    ]
    assert headings == [section.title for section in essay.sections]
    assert len(essay.blocks) == len(headings) + 7


def test_the_markers_keep_their_exact_places_and_spacing(essay: Essay) -> None:
    source = ESSAY_FILE.read_text("utf-8")
    assert "orientation.[^1] This" in source
    assert "each other. [^3]\n" in source
    assert "Central Asia’.[^7] \u00a0However" in source
    assert "[1]" not in source and "[7]" not in source
    for note in essay.footnotes:
        assert len(note.refs) == 1
        start, end = note.refs[0]
        assert essay.reading_text[start:end] == superscript(note.number)


def test_there_are_six_to_eight_level_two_sections(essay: Essay) -> None:
    assert 6 <= len(essay.sections) <= 8
    assert all(section.level == 2 for section in essay.sections)
    assert len({section.title for section in essay.sections}) == len(essay.sections)
    # every section holds some of the author's text
    for section in essay.sections:
        assert essay.reading_text[section.start : section.end].strip() != section.title


def test_seven_footnotes_each_verbatim(essay: Essay) -> None:
    _, _, notes = _seed_parts()
    assert [(note.label, note.number, note.text) for note in essay.footnotes] == [
        (label, int(label), text) for label, text in notes
    ]
    assert all(note.defined for note in essay.footnotes)
    chinese = essay.footnotes_by_label["3"].text
    assert chinese.startswith("“中俄发布深化全面战略协作伙伴关系联合声明(全文)”")
    assert "(full text)],, May 9, 2015" in chinese


def test_the_author_s_words_are_not_corrected(essay: Essay) -> None:
    text = essay.reading_text
    for phrase in (
        "the two countries were bitter rivalries",
        "this impression still exist among",
        "the Russia’s major foreign policy orientation",
        "false proposition—indeed",
        "there has been frustrations about",
        "international organisations",
        "vis-à-vis",
    ):
        assert phrase in text


def test_front_matter(essay: Essay, front_matter: dict[str, str]) -> None:
    bio, _, _ = _seed_parts()
    assert front_matter["id"] == "strategic-partners-with-caveats"
    assert front_matter["title"] == "Strategic partners with caveats: China & Russia"
    assert front_matter["series"] == "Part 5"
    assert front_matter["author"] == "Dean Chen"
    assert front_matter["author_note"] == bio
    assert "http" not in front_matter["source"] and front_matter["source"].strip()
    note = front_matter["editorial_note"].lower()
    assert "headings" in note and "added" in note
    assert "comment form" in note and "dropped" in note
    assert essay.id == "strategic-partners-with-caveats"
    assert essay.title == front_matter["title"]
    assert essay.author == "Dean Chen"
    assert essay.meta["series"] == "Part 5"
    assert essay.meta["author_note"] == bio
    assert essay.warnings == ()


def test_no_page_leftovers_in_the_file() -> None:
    source = ESSAY_FILE.read_text("utf-8")
    for leftover in LEFTOVERS:
        assert leftover not in source


# -- the glossary -------------------------------------------------------------------


def _sentences(definition: str) -> list[str]:
    return [part for part in _SENTENCE_BREAK.split(definition.strip()) if part]


def test_the_glossary_has_at_least_25_terms_all_read(essay: Essay) -> None:
    source = GLOSSARY_FILE.read_text("utf-8")
    written = [line for line in source.splitlines() if line.startswith(":   ")]
    assert len(essay.glossary) >= 25
    assert len(essay.glossary) == len(written)


def test_each_definition_is_one_to_four_sentences(essay: Essay) -> None:
    for term in essay.glossary:
        assert "See also" not in term.definition, term.name
        assert term.definition.endswith("."), term.name
        assert 1 <= len(_sentences(term.definition)) <= 4, term.name


def test_every_required_term_is_there(essay: Essay) -> None:
    names = {name.casefold() for term in essay.glossary for name in (term.name, *term.aliases)}
    missing = [term for term in REQUIRED_TERMS if term.casefold() not in names]
    assert missing == []


#: Terms a student looks up that the essay's own text does not name: found in its notes
#: (the Sources), or reached by "See also" from a term that the text does name.
IN_THE_NOTES = ("China Policy Institute", "Great Game", "Xinhua")
LOOKED_UP = (
    "Russian economic crisis",
    "Treaty of Good-Neighbourliness and Friendly Cooperation",
    "Ukraine crisis",
    "Xinjiang",
)


def test_every_term_occurs_in_the_essay(essay: Essay) -> None:
    absent = [term.name for term in essay.glossary if not term.occurrences]
    assert sorted(absent) == sorted((*IN_THE_NOTES, *LOOKED_UP))
    notes = " ".join(note.text for note in essay.footnotes)
    for name in IN_THE_NOTES:
        assert name in notes, name
    named = {term.name for term in essay.glossary if term.occurrences}
    for name in LOOKED_UP:
        assert any(name in term.see_also for term in essay.glossary if term.name in named), name
    for term in essay.glossary:
        for start, end in term.occurrences:
            found = essay.reading_text[start:end].casefold()
            assert found in {name.casefold() for name in (term.name, *term.aliases)} or any(
                found.startswith(name.casefold()) for name in (term.name, *term.aliases)
            ), (term.name, found)


def test_see_also_names_other_terms(essay: Essay) -> None:
    names = {term.name for term in essay.glossary}
    linked = [(term.name, other) for term in essay.glossary for other in term.see_also]
    assert linked, "some entries point to related terms"
    assert [pair for pair in linked if pair[1] not in names] == []


def _definitions(essay: Essay) -> dict[str, str]:
    return {term.name: term.definition for term in essay.glossary}


def test_where_the_essay_differs_from_the_record_the_glossary_says_so(essay: Essay) -> None:
    by_name = {term.name: term for term in essay.glossary}
    railway = by_name["Chinese Eastern Railway"]
    assert {"China Eastern Railway", "China Eastern Railways"} <= set(railway.aliases)
    assert [essay.reading_text[s:e] for s, e in railway.occurrences] == ["China Eastern Railways"]
    for fact in ("1935", "Manchukuo", "140 million yen", "Japan guaranteeing", "loose", "1952"):
        assert fact in railway.definition, fact
    manchukuo = by_name["Manchukuo"].definition
    assert "did not extend formal diplomatic recognition" in manchukuo
    assert "consulates" in manchukuo and "de facto recognition" in manchukuo
    crisis = by_name["Manchurian crisis"].definition
    assert "18 September 1931" in crisis and "1935" in crisis
    mongolia = by_name["Outer Mongolia"].definition
    assert "“status quo”" in mongolia and "plebiscite" in mongolia
    assert "5 January 1946" in mongolia and "October 1949" in mongolia
    assert (
        "did not recognise Outer Mongolia’s independence" in by_name["Yalta Agreement"].definition
    )
    united_nations = by_name["United Nations"].definition
    assert "four draft resolutions on Syria" in united_nations
    assert "not three" in united_nations and "1971" in united_nations
    assert "no side on sovereignty" in by_name["South China Sea"].definition
    border = by_name["China–Russia border"].definition
    assert "4,209 km" in border and "too low" not in border
    assert "3,605 km" in border and "40 km" in border and "CIA World Factbook" in border
    trade = by_name["bilateral trade"].definition
    assert "$95 billion in 2014" in trade and "2015" in trade
    assert "December 2019" in by_name["natural gas"].definition


def test_the_corrected_dates_and_names(essay: Essay) -> None:
    definitions = _definitions(essay)
    brics = definitions["BRICS"]
    for fact in ("September 2006", "July 2008", "June 2009", "Yekaterinburg", "Indonesia"):
        assert fact in brics, fact
    assert "first met as “BRIC” in 2009" not in brics
    partnership = definitions["comprehensive strategic partnership of coordination"]
    assert "June 2011" in partnership and "no official ranking" in partnership
    belt = definitions["One Belt One Road"]
    assert "September 2015" in belt and "“initiative”" in belt
    assert "Silk Road Economic Belt" in belt.split("May 2015")[1]
    treaties = definitions["unequal treaties"]
    assert "returned to China most of the Ili region" in treaties
    peace = definitions["Peace Mission"]
    assert "Most of them" in peace and "several" not in peace
    # "bi-annual" read as every two years: the SCO run of 2010–2018, not an error
    assert "every two years from 2010 to 2018" in peace and "2009 and 2013" in peace
    assert "loosely" not in peace
    assert "1996" in definitions["Shanghai Cooperation Organisation"]
    assert "(from 1999)" in definitions["NATO"] and "(in 2004)" in definitions["NATO"]
    assert "Bangladesh" in definitions["New Development Bank"]
    assert "overlordship of Tibet" in definitions["Qing dynasty"]


def test_interpretations_are_attributed(essay: Essay) -> None:
    definitions = _definitions(essay)
    assert "in practice as a counterweight" not in definitions["multipolarity"]
    assert "widely read as" in definitions["multipolarity"]
    assert "many observers" not in definitions["multipolarity"]
    assert "a central theme" in definitions["national rejuvenation"]
    assert "the central theme" not in definitions["national rejuvenation"]


def test_the_lower_partnership_label_is_no_alias(essay: Essay) -> None:
    # "comprehensive strategic partnership" is what China has with the EU and
    # many others: a text naming it must not be marked as the Russian label
    aliases = {alias.casefold() for term in essay.glossary for alias in term.aliases}
    assert "comprehensive strategic partnership" not in aliases
    term = next(
        t for t in essay.glossary if t.id == "comprehensive-strategic-partnership-of-coordination"
    )
    found = [essay.reading_text[start:end] for start, end in term.occurrences]
    assert found == [
        "comprehensive strategic partnership of coordination",
        "Strategic partner of coordination",
        "strategic cooperation partnership of coordination",
    ]
    lower = "China and the EU have had a comprehensive strategic partnership since 2003."
    terms, _ = build_terms(parse_glossary_source(GLOSSARY_FILE.read_text("utf-8"))[0], lower)
    assert [(t.name, t.occurrences) for t in terms if t.occurrences] == [
        ("European Union", ((lower.index("EU"), lower.index("EU") + 2),))
    ]


def test_every_new_term_is_found_in_the_essay_in_its_own_words(essay: Essay) -> None:
    by_name = {term.name: term for term in essay.glossary}
    found = {
        name: tuple(essay.reading_text[start:end] for start, end in by_name[name].occurrences)
        for name in NEW_TERMS
    }
    assert found == NEW_TERMS


def test_new_aliases_keep_to_whole_words_and_the_longest_form() -> None:
    entries, warnings = parse_glossary_source(GLOSSARY_FILE.read_text("utf-8"))
    assert warnings == []
    text = (
        "The Russian Far East and the Far Eastern railway; Syrian refugees and Syria’s war; "
        "great powers and a great-power rivalry; border disputes settled; regionalisms."
    )
    terms, _ = build_terms(entries, text)
    marked = sorted(
        (start, text[start:end], term.name) for term in terms for start, end in term.occurrences
    )
    assert [(form, name) for _, form, name in marked] == [
        ("Russian Far East", "Far East"),
        ("Syria’s", "Syria"),
        ("great powers", "great power"),
        ("great-power", "great power"),
        ("border disputes", "China–Russia border"),
        ("regionalisms", "regionalism"),
    ]


def test_the_editorial_note_says_what_was_lost_and_when(front_matter: dict[str, str]) -> None:
    note = front_matter["editorial_note"]
    assert "web links were lost" in note and "not been restored" in note
    assert "ends in a comma" in note and "17 April 2016" in note
    # the essay's "Jindong" stays; the note points to the name the author signs with
    assert "Jingdong Yuan" in note
    assert "Jindong Yuan" in ESSAY_FILE.read_text("utf-8").split("[^4]:")[1]


def test_the_two_renamed_headings(essay: Essay) -> None:
    titles = [section.title for section in essay.sections]
    assert titles[3:5] == ["Historical grievances", "Russia in China’s memory of humiliation"]


def test_the_second_fact_check(essay: Essay) -> None:
    """The four fixes, the attributions and the flags of the second line-by-line check."""
    definitions = _definitions(essay)
    nato = definitions["NATO"]
    for accession in (
        "Montenegro (2017)",
        "North Macedonia (2020)",
        "Finland (2023)",
        "Sweden (2024)",
    ):
        assert accession in nato, accession
    syria = definitions["Syria"]
    assert "8 December 2024" in syria and "Moscow" in syria
    belt = definitions["One Belt One Road"]
    assert "joint statement" in belt and "8 May 2015" in belt and "not an agreement" in belt
    assert "“signed an agreement” is loose" in belt
    # interpretations are attributed, or said as readings, not stated as facts
    assert "Many historians" not in definitions["Manchukuo"]
    partnership = definitions["comprehensive strategic partnership of coordination"]
    assert "some put Pakistan" not in partnership and "all-weather" in partnership
    assert "widely read as aimed at the United States" in definitions["hegemony"]
    # what the essay states and was not checked, or dates loosely, is flagged
    assert (
        "“five times in the past year” has not been checked"
        in definitions["Xi Jinping and Vladimir Putin"]
    )
    split = definitions["Sino-Soviet split"]
    assert "in 1960 (the essay’s “withdrew all its aid … in the 1960s”)" in split


def test_the_terms_a_student_looks_up(essay: Essay) -> None:
    definitions = _definitions(essay)
    assert "foreign minister since 2004" in definitions["Sergei Lavrov"]
    lavrov = next(t for t in essay.glossary if t.name == "Sergei Lavrov")
    assert [essay.reading_text[s:e] for s, e in lavrov.occurrences] == ["Russian counterpart"]
    assert "Crimea" in definitions["Ukraine crisis"] and "2014" in definitions["Ukraine crisis"]
    assert "2014–2016" in definitions["Russian economic crisis"]
    assert "note 5" in definitions["Great Game"]
    assert "note 1" in definitions["Xinhua"]
    assert "University of Nottingham" in definitions["China Policy Institute"]
    assert "Central Asia" in definitions["Xinjiang"]
    assert "16 July 2001" in definitions["Treaty of Good-Neighbourliness and Friendly Cooperation"]
