"""A program with one record of every kind that expires, each carrying a marker to look for.

The visits are the reports' fixed program (haven/reports/tests/fixed_program.py, October 2025),
so the annual report's numbers are known; the other records are dated in 2025 too. Tests move
the clock by passing `now` to the expiry.
"""

import datetime
import secrets
import uuid

import pytest
from django.utils import timezone

from haven.drugchecking.actions import sample_intake, strip_record
from haven.encounters.actions import encounter_record, encounter_void
from haven.overdose.recording import overdose_report_record
from haven.participants.actions import participant_enroll
from haven.reports.tests.fixed_program import at, item, make_fixed_program
from haven.support.actions import goal_create, goal_progress_add, support_contact_record

LATER = at(datetime.date(2027, 12, 1))  # two years on: every default period has passed


class World:
    def __init__(self, values: dict):
        self.__dict__.update(values)


def marker(label: str) -> str:
    return f"{label}{secrets.token_hex(4).upper()}"


@pytest.fixture
def world(dana, bob, places):
    w = World(make_fixed_program(dana, places))
    w.marker = marker("QZM")  # letters and digits: a code a screener will not flag
    w.p1.refresh_from_db()
    # A visit voided with a reason that holds the marker (encrypted at rest).
    visit, _ = encounter_record(actor=dana, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed",
                                participant=w.p1, occurred_at=at(datetime.date(2025, 11, 4)), source="import",
                                supplies=[(item('1 mL 28G 1/2" syringe'), 5)])
    encounter_void(actor=dana, encounter=visit, reason=f"entered for the wrong person {w.marker}")
    w.voided_visit = visit
    # A participant who never came, and support notes.
    w.never_came = participant_enroll(actor=bob, code="LU0101Z", site=places["fixed"])
    w.contact = support_contact_record(actor=dana, participant=w.p2, kind="peer_support", mode="in_person",
                                       duration_minutes=20, note=f"talked about housing {w.marker}",
                                       occurred_at=at(datetime.date(2025, 10, 12)))
    goal = goal_create(actor=dana, participant=w.p2, category="", text="Find a room")
    w.progress = goal_progress_add(actor=dana, goal=goal, note=f"viewed a room {w.marker}")
    # A drug checking sample with the person's own words and an analysis note.
    w.sample, w.sample_code = sample_intake(actor=dana, site=places["fixed"], expected="fentanyl", form="powder",
                                            effects=f"felt dizzy {w.marker}", participant=w.p3)
    strip_record(actor=dana, sample=w.sample, strip="fentanyl", result="positive", notes=f"faint line {w.marker}")
    # An overdose report with notes and a sample code in plain text.
    w.overdose = overdose_report_record(actor=dana, occurred_at=at(datetime.date(2025, 10, 14), 23),
                                        area=places["north"],
                                        notes=f"found near the park {w.marker}",
                                        drug_checking_sample=f"S{w.marker}")
    # A sign-in record.
    from axes.models import AccessLog

    w.login = AccessLog.objects.create(username=f"u{w.marker}", ip_address="192.0.2.7", user_agent="test")
    # A rights report with a note and an officer's badge number.
    from haven.rights.actions import rights_report_record

    w.rights_report = rights_report_record(actor=dana, source="staff", occurred_on=datetime.date(2025, 10, 14),
                                           events=["stopped"], area=places["north"],
                                           note=f"stopped outside the van {w.marker}",
                                           officer_details=f"badge {w.marker}")
    # Date what the actions dated today back into 2025 (the fixed program's year).
    long_ago = at(datetime.date(2025, 10, 15))
    type(w.never_came).objects.filter(pk__in=[w.never_came.pk, w.p1.pk, w.p2.pk, w.p3.pk]).update(enrolled_at=long_ago)
    type(w.progress).objects.filter(pk=w.progress.pk).update(recorded_at=long_ago)
    type(w.sample).objects.filter(pk=w.sample.pk).update(received_at=long_ago)
    AccessLog.objects.filter(pk=w.login.pk).update(attempt_time=long_ago)
    type(w.rights_report).objects.filter(pk=w.rights_report.pk).update(received_on=long_ago.date())
    return w


def now_plus(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
