"""Build `fy2026.json` (HMIS CSV FY2026 columns and value lists) from a published machine-readable source.

Plain Python, no Django. The source is Green River's hmis-warehouse (GPL-3.0), which transcribes HUD's
FY2026 HMIS CSV Format Specifications into code: per CSV file, each column's type, length and
required flag (`app/models/concerns/hmis_structure/<file>.rb`, the branch for version '2026'); the
value lists (`lib/data/2026_hud_lists.json`); and which column takes which list (the GraphQL types in
`drivers/hmis/app/graphql/types/hmis_schema/<file>.rb`: `field :living_situation, ...Enums::Hud::
PriorLivingSituation`). Haven keeps only the facts (names, codes, lengths), not their code.

    git clone https://github.com/greenriver/hmis-warehouse /tmp/hmis-warehouse
    python -m haven.housing.hmis_spec.build /tmp/hmis-warehouse [--commit SHA]

writes haven/housing/hmis_spec/fy2026.json; SOURCE.md records the commit used.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

VERSION = "2026"
HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "fy2026.json"

# The CSV files Haven exports, and the source files that describe them.
FILES = {
    "Project": "project",
    "Enrollment": "enrollment",
    "CurrentLivingSituation": "current_living_situation",
    "Exit": "exit",
    "Services": "service",
    "Client": "client",
}
LISTS_PATH = "lib/data/2026_hud_lists.json"
STRUCTURE_PATH = "app/models/concerns/hmis_structure/{name}.rb"
GRAPHQL_PATH = "drivers/hmis/app/graphql/types/hmis_schema/{name}.rb"

_WHEN = re.compile(r"^\s*when\s+(.+)$", re.M)
_COLUMN = re.compile(r"^\s*(\w+):\s*\{(.*?)\}", re.M | re.S)
_FIELD_LIST = re.compile(r"^\s*(?:hud_|summary_)?field\s+:(\w+),\s*[\w:]*Enums::(?:Hud::)?(\w+)", re.M)


def underscore(name: str) -> str:
    """The snake_case form the source's GraphQL fields use for a CSV column (Rails' `underscore`)."""
    name = re.sub(r"([A-Z\d]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name)
    return name.lower()


def columns_for_version(ruby: str, version: str = VERSION) -> list[dict]:
    """The columns of the `when` branch that names `version`, in file order."""
    branches = list(_WHEN.finditer(ruby))
    for index, match in enumerate(branches):
        versions = re.findall(r"'([^']+)'", match.group(1))
        if version not in versions:
            continue
        end = branches[index + 1].start() if index + 1 < len(branches) else len(ruby)
        body = ruby[match.end():end]
        columns = []
        for column in _COLUMN.finditer(body):
            attributes = column.group(2)
            kind = re.search(r"type:\s*:(\w+)", attributes)
            limit = re.search(r"limit:\s*(\d+)", attributes)
            columns.append({
                "name": column.group(1),
                "type": kind.group(1) if kind else "string",
                "limit": int(limit.group(1)) if limit else None,
                "required": bool(re.search(r"null:\s*false", attributes)),
            })
        return columns
    raise ValueError(f"no branch for version {version}")


def list_fields(ruby: str) -> dict[str, str]:
    """snake_case field -> list name, from the GraphQL type of one record."""
    return {field: list_name for field, list_name in _FIELD_LIST.findall(ruby)}


def build(*, structures: dict[str, str], graphql: dict[str, str], lists_json: str) -> dict:
    lists = {entry["name"]: {"code": entry["code"],
                             "values": {str(value["key"]): value["description"] for value in entry["values"]}}
             for entry in json.loads(lists_json)}
    files = {}
    for csv_name, ruby in structures.items():
        fields = list_fields(graphql.get(csv_name, ""))
        columns = columns_for_version(ruby)
        for column in columns:
            list_name = fields.get(underscore(column["name"]))
            if list_name in lists:
                column["list"] = list_name
        files[csv_name] = columns
    used = sorted({column["list"] for columns in files.values() for column in columns if "list" in column})
    # Haven also reads these lists (the housing status form), though no exported column names them here.
    used = sorted(set(used) | {"PriorLivingSituation", "CurrentLivingSituation", "ResidencePriorLengthOfStay",
                               "Destination", "ProjectType"})
    return {"version": VERSION, "files": files, "lists": {name: lists[name] for name in used}}


def _git_show(repo: Path, commit: str, path: str) -> str:
    return subprocess.run(["git", f"--git-dir={repo}", "show", f"{commit}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="a clone of greenriver/hmis-warehouse (its .git folder, or a bare repo)")
    parser.add_argument("--commit", default="HEAD")
    args = parser.parse_args(argv)
    repo = Path(args.repo)
    if (repo / ".git").exists():
        repo = repo / ".git"
    commit = subprocess.run(["git", f"--git-dir={repo}", "rev-parse", args.commit], check=True,
                            capture_output=True, text=True).stdout.strip()
    structures = {csv: _git_show(repo, commit, STRUCTURE_PATH.format(name=name)) for csv, name in FILES.items()}
    graphql = {csv: _git_show(repo, commit, GRAPHQL_PATH.format(name=name)) for csv, name in FILES.items()}
    spec = build(structures=structures, graphql=graphql, lists_json=_git_show(repo, commit, LISTS_PATH))
    spec["source"] = {"repository": "https://github.com/greenriver/hmis-warehouse", "commit": commit}
    OUTPUT.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({sum(len(c) for c in spec['files'].values())} columns, {len(spec['lists'])} lists)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
