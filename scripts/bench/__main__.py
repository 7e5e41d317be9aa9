"""`python -m scripts.bench` runs scripts.bench.benchmark."""

from scripts.bench.benchmark import main

raise SystemExit(main())
