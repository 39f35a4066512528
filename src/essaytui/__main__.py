"""`python -m essaytui`."""

from essaytui.cli import main

raise SystemExit(main())
