"""The indicators Haven reports: key, label, unit, whether it counts people, definition and source.

Plain Python (no Django): funder templates are validated against this list, docs/INDICATORS.md
explains each one, and `haven.reports.queries.compute` fills in the numbers with aggregate SQL.

`counts_people`: the number is a count of people or of their visits, so every output that leaves
the program applies small-cell suppression to it. `additive`: the number for "all sites" is the
sum of the numbers per site (and per service mode, per month); unique participants are not, since
one person can visit two sites. `detail`: the indicator can be shown broken down into sub-rows
(naloxone by product, test strips by what they detect, services by service).
"""

from __future__ import annotations

from dataclasses import dataclass

# Sources, cited by key in the definitions (full references in docs/INDICATORS.md).
CDC_SSP_2012 = ("CDC, Syringe Services Program (SSP) Development and Implementation Guidelines for State and "
                "Local Health Departments, August 2012, section on program monitoring and evaluation")
CDC_SSP_EVALUATION = ("CDC National Center for HIV, Viral Hepatitis, STD, and TB Prevention, National Survey "
                      "of Syringe Services Programs (OMB 0920-1359), sample analysis tables (2023)")
SHARP_DPM = ("Supporting Harm Reduction Programs (SHaRP), University of Washington, with NASEN and CDC: "
             "Dave Purchase Memorial (DPM) national SSP survey")
NASTAD_2020 = ("NASTAD and CDC, Syringe Services Programs: A Technical Package of Effective Strategies and "
               "Approaches for Planning, Design, and Implementation (2020)")
NALOXONE_DOSES = ("U.S. FDA prescribing information for naloxone hydrochloride nasal spray 4 mg: each "
                  "device delivers one dose and a carton holds two devices; programs report doses, as in the "
                  "Dave Purchase Memorial survey")
HEALTH_CANADA_SCS = ("Health Infobase, Government of Canada, Understanding the data: Supervised consumption "
                     "sites (updated 2024-11-22), What we track and Definitions of indicators; counts under 10 "
                     "suppressed (dashboard notes); see haven/consumption/reference/SOURCE.md")

COUNT, SYRINGES, DOSES, STRIPS, UNITS, RATIO, PERCENT, HOURS, SITES = (
    "count", "syringes", "doses", "test strips", "units", "ratio", "percent", "hours per week", "sites")


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    counts_people: bool
    definition: str
    source: str
    additive: bool = True
    detail: str | None = None  # what the sub-rows are, when there are any
    fact: bool = False  # a program fact (from sites), not a count over the period


