"""Adversarial inputs for the patterns that read Markdown's dialects (issue 22), merged
into `test_growth.PATTERN_CASES`: kept in a module of their own so that the cases of
the dialects and those of the rest of the parser can grow apart."""

from __future__ import annotations

from collections.abc import Callable

Build = Callable[[int], str] | Callable[[int], bytes]

DIALECT_PATTERN_CASES: dict[str, tuple[str, list[Build]]] = {
    "essaytui.model.markdown._TEX_SIGN": ("find", [lambda n: "\\" * n, lambda n: "\\a" * n]),
    "essaytui.model.markdown._BRACKET": ("find", [lambda n: "[" * n, lambda n: "\\]" * n]),
    "essaytui.model.dialects._DIRECTIVE_FENCE": (
        "fullmatch",
        [lambda n: "```{" + "a" * n, lambda n: "`" * n + "{a}" + " " * n + "x"],
    ),
    "essaytui.model.dialects._COLON_DIRECTIVE": (
        "fullmatch",
        [lambda n: ":" * n + " " * n + "{a", lambda n: ":::{a}" + "}" * n],
    ),
    "essaytui.model.dialects._OPTION": (
        "fullmatch",
        [lambda n: ":a:" + " " * n + "\n", lambda n: ":" + "a" * n],
    ),
    "essaytui.model.dialects._TAB": (
        "fullmatch",
        [lambda n: '=== "' + "a" * n, lambda n: '=== ""' + " " * n + "x"],
    ),
    "essaytui.model.dialects._TARGET": (
        "fullmatch",
        [lambda n: "(" + "a" * n + ")=" + " " * n + "x"],
    ),
    "essaytui.model.dialects._ROLE": (
        "match",
        [lambda n: "{" + "a" * n, lambda n: "{a}" + "`" * n],
    ),
    "essaytui.model.dialects._SHORTCODE": ("find", [lambda n: "a" * n, lambda n: "a:" * n]),
    "essaytui.model.dialects._CLOSING_BRACE": ("find", [lambda n: "}" * n]),
    "essaytui.model.dialects._SCRIPT_END[~]": ("find", [lambda n: "a" * n, lambda n: "~ " * n]),
    "essaytui.model.dialects._SCRIPT_END[^]": ("find", [lambda n: "a" * n, lambda n: "^ " * n]),
    "essaytui.model.dialects._MYST_FRONT": ("find", [lambda n: "myst" * n, lambda n: "my" * n]),
    "essaytui.model.dialects._ATTRIBUTES_INFO": ("match", [lambda n: "{" + " " * n + "x"]),
    "essaytui.model.dialects._MYST_DIRECTIVE": (
        "find",
        [lambda n: "```{" * n, lambda n: "\n:::{" + "a" * n, lambda n: "`" * n],
    ),
    "essaytui.model.dialects._MKDOCS_CONSTRUCT": (
        "find",
        [lambda n: "!!!" + " " * n + "1", lambda n: "\n???" * n, lambda n: "===" + " " * n],
    ),
    "essaytui.model.dialects._META_LINE": (
        "fullmatch",
        [lambda n: "a:" + " " * n + "\nx", lambda n: " " * n + "\n", lambda n: "a" * n],
    ),
    "essaytui.model.pandoc_tables._GRID_RULE": (
        "fullmatch",
        [lambda n: "+" + "-+" * n + "x", lambda n: "+" + "-" * n, lambda n: "+-+" + " " * n + "x"],
    ),
    "essaytui.model.pandoc_tables._COLUMNS": (
        "fullmatch",
        [lambda n: "-- " * n + "x", lambda n: "--" + " " * n + "x", lambda n: "-" * n + " x"],
    ),
    "essaytui.model.pandoc_tables._DASHES": ("fullmatch", [lambda n: "-" * n + " " * n + "x"]),
    "essaytui.model.pandoc_tables._DASH_RUN": ("find", [lambda n: "- " * n, lambda n: "-" * n]),
    "essaytui.model.html._PAGE_MARKUP": (
        "find",
        [
            lambda n: " " * n + "x",
            lambda n: "=" * n + " x",
            lambda n: "\\" * n,
            lambda n: "&#" + "a" * n,
            lambda n: "1" * n + "x",
            lambda n: "]" * n,
            lambda n: ":a" * n,
            lambda n: ")=" + " " * n + "x",
        ],
    ),
    "essaytui.model.convert._SHORTCODE_REST": ("match", [lambda n: "a" * n, lambda n: "a:" * n]),
    "essaytui.model.convert._DIALECT_LINE": (
        "match",
        [lambda n: "(" + "a" * n, lambda n: "(a)=" + " " * n + "x", lambda n: "!!" * n],
    ),
    "essaytui.model.html._LINK_MARKUP": (
        "find",
        [lambda n: " " * n + "x", lambda n: "]" * n, lambda n: "&" * n],
    ),
    "essaytui.model.text._TEX_COMMAND": ("sub", [lambda n: "\\" * n, lambda n: "\\a" * n]),
    "essaytui.model.html._PIPE": ("find", [lambda n: "|" * n]),
    "essaytui.model.html._ABSOLUTE": ("match", [lambda n: "a" * n, lambda n: "a+" * n + "/"]),
}
