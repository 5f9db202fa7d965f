"""Laboratory results from a CSV file: checked row by row, previewed, imported all together or not at all.

One row per component found:

    sample,method,substance,abundance,percent,lot,date
    12,GC-MS,fentanyl,major,,LAB-2026-03,2026-03-02
    12,GC-MS,xylazine,minor,,LAB-2026-03,2026-03-02

`sample` is the sample number staff see (12 or #12), never the participant's sample code. Rows of
the same sample, method, lot and date make one analysis.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from haven.drugchecking import actions, vocabulary

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED = ("sample", "method", "substance")
OPTIONAL = ("abundance", "percent", "lot", "date")
METHODS = {"gcms": "gcms", "gc-ms": "gcms", "gc/ms": "gcms", "lcms": "lcms", "lc-ms": "lcms", "lc-ms/ms": "lcms",
           "lc/ms": "lcms", "nmr": "nmr", "qnmr": "nmr"}


@dataclass
class RowError:
    row: int
    problems: list[str]

    def message(self) -> str:
        return _("Row %(row)s: %(problems)s.") % {"row": self.row, "problems": "; ".join(self.problems)}


@dataclass
class CheckedRow:
    row: int
    sample: object
    method: str
    component: dict
    lot: str
    performed_on: datetime.date | None

    @property
    def substance_name(self) -> str:
        return vocabulary.name_of(self.component["substance"])


@dataclass
class Check:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    row_count: int = 0
    unknown_substances: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors and bool(self.rows)

    def messages(self) -> list[str]:
        return self.file_errors + [error.message() for error in self.errors]


def decode_text(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _sample(text: str, samples):
    number = text.strip().lstrip("#")
    if not number.isdigit():
        return None, _("sample must be the sample number (like 12), not “%(text)s”") % {"text": text}
    sample = samples.filter(pk=int(number)).first()
    if sample is None:
        return None, _("no sample number %(n)s that you can see") % {"n": number}
    return sample, None


def check_file(content: str, *, user) -> Check:
    """Every problem in the file, row by row; nothing is written."""
    from haven.drugchecking import queries

    check = Check()
    if "\x00" in content:
        check.file_errors.append(_("This is not a CSV text file. Save it as CSV (UTF-8) and try again."))
        return check
    reader = csv.DictReader(io.StringIO(content))
    headers = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        check.file_errors.append(_("The file needs the columns %(missing)s. Its first line has: %(found)s.") % {
            "missing": ", ".join(missing), "found": ", ".join(headers) or _("nothing")})
        return check
    reader.fieldnames = headers
    samples = queries.visible_samples(user)
    unknown = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            check.file_errors.append(_("The file has more than %(n)s rows. Split it.") % {"n": MAX_ROWS})
            break
        values = {key: (value or "").strip() for key, value in raw.items() if key}
        if not any(values.values()):
            continue
        check.row_count += 1
        problems = []
        sample, problem = _sample(values.get("sample", ""), samples)
        if problem:
            problems.append(problem)
        method = METHODS.get(values.get("method", "").lower())
        if method is None:
            problems.append(_("method must be GC-MS, LC-MS or NMR, not “%(text)s”") % {"text": values.get("method")})
        component, found = actions.clean_component(values)
        problems += found
        if values.get("substance") and vocabulary.find(values["substance"]) is None:
            unknown.append(values["substance"])
        if component is not None and component["percent"] is None and not component["abundance"]:
            problems.append(_("give the abundance (major, minor, trace) or the percent"))
        performed_on = None
        if values.get("date"):
            try:
                performed_on = datetime.date.fromisoformat(values["date"])
            except ValueError:
                problems.append(_("date must be written like 2026-03-02, not “%(text)s”") % {"text": values["date"]})
            else:
                if performed_on > datetime.date.today() + datetime.timedelta(days=1):
                    problems.append(_("date %(date)s is in the future") % {"date": values["date"]})
        if len(values.get("lot", "")) > actions.MAX_TEXT:
            problems.append(_("lot is longer than %(n)s characters") % {"n": actions.MAX_TEXT})
        if problems:
            check.errors.append(RowError(number, problems))
        else:
            check.rows.append(CheckedRow(number, sample, method, component, values.get("lot", ""), performed_on))
    check.unknown_substances = sorted(set(unknown), key=str.casefold)
    if check.row_count == 0 and not check.file_errors:
        check.file_errors.append(_("The file has no rows under its first line."))
    return check


def group_rows(rows: list[CheckedRow]) -> list[dict]:
    """One analysis per sample, method, lot and date, with its components in file order."""
    groups: dict[tuple, dict] = {}
    for row in rows:
        key = (row.sample.pk, row.method, row.lot, row.performed_on)
        group = groups.setdefault(key, {"sample": row.sample, "method": row.method, "lot": row.lot,
                                        "performed_at": row.performed_on, "components": [], "key": None})
        group["components"].append(row.component)
    for key, group in groups.items():
        group["key"] = [*key[:3], str(key[3]), sorted(
            (c["substance"], c["abundance"], c["percent"]) for c in group["components"])]
    return list(groups.values())
