"""Indicators and funder reports as JSON for managers, mounted at /api/reports.

`/indicators` gives exact counts (reports.view: inside the program); `/templates/{slug}` gives a
funder report in its suppressed, shareable form (reports.export), exactly as the CSV would.
Both say which kind they are in `kind`.
"""

from __future__ import annotations

from ninja import Field, Path, Query, Router, Schema, Status

from haven.core.api import ID_MAX, SIGNED_IN, TEXT_MAX, errors
from haven.encounters.models import ServiceMode
from haven.places.models import Site
from haven.reports.indicators import INDICATORS
from haven.reports.periods import RULES, PeriodError, parse_period
from haven.reports.queries import TOTAL, BadBreakdown, compute
from haven.reports.report import EXACT, SHAREABLE, build_report, kind_note
from haven.reports.suppression import SuppressionError
from haven.reports.templates_lookup import template_by_slug

router = Router(tags=["reports"])


class IndicatorsQuery(Schema):
    period: str = Field(max_length=TEXT_MAX)
    rule: str = Field("month", max_length=TEXT_MAX)
    fiscal_year_starts: int = Field(7, ge=1, le=12)
    site: int | None = Field(None, ge=1, le=ID_MAX)
    mode: str | None = Field(None, max_length=TEXT_MAX)
    by: str | None = Field(None, max_length=TEXT_MAX)


def _scope(params: IndicatorsQuery):
    """(period, site, mode) or an error message."""
    if params.rule not in RULES:
        return None, f"Unknown rule “{params.rule}”: use one of {', '.join(RULES)}."
    try:
        period = parse_period(params.period, params.rule, fiscal_year_starts=params.fiscal_year_starts)
    except PeriodError as error:
        return None, str(error)
    site = None
    if params.site is not None:
        site = Site.objects.filter(pk=params.site).first()
        if site is None:
            return None, f"There is no site {params.site}."
    if params.mode and params.mode not in ServiceMode.values:
        return None, f"Unknown service mode “{params.mode}”: use one of {', '.join(ServiceMode.values)}."
    return (period, site, params.mode or None), None


@router.get("/indicators", response={200: dict, **errors(400, *SIGNED_IN, 422)}, url_name="reports-indicators-api",
            summary="Every indicator for a period (exact counts, for people inside the program)")
def indicators(request, params: Query[IndicatorsQuery]):
    scope, problem = _scope(params)
    if problem:
        return Status(400, {"detail": problem})
    period, site, mode = scope
    try:
        results = compute(period, site=site, mode=mode, by=(params.by,) if params.by else ())
    except BadBreakdown as error:
        return Status(400, {"detail": str(error)})
    columns = [{"key": list(column.key), "label": column.label} for column in results.columns]

    def cells(key, sub=None):
        values = {"total": results.value(key, TOTAL, sub)}
        values.update({column.label: results.value(key, column.key, sub) for column in results.columns})
        return values

    return {
        "kind": EXACT, "note": kind_note(EXACT), "period": {"label": period.label, "start": period.start.isoformat(),
                                                            "end": period.end.isoformat()},
        "scope": results.scope_label, "columns": columns,
        "indicators": [{
            "key": indicator.key, "label": indicator.label, "unit": indicator.unit,
            "counts_people": indicator.counts_people, "values": cells(indicator.key),
            "detail": [{"label": str(label), "values": cells(indicator.key, sub)}
                       for sub, label in results.sub_rows(indicator.key)],
        } for indicator in INDICATORS],
    }


class ReportQuery(Schema):
    period: str = Field(max_length=TEXT_MAX)
    site: int | None = Field(None, ge=1, le=ID_MAX)
    mode: str | None = Field(None, max_length=TEXT_MAX)


@router.get("/templates/{slug}", response={200: dict, **errors(400, *SIGNED_IN, 404, 422)},
            url_name="reports-report-api", summary="A funder report, suppressed for sharing")
def report(request, params: Query[ReportQuery], slug: str = Path(..., max_length=TEXT_MAX)):
    template = template_by_slug(slug)
    if template is None:
        return Status(404, {"detail": f"There is no report template “{slug}”."})
    scope, problem = _scope(IndicatorsQuery(period=params.period, rule=template.period,
                                            fiscal_year_starts=template.fiscal_year_starts, site=params.site,
                                            mode=params.mode))
    if problem:
        return Status(400, {"detail": problem})
    period, site, mode = scope
    try:
        built = build_report(template, period, kind=SHAREABLE, site=site, mode=mode)
    except SuppressionError:
        return Status(400, {"detail": "This table cannot be suppressed safely, so nothing is returned."})
    return {
        "kind": SHAREABLE, "note": built.note, "title": built.title, "period": period.label, "scope": built.scope,
        "columns": built.columns, "empty": built.empty,
        "sections": [{"title": section.title, "rows": [
            {"indicator": row.key, "label": row.label, "unit": row.unit, "detail": bool(row.level),
             "cells": row.cells} for row in section.rows]} for section in built.sections],
    }
