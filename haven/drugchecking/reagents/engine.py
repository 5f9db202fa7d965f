"""Interpret reagent test results: how likely is what was seen, for each reference substance?

A likelihood model (docs/REAGENTS.md explains it for people who run drug checking):

- Per reagent used, P(what was seen | substance) from each source's report of that reagent:
  "no reaction" seen and reported: likely; a reaction seen where none is reported (or the reverse):
  unlikely, less so for a reaction the source calls slow or faint; both reacted: how well the colours
  match. A reagent that was not used says nothing; a reagent the table has no report for gives the
  average likelihood of what was seen over the substances that have one (it says nothing either way),
  so a substance the data describes only vaguely is never favoured over one whose known reactions fit.
- Colours, as words or hex codes, are compared in CIELAB with CIEDE2000. The confusion model: a word
  is read as its swatch and its plausible neighbours (without "light"/"dark", each part of a blend),
  each at a cost in Delta E 00, and a match falls off as a Gaussian of the distance with a floor for
  colours people simply name differently.
- A sequence is matched step by step. Order is preferred but not demanded (a swapped order costs a
  factor), a reference step nobody reported costs a little (someone stopped watching), and a colour
  seen that the reference never mentions costs more, without ruling the substance out.
- Alternatives ("purple or black") take the best-fitting alternative.
- Sources that disagree are averaged (a mixture over reports), so both count and neither is dropped.

Substances the reagents used cannot tell apart (same likelihood) form one group; the result names the
unused reagent(s) whose reports differ within the group. Confidence comes from the posterior of the
best group, with bands calibrated on held-out data (bench/reagents/run.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from .colour import ciede2000
from .table import Table, default_table
from .texts import name_in_text
from .vocabulary import (
    NO_REACTION,
    REAGENT_KEYS,
    REAGENT_LABELS,
    UnknownColourError,
    UnknownReagentError,
    colour_readings,
    parse_observation,
    step_alternatives,
)

# Model constants, every one of them (GROUP_WITHIN included) chosen by evaluation.tune over the space
# evaluation.SPACE declared before the run, on the held-out written descriptions; nested five-fold
# cross-validation (`python bench/reagents/nested.py --all`) measures that procedure on substances it
# never tuned on (docs/REAGENTS.md). These are the values it chooses on every case.
SIGMA = 40.0  # Delta E 00 at which a colour match falls to exp(-1/2)
COLOUR_FLOOR = 0.02  # a colour named quite differently still fits a little
P_BOTH_NONE = 0.9  # no reaction seen, none reported
P_MISSED = 0.2  # no reaction seen, a reaction reported
P_MISSED_SLOW = 0.3  # ... a slow or faint reaction reported
P_SPURIOUS = 0.1  # a reaction seen, none reported
P_REACTED = 0.9  # a reaction seen and reported (times how well the colours match)
SKIPPED_STEP = 0.85  # per reference step nobody reported
EXTRA_COLOUR = 0.3  # per colour seen that the reference never mentions
OUT_OF_ORDER = 0.5  # the colours were seen in another order than reported
_SKIP = [SKIPPED_STEP ** k for k in range(16)]  # rebuilt by set_constants()
OWN_COLOUR_WITHIN = 15.0  # Delta E 00: a first reference step this close to the reagent's own colour is optional
AGREES_AT = 0.2  # per-reagent likelihood at or above which a reagent is said to agree

# Posterior of the best group -> band. The posterior over 700+ substances is spread among close
# analogues, so it understates how often the best group is right: the thresholds were chosen on half of
# the held-out cases (substances split by a hash of their key) so that "strong" is right at least 90% of
# the time, and checked on the other half (strong: 70 of 70 right; 77 of 80). docs/REAGENTS.md has the
# reliability table.
BANDS = (("strong", 0.4), ("moderate", 0.15), ("weak", 0.05), ("poor", 0.0))
GROUP_MAX = 12  # names listed for one group
GROUP_WITHIN = math.log(1.25)  # likelihoods within 25% of a group's best: not told apart (see group_order)
CANDIDATES_SHOWN = 10  # candidates returned (with their evidence) unless a limit is given
MEMO_SIZE = 512  # (reagent, colours) results kept per table
MIXTURE_LOG_GAIN = math.log(20)  # a pair must explain the colours 20 times better than the best single



def gettext_noop(message: str) -> str:
    """Marks a caution for Haven's catalogues (makemessages extracts it); `localized_cautions` translates it."""
    return message


