"""Demo data for `haven demo`: a small program with a few places and a person in every role.

Loading twice changes nothing: each row is made only if it is missing, and always through the
actions, so the demo's audit log looks like a real one.
"""

from __future__ import annotations

from dataclasses import dataclass

AREAS = [
    ("Northside", "neighbourhood"),
    ("Eastside", "neighbourhood"),
    ("Riverside", "neighbourhood"),
    ("Downtown", "neighbourhood"),
]

# name, kind, area, hours open per week
SITES = [
    ("Northside drop-in centre", "fixed", "Northside", 40),
    ("Eastside mobile van", "mobile", "Eastside", 12),
    ("Riverside street outreach", "outreach", "Riverside", 10),
    ("Supplies by mail", "mail", None, None),
    ("Downtown partner pharmacy", "partner", "Downtown", 60),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    sites: tuple[str, ...]


# Admins and coordinators see every site; staff and peers only the sites they work at.
LOGINS = [
    DemoLogin("alice", "demo-alice-2026", "admin", ()),
    DemoLogin("dana", "demo-dana-2026", "coordinator", ()),
    DemoLogin("bob", "demo-bob-2026", "staff", ("Northside drop-in centre", "Riverside street outreach")),
    DemoLogin("carol", "demo-carol-2026", "peer", ("Eastside mobile van",)),
]


def demo_load() -> list[DemoLogin]:
    """Create the demo areas, sites and accounts that are missing; return the demo logins."""
    from haven.accounts.actions import staff_create
    from haven.accounts.models import User
    from haven.places.actions import area_create, site_create
    from haven.places.models import Area, Site

    areas = {area.name: area for area in Area.objects.all()}
    for name, kind in AREAS:
        if name not in areas:
            areas[name] = area_create(actor=None, name=name, kind=kind)

    sites = {site.name: site for site in Site.objects.all()}
    for name, kind, area, hours in SITES:
        if name not in sites:
            sites[name] = site_create(actor=None, name=name, kind=kind, area=areas.get(area), hours_per_week=hours)

    existing = set(User.objects.values_list("username", flat=True))
    for login in LOGINS:
        if login.username not in existing:
            staff_create(
                actor=None,
                username=login.username,
                password=login.password,
                role=login.role,
                sites=[sites[name] for name in login.sites],
                first_name=login.username.capitalize(),
            )
    _demo_syringe_services(sites)
    _demo_overdose()
    _demo_drugchecking()
    _demo_directory()
    _demo_housing()
    _demo_rights()
    _demo_consumption()
    return LOGINS


def _demo_directory():
    """A made-up service directory and a few referrals, once."""
    from haven.directory.demo import directory_demo_load

    directory_demo_load()


def _demo_housing():
    """Places with low-barrier beds and a few people on their way into housing, once."""
    from haven.housing.demo import housing_demo_load

    housing_demo_load()
def _demo_consumption():
    """Booths at the drop-in centre, two weeks of stays and two people in booths now, once."""
    from haven.consumption.demo import consumption_demo_load

    consumption_demo_load()


def _demo_rights():
    """A year of rights reports, peer warnings and one refused police request, once."""
    from haven.rights.demo import rights_demo_load

    rights_demo_load()


def _demo_drugchecking():
    """Six months of reviewed drug checking samples at the demo sites, once."""
    from haven.drugchecking.actions import drugchecking_demo_load

    drugchecking_demo_load()


# Demo participant codes follow the default recipe (2 letters, month, year, 1 letter). They are
# made up; the demo never holds a real person's code.
DEMO_CODES = [f"{a}{b}{month:02d}{year:02d}{c}" for a, b, c, month, year in [
    ("A", "N", "R", 3, 85), ("M", "A", "S", 11, 79), ("J", "O", "D", 7, 92), ("L", "U", "P", 1, 88),
    ("R", "O", "T", 5, 90), ("S", "A", "M", 9, 76), ("T", "E", "B", 12, 95), ("K", "I", "L", 2, 83),
    ("D", "E", "C", 6, 81), ("P", "A", "N", 4, 99), ("E", "L", "V", 10, 87), ("C", "A", "H", 8, 93),
]]


def _demo_syringe_services(sites):
    """Stock at the sites, a dozen participants and eight weeks of visits, once."""
    import datetime
    import uuid

    from django.utils import timezone

    from haven.accounts.models import User
    from haven.encounters.actions import encounter_record
    from haven.encounters.models import Encounter
    from haven.inventory.actions import stock_receive
    from haven.inventory.models import Item, StockEntry
    from haven.participants.actions import participant_enroll
    from haven.participants.models import Participant

    coordinator = User.objects.get(username="dana")
    working = [sites[name] for name in ("Northside drop-in centre", "Eastside mobile van", "Riverside street outreach")]
    items = list(Item.objects.filter(active=True, tracks_stock=True))
    today = timezone.localdate()
    if not Participant.objects.exists():
        for code in DEMO_CODES:
            participant_enroll(actor=coordinator, code=code, site=working[0])
    visits = [] if Encounter.objects.exists() else _demo_visits(working, items)
    if not StockEntry.objects.exists():
        # Enough on the shelves for every demo visit and a margin above the low-stock warnings, so
        # the demo's stock never goes negative and its home page warns only about the one lot of
        # naloxone that is close to expiry (as a real program's would).
        needed = _demo_needs(visits)
        for site in working:
            for item in items:
                quantity = needed.get((site.pk, item.pk), 0) + max(400, 2 * (item.low_stock_threshold or 0))
                if item.naloxone_doses_per_unit and site == working[0]:
                    stock_receive(actor=coordinator, site=site, item=item, quantity=60,
                                  lot_number=f"DEMO-{item.pk}-{site.pk}-SOON",
                                  expires_on=today + datetime.timedelta(days=20))
                stock_receive(actor=coordinator, site=site, item=item, quantity=quantity,
                              lot_number=f"DEMO-{item.pk}-{site.pk}", expires_on=today + datetime.timedelta(days=400))
    for number, visit in enumerate(visits):
        encounter_record(actor=coordinator, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"haven-demo-encounter-{number}"),
                         **visit)


