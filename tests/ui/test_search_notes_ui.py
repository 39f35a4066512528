"""Footnotes in the view: search finds text inside notes, the peek of
a long note says there is more, and Sources reaches the last of hundreds of notes.

The fixture is modelled on a long README of incident reports with 300+ footnotes,
where a publication's name ("Datamation") appears only in the notes.
"""

from __future__ import annotations

from pathlib import Path

from burst import burst
from ready import opened, reader, view_of
from textual import events
from textual.pilot import Pilot

from essaytui.app import EssayApp
from essaytui.sessions.targets import FootnoteRef, MatchRef
from essaytui.widgets.essay_view import EssayView
from essaytui.widgets.peek import Peek
from essaytui.widgets.search_bar import SearchBar
from essaytui.widgets.sources import MATCH_STYLE, SourcesPane

NOTES = Path(__file__).resolve().parents[1] / "data" / "reading" / "many-notes.md"


async def parsed(pilot: Pilot[None], app: EssayApp) -> EssayView:
    """The view once the whole essay is parsed (a long file's rest comes in a worker)."""
    await opened(pilot)
    view = view_of(app)
    for _ in range(200):
        if view.essay.complete:
            break
        await app.workers.wait_for_complete()
        await pilot.pause(0.02)
    assert view.essay.complete
    return view


def peek_text(app: EssayApp) -> str:
    peek = reader(app).query_one(Peek)
    assert not peek.has_class("-hidden")
    return str(peek.render())


async def search(pilot: Pilot[None], app: EssayApp, query: str) -> SearchBar:
    await pilot.press("slash", *query, "enter")
    await pilot.pause()
    return reader(app).query_one(SearchBar)


async def test_the_count_includes_matches_in_notes_and_n_reaches_each() -> None:
    app = EssayApp(NOTES)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await parsed(pilot, app)
        essay = view.essay
        assert "datamation" not in essay.reading_text.lower()  # only in the notes
        holding = [note for note in essay.footnotes if "Datamation" in note.text]
        expected = sum(note.text.count("Datamation") for note in holding)
        assert expected >= 10
        bar = await search(pilot, app, "datamation")
        assert bar.count == f"1/{expected}"
        labels: list[str] = []
        for step in range(expected):
            target = view.target
            assert isinstance(target, FootnoteRef), step
            assert "Datamation" in essay.footnotes_by_label[target.label].text
            assert view.row_of(target.start) is not None  # its reference is on screen
            assert "Datamation" in peek_text(app).replace("\n", " ")
            labels.append(target.label)
            await pilot.press("n")
        # every note that holds it, in reading order, then round to the first again
        assert list(dict.fromkeys(labels)) == [note.label for note in holding]
        assert bar.count == f"1/{expected}"
        await pilot.press("N")
        assert bar.count == f"{expected}/{expected}"


async def test_matches_in_the_text_and_in_notes_come_in_reading_order() -> None:
    app = EssayApp(NOTES)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await parsed(pilot, app)
        essay = view.essay
        # "1975" is in the text ("In 1975 a site …") and in the notes' dates
        in_text = essay.reading_text.count("1975")
        in_notes = sum(note.text.count("1975") for note in essay.footnotes)
        assert in_text and in_notes
        bar = await search(pilot, app, "1975")
        assert bar.count == f"1/{in_text + in_notes}"
        places: list[int] = []
        kinds: set[type] = set()
        for _ in range(12):
            target = view.target
            assert target is not None
            kinds.add(type(target))
            places.append(target.start)
            await pilot.press("n")
        assert kinds == {MatchRef, FootnoteRef}
        assert places == sorted(places)  # never back up the page while stepping on


