"""Build Haven's reagent reference table from PsychonautWiki's published reagent data.

    python -m haven.drugchecking.reagents.build_table \\
        --reagents path/to/bifrost/data/reagents.json \\
        --aliases path/to/bifrost/data/substance_aliases.json \\
        --commit <bifrost commit> [--date YYYY-MM-DD]

reads the published files (MIT licence, https://github.com/psychonautwiki/bifrost) and writes

- ``data/reference.json``: the facts Haven uses (substances, their names and aliases, each reagent's
  colour sequence as colour ids, the colours' hex values), plus Haven's literature entries
  (``data/reactions.yaml``) merged as a second source, keeping both where they differ;
- ``tests/data/psychonautwiki_descriptions.json``: the published *written* colour descriptions
  ("yellow > red > brown"), kept apart: the engine never reads them, the held-out evaluation scores
  them against the table built from the colour ids.

No sentence of the source is copied into what Haven shows; its facts are. Plain Python, no Django.
Exit status: 0 built, 2 the input does not have the published schema (the message says where).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).parent
DATA = HERE / "data"
LITERATURE = DATA / "reactions.yaml"
OUTPUT = DATA / "reference.json"
COLOUR_WORDS = DATA / "colour_words.json"
DESCRIPTIONS = HERE.parent / "tests" / "data" / "psychonautwiki_descriptions.json"
SOURCE_KEY = "psychonautwiki"
SOURCE_URL = "https://github.com/psychonautwiki/bifrost"

# PsychonautWiki's reagent names -> Haven's reagent keys (vocabulary.REAGENTS).
REAGENT_KEYS = {
    "Marquis": "marquis", "Mecke": "mecke", "Mandelin": "mandelin", "Liebermann": "liebermann",
    "Froehde": "froehde", "Gallic": "gallic_acid", "Ehrlich": "ehrlich", "Robadope": "robadope",
    "Simon's": "simon", "Hofmann": "hofmann", "Zimmermann": "zimmermann", "Morris": "morris",
    "Scott": "scott", "Folin": "folin", "Cannabis (4-AP)": "4_ap",
}
MIN_REAGENTS = 2  # substances with results for fewer reagents are left out (they cannot be ranked) ...
SINGLE_PURPOSE = "Cannabis (4-AP)"  # ... except the targets of the single-purpose cannabis reagent (THC, CBD...)


def _kept(row, reagents: list) -> bool:
    if row is None:
        return False
    reported = [reagents[position]["fullName"] for position, reports in enumerate(row) if reports is not None]
    return len(reported) >= MIN_REAGENTS or reported == [SINGLE_PURPOSE]
OWN_COLOUR_SHARE = 0.8  # a first colour shared by this many of a reagent's sequences is the reagent's own


class SchemaError(ValueError):
    """The published file does not have the shape this script reads; the message says where."""


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _expect(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise SchemaError(f"{where}: {problem}")


def _check_schema(data) -> None:
    _expect(isinstance(data, dict), "reagents.json", "must be an object")
    for part in ("colors", "reagents", "results", "substances"):
        _expect(isinstance(data.get(part), list), "reagents.json", f"needs a list '{part}'")
    for index, colour in enumerate(data["colors"]):
        where = f"colors[{index}]"
        _expect(isinstance(colour, dict) and colour.get("id") == index, where, "needs 'id' equal to its position")
        _expect(isinstance(colour.get("name"), str) and colour["name"], where, "needs a 'name'")
        _expect(isinstance(colour.get("hex"), str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour["hex"]) is not None,
                where, f"'hex' must look like #rrggbb (got {colour.get('hex')!r})")
    for index, reagent in enumerate(data["reagents"]):
        where = f"reagents[{index}]"
        _expect(isinstance(reagent, dict) and reagent.get("id") == index, where, "needs 'id' equal to its position")
        _expect(reagent.get("fullName") in REAGENT_KEYS, where,
                f"unknown reagent {reagent.get('fullName')!r}; known: {', '.join(REAGENT_KEYS)}")
    _expect(len(data["results"]) == len(data["substances"]), "results", "needs one row per substance")
    colours, reagents = len(data["colors"]), len(data["reagents"])
    for index, substance in enumerate(data["substances"]):
        where = f"substances[{index}]"
        _expect(isinstance(substance, dict) and substance.get("id") == index, where, "needs 'id' equal to its position")
        _expect(isinstance(substance.get("name"), str) and substance["name"].strip(), where, "needs a 'name'")
        _expect(isinstance(substance.get("classes", []), list), where, "'classes' must be a list")
        row = data["results"][index]
        if row is None:
            continue
        _expect(isinstance(row, list) and len(row) == reagents, f"results[{index}]", f"needs {reagents} entries")
        for reagent_index, reports in enumerate(row):
            if reports is None:
                continue
            where_r = f"results[{index}][{reagent_index}]"
            _expect(isinstance(reports, list) and reports, where_r, "must be null or a non-empty list of reports")
            for report in reports:
                _expect(isinstance(report, list) and len(report) == 4, where_r,
                        "each report is [colour ids, simple colour ids, reacts, description]")
                full, simple, reacts, description = report
                _expect(isinstance(full, list) and all(isinstance(c, int) and 0 <= c < colours for c in full),
                        where_r, f"colour ids must be 0..{colours - 1} (got {full!r})")
                _expect(isinstance(simple, list), where_r, "simple colour ids must be a list")
                _expect(isinstance(reacts, bool), where_r, "'reacts' must be true or false")
                _expect(isinstance(description, str), where_r, "the description must be text")


def _display_name(substance: dict, duplicated: set) -> tuple[str, list[str]]:
    """The name to show and the aliases in the published name's brackets ("Cocaine (Coke, Crack)")."""
    common = (substance.get("commonName") or substance["name"]).strip()
    full = substance["name"].strip()
    bracket = re.search(r"\((.*)\)\s*$", full)
    aliases = [part.strip() for part in bracket.group(1).split(",")] if bracket else []
    base = full[: bracket.start()].strip() if bracket else full
    name = common
    if common in duplicated:
        # Published entries that share a name are forms of one substance ("Mescaline HCl", "Mescaline
        # freebase", "Cocaine (Crack)", "Ketamine H2O sol."): keep them apart, each named by its form.
        if base != common:
            name = base
        elif bracket and len(aliases) == 1:
            name = full
    aliases = [alias for alias in [base, full, *aliases] if alias and alias != name]
    return name, list(dict.fromkeys(aliases))


