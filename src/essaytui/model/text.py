"""Plain text, character by character: what every other module of the model leans on.

Sanitising (`sanitize`: a file's text made inert for a terminal), case
folding that keeps offsets (`lower_same_length`), sentence and word bounds for
selections, and the superscript digits footnote markers are written in. The leaf of
the model: it imports nothing but the standard library (design §9).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# -- sanitising ----------------------------------------------------------------------

#: Characters that must never reach the terminal: C0 controls except tab and
#: newline, DEL, C1 controls, the bidirectional controls that can make displayed
#: text differ from the stored text, invisible format characters, and lone
#: surrogates (no terminal or encoder can take one).
_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u206a\u206b\u206c\u206d\u206e\u206f"  # deprecated format characters
    "\ufeff"  # zero-width no-break space (a byte order mark past the start)
    "\ufff9\ufffa\ufffb"  # interlinear annotation
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
    + _INVISIBLE
    + "\ud800-\udfff\U000e0000-\U000e007f]"
)
_DROPPED = frozenset(_INVISIBLE) | _BIDI | {chr(code) for code in range(0xE0000, 0xE0080)}

#: Spaces between tab stops in `sanitize`.
TAB_SIZE = 4


#: What opens the question of a ``<details>`` (its ``<summary>``), in Markdown's HTML
#: and in a saved page alike.
SUMMARY_SIGN = "▸ "


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        # U+2400 block: ␀ ␁ … ␛ (ESC) … ␟, one symbol per control character
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    if char in _DROPPED:
        return ""
    if char in "\u2028\u2029":
        return " "  # line/paragraph separators: str.splitlines() would split on them
    return "\ufffd"  # C1 controls have no control picture; a lone surrogate is no character


_VISIBLE: dict[str, str] = {
    chr(code): _visible(chr(code))
    for code in [
        *range(0x20),
        0x7F,
        *range(0x80, 0xA0),
        0x2028,
        0x2029,
        *range(0xD800, 0xE000),
        *map(ord, _DROPPED),
    ]
}


def _made_visible(text: str) -> str:
    """`text` with every unsafe character replaced by its symbol (or dropped)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda match: _VISIBLE[match.group()], text)


def sanitize(text: str) -> str:
    """Make `text` inert for a terminal.

    Newlines are normalised to ``\\n``; tabs become spaces (4-column stops);
    other control characters (C0, DEL, C1, including ESC and BEL) become
    visible symbols from the Unicode Control Pictures block (ESC shows as
    ``␛``, C1 controls as ``�``); Unicode line and paragraph separators become
    spaces; a lone surrogate becomes ``�``.

    Characters that draw nothing are dropped: the bidirectional controls
    (overrides, isolates, and the marks U+200E, U+200F, U+061C) and the
    invisible format characters - zero-width space, joiner and non-joiner
    (U+200B-U+200D), word joiner and invisible operators (U+2060-U+2064),
    U+FEFF, the soft hyphen U+00AD, the tag characters U+E0000-U+E007F and a
    few more. Shown as symbols they would litter ordinary text (a soft hyphen
    or a joiner in every other word of some files); kept, they make two strings
    that look the same differ, so a search or a quote would miss, a word could
    hide inside another, and terminals disagree on their width. Emoji joined by
    U+200D then show as their parts, and a tag sequence flag as a plain flag.

    The result may be shorter or longer than `text`.
    """
    text = normalise_newlines(text)
    if "\t" in text:
        text = text.expandtabs(TAB_SIZE)
    return _made_visible(text)


#: What an lxml tree refuses in a text or an attribute (XML 1.0 has no place for it):
#: C0 controls but tab, newline and carriage return; U+FFFE and U+FFFF; lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_compatible(text: str) -> str:
    """`text` with what an XML tree cannot hold already as `sanitize` would show it: a
    C0 control as its control picture (BEL as ``␇``, ESC as ``␛``), U+FFFE, U+FFFF
    and a lone surrogate as ``�``.

    libxml2's HTML parser keeps such characters, but lxml raises on any string holding
    one that is set as a text or an attribute: every edit of a tree near one failed.
    """
    if _NOT_XML.search(text) is None:
        return text
    return _NOT_XML.sub(lambda match: _xml_visible(match.group()), text)


def _xml_visible(char: str) -> str:
    code = ord(char)
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def sanitize_inline(text: str) -> str:
    """Like `sanitize`, for a piece of one line: a tab becomes one space."""
    if "\t" in text:
        text = text.replace("\t", " ")
    if "\r" in text:
        text = text.replace("\r", " ")
    # `_made_visible` written out: this runs for every piece of text in a parse
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda match: _VISIBLE[match.group()], text)


