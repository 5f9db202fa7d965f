"""Laboratory results from a CSV or XLSX file: the row schema and the save, on the shared pipeline
(`haven.core.importing`: upload, reading, preview, commit).

One row per component found:

    sample,method,substance,abundance,percent,lot,date
    12,GC-MS,fentanyl,major,,LAB-2026-03,2026-03-02
    12,GC-MS,xylazine,minor,,LAB-2026-03,2026-03-02

`sample` is the sample number staff see (12 or #12), never the participant's sample code. Rows of
the same sample, method, lot and date make one analysis, keyed by its content, so importing the
same file twice adds nothing. Bad rows cannot be skipped: an analysis missing one of its
components would tell a participant less than the laboratory found.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from haven.core.importing import Column, RowSchema, Saved
from haven.drugchecking import actions, vocabulary

MAX_ROWS = 5000
REQUIRED = ("sample", "method", "substance")
OPTIONAL = ("abundance", "percent", "lot", "date")
METHODS = {"gcms": "gcms", "gc-ms": "gcms", "gc/ms": "gcms", "lcms": "lcms", "lc-ms": "lcms", "lc-ms/ms": "lcms",
           "lc/ms": "lcms", "nmr": "nmr", "qnmr": "nmr"}


@dataclass
class CheckedRow:
    """One component of one laboratory analysis, checked."""
    row: int
    sample: object
    method: str
    component: dict
    lot: str
    performed_on: datetime.date | None

    @property
    def substance_name(self) -> str:
        return vocabulary.name_of(self.component["substance"])


class LaboratoryResults(RowSchema):
    name = "drugchecking.import"
    permission = "drugchecking.manage"
    audit_action = "import"
    columns = tuple(Column(name, required=name in REQUIRED) for name in REQUIRED + OPTIONAL)
    unknown_columns = "ignore"
    allow_skip = False
    max_rows = MAX_ROWS

    def __init__(self, *, actor):
        from haven.drugchecking import queries

        super().__init__(actor=actor)
        self.samples = queries.visible_samples(actor)
        self.unknown: list[str] = []

    def _sample(self, row):
        text = row.text("sample")
        number = text.lstrip("#")
        if not number.isdigit():
            row.error("sample", _("sample must be the sample number (like 12), not “%(text)s”") % {"text": text})
            return None
        sample = self.samples.filter(pk=int(number)).first()
        if sample is None:
            row.error("sample", _("no sample number %(n)s that you can see") % {"n": number})
        return sample

    def check_row(self, row):
        values = {name: row.text(name) for name in REQUIRED + OPTIONAL}
        if isinstance(row.cell("date"), datetime.date):  # a date cell of a workbook
            values["date"] = (row.cell("date").date() if isinstance(row.cell("date"), datetime.datetime)
                              else row.cell("date")).isoformat()
        sample = self._sample(row)
        method = METHODS.get(values["method"].lower())
        if method is None:
            row.error("method", _("method must be GC-MS, LC-MS or NMR, not “%(text)s”") % {"text": values["method"]})
        component, found = actions.clean_component(values)
        for problem in found:
            row.error("substance", problem)
        if values["substance"] and vocabulary.find(values["substance"]) is None:
            self.unknown.append(values["substance"])
        if component is not None and component["percent"] is None and not component["abundance"]:
            row.error("abundance", _("give the abundance (major, minor, trace) or the percent"))
        performed_on = None
        if values["date"]:
            try:
                performed_on = datetime.date.fromisoformat(values["date"])
            except ValueError:
                row.error("date", _("date must be written like 2026-03-02, not “%(text)s”") % {"text": values["date"]})
            else:
                if performed_on > datetime.date.today() + datetime.timedelta(days=1):
                    row.error("date", _("date %(date)s is in the future") % {"date": values["date"]})
        if len(values["lot"]) > actions.MAX_TEXT:
            row.error("lot", _("lot is longer than %(n)s characters") % {"n": actions.MAX_TEXT})
        if not row.ok:
            return None
        return CheckedRow(row.number, sample, method, component, values["lot"], performed_on)

    def after_check(self, check) -> None:
        from haven.drugchecking.models import Analysis

        check.info["unknown_substances"] = sorted(set(self.unknown), key=str.casefold)
        keys = [group["digest"] for group in group_rows(check.rows)]
        check.already_imported = Analysis.objects.filter(import_key__in=keys).count()

    def save(self, rows, *, request=None) -> Saved:
        """One analysis per group of rows (`components_record`), unless an import made it before."""
        from haven.drugchecking.models import Analysis

        groups = group_rows(rows)
        created = 0
        for group in groups:
            if Analysis.objects.filter(import_key=group["digest"]).exists():
                continue
            actions.components_record(actor=self.actor, sample=group["sample"], method=group["method"],
                                      components=group["components"], lot=group["lot"],
                                      performed_at=group["performed_at"], import_key=group["digest"],
                                      request=request)
            created += 1
        return Saved(created=created, already_imported=len(groups) - created, detail={"components": len(rows)})


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
        # Fixed forever: analyses imported before this pipeline carry the same key.
        group["digest"] = hashlib.sha256(json.dumps(group["key"], sort_keys=True, default=str).encode()).hexdigest()
    return list(groups.values())