# What reagents cannot tell, in English here and in the interpretation saved with a test; shown in the
# reader's language by `localized_cautions`, which also reads interpretations saved before.
ALWAYS_CAUTIONS = (
    gettext_noop("Reagent colours never show purity or amount: a sample can be mostly filler, or much stronger "
                 "than expected."),
    gettext_noop("Colours cannot rule out fentanyl, nitazenes or other potent adulterants; use fentanyl and "
                 "other test strips, or a lab service, to check for them."),
    gettext_noop("A mixture can mask or mimic colours: one substance's strong reaction can hide another's."),
    gettext_noop("A colour fit is a guess, never a finding: only a test strip (for its own target), a "
                 "spectrometer or a laboratory can say what is in a sample."),
)
ONE_REAGENT_CAUTION = gettext_noop("One reagent narrows things down only a little: many substances share a colour. "
                                   "Use two or three different reagents.")
NO_REACTION_CAUTION = gettext_noop("No reaction does not mean nothing is there: many substances, including "
                                   "fentanyl and nitazenes, give no colour with these reagents.")
MIXTURE_CAUTION = gettext_noop("No single substance in the reference table fits every reagent: the sample may be "
                               "a mixture, a substance not in the table, or the colours may have been read "
                               "differently. Consider a lab service.")
CANNOT_TELL = gettext_noop("These reagents cannot tell apart: %(names)s.")
CANNOT_TELL_MORE = gettext_noop("These reagents cannot tell apart: %(names)s and %(count)s more.")
WOULD_TELL = gettext_noop("%(reagents)s would tell them apart.")
OR_WORD = gettext_noop("or")
FIXED_CAUTIONS = frozenset({*ALWAYS_CAUTIONS, ONE_REAGENT_CAUTION, NO_REACTION_CAUTION, MIXTURE_CAUTION})
_CANNOT_TELL_TEXT = re.compile(r"^These reagents cannot tell apart: (?P<names>.+?)(?: and (?P<count>\d+) more)?\."
                               r"(?: (?P<reagents>.+) would tell them apart\.)?$")


def localized_cautions(cautions: list, gettext, language: str = "en") -> list:
    """The cautions of an interpretation (as saved, in English) in the language of `gettext`; the names
    in "cannot tell apart" in `language` (texts.py). A caution this version does not know is kept as it is."""
    shown = []
    for text in cautions or []:
        if text in FIXED_CAUTIONS:
            shown.append(gettext(text))
            continue
        match = _CANNOT_TELL_TEXT.match(text or "")
        if match is None:
            shown.append(text)
            continue
        names = ", ".join(name_in_text(name, language) for name in match["names"].split(", "))
        if match["count"]:
            line = gettext(CANNOT_TELL_MORE) % {"names": names, "count": match["count"]}
        else:
            line = gettext(CANNOT_TELL) % {"names": names}
        if match["reagents"]:
            labels = match["reagents"].split(" or ")
            line += " " + gettext(WOULD_TELL) % {"reagents": f" {gettext(OR_WORD)} ".join(labels)}
        shown.append(line)
    return shown


@dataclass(frozen=True)
class ReagentEvidence:
    reagent: str
    observed: tuple[str, ...]
    expected: str  # what the sources report, "unknown" when none does; "sources differ: ..." when they disagree
    distance: float | None  # kept for callers of the earlier engine: None (the likelihood replaces it)
    agrees: bool
    similarity: float = 0.0  # the likelihood of what was seen, relative to the best any substance gets


@dataclass(frozen=True)
class Candidate:
    key: str
    substance: str
    substance_class: str
    score: float  # posterior probability of this substance (uniform prior over the table)
    confidence: str
    evidence: list = field(default_factory=list)
    sources: tuple[str, ...] = ()
    note: str = ""
    group: int = 0  # candidates with the same group number cannot be told apart by these reagents


