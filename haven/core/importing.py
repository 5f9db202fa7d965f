"""The one import pipeline: every CSV/XLSX import in Haven goes through here (docs/IMPORT.md).

An importer is a row schema plus a save function (a `RowSchema` subclass in `<app>/imports.py`):
its columns, how one row is checked into a typed row, and how the good rows are saved. This
module does everything else, the same way for every importer:

1. **Upload** (`receive_upload`): the file arrives as a real multipart file, kept in memory (never
   in a temporary file: it may hold participant codes). The size limit is checked from the
   request's Content-Length before the body is parsed, and again while it streams, so a file over
   the limit gets a clear message and is never read.
2. **Pending** (`pending_save` / `pending_load`): between the preview and the confirmation the
   file waits server-side, encrypted in the data folder and keyed by a random token in the
   session, so the confirmation carries no file in a form field (which Django caps at
   DATA_UPLOAD_MAX_MEMORY_SIZE, answering a bare "Bad Request").
3. **Reading** (`read_table`): CSV (UTF-8 with or without a byte order mark, else Windows-1252,
   else a clear error; comma, semicolon or tab) or XLSX (the first sheet, formulas as text, zip
   bombs refused). Row numbers are those the spreadsheet shows (the header is row 1).
4. **Checking** (`import_check`): map the header to the schema's columns, check every row, collect
   every problem as a `RowError` (row, column, message). Reads, never writes: the preview.
5. **Committing** (`import_commit`): check again, refuse if anything is wrong unless the person
   chose to skip bad rows (and the schema allows it), save in one transaction, write one audit
   entry. Each schema keys its rows (from the file's digest or the rows' values), so importing
   the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime
import functools
import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from haven import conf
from haven.core import crypto, keys
from haven.core.audit import audit_record

# The documented limit of an import file (docs/IMPORT.md); a schema may set its own.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# The rest of a multipart request around the file: the form's other fields and the boundaries.
MULTIPART_ALLOWANCE = 64 * 1024
# An XLSX file is a zip: refuse one that would unpack to far more than any real sheet (a zip bomb).
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
PENDING_MINUTES = 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# Characters that make a spreadsheet treat a cell as a formula. Haven never evaluates one: such a
# cell is plain text, which then fails the check of a number or a date with a clear message.
FORMULA_START = ("=", "+", "-", "@")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                    "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p", "%H")

UTF8, WINDOWS_1252, XLSX = "UTF-8", "Windows-1252", "XLSX"


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


def too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(size)s MB. Split it into smaller files.") % {
        "size": f"{max_bytes / (1024 * 1024):g}"}


# ---- What a check finds ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: the header is row 1; 0 for the file itself
    column: str  # the column's header as the file has it, or ""
    message: str

    def describe(self) -> str:
        """The problem as one sentence, with its row and column."""
        if self.row <= 1:
            return self.message
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(text)s") % {
                "row": self.row, "column": self.column, "text": self.message}
        return _("Row %(row)s: %(text)s") % {"row": self.row, "text": self.message}


def describe_by_row(errors: list[RowError]) -> list[str]:
    """One sentence per row, its problems joined ("Row 5: this; that.")."""
    lines, by_row = [], {}
    for error in errors:
        if error.row <= 1:
            lines.append(error.message)
        else:
            by_row.setdefault(error.row, []).append(error.message)
    return lines + [_("Row %(row)s: %(problems)s.") % {"row": row, "problems": "; ".join(problems)}
                    for row, problems in by_row.items()]


@dataclass
class Table:
    filename: str
    digest: str  # sha256 of the file's bytes
    encoding: str  # UTF8, WINDOWS_1252 or XLSX
    header: list
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells), blank rows left out


@dataclass
class Check:
    digest: str
    encoding: str
    rows: list  # the schema's typed rows, in file order
    errors: list[RowError]
    row_count: int  # rows with any content, good or bad
    already_imported: int = 0  # good rows that an earlier import of the same rows saved
    info: dict = field(default_factory=dict)  # what the schema adds for its preview

    @property
    def bad_rows(self) -> list[int]:
        return sorted({error.row for error in self.errors if error.row > 1})

    @property
    def file_errors(self) -> list[RowError]:
        """Problems with the file or its header: no row can be imported until the file is fixed."""
        return [error for error in self.errors if error.row <= 1]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass
class Saved:
    """What a schema's save function reports."""
    created: int
    already_imported: int = 0
    errors: list[RowError] = field(default_factory=list)  # rows the domain's action refused
    detail: dict = field(default_factory=dict)  # extra counts for the audit entry and the message


