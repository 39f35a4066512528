"""The book benchmark: `python bench/book.py` (needs tmux).

Writes a generated EPUB with ~10 MB of XHTML (`bench/out/book-10mb.epub`: 120 chapters of
prose with inline markup, noterefs to an endnotes chapter of ~2,400 notes, a nav
document), then, in a private tmux server as `bench/terminal.py` does, starts in turn:

- the hello-world Textual app (`bench/apps.py hello`), the floor;
- `essaytui book.epub` with an empty cache directory (*first open*: the first chapters are
  converted before the first screen, the rest in the background);
- `essaytui book.epub` with the cache the first open left (*reopen*);
- `essaytui` on the bundled essay (9 KB of Markdown): what essaytui costs before any book.

Each start is timed to the book's first sentence on screen, then until the app goes quiet
(*settled*: the whole book converted and parsed), and its peak memory read from /proc.
Medians over the repeats, with the ratios to the hello-world app of the same run, are
printed as Markdown.

    python bench/book.py [--repeats 3] [--size 10] [--before SRC]

`--one-process` also starts the first open and the reopen with reading ahead in a second
process switched off (`ESSAYTUI_READ_AHEAD=0`, `model.read_ahead`). Peak memory and
"settled" count the app's child processes too (the child reading ahead).

`--before SRC` also starts, in the same alternation, the first open and the reopen with
another tree of essaytui's code first on PYTHONPATH (e.g. `git archive <commit> src`
unpacked: SRC is its `src`), each with a cache of its own: before and after in one run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import terminal  # noqa: E402
from apps import HELLO_LINE  # noqa: E402
from harness import BUNDLED, compile_sources, machine_description  # noqa: E402

OUT = BENCH / "out"

#: The words of the generated prose.
_PROSE = (
    "the keeper lamp island harbour evening storm light water oil glass gull cliff tide boat "
    "rope morning winter letter season window stone house road village bell wind slowly "
    "quietly again always never under across beyond before after because while"
)
_WORDS = _PROSE.split()

FIRST_SENTENCE = "Chapter one opens the generated book for the benchmark."


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.2:
        at = rng.randrange(len(words))
        words[at] = f"<i>{words[at]}</i>"
    return " ".join(words).capitalize() + "."


def write_book(path: Path, megabytes: float = 10.0, chapters: int = 120) -> Path:
    """A deterministic EPUB 3 with about `megabytes` of XHTML."""
    rng = random.Random(25)
    per_chapter = int(megabytes * 1024 * 1024 / chapters)
    notes: list[str] = []
    files: dict[str, str] = {}
    for number in range(1, chapters + 1):
        files[f"OEBPS/c{number}.xhtml"] = _chapter(number, per_chapter, rng, notes)
    files["OEBPS/endnotes.xhtml"] = _page(
        '<section epub:type="endnotes"><h2>Endnotes</h2><ol>' + "".join(notes) + "</ol></section>"
    )
    items = "".join(
        f'<item id="c{n}" href="c{n}.xhtml" media-type="application/xhtml+xml"/>'
        for n in range(1, chapters + 1)
    )
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(1, chapters + 1))
    nav = "".join(f'<li><a href="c{n}.xhtml">Chapter {n}</a></li>' for n in range(1, chapters + 1))
    files["OEBPS/nav.xhtml"] = _page(f'<nav epub:type="toc"><ol>{nav}</ol></nav>')
    files["OEBPS/content.opf"] = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="u"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="u">urn:bench:book</dc:identifier><dc:title>Bench Book</dc:title>'
        "<dc:creator>Bench Writer</dc:creator></metadata><manifest>"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        f'{items}<item id="notes" href="endnotes.xhtml" media-type="application/xhtml+xml"/>'
        f'</manifest><spine>{spine}<itemref idref="notes"/></spine></package>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" '
            'media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        for name, text in files.items():
            archive.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _chapter(number: int, size: int, rng: random.Random, notes: list[str]) -> str:
    """Chapter `number`: about `size` characters of paragraphs, a fifth of them with a
    noteref whose endnote is added to `notes`."""
    parts = [f'<section epub:type="chapter" id="c{number}"><h2>Chapter {number}</h2>']
    if number == 1:
        parts.append(f"<p>{FIRST_SENTENCE}</p>")
    written = 0
    while written < size:
        sentences = " ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))
        if rng.random() < 0.2:
            note = len(notes) + 1
            sentences += (
                f'<a href="endnotes.xhtml#note-{note}" id="noteref-{note}" '
                f'epub:type="noteref">{note}</a>'
            )
            notes.append(
                f'<li id="note-{note}" epub:type="endnote"><p>{_sentence(rng)} '
                f'<a href="c{number}.xhtml#noteref-{note}" epub:type="backlink">↩</a></p></li>'
            )
        paragraph = f"<p>{sentences}</p>\n"
        parts.append(paragraph)
        written += len(paragraph)
    parts.append("</section>")
    return _page("".join(parts))


def _page(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>c</title></head>'
        f"<body>{body}</body></html>"
    )


def xhtml_bytes(path: Path) -> int:
    """The uncompressed size of the book's XHTML."""
    with zipfile.ZipFile(path) as archive:
        return sum(i.file_size for i in archive.infolist() if i.filename.endswith(".xhtml"))