def _demo_visits(working, items) -> list[dict]:
    """Eight weeks of visits as `encounter_record` arguments, the same on every machine."""
    import datetime
    import random

    from django.utils import timezone

    from haven.encounters.models import Service, ServiceMode
    from haven.inventory.models import Kit
    from haven.participants.models import Participant

    rng = random.Random(2026)
    participants = list(Participant.objects.order_by("pk"))
    kits = list(Kit.objects.filter(active=True).order_by("pk"))
    services = list(Service.objects.filter(active=True).order_by("pk"))
    modes = {"fixed": ServiceMode.FIXED, "mobile": ServiceMode.MOBILE, "outreach": ServiceMode.OUTREACH}
    now = timezone.now()
    syringe_items = [item for item in items if item.syringes_per_unit == 1]
    visits = []
    for _number in range(240):
        site = rng.choice(working)
        occurred_at = now - datetime.timedelta(days=rng.randint(0, 55), hours=rng.randint(0, 8))
        supplies = [(rng.choice(items), rng.randint(1, 10))]
        syringes_taken = 0
        if syringe_items and rng.random() < 0.8:
            syringes_taken = rng.choice([10, 20, 30, 50, 100])
            supplies.append((rng.choice(syringe_items), syringes_taken))
        # Most people bring back most of what they took, some bring nothing this time.
        syringes_returned = round(syringes_taken * rng.choice([0, 0.5, 0.8, 1.0, 1.0]) / 10) * 10
        reversals = []
        if rng.random() < 0.04:
            reversals.append({"occurred_on": timezone.localdate(occurred_at) - datetime.timedelta(days=rng.randint(0, 6)),
                              "naloxone_doses_used": rng.choice([1, 2, 2, 3]), "outcome": "survived",
                              "emergency_services_called": rng.choice(["yes", "no", "unknown"]), "area": site.area})
        visits.append({
            "site": site, "service_mode": modes.get(site.kind, ServiceMode.FIXED),
            # A third of visits are anonymous, as in many programs.
            "participant": rng.choice(participants) if rng.random() > 0.33 else None,
            "occurred_at": occurred_at, "kits": [(rng.choice(kits), 1)] if kits else [], "supplies": supplies,
            "services": rng.sample(services, k=min(len(services), rng.choice([0, 0, 1, 2]))),
            "syringes_returned": syringes_returned, "secondary_people": rng.choice([0, 0, 0, 1, 2, 5]),
            "reversals": reversals,
        })
    return visits


def _demo_needs(visits) -> dict[tuple[int, int], int]:
    """(site id, item id) -> units the demo visits will draw, kits expanded."""
    needed: dict[tuple[int, int], int] = {}
    for visit in visits:
        lines = list(visit["supplies"])
        for kit, count in visit["kits"]:
            lines += [(kit_item.item, kit_item.quantity * count) for kit_item in kit.items.all()]
        for item, quantity in lines:
            key = (visit["site"].pk, item.pk)
            needed[key] = needed.get(key, 0) + quantity
    return needed


def _demo_overdose():
    """Eighteen months of reports with a recent burst in one area: detection drafts one alert."""
    from haven.overdose.demo import overdose_demo_load

    overdose_demo_load()


# A sample code to try on the public result page. Demo only: a real sample's code is shown once and
# never kept; the demo keeps this one in its data folder so every start can print it.
DEMO_SAMPLE_CODE_FILE = "demo-sample-code.txt"


def demo_sample_code(folder=None) -> str:
    """The code of a reviewed demo sample, made the first time (with its results) and kept in the
    demo's data folder."""
    from haven import conf
    from haven.drugchecking.actions import sample_intake, sample_review, strip_record
    from haven.places.models import Site

    path = (folder or conf.data_dir()) / DEMO_SAMPLE_CODE_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    site = Site.objects.get(name="Northside drop-in centre")
    sample, code = sample_intake(actor=None, site=site, expected="mdma", form="pill", consent_publish=False)
    strip_record(actor=None, sample=sample, strip="fentanyl", result="negative", lot="DEMO-LOT")
    sample_review(actor=None, sample=sample, advice="- Start with a small amount.\n- Do not use alone.")
    path.write_text(code + "\n", encoding="utf-8")
    return code


def codes_to_try(folder=None) -> str:
    """What `haven demo` prints so a newcomer can try a repeat visit and a result lookup."""
    from haven.participants.queries import participant_by_code

    lines = ["Try these:", ""]
    for code in DEMO_CODES[:2]:
        participant = participant_by_code(code)
        display_id = participant.display_id if participant else "?"
        lines.append(f"  participant code {code}  (card display id {display_id}; Participants, then type either)")
    lines.append(f"  sample code {demo_sample_code(folder)}  (the public drug checking result page, /checking/result/)")
    return "\n".join(lines)


def logins_table(logins: list[DemoLogin]) -> str:
    rows = [("Username", "Password", "Role")] + [(x.username, x.password, x.role) for x in logins]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