@dataclass
class ImportResult:
    created: int
    already_imported: int
    skipped_rows: list[int]
    detail: dict = field(default_factory=dict)


class ImportRefused(ValidationError):
    """The file has problems and the person did not choose to skip bad rows: nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.row_errors = errors
        super().__init__(ngettext("%(count)s problem in the file: nothing was imported.",
                                  "%(count)s problems in the file: nothing was imported.", len(errors))
                         % {"count": len(errors)})


# ---- The row schema --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    synonyms: tuple[str, ...] = ()  # other header names that mean it (compared as column_key)
    required: bool = False


class RowSchema:
    """One importer: its columns, the check of one row, and the save. Subclass it in `<app>/imports.py`."""

    name = ""  # the pending upload's key and the audit entry's object type ("overdose.import")
    permission = ""  # the role permission an import needs
    columns: tuple[Column, ...] = ()
    unknown_columns = "error"  # or "ignore"
    allow_skip = True  # may the person import the good rows of a file with bad ones?
    max_bytes = MAX_UPLOAD_BYTES
    max_rows = MAX_ROWS
    audit_action = "import"

    def __init__(self, *, actor, **options):
        self.actor = actor
        self.options = options
        self.digest = ""  # the file's sha256, set by the pipeline before the rows are checked

    def extra_column(self, header: str):
        """A header that is none of the columns: something the schema understands, or None."""
        return None

    def check_row(self, row: Row):
        """A typed row, or None when `row.error(...)` was called."""
        raise NotImplementedError

    def after_check(self, check: Check) -> None:
        """Add the schema's own counts to `check.info` (for instance, rows already imported)."""

    def save(self, rows: list, *, request=None) -> Saved:
        """Save the good rows; called inside the import's transaction."""
        raise NotImplementedError


def column_key(text) -> str:
    return re.sub(r"[\s\-]+", "_", cell_key(text))


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def cell_key(cell) -> str:
    return " ".join(cell_text(cell).casefold().split())


class Row:
    """One row being checked: its cells by column, and the problems found in it."""

    def __init__(self, number: int, cells: list, mapping: _Mapping, errors: list[RowError]):
        self.number = number
        self.cells = cells
        self.mapping = mapping
        self.errors = errors
        self.errors_before = len(errors)

    @property
    def ok(self) -> bool:
        return len(self.errors) == self.errors_before

    def header(self, column: str) -> str:
        index = self.mapping.fields.get(column)
        return self.mapping.headers[index] if index is not None else column

    def cell(self, column: str):
        index = self.mapping.fields.get(column)
        return self.at(index) if index is not None else None

    def at(self, index: int):
        return self.cells[index] if index < len(self.cells) else None

    def text(self, column: str) -> str:
        return cell_text(self.cell(column))

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.header(column) if column else "", message))

    # Typed readers: each returns the value, or None after recording the problem.

    def whole_number(self, column: str, *, maximum: int, cell=None, empty=0):
        cell = self.cell(column) if cell is None else cell
        text = cell_text(cell)
        if not text:
            return empty
        if isinstance(cell, float) and not cell.is_integer():
            self.error(column, _("Enter a whole number."))
            return None
        if not re.fullmatch(r"-?\d+", text):
            if text.startswith(FORMULA_START):
                self.error(column, _("Enter a whole number. Formulas are not calculated: copy the values into "
                                     "the file instead."))
            else:
                self.error(column, _("“%(text)s” is not a whole number.") % {"text": text[:40]})
            return None
        value = int(text)
        if value < 0:
            self.error(column, _("This cannot be negative."))
            return None
        if value > maximum:
            self.error(column, _("This cannot be more than %(limit)s. Check for an extra digit.")
                       % {"limit": f"{maximum:,}"})
            return None
        return value

    def moment(self, date_column: str, time_column: str, *, default_time: datetime.time,
               future_tolerance: datetime.timedelta, now=None):
        """An aware datetime from a date cell (or text) and an optional time cell, never in the future."""
        now = now or timezone.now()
        date_cell, time_cell = self.cell(date_column), self.cell(time_column)
        day, clock = None, None
        if isinstance(date_cell, datetime.datetime):
            day, clock = date_cell.date(), date_cell.time() if date_cell.time() != datetime.time(0) else None
        elif isinstance(date_cell, datetime.date):
            day = date_cell
        else:
            text = cell_text(date_cell)
            if not text:
                self.error(date_column, _("Enter the date (YYYY-MM-DD)."))
                return None
            parsed = parse(text, DATETIME_FORMATS)
            if parsed:
                day, clock = parsed.date(), parsed.time()
            else:
                parsed = parse(text, DATE_FORMATS)
                if parsed is None:
                    self.error(date_column, _("This is not a date Haven can read. Write it as YYYY-MM-DD, for "
                                              "example 2024-03-31."))
                    return None
                day = parsed.date()
        if isinstance(time_cell, datetime.time):
            clock = time_cell
        elif isinstance(time_cell, datetime.datetime):
            clock = time_cell.time()
        elif cell_text(time_cell):
            parsed = parse(cell_text(time_cell).upper(), TIME_FORMATS)
            if parsed is None:
                self.error(time_column, _("This is not a time Haven can read. Write it as HH:MM, for example "
                                          "14:30."))
                return None
            clock = parsed.time()
        moment = timezone.make_aware(datetime.datetime.combine(day, clock or default_time))
        if clock is None and day == timezone.localdate(now):
            moment = min(moment, now)  # today without a time: no later than now
        if day > timezone.localdate(now) or moment > now + future_tolerance:
            self.error(date_column, _("This date is in the future. Check the date."))
            return None
        return moment


