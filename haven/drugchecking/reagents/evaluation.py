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


# Nested cross-validation over every model constant (issue 12: "re-tune on a split").
#
# The space below was declared before the nested run and covers every constant of the model,
# including those that were set by hand and the grouping factor. Inside each fold the constants are
# chosen on the other four folds only (coordinate descent from the middle of each list), then the
# held-out fold is scored once. The held-out fold never influences a choice, so the pooled held-out
# numbers are what the procedure would give on substances it has not seen.
#
# A wider group always raises top-2 (more names count as "the same"), so the choice is constrained: on
# the training folds the median number of names in the first two groups must stay within GROUP_MAX,
# the number of names the engine shows for one group (a display limit fixed before this run).
SPACE = {
    "SIGMA": (10.0, 14.0, 20.0, 28.0, 40.0),
    "COLOUR_FLOOR": (0.005, 0.02, 0.05),
    "P_MISSED": (0.06, 0.1, 0.2, 0.3),
    "P_MISSED_SLOW": (0.2, 0.3, 0.5),
    "P_SPURIOUS": (0.03, 0.1, 0.2),
    "SKIPPED_STEP": (0.6, 0.85, 0.95),
    "EXTRA_COLOUR": (0.1, 0.3, 0.5),
    "OUT_OF_ORDER": (0.25, 0.5, 0.75),
    "GROUP_FACTOR": (1.0, 1.1, 1.25, 1.5, 2.0),
}


def group_within(factor: float) -> float:
    """The engine's GROUP_WITHIN for a likelihood factor (1.0: exact ties only)."""
    return math.log(factor) if factor > 1 else 1e-9


def _apply(values: dict) -> None:
    engine.set_constants(**{name: value for name, value in values.items() if name != "GROUP_FACTOR"},
                         GROUP_WITHIN=group_within(values["GROUP_FACTOR"]))


def _ranked(rows: list, keys: list, factor: float) -> tuple[float, float, list]:
    """(top-2 rate, median names in the first two groups, ranks) for scored rows at a grouping factor."""
    saved = engine.GROUP_WITHIN
    engine.GROUP_WITHIN = group_within(factor)
    try:
        ranks, sizes = [], []
        for key, totals in rows:
            groups = engine.group_order(totals)
            position = keys.index(key)
            ranks.append(next(rank for rank, members in enumerate(groups, 1) if position in members))
            sizes.append(sum(len(members) for members in groups[:2]))
    finally:
        engine.GROUP_WITHIN = saved
    n = len(rows) or 1
    return sum(rank <= 2 for rank in ranks) / n, sorted(sizes)[len(sizes) // 2] if sizes else 0, ranks


def tune(sets: list[list[Case]], table, *, passes: int = 3, log=None) -> dict:
    """Choose every constant in SPACE on these case sets: the highest sum of top-2 rates whose median
    names in the first two groups stay within engine.GROUP_MAX on every set (ties: smaller groups)."""
    keys = [reference.key for reference in table.references]
    scored: dict = {}

    def objective(values: dict) -> tuple:
        scoring = tuple((name, value) for name, value in values.items() if name != "GROUP_FACTOR")
        if scoring not in scored:
            _apply(values)
            scored[scoring] = [[(case.key, engine.scores(case.observations, table=table)[0]) for case in cases]
                               for cases in sets]
        measured = [_ranked(rows, keys, values["GROUP_FACTOR"]) for rows in scored[scoring]]
        feasible = all(median <= engine.GROUP_MAX for _top2, median, _ranks in measured)
        return (feasible, round(sum(top2 for top2, _m, _r in measured), 9),
                -sum(median for _t, median, _r in measured))

    current = {name: values[len(values) // 2] for name, values in SPACE.items()}
    best = objective(current)
    for number in range(passes):
        changed = False
        for name, values in SPACE.items():
            for value in values:
                trial = dict(current, **{name: value})
                result = objective(trial)
                if result > best:
                    current, best, changed = trial, result, True
        if log:
            log(f"pass {number + 1}: {current} (feasible {best[0]}, top-2 sum {best[1]:.3f})")
        if not changed:
            break
    return current


def nested_cross_validate(table, k: int = 5, log=None) -> dict:
    """Every constant chosen on k-1 folds (``tune``), the held-out fold scored once; pooled results.

    Returns {"held_out": {"all": [rank, ...], "kit": [...]}, "names": {...}, "chosen": [per fold]}."""
    saved = engine.constants()
    references = {reference.key: reference for reference in table.references}
    keys = [reference.key for reference in table.references]
    everything = [c for c in load_cases(table) if common_class(references[c.key])]
    kit = [c for c in load_cases(table, reagents=KIT) if common_class(references[c.key])]
    held: dict = {"all": [], "kit": []}
    names: dict = {"all": [], "kit": []}
    chosen = []
    try:
        for fold, ((all_train, all_test), (kit_train, kit_test)) in enumerate(
                zip(folds(everything, k), folds(kit, k), strict=True)):
            values = tune([all_train, kit_train], table,
                          log=(lambda line, fold=fold: log(f"fold {fold + 1}/{k} {line}")) if log else None)
            chosen.append(values)
            _apply(values)
            for label, cases in (("all", all_test), ("kit", kit_test)):
                rows = [(case.key, engine.scores(case.observations, table=table)[0]) for case in cases]
                saved_within = engine.GROUP_WITHIN
                engine.GROUP_WITHIN = group_within(values["GROUP_FACTOR"])
                try:
                    for key, totals in rows:
                        groups = engine.group_order(totals)
                        position = keys.index(key)
                        held[label].append(next(r for r, members in enumerate(groups, 1) if position in members))
                        names[label].append(sum(len(members) for members in groups[:2]))
                finally:
                    engine.GROUP_WITHIN = saved_within
    finally:
        engine.set_constants(**saved)
    return {"held_out": held, "names": names, "chosen": chosen}
