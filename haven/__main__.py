"""`python -m haven`: the same as the `haven` command."""

import sys

from haven.cli import main

if __name__ == "__main__":
    sys.exit(main())
