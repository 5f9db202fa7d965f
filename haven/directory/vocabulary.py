"""Haven's own directory vocabularies, published as HSDS taxonomies so they travel in any package.

These are not borrowed reference data: they are the low-barrier attributes and the service categories
that Haven's issue 15 names (what a person who uses drugs asks before going somewhere). Each taxonomy
and term has a fixed UUID (uuid5 of its code) so two Haven installations exchange the same ids.
No Django import.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

NAMESPACE = uuid.UUID("6f1c2f4e-5b0a-4c1e-9d3a-6c0b8e2f1a15")


@dataclass(frozen=True)
class Term:
    code: str
    name: str


def _id(code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, code))


LOW_BARRIER_TAXONOMY = {"id": _id("haven-low-barrier"), "name": "Haven low-barrier attributes",
                        "description": "What a service does not ask of people, and what it welcomes."}
CATEGORY_TAXONOMY = {"id": _id("haven-service-category"), "name": "Haven service categories",
                     "description": "Kinds of services people are referred to."}
AVAILABILITY_TAXONOMY = {"id": _id("haven-availability"), "name": "Haven availability",
                         "description": "Beds or places free now, and when that was last updated."}

LOW_BARRIER = [
    Term("no_id_needed", N_("No ID needed")),
    Term("no_sobriety_required", N_("No sobriety or drug testing required")),
    Term("accepts_moud", N_("Accepts people on methadone or buprenorphine")),
    Term("walk_in", N_("Walk-in, no appointment")),
    Term("free", N_("Free")),
    Term("gender_affirming", N_("Gender-affirming")),
    Term("pets_allowed", N_("Pets welcome")),
    Term("couples_welcome", N_("Couples welcome")),
    Term("supplies_allowed", N_("Harm reduction supplies allowed")),
]
CATEGORIES = [
    Term("harm_reduction", N_("Harm reduction")),
    Term("methadone", N_("Methadone")),
    Term("buprenorphine", N_("Buprenorphine")),
    Term("residential_treatment", N_("Residential treatment")),
    Term("withdrawal_management", N_("Withdrawal management")),
    Term("counselling", N_("Counselling")),
    Term("mental_health", N_("Mental health")),
    Term("crisis_support", N_("Crisis support")),
    Term("housing", N_("Housing and shelter")),
    Term("health_care", N_("Health care")),
    Term("id_documents", N_("ID documents")),
    Term("income", N_("Income and benefits")),
    Term("food", N_("Food")),
    Term("legal", N_("Legal help")),
    Term("other", N_("Other")),
]
AVAILABILITY = [Term("beds_available", N_("Beds free")), Term("slots_available", N_("Places free")),
                Term("availability_updated", N_("Availability last updated"))]

TAXONOMIES = [(LOW_BARRIER_TAXONOMY, LOW_BARRIER), (CATEGORY_TAXONOMY, CATEGORIES),
              (AVAILABILITY_TAXONOMY, AVAILABILITY)]
LOW_BARRIER_CODES = [term.code for term in LOW_BARRIER]
CATEGORY_CODES = [term.code for term in CATEGORIES]
# Treatment is a referral like any other; the report shows these categories like every other one.
TREATMENT_CATEGORIES = {"methadone", "buprenorphine", "residential_treatment", "withdrawal_management", "counselling"}


def term_id(code: str) -> str:
    return _id(f"term:{code}")


def taxonomy_rows() -> tuple[list[dict], list[dict]]:
    """The three taxonomies and their terms as HSDS rows."""
    taxonomies, terms = [], []
    for taxonomy, items in TAXONOMIES:
        taxonomies.append(dict(taxonomy))
        for item in items:
            terms.append({"id": term_id(item.code), "code": item.code, "name": item.name,
                          "description": item.name, "taxonomy": taxonomy["name"], "taxonomy_id": taxonomy["id"]})
    return taxonomies, terms


def labels() -> dict[str, str]:
    """Term code -> its name in the reader's language."""
    from django.utils.translation import gettext

    return {term.code: gettext(term.name) for _taxonomy, terms in TAXONOMIES for term in terms}