def parse(text: str, formats) -> datetime.datetime | None:
    for pattern in formats:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


@dataclass
class _Mapping:
    fields: dict  # column name -> index
    extra: list  # [(index, what the schema made of it, header text)]
    headers: list


def _map_columns(schema: RowSchema, header: list, errors: list[RowError]) -> _Mapping:
    synonyms = {}
    for column in schema.columns:
        for name in (column.name, *column.synonyms):
            synonyms.setdefault(column_key(name), column.name)
    headers = [cell_text(cell) for cell in header]
    fields, extra, seen = {}, [], {}
    for index, text in enumerate(headers):
        if not text:
            continue
        column = synonyms.get(column_key(text))
        thing = None if column else schema.extra_column(text)
        if column is None and thing is None:
            if schema.unknown_columns == "error":
                errors.append(RowError(1, text, _("This column is not one Haven knows. Rename it as the import "
                                                  "help describes, or remove it.")))
            continue
        target = column or ("extra", id(thing))  # the schema hands back the same object for the same thing
        if target in seen:
            if schema.unknown_columns == "error":
                errors.append(RowError(1, text, _("This column means the same as the column “%(other)s”. Keep "
                                                  "one of them.") % {"other": seen[target]}))
            continue
        seen[target] = text
        if column:
            fields[column] = index
        else:
            extra.append((index, thing, text))
    missing = [column.name for column in schema.columns if column.required and column.name not in fields]
    if missing:
        errors.append(RowError(1, "", _("Missing columns: %(missing)s. The first row must name the columns; this "
                                        "file's first row has: %(found)s.")
                               % {"missing": ", ".join(missing), "found": ", ".join(filter(None, headers))[:300]
                                  or _("nothing")}))
    return _Mapping(fields=fields, extra=extra, headers=headers)