async def test_sources_marks_the_matches_in_notes() -> None:
    app = EssayApp(NOTES)
    async with app.run_test(size=(160, 45)) as pilot:
        await parsed(pilot, app)
        await search(pilot, app, "datamation")
        await pilot.press("3")
        await pilot.pause()
        sources = reader(app).query_one(SourcesPane)
        essay = (await parsed(pilot, app)).essay
        label = next(note.label for note in essay.footnotes if "Datamation" in note.text)
        sources.show_source(label)
        prompt = sources.get_option(f"note:{label}").prompt
        from rich.text import Text

        assert isinstance(prompt, Text)
        marked = [
            prompt.plain[span.start : span.end]
            for span in prompt.spans
            if span.style == MATCH_STYLE
        ]
        assert marked and all(piece.lower() == "datamation" for piece in marked)
        # a note without the word has no mark
        other = next(note.label for note in essay.footnotes if "Datamation" not in note.text)
        sources.show_source(other)
        plain = sources.get_option(f"note:{other}").prompt
        assert isinstance(plain, Text)
        assert not [span for span in plain.spans if span.style == MATCH_STYLE]
        # the search gone, the marks go too
        await pilot.press("escape", "escape")
        await pilot.pause()
        again = sources.get_option(f"note:{label}").prompt if sources.option_count else None
        assert isinstance(again, Text)
        assert not [span for span in again.spans if span.style == MATCH_STYLE]


async def test_sources_reaches_the_last_of_hundreds_of_notes_with_end_and_back() -> None:
    app = EssayApp(NOTES)
    async with app.run_test(size=(120, 40)) as pilot:
        essay = (await parsed(pilot, app)).essay
        assert len(essay.footnotes) > 300
        await pilot.press("3")
        await pilot.pause()
        sources = reader(app).query_one(SourcesPane)
        shown = [str(sources.get_option_at_index(i).prompt) for i in range(sources.option_count)]
        assert not any("later sources" in text or "enter to show" in text for text in shown)
        await pilot.press("end")
        await pilot.pause()
        assert sources.highlighted_label == essay.footnotes[-1].label
        # it is on screen: the list scrolled to it
        highlighted = sources.highlighted
        assert highlighted is not None
        line = sources._index_to_line[highlighted]
        assert (
            sources.scroll_y <= line < sources.scroll_y + sources.scrollable_content_region.height
        )
        await pilot.press("home")
        assert sources.highlighted_label == essay.footnotes[0].label
        await pilot.press("G")
        assert sources.highlighted_label == essay.footnotes[-1].label
        # and up from the last, one note at a time, past where the list began: k once
        # through the app, then its action on the pane (what k runs), looking after each
        await pilot.press("k")
        seen: list[str] = [label] if (label := sources.highlighted_label) else []
        for _ in range(sources.CHUNK + 19):
            sources.action_cursor_up()
            label = sources.highlighted_label
            if label is not None and (not seen or seen[-1] != label):
                seen.append(label)
        labels = [note.label for note in essay.footnotes]
        first = labels.index(seen[-1])
        assert seen == list(reversed(labels[first : len(labels) - 1]))
        assert first < len(labels) - sources.CHUNK  # beyond the chunk listed at first


async def test_down_from_the_first_note_reaches_past_the_first_chunk() -> None:
    app = EssayApp(NOTES)
    async with app.run_test(size=(120, 40)) as pilot:
        essay = (await parsed(pilot, app)).essay
        await pilot.press("3")
        await pilot.pause()
        sources = reader(app).query_one(SourcesPane)
        await pilot.press("home")
        # bursts of page downs, as a reader holds the key (the terminal repeats it)
        last = essay.footnotes[-1].label
        for _ in range(20):
            await burst(pilot, *[events.Key("pagedown", None)] * 20)
            if sources.highlighted_label == last:
                break
        assert sources.highlighted_label == last
        # the wheel: scrolling to the bottom lists the rest too
        await pilot.press("home")
        for _ in range(80):
            sources.scroll_to(y=sources.max_scroll_y, animate=False, immediate=True)
            await pilot.pause()
        assert any(
            sources.get_option_at_index(i).id == f"note:{last}" for i in range(sources.option_count)
        )


async def test_the_peek_of_a_long_note_says_enter_shows_all_of_it() -> None:
    app = EssayApp(NOTES)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await parsed(pilot, app)
        essay = view.essay
        long_note = next(note for note in essay.footnotes if len(note.text) > 700)
        start, end = long_note.refs[0]
        view.select_target(FootnoteRef(start, end, long_note.label))
        await pilot.pause()
        shown = peek_text(app)
        assert shown.rstrip().endswith("… enter: the whole note")
        assert long_note.text[-40:] not in shown.replace("\n", " ")
        await pilot.press("enter")
        await pilot.pause()
        sources = reader(app).query_one(SourcesPane)
        assert sources.highlighted_label == long_note.label
        prompt = str(sources.get_option(f"note:{long_note.label}").prompt)
        assert long_note.text[-40:] in prompt  # whole, in Sources
