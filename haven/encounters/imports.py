"""Import of legacy encounter logs from CSV and XLSX files (docs/IMPORT.md).

Three steps, and only the last one writes:

1. `read_table` turns the uploaded bytes into a header and rows of cells (file problems: size,
   type, encoding, an empty or binary file).
2. `check_table` maps the columns, checks every row and reports each problem with its row
   number and column; it reads the database (sites, the catalog, participant codes) but writes
   nothing, so the preview can show exactly what an import would do.
3. `encounters_import` checks the file again and records every good row with `encounter_record`
   in one transaction: a file with errors imports nothing unless the person chose to skip the
   bad rows. Each row's `client_id` is derived from the file's digest and the row number, so
   importing the same file twice creates nothing new.

Participant codes in the file are looked up (and, by choice, enrolled) but never stored, shown
or put in an error message: only their blind index reaches the database.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haven.core.audit import audit_record
from haven.encounters import actions
from haven.encounters.models import Encounter, ServiceMode
from haven.encounters.queries import MODE_FOR_SITE_KIND, recording_sites
from haven.inventory.models import Item, Kit

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX file is a zip: refuse one that would unpack to far more than any real log (a zip bomb).
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
# Fixed forever: every row's client_id is uuid5(IMPORT_NAMESPACE, "<file sha256>:<row number>").
IMPORT_NAMESPACE = uuid.UUID("6f1c2a7e-4b0d-5c1e-9a53-2d8f0e6b7c41")
# A log that gives only the day: the visit is put at midday, local time, so it stays on its day.
DEFAULT_TIME = datetime.time(12, 0)
FUTURE_TOLERANCE = actions.FUTURE_TOLERANCE

# Column -> the header names that mean it (compared without case, with spaces and hyphens as "_").
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "visit_date", "encounter_date", "day"),
    "time": ("time", "visit_time"),
    "site": ("site", "site_name", "location"),
    "service_mode": ("service_mode", "mode", "delivery_mode"),
    "participant_code": ("participant_code", "code", "participant"),
    "supplies": ("supplies", "supplies_given", "items"),
    "syringes_returned": ("syringes_returned", "returned", "returns", "syringes_in"),
    "returns_estimated": ("returns_estimated", "estimated"),
    "sharps_containers_returned": ("sharps_containers_returned", "sharps_returned"),
    "secondary_people": ("secondary_people", "secondary", "secondary_exchange", "for_others"),
}
REQUIRED_COLUMNS = ("date", "site")
TRUE_WORDS = {"yes", "y", "true", "1", "x", "estimated"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
SERVICE_MODE_WORDS = {
    "fixed": ServiceMode.FIXED, "fixed_site": ServiceMode.FIXED, "drop_in": ServiceMode.FIXED,
    "mobile": ServiceMode.MOBILE, "mobile_unit": ServiceMode.MOBILE, "van": ServiceMode.MOBILE,
    "outreach": ServiceMode.OUTREACH, "street_outreach": ServiceMode.OUTREACH,
    "mail": ServiceMode.MAIL, "mail_based": ServiceMode.MAIL, "post": ServiceMode.MAIL,
    "peer_delivery": ServiceMode.PEER_DELIVERY, "peer": ServiceMode.PEER_DELIVERY,
    "secondary": ServiceMode.PEER_DELIVERY,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                    "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p")
# Characters that make a spreadsheet treat a cell as a formula. Haven never evaluates one: such a
# cell is plain text, which then fails the check of a number or a date with a clear message.
FORMULA_START = ("=", "+", "-", "@")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: the header is row 1
    column: str
    message: str


@dataclass
class ImportRow:
    row: int
    client_id: uuid.UUID
    occurred_at: datetime.datetime
    site: object
    service_mode: str
    participant: object = None
    # A code to enrol (only when the person chose to enrol unknown codes); never shown.
    code_to_enrol: str = field(default="", repr=False)
    supplies: list = field(default_factory=list)  # [(Item, quantity)]
    kits: list = field(default_factory=list)  # [(Kit, count)]
    syringes_returned: int = 0
    returns_estimated: bool = False
    sharps_containers_returned: int = 0
    secondary_people: int = 0

    @property
    def service_mode_label(self) -> str:
        return ServiceMode(self.service_mode).label if self.service_mode in ServiceMode.values else ""

    def supplies_summary(self) -> list[tuple[str, int]]:
        return [(item.name, quantity) for item, quantity in self.supplies] + [
            (kit.name, count) for kit, count in self.kits]


@dataclass
class ImportCheck:
    digest: str
    rows: list[ImportRow]  # the good rows, in file order
    errors: list[RowError]
    row_count: int  # rows with any content, good or bad
    already_imported: int = 0
    codes_to_enrol: int = 0

    @property
    def bad_rows(self) -> list[int]:
        return sorted({error.row for error in self.errors if error.row > 1})

    @property
    def file_errors(self) -> list[RowError]:
        """Errors in the header: no row can be imported until the file is fixed."""
        return [error for error in self.errors if error.row <= 1]


@dataclass
class ImportResult:
    created: int
    already_imported: int
    skipped_rows: list[int]
    enrolled: int


# ---- 1. Reading the file ----------------------------------------------------------------------


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_table(filename: str, content: bytes) -> list[list[object]]:
    """The file's rows as lists of cells (str, int, float, date, datetime, time or None)."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than %(size)s MB. Split it into smaller files.")
                              % {"size": MAX_FILE_BYTES // (1024 * 1024)})
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xlsx" or content.startswith(b"PK\x03\x04"):
        if suffix not in ("xlsx", ""):
            raise ImportFileError(_("This file is not a CSV or XLSX file. Save the log as CSV (UTF-8) or as an "
                                    "Excel workbook (.xlsx)."))
        rows = _read_xlsx(content)
    elif suffix in ("xls", "ods", "numbers"):
        raise ImportFileError(_("This kind of spreadsheet cannot be read. Save it as an Excel workbook (.xlsx) or "
                                "as CSV (UTF-8)."))
    elif suffix in ("csv", "txt", "tsv", ""):
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("This file is not a CSV or XLSX file. Save the log as CSV (UTF-8) or as an Excel "
                                "workbook (.xlsx)."))
    rows = [row for row in rows if any(_text(cell) for cell in row)]
    if not rows:
        raise ImportFileError(_("The file has no rows."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(limit)s rows. Split it into smaller files.")
                              % {"limit": f"{MAX_ROWS:,}"})
    return rows


def _decode(content: bytes) -> str:
    if b"\x00" in content:
        # A binary file, or UTF-16 text (which spreadsheets call "Unicode text").
        raise ImportFileError(_("This file does not look like a CSV file. Save the log as CSV (UTF-8) or as an "
                                "Excel workbook (.xlsx)."))
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Older spreadsheets save CSV in the Windows code page; Latin-1 reads any byte at all.
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def _read_csv(content: bytes) -> list[list[object]]:
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is marked as UTF-8 but is not. Save it again as CSV (UTF-8).")) from None
    if sum(1 for character in text[:4096] if not character.isprintable() and character not in "\r\n\t") > 8:
        raise ImportFileError(_("This file does not look like a CSV file. Save the log as CSV (UTF-8) or as an "
                                "Excel workbook (.xlsx)."))
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many languages separate with ";" (the decimal comma takes ","); a tab
    # comes from "text" exports. The header decides.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise ImportFileError(_("The file could not be read as CSV. Save it again from the spreadsheet as CSV "
                                "(UTF-8).")) from None


