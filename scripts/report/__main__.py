"""`python -m scripts.report` runs scripts.report.write."""

from scripts.report.write import main

raise SystemExit(main())
