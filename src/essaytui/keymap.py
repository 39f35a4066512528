"""Key remapping from the user's `keys.toml`, applied with `App.set_keymap`.

```toml
[keys]
"essay.next_footnote" = "f,ctrl+n"
"reader.back" = "backspace,H"
```
The ids are those in the help screen's source: every binding has a stable id.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import Binding


class KeymapError(Exception):
    """The keymap file cannot be used; the message says why, in one line."""


def load_keymap(path: Path) -> tuple[dict[str, str], list[str]]:
    """The remapping in `path` (binding id → keys; empty if there is no file), and
    warnings about entries that are not keys (left out). Ids are checked later, by
    `unknown_ids`, against every binding of the reader.

    Raises:
        KeymapError: the file exists but is not valid TOML or not a `[keys]` table.
    """
    try:
        if not path.is_file():
            return {}, []
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise KeymapError(f"{path}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise KeymapError(f"{path}: not valid TOML ({error})") from None
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise KeymapError(f'{path}: [keys] must be a table of binding id = "keys"')
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            warnings.append(f'{path.name}: {binding_id} needs a string such as "f,ctrl+n"')
            continue
        keymap[binding_id] = value
    return keymap, warnings


def unknown_ids(keymap: dict[str, str], known: set[str], file_name: str) -> list[str]:
    """A warning for each id in `keymap` that no binding has."""
    return [
        f"{file_name}: unknown binding id {binding_id!r}"
        for binding_id in keymap
        if binding_id not in known
    ]


def clashes(
    chains: Sequence[Sequence[Sequence[Binding]]],
    keymap: Mapping[str, str],
    normalize: Callable[[str], str],
    describe: Callable[[Binding], str],
) -> list[str]:
    """A warning for each key that `keymap` gives to two actions that apply together.

    Args:
        chains: the places the focus can be, each as the bindings that apply there from
            the most specific level to the least (a pane, its screen, the app).
        keymap: binding id → keys, as remapped.
        normalize: a key as written (`?`) → Textual's name for it (`question_mark`).
        describe: a binding → its name for the reader ("Highlight").

    Only clashes the keymap made are reported (the reader's own keys share some on
    purpose: `b` pages up, or moves a selection back a word while one is made). On one
    level the remapped binding takes the key and the other loses it; across levels the
    more specific one (a pane's over its screen's) runs first.
    """
    found: dict[tuple[str, str, str], str] = {}
    for chain in chains:
        holders: dict[str, list[tuple[int, bool, Binding]]] = {}
        for level, bindings in enumerate(chain):
            for binding in bindings:
                remapped = bool(binding.id) and binding.id in keymap
                for key in set(_keys(binding, keymap, normalize)):
                    holders.setdefault(key, []).append((level, remapped, binding))
        for key, held in holders.items():
            ids = {binding.id for _, _, binding in held}
            if len(ids) < 2 or not any(remapped for _, remapped, _ in held):
                continue
            # the winner: the most specific level; on one level, the remapped binding
            winner = min(held, key=lambda entry: (entry[0], not entry[1]))[2]
            for _, _, loser in held:
                if loser.id == winner.id:
                    continue
                pair = (key, winner.id or "", loser.id or "")
                rest = [k for k in _keys(loser, keymap, normalize) if k != key]
                left = (
                    f"{describe(loser)} keeps {', '.join(rest)}"
                    if rest
                    else f"{describe(loser)} has no key left: give it one in keys.toml"
                )
                found[pair] = (
                    f"keys.toml: {key} is both {winner.id} ({describe(winner)}) and "
                    f"{loser.id} ({describe(loser)}); {key} runs {describe(winner)}, {left}"
                )
    return list(found.values())


def _keys(
    binding: Binding, keymap: Mapping[str, str], normalize: Callable[[str], str]
) -> list[str]:
    """The keys of `binding` once `keymap` is applied, in Textual's names."""
    keys = keymap.get(binding.id or "", binding.key)
    return [normalize(key.strip()) for key in keys.split(",") if key.strip()]
