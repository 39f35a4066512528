"""Key remapping from the user's `keys.toml`, applied with `App.set_keymap`.

```toml
[keys]
"essay.next_footnote" = "f,ctrl+n"
"reader.back" = "backspace,h"
```
The ids are those in the help screen's source: every binding has a stable id.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


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