@dataclass(frozen=True)
class Interpretation:
    observations: dict  # reagent key -> colour sequence
    candidates: list
    possibly_mixture: bool
    reagents_used: tuple[str, ...]
    cautions: list
    mixtures: list = field(default_factory=list)  # [(key, key, score)] pairs that fit better together
    alike: list = field(default_factory=list)  # keys of the best group (substances these reagents cannot tell apart)
    suggested_reagents: list = field(default_factory=list)  # unused reagents that would tell the alike apart
    groups: list = field(default_factory=list)  # [{"keys": [...], "names": [...], "probability", "confidence", "separate_with"}]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["observations"] = {key: list(value) for key, value in self.observations.items()}
        data["reagents_used"] = list(self.reagents_used)
        data["mixtures"] = [{"substances": [a, b], "score": score} for a, b, score in self.mixtures]
        for candidate in data["candidates"]:
            candidate["sources"] = list(candidate["sources"])
            for evidence in candidate["evidence"]:
                evidence["observed"] = list(evidence["observed"])
        return data


# --------------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _delta_e(lab1, lab2) -> float:
    return ciede2000(lab1, lab2)


@lru_cache(maxsize=32768)
def _colour_distance(phrase: str, reference_lab) -> float:
    """Delta E 00 from one observed colour (its cheapest reading) to one reference colour."""
    return min(_delta_e(lab, reference_lab) + cost for lab, cost in colour_readings(phrase))


def _colour_fit(phrase: str, reference_lab, reference_cost: float = 0.0) -> float:
    """How well one observed colour (one alternative) fits one reference reading, 0..1."""
    distance = _colour_distance(phrase, reference_lab) + reference_cost
    return COLOUR_FLOOR + (1 - COLOUR_FLOOR) * math.exp(-0.5 * (distance / SIGMA) ** 2)


@lru_cache(maxsize=65536)
def _step_fit(step: str, reference_step) -> float:
    """An observed step (with alternatives) against a reference step (alternatives, each with its readings)."""
    return max(
        _colour_fit(phrase, lab, cost) for phrase in step_alternatives(step) if phrase != NO_REACTION
        for lab, cost in reference_step
    )


def sequence_fit(observed: tuple[str, ...], readings, optional: frozenset = frozenset(), fits=None) -> float:
    """How well an observed colour sequence fits a reference sequence, 0..1 (order preferred, not required).

    ``optional``: reference steps in the reagent's own colour (Mandelin starts yellow), which nobody
    reports as a reaction, so leaving them out costs nothing."""
    n = len(readings)
    if fits is None:
        fits = [[_step_fit(step, readings[j]) for j in range(n)] for step in observed]
    costly = n - len(optional)
    if len(observed) == 1:
        # One colour seen (the common case): it lands on one step, the others were not reported.
        return max(fit * _SKIP[costly - (j not in optional)] for j, fit in enumerate(fits[0]))
    if len(observed) == 2:
        # Two colours: every pair of steps (in order, or swapped at a cost), or one colour left over.
        first, second = fits
        counts = [j not in optional for j in range(n)]
        best = 0.0
        for j1 in range(n):
            saved1 = counts[j1]
            head = first[j1]
            for j2 in range(n):
                value = head * second[j2] * _SKIP[costly - saved1 - (counts[j2] and j2 != j1)]
                if j2 < j1:
                    value *= OUT_OF_ORDER
                if value > best:
                    best = value
            extra = max(head, second[j1]) * EXTRA_COLOUR * _SKIP[costly - saved1]
            if extra > best:
                best = extra
        return best
    # skipped[j]: reference steps before j that cost something when nobody reported them.
    skipped = [0] * (n + 1)
    for j in range(n):
        skipped[j + 1] = skipped[j] + (j not in optional)
    # In order (a small dynamic programme): each observed step lands on a reference step at or after
    # the previous one, or is left over as a colour the reference never mentions (EXTRA_COLOUR).
    # best[j]: best value with the last matched step j; start: nothing matched yet.
    start, best = 1.0, [0.0] * n
    for row in fits:
        new = [0.0] * n
        for j in range(n):
            value = max(best[j], start * SKIPPED_STEP ** skipped[j])  # stay on j, or first match at j
            for last in range(j):
                if best[last]:
                    value = max(value, best[last] * SKIPPED_STEP ** (skipped[j] - skipped[last + 1]))
            new[j] = value * row[j]
        best = [max(moved, stayed * EXTRA_COLOUR) for moved, stayed in zip(new, best, strict=True)]
        start *= EXTRA_COLOUR
    in_order = max(best[j] * SKIPPED_STEP ** (skipped[n] - skipped[j + 1]) for j in range(n))
    # Any order: each observed step on its best reference step, at a cost for the order.
    chosen = [max(range(n), key=row.__getitem__) for row in fits]
    any_order = OUT_OF_ORDER * math.prod(row[j] for row, j in zip(fits, chosen, strict=True))
    any_order *= SKIPPED_STEP ** len(set(range(n)) - set(chosen) - optional)
    return max(in_order, any_order)