def _literature_index(literature: dict) -> dict:
    index = {}
    for entry in literature["substances"]:
        for name in (entry["key"], entry["name"], *re.findall(r"\(([^)]*)\)", entry["name"])):
            index.setdefault(slug(name), entry)
        index.setdefault(slug(re.sub(r"\s*\(.*\)", "", entry["name"])), entry)
        if entry["key"].startswith("alpha_"):
            index.setdefault("a_" + entry["key"][len("alpha_"):], entry)  # "a-PVP" is how the data writes it
    return index


def build(data: dict, aliases: dict, literature: dict, *, commit: str, date: str) -> tuple[dict, dict]:
    """(table, held-out descriptions) from the parsed published file, aliases and literature table."""
    _check_schema(data)
    reagent_of = {reagent["id"]: REAGENT_KEYS[reagent["fullName"]] for reagent in data["reagents"]}
    colours = {colour["name"]: colour["hex"].lower() for colour in data["colors"]}
    colour_name = {colour["id"]: colour["name"] for colour in data["colors"]}
    alias_map = {slug(name): names for name, names in (aliases.get("aliases") or {}).items()}
    common_names = [(s.get("commonName") or s["name"]).strip() for s in data["substances"]]
    duplicated = {name for name in common_names if common_names.count(name) > 1}
    literature_by_name = _literature_index(literature)
    used_literature: set = set()
    # A literature entry goes to the published entry named exactly like it ("Amphetamine"), before any
    # entry that only lists that name among its aliases ("Adderall").
    exact = {}
    for entry in literature["substances"]:
        exact.setdefault(slug(entry["key"]), entry)
        exact.setdefault(slug(re.sub(r"\s*\(.*", "", entry["name"])), entry)
    reserved: dict = {}
    for index, substance in enumerate(data["substances"]):
        row = data["results"][index]
        if not _kept(row, data["reagents"]):
            continue
        entry = exact.get(slug((substance.get("commonName") or substance["name"]).strip()))
        if entry and entry["key"] not in reserved.values():
            reserved[index] = entry["key"]

    substances, descriptions, keys = [], {}, set()
    reserved_keys = set(reserved.values())
    for index, (substance, row) in enumerate(zip(data["substances"], data["results"], strict=True)):
        if not _kept(row, data["reagents"]):
            continue
        name, own_aliases = _display_name(substance, duplicated)
        common = (substance.get("commonName") or name).strip()
        if index in reserved:
            match = next(entry for entry in literature["substances"] if entry["key"] == reserved[index])
        else:
            match = None if "(" in name else next(
                (literature_by_name[slug(candidate)] for candidate in [name, common, *own_aliases]
                 if slug(candidate) in literature_by_name
                 and literature_by_name[slug(candidate)]["key"] not in used_literature | reserved_keys),
                None)
        key = match["key"] if match else slug(name)
        while key in keys:
            key += "_"
        keys.add(key)
        published_aliases = alias_map.get(slug(common), []) if name == common else []
        reactions: dict = {}
        described: dict = {}
        for reagent_index, reports in enumerate(row):
            if reports is None:
                continue
            reagent = reagent_of[reagent_index]
            for full, _simple, reacts, description in reports:
                steps = [colour_name[colour] for position, colour in enumerate(full)
                         if position == 0 or full[position - 1] != colour] if reacts else []
                words = re.sub(r"\s*\(\d+\)\s*$", "", description).strip()
                report = {"steps": steps, "source": SOURCE_KEY}
                if re.search(r"\b(slow|faint|weak|slight)\b", words.lower()):
                    report["slow"] = True
                if report not in reactions.setdefault(reagent, []):
                    reactions[reagent].append(report)
                described.setdefault(reagent, []).append(words)
        item = {
            "key": key,
            "name": name,
            "aliases": sorted(set(own_aliases) | set(published_aliases) - {name}, key=str.casefold),
            "classes": list(substance.get("classes") or []),
            "popular": bool(substance.get("isPopular")),
            "sources": [SOURCE_KEY],
            "reactions": reactions,
        }
        if match:
            _merge_literature(item, match, literature)
            used_literature.add(match["key"])
        substances.append(item)
        descriptions[key] = described

    for entry in literature["substances"]:
        if entry["key"] in used_literature:
            continue
        item = {"key": entry["key"], "name": entry["name"], "aliases": [], "classes": [entry["class"]],
                "popular": False, "sources": [], "reactions": {}}
        _merge_literature(item, entry, literature)
        substances.append(item)

    table = {
        "reagent_colours": _reagent_colours(data, reagent_of, colour_name),
        "source": {
            "key": SOURCE_KEY,
            "name": "PsychonautWiki reagent data (bifrost, data/reagents.json)",
            "url": SOURCE_URL,
            "commit": commit,
            "retrieved": date,
            "licence": "MIT",
            "attribution": "Copyright (c) 2016 Kenan Sulayman, (c) 2016 The PsychonautWiki Contributors",
        },
        "citations": {SOURCE_KEY: "PsychonautWiki reagent testing data, published in psychonautwiki/bifrost "
                                   f"(data/reagents.json, commit {commit[:12]}), MIT licence.",
                      **{key: " ".join(str(text).split()) for key, text in literature["sources"].items()}},
        "colours": colours,
        "substances": substances,
    }
    return table, descriptions


