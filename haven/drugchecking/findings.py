"""The combined finding for one sample, its contradictions, and the advice drafted from it.

Plain Python, no Django import: `combine()` takes what each test showed and the substance the sample
was sold as, and says what the sample holds, how sure that is, and how it compares with what was
expected. Views and actions call it; it never calls them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from haven.drugchecking import strips, vocabulary

STRIP, REAGENT = "strip", "reagent"
SPECTROMETRY_METHODS = ("ftir", "raman")
LAB_METHODS = ("gcms", "lcms", "nmr")
IDENTIFYING_METHODS = SPECTROMETRY_METHODS + LAB_METHODS

EXPECTED = "expected"
UNEXPECTED = "unexpected"
DIFFERENT = "different"
INCONCLUSIVE = "inconclusive"
CLASSIFICATIONS = (EXPECTED, UNEXPECTED, DIFFERENT, INCONCLUSIVE)

# Keys that stand for a whole class: "sold as benzos" is met by any benzodiazepine.
GENERIC_KEYS = {"fentanyl": "fentanyl", "nitazene": "nitazene", "benzodiazepine": "benzodiazepine"}
# Cutting agents are reported but do not make a sample "unexpected" by themselves.
IGNORED_CLASSES = frozenset({"cut"})


# A spectrometer's library match at or above this counts as found; below it, a possible match only.
# Haven's default; a program should use the threshold its instrument's validation set.
SPECTRUM_MATCH_THRESHOLD = 0.80

# Per method, in plain words: what it can find, and what it can miss (the participant's result page).
METHOD_LIMITS = {
    STRIP: "A test strip looks for one substance (or family) only. It can miss small amounts and some "
           "look-alike substances, and says nothing about anything else in the sample.",
    REAGENT: "Reagent colours only suggest what a sample might be; they never confirm it. They cannot show "
             "fentanyl, nitazenes or how strong the sample is, and a mixture can hide colours.",
    "ftir": "The spectrometer identifies the main parts of a sample. It can miss anything present in small "
            "amounts (often under 5 to 10 percent), including fentanyl.",
    "raman": "The spectrometer identifies the main parts of a sample. It can miss anything present in small "
             "amounts, and some coloured samples cannot be read.",
    "gcms": "The laboratory identifies the substances in the sample precisely. It can still miss substances "
            "its method does not look for.",
    "lcms": "The laboratory identifies the substances in the sample precisely. It can still miss substances "
            "its method does not look for.",
    "nmr": "The laboratory identifies the main substances in the sample precisely; traces can be missed.",
}


@dataclass(frozen=True)
class Evidence:
    """What one test showed. Strips: `strip` and `result`. Other methods: the vocabulary keys found.

    `possible`: what the test suggests but cannot confirm (the substances reagent colours fit, or a
    spectrum's matches below the threshold). Never "found"."""

    method: str
    strip: str = ""
    result: str = ""
    substances: tuple[str, ...] = ()
    possible: tuple[str, ...] = ()


@dataclass
class Detected:
    key: str
    methods: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return vocabulary.name_of(self.key)

    @property
    def substance_class(self) -> str:
        return vocabulary.class_of(self.key)

    @property
    def confirmed(self) -> bool:
        """Identified by a spectrometer or a laboratory, not only by a strip."""
        return bool(self.methods & set(IDENTIFYING_METHODS))


@dataclass(frozen=True)
class Contradiction:
    strip: str
    strip_result: str
    laboratory_found: bool
    explanation: str


@dataclass
class Finding:
    """`detected` holds only what a confirming method found (a strip for its own target, a spectrometer
    above its match threshold, a laboratory). `possible` holds what reagent colours fit or a weak
    spectrum suggests: shown as such, never as found, and never a reason for an alert."""

    expected: str
    classification: str
    detected: list[Detected]
    contradictions: list[Contradiction]
    expected_found: bool
    possible: dict = field(default_factory=dict)  # key -> methods that only suggest it

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.detected]

    def as_dict(self) -> dict:
        return {
            "expected": self.expected, "classification": self.classification,
            "expected_found": self.expected_found,
            "detected": [{"key": d.key, "methods": sorted(d.methods), "confirmed": d.confirmed} for d in self.detected],
            "contradictions": [{"strip": c.strip, "strip_result": c.strip_result,
                                "laboratory_found": c.laboratory_found} for c in self.contradictions],
            "possible": {key: sorted(methods) for key, methods in self.possible.items()},
        }