def report_likelihood(observed: tuple[str, ...], expected, optional: frozenset = frozenset(), fits=None) -> float:
    """P(what was seen on one reagent | one source's report of it).

    ``fits``: the observed steps against the report's steps, when the caller has them already."""
    if len(observed) == 1 and NO_REACTION in step_alternatives(observed[0]) and observed[0] != NO_REACTION:
        # "no reaction or light yellow": the person was unsure whether it reacted; either reading.
        colours = " or ".join(a for a in step_alternatives(observed[0]) if a != NO_REACTION)
        return max(report_likelihood((NO_REACTION,), expected, optional),
                   report_likelihood((colours,), expected, optional, fits))
    seen_none = observed == (NO_REACTION,)
    if not expected.reacts:
        return P_BOTH_NONE if seen_none else P_SPURIOUS
    if seen_none:
        return P_MISSED_SLOW if expected.may_not_react else P_MISSED
    return P_REACTED * sequence_fit(observed, expected.readings, optional, fits)


# --------------------------------------------------------------------------------------------
# The table, indexed once
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Index:
    reports: dict  # reagent -> list of distinct Expected (by description and readings)
    members: dict  # reagent -> per substance: tuple of indexes into reports[reagent], () when unknown
    known_counts: dict  # reagent -> number of substances with a report
    optional: dict  # reagent -> per report: steps in the reagent's own colour (frozenset of positions)
    steps: dict  # reagent -> distinct reference steps (each a tuple of (CIELAB, cost) readings)
    step_ids: dict  # reagent -> per report: the ids of its steps in steps[reagent]
    own_labs: dict  # reagent -> the reagent's own colours (CIELAB)
    rows: dict  # reagent -> distinct tuples of report indexes (() = unknown)
    row_ids: dict  # reagent -> per substance: its index in rows[reagent]
    row_counts: dict  # reagent -> per row: how many substances have it
    single: dict = field(default_factory=dict)  # reagent -> per report: ((step id, skip factor), ...), () = no reaction
    memo: dict = field(default_factory=dict)  # (reagent, observed) -> per-substance log-likelihoods
    double: dict = field(default_factory=dict)  # reagent -> _double() factors, built on first use


@lru_cache(maxsize=8)
def _index(table: Table) -> _Index:
    reports: dict = {}
    members: dict = {}
    counts: dict = {}
    optional: dict = {}
    steps: dict = {}
    step_ids: dict = {}
    own = table.own_colours or {}
    for reagent in REAGENT_KEYS:
        distinct: dict = {}
        rows = []
        for reference in table.references:
            items = (reference.reports or {}).get(reagent, ())
            row = []
            for report in items:
                signature = (report.expected.steps, report.expected.readings, report.expected.may_not_react)
                row.append(distinct.setdefault(signature, len(distinct)))
            rows.append(tuple(row))
        lookup = {position: signature for signature, position in distinct.items()}
        own_labs = (table.own_colours or {}).get(reagent, ())
        reports[reagent] = [_own_colour_only(_Expected(*lookup[position]), own_labs) for position in range(len(distinct))]
        members[reagent] = rows
        counts[reagent] = sum(1 for row in rows if row)
        optional[reagent] = [
            frozenset(j for j, step in enumerate(expected.readings)
                      if j == 0 and any(_delta_e(lab, own_lab) < OWN_COLOUR_WITHIN for lab, _c in step for own_lab in own_labs))
            for expected in reports[reagent]]
        distinct_steps: dict = {}
        step_ids[reagent] = [tuple(distinct_steps.setdefault(step, len(distinct_steps)) for step in expected.readings)
                             for expected in reports[reagent]]
        steps[reagent] = list(distinct_steps)
    rows: dict = {}
    row_ids: dict = {}
    row_counts: dict = {}
    for reagent in REAGENT_KEYS:
        distinct_rows: dict = {}
        row_ids[reagent] = [distinct_rows.setdefault(row, len(distinct_rows)) for row in members[reagent]]
        rows[reagent] = list(distinct_rows)
        row_counts[reagent] = [0] * len(distinct_rows)
        for row_id in row_ids[reagent]:
            row_counts[reagent][row_id] += 1
    single: dict = {}
    for reagent in REAGENT_KEYS:
        single[reagent] = []
        for expected, ids, skippable in zip(reports[reagent], step_ids[reagent], optional[reagent], strict=True):
            if not expected.reacts:
                single[reagent].append(())
                continue
            costly = len(ids) - len(skippable)
            single[reagent].append(tuple((k, _SKIP[costly - (j not in skippable)]) for j, k in enumerate(ids)))
    return _Index(reports, members, counts, optional, steps, step_ids, dict(own), rows, row_ids, row_counts, single)


