"""Immunoassay test strips: what each detects, and its known limits, with sources.

Plain Python, no Django import. A strip says whether something of its class is there, not how much,
and not which analogue: staff see these limits next to every strip result.
"""

from __future__ import annotations

from dataclasses import dataclass

POSITIVE, NEGATIVE, INVALID = "positive", "negative", "invalid"
RESULTS = (POSITIVE, NEGATIVE, INVALID)


@dataclass(frozen=True)
class Strip:
    key: str
    label: str
    # The vocabulary class (or single substance key) a positive result stands for.
    detects_class: str
    substance: str  # the vocabulary key recorded when the strip is positive
    limits: tuple[str, ...]
    sources: tuple[str, ...]


STRIPS: dict[str, Strip] = {s.key: s for s in (
    Strip(
        key="fentanyl", label="Fentanyl", detects_class="fentanyl", substance="fentanyl",
        limits=(
            "Detects fentanyl and many analogues, but misses some: carfentanil and furanylfentanyl were not "
            "detected at or below 1000 ng/mL in one evaluation.",
            "High concentrations of methamphetamine, MDMA or diphenhydramine can give a false positive: "
            "dilute stimulant samples more before testing.",
            "Fentanyl may be unevenly spread through a sample: a negative strip does not prove a safe supply.",
        ),
        sources=(
            "Park JN et al. Validity of a fentanyl test strip for detecting fentanyl and its analogs in water-based "
            "illicit drug solutions. Drug Alcohol Depend. 2022 (PMC9588631).",
            "Lockwood TE et al. High concentrations of illicit stimulants and cutting agents cause false positives "
            "on fentanyl test strips. Harm Reduct J. 2021;18:30.",
        ),
    ),
    Strip(
        key="xylazine", label="Xylazine", detects_class="alpha2-agonist", substance="xylazine",
        limits=(
            "Lidocaine, a common cutting agent, can give a false positive.",
            "Misses low concentrations: in one community evaluation most missed samples held under 1% xylazine.",
        ),
        sources=(
            "Sisco E et al. Detection of xylazine in drug residue with xylazine test strips (77 compounds checked "
            "for cross-reactivity). ChemRxiv 2023; CFSRE, Characterization of xylazine test strips, 2023.",
            "Molina CA et al. Assessing the real-world performance of xylazine test strips for community-based drug "
            "checking in Los Angeles. Harm Reduct J. 2026, doi:10.1186/s12954-026-01396-z.",
        ),
    ),
    Strip(
        key="benzodiazepines", label="Benzodiazepines", detects_class="benzodiazepine", substance="benzodiazepine",
        limits=(
            "Urine strips read drug samples less reliably: sensitivity was 67% and specificity 82% against "
            "laboratory results in British Columbia.",
            "Some designer benzodiazepines and etizolam (a thienodiazepine) are detected weakly or not at all.",
        ),
        sources=(
            "Crepeault H et al. Detection of benzodiazepines in the unregulated drug supply using point of care and "
            "confirmatory drug checking technologies: a validation study. Drug Alcohol Depend. 2025;112631.",
            "Sisco E et al. Beyond fentanyl test strips: investigating other urine drug test strips for drug "
            "checking applications. ChemRxiv 2024.",
        ),
    ),
    Strip(
        key="nitazenes", label="Nitazenes", detects_class="nitazene", substance="nitazene",
        limits=(
            "Detects most nitazenes sold so far, but not all: nitazenes without the 5-nitro group "
            "('desnitazenes') can give a false negative.",
            "Very high caffeine concentrations can make the result line fade (read as a false positive).",
        ),
        sources=(
            "De Vrieze LM, Stove CP, Vandeputte MM. Nitazene test strips: a laboratory evaluation. "
            "Harm Reduct J. 2024, doi:10.1186/s12954-024-01078-8.",
            "Marland V, Nisbet L, Nic Daéid N. Evaluation of nitazene immunoassay test strips. "
            "Harm Reduct J. 2025, doi:10.1186/s12954-025-01287-9.",
        ),
    ),
    Strip(
        key="medetomidine", label="Medetomidine", detects_class="alpha2-agonist", substance="medetomidine",
        limits=(
            "Some lots respond only to dexmedetomidine, or only when both forms are present: know your lot.",
            "Detomidine and, at high concentrations, levamisole can give a false positive; xylazine does not.",
        ),
        sources=(
            "Amate A, Lieberman M. Chiral sensitivity of medetomidine lateral flow immunoassay test strips. "
            "Harm Reduct J. 2026, doi:10.1186/s12954-025-01387-6.",
        ),
    ),
)}


def choices() -> list[tuple[str, str]]:
    return [(strip.key, strip.label) for strip in STRIPS.values()]
