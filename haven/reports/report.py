"""A funder report: a template's rows filled with indicator values for one period and scope.

Two kinds, and every output says which it is:

* EXACT: exact counts, for people inside the program who may see them (reports.view);
* SHAREABLE: every count of people goes through small-cell suppression (suppression.py) with
  complementary suppression over each table and its margins. Every file that leaves the program
  (CSV, XLSX, PDF, open data, the API) is built from this kind only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from haven.reports import queries
from haven.reports.funder_templates import FunderTemplate
from haven.reports.indicators import BY_KEY, Indicator
from haven.reports.periods import Period
from haven.reports.queries import TOTAL, Results
from haven.reports.suppression import (
    DEFAULT_POLICY,
    SHOWN,
    SuppressionPolicy,
    suppress_counts,
    suppress_table,
)

EXACT = "exact"
SHAREABLE = "shareable"
NOT_APPLICABLE = "—"


def kind_note(kind: str, policy: SuppressionPolicy = DEFAULT_POLICY) -> str:
    if kind == EXACT:
        return "EXACT COUNTS, INTERNAL: for use inside the program only; do not share this output."
    return (f"SUPPRESSED, SHAREABLE: counts of people from 1 to {policy.largest_small_count} are shown as "
            f"“{policy.small_label}”, and other counts as “{policy.complementary_label}” where they would let "
            "a small count be worked out.")


@dataclass
class Row:
    key: str
    label: str
    unit: str
    level: int  # 0: the indicator, 1: one of its detail rows
    counts_people: bool
    cells: list  # one per column, the total last


@dataclass
class Section:
    title: str
    rows: list[Row]


@dataclass
class Report:
    title: str
    slug: str
    period: Period
    scope: str
    kind: str
    note: str
    columns: list[str]  # labels; the last is "Total"
    sections: list[Section]
    empty: bool
    generated_at: datetime.datetime
    definitions: list[Indicator] = field(default_factory=list)
    counted_from: str = ""  # the monthly summary or the visits themselves (queries.Results.source)

    @property
    def subtitle(self) -> str:
        return f"{self.period.label} · {self.scope}"


def _display(value):
    if value is None:
        return NOT_APPLICABLE
    return value


class _Protector:
    """Suppressed displays for the people counts of one report, one table (indicator) at a time."""

    def __init__(self, results: Results, policy: SuppressionPolicy):
        self.results, self.policy = results, policy
        self.columns = [column.key for column in results.columns]

    def _counts(self, key, sub=None) -> list[int]:
        return [int(self.results.value(key, column, sub) or 0) for column in self.columns]

    def scalar(self, indicator: Indicator) -> dict[tuple, object]:
        key, total = indicator.key, int(self.results.value(indicator.key) or 0)
        if not self.columns:
            return {TOTAL: suppress_counts([total], publish_total=False, policy=self.policy).cells[0].display}
        counts = self._counts(key)
        outcome = suppress_counts(counts, publish_total=True, policy=self.policy)
        shown = {column: cell.display for column, cell in zip(self.columns, outcome.cells, strict=True)}
        if indicator.additive:
            shown[TOTAL] = outcome.total.display
        else:
            # Not a sum (one person, two sites): the pattern protects the cells against their sum,
            # and the true total is at most that sum, so it can only tell a reader less. It is hidden
            # whenever the sum is, and is small-suppressed on its own.
            if self.policy.is_small(total):
                shown[TOTAL] = self.policy.small_label
            elif outcome.total.reason != SHOWN:
                shown[TOTAL] = self.policy.complementary_label
            else:
                shown[TOTAL] = total
        return shown

    def with_detail(self, indicator: Indicator, subs: list) -> tuple[dict, list[dict]]:
        key = indicator.key
        if not self.columns:
            counts = [int(self.results.value(key, TOTAL, sub) or 0) for sub in subs]
            outcome = suppress_counts(counts, publish_total=True, policy=self.policy)
            return {TOTAL: outcome.total.display}, [{TOTAL: cell.display} for cell in outcome.cells]
        rows = [self._counts(key, sub) for sub in subs]
        outcome = suppress_table(rows, policy=self.policy)
        main = {column: cell.display for column, cell in zip(self.columns, outcome.column_totals, strict=True)}
        main[TOTAL] = outcome.grand_total.display
        detail = []
        for cells, total in zip(outcome.cells, outcome.row_totals, strict=True):
            shown = {column: cell.display for column, cell in zip(self.columns, cells, strict=True)}
            shown[TOTAL] = total.display
            detail.append(shown)
        return main, detail


def build_report(template: FunderTemplate, period: Period, *, kind: str, site=None, mode=None,
                 policy: SuppressionPolicy = DEFAULT_POLICY) -> Report:
    """Compute the template's indicators and lay them out; SHAREABLE applies suppression."""
    results = queries.compute(period, site=site, mode=mode, by=template.by)
    column_keys = [column.key for column in results.columns] + [TOTAL]
    protector = _Protector(results, policy) if kind == SHAREABLE else None
    participants = protector.scalar(BY_KEY["unique_participants"]) if protector else None

    sections, used = [], []
    for template_section in template.sections:
        rows = []
        for template_row in template_section.rows:
            indicator = BY_KEY[template_row.indicator]
            used.append(indicator)
            subs = [sub for sub, _label in results.sub_rows(indicator.key)] if template_row.detail else []
            sub_labels = dict(results.sub_rows(indicator.key))
            main = {column: results.value(indicator.key, column) for column in column_keys}
            detail = [{column: results.value(indicator.key, column, sub) for column in column_keys} for sub in subs]
            if protector is not None and indicator.counts_people:
                if subs:
                    main, detail = protector.with_detail(indicator, subs)
                else:
                    main = protector.scalar(indicator)
            if protector is not None and indicator.key == "syringes_per_participant":
                # A rate and the syringes would give back a hidden participant count.
                main = {column: value if isinstance(participants[column], int) else policy.complementary_label
                        for column, value in main.items()}
            rows.append(Row(indicator.key, template_row.label, indicator.unit, 0, indicator.counts_people,
                            [_display(main[column]) for column in column_keys]))
            for sub, values in zip(subs, detail, strict=True):
                rows.append(Row(indicator.key, str(sub_labels[sub]), indicator.unit, 1, indicator.counts_people,
                                [_display(values[column]) for column in column_keys]))
        sections.append(Section(template_section.title, rows))
    return Report(
        title=template.name, slug=template.slug, period=period, scope=results.scope_label, kind=kind,
        note=kind_note(kind, policy), columns=[column.label for column in results.columns] + ["Total"],
        sections=sections, empty=results.is_empty, generated_at=timezone.now(),
        definitions=list(dict.fromkeys(used)), counted_from=counted_from(results),
    )


def counted_from(results) -> str:
    if results.source == queries.SUMMARY:
        as_of = timezone.localtime(results.summary_as_of)
        return f"Counted from the monthly summary, which has every change up to {as_of:%Y-%m-%d %H:%M}."
    return "Counted from the visits themselves (the monthly summary was catching up, or the period is not " \
           "whole months)."