def _read_xlsx(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise ImportFileError(_("The workbook is too large once unpacked. Split it into smaller files."))
        # data_only=False: a formula comes back as its text ("=A1*2"), never as a value Haven
        # would have to trust or compute.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(_("The workbook could not be opened. Save it again as an Excel workbook (.xlsx) "
                                "or as CSV (UTF-8).")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


# ---- 2. Checking the rows ---------------------------------------------------------------------


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _key(text) -> str:
    return " ".join(_text(text).casefold().split())


def _column_key(text) -> str:
    return re.sub(r"[\s\-]+", "_", _key(text))


class _Catalog:
    """Supply items and kits by name, without case; a plural "s" is forgiven ("Alcohol pads")."""

    def __init__(self):
        self.items = {_key(item.name): item for item in Item.objects.all()}
        self.kits = {_key(kit.name): kit for kit in Kit.objects.prefetch_related("items__item")}

    def find(self, name):
        key = _key(name)
        for candidate in (key, key[:-1] if key.endswith("s") else None):
            if candidate and candidate in self.items:
                return self.items[candidate]
            if candidate and candidate in self.kits:
                return self.kits[candidate]
        return None


@dataclass
class _Columns:
    fields: dict  # column name -> index
    lines: list  # [(index, Item or Kit, header text)]
    headers: list


