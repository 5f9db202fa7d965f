"""Checking partners' CSV files of overdose reports (emergency services, hospitals, others).

`check_file` reads and checks every row and writes nothing, so the preview shows exactly what the
import would do; `actions.overdose_report_import` checks the file again and saves the good rows.

Each row gets a key: a digest of the source and the row's values (plus how many identical rows came
before it in the same file, so two real overdoses in the same hour and area stay two). A partner's
export that repeats last month's rows therefore adds only the new ones, and importing the same file
twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.overdose.actions import (
    FUTURE_TOLERANCE,
    MAX_NALOXONE_DOSES,
    MAX_SUBSTANCES,
    normalise_substances,
    to_the_hour,
)
from haven.overdose.models import YesNoUnknown

MAX_FILE_BYTES = 5 * 1024 * 1024
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
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                    "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H")
# A partner that gives only the day: the report is put at midday so it stays on its day.
DEFAULT_TIME = datetime.time(12, 0)


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    text: str

    def message(self) -> str:
        if self.row <= 1:
            return self.text
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(text)s") % {
                "row": self.row, "column": self.column, "text": self.text}
        return _("Row %(row)s: %(text)s") % {"row": self.row, "text": self.text}


@dataclass
class GoodRow:
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


@dataclass
class FileCheck:
    digest: str = ""
    rows: list[GoodRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def file_errors(self) -> list[RowError]:
        """Problems with the file or its header: no row can be imported until it is fixed."""
        return [error for error in self.errors if error.row <= 1]

    def bad_rows(self) -> list[int]:
        return sorted({error.row for error in self.errors if error.row > 1})


def _column_key(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").split())


def decode_text(content: bytes | str) -> str | None:
    if isinstance(content, str):
        return content
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _answer(value: str) -> str | None:
    word = " ".join(value.strip().lower().replace("-", "_").split())
    if word in YES_WORDS:
        return YesNoUnknown.YES
    if word in NO_WORDS:
        return YesNoUnknown.NO
    if word in UNKNOWN_WORDS:
        return YesNoUnknown.UNKNOWN
    return None


def _parse_when(date_text: str, time_text: str) -> datetime.datetime | None:
    date_text, time_text = date_text.strip(), time_text.strip()
    for pattern in DATETIME_FORMATS:
        try:
            return datetime.datetime.strptime(date_text, pattern)
        except ValueError:
            continue
    day = None
    for pattern in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(date_text, pattern).date()
            break
        except ValueError:
            continue
    if day is None:
        return None
    if not time_text:
        return datetime.datetime.combine(day, DEFAULT_TIME)
    for pattern in TIME_FORMATS:
        try:
            return datetime.datetime.combine(day, datetime.datetime.strptime(time_text, pattern).time())
        except ValueError:
            continue
    return None


def _areas_by_word() -> dict[str, object]:
    from haven.places.models import Area

    lookup = {}
    for area in Area.objects.all():
        lookup[area.name.strip().lower()] = area
        if area.code:
            lookup.setdefault(area.code.strip().lower(), area)
    return lookup


def row_key(source: str, row: GoodRow, repeat: int) -> str:
    parts = [source, row.occurred_at.astimezone(datetime.UTC).isoformat(), str(row.area.pk), row.fatal,
             "" if row.naloxone_doses is None else str(row.naloxone_doses), row.emergency_services_called,
             ",".join(row.substances), str(repeat)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def check_file(content: bytes | str, *, source: str) -> FileCheck:
    """Every problem with the file and its rows, and the rows that can be imported."""
    raw = content.encode() if isinstance(content, str) else content
    check = FileCheck(digest=hashlib.sha256(raw).hexdigest())
    if len(raw) > MAX_FILE_BYTES:
        check.errors.append(RowError(0, "", _("The file is larger than %(size)s MB. Split it into smaller files.")
                                     % {"size": MAX_FILE_BYTES // (1024 * 1024)}))
        return check
    text = decode_text(content)
    if text is None or "\x00" in text:
        check.errors.append(RowError(0, "", _("This is not a CSV text file. Save it as CSV (UTF-8) and try again.")))
        return check
    try:
        table = [row for row in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in row)]
    except csv.Error:
        check.errors.append(RowError(0, "", _("This file is not valid CSV. Save it as CSV (UTF-8) and try again.")))
        return check
    if not table:
        check.errors.append(RowError(0, "", _("The file is empty.")))
        return check
    header, data = table[0], table[1:]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _column_key(name)
        for column, synonyms in COLUMN_SYNONYMS.items():
            if key in synonyms and column not in columns:
                columns[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        check.errors.append(RowError(1, "", _("Missing columns: %(columns)s. The first row must name the columns, "
                                              "with at least a date and an area.") % {"columns": ", ".join(missing)}))
        return check
    if not data:
        check.errors.append(RowError(1, "", _("The file has a header but no rows.")))
        return check
    if len(data) > MAX_ROWS:
        check.errors.append(RowError(1, "", _("The file has more than %(limit)s rows. Split it into smaller files.")
                                     % {"limit": f"{MAX_ROWS:,}"}))
        return check
    check.row_count = len(data)

    areas = _areas_by_word()
    now = timezone.now()
    repeats: dict[tuple, int] = {}
    for offset, cells in enumerate(data):
        number = offset + 2

        def cell(column, cells=cells):
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        errors_before = len(check.errors)

        def error(column, text, number=number):
            check.errors.append(RowError(number, header[columns[column]].strip() if column in columns else column,
                                         text))

        when = None
        date_text = cell("date")
        if not date_text:
            error("date", _("The date is missing."))
        else:
            parsed = _parse_when(date_text, cell("time"))
            if parsed is None:
                error("date", _("“%(text)s” is not a date (and time) Haven reads. Use YYYY-MM-DD and HH:MM.")
                      % {"text": date_text})
            else:
                when = timezone.make_aware(parsed)
                if not cell("time") and parsed.time() == DEFAULT_TIME and parsed.date() == timezone.localdate():
                    when = min(when, now)  # a day without a time, today: no later than now
                if when > now + FUTURE_TOLERANCE:
                    error("date", _("This date is in the future."))
                    when = None
        area_text = cell("area")
        area = areas.get(area_text.lower()) if area_text else None
        if not area_text:
            error("area", _("The area is missing."))
        elif area is None:
            error("area", _("There is no area named or coded “%(text)s”. Add it under Areas, or correct the "
                            "file.") % {"text": area_text})
        fatal = _answer(cell("fatal"))
        if fatal is None:
            error("fatal", _("“%(text)s” is not yes, no or unknown.") % {"text": cell("fatal")})
        ems = _answer(cell("emergency_services_called"))
        if ems is None:
            error("emergency_services_called", _("“%(text)s” is not yes, no or unknown.")
                  % {"text": cell("emergency_services_called")})
        doses = None
        doses_text = cell("naloxone_doses")
        if doses_text:
            try:
                doses = int(doses_text)
            except ValueError:
                error("naloxone_doses", _("“%(text)s” is not a whole number.") % {"text": doses_text})
            else:
                if doses < 0:
                    error("naloxone_doses", _("Naloxone doses cannot be negative."))
                elif doses > MAX_NALOXONE_DOSES:
                    error("naloxone_doses", _("More than %(limit)s naloxone doses? Check the number.")
                          % {"limit": MAX_NALOXONE_DOSES})
        substances = normalise_substances(cell("substances"))
        if len(substances) > MAX_SUBSTANCES:
            error("substances", _("List at most %(limit)s substances.") % {"limit": MAX_SUBSTANCES})
        if len(check.errors) > errors_before:
            continue
        good = GoodRow(row=number, occurred_at=to_the_hour(when), area=area, fatal=fatal, naloxone_doses=doses,
                       emergency_services_called=ems, substances=substances)
        identity = row_key(source, good, 0)
        repeat = repeats.get(identity, 0)
        repeats[identity] = repeat + 1
        good.key = row_key(source, good, repeat)
        check.rows.append(good)
    return check
