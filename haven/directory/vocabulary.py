"""Haven's own directory vocabularies, published as HSDS taxonomies so they travel in any package.

These are not borrowed reference data: they are the low-barrier attributes and the service categories
that Haven's issue 15 names (what a person who uses drugs asks before going somewhere). Each taxonomy
and term has a fixed UUID (uuid5 of its code) so two Haven installations exchange the same ids.
No Django import.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_noop

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
    Term("no_id_needed", gettext_noop("No ID needed")),
    Term("no_sobriety_required", gettext_noop("No sobriety or drug testing required")),
    Term("accepts_moud", gettext_noop("Accepts people on methadone or buprenorphine")),
    Term("walk_in", gettext_noop("Walk-in, no appointment")),
    Term("free", gettext_noop("Free")),
    Term("gender_affirming", gettext_noop("Gender-affirming")),
    Term("pets_allowed", gettext_noop("Pets welcome")),
    Term("couples_welcome", gettext_noop("Couples welcome")),
    Term("supplies_allowed", gettext_noop("Harm reduction supplies allowed")),
]
CATEGORIES = [
    Term("harm_reduction", gettext_noop("Harm reduction")),
    Term("methadone", gettext_noop("Methadone")),
    Term("buprenorphine", gettext_noop("Buprenorphine")),
    Term("residential_treatment", gettext_noop("Residential treatment")),
    Term("withdrawal_management", gettext_noop("Withdrawal management")),
    Term("counselling", gettext_noop("Counselling")),
    Term("mental_health", gettext_noop("Mental health")),
    Term("crisis_support", gettext_noop("Crisis support")),
    Term("housing", gettext_noop("Housing and shelter")),
    Term("health_care", gettext_noop("Health care")),
    Term("id_documents", gettext_noop("ID documents")),
    Term("income", gettext_noop("Income and benefits")),
    Term("food", gettext_noop("Food")),
    Term("legal", gettext_noop("Legal help")),
    Term("other", gettext_noop("Other")),
]
AVAILABILITY = [Term("beds_available", gettext_noop("Beds free")), Term("slots_available", gettext_noop("Places free")),
                Term("availability_updated", gettext_noop("Availability last updated"))]

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
