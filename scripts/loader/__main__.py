"""`python -m scripts.loader` runs scripts.loader.load."""

from scripts.loader.load import main

raise SystemExit(main())
