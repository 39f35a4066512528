"""Adversarial inputs for the patterns that read Markdown's dialects (issue 22), merged
into `test_growth.PATTERN_CASES`: kept in a module of their own so that the cases of
the dialects and those of the rest of the parser can grow apart."""

from __future__ import annotations

from collections.abc import Callable

Build = Callable[[int], str]

DIALECT_PATTERN_CASES: dict[str, tuple[str, list[Build]]] = {
    "essaytui.model.markdown._TEX_SIGN": ("find", [lambda n: "\\" * n, lambda n: "\\a" * n]),
    "essaytui.model.markdown._BRACKET": ("find", [lambda n: "[" * n, lambda n: "\\]" * n]),
    "essaytui.model.html._PAGE_MARKUP": (
        "find",
        [
            lambda n: " " * n + "x",
            lambda n: "=" * n + " x",
            lambda n: "\\" * n,
            lambda n: "&#" + "a" * n,
            lambda n: "1" * n + "x",
            lambda n: "]" * n,
        ],
    ),
    "essaytui.model.html._LINK_MARKUP": (
        "find",
        [lambda n: " " * n + "x", lambda n: "]" * n, lambda n: "&" * n],
    ),
    "essaytui.model.html._PIPE": ("find", [lambda n: "|" * n]),
}
