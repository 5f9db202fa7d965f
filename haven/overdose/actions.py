"""Partner imports of overdose reports. The other writes live by concern: staff reports and the
validation every source shares in `recording.py`, the public form in `public_form.py`, reversals
reported at visits in `reversals.py`, detection settings in `detection_settings.py`, demo data in
`demo.py`.

Audit entries name ids, sources and field names, never a report's notes or substances.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.overdose.models import OverdoseReport
from haven.overdose.recording import (  # noqa: F401 (the import's row checks share these)
    FUTURE_TOLERANCE,
    MAX_NALOXONE_DOSES,
    MAX_SUBSTANCES,
    normalise_substances,
    to_the_hour,
)


@dataclass
class ImportOutcome:
    created: int
    already_imported: int
    skipped_rows: list[int]


@transaction.atomic
def overdose_report_import(*, actor, content: bytes | str, source, skip_bad_rows: bool = False,
                           request=None) -> ImportOutcome:
    """Import a partner's CSV. A file with errors imports nothing unless `skip_bad_rows`; rows
    imported before (same values, same source) are not imported again."""
    from haven.overdose import imports

    if actor is None or not actor.has_role_permission("overdose.import"):
        raise PermissionDenied("overdose.import")
    if source not in OverdoseReport.PARTNER_SOURCES:
        raise ValidationError({"source": [_("Choose who the reports come from.")]})
    check = imports.check_file(content, source=source)
    if check.file_errors or (check.errors and not skip_bad_rows):
        raise ValidationError([error.message() for error in check.errors])
    existing = set(OverdoseReport.objects.filter(import_key__in=[row.key for row in check.rows])
                   .values_list("import_key", flat=True))
    now = timezone.now()
    new = [OverdoseReport(
        occurred_at=row.occurred_at, area=row.area, kind=OverdoseReport.Kind.OVERDOSE, fatal=row.fatal,
        naloxone_doses=row.naloxone_doses, emergency_services_called=row.emergency_services_called,
        substances=row.substances, source=source, import_key=row.key, created_by=actor, created_at=now,
    ) for row in check.rows if row.key not in existing]
    OverdoseReport.objects.bulk_create(new)
    outcome = ImportOutcome(created=len(new), already_imported=len(check.rows) - len(new),
                            skipped_rows=check.bad_rows())
    audit_record(actor=actor, action="create", object_type="overdose.import", request=request, detail={
        "source": source, "created": outcome.created, "already_imported": outcome.already_imported,
        "skipped_rows": outcome.skipped_rows, "file_sha256": check.digest})
    return outcome
