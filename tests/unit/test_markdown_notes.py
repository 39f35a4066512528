"""The Markdown export as a note to keep: front matter, a stable ^block-id per
annotation, the sources it quotes as footnotes, tags; `export --all`."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from essaytui_run import essaytui
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from essaytui import paths
from essaytui.interchange.markdown import block_id, file_name, tag_name, to_markdown
from essaytui.model.annotation import Annotation, Kind, as_deleted, make_annotation, with_note
from essaytui.model.essay import Essay
from essaytui.model.files import load_essay
from essaytui.store import AnnotationStore


@pytest.fixture(scope="module")
def bundled() -> Essay:
    return load_essay(paths.default_essay())


def on(
    essay: Essay, first: str, last: str, kind: Kind = Kind.HIGHLIGHT, **extra: object
) -> Annotation:
    start = essay.reading_text.index(first)
    end = essay.reading_text.index(last, start) + len(last)
    return make_annotation(essay, start, end, kind, **extra)  # type: ignore[arg-type]


def front_matter(text: str) -> dict[str, object]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match is not None
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def test_the_note_reads_well_in_a_vault(bundled: Essay) -> None:
    marks = [
        on(
            bundled,
            "In his recent visit",
            "orientation.¹",
            Kind.NOTE,
            note="Check the *Xinhua* piece.",
            tags=("china", "diplomacy"),
        ),
        on(bundled, "Despite the grandiose", "minimal level.⁴", color="green"),
    ]
    text = to_markdown(bundled, marks)
    data = front_matter(text)
    assert data["title"] == "Strategic partners with caveats: China & Russia"
    assert data["author"] == "Dean Chen" and data["series"] == "Part 5"
    assert data["tags"] == ["china", "diplomacy"]
    assert data["citation"] == (
        "Chen, Dean. n.d. Strategic Partners with Caveats: China & Russia. Part 5."
    )
    assert "date" not in data  # never invented
    body = text.split("\n---\n", 1)[1]
    assert body.startswith("\n# Strategic partners with caveats: China & Russia\n\n*Dean Chen*\n")
    first = block_id(marks[0].id)
    assert (
        "## The official view: a close partnership\n\n> In his recent visit to Russia on " in body
    )
    # the footnote marker becomes a Markdown footnote with the source's words
    assert (
        "major foreign policy orientation.[^1]\n\n^" + first + "\n\nCheck the *Xinhua* piece.\n"
        in body
    )
    assert "note · ¶ 1 · " in body and "#color/yellow #china #diplomacy" in body
    assert "highlight · ¶ 3 · " in body and "#color/green" in body
    assert body.rstrip().endswith(
        "[^4]: Jindong Yuan, “A Sino-Russian Alliance? Rationales and Realities,” China Policy "
        "Institute Blog on April 15, 2016, Accessed April 17, 2016,"
    )
    assert "[^1]: “China confident about relations with Russia,” Xinhua" in body
    # a Markdown reader sees two footnotes, the quotes, and no stray superscripts
    md = MarkdownIt("commonmark").use(footnote_plugin)
    tokens = md.parse(body)
    assert sum(t.type == "footnote_open" for t in tokens) == 2
    assert sum(t.type == "blockquote_open" for t in tokens) == 2
    assert "¹" not in body and "⁴" not in body


def test_the_same_annotation_gets_the_same_block_id_every_time(bundled: Essay) -> None:
    one = on(bundled, "In all aspects", "good state.")
    two = on(bundled, "An often neglected", "bitter rivalries")
    first = to_markdown(bundled, [one, two])
    assert to_markdown(bundled, [two, one]) == first  # nothing depends on order or time
    assert f"^{block_id(one.id)}\n" in first and f"^{block_id(two.id)}\n" in first
    # adding a note and editing another changes only their own lines
    three = on(bundled, "Tracing history back", "19th century")
    later = to_markdown(bundled, [one, with_note(two, "edited"), three])
    assert f"^{block_id(one.id)}\n" in later and f"^{block_id(two.id)}\n" in later
    assert later.count("^") == 3
    assert re.fullmatch(r"[0-9a-f]{12}", block_id(one.id))
    # deleted annotations are not exported
    assert block_id(one.id) not in to_markdown(bundled, [as_deleted(one), two])


def test_block_ids_stay_unique_when_their_short_forms_clash(bundled: Essay) -> None:
    one = on(bundled, "In all aspects", "good state.")
    two = on(bundled, "An often neglected", "bitter rivalries")
    clash = replace(two, id=one.id[:14] + "ffff-ffff-ffffffffffff")
    text = to_markdown(bundled, [one, clash])
    ids = re.findall(r"^\^([0-9a-z-]+)$", text, re.MULTILINE)
    assert len(ids) == 2 and len(set(ids)) == 2


def test_tags_are_markdown_tags() -> None:
    assert tag_name("trade war") == "trade-war"
    assert tag_name("econ/asia") == "econ/asia"
    assert tag_name("2016") == "tag-2016"
    assert tag_name("#!?") == ""


def test_a_moved_passage_is_exported_from_its_quote(bundled: Essay, tmp_path: Path) -> None:
    stale = replace(on(bundled, "In all aspects", "good state."), text_hash="0" * 64)
    moved = replace(stale, start=5, end=9)  # offsets of another edition
    text = to_markdown(bundled, [moved])
    assert "> In all aspects, China-Russia relationship seems to be in a good state." in text
    assert "¶" not in text.split("---", 2)[2]  # no paragraph number it cannot vouch for


def test_export_all_writes_one_file_per_essay(tmp_path: Path, bundled: Essay) -> None:
    data = tmp_path / "data"
    other = tmp_path / "other.md"
    other.write_text(
        "---\nid: other-essay\ntitle: Another essay\nauthor: Ann Author\n---\n\n"
        "One paragraph of text to annotate.\n",
        encoding="utf-8",
    )
    second = load_essay(other)
    with AnnotationStore.open(data) as store:
        store.touch(bundled.id, str(paths.default_essay()), bundled.title, bundled.author)
        store.touch(second.id, str(other), second.title, second.author)
        store.add(
            on(bundled, "In all aspects", "good state.", Kind.NOTE, note="first", tags=("a",))
        )
        store.add(on(second, "One paragraph", "text", Kind.NOTE, note="second"))
    out = tmp_path / "vault"
    result = essaytui("export", "--all", "-o", out, data=data)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([f"{file_name(bundled)}.md", f"{file_name(second)}.md"])
    assert "exported the notes of 2 essay(s)" in result.stderr
    mine = (out / f"{file_name(bundled)}.md").read_text(encoding="utf-8")
    assert "first" in mine and "second" not in mine
    # exporting again rewrites the same bytes
    again = essaytui("export", "--all", "-o", out, data=data)
    assert again.returncode == 0
    assert (out / f"{file_name(bundled)}.md").read_text(encoding="utf-8") == mine
    # json too
    as_json = essaytui("export", "--all", "--format", "json", "-o", tmp_path / "j", data=data)
    assert as_json.returncode == 0 and len(list((tmp_path / "j").glob("*.json"))) == 2
    # an essay whose file is gone is still exported, from its notes alone
    other.unlink()
    gone = essaytui("export", "--all", "-o", tmp_path / "g", data=data)
    assert gone.returncode == 0 and "is not found" in gone.stderr
    assert len(list((tmp_path / "g").glob("*.md"))) == 2
    bad = essaytui("export", "--all", str(other), data=data)
    assert bad.returncode == 2 and "give no PATH" in bad.stderr
