"""``python -m haven.language FILE...`` runs the language checker."""

import sys

from .cli import main

sys.exit(main())
