"""`python -m scripts` is the `nhs` command."""

from scripts.cli import main

raise SystemExit(main())
