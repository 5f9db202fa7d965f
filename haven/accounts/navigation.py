"""The navigations: staff pages (each feature adds its entry with the permission that shows it) and
public pages (each public page adds one line)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (label, URL name, permission). Features add themselves in the order staff use them most.
NAVIGATION = [
    (_("Home"), "home", "home.view"),
    (_("Log a visit"), "encounter-new", "encounters.record"),
    (_("Participants"), "participants", "participants.view"),
    (_("Visits"), "encounters", "encounters.view"),
    (_("Stock"), "stock", "inventory.view"),
    (_("Overdoses"), "overdose-reports", "overdose.view"),
    (_("Booths"), "consumption", "consumption.view"),
    (_("Spotting line"), "consumption-spotting", "consumption.spotting"),
    (pgettext_lazy("navigation", "Drug checking"), "drugchecking-samples", "drugchecking.view"),
    (_("Support"), "support-home", "support.record"),
    (_("Housing"), "housing-home", "housing.record"),
    (_("Directory"), "directory-staff", "directory.view"),
    (_("Rights"), "rights-home", "rights.record"),
    (_("Alerts"), "alerts-drafts", "alerts.review"),
    (_("Evidence"), "reports-dashboard", "reports.view"),
    (_("Sites"), "sites", "places.view"),
    (_("Areas"), "areas", "places.view"),
    (_("Staff"), "staff", "staff.manage"),
    (_("Branding"), "branding-edit", "branding.manage"),
    (_("Audit log"), "audit-log", "audit.view"),
    (_("Retention"), "retention", "retention.manage"),
    (_("My account"), "account", "account.manage_own"),
]

# Set-up pages used now and then, and the newer services (booths, support, directory, rights) that only some
# programs run: under "More" on a wide screen, so the daily ones fit in one row
# at 1280 px. The person's own account sits beside "Sign out".
MORE = frozenset({"consumption", "consumption-spotting", "support-home", "housing-home", "directory-staff", "rights-home",
                  "sites", "areas", "staff", "branding-edit", "audit-log", "retention"})
ACCOUNT = frozenset({"account"})


def group_of(url_name: str) -> str:
    return "more" if url_name in MORE else "account" if url_name in ACCOUNT else "main"


# (label, URL name). The one navigation of the public site, shown to everyone who is not signed in,
# on every page, as plain links (no JavaScript). A new public page adds one line; an entry whose URL
# does not resolve (an app a program has not installed) is left out.
PUBLIC_NAVIGATION = [
    (_("Alerts"), "alerts-public"),
    (_("Your result"), "drugchecking-result"),
    (_("Report an overdose"), "overdose-public-report"),
    (_("Fact sheets"), "education-substances"),
    (_("Combinations"), "education-interactions"),
    (_("Services"), "directory-public"),
    (_("Report a rights violation"), "rights-public-report"),  # once the rights app is installed
]

# Public pages that belong to an entry above: on them, that entry is the current one.
PUBLIC_SECTIONS = {
    "alert-detail": "alerts-public",
    "alerts-subscribe": "alerts-public",
    "overdose-public-thanks": "overdose-public-report",
    "education-substance": "education-substances",
    "directory-service-public": "directory-public",
    "rights-public-thanks": "rights-public-report",
    "rights-public-thanks-help": "rights-public-report",
    "rights-public-warning": "rights-public-report",
    "rights-public-warning-thanks": "rights-public-report",
    "rights-public-counts": "rights-public-report",
}