def _reagent_colours(data: dict, reagent_of: dict, colour_name: dict) -> dict:
    """Each reagent's own colour, from the data: the published sequences of a coloured reagent begin
    with the reagent's colour. A reagent has one when the source marks it as not starting white
    (``whiteFirstColor`` null) or when at least OWN_COLOUR_SHARE of its sequences begin with one colour."""
    result = {}
    for reagent in data["reagents"]:
        firsts: dict = {}
        for row in data["results"]:
            for report in (row or [None] * len(data["reagents"]))[reagent["id"]] or ():
                if report[2] and report[0]:
                    firsts[report[0][0]] = firsts.get(report[0][0], 0) + 1
        if not firsts:
            continue
        colour, count = max(firsts.items(), key=lambda item: item[1])
        share = count / sum(firsts.values())
        not_white = reagent.get("whiteFirstColor") is None
        if not_white or share >= OWN_COLOUR_SHARE:
            result[reagent_of[reagent["id"]]] = {
                "colour": colour_name[colour], "share": round(share, 3), "sequences": sum(firsts.values()),
                "marked_not_white": not_white}
    return result


def colour_words(data: dict) -> dict:
    """Colour words from the source's palette: "brown" is brown2, "light brown" brown1, "dark brown" brown3."""
    words = {}
    for colour in data["colors"]:
        base, shade = colour["name"].rstrip("0123456789"), colour["name"][len(colour["name"].rstrip("0123456789")):]
        word = {"1": f"light {base}", "2": base, "3": f"dark {base}"}.get(shade)
        if word:
            words[word] = colour["hex"].lower()
    return words


