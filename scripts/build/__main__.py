"""`python -m scripts.build` runs scripts.build.pipeline."""

from scripts.build.pipeline import main

raise SystemExit(main())