def normalise_newlines(text: str) -> str:
    """`text` with every ``\\r\\n`` and lone ``\\r`` made ``\\n``."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# -- case folding ----------------------------------------------------------------------

#: Characters lower-cased at a time by `lower_same_length`.
_LOWER_SLICE = 1 << 16


def lower_same_length(text: str) -> str:
    """`text` lower-cased one character at a time, so offsets do not shift."""
    if len(text) <= _LOWER_SLICE:
        return _lower_slice(text)
    # str.lower() of non-ASCII text allocates room for 3 code points of 4 bytes
    # per character (special casing); slices keep that transient small.
    return "".join(
        _lower_slice(text[start : start + _LOWER_SLICE])
        for start in range(0, len(text), _LOWER_SLICE)
    )


def _lower_slice(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters (e.g. 'İ') lower to two code points; keep those as they are.
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


#: Characters split into words at a time by `word_count`.
_WORD_COUNT_SLICE = 1 << 16


def word_count(text: str, slice_size: int = _WORD_COUNT_SLICE) -> int:
    """`len(text.split())`, without holding a list of every word: a 4.4 MB essay's
    ~700,000 words took ~40 MB at once, the largest moment of opening it."""
    count = 0
    for start in range(0, len(text), slice_size):
        count += len(text[start : start + slice_size].split())
        if start and not text[start - 1].isspace() and not text[start].isspace():
            count -= 1  # a word across the cut was counted in both slices
    return count


# -- superscripts ------------------------------------------------------------------------

#: The digits footnote markers are written in.
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)


def superscript(number: int) -> str:
    """The footnote marker shown for footnote `number` (e.g. 12 → "¹²")."""
    return str(number).translate(_SUPERSCRIPT)


# -- sentences and words -------------------------------------------------------------------

#: The text placed between two blocks in a reading text: a paragraph break.
BLOCK_SEPARATOR = "\n\n"

#: How far from an offset its sentence's start and end are looked for, each way.
SENTENCE_REACH = 4000

# A sentence ends after ".", "!", "?" (and closing quotes, brackets or a footnote
# marker) followed by space, or at a paragraph break.
_SENTENCE_END = re.compile(
    rf"[.!?…。！？][\"'”’)\]{SUPERSCRIPT_DIGITS}]*(?:\s+|$)|{BLOCK_SEPARATOR}"
)
_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The `(start, end)` of the sentence of `text` that contains `offset`.

    A sentence ends after `.`, `!`, `?` (and closing quotes) followed by space,
    or at a paragraph break.
    """
    offset = max(0, min(offset, len(text)))
    window_start = max(0, offset - SENTENCE_REACH)
    limit = min(len(text), offset + SENTENCE_REACH)
    start = window_start
    following = None
    # One pass over the whole window: a sentence's end (".¹ ") may run past `offset`,
    # as when `offset` is a footnote marker, which belongs to the sentence before it.
    for match in _SENTENCE_END.finditer(text, window_start, limit):
        if match.end() <= offset:
            start = match.end()
        else:
            following = match
            break
    if following is None:
        end = limit
    elif following.group() == BLOCK_SEPARATOR:
        end = following.start()
    else:
        end = following.start() + len(following.group().rstrip())
    while start < end and text[start].isspace():
        start += 1
    return start, max(start, end)


def word_starts(text: str, start: int, end: int) -> Sequence[int]:
    """Offsets of the words that begin within `[start, end)` of `text`."""
    return [match.start() for match in _WORD.finditer(text, start, end)]


# -- anchors, CJK, superscripts and subscripts ------------------------------------------

# What GitHub drops from a heading when it makes its anchor: everything but letters,
# digits, "_", "-" and spaces (each character looked at once).
_NOT_SLUG = re.compile(r"[^\w\- ]")


def github_slug(title: str) -> str:
    """A heading's anchor as GitHub makes it: "Goals and non-goals" → ``goals-and-non-goals``."""
    return _NOT_SLUG.sub("", title.strip().lower()).replace(" ", "-")


def is_cjk(char: str) -> bool:
    """Whether `char` is a Chinese, Japanese or Korean character or CJK punctuation
    (between two of them a line break is no space)."""
    if not char:
        return False
    code = ord(char)
    return (
        0x3000 <= code <= 0x30FF  # CJK symbols and punctuation, hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # extension A
        or 0x4E00 <= code <= 0x9FFF  # unified ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width and half-width forms
        or 0x20000 <= code <= 0x2FA1F  # extensions B-F, supplement
    )


_SCRIPTS = {
    "sup": str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"),
    "sub": str.maketrans("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ"),
}
_SCRIPT_CHARACTERS = {
    "sup": frozenset("0123456789+-=()ni "),
    "sub": frozenset("0123456789+-=()aeoxhklmnpst "),
}


def script_text(text: str, script: str) -> str:
    """`text` written as superscript (`script` "sup") or subscript ("sub") characters
    when each of it has one (``<sup>2</sup>`` → "²"); else `text` as it is."""
    if not set(text) <= _SCRIPT_CHARACTERS[script]:
        return text
    return text.translate(_SCRIPTS[script])


#: TeX's Greek letters and a few signs, as the characters they stand for.
_TEX_SYMBOLS = {
    **{name: chr(0x3B1 + index) for index, name in enumerate((
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "varsigma", "sigma",
        "tau", "upsilon", "phi", "chi", "psi", "omega",
    ))},
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "infty": "∞", "to": "→",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "times": "×", "cdot": "·",
    "in": "∈", "sum": "∑", "int": "∫", "approx": "≈", "pm": "±",
}  # fmt: skip
# A TeX command's name, and the space after it.
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)[ ]?")
# What TeX writes around math.
_TEX_DELIMITERS = ("$$", "$", "\\(", "\\)", "\\[", "\\]")


def tex_as_text(tex: str) -> str:
    """Inline TeX as plain words, for a title or an outline entry: delimiters and
    braces go, a command's argument stays (``\\textit{Socrates}`` → "Socrates"), Greek
    letters and common signs become their characters, other commands go."""
    for delimiter in _TEX_DELIMITERS:
        tex = tex.replace(delimiter, "")
    tex = _TEX_COMMAND.sub(lambda match: _TEX_SYMBOLS.get(match.group(1), ""), tex)
    return tex.replace("{", "").replace("}", "")