@dataclass(frozen=True)
class _Expected:
    steps: tuple
    readings: tuple
    may_not_react: bool
    reacts: bool = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "reacts", self.steps != ((NO_REACTION,),))


def _own_colour_only(expected: _Expected, own_labs) -> _Expected:
    """A reported sequence made only of the reagent's own colour is no reaction ("Mandelin: yellow")."""
    if not own_labs or not expected.reacts:
        return expected
    if all(min(_delta_e(lab, own) for own in own_labs) < OWN_COLOUR_WITHIN for step in expected.readings
           for lab, _cost in step):
        return _Expected(((NO_REACTION,),), (), False)
    return expected


def _stayed_own_colour(own_labs, observed: tuple[str, ...]) -> bool:
    """Every colour seen is the reagent's own colour: it did not change."""
    if not own_labs or observed == (NO_REACTION,):
        return False
    return all(
        alternative != NO_REACTION and min(_delta_e(colour_readings(alternative)[0][0], lab) for lab in own_labs)
        < OWN_COLOUR_WITHIN
        for step in observed for alternative in step_alternatives(step))


def _reagent_log_likelihoods(reagent: str, observed: tuple[str, ...], index: _Index) -> tuple[list, float]:
    """Per substance log P(observed | substance) for one reagent, and the best value any gets.

    Kept for the last few hundred observations per table: the same colours on the same reagent
    ("purple, black" on Marquis) come up again and again, and the answer never changes."""
    key = (reagent, observed)
    cached = index.memo.get(key)
    if cached is not None:
        return cached
    result = _compute_log_likelihoods(reagent, observed, index)
    if len(index.memo) >= MEMO_SIZE:
        index.memo.pop(next(iter(index.memo)))  # oldest first
    index.memo[key] = result
    return result


def _double(index: _Index, reagent: str) -> list:
    """Per report, for two observed colours: ((k1, k2, factor) for every pair of steps, (k, factor) for
    one colour left over), built on first use. None for a report of no reaction."""
    cached = index.double.get(reagent)
    if cached is not None:
        return cached
    result = []
    for expected, ids, skippable in zip(index.reports[reagent], index.step_ids[reagent], index.optional[reagent],
                                        strict=True):
        if not expected.reacts:
            result.append((None, None))
            continue
        n = len(ids)
        costly = n - len(skippable)
        counts = [j not in skippable for j in range(n)]
        pairs = tuple(
            (ids[j1], ids[j2], _SKIP[costly - counts[j1] - (counts[j2] and j2 != j1)] * (OUT_OF_ORDER if j2 < j1 else 1.0))
            for j1 in range(n) for j2 in range(n))
        extras = tuple((ids[j], EXTRA_COLOUR * _SKIP[costly - counts[j]]) for j in range(n))
        result.append((pairs, extras))
    index.double[reagent] = result
    return result


def _compute_log_likelihoods(reagent: str, observed: tuple[str, ...], index: _Index) -> tuple[list, float]:
    values = report_values(reagent, observed, index)
    return _per_substance(reagent, values, index)


