"""Reports of any size: every built-in report prints as a PDF for a program with 100 sites and 200 supplies.

Wide tables split their columns over several parts (the indicator column repeats in each), long tables
repeat their header on every page, and every site and every cell can be read back from the PDF text.
"""

import datetime
import uuid

import pytest
from django.urls import reverse

from haven.encounters.actions import encounter_record
from haven.encounters.models import Service
from haven.inventory.models import Item
from haven.places.models import Site
from haven.reports.funder_templates import built_in_templates
from haven.reports.tests.fixed_program import at
from haven.reports.tests.test_pdf import page_texts

SITES, ITEMS = 100, 200
PERIOD_OF = {"calendar_year": "2025", "quarter": "2025-Q4", "month": "2025-10"}
CATEGORIES = [
    {"category": Item.Category.SYRINGE, "syringes_per_unit": 10},
    {"category": Item.Category.NALOXONE, "naloxone_doses_per_unit": 2},
    {"category": Item.Category.TEST_STRIP, "strip_target": Item.StripTarget.FENTANYL, "tests_per_unit": 1},
    {"category": Item.Category.WOUND_CARE},
]


@pytest.fixture
def large_program(dana, places):
    sites = Site.objects.bulk_create(
        Site(name=f"Outreach point {number:03d}", kind=Site.Kind.OUTREACH, area=places["north"], hours_per_week=4)
        for number in range(1, SITES - 2 + 1))
    sites += [places["fixed"], places["van"]]
    items = Item.objects.bulk_create(
        Item(name=f"Supply {number:03d} with a long descriptive name", unit="each", sort_order=number,
             **CATEGORIES[number % len(CATEGORIES)])
        for number in range(1, ITEMS + 1))
    service = Service.objects.order_by("pk").first()
    for number, site in enumerate(sites):
        lines = [(items[(number * 2 + k) % ITEMS], 12 + k) for k in range(2)]
        encounter_record(actor=dana, client_id=uuid.uuid4(), site=site, service_mode="outreach",
                         occurred_at=at(datetime.date(2025, 10, 1 + number % 28)), source="import",
                         supplies=lines, services=[service], syringes_returned=11)
    # Every supply given somewhere: the detail rows by product are as long as the catalog.
    for start in range(0, ITEMS, 20):
        encounter_record(actor=dana, client_id=uuid.uuid4(), site=sites[0], service_mode="outreach",
                         occurred_at=at(datetime.date(2025, 10, 15)), source="import",
                         supplies=[(item, 11) for item in items[start:start + 20]])
    return sites


@pytest.mark.parametrize("slug", [template.slug for template in built_in_templates()])
def test_every_built_in_report_prints_for_a_program_with_100_sites_and_200_supplies(
        slug, large_program, dana, client_as):
    from haven.reports.templates_lookup import template_by_slug

    template = template_by_slug(slug)
    response = client_as(dana).get(reverse("reports-export", kwargs={"slug": slug, "file_format": "pdf"}),
                                   {"period": PERIOD_OF[template.period]})

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    pages = page_texts(response.content)
    text = " ".join("\n".join(pages).split())  # a heading that wraps inside its cell reads as one line
    if template.columns == "site":
        missing = [site.name for site in large_program if site.name not in text]
        assert not missing, f"{len(missing)} sites are not in the PDF, e.g. {missing[:3]}"
        assert "Columns 2–" in text  # the table is split, and says so
    for section in template.sections:
        assert section.title in text
    for page in pages[1:]:  # a table that runs onto a page starts it with its header row, never a bare row
        assert not page.lstrip().startswith(("Supply", "Outreach point"))