def measure(book: Path, options: argparse.Namespace) -> dict[str, list[terminal.Launch]]:
    """Start each app `options.repeats` times in turn; the launches by start."""
    python, script = terminal.check_setup(False, False)
    runs: dict[str, list[terminal.Launch]] = {
        "hello": [],
        "essaytui, bundled essay": [],
        "first open": [],
        "reopen": [],
    }
    if options.one_process:
        runs["first open, one process"] = []
        runs["reopen, one process"] = []
    if options.before is not None:
        runs["first open, before"] = []
        runs["reopen, before"] = []
    hello = terminal.AppStart("hello", [str(python), str(BENCH / "apps.py"), "hello"], HELLO_LINE)
    bundled = terminal.AppStart(
        "essaytui",
        [str(script), str(BUNDLED)],
        terminal.first_sentence(BUNDLED.read_text(encoding="utf-8")),
    )
    size = terminal.parse_size(options.terminal_size)
    with tempfile.TemporaryDirectory(prefix="essaytui-bench-book-") as tmp:
        tmux = terminal.Tmux(f"essaytui-bench-book-{os.getpid()}", terminal.server_env())
        bench = terminal.Bench(tmux, Path(tmp) / "data", size, options.timeout)
        try:
            for repeat in range(options.repeats):
                # a cache of its own per repeat: the first open finds it empty
                env = {"ESSAYTUI_CACHE_DIR": str(Path(tmp) / f"cache-{repeat}")}
                reader = terminal.AppStart(
                    "essaytui", [str(script), str(book)], FIRST_SENTENCE, env
                )
                runs["hello"].append(bench.launch(hello))
                runs["essaytui, bundled essay"].append(bench.launch(bundled))
                runs["first open"].append(bench.launch(reader))
                runs["reopen"].append(bench.launch(reader))
                if options.one_process:
                    alone = terminal.AppStart(
                        "essaytui",
                        [str(script), str(book)],
                        FIRST_SENTENCE,
                        {
                            "ESSAYTUI_CACHE_DIR": str(Path(tmp) / f"cache-alone-{repeat}"),
                            "ESSAYTUI_READ_AHEAD": "0",
                        },
                    )
                    runs["first open, one process"].append(bench.launch(alone))
                    runs["reopen, one process"].append(bench.launch(alone))
                if options.before is not None:
                    before = terminal.AppStart(
                        "essaytui",
                        [str(script), str(book)],
                        FIRST_SENTENCE,
                        {
                            "ESSAYTUI_CACHE_DIR": str(Path(tmp) / f"cache-before-{repeat}"),
                            "PYTHONPATH": str(options.before),
                        },
                    )
                    runs["first open, before"].append(bench.launch(before))
                    runs["reopen, before"].append(bench.launch(before))
                terminal.progress(f"run {repeat + 1}/{options.repeats} done")
        finally:
            tmux.close()
            for pid in bench.pids:
                terminal.end_process(pid, grace=2.0)
    return runs


def report(book: Path, runs: dict[str, list[terminal.Launch]], repeats: int) -> str:
    """The figures as Markdown, with the ratios to the hello-world app of the same runs."""
    floor = terminal.summarise(runs["hello"]).first_s
    lines = [
        *machine_description(),
        "",
        f"Book: {book.name}, {xhtml_bytes(book) / 2**20:.1f} MB of XHTML, "
        f"{book.stat().st_size / 2**20:.1f} MB zipped; median of {repeats}.",
        "",
        "| start | first sentence | ratio to hello-world | settled | peak memory |",
        "|---|---|---|---|---|",
    ]
    for name, launches in runs.items():
        summary = terminal.summarise(launches)
        lines.append(
            f"| {name} | {terminal.seconds(summary.first_s)} | "
            f"{terminal.ratio(summary.first_s, floor)} | {terminal.seconds(summary.settled_s)} | "
            f"{terminal.megabytes(summary.peak_mb)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the book, time its opening, print the figures."""
    parser = argparse.ArgumentParser(description="essaytui opening a ~10 MB EPUB")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--size", type=float, default=10.0, help="MB of XHTML (default 10)")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--terminal-size", default="140x45")
    parser.add_argument("--before", type=Path, help="another tree of the code (its src)")
    parser.add_argument(
        "--one-process",
        action="store_true",
        help="also start the book with ESSAYTUI_READ_AHEAD=0 (no second process)",
    )
    options = parser.parse_args(argv)
    book = write_book(OUT / f"book-{options.size:g}mb.epub", options.size)
    compile_sources()
    if options.before is not None:
        import compileall

        compileall.compile_dir(str(options.before), quiet=1)
    try:
        runs = measure(book, options)
    except terminal.HarnessError as error:
        print(f"bench/book.py: {error}", file=sys.stderr)
        return 2
    print(report(book, runs, options.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
