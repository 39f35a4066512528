"""One source for every action: the bindings themselves.

Every key of the reader is an `Action` (a Textual `Binding` that also knows its group,
whether the command palette offers it, and a longer help text) declared in the
`BINDINGS` of the class that acts on it. The help screen, the command palette, the key
hints and `keys.toml` remapping are all read from those bindings, with the user's keymap
applied, so a remap changes all of them at once and no second list can go stale.
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

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

#: The packages whose classes hold the reader's bindings.
UI_PACKAGES = ("essaytui.screens", "essaytui.widgets")


@dataclass(frozen=True)
class Action(Binding):
    """A binding with what the help screen and the command palette need.

    Attributes:
        palette: offered in the command palette (where it applies).
        help: what the help screen says; the description when empty.
        hint: the word in the key hints line; the description when empty.
    """

    palette: bool = True
    help: str = ""
    hint: str = ""


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
    hint: str = "",
    priority: bool = False,
) -> Action:
    """An `Action`: keys (comma-separated, as Textual names them), action, description."""
    made = Action(
        keys,
        name,
        description,
        show=show,
        priority=priority,
        id=id,
        group=group,
        palette=palette,
        help=help,
        hint=hint,
    )
    _BY_ID[id] = made
    return made


#: Every `Action` by its id. Textual copies bindings into plain `Binding`s (one per key)
#: when it builds a widget's bindings, so what only an Action knows is looked up here.
_BY_ID: dict[str, Action] = {}


def action_of(binding: Binding) -> Action | None:
    """The `Action` that `binding` (maybe Textual's copy of it) was made from."""
    if isinstance(binding, Action):
        return binding
    return _BY_ID.get(binding.id or "")


def hint_of(binding: Binding) -> str:
    """The word for `binding` in the key hints line."""
    made = action_of(binding)
    return (made.hint if made is not None else "") or binding.description


def help_of(binding: Binding) -> str:
    """What the help screen says `binding` does."""
    made = action_of(binding)
    return (made.help if made is not None else "") or binding.description


# -- the registry -----------------------------------------------------------------------


def binding_owners(app: type[DOMNode]) -> list[type[DOMNode]]:
    """Every class of the reader that declares bindings with ids: `app` (the running
    app's class) first, then those of the screens and widgets.

    The UI modules are imported to find them (so the help screen lists the note
    editor's keys even before the editor was first opened).
    """
    owners: list[type[DOMNode]] = [app]
    for package_name in UI_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, DOMNode)
                    and value.__module__ == module.__name__
                    and any(_bound(entry) for entry in value.__dict__.get("BINDINGS", ()))
                ):
                    owners.append(value)
    return owners


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


def keys_display(binding: Binding, keymap: Mapping[str, str]) -> str:
    """All keys of `binding` as typed, separated by spaces (`j ↓`)."""
    return " ".join(key_display(key) for key in keys_in_effect(binding, keymap))
