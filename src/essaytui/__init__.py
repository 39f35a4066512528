"""essaytui: a terminal reader for long-form essays."""

# The one place the version is written (pyproject.toml reads it from here): looking
# it up with importlib.metadata costs ~20-40 ms of every start.
__version__ = "0.1.0"