INDICATORS: tuple[Indicator, ...] = (
    Indicator("encounters", "Encounters (visits)", COUNT, True,
              "Visits in the period, with or without a known participant; every visit counts (a person "
              "who came four times counts four times). Voided visits are not counted.", CDC_SSP_2012),
    Indicator("unique_participants", "Unique participants", COUNT, True,
              "Distinct enrolled participants with at least one visit in the period, counted by "
              "participant record (never by code: codes are stored only as keyed hashes). Visits without "
              "a participant are counted separately (anonymous encounters).", CDC_SSP_2012, additive=False),
    Indicator("anonymous_encounters", "Anonymous encounters", COUNT, True,
              "Visits in the period recorded without a participant.", CDC_SSP_2012),
    Indicator("new_participants", "New participants", COUNT, True,
              "Participants whose first visit ever falls in the period; counted where and when that first "
              "visit happened.", CDC_SSP_2012),
    Indicator("syringes_distributed", "Syringes distributed", SYRINGES, False,
              "Sterile syringes given, counted in syringes (a box of 10 is 10), including syringes in "
              "kits.", CDC_SSP_EVALUATION),
    Indicator("syringes_returned", "Syringes returned", SYRINGES, False,
              "Used syringes brought back for disposal, as recorded at visits (counted or estimated).",
              CDC_SSP_2012),
    Indicator("return_ratio", "Return ratio", RATIO, False,
              "Syringes returned divided by syringes distributed in the same period.", CDC_SSP_2012,
              additive=False),
    Indicator("syringes_per_participant", "Syringes per participant", RATIO, False,
              "Syringes given at visits with a known participant divided by unique participants. In "
              "shared outputs it is hidden wherever the participant count is suppressed.", NASTAD_2020,
              additive=False),
    Indicator("secondary_exchange_share", "Share of syringes for secondary exchange", PERCENT, False,
              "Syringes given at visits where the participant took supplies for other people, as a "
              "percentage of all syringes distributed.", CDC_SSP_EVALUATION, additive=False),
    Indicator("program_size_band", "Program size (syringes per year)", "band", False,
              "Syringes distributed per year (the period's total scaled to 365 days) in the bands of the "
              "national SSP survey: small 1-9,999; medium 10,000-55,000; large 55,001-499,999; very "
              "large 500,000 or more.", CDC_SSP_EVALUATION + "; " + SHARP_DPM, additive=False),
    Indicator("naloxone_doses", "Naloxone doses distributed", DOSES, False,
              "Naloxone given, counted in doses (a two-dose nasal kit is 2 doses), by product.",
              NALOXONE_DOSES, detail="product"),
    Indicator("reversals_reported", "Overdose reversals reported", COUNT, True,
              "Overdose reversals with naloxone that participants reported at visits in the period.",
              CDC_SSP_EVALUATION),
    Indicator("test_strips", "Drug checking test strips distributed", STRIPS, False,
              "Test strips given, counted in strips, by what they detect.", CDC_SSP_EVALUATION,
              detail="strip"),
    Indicator("other_supplies", "Other supplies distributed", UNITS, False,
              "Every other item given (cookers, pipes, wound care, condoms, sharps containers), in the "
              "item's own unit, by item.", CDC_SSP_2012, detail="item"),
    Indicator("services_given", "Services given", COUNT, True,
              "Services recorded at visits (education, testing, care; a visit with two services counts "
              "twice), by service. Referrals are counted separately.", CDC_SSP_2012, detail="service"),
    Indicator("education_given", "Education sessions given", COUNT, True,
              "Services of the kind education recorded at visits.", CDC_SSP_2012),
    Indicator("referrals_offered", "Referrals offered", COUNT, True,
              "Referrals offered at visits, by kind. The referral module will add whether the referral "
              "was completed.", CDC_SSP_2012, detail="referral"),
    Indicator("hours_per_week", "Hours of operation per week", HOURS, False,
              "Sum of the weekly opening hours of the active sites in scope (as set on each site).",
              SHARP_DPM, additive=False, fact=True),
    Indicator("sites_active", "Active sites", SITES, False,
              "Active sites in scope, by service model (fixed, mobile, outreach, mail, partner).",
              SHARP_DPM, additive=False, fact=True, detail="model"),
    # Supervised consumption (haven/consumption): counted from check-ins (stays) and the responses
    # recorded at the site, by the moment of check-in or of the signs noticed. A stay is at a fixed
    # site: a service-mode scope other than "fixed site" has none.
    Indicator("consumption_visits", "Supervised consumption visits", COUNT, True,
              "Check-ins to a booth in the period; a person who came four times counts four times.",
              HEALTH_CANADA_SCS),
    Indicator("consumption_unique_clients", "Supervised consumption: unique clients", COUNT, True,
              "Different people checked in during the period: each participant once, and each anonymous "
              "check-in once (Haven cannot tell two anonymous check-ins apart).", HEALTH_CANADA_SCS,
              additive=False),
    Indicator("consumption_by_route", "Supervised consumption visits by route", COUNT, True,
              "Check-ins in the period by how the person used: injection, smoking, snorting, oral. The "
              "substance is the person's own words, encrypted, so visits are counted by route.",
              HEALTH_CANADA_SCS, detail="route"),
    Indicator("consumption_overdoses", "Overdoses and drug emergencies at the site", COUNT, True,
              "Responses to an overdose recorded at the site in the period.", HEALTH_CANADA_SCS),
    Indicator("consumption_overdoses_naloxone", "Overdoses at the site requiring naloxone", COUNT, True,
              "Overdose responses in the period in which at least one naloxone dose was given.",
              HEALTH_CANADA_SCS),
    Indicator("consumption_ems_calls", "Calls to emergency medical services from the site", COUNT, True,
              "Overdose responses in the period in which emergency services were called.", HEALTH_CANADA_SCS),
    Indicator("consumption_fatal_overdoses", "Fatal overdoses at the site", COUNT, True,
              "Overdose responses in the period whose outcome was a death.", HEALTH_CANADA_SCS),
)

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}

# National SSP survey size bands (syringes per year); see CDC_SSP_EVALUATION.
SIZE_BANDS = ((500_000, "very large"), (55_001, "large"), (10_000, "medium"), (1, "small"), (0, "none"))


def size_band(syringes_per_year: float) -> str:
    for lowest, band in SIZE_BANDS:
        if syringes_per_year >= lowest:
            return band
    return "none"


def get(key: str) -> Indicator:
    return BY_KEY[key]