def _map_columns(header: list, catalog: _Catalog, errors: list[RowError]) -> _Columns:
    synonyms = {name: column for column, names in COLUMN_SYNONYMS.items() for name in names}
    fields, lines, seen = {}, [], {}
    for index, cell in enumerate(header):
        text = _text(cell)
        if not text:
            continue
        column = synonyms.get(_column_key(text))
        thing = None if column else catalog.find(text)
        target = column or (("line", thing.pk, type(thing).__name__) if thing else None)
        if target is None:
            errors.append(RowError(1, text, _("This column is not a known field, supply item or kit. Rename it "
                                              "as described in the import help, or remove it.")))
            continue
        if target in seen:
            errors.append(RowError(1, text, _("This column means the same as the column “%(other)s”. Keep one "
                                              "of them.") % {"other": seen[target]}))
            continue
        seen[target] = text
        if column:
            fields[column] = index
        else:
            lines.append((index, thing, text))
    for column in REQUIRED_COLUMNS:
        if column not in fields:
            errors.append(RowError(1, column, _("The file needs a “%(column)s” column.") % {"column": column}))
    return _Columns(fields=fields, lines=lines, headers=[_text(cell) for cell in header])


class _RowChecker:
    def __init__(self, *, actor, enrol_unknown: bool, now):
        self.actor = actor
        self.enrol_unknown = enrol_unknown
        self.now = now
        self.today = timezone.localdate(now)
        sites = list(recording_sites(actor))
        self.sites_by_name = {_key(site.name): site for site in sites}
        self.sites_by_id = {str(site.pk): site for site in sites}
        self.modes = {**SERVICE_MODE_WORDS, **{_column_key(label): value for value, label in ServiceMode.choices},
                      **{value: value for value in ServiceMode.values}}
        self.codes: dict[str, tuple] = {}  # normalised code -> (participant, code to enrol, error)
        self.errors: list[RowError] = []

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def count(self, row, column, cell, *, limit) -> int:
        text = _text(cell)
        if not text:
            return 0
        if isinstance(cell, float) and not cell.is_integer():
            self.error(row, column, _("Enter a whole number."))
            return 0
        if not re.fullmatch(r"-?\d+", text):
            if text.startswith(FORMULA_START):
                self.error(row, column, _("Enter a whole number. Formulas are not calculated: copy the values "
                                          "into the file instead."))
            else:
                self.error(row, column, _("Enter a whole number."))
            return 0
        value = int(text)
        if value < 0:
            self.error(row, column, _("This cannot be negative."))
            return 0
        if value > limit:
            self.error(row, column, _("This cannot be more than %(limit)s. Check for an extra digit.")
                       % {"limit": f"{limit:,}"})
            return 0
        return value

    def when(self, row, date_cell, time_cell, date_column, time_column):
        day, clock = None, None
        if isinstance(date_cell, datetime.datetime):
            day, clock = date_cell.date(), date_cell.time() if date_cell.time() != datetime.time(0) else None
        elif isinstance(date_cell, datetime.date):
            day = date_cell
        else:
            text = _text(date_cell)
            if not text:
                self.error(row, date_column, _("Enter the date of the visit (YYYY-MM-DD)."))
                return None
            parsed = _parse(text, DATETIME_FORMATS)
            if parsed:
                day, clock = parsed.date(), parsed.time()
            else:
                parsed = _parse(text, DATE_FORMATS)
                if parsed is None:
                    self.error(row, date_column, _("This is not a date Haven can read. Write it as YYYY-MM-DD, for "
                                                   "example 2024-03-31."))
                    return None
                day = parsed.date()
        if isinstance(time_cell, datetime.time):
            clock = time_cell
        elif isinstance(time_cell, datetime.datetime):
            clock = time_cell.time()
        elif _text(time_cell):
            parsed = _parse(_text(time_cell).upper(), TIME_FORMATS)
            if parsed is None:
                self.error(row, time_column, _("This is not a time Haven can read. Write it as HH:MM, for example "
                                               "14:30."))
                return None
            clock = parsed.time()
        occurred_at = timezone.make_aware(datetime.datetime.combine(day, clock or DEFAULT_TIME))
        if day > self.today or occurred_at > self.now + FUTURE_TOLERANCE:
            self.error(row, date_column, _("The visit cannot be in the future. Check the date."))
            return None
        return occurred_at

    def participant(self, row, cell, column):
        from haven.participants.queries import participant_by_code
        from haven.participants.recipe import checked_code

        text = _text(cell)
        if not text:
            return None, ""
        key = _key(text)
        if key not in self.codes:
            found = participant_by_code(text)
            if found is not None:
                self.codes[key] = (found, "", None)
            elif not self.enrol_unknown:
                self.codes[key] = (None, "", _("No participant has this code. Check the code, or choose “enrol "
                                               "unknown codes” to enrol new participants."))
            else:
                try:
                    self.codes[key] = (None, checked_code(text), None)
                except ValidationError as error:
                    # The message describes the recipe, never the code that was typed.
                    self.codes[key] = (None, "", " ".join(_messages(error)))
        participant, code, message = self.codes[key]
        if message:
            self.error(row, column, message)
        return participant, code


