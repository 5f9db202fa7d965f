"""What Haven's algorithm commands (`haven reagents`, `haven interactions`, `haven lint-language`) share.

No Django import: these commands run on their own.
"""

from __future__ import annotations

import argparse
import sys

EXIT_BAD_INPUT = 2


class CommandParser(argparse.ArgumentParser):
    """argparse with its exit code 2 for bad arguments, the usage and one clear line, no traceback."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")
