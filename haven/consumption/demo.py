"""Demo supervised consumption for `haven demo`: booths at the drop-in centre, two weeks of stays that
have ended (for the reports), and two people in booths now, whose timers the visitor can watch turn
amber and acknowledge. Made up; loaded once, through the actions."""

from __future__ import annotations

import datetime

SITE = "Northside drop-in centre"
BOOTHS = [(f"Booth {number}", "injection") for number in range(1, 7)] + [("Smoking room 1", "inhalation"),
                                                                        ("Smoking room 2", "inhalation")]
ROUTES = ("injection", "injection", "smoking", "injection", "snorting", "smoking", "oral")


def consumption_demo_load() -> None:
    import numpy as np
    from django.utils import timezone

    from haven.accounts.models import User
    from haven.consumption import actions
    from haven.consumption.models import Booth
    from haven.demo.data import DEMO_CODES
    from haven.places.models import Site

    site = Site.objects.filter(name=SITE).first()
    if site is None or Booth.objects.filter(site=site).exists():
        return
    dana, bob = User.objects.get(username="dana"), User.objects.get(username="bob")
    booths = [actions.booth_create(actor=dana, site=site, name=name, kind=kind) for name, kind in BOOTHS]
    random = np.random.default_rng(17)
    now = timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    for days_ago in range(14, 0, -1):
        day = today - datetime.timedelta(days=days_ago)
        for _number in range(int(random.integers(4, 10))):
            start = day + datetime.timedelta(hours=int(random.integers(10, 19)), minutes=int(random.integers(0, 60)))
            booth = booths[int(random.integers(0, len(booths)))]
            route = "smoking" if booth.kind == "inhalation" else ROUTES[int(random.integers(0, len(ROUTES)))]
            code = DEMO_CODES[int(random.integers(0, len(DEMO_CODES)))] if random.random() < 0.6 else ""
            # Each stay ends before the next begins, so no booth or person is ever in two at once.
            stay = actions.stay_check_in(actor=bob, booth=booth, route=route, participant_code=code, now=start)
            minutes = int(random.integers(12, 45))
            actions.stay_check_out(actor=bob, stay_id=stay.pk, now=start + datetime.timedelta(minutes=minutes))
    # Two people in booths now: one anonymous, one by code.
    actions.stay_check_in(actor=bob, booth=booths[1], route="injection", now=now)
    actions.stay_check_in(actor=bob, booth=booths[6], route="smoking", participant_code=DEMO_CODES[2],
                          substances="crack", now=now)
