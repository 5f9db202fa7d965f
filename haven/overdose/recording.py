"""Overdose reports recorded by staff, and the validation every source of reports shares.

Audit entries name ids, sources and field names, never a report's notes or substances. Notes and
substances are screened for personal details (`haven.core.screening`) before anything is saved.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.core.freetext import PersonalDetailsFound, refuse_personal_details
from haven.overdose.models import OverdoseReport, YesNoUnknown
from haven.places.queries import area_name_words

__all__ = ["PersonalDetailsFound", "build_report", "normalise_substances", "overdose_report_record", "to_the_hour"]

MAX_NALOXONE_DOSES = 30
MAX_SUBSTANCES = 10
MAX_SUBSTANCE_LENGTH = 40
MAX_NOTES_LENGTH = 2000
MAX_SAMPLE_LENGTH = 40
# A clock a little ahead (a phone, a partner's server) is not an error; a report days ahead is.
FUTURE_TOLERANCE = datetime.timedelta(hours=1)
STAFF_SOURCES = (OverdoseReport.Source.STAFF,)


class FieldErrors:
    """Every problem with the input, by field, raised together as one ValidationError."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def normalise_substances(value) -> list[str]:
    """'Fentanyl, xylazine; pills' or a list -> ['fentanyl', 'xylazine', 'pills'] (order kept, no repeats)."""
    if value is None:
        return []
    parts = re.split(r"[,;\n/]+", value) if isinstance(value, str) else [str(item) for item in value]
    seen: list[str] = []
    for part in parts:
        word = " ".join(part.split()).lower()
        if word and word not in seen:
            seen.append(word)
    return seen


def to_the_hour(moment: datetime.datetime) -> datetime.datetime:
    """Hour precision is all detection needs; less precision is less to identify anyone by."""
    local = timezone.localtime(moment)
    return local.replace(minute=0, second=0, microsecond=0)


def _when(errors: FieldErrors, occurred_at, *, now) -> datetime.datetime | None:
    if occurred_at is None or occurred_at == "":
        errors.add("occurred_at", _("Enter when it happened."))
        return None
    if isinstance(occurred_at, datetime.date) and not isinstance(occurred_at, datetime.datetime):
        occurred_at = datetime.datetime.combine(occurred_at, datetime.time(12, 0))
    if not isinstance(occurred_at, datetime.datetime):
        errors.add("occurred_at", _("Enter when it happened as a date and time."))
        return None
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + FUTURE_TOLERANCE:
        errors.add("occurred_at", _("This is in the future. Check the date and time."))
        return None
    return to_the_hour(occurred_at)


def _check_report_fields(errors: FieldErrors, *, area, kind, fatal, naloxone_doses, emergency_services_called,
                         substances, source, drug_checking_sample, notes):
    if area is not None and not area.active:
        errors.add("area", _("This area is inactive. Choose an active area."))
    if kind not in OverdoseReport.Kind.values:
        errors.add("kind", _("Choose what happened from the list."))
    if fatal not in YesNoUnknown.values:
        errors.add("fatal", _("Choose yes, no or unknown."))
    if emergency_services_called not in YesNoUnknown.values:
        errors.add("emergency_services_called", _("Choose yes, no or unknown."))
    if source not in OverdoseReport.Source.values:
        errors.add("source", _("Unknown source of the report."))
    if naloxone_doses is not None:
        if not isinstance(naloxone_doses, int) or isinstance(naloxone_doses, bool):
            errors.add("naloxone_doses", _("Enter the naloxone doses as a whole number."))
        elif naloxone_doses < 0:
            errors.add("naloxone_doses", _("Naloxone doses cannot be negative."))
        elif naloxone_doses > MAX_NALOXONE_DOSES:
            errors.add("naloxone_doses", _("More than %(limit)s naloxone doses? Check the number.")
                       % {"limit": MAX_NALOXONE_DOSES})
    if len(substances) > MAX_SUBSTANCES:
        errors.add("substances", _("List at most %(limit)s substances.") % {"limit": MAX_SUBSTANCES})
    if any(len(word) > MAX_SUBSTANCE_LENGTH for word in substances):
        errors.add("substances", _("Keep each substance to %(limit)s characters.") % {"limit": MAX_SUBSTANCE_LENGTH})
    if len(drug_checking_sample) > MAX_SAMPLE_LENGTH:
        errors.add("drug_checking_sample", _("A sample code has at most %(limit)s characters.")
                   % {"limit": MAX_SAMPLE_LENGTH})
    if len(notes) > MAX_NOTES_LENGTH:
        errors.add("notes", _("Keep the notes under %(limit)s characters.") % {"limit": MAX_NOTES_LENGTH})


def build_report(*, actor, occurred_at, area, kind, fatal, naloxone_doses, emergency_services_called, substances,
                  source, drug_checking_sample, notes, reversal=None, import_key=None, check_notes=True,
                  now=None) -> OverdoseReport:
    """Validate everything and return an unsaved report; raise ValidationError with every problem at once."""
    now = now or timezone.now()
    errors = FieldErrors()
    substances = normalise_substances(substances)
    notes = (notes or "").strip()
    drug_checking_sample = (drug_checking_sample or "").strip()
    when = _when(errors, occurred_at, now=now)
    _check_report_fields(errors, area=area, kind=kind, fatal=fatal, naloxone_doses=naloxone_doses,
                         emergency_services_called=emergency_services_called, substances=substances,
                         source=source, drug_checking_sample=drug_checking_sample, notes=notes)
    errors.raise_if_any()
    if check_notes:
        refuse_personal_details({"notes": notes, "substances": ", ".join(substances)},
                                allowed_words=area_name_words())
    return OverdoseReport(
        occurred_at=when, area=area, kind=kind, fatal=fatal, naloxone_doses=naloxone_doses,
        emergency_services_called=emergency_services_called, substances=substances, source=source,
        drug_checking_sample=drug_checking_sample, notes=notes, reversal=reversal, import_key=import_key,
        created_by=actor, created_at=now,
    )


@transaction.atomic
def overdose_report_record(*, actor, occurred_at, area=None, kind=OverdoseReport.Kind.OVERDOSE,
                           fatal=YesNoUnknown.UNKNOWN, naloxone_doses=None,
                           emergency_services_called=YesNoUnknown.UNKNOWN, substances=(),
                           source=OverdoseReport.Source.STAFF, drug_checking_sample="", notes="",
                           request=None) -> OverdoseReport:
    """Record an overdose or bad reaction a staff member witnessed or heard of.

    Raises PersonalDetailsFound (a ValidationError) when the notes or substances hold a personal
    detail (`haven.core.screening`): nothing is saved until the text is redacted.
    """
    if actor is None or not actor.has_role_permission("overdose.report"):
        raise PermissionDenied("overdose.report")
    if source not in STAFF_SOURCES:
        raise ValidationError({"source": [_("Staff reports are witnessed by staff; use the import for partners.")]})
    report = build_report(actor=actor, occurred_at=occurred_at, area=area, kind=kind, fatal=fatal,
                           naloxone_doses=naloxone_doses, emergency_services_called=emergency_services_called,
                           substances=substances, source=source, drug_checking_sample=drug_checking_sample,
                           notes=notes)
    report.save()
    audit_record(actor=actor, action="create", obj=report, request=request, detail={
        "source": report.source, "area": report.area_id, "notes": bool(report.notes),
        "substances": len(report.substances)})
    return report
