"""One source for every action: the bindings themselves.

Every key of the reader is Textual's own `Binding`, with a stable `id`, a `group` and its
help text as `tooltip`, declared (through `action`) in the `BINDINGS` of the class that
acts on it. The help screen, the command palette, the key hints and `keys.toml`
remapping are all read from those bindings, with the user's keymap applied, so a remap
changes all of them at once and no second list can go stale. The classes that hold them
are named once, by the app (`EssayApp.binding_owners`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key

# The groups, in the order the help screen lists them.
READING = Binding.Group("Reading")
JUMPS = Binding.Group("Jumps and marks")
FOOTNOTES = Binding.Group("Footnotes")
GLOSSARY = Binding.Group("Glossary")
LINKS = Binding.Group("Links")
SEARCH = Binding.Group("Search")
SELECTING = Binding.Group("Selecting text")
ANNOTATIONS = Binding.Group("Highlights and notes")
PANES = Binding.Group("Panes")
LISTS = Binding.Group("In the side pane and the outline")
NOTES = Binding.Group("In Notes")
EDITOR = Binding.Group("In the note editor")
DIALOGS = Binding.Group("In dialogs")
LIBRARY = Binding.Group("In the Library")
GENERAL = Binding.Group("Everywhere")

GROUP_ORDER: tuple[Binding.Group, ...] = (
    READING,
    JUMPS,
    FOOTNOTES,
    GLOSSARY,
    LINKS,
    SEARCH,
    SELECTING,
    ANNOTATIONS,
    PANES,
    LISTS,
    NOTES,
    EDITOR,
    DIALOGS,
    LIBRARY,
    GENERAL,
)


def action(
    keys: str,
    name: str,
    description: str,
    *,
    id: str,  # noqa: A002 - Binding's own name for it
    group: Binding.Group,
    show: bool = False,
    palette: bool = True,
    help: str = "",  # noqa: A002 - what the help screen says
    priority: bool = False,
) -> Binding:
    """Textual's `Binding`: keys (comma-separated, as Textual names them), action,
    description, a stable `id` and a `group`.

    `help` (what the help screen and the palette say, when more than the description)
    is the binding's `tooltip`. A binding that is no command of its own (`palette=False`:
    a scroll key, a key of a dialog) is a `system` binding, which Textual's key panel
    leaves out too; the palette offers the others.
    """
    return Binding(
        keys,
        name,
        description,
        show=show,
        priority=priority,
        id=id,
        group=group,
        tooltip=help,
        system=not palette,
    )


#: The word in the key hints line, by binding id, where it is not the description.
HINTS: dict[str, str] = {
    "app.palette": "palette",
    "help.filter_back": "Back to the list",
    "help.close": "Close",
    "help.down": "Scroll",
    "reader.outline": "Outline",
    "reader.side": "Side pane",
    "essay.next_footnote": "Footnote",
    "essay.next_term": "Term",
    "essay.follow": "Follow",
    "glossary.list": "All terms",
}


def in_palette(binding: Binding) -> bool:
    """Whether the command palette offers `binding` as a command."""
    return not binding.system and binding.group is not None


def hint_of(binding: Binding) -> str:
    """The word for `binding` in the key hints line."""
    return HINTS.get(binding.id or "", "") or binding.description


def help_of(binding: Binding) -> str:
    """What the help screen says `binding` does."""
    return binding.tooltip or binding.description


# -- every binding of the reader ------------------------------------------------------


def binding_owners(app: type[DOMNode]) -> list[type[DOMNode]]:
    """Every class of the reader that declares bindings with ids: `app` first, then the
    screens and widgets it names in its `binding_owners()` (so the help screen lists the
    note editor's keys even before the editor was first opened)."""
    named = getattr(app, "binding_owners", None)
    owners: list[type[DOMNode]] = list(named()) if callable(named) else []
    return [app, *(owner for owner in owners if owner is not app)]


def _bound(entry: object) -> Binding | None:
    return entry if isinstance(entry, Binding) and entry.id else None


def bindings_of(owner: type[DOMNode]) -> Iterator[Binding]:
    """The bindings with ids that `owner` declares itself (not inherited)."""
    for entry in owner.__dict__.get("BINDINGS", ()):
        binding = _bound(entry)
        if binding is not None:
            yield binding


def all_bindings(app: type[DOMNode]) -> list[tuple[type, Binding]]:
    """`(owner, binding)` for every binding with an id (the app `app`'s and every
    screen's and widget's), each id once."""
    seen: set[str] = set()
    found: list[tuple[type, Binding]] = []
    for owner in binding_owners(app):
        for binding in bindings_of(owner):
            assert binding.id is not None
            if binding.id not in seen:
                seen.add(binding.id)
                found.append((owner, binding))
    return found


def known_ids(app: type[DOMNode]) -> set[str]:
    """Every binding id `keys.toml` may remap."""
    return {binding.id for _, binding in all_bindings(app) if binding.id}


def keys_in_effect(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that run `binding` once `keymap` (binding id → keys) is applied."""
    keys = keymap.get(binding.id or "", binding.key)
    return [key.strip() for key in keys.split(",") if key.strip()]


#: How keys read in help and hints: as a person types them.
_NAMED = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "space": "space",
    "enter": "enter",
    "escape": "escape",
    "backspace": "backspace",
    "tab": "tab",
    "pageup": "pageup",
    "pagedown": "pagedown",
    "home": "home",
    "end": "end",
    "delete": "delete",
    "insert": "insert",
}


def key_display(key: str) -> str:
    """`key` (Textual's name) as a person types it: `]` not `right_square_bracket`,
    `ctrl+p` not `^p`."""
    *modifiers, name = key.split("+")
    if name in _NAMED:
        shown = _NAMED[name]
    elif len(name) == 1:
        shown = name
    else:
        try:
            original = REPLACED_KEYS.get(name, name)
            shown = unicodedata.lookup(_get_unicode_name_from_key(original))
        except KeyError:
            shown = name  # f1, insert, …: the name is what is on the key
    return "+".join([*modifiers, shown])


def keys_display(binding: Binding, keymap: Mapping[str, str], taken: Collection[str] = ()) -> str:
    """All keys of `binding` as typed, separated by spaces (`j ↓`), but those in `taken`
    (keys.toml gave them to another binding of the same widget: Textual takes them away)."""
    keys = keys_in_effect(binding, keymap)
    if binding.id not in keymap:
        keys = [key for key in keys if key not in taken]
    return " ".join(key_display(key) for key in keys)


def keys_taken(
    pairs: Iterable[tuple[type, Binding]], keymap: Mapping[str, str]
) -> dict[type, set[str]]:
    """Per owner, the keys that keys.toml gave to one of its bindings."""
    taken: dict[type, set[str]] = {}
    for owner, binding in pairs:
        if binding.id in keymap:
            taken.setdefault(owner, set()).update(keys_in_effect(binding, keymap))
    return taken