def report_values(reagent: str, observed: tuple[str, ...], index: _Index) -> list:
    """P(observed | report) for every distinct report of this reagent in the table (the fast paths)."""
    reports = index.reports[reagent]
    optional = index.optional[reagent]
    step_ids = index.step_ids[reagent]
    if _stayed_own_colour(index.own_labs.get(reagent, ()), observed):
        # The reagent kept its own colour (Mandelin stayed yellow): that is no reaction, exactly.
        observed = (NO_REACTION,)
    # Each observed step against each distinct reference step of this reagent, once.
    vectors = [[_step_fit(step, reference) for reference in index.steps[reagent]]
               for step in observed] if observed != (NO_REACTION,) else []
    plain = all(NO_REACTION not in step_alternatives(step) for step in observed)
    if len(observed) == 1 and plain:
        # One colour seen (the common case), written out: the same numbers as report_likelihood() gives.
        vector = vectors[0]
        values = []
        append = values.append
        for choices in index.single[reagent]:
            if not choices:
                append(P_SPURIOUS)
            elif len(choices) == 1:  # most reports are one colour: no generator needed
                append(P_REACTED * vector[choices[0][0]] * choices[0][1])
            else:
                append(P_REACTED * max([vector[k] * factor for k, factor in choices]))
    elif len(observed) == 2 and plain:
        # Two colours: every pair of reference steps with its precomputed factor (order, skipped steps),
        # or one colour left over; the same numbers as sequence_fit() gives.
        first, second = vectors
        values = []
        for pairs, extras in _double(index, reagent):
            if pairs is None:
                values.append(P_SPURIOUS)
                continue
            best = max(first[k1] * second[k2] * factor for k1, k2, factor in pairs)
            leftover = max(max(first[k], second[k]) * factor for k, factor in extras)
            values.append(P_REACTED * max(best, leftover))
    else:
        values = []
        for i, expected in enumerate(reports):
            fits = [[vector[k] for k in step_ids[i]] for vector in vectors] if expected.reacts and vectors else None
            values.append(report_likelihood(observed, expected, optional[i], fits=fits))

    return values


def _per_substance(reagent: str, values: list, index: _Index) -> tuple[list, float]:
    # Per distinct set of reports (most substances share one), the best-fitting report; then per substance.
    row_values = [max(values[i] for i in row) if row else 0.0 for row in index.rows[reagent]]
    row_ids = index.row_ids[reagent]
    known_total = sum(row_values[r] * count for r, count in enumerate(index.row_counts[reagent]) if index.rows[reagent][r])
    known = index.known_counts[reagent]
    unknown = known_total / known if known else 1.0  # says nothing: the average over the known substances
    row_logs = [math.log(value) if row else math.log(unknown) for value, row in zip(row_values, index.rows[reagent], strict=True)]
    best = max((value for value, row in zip(row_values, index.rows[reagent], strict=True) if row), default=1.0)
    return list(map(row_logs.__getitem__, row_ids)), best


# --------------------------------------------------------------------------------------------
# Interpretation
# --------------------------------------------------------------------------------------------

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


TUNED = ("SIGMA", "COLOUR_FLOOR", "P_MISSED", "P_MISSED_SLOW", "P_SPURIOUS", "SKIPPED_STEP", "EXTRA_COLOUR",
         "OUT_OF_ORDER", "GROUP_WITHIN")


def constants() -> dict:
    return {name: globals()[name] for name in TUNED}


def set_constants(**values) -> None:
    """Change the model constants (the cross-validation in evaluation.py does); clears the caches."""
    global _SKIP
    for name, value in values.items():
        if name not in TUNED:
            raise KeyError(name)
        globals()[name] = value
    _SKIP = [SKIPPED_STEP ** k for k in range(16)]
    _index.cache_clear()  # the per-table memo of likelihoods depends on the constants
    _colour_distance.cache_clear()
    _step_fit.cache_clear()


