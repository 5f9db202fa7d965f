"""Demo rights data for `haven demo`: a year of reports, a few anonymous ones to check, two peer warnings
and one informal police request that was refused. Made up; loaded once, through the actions."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

# (events, weight): police stops and confiscations are the most common in the survey literature the
# issue cites (Beletsky et al., 2011); the weights only make the demo look plausible.
PATTERNS = [
    (["stopped", "searched"], 6),
    (["stopped", "searched", "syringes_confiscated"], 8),
    (["naloxone_confiscated"], 2),
    (["harassment"], 4),
    (["cited_near_site"], 2),
    (["asked_about_program"], 1),
    (["pharmacy_syringes"], 4),
    (["pharmacy_naloxone"], 2),
    (["emergency_department"], 3),
    (["shelter_refusal"], 2),
    (["discrimination_housing"], 1),
]
REPORTS = 60


def rights_demo_load() -> None:
    from haven.accounts.models import User
    from haven.places.models import Area
    from haven.rights import actions
    from haven.rights.models import PeerWarning, RightsReport

    if RightsReport.objects.exists():
        return
    staff = [User.objects.get(username=name) for name in ("bob", "carol")]
    areas = list(Area.objects.order_by("name"))
    rng = random.Random(18)
    today = timezone.localdate()
    events = [pattern for pattern, _weight in PATTERNS]
    weights = [weight for _pattern, weight in PATTERNS]
    for index in range(REPORTS):
        actions.rights_report_record(
            actor=staff[index % 2], source="with_participant" if index % 3 else "staff",
            occurred_on=today - datetime.timedelta(days=rng.randrange(0, 360)), area=rng.choice(areas),
            events=rng.choices(events, weights)[0])
    for pattern in (["stopped", "searched"], ["forced_urine_test"], ["violence"]):
        actions.rights_report_submit_public(occurred_on=today - datetime.timedelta(days=rng.randrange(1, 20)),
                                            events=pattern, area=rng.choice(areas))
    if not PeerWarning.objects.exists():
        actions.peer_warning_submit(kind="bad_batch", occurred_on=today, area=areas[0],
                                    description="Pink powder sold as heroin, people going out after a small amount")
        actions.peer_warning_submit(kind="bad_date", occurred_on=today - datetime.timedelta(days=1), area=areas[-1],
                                    description="Silver hatchback, driver refuses to pay and turns violent")
    admin = User.objects.get(username="alice")
    request = actions.legal_request_log(actor=admin, kind="informal", requester="Patrol officer at the drop-in door",
                                        requested="Names of people who came in that morning",
                                        deadline=today, received_on=today - datetime.timedelta(days=30))
    actions.legal_request_respond(actor=admin, legal_request=request, response="refused",
                                  response_note="No subpoena or warrant; we do not share participant information.")
