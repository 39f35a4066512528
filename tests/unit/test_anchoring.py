"""Re-anchoring annotations after the essay's text changed (design §4)."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from essaytui.model.anchoring import reanchor, reanchor_all, reanchor_offset
from essaytui.model.annotation import (
    AnchorStatus,
    Annotation,
    Kind,
    make_annotation,
    text_hash,
)
from essaytui.model.essay import Essay

BASE = (
    "Strategic partners with caveats: the two states signed a treaty in 2001.\n\n"
    "Trade grew quickly after the treaty, although energy deals lagged behind.\n\n"
    "Observers noted that the partnership was pragmatic rather than ideological, "
    "and that each side kept its own counsel on regional disputes.\n\n"
    "In the end, the relationship rested on shared interests, not shared values."
)


def essay_of(text: str) -> Essay:
    return Essay(id="essay-1", title="Test", author="A. Writer", reading_text=text, blocks=())


def annotate(text: str, quote: str, occurrence: int = 0) -> Annotation:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_annotation(essay_of(text), start, start + len(quote), Kind.NOTE, note="n")


def test_unchanged_text_anchors_in_place() -> None:
    annotation = annotate(BASE, "pragmatic rather than ideological")
    anchor = reanchor(annotation, BASE)
    assert anchor.status is AnchorStatus.ANCHORED
    assert (anchor.start, anchor.end) == (annotation.start, annotation.end)
    assert anchor.drawn


def test_insertion_before_shifts_the_anchor() -> None:
    annotation = annotate(BASE, "pragmatic rather than ideological")
    changed = "A new opening paragraph was added by the editor.\n\n" + BASE
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.ANCHORED
    assert changed[anchor.start : anchor.end] == "pragmatic rather than ideological"


def test_typo_fixed_inside_the_quote_is_fuzzy() -> None:
    text = BASE.replace("pragmatic", "pragmatci")
    annotation = annotate(text, "the partnership was pragmatci rather than ideological")
    anchor = reanchor(annotation, BASE)
    assert anchor.status is AnchorStatus.FUZZY
    assert BASE[anchor.start : anchor.end] == (
        "the partnership was pragmatic rather than ideological"
    )
    assert anchor.quote_score < 1.0


def test_same_quote_twice_picks_the_one_with_matching_context() -> None:
    text = (
        "Before the first meeting, the delegates agreed on nothing at all.\n\n"
        "After the long second meeting, the delegates agreed on a joint communique."
    )
    annotation = annotate(text, "the delegates agreed on", occurrence=1)
    # The text changes elsewhere so the position check cannot answer.
    changed = "Preface.\n\n" + text.replace("nothing at all", "nothing")
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.ANCHORED
    second = changed.index("the delegates agreed on", changed.index("second"))
    assert (anchor.start, anchor.end) == (second, second + len("the delegates agreed on"))


def test_deleted_quote_is_orphaned_not_attached_to_a_look_alike() -> None:
    text = (
        "The committee approved the budget on Monday after a long debate.\n\n"
        "Later that month the council approved the budgets for the regions."
    )
    annotation = annotate(text, "approved the budget on Monday")
    changed = text.replace("The committee approved the budget on Monday after a long debate.", "")
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.ORPHAN
    assert (anchor.start, anchor.end) == (-1, -1)
    assert not anchor.drawn


def test_deleted_sentence_with_near_copy_elsewhere_is_not_anchored() -> None:
    annotation = annotate(BASE, "Trade grew quickly after the treaty")
    changed = BASE.replace("Trade grew quickly after the treaty, although", "Yet")
    changed += "\n\nTrade grew quickly after the war ended."
    anchor = reanchor(annotation, changed)
    assert anchor.status in (AnchorStatus.ORPHAN, AnchorStatus.NEEDS_REVIEW)
    assert not anchor.drawn


def test_short_quotes_re_anchor_by_context() -> None:
    text = "ab cd ab ef ab gh. The word ab appears here once with context xyz."
    start = text.index("ab appears")
    annotation = make_annotation(essay_of(text), start, start + 2, Kind.HIGHLIGHT)
    changed = "Inserted. " + text
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.ANCHORED
    assert anchor.start == changed.index("ab appears")


def test_short_quote_whose_context_vanished_is_not_anchored_to_a_random_occurrence() -> None:
    text = "Opening words. The odd token qz stands here alone. Closing words go on."
    start = text.index("qz")
    annotation = make_annotation(essay_of(text), start, start + 2, Kind.HIGHLIGHT)
    changed = "A completely different text where qz shows up by chance somewhere."
    anchor = reanchor(annotation, changed)
    assert anchor.status is not AnchorStatus.ANCHORED


def test_four_character_quote_moves_with_its_context() -> None:
    text = "one two three four. The year 1917 changed much. Then five six."
    start = text.index("1917")
    annotation = make_annotation(essay_of(text), start, start + 4, Kind.HIGHLIGHT)
    changed = "In 1917 too. " + text
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.ANCHORED
    assert anchor.start == changed.index("1917 changed")


def test_quote_at_the_very_start_and_end() -> None:
    first = make_annotation(essay_of(BASE), 0, 18, Kind.HIGHLIGHT)
    last = make_annotation(essay_of(BASE), len(BASE) - 14, len(BASE), Kind.HIGHLIGHT)
    changed = BASE.replace("Trade grew", "Commerce grew")
    anchors = reanchor_all([first, last], changed)
    assert anchors[0].status is AnchorStatus.ANCHORED
    assert (anchors[0].start, anchors[0].end) == (0, 18)
    assert anchors[1].status is AnchorStatus.ANCHORED
    assert changed[anchors[1].start : anchors[1].end] == BASE[-14:]
    assert anchors[1].end == len(changed)
    # Also after an insertion before the first quote.
    moved = "New. " + BASE
    anchor = reanchor(first, moved)
    assert anchor.status is AnchorStatus.ANCHORED
    assert anchor.start == 5


def test_quote_crossing_paragraphs() -> None:
    quote = "lagged behind.\n\nObservers noted"
    annotation = annotate(BASE, quote)
    assert "\n\n" in annotation.exact
    changed = "Intro.\n\n" + BASE
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.ANCHORED
    assert changed[anchor.start : anchor.end] == quote
    # A paragraph break turned into a single one is a fuzzy match.
    squeezed = BASE.replace("behind.\n\nObservers", "behind.\nObservers")
    anchor = reanchor(annotation, squeezed)
    assert anchor.status is AnchorStatus.FUZZY
    assert squeezed[anchor.start : anchor.end] == "lagged behind.\nObservers noted"


def test_nfc_annotation_in_nfd_text_maps_offsets_back() -> None:
    nfc = "Le café était fermé. Nous sommes allés à l’église près de la rivière. Fin."
    quote = "allés à l’église"
    annotation = annotate(nfc, quote)
    nfd = unicodedata.normalize("NFD", nfc)
    assert len(nfd) > len(nfc)
    anchor = reanchor(annotation, nfd)
    assert anchor.status is AnchorStatus.ANCHORED
    assert nfd[anchor.start : anchor.end] == unicodedata.normalize("NFD", quote)


def test_nfd_annotation_in_nfc_text() -> None:
    nfd = unicodedata.normalize("NFD", "Der Bürgermeister öffnete die Tür. Später kam Grüße.")
    quote = unicodedata.normalize("NFD", "öffnete die Tür")
    annotation = annotate(nfd, quote)
    nfc = unicodedata.normalize("NFC", nfd)
    anchor = reanchor(annotation, nfc)
    assert anchor.status is AnchorStatus.ANCHORED
    assert nfc[anchor.start : anchor.end] == "öffnete die Tür"


def test_hangul_and_cjk_text() -> None:
    text = (
        "中俄两国是战略伙伴，但仍有保留。双方在能源领域的合作进展缓慢。"
        "观察人士指出，这种伙伴关系是务实的。\n\n한국어 문장도 있습니다. 끝."
    )
    quote = "这种伙伴关系是务实的"
    annotation = annotate(text, quote)
    changed = "新的开头。" + text.replace("进展缓慢", "进展很慢")
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.ANCHORED
    assert changed[anchor.start : anchor.end] == quote
    korean = annotate(text, "문장도 있습니다")
    decomposed = unicodedata.normalize("NFD", text)
    anchor = reanchor(korean, decomposed)
    assert anchor.status is AnchorStatus.ANCHORED
    assert unicodedata.normalize("NFC", decomposed[anchor.start : anchor.end]) == "문장도 있습니다"


def test_cjk_typo_is_fuzzy() -> None:
    text = (
        "观察人士指出，这种伙伴关系是务实的，而不是意识形态的。"
        "双方各自保留立场，在地区争端上互不干涉。"
    )
    quote = "这种伙伴关系是务实的，而不是意识形态的"
    annotation = annotate(text, quote)
    changed = text.replace("务实的", "务实性的")
    anchor = reanchor(annotation, changed)
    assert anchor.status in (AnchorStatus.FUZZY, AnchorStatus.NEEDS_REVIEW)
    assert "务实性的" in changed[anchor.start : anchor.end]


def test_empty_bookmark_follows_its_context() -> None:
    offset = BASE.index("Observers")
    bookmark = make_annotation(essay_of(BASE), offset, offset, Kind.BOOKMARK)
    changed = "Intro.\n\n" + BASE
    anchor = reanchor(bookmark, changed)
    assert anchor.status is AnchorStatus.ANCHORED
    assert anchor.start == anchor.end == changed.index("Observers")
    assert reanchor(bookmark, "unrelated").status is AnchorStatus.ORPHAN


def test_reanchor_all_keeps_order() -> None:
    quotes = ["signed a treaty", "energy deals", "shared values"]
    annotations = [annotate(BASE, q) for q in quotes]
    changed = "X. " + BASE
    anchors = reanchor_all(annotations, changed)
    assert [changed[a.start : a.end] for a in anchors] == quotes


text_strategy = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=300
)


@settings(max_examples=150, deadline=None)
@given(text=text_strategy, data=st.data())
def test_unchanged_quote_always_re_anchors_exactly(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    annotation = make_annotation(essay_of(text), start, end, Kind.HIGHLIGHT)
    anchor = reanchor(annotation, text)
    assert anchor.status is AnchorStatus.ANCHORED
    assert (anchor.start, anchor.end) == (start, end)
    # Without the stored hash (e.g. an imported note) the position check still holds.
    from dataclasses import replace

    anchor = reanchor(replace(annotation, text_hash=""), text)
    assert anchor.status is AnchorStatus.ANCHORED
    assert (anchor.start, anchor.end) == (start, end)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="abcdefgh ij\n.", min_size=40, max_size=300),
    insertion=st.text(alphabet="klmnopqrstuvwxyz ", min_size=1, max_size=60),
    data=st.data(),
)
def test_quote_untouched_by_an_edit_elsewhere_re_anchors_exactly(
    text: str, insertion: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 40)))
    annotation = make_annotation(essay_of(text), start, end, Kind.HIGHLIGHT)
    # Insert away from the quote and its context, before or after it.
    before = data.draw(st.booleans())
    if before:
        assume(start - 32 > 0)
        where = data.draw(st.integers(0, start - 32))
    else:
        assume(end + 32 < len(text))
        where = data.draw(st.integers(end + 32, len(text)))
    changed = text[:where] + insertion + text[where:]
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.ANCHORED
    assert changed[anchor.start : anchor.end] == annotation.exact
    shift = len(insertion) if before else 0
    in_context = annotation.prefix + annotation.exact + annotation.suffix
    overlapping = sum(changed.startswith(in_context, i) for i in range(len(changed)))
    if overlapping == 1:
        assert anchor.start == start + shift


def test_long_quote_with_a_typo_fixed_and_text_inserted_before() -> None:
    text = BASE * 4
    start = text.index("Observers", len(BASE) * 2)
    annotation = make_annotation(essay_of(text), start, start + 180, Kind.NOTE, note="long")
    quote = annotation.exact
    fixed = quote.replace("pragmatic", "pragmatik")
    changed = "A preface.\n\n" + text.replace(quote, fixed)
    anchor = reanchor(annotation, changed)
    assert anchor.status is AnchorStatus.FUZZY
    # The third copy (the one annotated), not the others, which also changed.
    expected = changed.index(fixed, changed.index("Observers", 12 + len(BASE) * 2) - 1)
    assert (anchor.start, anchor.end) == (expected, expected + len(fixed))


def test_long_quote_deleted_is_orphaned() -> None:
    text = BASE + "\n\n" + "A paragraph that will go away entirely, with its own words. " * 10
    start = text.index("A paragraph")
    annotation = make_annotation(essay_of(text), start, len(text), Kind.HIGHLIGHT)
    anchor = reanchor(annotation, BASE + "\n\nSomething else now ends the essay.")
    assert anchor.status is AnchorStatus.ORPHAN
    assert anchor.score < 0.75


@settings(max_examples=100, deadline=None)
@given(
    text=st.text(alphabet="aeéèüöçñ 한국 \n.", min_size=1, max_size=200),
    data=st.data(),
)
def test_nfd_text_maps_offsets_back_for_any_quote(text: str, data: st.DataObject) -> None:
    # The accent in front makes every NFD offset differ from the NFC one.
    nfc = unicodedata.normalize("NFC", "é. " + text)
    start = data.draw(st.integers(0, len(nfc) - 1))
    end = data.draw(st.integers(start + 1, len(nfc)))
    annotation = make_annotation(essay_of(nfc), start, end, Kind.HIGHLIGHT)
    nfd = unicodedata.normalize("NFD", nfc)
    anchor = reanchor(annotation, nfd)
    assert anchor.status is AnchorStatus.ANCHORED
    assert unicodedata.normalize("NFC", nfd[anchor.start : anchor.end]) == annotation.exact


def test_reading_position_follows_its_sentence() -> None:
    sentence = "Observers noted that the partnership was pragmatic"
    offset = BASE.index(sentence)
    assert reanchor_offset(offset, sentence, BASE) == offset
    assert reanchor_offset(offset, sentence, BASE, text_hash(BASE)) == offset
    moved = "New introduction.\n\n" + BASE
    assert reanchor_offset(offset, sentence, moved) == moved.index(sentence)
    edited = moved.replace("partnership", "partnershp")
    assert reanchor_offset(offset, sentence, edited) == edited.index("Observers")
    assert reanchor_offset(10_000, sentence, "Totally different text here.") == 28
    assert reanchor_offset(5, "", BASE) == 5


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab cé\u0301한\n.", min_size=1, max_size=200),
    changed=st.text(alphabet="ab cé\u0301한\n.x", max_size=200),
    data=st.data(),
)
def test_any_edit_gives_an_anchor_inside_the_new_text(
    text: str, changed: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    annotation = make_annotation(essay_of(text), start, end, Kind.NOTE)
    anchor = reanchor(annotation, changed)
    assert 0.0 <= anchor.score <= 1.0
    if anchor.status is AnchorStatus.ORPHAN:
        assert (anchor.start, anchor.end) == (-1, -1)
    else:
        assert 0 <= anchor.start <= anchor.end <= len(changed)
    if anchor.status is AnchorStatus.ANCHORED:
        found = changed[anchor.start : anchor.end]
        assert unicodedata.normalize("NFC", found) == unicodedata.normalize("NFC", annotation.exact)