# ---- Reading the file ------------------------------------------------------------------------------


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_table(filename: str, content: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES,
               max_rows: int = MAX_ROWS) -> Table:
    """The file's header and rows (cells: str, int, float, date, datetime, time or None)."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    if len(content) > max_bytes:
        raise ImportFileError(too_large_message(max_bytes))
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xlsx" or content.startswith(b"PK\x03\x04"):
        if suffix not in ("xlsx", ""):
            raise ImportFileError(_("This file is not a CSV or XLSX file. Save it as CSV (UTF-8) or as an Excel "
                                    "workbook (.xlsx)."))
        rows, encoding = _read_xlsx(content, max_rows), XLSX
    elif suffix in ("xls", "ods", "numbers"):
        raise ImportFileError(_("This kind of spreadsheet cannot be read. Save it as an Excel workbook (.xlsx) or "
                                "as CSV (UTF-8)."))
    elif suffix in ("csv", "txt", "tsv", ""):
        text, encoding = decode(content)
        rows = _read_csv(text)
    else:
        raise ImportFileError(_("This file is not a CSV or XLSX file. Save it as CSV (UTF-8) or as an Excel "
                                "workbook (.xlsx)."))
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell_text(cell) for cell in row)]
    if not numbered:
        raise ImportFileError(_("The file has no rows."))
    if len(numbered) - 1 > max_rows:
        raise ImportFileError(_("The file has more than %(limit)s rows. Split it into smaller files.")
                              % {"limit": f"{max_rows:,}"})
    (_number, header), data = numbered[0], numbered[1:]
    return Table(filename=filename[-200:], digest=file_digest(content), encoding=encoding, header=header,
                 rows=data)


def _not_text() -> str:
    return _("This is not a CSV text file. Save it as CSV (UTF-8) or as an Excel workbook (.xlsx).")


def decode(content: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 (a byte order mark or not), else Windows-1252, else a clear error."""
    if b"\x00" in content:
        # A binary file, or UTF-16 text (which spreadsheets call "Unicode text").
        raise ImportFileError(_not_text())
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), UTF8
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is marked as UTF-8 but is not. Save it again as CSV (UTF-8).")) from None
    try:
        return content.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        pass
    # Older spreadsheets save CSV in the Windows code page. Five of its bytes mean nothing: a file
    # with them is in some other encoding, and guessing would garble every accented letter.
    try:
        return content.decode("cp1252"), WINDOWS_1252
    except UnicodeDecodeError:
        raise ImportFileError(_("Haven cannot tell how this file's text is encoded (it is neither UTF-8 nor "
                                "Windows-1252). Save it again as CSV (UTF-8).")) from None


def _read_csv(text: str) -> list[list[object]]:
    if sum(1 for character in text[:4096] if not character.isprintable() and character not in "\r\n\t") > 8:
        raise ImportFileError(_not_text())
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many languages separate with ";" (the decimal comma takes ","); a tab
    # comes from "text" exports. The header decides.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise ImportFileError(_("The file could not be read as CSV. Save it again from the spreadsheet as CSV "
                                "(UTF-8).")) from None


def _read_xlsx(content: bytes, max_rows: int) -> list[list[object]]:
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
        rows = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > max_rows + 1:
                break
        return rows
    finally:
        workbook.close()


# ---- Checking and committing -----------------------------------------------------------------------


def import_check(schema: RowSchema, table: Table) -> Check:
    """Map the columns and check every row; writes nothing."""
    errors: list[RowError] = []
    schema.digest = table.digest
    mapping = _map_columns(schema, table.header, errors)
    check = Check(digest=table.digest, encoding=table.encoding, rows=[], errors=errors, row_count=len(table.rows))
    if errors:
        return check
    if not table.rows:
        errors.append(RowError(1, "", _("The file has a header but no rows.")))
        return check
    for number, cells in table.rows:
        row = Row(number, cells, mapping, errors)
        typed = schema.check_row(row)
        if typed is not None and row.ok:
            check.rows.append(typed)
    schema.after_check(check)
    return check


@transaction.atomic
def import_commit(schema: RowSchema, table: Table, *, skip_bad_rows: bool = False, request=None) -> ImportResult:
    """Save every good row of the file, or nothing at all, and audit the import.

    The file is checked again here (the preview's check may be minutes old). With problems,
    nothing is written unless `skip_bad_rows` (and the schema allows it). A row the domain's
    action refuses counts as a problem too, and undoes the whole import unless skipping.
    """
    actor = schema.actor
    if actor is None or not actor.has_role_permission(schema.permission):
        raise PermissionDenied(schema.permission)
    skip = skip_bad_rows and schema.allow_skip
    check = import_check(schema, table)
    if check.file_errors or (check.errors and not skip):
        raise ImportRefused(check.errors)
    saved = schema.save(check.rows, request=request)
    errors = check.errors + saved.errors
    if saved.errors and not skip:
        raise ImportRefused(errors)
    skipped = sorted({error.row for error in errors})
    audit_record(actor=actor, action=schema.audit_action, object_type=schema.name, object_id=table.digest[:16],
                 request=request, detail={"rows": check.row_count, "created": saved.created,
                                          "already_imported": saved.already_imported,
                                          "skipped_rows": len(skipped), "encoding": table.encoding,
                                          **saved.detail})
    return ImportResult(created=saved.created, already_imported=saved.already_imported, skipped_rows=skipped,
                        detail=saved.detail)


def row_key(*parts) -> str:
    """A stable key for a row from its values (sha256 hex), for importers that key by content."""
    return hashlib.sha256("|".join("" if part is None else str(part) for part in parts).encode()).hexdigest()