def _merge_literature(item: dict, entry: dict, literature: dict) -> None:
    """Add a literature entry's reactions as reports of their own, so disagreements stay visible."""
    cited = list(entry["sources"])
    item["sources"] = list(dict.fromkeys(item["sources"] + cited))
    item["literature_class"] = entry["class"]
    if entry.get("note"):
        item["note"] = " ".join(str(entry["note"]).split())
    for reagent, text in entry["reactions"].items():
        report = {"words": text, "source": "literature", "cited": cited}
        item["reactions"].setdefault(reagent, []).append(report)


def table_text(table: dict) -> str:
    """The table as JSON with one substance per line, so that a rebuild reads as a reviewable diff."""
    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = {key: value for key, value in table.items() if key != "substances"}
    lines = ["{"] + [f"{compact(key)}:{compact(value)}," for key, value in head.items()] + ['"substances":[']
    lines += [compact(item) + ("," if number < len(table["substances"]) - 1 else "")
              for number, item in enumerate(table["substances"])]
    return "\n".join(lines + ["]}"]) + "\n"


def _read_json(path: Path, what: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaError(f"{what} ({path}) cannot be read as JSON: {error}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m haven.drugchecking.reagents.build_table",
                                     description="Rebuild Haven's reagent table from PsychonautWiki's published data.")
    parser.add_argument("--reagents", required=True, type=Path, help="bifrost's data/reagents.json")
    parser.add_argument("--aliases", type=Path, help="bifrost's data/substance_aliases.json")
    parser.add_argument("--commit", required=True, help="the bifrost commit the files come from")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="the day they were retrieved")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--descriptions", type=Path, default=DESCRIPTIONS)
    args = parser.parse_args(argv)
    try:
        data = _read_json(args.reagents, "the reagent file")
        aliases = _read_json(args.aliases, "the alias file") if args.aliases else {}
        literature = yaml.safe_load(LITERATURE.read_text(encoding="utf-8"))
        table, descriptions = build(data, aliases, literature, commit=args.commit, date=args.date)
    except SchemaError as error:
        print(f"build_table: {error}", file=sys.stderr)
        return 2
    args.output.write_text(table_text(table), encoding="utf-8")
    (args.output.parent / COLOUR_WORDS.name).write_text(
        json.dumps({"source": table["source"], "words": colour_words(data)}, indent=1) + "\n", encoding="utf-8")
    args.descriptions.write_text(json.dumps(descriptions, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                                 encoding="utf-8")
    print(f"{len(table['substances'])} substances -> {args.output}; descriptions -> {args.descriptions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
