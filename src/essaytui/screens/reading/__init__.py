"""The parts of the reader screen, each a plain object the screen owns.

`ReaderScreen` (screens/reader.py) composes the panes, holds the bindings and routes
keys and messages to these parts; each part does one job on the shared `Reading`:

- `reading.Reading`: the essay, the store and the sessions of one reading, the bottom
  line (`say`), the saved place.
- `layout.PaneLayout`: where the text and the panes go (o, p, 1…5, z, +/-, sidenotes).
- `navigation.Navigation`: jumps and the way back (backspace, bookmarks, sections,
  footnotes, terms, links).
- `finding.Finding`: search (/, n, N, *, escape).
- `annotations.Annotations`: highlights, notes, bookmarks, undo and the Notes pane.
- `quoting.Quoting`: y, the quotations file, citation styles, export.
- `peeking.Peeking`: the peek under a selected footnote, term or link.
"""
