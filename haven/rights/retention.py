"""Rights reports in the retention registry (haven.core.retention, built on the `retention` branch):
the registry imports every app's retention.py when first asked. Until that registry is in Haven,
nothing imports this module. The expiry itself is in expiry.py, tested on its own."""

from django.utils.translation import gettext_lazy as _

from haven.core.retention import RecordKind, register
from haven.rights.expiry import DEFAULT_DAYS, MINIMUM_DAYS, expire_reports, report_moment
from haven.rights.models import RightsReport

register(RecordKind(
    key="rights.report", order=35,
    label=_("Rights reports"),
    treatment=_("The note and any officer names or badge numbers are erased; the date, area and what happened "
                "stay for the advocacy report."),
    default_days=DEFAULT_DAYS, minimum_days=MINIMUM_DAYS,
    reason=_("No report reads a note, but an anonymous report waits for a coordinator's check with it, and an "
             "advocate may follow a report up within a quarter."),
    default_reason=_("A year keeps a report's story for the program's yearly advocacy; the counts need none of it."),
    expire=expire_reports, moment_of=report_moment, models=lambda: [RightsReport],
))
