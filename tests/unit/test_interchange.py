"""Export to Markdown and W3C Web Annotation JSON, and import back."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from essaytui.interchange import InterchangeError
from essaytui.interchange.markdown import to_markdown
from essaytui.interchange.w3c import (
    from_web_annotation,
    read_web_annotation_file,
    to_web_annotation,
)
from essaytui.model.annotation import Annotation, Kind, as_deleted, make_annotation
from essaytui.model.essay import Essay, Section
from essaytui.store import AnnotationStore, MergeResult

TEXT = (
    "Opening words come first.\n\nCooperation\n\nThe two states signed a treaty in 2001.\n\n"
    "Energy\n\nEnergy deals lagged behind.\n\nObservers were unsure."
)


@pytest.fixture
def essay() -> Essay:
    cooperation = TEXT.index("Cooperation")
    energy = TEXT.index("Energy\n\n")
    return Essay(
        id="partners/2016 ü",
        title="Strategic partners",
        author="A. Writer",
        reading_text=TEXT,
        blocks=(),
        sections=(
            Section(0, "Cooperation", 2, cooperation, energy),
            Section(1, "Energy", 2, energy, len(TEXT)),
        ),
        source_path="/home/reader/partners.md",
    )


def _at(essay: Essay, quote: str, kind: Kind, **extra: object) -> Annotation:
    start = essay.reading_text.index(quote)
    return make_annotation(essay, start, start + len(quote), kind, **extra)  # type: ignore[arg-type]


@pytest.fixture
def marks(essay: Essay) -> list[Annotation]:
    return [
        _at(essay, "Opening words", Kind.HIGHLIGHT, color="green"),
        _at(
            essay, "signed a treaty", Kind.NOTE, note="Which **treaty**?\n\nSee ch. 2.", tags=["t"]
        ),
        _at(essay, "lagged behind.\n\nObservers", Kind.NOTE, note="Across paragraphs"),
        _at(essay, "Energy deals", Kind.BOOKMARK),
        as_deleted(_at(essay, "were unsure", Kind.NOTE, note="gone")),
    ]


def test_markdown_export(essay: Essay, marks: list[Annotation]) -> None:
    text = to_markdown(essay, marks)
    assert text.startswith("---\ntitle: Strategic partners\nauthor: A. Writer\n")
    assert "\n---\n\n# Strategic partners\n\n*A. Writer*\n" in text
    treaty = next(a for a in marks if a.exact == "signed a treaty")
    assert (
        f"## Cooperation\n\n> signed a treaty\n\n^{treaty.id.replace('-', '')[:12]}\n\n"
        "Which **treaty**?\n\nSee ch. 2.\n" in text
    )
    assert "> lagged behind.\n>\n> Observers" in text
    assert "note · ¶ " in text and "#color/yellow #t\n" in text
    assert "## Energy" in text and "bookmark · ¶ " in text
    assert "## Opening" in text and "> Opening words" in text
    assert "gone" not in text  # deleted
    # Sections appear in reading order.
    assert text.index("## Opening") < text.index("## Cooperation") < text.index("## Energy")


def test_markdown_export_without_annotations(essay: Essay) -> None:
    assert "No annotations yet." in to_markdown(essay, [])


def test_web_annotation_shape(essay: Essay, marks: list[Annotation]) -> None:
    data = to_web_annotation(essay, marks, include_deleted=True)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == 5
    assert "Strategic partners" in str(data["label"])
    page = data["first"]
    assert isinstance(page, dict) and page["type"] == "AnnotationPage"
    items = page["items"]
    assert isinstance(items, list)
    by_kind = {item["essaytui:data"]["kind"]: item for item in items}
    (note,) = [i for i in items if i["target"]["selector"][0]["exact"] == "signed a treaty"]
    assert note["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert note["id"].startswith("urn:uuid:")
    assert note["type"] == "Annotation"
    assert note["motivation"] == "commenting"
    assert note["created"].endswith("Z") and note["modified"].endswith("Z")
    assert note["body"] == {
        "type": "TextualBody",
        "value": "Which **treaty**?\n\nSee ch. 2.",
        "format": "text/markdown",
        "purpose": "commenting",
    }
    target = note["target"]
    assert target["source"] == "urn:essaytui:partners%2F2016%20%C3%BC"
    quote, position = target["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "signed a treaty"
    assert quote["prefix"].endswith("The two states ") and quote["suffix"].startswith(" in 2001")
    assert position == {
        "type": "TextPositionSelector",
        "start": TEXT.index("signed"),
        "end": TEXT.index("signed") + 15,
    }
    assert by_kind["highlight"]["motivation"] == "highlighting"
    assert "body" not in by_kind["highlight"]
    assert by_kind["bookmark"]["motivation"] == "bookmarking"
    json.dumps(data)  # JSON-ready


def test_round_trip_is_lossless(essay: Essay, marks: list[Annotation]) -> None:
    data = json.loads(json.dumps(to_web_annotation(essay, marks, include_deleted=True)))
    back = from_web_annotation(data)
    assert sorted(back, key=lambda a: a.id) == sorted(marks, key=lambda a: a.id)


def test_export_import_through_a_file_and_the_store(
    tmp_path: Path, essay: Essay, marks: list[Annotation]
) -> None:
    with AnnotationStore.open(tmp_path / "one") as store:
        for annotation in marks:
            store.add(annotation)
        exported = to_web_annotation(
            essay, store.list_for_essay(essay.id, include_deleted=True), include_deleted=True
        )
    file = tmp_path / "notes.json"
    file.write_text(json.dumps(exported, ensure_ascii=False, indent=2), encoding="utf-8")
    with AnnotationStore.open(tmp_path / "two") as store:
        imported = read_web_annotation_file(file)
        assert store.merge(imported) == MergeResult(4, 0, 0, deleted=1)
        assert store.merge(read_web_annotation_file(file)) == MergeResult(0, 0, 5)
        assert store.list_for_essay(essay.id, include_deleted=True) == sorted(
            marks, key=lambda a: (a.start, a.end, a.created, a.id)
        )
        assert len(store.list_for_essay(essay.id)) == 4  # the deletion stayed a deletion


def test_import_of_foreign_web_annotations(essay: Essay) -> None:
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:6F9619FF-8B86-D011-B42D-00C04FC964FF",
        "type": "Annotation",
        "motivation": "commenting",
        "created": "2015-01-28T12:00:00+01:00",
        "body": {"type": "TextualBody", "value": "From elsewhere"},
        "target": {
            "source": "http://example.org/page",
            "selector": {"type": "TextQuoteSelector", "exact": "signed a treaty"},
        },
    }
    (annotation,) = from_web_annotation(item, essay_id="given")
    assert annotation.id == "6f9619ff-8b86-d011-b42d-00c04fc964ff"
    assert annotation.essay_id == "given"
    assert annotation.kind is Kind.NOTE and annotation.note == "From elsewhere"
    assert annotation.created == annotation.modified == "2015-01-28T11:00:00.000Z"
    assert (annotation.start, annotation.end) == (0, 15)
    assert from_web_annotation([item], essay_id="x")[0].essay_id == "x"
    page = {"type": "AnnotationPage", "items": [item]}
    assert len(from_web_annotation(page, essay_id="x")) == 1


def _valid(essay: Essay, marks: list[Annotation]) -> dict[str, object]:
    return json.loads(json.dumps(to_web_annotation(essay, marks[:2])))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda d: d.update(type="Something"), "unknown type"),
        (lambda d: d.update(first=[]), "no 'first'"),
        (lambda d: d["first"].update(items="x"), "no list of items"),
        (lambda d: d["first"]["items"].append(3), "item 3: not a JSON object"),
        (lambda d: d["first"]["items"][0].update(id="urn:uuid:nope"), "not a urn:uuid"),
        (lambda d: d["first"]["items"][0].update(id=17), "'id' must be a string"),
        (lambda d: d["first"]["items"][0].pop("id"), "missing 'id'"),
        (lambda d: d["first"]["items"][0].update(type="Note"), "'type' must be"),
        (lambda d: d["first"]["items"][0].pop("target"), "missing 'target'"),
        (lambda d: d["first"]["items"][0]["target"].update(selector=[]), "no TextQuoteSelector"),
        (
            lambda d: d["first"]["items"][0]["target"]["selector"][0].update(exact=None),
            "missing 'exact'",
        ),
        (
            lambda d: d["first"]["items"][0]["target"]["selector"][1].update(start="3"),
            "'start' must be a whole number",
        ),
        (
            lambda d: d["first"]["items"][0]["target"]["selector"][1].update(start=True),
            "'start' must be a whole number",
        ),
        (
            lambda d: d["first"]["items"][0]["target"]["selector"][1].update(start=-1),
            "out of range",
        ),
        (
            lambda d: d["first"]["items"][0]["target"]["selector"][1].update(start=10, end=2),
            "ends before it starts",
        ),
        (lambda d: d["first"]["items"][0].update(created="yesterday"), "not an ISO-8601"),
        (lambda d: d["first"]["items"][0].pop("created"), "missing 'created'"),
        (lambda d: d["first"]["items"][0].update(motivation="editing"), "unsupported motivation"),
        (lambda d: d["first"]["items"][0]["essaytui:data"].update(kind="scribble"), "unknown kind"),
        (lambda d: d["first"]["items"][0]["essaytui:data"].update(tags="a"), "'tags' must be"),
        (lambda d: d["first"]["items"][0]["essaytui:data"].update(tags=[1]), "'tags' must hold"),
        (lambda d: d["first"]["items"][0]["essaytui:data"].update(text_hash="zz"), "sha256"),
        (lambda d: d["first"]["items"][0].update(body="text"), "TextualBody"),
        (
            lambda d: d["first"]["items"][1]["essaytui:data"].update(color="c" * 65),
            "longer than 64",
        ),
        (lambda d: d["first"]["items"].append(d["first"]["items"][0]), "appears twice"),
    ],
)
def test_malformed_imports_are_rejected_with_a_message(
    essay: Essay, marks: list[Annotation], break_it: object, message: str
) -> None:
    data = copy.deepcopy(_valid(essay, marks))
    assert callable(break_it)
    break_it(data)
    with pytest.raises(InterchangeError, match=message):
        from_web_annotation(data)


@pytest.mark.parametrize("data", [None, 3, "text", True])
def test_non_objects_are_rejected(data: object) -> None:
    with pytest.raises(InterchangeError, match="expected a JSON object"):
        from_web_annotation(data)


def test_item_without_an_essay_is_rejected() -> None:
    item = {
        "type": "Annotation",
        "id": "urn:uuid:6f9619ff-8b86-d011-b42d-00c04fc964ff",
        "created": "2020-01-01T00:00:00Z",
        "target": {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": "q"}},
    }
    with pytest.raises(InterchangeError, match="which essay"):
        from_web_annotation(item)


def test_bad_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(InterchangeError, match="cannot read"):
        read_web_annotation_file(missing)
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": ', encoding="utf-8")
    with pytest.raises(InterchangeError, match="not valid JSON"):
        read_web_annotation_file(broken)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InterchangeError, match="not UTF-8"):
        read_web_annotation_file(binary)
