"""Text that reads: at least 4.5:1 against its background (WCAG 2, level AA).

Themes choose their colours for their own widgets; a highlight, a search match or a
link drawn over an essay is a pairing no theme was checked for (a light green under
light text is 1.7:1). `legible` keeps a pairing that reads and otherwise moves the text
colour towards black or white, whichever contrasts more with the background, just as far
as needed, so the theme's hue stays as much as it can.
"""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.color import ColorType
from rich.style import Style

#: WCAG 2 AA for body text.
MINIMUM = 4.5

_RGB = tuple[int, int, int]


def luminance(rgb: _RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = rgb
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(one: _RGB, two: _RGB) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((luminance(one), luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _mix(one: _RGB, two: _RGB, amount: float) -> _RGB:
    return (
        round(one[0] + (two[0] - one[0]) * amount),
        round(one[1] + (two[1] - one[1]) * amount),
        round(one[2] + (two[2] - one[2]) * amount),
    )


def readable(text: _RGB, background: _RGB, minimum: float = MINIMUM) -> _RGB:
    """`text`, or the nearest colour towards black or white that reads on `background`."""
    if contrast(text, background) >= minimum:
        return text
    white, black = (255, 255, 255), (0, 0, 0)
    extreme = white if contrast(white, background) >= contrast(black, background) else black
    low, high = 0.0, 1.0
    for _ in range(12):  # the contrast grows as the text moves to the extreme
        middle = (low + high) / 2
        if contrast(_mix(text, extreme, middle), background) >= minimum:
            high = middle
        else:
            low = middle
    return _mix(text, extreme, high)


def legible(style: Style, text: RichColor | None, background: RichColor | None) -> Style:
    """`style` with its text colour made to read on its background.

    `text` and `background` are what the style falls back to where it sets no colour.
    Colours the terminal picks (the ansi themes, "default") are left alone: only the
    terminal knows what they look like.
    """
    foreground = style.color or text
    ground = style.bgcolor or background
    if foreground is None or ground is None or not _known(foreground) or not _known(ground):
        return style
    fore = foreground.get_truecolor()
    back = ground.get_truecolor()
    fixed = readable((fore.red, fore.green, fore.blue), (back.red, back.green, back.blue))
    if fixed == (fore.red, fore.green, fore.blue):
        return style
    return style + Style(color=RichColor.from_rgb(*fixed))


def _known(color: RichColor) -> bool:
    return color.type in (ColorType.TRUECOLOR, ColorType.EIGHT_BIT)
