"""Partner imports of overdose reports. The other writes live by concern: staff reports and the
validation every source shares in `recording.py`, the public form in `public_form.py`, reversals
reported at visits in `reversals.py`, detection settings in `detection_settings.py`, demo data in
`demo.py`.

Audit entries name ids, sources and field names, never a report's notes or substances.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from haven.overdose.models import OverdoseReport
from haven.overdose.recording import (  # noqa: F401 (the import's row checks share these)
    FUTURE_TOLERANCE,
    MAX_NALOXONE_DOSES,
    MAX_SUBSTANCES,
    normalise_substances,
    to_the_hour,
)


def overdose_report_import(*, actor, content: bytes | str, source, skip_bad_rows: bool = False,
                           filename: str = "partner.csv", request=None):
    """Import a partner's CSV or XLSX file through the shared pipeline (imports.PartnerReports).
    A file with errors imports nothing unless `skip_bad_rows`; rows imported before (same values,
    same source) are not imported again."""
    from haven.core import importing
    from haven.overdose import imports

    if actor is None or not actor.has_role_permission("overdose.import"):
        raise PermissionDenied("overdose.import")
    if source not in OverdoseReport.PARTNER_SOURCES:
        raise ValidationError({"source": [_("Choose who the reports come from.")]})
    schema = imports.PartnerReports(actor=actor, source=source)
    try:
        table = importing.read_table(filename, content.encode() if isinstance(content, str) else content,
                                     max_bytes=schema.max_bytes, max_rows=schema.max_rows)
        return importing.import_commit(schema, table, skip_bad_rows=skip_bad_rows, request=request)
    except importing.ImportFileError as error:
        raise ValidationError([str(error)]) from None
    except importing.ImportRefused as refused:
        raise ValidationError([error.describe() for error in refused.row_errors]) from None
