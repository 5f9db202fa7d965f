"""Reports from the public form: anonymous, screened for personal details, and rate limited.

The client's address is used only by the rate limiter, as a keyed digest in the cache; it is not
stored with the report, and the audit entry is written without the request, so not even the audit
log learns where a report came from.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from haven.core import ratelimit
from haven.core.audit import audit_record
from haven.overdose.models import OverdoseReport, YesNoUnknown
from haven.overdose.recording import build_report

# Accepted reports (refused ones do not count): a few per connection, and a ceiling for everyone
# together so that a flood from many addresses cannot bury the real reports. docs/SECURITY.md.
PUBLIC_FORM_LIMIT = ratelimit.Limit("overdose-public-form", per_client=5, overall=300, window=3600)
PUBLIC_LIMIT_PER_HOUR = PUBLIC_FORM_LIMIT.per_client


@transaction.atomic
def overdose_report_submit_public(*, occurred_at, area=None, kind=OverdoseReport.Kind.OVERDOSE,
                                  fatal=YesNoUnknown.UNKNOWN, naloxone_used=YesNoUnknown.UNKNOWN,
                                  emergency_services_called=YesNoUnknown.UNKNOWN, substances=(), notes="",
                                  client: str | None = None) -> OverdoseReport:
    """A report from the public form; `client` is `ratelimit.client_of(request)`.

    Raises ratelimit.RateLimited, or ValidationError (PersonalDetailsFound for personal details).
    """
    now = timezone.now()
    ratelimit.check(PUBLIC_FORM_LIMIT, client=client)
    # The public says whether naloxone was used, not how many doses: one or more is "at least 1".
    doses = 1 if naloxone_used == YesNoUnknown.YES else 0 if naloxone_used == YesNoUnknown.NO else None
    report = build_report(actor=None, occurred_at=occurred_at, area=area, kind=kind, fatal=fatal,
                          naloxone_doses=doses, emergency_services_called=emergency_services_called,
                          substances=substances, source=OverdoseReport.Source.PUBLIC, drug_checking_sample="",
                          notes=notes, now=now)
    report.save()
    # No request: the audit log would store the address.
    audit_record(actor=None, action="create", obj=report, detail={
        "source": report.source, "area": report.area_id, "notes": bool(report.notes),
        "substances": len(report.substances)})
    ratelimit.hit(PUBLIC_FORM_LIMIT, client=client)
    return report
