"""Interpret reagent test results: rank the reference substances whose reactions fit best.

How a score is made (docs/REAGENTS.md explains it for people who run drug checking):

1. For each reagent used, compare the observed colour sequence with the substance's reference
   sequence. Colours are compared with CIEDE2000 (Delta E 00) in CIELAB; sequences are aligned in
   order (so "purple" still fits "purple, black", but "black, purple" does not), every colour seen
   must be explained, and each reference step nobody reported adds a small cost.
2. The distance becomes a similarity between 0 and 1: 1 / (1 + (distance / 18)^2). A Delta E 00 of
   18 (about the gap between neighbouring colour words, purple and violet) gives 0.5.
   "No reaction" is evidence: expected a reaction but none seen (or the reverse) gives 0.05.
   A reagent with no reference entry for the substance is unknown and gives 0.4: it neither
   confirms nor excludes, but a substance whose reactions are known and fit ranks above it.
3. The substance's score is the weighted geometric mean of these similarities; each reagent's
   weight grows with how much it tells substances apart in the table (the entropy of its
   reactions). A geometric mean lets one clear contradiction pull a candidate down, as it should.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import combinations_with_replacement

from .colour import ciede2000
from .table import Expected, Table, default_table
from .vocabulary import (
    BASIC_COLOURS,
    NO_REACTION,
    REAGENT_KEYS,
    REAGENT_LABELS,
    UnknownColourError,
    UnknownReagentError,
    colour_lab,
    colour_readings,
    parse_observation,
)

SIMILARITY_SCALE = 18.0  # Delta E 00 at which the similarity is one half
SKIPPED_STEP_COST = 4.0  # Delta E 00 added for each reference step not reported
REPEATED_STEP_COST = 4.0  # Delta E 00 added when two reported colours fit the same reference step
REACTION_MISMATCH = 0.05  # similarity when one side reacted and the other did not
FAINT_MISSED = 0.8  # similarity when the reference says "no reaction or <faint colour>" and none was seen
UNKNOWN_SIMILARITY = 0.4  # similarity when the table has no entry for this reagent and substance
FLOOR = 0.05  # no single reagent can pull a score below this
AGREES_AT = 0.5  # similarity at or above which a reagent is said to agree
MIN_WEIGHT = 0.5  # the least informative reagent still counts half as much as the most

BANDS = (("strong", 0.8), ("moderate", 0.6), ("weak", 0.4), ("poor", 0.0))
MIXTURE_BELOW = 0.6  # best single score under this: possibly a mixture
ALIKE_WITHIN = 0.02  # candidates this close to the best cannot be told apart by the reagents used
ALIKE_MAX = 8

ALWAYS_CAUTIONS = (
    "Reagent colours never show purity or amount: a sample can be mostly filler, or much stronger "
    "than expected.",
    "Colours cannot rule out fentanyl, nitazenes or other potent adulterants; use fentanyl and "
    "other test strips, or a lab service, to check for them.",
    "A mixture can mask or mimic colours: one substance's strong reaction can hide another's.",
)


@dataclass(frozen=True)
class ReagentEvidence:
    reagent: str
    observed: tuple[str, ...]
    expected: str  # the reference reaction in words, "unknown" when the table has none
    distance: float | None  # Delta E 00 (alignment cost); None when unknown or a reacted/none mismatch
    agrees: bool
    similarity: float = 0.0


@dataclass(frozen=True)
class Candidate:
    key: str
    substance: str
    substance_class: str
    score: float
    confidence: str
    evidence: list = field(default_factory=list)
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Interpretation:
    observations: dict  # reagent key -> colour sequence
    candidates: list
    possibly_mixture: bool
    reagents_used: tuple[str, ...]
    cautions: list
    mixtures: list = field(default_factory=list)  # [(key, key, score)] pairs that fit better together
    alike: list = field(default_factory=list)  # keys of candidates these reagents cannot tell from the best
    suggested_reagents: list = field(default_factory=list)  # unused reagents that would tell the alike apart

    def as_dict(self) -> dict:
        data = asdict(self)
        data["observations"] = {key: list(value) for key, value in self.observations.items()}
        data["reagents_used"] = list(self.reagents_used)
        data["mixtures"] = [{"substances": [a, b], "score": score} for a, b, score in self.mixtures]
        data["alike"] = list(self.alike)
        data["suggested_reagents"] = list(self.suggested_reagents)
        for candidate in data["candidates"]:
            candidate["sources"] = list(candidate["sources"])
            for evidence in candidate["evidence"]:
                evidence["observed"] = list(evidence["observed"])
        return data


@lru_cache(maxsize=65536)
def _delta_e(lab1, lab2) -> float:
    return ciede2000(lab1, lab2)


def _step_distance(observed_readings, reference_readings) -> float:
    return min(
        _delta_e(lab, reference) + cost + reference_cost
        for lab, cost in observed_readings
        for reference, reference_cost in reference_readings
    )


def sequence_distance(observed_readings, expected: Expected) -> float:
    """How far an observed colour sequence is from a reference sequence, in Delta E 00.

    Every in-order alignment is tried (sequences are at most a few colours long): each observed
    colour is matched to a reference step, never going back in time. Reference steps nobody
    reported cost SKIPPED_STEP_COST each (the person stopped watching, or missed a fast first
    colour); two observed colours on one step cost REPEATED_STEP_COST. The distance is the worst
    matched colour plus those costs: every colour seen must be explained, so "purple, black" is far
    from a reference that only turns purple.
    """
    steps = expected.readings
    n = len(steps)
    cost = [[_step_distance(observed, steps[j]) for j in range(n)] for observed in observed_readings]
    best = float("inf")
    for alignment in combinations_with_replacement(range(n), len(observed_readings)):
        worst = 0.0
        for i, j in enumerate(alignment):
            repeated = i > 0 and alignment[i - 1] == j
            worst = max(worst, cost[i][j] + (REPEATED_STEP_COST if repeated else 0.0))
        skipped = n - len(set(alignment))
        best = min(best, worst + SKIPPED_STEP_COST * skipped)
    return best


def similarity(distance: float) -> float:
    return 1.0 / (1.0 + (distance / SIMILARITY_SCALE) ** 2)


def _nearest_word(lab) -> str:
    return min(BASIC_COLOURS, key=lambda word: ciede2000(lab, colour_lab(word)))


@lru_cache(maxsize=8)
def reagent_weights(table: Table) -> dict:
    """Weight per reagent from the Shannon entropy of its reactions across the table.

    Reactions are grouped by the nearest basic colour word of each step; a reagent whose reactions
    are all alike (or mostly unknown) tells little, one with many distinct reactions tells much.
    """
    entropies = {}
    for reagent in REAGENT_KEYS:
        counts: dict = {}
        for reference in table.references:
            expected = reference.reactions.get(reagent)
            if expected is None:
                continue
            group = (
                (NO_REACTION,) if not expected.reacts else tuple(_nearest_word(step[0][0]) for step in expected.readings)
            )
            counts[group] = counts.get(group, 0) + 1
        total = sum(counts.values())
        entropies[reagent] = -sum(c / total * math.log2(c / total) for c in counts.values()) if total else 0.0
    top = max(entropies.values()) or 1.0
    return {reagent: MIN_WEIGHT + (1 - MIN_WEIGHT) * entropy / top for reagent, entropy in entropies.items()}


def _compare(reagent: str, observed: tuple[str, ...], expected: Expected | None) -> ReagentEvidence:
    if expected is None:
        return ReagentEvidence(reagent, observed, "unknown", None, False, UNKNOWN_SIMILARITY)
    observed_reacted = observed != (NO_REACTION,)
    if not observed_reacted and expected.may_not_react:
        return ReagentEvidence(reagent, observed, expected.describe(), None, True, FAINT_MISSED)
    if observed_reacted != expected.reacts:
        return ReagentEvidence(reagent, observed, expected.describe(), None, False, REACTION_MISMATCH)
    if not observed_reacted:
        return ReagentEvidence(reagent, observed, expected.describe(), 0.0, True, 1.0)
    distance = sequence_distance([colour_readings(colour) for colour in observed], expected)
    value = similarity(distance)
    return ReagentEvidence(reagent, observed, expected.describe(), round(distance, 2), value >= AGREES_AT, value)


def _confidence(score: float, evidence: list) -> str:
    known = [item for item in evidence if item.expected != "unknown"]
    if not known:
        return "poor"
    band = next(name for name, threshold in BANDS if score >= threshold)
    if band == "strong" and (len(known) < 2 or not all(item.agrees for item in known)):
        band = "moderate"
    return band


def _score(evidence: list, weights: dict) -> float:
    total_weight = sum(weights[item.reagent] for item in evidence)
    log_sum = sum(weights[item.reagent] * math.log(max(item.similarity, FLOOR)) for item in evidence)
    return math.exp(log_sum / total_weight)


def _normalise_observations(observations) -> dict:
    if not isinstance(observations, dict) or not observations:
        raise ValueError("give at least one reagent and its colours, e.g. {'marquis': 'purple, black'}")
    normalised: dict = {}
    for reagent, colours in observations.items():
        if colours is None or (isinstance(colours, (str, list, tuple)) and not any(
            str(part).strip() for part in ([colours] if isinstance(colours, str) else colours)
        )):
            continue  # a reagent left blank on a form was not used: that is not "no reaction"
        key, sequence = parse_observation(reagent, colours)
        if key in normalised:
            raise UnknownReagentError(f"reagent {reagent!r} is given twice (as {key!r})")
        normalised[key] = sequence
    if not normalised:
        raise ValueError("give at least one reagent and its colours (every reagent given was blank)")
    return normalised


def interpret(observations, *, table: Table | None = None, limit: int | None = None) -> Interpretation:
    """Rank the reference substances by how well they fit the observed reactions (best first).

    ``observations`` maps reagent names (any common spelling) to a colour sequence: a string
    ("purple, black") or a list of colour words or hex codes. A value of None, "" or [] means the
    reagent was not used and is skipped; "no reaction" is an observation and counts as evidence.
    """
    table = table or default_table()
    observed = _normalise_observations(observations)
    reagents_used = tuple(key for key in REAGENT_KEYS if key in observed)
    weights = reagent_weights(table)

    ranked = []
    for position, reference in enumerate(table.references):
        evidence = [_compare(reagent, observed[reagent], reference.reactions.get(reagent)) for reagent in reagents_used]
        agreeing = sum(1 for item in evidence if item.agrees)
        # Ties (substances the reagents used cannot tell apart) go to the one with more agreeing
        # evidence, then to table order, which lists the substances services see most often first.
        ranked.append(((-round(_score(evidence, weights), 6), -agreeing, position), reference, evidence))
    ranked.sort(key=lambda item: item[0])
    scored = [(-sort_key[0], reference, evidence) for sort_key, reference, evidence in ranked]

    candidates = [
        Candidate(
            key=reference.key,
            substance=reference.name,
            substance_class=reference.substance_class,
            score=round(score, 4),
            confidence=_confidence(score, evidence),
            evidence=[_public(item) for item in evidence],
            sources=reference.sources,
            note=reference.note,
        )
        for score, reference, evidence in scored
    ]
    best_score, best_reference, best_evidence = scored[0]
    known_best = [item for item in best_evidence if item.expected != "unknown"]
    possibly_mixture = best_score < MIXTURE_BELOW or any(not item.agrees for item in known_best)
    position = {reference.key: index for index, reference in enumerate(table.references)}
    mixtures = _mixtures(scored, weights, position) if possibly_mixture else []
    alike_references = [reference for score, reference, _evidence in scored[:ALIKE_MAX] if best_score - score <= ALIKE_WITHIN]
    alike = [reference.key for reference in alike_references] if len(alike_references) > 1 else []
    suggested = _suggest_reagents(alike_references, reagents_used, weights) if alike else []
    if limit is not None:
        candidates = candidates[:limit]
    return Interpretation(
        observations=observed,
        candidates=candidates,
        possibly_mixture=possibly_mixture,
        reagents_used=reagents_used,
        cautions=_cautions(observed, possibly_mixture, alike_references if alike else [], suggested),
        mixtures=mixtures,
        alike=alike,
        suggested_reagents=suggested,
    )


def _suggest_reagents(references: list, reagents_used: tuple, weights: dict) -> list:
    """Reagents not yet used whose known reactions differ among the given substances, best first."""
    suggestions = []
    for reagent in REAGENT_KEYS:
        if reagent in reagents_used:
            continue
        groups = {
            reference.reactions[reagent].describe() for reference in references if reagent in reference.reactions
        }
        known = sum(1 for reference in references if reagent in reference.reactions)
        if len(groups) >= 2:
            suggestions.append((-len(groups), -known, -weights[reagent], reagent))
    return [reagent for *_rank, reagent in sorted(suggestions)]


def _public(item: ReagentEvidence) -> ReagentEvidence:
    return ReagentEvidence(
        item.reagent, item.observed, item.expected, item.distance, item.agrees, round(item.similarity, 4)
    )


def _mixtures(scored, weights, position: dict, keep: int = 3) -> list:
    """Pairs of substances that together explain the observations better than any single one.

    A mixture is assumed to show, on each reagent, the reaction of whichever part fits best; that
    is generous (mixtures also blend colours), so these are suggestions for a lab, never answers.
    """
    best_single = scored[0][0]
    top = [item for item in scored if any(evidence.agrees for evidence in item[2])]
    pairs = []
    for i, (_score_a, reference_a, evidence_a) in enumerate(top):
        for _score_b, reference_b, evidence_b in top[i + 1:]:
            combined = [max(a, b, key=lambda item: item.similarity) for a, b in zip(evidence_a, evidence_b, strict=True)]
            if not all(item.agrees for item in combined):
                continue
            score = _score(combined, weights)
            if score > best_single + 0.05:
                # Among equal fits, prefer the pair whose reactions are better documented.
                agreeing = sum(item.agrees for item in evidence_a) + sum(item.agrees for item in evidence_b)
                order = sorted((position[reference_a.key], position[reference_b.key]))
                pairs.append((-round(score, 6), -agreeing, order, reference_a.key, reference_b.key, round(score, 4)))
    pairs.sort(key=lambda pair: pair[:3])
    pairs = [(first, second, score) for *_rank, first, second, score in pairs]
    return pairs[:keep]


def _cautions(observed: dict, possibly_mixture: bool, alike: list, suggested: list) -> list:
    cautions = list(ALWAYS_CAUTIONS)
    if len(observed) == 1:
        cautions.append("One reagent narrows things down only a little: many substances share a colour. "
                        "Use two or three different reagents.")
    if all(sequence == (NO_REACTION,) for sequence in observed.values()):
        cautions.append("No reaction does not mean nothing is there: many substances, including fentanyl and "
                        "nitazenes, give no colour with these reagents.")
    if possibly_mixture:
        cautions.append("No single substance in the reference table fits well: the sample may be a mixture, "
                        "a substance not in the table, or the colours may have been read differently. "
                        "Consider a lab service.")
    if alike:
        names = ", ".join(reference.name for reference in alike)
        text = f"These reagents cannot tell apart: {names}."
        if suggested:
            labels = ", ".join(REAGENT_LABELS[reagent] for reagent in suggested[:3])
            text += f" Another reagent could: {labels}."
        cautions.append(text)
    return cautions


__all__ = [
    "Candidate",
    "Interpretation",
    "ReagentEvidence",
    "UnknownColourError",
    "UnknownReagentError",
    "interpret",
    "reagent_weights",
]
