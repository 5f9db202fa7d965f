"""Import TripSit's drug combination chart into Haven's data.

Plain Python, no Django import. Reads the files TripSit publishes in its `drugs` repository
(https://github.com/TripSit/drugs): `combos.json` (every pair of its categories and a rating),
`combo_definitions.json` (the ratings it uses) and `package.json` (the licence), and writes
`haven/education/data/tripsit/combos.yaml`: the pairs and TripSit's rating of each, with the
commit, date, licence and attribution. TripSit's notes are not copied: Haven writes its own words.

    git clone https://github.com/TripSit/drugs /tmp/tripsit
    python -m haven.education.tripsit /tmp/tripsit --commit $(git -C /tmp/tripsit rev-parse HEAD) \
        --date 2026-08-18

`--drugs` (optional, TripSit's `drugs.json`) adds the names TripSit lists for a category that is a
single drug (AMT, PCP, MXE, diphenhydramine) and for the members of a family category (2C-T-7 for
2C-T-x, 25I-NBOMe for NBOMes, DOM for DOx; FAMILY_MEMBERS below).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from haven.commandline import EXIT_BAD_INPUT, CommandParser

OUTPUT = Path(__file__).resolve().parent / "data" / "tripsit" / "combos.yaml"
REPOSITORY = "https://github.com/TripSit/drugs"
# TripSit's rating -> Haven's risk and direction of effects. "Unknown" pairs are left out: no rating.
STATUS = {
    "Dangerous": ("dangerous", "unknown"),  # TripSit's rating does not say which way effects go
    "Unsafe": ("unsafe", "unknown"),
    "Caution": ("caution", "unknown"),
    "Low Risk & Synergy": ("low", "increase"),
    "Low Risk & No Synergy": ("low", "none"),
    "Low Risk & Decrease": ("low", "decrease"),
}
UNRATED = {"Unknown"}
# Haven's own grouping of drugs.json entries into TripSit's family categories, by the chemical names
# those families are named after (2C-T-7 is in 2C-T-x, 25I-NBOMe in NBOMes, DOM in DOx).
FAMILY_MEMBERS = {
    "2c-t-x": r"^2c-t(?:-\d+)?$",
    "2c-x": r"^2c-(?!t(?:-|$))[a-z0-9]+$",
    "nbomes": r"^\d+[a-z]+-nbome$",
    "dox": r"^do[a-z]{1,3}$",
    "5-meo-xxt": r"^5-meo-[a-z]+t$",
}
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ImportError_(ValueError):
    """A published file does not have the shape this script expects."""


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportError_(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise ImportError_(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ImportError_(
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


def build(
    combos: Any, definitions: Any, package: Any, *, commit: str, date: str, drugs: Any | None = None
) -> dict[str, Any]:
    """Haven's data from TripSit's published content: categories, rated pairs (each once) and the source."""
    if not _COMMIT.match(commit):
        raise ImportError_("--commit must be the 40-character commit of the files imported")
    if not _DATE.match(date):
        raise ImportError_("--date must be YYYY-MM-DD (the commit's date)")
    if not isinstance(definitions, list) or not all(
        isinstance(d, dict) and "status" in d for d in definitions
    ):
        raise ImportError_("combo_definitions.json: expected a list of objects with a 'status'")
    defined = {d["status"] for d in definitions}
    unexpected = sorted(defined - set(STATUS) - UNRATED)
    if unexpected:
        raise ImportError_(f"combo_definitions.json: rating(s) Haven does not know: {', '.join(unexpected)}")
    licence = package.get("license") if isinstance(package, dict) else None
    if not isinstance(licence, str) or not licence:
        raise ImportError_("package.json: no 'license' declared")
    if not isinstance(combos, dict) or not combos:
        raise ImportError_("combos.json: expected an object of categories")
    categories = sorted(combos)
    pairs: dict[tuple[str, str], str] = {}
    for first in categories:
        row = combos[first]
        if not isinstance(row, dict):
            raise ImportError_(f"combos.json: {first!r} is not an object")
        for second, cell in row.items():
            if second not in combos:
                raise ImportError_(f"combos.json: {first!r} rates {second!r}, which is not a category")
            if second == first:
                continue
            status = cell.get("status") if isinstance(cell, dict) else None
            if status not in defined:
                raise ImportError_(
                    f"combos.json: {first} + {second}: rating {status!r} is not in combo_definitions.json"
                )
            if status in UNRATED:
                continue
            key = tuple(sorted((first, second)))
            if pairs.get(key, status) != status:
                raise ImportError_(
                    f"combos.json: {key[0]} + {key[1]} is rated both {pairs[key]!r} and {status!r}"
                )
            pairs[key] = status
    names: dict[str, list[str]] = {}
    if isinstance(drugs, dict):
        for category in categories:
            members = [category] if category in drugs else []
            if category in FAMILY_MEMBERS:
                members += sorted(key for key in drugs if re.match(FAMILY_MEMBERS[category], key))
            listed = []
            for key in members:
                drug = drugs.get(key)
                if isinstance(drug, dict):
                    # a family member's own key is a name too (2c-t-7); a single drug's key is the category
                    listed += [
                        key if key != category else None,
                        drug.get("pretty_name"),
                        *(drug.get("aliases") or []),
                    ]
            found = sorted(
                {n.strip() for n in listed if isinstance(n, str) and n.strip()},
                key=lambda name: (name.casefold(), name),
            )
            if found:
                names[category] = found
    return {
        "source": {
            "title": "TripSit drug combination chart (combos.json)",
            "publisher": "TripSit",
            "repository": REPOSITORY,
            "commit": commit,
            "date": date,
            "year": int(date[:4]),
            "url": f"{REPOSITORY}/blob/{commit}/combos.json",
            "licence": licence,
        },
        "categories": categories,
        "names": names,
        "pairs": [[a, b, STATUS[status][0], STATUS[status][1]] for (a, b), status in sorted(pairs.items())],
    }


def render(data: dict[str, Any]) -> str:
    """The YAML file, one pair a line so that a re-import reads as a short diff."""
    source = data["source"]
    lines = [
        "# Generated by haven/education/tripsit.py from TripSit's published chart; do not edit by hand.",
        "# See SOURCE.md. Each pair: [category, category, risk, direction] (TripSit's rating in Haven's terms).",
        "source:",
        *(f"  {key}: {json.dumps(value)}" for key, value in source.items()),
        f"categories: {json.dumps(data['categories'])}",
        "names:",
        *(
            f"  {json.dumps(category)}: {json.dumps(names, ensure_ascii=False)}"
            for category, names in data["names"].items()
        ),
        "pairs:",
        *(f"  - {json.dumps(pair)}" for pair in data["pairs"]),
    ]
    if not data["names"]:
        lines[lines.index("names:")] = "names: {}"
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = CommandParser(
        prog="python -m haven.education.tripsit",
        description="Rebuild Haven's interaction ratings from TripSit's published chart.",
    )
    parser.add_argument("folder", help="a checkout of TripSit/drugs (or any folder holding its files)")
    parser.add_argument("--commit", required=True, help="the commit the files come from (40 hex digits)")
    parser.add_argument("--date", required=True, help="the commit's date, YYYY-MM-DD")
    parser.add_argument("--drugs", action="store_true", help="also read drugs.json for category names")
    parser.add_argument("--out", default=str(OUTPUT), help=f"where to write (default {OUTPUT})")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    try:
        data = build(
            read_json(folder / "combos.json"),
            read_json(folder / "combo_definitions.json"),
            read_json(folder / "package.json"),
            commit=args.commit,
            date=args.date,
            drugs=read_json(folder / "drugs.json") if args.drugs else None,
        )
    except ImportError_ as error:
        print(f"tripsit import: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(render(data), encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out}: {len(data['categories'])} categories, {len(data['pairs'])} rated pairs")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
