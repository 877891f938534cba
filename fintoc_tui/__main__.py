"""`python -m fintoc_tui` runs the same CLI as the `fintoc-tui` script."""

from fintoc_tui.cli import main

raise SystemExit(main())