def strip_matches(strip_key: str, substance_key: str) -> bool:
    """Whether a substance is what this strip is made to detect."""
    strip = strips.STRIPS[strip_key]
    if strip.detects_class == "alpha2-agonist":
        return substance_key == strip.substance
    return vocabulary.class_of(substance_key) == strip.detects_class


def meets_expectation(expected: str, key: str) -> bool:
    if key == expected:
        return True
    generic = GENERIC_KEYS.get(expected)
    return generic is not None and vocabulary.class_of(key) == generic


def combine(expected: str, evidence: Iterable[Evidence]) -> Finding:
    evidence = list(evidence)
    found: dict[str, Detected] = {}

    def add(key: str, method: str) -> None:
        found.setdefault(key, Detected(key)).methods.add(method)

    possible: dict[str, set] = {}
    for item in evidence:
        for key in item.possible:
            possible.setdefault(key, set()).add(item.method)
        if item.method not in (STRIP, REAGENT):
            for key in item.substances:
                add(key, item.method)
        elif item.method == REAGENT:
            # Reagent colours are presumptive: what they fit is "possible", never found.
            for key in item.substances:
                possible.setdefault(key, set()).add(REAGENT)
    lab_keys = {key for item in evidence if item.method in LAB_METHODS for key in item.substances}
    has_lab = any(item.method in LAB_METHODS for item in evidence)
    contradictions: list[Contradiction] = []
    for item in evidence:
        if item.method != STRIP or item.strip not in strips.STRIPS:
            continue
        label = strips.STRIPS[item.strip].label
        in_lab = any(strip_matches(item.strip, key) for key in lab_keys)
        if item.result == strips.POSITIVE:
            supported = [key for key in found if strip_matches(item.strip, key)]
            for key in supported:
                found[key].methods.add(STRIP)
            if not supported:
                add(strips.STRIPS[item.strip].substance, STRIP)
            if has_lab and not in_lab:
                contradictions.append(Contradiction(
                    item.strip, item.result, False,
                    f"The {label} strip was positive, but the laboratory found none: a false positive, or "
                    f"an analogue the laboratory method does not report. Check the strip's limits."))
        elif item.result == strips.NEGATIVE and has_lab and in_lab:
            contradictions.append(Contradiction(
                item.strip, item.result, True,
                f"The {label} strip was negative, but the laboratory found it: the strip can miss low amounts "
                f"and some analogues."))
    detected = sorted(found.values(), key=lambda d: (not d.confirmed, d.name.casefold()))
    possible = {key: methods for key, methods in possible.items() if key not in found}
    return Finding(expected=expected, classification=classify(expected, detected, evidence),
                   detected=detected, contradictions=contradictions,
                   expected_found=any(meets_expectation(expected, d.key) for d in detected), possible=possible)


def classify(expected: str, detected: list[Detected], evidence: list[Evidence]) -> str:
    """Expected, contains something unexpected, a different substance, or inconclusive.

    Strips only say whether their target is there, so strips alone never show that the sample is
    what it was sold as; a spectrometer or a laboratory can. Reagent colours never decide it."""
    relevant = [d for d in detected if d.substance_class not in IGNORED_CLASSES]
    expected_found = any(meets_expectation(expected, d.key) for d in relevant)
    others = [d for d in relevant if not meets_expectation(expected, d.key)]
    identifies = any(item.method in IDENTIFYING_METHODS for item in evidence)
    if not relevant:
        return INCONCLUSIVE
    if expected_found:
        return UNEXPECTED if others else EXPECTED
    if identifies and any(d.methods - {STRIP} for d in others):
        # Something else was identified, and what it was sold as was not.
        return DIFFERENT
    return UNEXPECTED


