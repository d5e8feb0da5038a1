"""`python -m services.cli`: the same as the `ami` command."""
from services.cli import main

raise SystemExit(main())
