"""The permission matrix: which role may do what, and which permission guards each URL.

This module is the single source of truth. AccessMiddleware enforces it for every view and API
endpoint; docs/PERMISSIONS.md documents it and test_permission_matrix checks every URL against it.
A URL that is missing here is refused (fail closed).
"""

from __future__ import annotations

from haven.accounts.roles import Role

ALL_ROLES = frozenset(Role)
MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
PAID_STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.STAFF})

# Permission -> the roles that hold it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "home.view": ALL_ROLES,
    "account.manage_own": ALL_ROLES,
    "places.view": ALL_ROLES,
    "places.manage": MANAGERS,
    "staff.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.ADMIN}),
    "branding.manage": frozenset({Role.ADMIN}),  # the program's name, logo and colours
    "api.use": ALL_ROLES,
    # Syringe services and naloxone
    "participants.view": ALL_ROLES,
    "participants.enroll": ALL_ROLES,
    "participants.merge": PAID_STAFF,
    "participants.contact": PAID_STAFF,  # nicknames and contact details, with consent
    "encounters.record": ALL_ROLES,
    "encounters.view": ALL_ROLES,
    "encounters.void": MANAGERS,
    # Correct a visit: your own for 24 hours; coordinators and admins (encounters.void) any visit, any time.
    "encounters.correct": ALL_ROLES,
    "encounters.import": MANAGERS,
    "inventory.view": ALL_ROLES,
    "inventory.receive": PAID_STAFF,
    "inventory.manage": MANAGERS,  # transfers, adjustments, disposal, the catalog and kits
    # Alerts, overdose response, education
    "alerts.review": PAID_STAFF,  # see drafts; edit, publish or dismiss them
    "alerts.manage": MANAGERS,  # subscribers, webhooks, alert rules
    "overdose.report": ALL_ROLES,
    "overdose.view": ALL_ROLES,
    "overdose.import": MANAGERS,
    "overdose.settings": MANAGERS,  # detection methods and thresholds, the alarm comparison
    "education.edit": MANAGERS,  # fact sheets and interaction rules
    # Drug checking
    "drugchecking.intake": ALL_ROLES,  # take in a sample, hand over its code
    "drugchecking.view": ALL_ROLES,
    "drugchecking.test": PAID_STAFF,  # record strip, reagent, spectrometry and laboratory results
    "drugchecking.review": PAID_STAFF,  # classify a sample's finding and review its advice
    "drugchecking.manage": MANAGERS,  # laboratory imports, strip and reagent lots, settings
    # Evidence and reports
    "reports.view": MANAGERS,  # indicators and the dashboard, exact counts inside the program
    "reports.export": MANAGERS,  # files that leave the program (small cells suppressed)
    "reports.templates": MANAGERS,  # funder report templates
    # Supervised consumption
    "consumption.view": ALL_ROLES,  # the booth board of one's own sites
    "consumption.check_in": ALL_ROLES,  # check in and out
    "consumption.monitor": ALL_ROLES,  # acknowledge a check (on shift at the site)
    "consumption.respond": ALL_ROLES,  # record an overdose or medical response
    "consumption.manage": MANAGERS,  # booths and check intervals
    "consumption.spotting": ALL_ROLES,  # operate the remote spotting line (calls, check-ins, escalations)
    # Service directory (public information) and support on the person's terms
    "directory.view": ALL_ROLES,
    "directory.edit": PAID_STAFF,
    "directory.import": MANAGERS,  # HSDS packages and partner tokens
    "support.record": ALL_ROLES,  # goals, support contacts, referrals; reading notes is need-to-know
    "support.need_to_know": frozenset({Role.COORDINATOR}),  # every person's notes without breaking the glass
    "support.share": PAID_STAFF,  # consent to share with named partners, and disclosures
    "support.oversight": MANAGERS,  # assignments, break-the-glass log, accounting of disclosures
    # Data retention: periods per kind of record, legal holds, expiry runs
    "retention.manage": frozenset({Role.ADMIN}),
    # Housing: status, the bed board and holds, navigation; never conditional on drug use or treatment
    "housing.record": ALL_ROLES,  # housing status, holding a bed, navigation steps, tasks, check-ins
    "housing.addresses": PAID_STAFF,  # unit addresses (never shown to partners or on the phone list)
    "housing.consent": PAID_STAFF,  # consent to send records to the HMIS, and its withdrawal
    "housing.manage": MANAGERS,  # properties, beds and unit details
    "housing.hmis_export": MANAGERS,  # the HMIS CSV export (consenting participants only)
    # Rights and harms from drug laws
    "rights.record": ALL_ROLES,  # a report by staff, or by a participant with staff
    "rights.review": MANAGERS,  # read reports and their notes; count or set aside anonymous ones
    "rights.officers": frozenset({Role.COORDINATOR}),  # officer names and badge numbers, when given
    "rights.warnings": PAID_STAFF,  # peer warnings: draft a de-identified alert, or dismiss
    "rights.publish": MANAGERS,  # switch the public advocacy page on or off
    "rights.legal": frozenset({Role.ADMIN}),  # legal requests for data and what was produced (audited)
}

