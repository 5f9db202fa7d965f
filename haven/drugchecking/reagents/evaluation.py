"""Held-out evaluation of the reagent engine. Plain Python, no Django.

The engine's table is built from PsychonautWiki's colour *ids* (hex values). The same source also
publishes, for each result, a *written* description ("instant purple/brown > black"). The engine never
reads those: here each substance's written descriptions are parsed as a person's observation and
scored against the table built from the colour ids (PsychonautWiki reports only, so Haven's literature
entries cannot help). Model constants are chosen by k-fold cross-validation over substances
(``cross_validate``): tuned on the other folds, scored on the held-out one.

A case counts as right at k when the true substance's group (the substances with exactly the same
likelihood: the data cannot tell them apart with these reagents) ranks k or better.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from . import engine
from .table import default_table, only_source
from .vocabulary import UnknownColourError, parse_sequence

DESCRIPTIONS = Path(__file__).parents[1] / "tests" / "data" / "psychonautwiki_descriptions.json"
KIT = ("marquis", "mecke", "mandelin", "froehde")
# The substance classes drug checking services see most, in PsychonautWiki's class names, and the
# cutting agents Haven's vocabulary lists (data/substances.yaml, class "cut").
COMMON_CLASSES = {  # the most specific first: a cathinone is also a stimulant
    "cathinones": {"Cathinone", "Substituted cathinones"},
    "entactogens": {"Entactogen", "MDxx"},
    "benzodiazepines": {"Benzodiazepines"},
    "opioids": {"Opioids"},
    "dissociatives": {"Dissociatives", "Arylcyclohexylamines"},
    "psychedelics": {"Psychedelic", "Lysergamides", "Substituted tryptamines"},
    "stimulants": {"Stimulants", "Amphetamine", "Substituted amphetamines", "Substituted tropanes"},
}
CUTS = {"caffeine", "paracetamol", "acetaminophen", "levamisole", "lidocaine", "procaine", "phenacetin",
        "mannitol", "inositol", "msm", "creatine", "benzocaine", "tetracaine", "aspirin", "ibuprofen",
        "boric_acid", "quinine", "diphenhydramine", "sucrose", "glucose", "lactose"}


@dataclass
class Case:
    key: str
    observations: dict
    classes: tuple
    popular: bool
    unreadable: int  # reagents whose description could not be read as colours (left out)


def _clean(description: str) -> str:
    # Drop words about timing or quantity the parser treats as noise anyway; keep the colours.
    return re.sub(r"\s*\(.*?\)", "", description).strip()


def common_class(reference) -> str | None:
    if reference.key in CUTS:
        return "cuts"
    for name, classes in COMMON_CLASSES.items():
        if set(reference.classes) & classes:
            return name
    return None


def load_cases(table=None, reagents: tuple | None = None, min_reagents: int = 2) -> list[Case]:
    table = table or only_source(default_table(), "psychonautwiki")
    described = json.loads(DESCRIPTIONS.read_text(encoding="utf-8"))
    cases = []
    for reference in table.references:
        observations, unreadable = {}, 0
        for reagent, texts in described.get(reference.key, {}).items():
            if reagents and reagent not in reagents:
                continue
            try:
                observations[reagent] = list(parse_sequence(_clean(texts[0])))
            except UnknownColourError:
                unreadable += 1
        if len(observations) >= min_reagents:
            cases.append(Case(reference.key, observations, reference.classes, reference.popular, unreadable))
    return cases


def rank_of(key: str, totals: list, keys: list) -> int:
    """The rank of the group (substances these reagents cannot tell apart) holding the true substance."""
    position = keys.index(key)
    for rank, members in enumerate(engine.group_order(totals), start=1):
        if position in members:
            return rank
    raise ValueError(key)


def group_size(key: str, totals: list, keys: list) -> int:
    position = keys.index(key)
    return next(len(members) for members in engine.group_order(totals) if position in members)


def evaluate(cases: list[Case], table) -> dict:
    keys = [reference.key for reference in table.references]
    results = []
    for case in cases:
        totals, _used = engine.scores(case.observations, table=table)
        rank = rank_of(case.key, totals, keys)
        top = max(totals)
        weights = [math.exp(total - top) for total in totals]
        groups = engine.group_order(totals)
        best_group = sum(weights[i] for i in groups[0]) / sum(weights)
        position = keys.index(case.key)
        size = next(len(members) for members in groups if position in members)
        results.append({"key": case.key, "rank": rank, "probability": best_group, "right": rank == 1,
                        "group_size": size, "reagents": len(case.observations)})
    n = len(results) or 1
    return {
        "cases": len(results),
        "top1": sum(r["rank"] <= 1 for r in results) / n,
        "top2": sum(r["rank"] <= 2 for r in results) / n,
        "mean_group": sum(r["group_size"] for r in results) / n,
        "results": results,
    }


def reliability(results: list, bands=engine.BANDS) -> list[dict]:
    """Per confidence band: how many answers, and how often the best group held the true substance."""
    rows = []
    for name, threshold in bands:
        upper = next((t for n, t in bands if t > threshold and bands.index((n, t)) == bands.index((name, threshold)) - 1), 1.01)
        inside = [r for r in results if threshold <= r["probability"] < upper]
        rows.append({"band": name, "from": threshold, "to": upper, "answers": len(inside),
                     "right": sum(r["right"] for r in inside) / len(inside) if inside else None})
    return rows


def folds(items: list, k: int = 5) -> list[tuple[list, list]]:
    """k folds over substances, by a stable hash of the key (no randomness between runs)."""
    import zlib

    buckets = [[] for _ in range(k)]
    for item in items:
        buckets[zlib.crc32(item.key.encode()) % k].append(item)
    return [([x for j, b in enumerate(buckets) if j != i for x in b], buckets[i]) for i in range(k)]


GRID = {
    "SIGMA": (14.0, 20.0, 28.0),
    "P_SPURIOUS": (0.03, 0.1),
    "P_MISSED": (0.06, 0.2),
    "EXTRA_COLOUR": (0.1, 0.3),
}


def _grid():
    import itertools

    names = list(GRID)
    for values in itertools.product(*(GRID[name] for name in names)):
        yield dict(zip(names, values, strict=True))


def cross_validate(table, k: int = 5, log=None) -> dict:
    """k-fold over substances: constants chosen on k-1 folds (top-2 with every reagent plus with the
    kit), scored on the held-out fold. Returns the held-out results and the constants each fold chose."""
    saved = engine.constants()
    references = {reference.key: reference for reference in table.references}
    everything = [c for c in load_cases(table) if common_class(references[c.key])]
    kit = [c for c in load_cases(table, reagents=KIT) if common_class(references[c.key])]
    held = {"all": [], "kit": []}
    chosen = []
    try:
        for fold, ((all_train, all_test), (kit_train, kit_test)) in enumerate(zip(folds(everything, k), folds(kit, k),
                                                                                   strict=True)):
            best, best_score = None, -1.0
            for values in _grid():
                engine.set_constants(**values)
                score = evaluate(all_train, table)["top2"] + evaluate(kit_train, table)["top2"]
                if score > best_score:
                    best, best_score = values, score
            engine.set_constants(**best)
            held["all"] += evaluate(all_test, table)["results"]
            held["kit"] += evaluate(kit_test, table)["results"]
            chosen.append(best)
            if log:
                log(f"fold {fold + 1}/{k}: {best} (training score {best_score:.3f})")
    finally:
        engine.set_constants(**saved)
    return {"held_out": held, "chosen": chosen}
