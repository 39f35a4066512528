"""The interchange layer sits beside the store (design §9): no Textual, and no store
errors for what is wrong with a file."""

from __future__ import annotations

import json
import subprocess
import sys

from essaytui.interchange import InterchangeError
from essaytui.store import StoreError


def test_interchange_does_not_import_textual() -> None:
    script = (
        "import json, sys\n"
        "import essaytui.interchange.w3c, essaytui.interchange.markdown\n"
        "import essaytui.interchange.citation, essaytui.interchange.citeproc_fixes\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('textual'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(result.stdout) == []


def test_an_import_files_error_is_not_a_store_error() -> None:
    assert not issubclass(InterchangeError, StoreError)
    assert issubclass(InterchangeError, ValueError)