# Apps that map their own URLs to the permissions above, in an `ACCESS` dict of their access.py.
APP_ACCESS_MODULES = [
    "haven.participants.access",
    "haven.encounters.access",
    "haven.inventory.access",
    "haven.encounters.import_access",
    "haven.offline.access",
    "haven.alerts.access",
    "haven.overdose.access",
    "haven.education.access",
    "haven.drugchecking.access",
    "haven.reports.access",
    "haven.consumption.access",
    "haven.directory.access",
    "haven.support.access",
    "haven.branding.access",
    "haven.retention.access",
    "haven.housing.access",
    "haven.rights.access",
]

# Access levels that are not role permissions.
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in account, before its second factor (sign-out, two-factor set-up)

# URL name (with namespace) -> permission, or {HTTP method: permission} where methods differ.
ACCESS: dict[str, str | dict[str, str]] = {
    # Public
    "login": PUBLIC,
    "set_language": PUBLIC,
    "health": PUBLIC,
    "api:api-root": PUBLIC,  # answers 404 with the docs address
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    # Signing in and out
    "logout": SIGNED_IN,
    "two-factor-setup": SIGNED_IN,
    "two-factor-verify": SIGNED_IN,
    # Every role
    "home": "home.view",
    "account": "account.manage_own",
    "password-change": "account.manage_own",
    "api-token-create": "account.manage_own",
    "api-token-revoke": "account.manage_own",
    "sites": "places.view",
    "areas": "places.view",
    # Coordinators and admins
    "site-create": "places.manage",
    "site-edit": "places.manage",
    "area-create": "places.manage",
    "area-edit": "places.manage",
    # Admins
    "staff": "staff.manage",
    "staff-create": "staff.manage",
    "staff-unlock": "staff.manage",
    "staff-edit": "staff.manage",
    "staff-reset-two-factor": "staff.manage",
    "audit-log": "audit.view",
    # API
    "api:me": "api.use",
    "api:sites": "places.view",
    "api:areas": "places.view",
}


def _merge_app_access() -> None:
    from importlib import import_module

    for module_name in APP_ACCESS_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        duplicated = set(module.ACCESS) & set(ACCESS)
        if duplicated:
            raise ValueError(f"{module_name} maps URLs that are already in the matrix: {sorted(duplicated)}")
        ACCESS.update(module.ACCESS)


_merge_app_access()


def role_has_permission(role: str, permission: str) -> bool:
    return role in PERMISSIONS.get(permission, frozenset())


def rule_for(view_name: str | None, method: str) -> str | None:
    """The access rule for a resolved URL, or None when the URL is not in the matrix."""
    if view_name is None:
        return None
    rule = ACCESS.get(view_name)
    if isinstance(rule, dict):
        return rule.get(method.upper())
    return rule


def user_may(user, rule: str) -> bool:
    if rule == PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if rule == SIGNED_IN:
        return True
    return user.has_role_permission(rule)


def matrix_markdown() -> str:
    """The matrix as the Markdown table in docs/PERMISSIONS.md (kept equal by a test)."""
    from haven.accounts.roles import Role

    roles = list(Role)
    lines = [
        "| Permission | " + " | ".join(str(role.label) for role in roles) + " | URLs |",
        "|---|" + "---|" * len(roles) + "---|",
    ]
    for permission, holders in PERMISSIONS.items():
        urls = sorted(name for name, rule in ACCESS.items() if rule == permission or
                      (isinstance(rule, dict) and permission in rule.values()))
        marks = " | ".join("yes" if role in holders else "no" for role in roles)
        lines.append(f"| `{permission}` | {marks} | {', '.join(f'`{u}`' for u in urls)} |")
    for level, text in ((PUBLIC, "anyone, signed in or not"), (SIGNED_IN, "any signed-in account, before two-factor")):
        urls = sorted(name for name, rule in ACCESS.items() if rule == level)
        lines.append(f"| *{level}*: {text} | " + " | ".join("yes" for _ in roles) + f" | {', '.join(f'`{u}`' for u in urls)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import django

    django.setup()
    print(matrix_markdown(), end="")