# ---------------------------------------------------------------------------------------------
# Advice
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Advice:
    text: str
    source: str


NALOXONE = ("SAMHSA, Overdose Prevention and Response Toolkit (2023), "
            "https://store.samhsa.gov/product/overdose-prevention-and-response-toolkit/pep23-03-00-001")
XYLAZINE = ("CDC, What you should know about xylazine (2024), "
            "https://www.cdc.gov/overdose-prevention/about/what-you-should-know-about-xylazine.html")
NITAZENES = ("UNODC Early Warning Advisory, Nitazenes: a new group of synthetic opioids emerges (2024), "
             "https://www.unodc.org/LSS/Home/NPS")
MEDETOMIDINE = ("CFSRE NPS Discovery, Medetomidine rapidly proliferating across USA (2024), "
                "https://www.cfsre.org/nps-discovery/public-alerts")
BENZODIAZEPINES = ("BC Centre for Disease Control, Toward the Heart: benzodiazepines in the unregulated "
                   "opioid supply, https://towardtheheart.com")
# "Start low and go slow" with a supply of unknown content: the same SAMHSA toolkit.
UNKNOWN_SUPPLY = NALOXONE


def draft_advice(finding: Finding) -> list[Advice]:
    """Harm reduction advice from what was found, most urgent first, each with its source."""
    classes = {d.substance_class for d in finding.detected}
    keys = set(finding.keys)
    expected_class = vocabulary.class_of(finding.expected)
    advice: list[Advice] = []
    opioid_found = classes & vocabulary.OPIOID_CLASSES
    if "fentanyl" in classes or "nitazene" in classes:
        advice += [
            Advice("Do not use alone: use with someone who can respond, or call an overdose response line.", NALOXONE),
            Advice("Carry naloxone and know how to give it.", NALOXONE),
            Advice("Start with a very small amount and go slowly.", NALOXONE),
        ]
        if expected_class not in vocabulary.OPIOID_CLASSES:
            advice.append(Advice("If you have not used opioids recently, your tolerance is low: even a small "
                                 "amount can stop your breathing.", NALOXONE))
    if "nitazene" in classes:
        advice.append(Advice("Nitazenes can be much stronger than fentanyl: more than one dose of naloxone may "
                             "be needed, and call emergency services.", NITAZENES))
    elif opioid_found and not advice:
        advice += [Advice("Carry naloxone and do not use alone.", NALOXONE)]
    if "xylazine" in keys:
        advice += [
            Advice("Xylazine can cause deep sedation and wounds that are slow to heal: look after any wound "
                   "early and ask us about wound care.", XYLAZINE),
            Advice("Naloxone still works on the opioid in a mix with xylazine: give it, and give rescue breaths "
                   "if breathing is slow.", XYLAZINE),
        ]
    if "medetomidine" in keys:
        advice += [
            Advice("Medetomidine causes heavy sedation and a slow heartbeat; naloxone does not reverse it, but "
                   "still give naloxone for the opioid and call emergency services.", MEDETOMIDINE),
        ]
    if "benzodiazepine" in classes and finding.expected not in keys and expected_class != "benzodiazepine":
        advice.append(Advice("Benzodiazepines with opioids make overdose more likely and waking harder; "
                             "naloxone does not reverse the benzodiazepine, so stay with someone.", BENZODIAZEPINES))
    if finding.classification in (DIFFERENT, UNEXPECTED) and not advice:
        advice.append(Advice("This is not only what it was sold as: start with a small amount and wait before "
                             "taking more.", UNKNOWN_SUPPLY))
    if finding.classification == INCONCLUSIVE:
        advice.append(Advice("The tests could not say what this is: treat it as unknown, start with a small "
                             "amount and do not use alone.", UNKNOWN_SUPPLY))
    return advice


def advice_text(advice: Iterable[Advice]) -> str:
    return "\n".join(f"- {item.text}" for item in advice)
