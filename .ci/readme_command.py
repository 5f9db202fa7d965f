"""Print the command that follows `<!-- NAME-command -->` in README.md, so CI runs exactly that."""

import re
import sys
from pathlib import Path

name = sys.argv[1]
readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
match = re.search(rf"<!-- {re.escape(name)}-command -->\s*```sh\n(.+?)\n```", readme, re.S)
if not match:
    sys.exit(f"README.md has no '<!-- {name}-command -->' block")
print(match.group(1).strip())