def _parse(text: str, formats) -> datetime.datetime | None:
    for pattern in formats:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def row_client_id(digest: str, row: int) -> uuid.UUID:
    return uuid.uuid5(IMPORT_NAMESPACE, f"{digest}:{row}")


def check_table(rows: list[list[object]], *, digest: str, actor, enrol_unknown: bool = False) -> ImportCheck:
    """Map the columns and check every row; writes nothing."""
    catalog = _Catalog()
    header_errors: list[RowError] = []
    columns = _map_columns(rows[0], catalog, header_errors)
    checker = _RowChecker(actor=actor, enrol_unknown=enrol_unknown, now=timezone.now())
    checker.errors = header_errors
    if header_errors:
        return ImportCheck(digest=digest, rows=[], errors=header_errors, row_count=len(rows) - 1)

    def cell(values, column):
        index = columns.fields.get(column)
        return values[index] if index is not None and index < len(values) else None

    def header(column):
        return columns.headers[columns.fields[column]] if column in columns.fields else column

    good = []
    for number, values in enumerate(rows[1:], start=2):
        errors_before = len(checker.errors)
        occurred_at = checker.when(number, cell(values, "date"), cell(values, "time"), header("date"), header("time"))

        site_text = _text(cell(values, "site"))
        site = checker.sites_by_id.get(site_text) or checker.sites_by_name.get(_key(site_text))
        if not site_text:
            checker.error(number, header("site"), _("Enter the site of the visit."))
        elif site is None:
            checker.error(number, header("site"), _("No active site of yours has this name."))

        mode_text = _column_key(cell(values, "service_mode"))
        service_mode = checker.modes.get(mode_text) if mode_text else (MODE_FOR_SITE_KIND.get(site.kind)
                                                                       if site else None)
        if mode_text and service_mode is None:
            checker.error(number, header("service_mode"), _("Use one of: fixed, mobile, outreach, mail, "
                                                            "peer_delivery."))

        participant, code = checker.participant(number, cell(values, "participant_code"), header("participant_code"))

        supplies, kits = [], []
        for index, thing, text in columns.lines:
            quantity = checker.count(number, text, values[index] if index < len(values) else None,
                                     limit=actions.MAX_UNITS_PER_LINE)
            if quantity:
                (kits if isinstance(thing, Kit) else supplies).append((thing, quantity))
        for name, quantity, message in _supply_entries(_text(cell(values, "supplies"))):
            if message:
                checker.error(number, header("supplies"), message)
                continue
            thing = catalog.find(name)
            if thing is None:
                checker.error(number, header("supplies"), _("“%(name)s” is not a supply item or kit in the catalog.")
                              % {"name": name})
                continue
            quantity = checker.count(number, header("supplies"), quantity, limit=actions.MAX_UNITS_PER_LINE)
            if quantity:
                (kits if isinstance(thing, Kit) else supplies).append((thing, quantity))
        for thing, _quantity in supplies + kits:
            if not thing.active:
                checker.error(number, thing.name, _("“%(name)s” is no longer offered.") % {"name": thing.name})

        counts = {
            column: checker.count(number, header(column), cell(values, column), limit=limit)
            for column, limit in (("syringes_returned", actions.MAX_SYRINGES_RETURNED),
                                  ("sharps_containers_returned", actions.MAX_SHARPS_CONTAINERS_RETURNED),
                                  ("secondary_people", actions.MAX_SECONDARY_PEOPLE))
        }
        estimated_text = _key(cell(values, "returns_estimated"))
        if estimated_text not in TRUE_WORDS | FALSE_WORDS:
            checker.error(number, header("returns_estimated"), _("Write yes or no."))

        if len(checker.errors) == errors_before:
            good.append(ImportRow(
                row=number, client_id=row_client_id(digest, number), occurred_at=occurred_at, site=site,
                service_mode=service_mode, participant=participant, code_to_enrol=code, supplies=supplies,
                kits=kits, returns_estimated=estimated_text in TRUE_WORDS, **counts,
            ))

    check = ImportCheck(digest=digest, rows=good, errors=checker.errors, row_count=len(rows) - 1)
    check.already_imported = _already_imported([row.client_id for row in good])
    check.codes_to_enrol = len({row.code_to_enrol for row in good if row.code_to_enrol})
    return check


