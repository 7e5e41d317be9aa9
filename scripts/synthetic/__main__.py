"""`python -m scripts.synthetic` runs scripts.synthetic.generate."""

from scripts.synthetic.generate import main

raise SystemExit(main())