def group_order(totals: list, order: list | None = None) -> list[list[int]]:
    """Substances in groups the reagents used cannot tell apart, best group first.

    A group holds every substance whose likelihood is within a factor 1.25 of the group's best. Any
    likelihood ratio under 3 is evidence "not worth more than a bare mention" (Kass & Raftery, Bayes
    factors, JASA 90 (1995) 773-795); Haven groups far more tightly so that groups stay short enough
    to act on. docs/REAGENTS.md shows accuracy and group size for other factors."""
    order = order if order is not None else sorted(range(len(totals)), key=lambda i: (-totals[i], i))
    groups: list = []
    for i in order:
        if groups and totals[groups[-1][0]] - totals[i] <= GROUP_WITHIN:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def band(probability: float) -> str:
    return next(name for name, threshold in BANDS if probability >= threshold)


def scores(observations, *, table: Table | None = None) -> tuple[list, tuple]:
    """The log-likelihood of every substance in table order, and the reagents used (for evaluation)."""
    table = table or default_table()
    observed = _normalise_observations(observations)
    index = _index(table)
    reagents_used = tuple(key for key in REAGENT_KEYS if key in observed)
    columns = [_reagent_log_likelihoods(reagent, observed[reagent], index)[0] for reagent in reagents_used]
    return [round(total, 9) for total in map(sum, zip(*columns, strict=True))], reagents_used


def interpret(observations, *, table: Table | None = None, limit: int | None = None) -> Interpretation:
    """Rank the reference substances by how well they explain the observed reactions (best first).

    ``observations`` maps reagent names (any common spelling) to a colour sequence: a string
    ("purple, black", "purple or black") or a list of colour words or hex codes. A value of None, "" or
    [] means the reagent was not used and says nothing; "no reaction" is an observation and evidence.
    """
    table = table or default_table()
    observed = _normalise_observations(observations)
    index = _index(table)
    reagents_used = tuple(key for key in REAGENT_KEYS if key in observed)
    columns, best_possible = {}, {}
    for reagent in reagents_used:
        columns[reagent], best_possible[reagent] = _reagent_log_likelihoods(reagent, observed[reagent], index)
    totals = [round(total, 9) for total in map(sum, zip(*(columns[r] for r in reagents_used), strict=True))]
    top = max(totals)
    weights = [math.exp(total - top) for total in totals]
    normaliser = sum(weights)
    order = sorted(range(len(totals)), key=lambda i: (-totals[i], i))

    groups: list = []
    group_of: dict = {}
    for number, members in enumerate(group_order(totals, order)):
        groups.append({"total": totals[members[0]], "members": members})
        for i in members:
            group_of[i] = number
    shown = order[: CANDIDATES_SHOWN if limit is None else limit]
    candidates = [_candidate(table.references[i], i, weights[i] / normaliser, group_of[i], groups, weights,
                             normaliser, columns, best_possible, observed, reagents_used)
                  for i in shown]
    summary = []
    for number, group in enumerate(groups[:5]):
        references = [table.references[i] for i in group["members"]]
        probability = sum(weights[i] for i in group["members"]) / normaliser
        summary.append({
            "keys": [reference.key for reference in references],
            "names": [reference.name for reference in references[:GROUP_MAX]],
            "size": len(references),
            "probability": round(probability, 4),
            "confidence": _group_band(probability, reagents_used),
            "separate_with": _separating(index, group["members"], reagents_used) if len(references) > 1 else [],
            "number": number,
        })
    best = groups[0]["members"][0]
    contradicted = any(math.exp(columns[r][best]) < AGREES_AT * best_possible[r] for r in reagents_used)
    possibly_mixture = contradicted
    mixtures = _mixtures(table, order, columns, reagents_used, totals[best]) if possibly_mixture else []
    alike = summary[0]["keys"] if summary[0]["size"] > 1 else []
    suggested = summary[0]["separate_with"]
    return Interpretation(
        observations=observed,
        candidates=candidates,
        possibly_mixture=possibly_mixture,
        reagents_used=reagents_used,
        cautions=_cautions(observed, possibly_mixture, summary[0], suggested),
        mixtures=mixtures,
        alike=alike,
        suggested_reagents=suggested,
        groups=summary,
    )


def _group_band(probability: float, reagents_used: tuple) -> str:
    name = band(probability)
    if name == "strong" and len(reagents_used) < 2:
        name = "moderate"  # one reagent never identifies a substance
    return name


