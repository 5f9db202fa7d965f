"""Partners' files of overdose reports (emergency services, hospitals, others): the row schema and
the save, on the shared pipeline (`haven.core.importing`: upload, reading, preview, commit).

Each row gets a key: a digest of the source and the row's values (plus how many identical rows came
before it in the same file, so two real overdoses in the same hour and area stay two). A partner's
export that repeats last month's rows therefore adds only the new ones, and importing the same file
twice adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.importing import Column, RowSchema, Saved, cell_key, row_key
from haven.overdose.actions import (
    FUTURE_TOLERANCE,
    MAX_NALOXONE_DOSES,
    MAX_SUBSTANCES,
    normalise_substances,
    to_the_hour,
)
from haven.overdose.models import OverdoseReport, YesNoUnknown

MAX_ROWS = 20_000

# Column -> the header names that mean it (compared without case, spaces and hyphens as "_").
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "occurred_on", "incident_date", "day", "date_time", "datetime", "occurred_at"),
    "time": ("time", "incident_time", "hour"),
    "area": ("area", "area_name", "area_code", "neighbourhood", "neighborhood", "zip", "postal_code", "county"),
    "fatal": ("fatal", "died", "death", "outcome"),
    "naloxone_doses": ("naloxone_doses", "naloxone", "doses", "naloxone_given"),
    "emergency_services_called": ("emergency_services_called", "ems", "ems_called", "emergency_services", "911"),
    "substances": ("substances", "substances_suspected", "substance", "drugs", "suspected_substances"),
}
REQUIRED_COLUMNS = ("date", "area")
YES_WORDS = {"yes", "y", "true", "1", "fatal", "died", "death", "dead", "deceased"}
NO_WORDS = {"no", "n", "false", "0", "non_fatal", "nonfatal", "non fatal", "survived", "alive"}
UNKNOWN_WORDS = {"", "unknown", "u", "?", "not known", "n/a", "na", "-"}
# A partner that gives only the day: the report is put at midday so it stays on its day.
DEFAULT_TIME = datetime.time(12, 0)


@dataclass
class GoodRow:
    """One overdose as the partner's file gives it, checked."""
    row: int
    occurred_at: datetime.datetime
    area: object
    fatal: str
    naloxone_doses: int | None
    emergency_services_called: str
    substances: list[str]
    key: str = ""

    @property
    def fatal_label(self) -> str:
        return YesNoUnknown(self.fatal).label


def _answer(value: str) -> str | None:
    word = " ".join(value.strip().lower().replace("-", "_").split())
    if word in YES_WORDS:
        return YesNoUnknown.YES
    if word in NO_WORDS:
        return YesNoUnknown.NO
    if word in UNKNOWN_WORDS:
        return YesNoUnknown.UNKNOWN
    return None


def _areas_by_word() -> dict[str, object]:
    from haven.places.models import Area

    lookup = {}
    for area in Area.objects.all():
        lookup[cell_key(area.name)] = area
        if area.code:
            lookup.setdefault(cell_key(area.code), area)
    return lookup


def report_key(source: str, row: GoodRow, repeat: int) -> str:
    return row_key(source, row.occurred_at.astimezone(datetime.UTC).isoformat(), row.area.pk, row.fatal,
                   row.naloxone_doses, row.emergency_services_called, ",".join(row.substances), repeat)


class PartnerReports(RowSchema):
    """A partner's export: one overdose per row. Option: `source` (who the reports come from).
    Columns a partner adds that Haven does not use are left out, not refused."""

    name = "overdose.import"
    permission = "overdose.import"
    audit_action = "create"
    unknown_columns = "ignore"
    columns = tuple(Column(name, synonyms, required=name in REQUIRED_COLUMNS)
                    for name, synonyms in COLUMN_SYNONYMS.items())
    max_rows = MAX_ROWS

    def __init__(self, *, actor, source: str):
        super().__init__(actor=actor, source=source)
        self.source = source
        self.areas = _areas_by_word()
        self.now = timezone.now()
        self.repeats: dict[str, int] = {}

    def check_row(self, row):
        when = row.moment("date", "time", default_time=DEFAULT_TIME, future_tolerance=FUTURE_TOLERANCE,
                          now=self.now)
        area_text = row.text("area")
        area = self.areas.get(cell_key(area_text)) if area_text else None
        if not area_text:
            row.error("area", _("The area is missing."))
        elif area is None:
            row.error("area", _("There is no area named or coded “%(text)s”. Add it under Areas, or correct the "
                                "file.") % {"text": area_text})
        fatal = _answer(row.text("fatal"))
        if fatal is None:
            row.error("fatal", _("“%(text)s” is not yes, no or unknown.") % {"text": row.text("fatal")})
        ems = _answer(row.text("emergency_services_called"))
        if ems is None:
            row.error("emergency_services_called", _("“%(text)s” is not yes, no or unknown.")
                      % {"text": row.text("emergency_services_called")})
        doses = row.whole_number("naloxone_doses", maximum=MAX_NALOXONE_DOSES, empty=None)
        substances = normalise_substances(row.text("substances"))
        if len(substances) > MAX_SUBSTANCES:
            row.error("substances", _("List at most %(limit)s substances.") % {"limit": MAX_SUBSTANCES})
        if not row.ok:
            return None
        good = GoodRow(row=row.number, occurred_at=to_the_hour(when), area=area, fatal=fatal, naloxone_doses=doses,
                       emergency_services_called=ems, substances=substances)
        identity = report_key(self.source, good, 0)
        repeat = self.repeats.get(identity, 0)
        self.repeats[identity] = repeat + 1
        good.key = report_key(self.source, good, repeat)
        return good

    def after_check(self, check) -> None:
        keys = [row.key for row in check.rows]
        check.already_imported = sum(
            OverdoseReport.objects.filter(import_key__in=keys[start:start + 500]).count()
            for start in range(0, len(keys), 500))

    def save(self, rows, *, request=None) -> Saved:
        existing = set()
        keys = [row.key for row in rows]
        for start in range(0, len(keys), 500):
            existing.update(OverdoseReport.objects.filter(import_key__in=keys[start:start + 500])
                            .values_list("import_key", flat=True))
        now = timezone.now()
        new = [OverdoseReport(
            occurred_at=row.occurred_at, area=row.area, kind=OverdoseReport.Kind.OVERDOSE, fatal=row.fatal,
            naloxone_doses=row.naloxone_doses, emergency_services_called=row.emergency_services_called,
            substances=row.substances, source=self.source, import_key=row.key, created_by=self.actor, created_at=now,
        ) for row in rows if row.key not in existing]
        OverdoseReport.objects.bulk_create(new, batch_size=1000)
        return Saved(created=len(new), already_imported=len(rows) - len(new), detail={"source": self.source})
