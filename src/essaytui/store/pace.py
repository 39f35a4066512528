"""The reading pace assumed before the reader's own is known (a module of its own: the
first screen's "time left" needs it, and not the library that learns the real one)."""

#: Words per minute assumed for "time left" until the reader's own are known.
DEFAULT_WPM = 230.0
