"""A small fixed program whose indicators were computed by hand (see test_indicators.py).

Visits go in through `encounter_record`, as a legacy log import (source "import"), so that their
dates can be fixed in October 2025 whatever day the tests run.
"""

import datetime
import uuid

from django.utils import timezone

from haven.encounters.actions import encounter_record, encounter_void
from haven.encounters.models import Service
from haven.inventory.models import Item, Kit
from haven.participants.actions import participant_enroll


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def item(name):
    return Item.objects.get(name=name)


def service(name):
    return Service.objects.get(name=name)


def make_fixed_program(dana, places):
    north, van = places["fixed"], places["van"]
    p1 = participant_enroll(actor=dana, code="AN0385R", site=north)
    p2 = participant_enroll(actor=dana, code="MA1179S", site=van)
    p3 = participant_enroll(actor=dana, code="JO0792D", site=north)
    n = iter(range(1000))

    def visit(day, site, participant, **fields):
        encounter, _created = encounter_record(
            actor=dana, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"reports-test-{next(n)}"), site=site,
            service_mode="fixed" if site == north else "mobile", participant=participant,
            occurred_at=at(day), source="import", **fields)
        return encounter

    visit(datetime.date(2025, 10, 3), north, p1, supplies=[(item('1 mL 28G 1/2" syringe'), 20),
                                                           (item("Naloxone nasal spray 4 mg (2-dose kit)"), 1)],
          syringes_returned=15, services=[service("Safer injection"), service("HIV test")])
    visit(datetime.date(2025, 10, 10), north, p1, kits=[(Kit.objects.get(name="Safer injection kit"), 1)],
          syringes_returned=5, secondary_people=2, reversals=[{"naloxone_doses_used": 2, "outcome": "survived"}])
    visit(datetime.date(2025, 10, 12), van, p2, supplies=[(item("Box of 10 1 mL 28G syringes"), 1),
                                                          (item("Fentanyl test strip"), 5)],
          services=[service("Housing")])
    visit(datetime.date(2025, 10, 20), van, None, supplies=[(item("Naloxone 8 mg nasal (2-dose kit)"), 1),
                                                            (item("Xylazine test strip"), 2)])
    visit(datetime.date(2025, 9, 15), north, p3, supplies=[(item('1 mL 28G 1/2" syringe'), 10)])
    visit(datetime.date(2025, 10, 25), north, p3, supplies=[(item('1 mL 28G 1/2" syringe'), 10)])
    mistake = visit(datetime.date(2025, 10, 26), north, p2, supplies=[(item('1 mL 28G 1/2" syringe'), 100)])
    encounter_void(actor=dana, encounter=mistake, reason="entered twice")
    return {"p1": p1, "p2": p2, "p3": p3}
