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
    return LOGINS


def logins_table(logins: list[DemoLogin]) -> str:
    rows = [("Username", "Password", "Role")] + [(x.username, x.password, x.role) for x in logins]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