def _supply_entries(text: str):
    """("name", "quantity", error message or "") for each "name:quantity" in a supplies cell."""
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        name, colon, quantity = part.rpartition(":")
        if not colon or not name.strip():
            yield part, "", _("Write each supply as name:quantity, separated by “;”, for example "
                              "“Alcohol pad:10; Cooker:2”.")
        else:
            yield name.strip(), quantity.strip(), ""


def _already_imported(client_ids: list[uuid.UUID]) -> int:
    found = 0
    for start in range(0, len(client_ids), 500):
        found += Encounter.objects.filter(client_id__in=client_ids[start:start + 500]).count()
    return found


def check_file(filename: str, content: bytes, *, actor, enrol_unknown: bool = False) -> ImportCheck:
    """Read and check a whole upload; ImportFileError when the file itself cannot be read."""
    rows = read_table(filename, content)
    return check_table(rows, digest=file_digest(content), actor=actor, enrol_unknown=enrol_unknown)


# ---- 3. Writing -------------------------------------------------------------------------------


@transaction.atomic
def encounters_import(*, actor, filename: str, content: bytes, enrol_unknown: bool = False,
                      skip_bad_rows: bool = False, request=None) -> ImportResult:
    """Record every good row of the file, or nothing at all.

    The file is checked again here (the preview's check may be minutes old). With errors, nothing
    is written unless `skip_bad_rows`. A row the action refuses counts as an error too.
    """
    from haven.participants.actions import participant_enroll
    from haven.participants.queries import participant_by_code

    if not actor.has_role_permission("encounters.import"):
        raise PermissionDenied("encounters.import")
    check = check_file(filename, content, actor=actor, enrol_unknown=enrol_unknown)
    if check.file_errors:
        raise ImportRefused(check.errors)
    if check.errors and not skip_bad_rows:
        raise ImportRefused(check.errors)

    errors = list(check.errors)
    enrolled: dict[str, object] = {}
    created = already = 0
    for row in check.rows:
        participant = row.participant
        try:
            if row.code_to_enrol:
                participant = enrolled.get(row.code_to_enrol) or participant_by_code(row.code_to_enrol)
                if participant is None:
                    participant = participant_enroll(actor=actor, code=row.code_to_enrol, site=row.site,
                                                     request=request)
                    enrolled[row.code_to_enrol] = participant
            _encounter, new = actions.encounter_record(
                actor=actor, client_id=row.client_id, site=row.site, service_mode=row.service_mode,
                participant=participant, occurred_at=row.occurred_at, supplies=row.supplies, kits=row.kits,
                syringes_returned=row.syringes_returned, returns_estimated=row.returns_estimated,
                sharps_containers_returned=row.sharps_containers_returned,
                secondary_people=row.secondary_people, source="import", request=request,
            )
        except ValidationError as error:
            # The action's own savepoint has rolled this row back; the rest of the import goes on
            # only if the person chose to skip bad rows (checked below).
            errors.extend(RowError(row.row, "", message) for message in _messages(error))
            continue
        if new:
            created += 1
        else:
            already += 1
    if errors and not skip_bad_rows:
        raise ImportRefused(errors)

    skipped = sorted({error.row for error in errors})
    audit_record(actor=actor, action="create", object_type="encounters.import", object_id=check.digest[:16],
                 request=request, detail={"rows": check.row_count, "created": created,
                                          "already_imported": already, "skipped_rows": len(skipped),
                                          "enrolled": len(enrolled)})
    return ImportResult(created=created, already_imported=already, skipped_rows=skipped, enrolled=len(enrolled))


class ImportRefused(ValidationError):
    """The file has errors and the person did not choose to skip bad rows: nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.row_errors = errors
        super().__init__(ngettext("%(count)s problem in the file: nothing was imported.",
                                  "%(count)s problems in the file: nothing was imported.", len(errors))
                         % {"count": len(errors)})
