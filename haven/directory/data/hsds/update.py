"""Copy the published HSDS 3.0 schema files that Haven uses from a checkout of openreferral/specification.

Usage: python haven/directory/data/hsds/update.py /path/to/specification[.git] [commit]
Writes the files next to this script and prints the commit to record in SOURCE.md. No Django import.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The canonical object schemas Haven reads (and every schema they refer to), the tabular package
# descriptor, and the licence.
FILES = [
    "schema/organization.json", "schema/service.json", "schema/location.json", "schema/address.json",
    "schema/service_at_location.json", "schema/schedule.json", "schema/contact.json", "schema/phone.json",
    "schema/language.json", "schema/taxonomy.json", "schema/taxonomy_term.json", "schema/attribute.json",
    "schema/metadata.json", "schema/funding.json", "schema/program.json", "schema/organization_identifier.json",
    "schema/accessibility.json", "schema/service_area.json", "schema/cost_option.json",
    "schema/required_document.json", "datapackage.json", "LICENSE",
]


def git(repository: str, *arguments: str) -> bytes:
    git_dir = repository if repository.endswith(".git") or Path(repository, "HEAD").exists() else f"{repository}/.git"
    return subprocess.check_output(["git", f"--git-dir={git_dir}", *arguments])


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    repository, commit = argv[0], (argv[1] if len(argv) > 1 else "HEAD")
    commit = git(repository, "rev-parse", commit).decode().strip()
    for name in FILES:
        target = HERE / Path(name).name
        target.write_bytes(git(repository, "show", f"{commit}:{name}"))
    print(commit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