# ---- The upload ------------------------------------------------------------------------------------


class _MemoryOnlyUpload(MemoryFileUploadHandler):
    """Keeps the upload in memory, never in a temporary file, and drops it as soon as it passes the limit."""

    def __init__(self, request, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            self.too_large = True
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


def receive_upload(max_bytes: int = MAX_UPLOAD_BYTES):
    """Decorate a view that receives an import file. The view sees `request.upload_too_large`.

    A request whose Content-Length already says the file is over the limit is not parsed at all:
    the view gets empty POST data and the flag, shows its form with the limit, and writes nothing
    (so the CSRF check, which would need the parsed body, is not needed either). Otherwise the
    body is parsed with the memory-only handler, which stops keeping the file once it passes the
    limit, and the CSRF check runs as usual.
    """

    def decorate(view):
        @csrf_exempt  # checked by csrf_protect below, after the upload handler is chosen
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            handler = _MemoryOnlyUpload(request, max_bytes)
            request.upload_handlers = [handler]
            request.upload_too_large = False
            if request.method == "POST" and _content_length(request) > max_bytes + MULTIPART_ALLOWANCE:
                request.upload_too_large = True
                request._post, request._files = QueryDict(), MultiValueDict()
                return view(request, *args, **kwargs)

            @csrf_protect
            def parsed(request, *args, **kwargs):
                request.POST  # noqa: B018 (parse the body now, through the handler, to learn its size)
                request.upload_too_large = handler.too_large
                return view(request, *args, **kwargs)

            return parsed(request, *args, **kwargs)

        return wrapper

    return decorate


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def uploaded_bytes(request, name: str = "file") -> tuple[str, bytes] | None:
    upload = request.FILES.get(name)
    if upload is None:
        return None
    return upload.name, upload.read()


# ---- The pending upload, between preview and confirmation ------------------------------------------


@dataclass
class Pending:
    token: str
    filename: str
    content: bytes
    options: dict
    uploaded_at: str

    @property
    def digest(self) -> str:
        return file_digest(self.content)


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _session_key(name: str) -> str:
    return f"pending_import:{name}"


def _context(name: str, token: str) -> str:
    return f"import:{name}:{token}"


def pending_save(request, name: str, *, filename: str, content: bytes, options: dict | None = None) -> None:
    """Keep an upload for its confirmation: encrypted in the data folder, its random name in the session."""
    pending_discard(request, name)
    _remove_expired()
    token = secrets.token_urlsafe(24)
    sealed = keys.encryption_keyring().encrypt(crypto.b64encode(content), context=_context(name, token))
    conf.write_private_file(_folder() / f"{token}.upload", sealed.encode("ascii"))
    request.session[_session_key(name)] = {
        "token": token, "filename": filename[-200:], "options": options or {},
        "uploaded_at": timezone.now().isoformat(),
    }


def pending_load(request, name: str) -> Pending | None:
    """The session's upload for this importer, or None (none, expired or unreadable)."""
    stored = request.session.get(_session_key(name))
    if not stored or not TOKEN.match(str(stored.get("token", ""))):
        return None
    path = _folder() / f"{stored['token']}.upload"
    uploaded_at = datetime.datetime.fromisoformat(stored["uploaded_at"])
    if timezone.now() - uploaded_at > datetime.timedelta(minutes=PENDING_MINUTES) or not path.exists():
        pending_discard(request, name)
        return None
    try:
        sealed = path.read_text(encoding="ascii")
        content = crypto.b64decode(keys.encryption_keyring().decrypt(sealed, context=_context(name, stored["token"])))
    except (OSError, ValueError, crypto.DecryptionError):
        pending_discard(request, name)
        return None
    return Pending(token=stored["token"], filename=stored["filename"], content=content,
                   options=stored.get("options", {}), uploaded_at=stored["uploaded_at"])


def pending_discard(request, name: str) -> None:
    stored = request.session.pop(_session_key(name), None)
    if stored and TOKEN.match(str(stored.get("token", ""))):
        (_folder() / f"{stored['token']}.upload").unlink(missing_ok=True)


def _remove_expired() -> None:
    """Uploads left behind by someone who never confirmed (a closed tab) go after PENDING_MINUTES."""
    folder = _folder()
    if not folder.is_dir():
        return
    cutoff = timezone.now().timestamp() - PENDING_MINUTES * 60
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