def _candidate(reference, i, probability, group_number, groups, weights, normaliser, columns, best_possible,
               observed, reagents_used):
    evidence = []
    for reagent in reagents_used:
        relative = math.exp(columns[reagent][i]) / best_possible[reagent] if best_possible[reagent] else 0.0
        known = bool((reference.reports or {}).get(reagent))
        evidence.append(ReagentEvidence(
            reagent=reagent, observed=observed[reagent],
            expected=reference.describe(reagent) if known else "unknown",
            distance=None, agrees=known and relative >= AGREES_AT, similarity=round(min(relative, 1.0), 4)))
    group = groups[group_number]
    group_probability = sum(weights[j] for j in group["members"]) / normaliser
    return Candidate(
        key=reference.key, substance=reference.name, substance_class=reference.substance_class,
        score=round(probability, 6), confidence=_group_band(group_probability, reagents_used),
        evidence=evidence, sources=reference.sources, note=reference.note, group=group_number)


def _separating(index: _Index, members: list, reagents_used: tuple) -> list:
    """suggest_reagents() from the table's index: distinct report sets instead of descriptions (fast)."""
    suggestions = []
    for reagent in REAGENT_KEYS:
        if reagent in reagents_used:
            continue
        row_ids, rows, reports = index.row_ids[reagent], index.rows[reagent], index.reports[reagent]
        # What the sources report (the colour steps), not which sources: two sources saying the same
        # thing do not tell substances apart.
        known = [frozenset(reports[r].steps for r in rows[row_ids[i]]) for i in members if rows[row_ids[i]]]
        distinct = len(set(known))
        if distinct >= 2:
            suggestions.append((-distinct, -len(known), REAGENT_KEYS.index(reagent), reagent))
    return [reagent for *_rank, reagent in sorted(suggestions)]


def suggest_reagents(references: list, reagents_used: tuple) -> list:
    """Unused reagents whose reports differ among the given substances, the most telling first."""
    suggestions = []
    for reagent in REAGENT_KEYS:
        if reagent in reagents_used:
            continue
        described = [reference.describe(reagent) for reference in references]
        known = [text for text in described if text != "unknown"]
        distinct = len(set(known))
        if distinct >= 2:
            suggestions.append((-distinct, -len(known), REAGENT_KEYS.index(reagent), reagent))
    return [reagent for *_rank, reagent in sorted(suggestions)]


def _mixtures(table: Table, order: list, columns: dict, reagents_used: tuple, best_total: float, keep: int = 3):
    """Pairs that together explain every reagent far better than any single substance.

    A mixture is assumed to show, per reagent, the reaction of whichever part fits better: generous
    (mixtures also blend and mask colours), so these are suggestions for a lab, never answers."""
    top = order[:15]
    pairs = []
    for a_position, a in enumerate(top):
        for b in top[a_position + 1:]:
            total = sum(max(columns[r][a], columns[r][b]) for r in reagents_used)
            if total - best_total > MIXTURE_LOG_GAIN:
                pairs.append((-total, a, b))
    pairs.sort()
    return [(table.references[a].key, table.references[b].key, round(-total, 3)) for total, a, b in pairs[:keep]]


def _cautions(observed: dict, possibly_mixture: bool, best_group: dict, suggested: list) -> list:
    cautions = list(ALWAYS_CAUTIONS)
    if len(observed) == 1:
        cautions.append(ONE_REAGENT_CAUTION)
    if all(sequence == (NO_REACTION,) for sequence in observed.values()):
        cautions.append(NO_REACTION_CAUTION)
    if possibly_mixture:
        cautions.append(MIXTURE_CAUTION)
    if best_group["size"] > 1:
        names = ", ".join(best_group["names"])
        more = best_group["size"] - len(best_group["names"])
        text = CANNOT_TELL_MORE % {"names": names, "count": more} if more > 0 else CANNOT_TELL % {"names": names}
        if suggested:
            labels = f" {OR_WORD} ".join(REAGENT_LABELS[reagent] for reagent in suggested[:3])
            text += " " + WOULD_TELL % {"reagents": labels}
        cautions.append(text)
    return cautions


__all__ = [
    "Candidate",
    "Interpretation",
    "ReagentEvidence",
    "UnknownColourError",
    "UnknownReagentError",
    "band",
    "interpret",
    "localized_cautions",
    "scores",
    "suggest_reagents",
]
