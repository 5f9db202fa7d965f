"""A small program around Wednesday 22 October 2025, for the coordinator's home: the week began on
Monday the 20th; the last 7 days began on the 16th, the last 4 weeks on 25 September."""

import datetime
import uuid

from haven.drugchecking.actions import sample_intake
from haven.encounters.actions import encounter_record, encounter_void
from haven.overdose.recording import overdose_report_record
from haven.participants.actions import participant_enroll
from haven.reports.tests.fixed_program import at, item

TODAY = datetime.date(2025, 10, 22)
SYRINGE = '1 mL 28G 1/2" syringe'


def make_coordinator_program(dana, places, *, copies: int = 1):
    """`copies`: each visit, report and sample that many times (the query count must not follow)."""
    north, van = places["fixed"], places["van"]
    p1 = participant_enroll(actor=dana, code="AN0385R", site=north)
    p2 = participant_enroll(actor=dana, code="MA1179S", site=van)

    def visit(day, site, participant, hour=10, **fields):
        encounter, _created = encounter_record(
            actor=dana, client_id=uuid.uuid4(), site=site, service_mode="fixed" if site == north else "mobile",
            participant=participant, occurred_at=at(day, hour), source="import", **fields)
        return encounter

    for _copy in range(copies):
        visit(TODAY, north, p1, supplies=[(item(SYRINGE), 20), (item("Naloxone nasal spray 4 mg (2-dose kit)"), 1)],
              syringes_returned=15)
        visit(datetime.date(2025, 10, 20), van, None, supplies=[(item("Naloxone 8 mg nasal (2-dose kit)"), 1)])
        visit(datetime.date(2025, 10, 17), north, p1, supplies=[(item(SYRINGE), 10)])
        visit(datetime.date(2025, 10, 1), north, p2, supplies=[(item(SYRINGE), 10)])
        mistake = visit(TODAY, north, p2, hour=11, supplies=[(item(SYRINGE), 100)])
        encounter_void(actor=dana, encounter=mistake, reason="entered twice")
        overdose_report_record(actor=dana, occurred_at=at(TODAY, 9), area=places["north"])
        overdose_report_record(actor=dana, occurred_at=at(datetime.date(2025, 10, 21), 9), area=places["east"])
        sample_intake(actor=dana, site=north, expected="heroin", form="powder", received_at=at(TODAY, 12))
    return {"p1": p1, "p2": p2}
