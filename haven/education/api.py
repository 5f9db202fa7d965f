"""The public education API: fact sheets and the interaction checker, mounted at /api/education.

Anyone may call it (the matrix maps these endpoints to PUBLIC); `auth=None` keeps the OpenAPI
schema honest about that.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Schema, Status

from haven.education import interactions as interaction_rules
from haven.education import knowledge
from haven.education.knowledge import UnknownSubstance

router = Router(tags=["education"])
MAX_SUBSTANCES = 10


class SourceOut(Schema):
    key: str
    title: str
    publisher: str
    year: int
    url: str


class SubstanceOut(Schema):
    id: str
    name: str
    names: list[str]
    classes: list[str]
    form_of: str | None = None


class SubstanceSheetOut(SubstanceOut):
    summary: str
    routes: list[str]
    timing: dict
    dose: dict
    risks: dict
    safer_use: dict
    overdose: dict
    drug_checking: dict
    sources: list[SourceOut]


class PairOut(Schema):
    a: str
    b: str
    a_name: str
    b_name: str
    risk: str
    risk_rank: int | None = None  # absent when the risk is unknown
    direction: str
    explanation: str
    mechanism: str
    reliability: str
    rule: str | None = None
    sources: list[SourceOut]


class InteractionsOut(Schema):
    substances: list[SubstanceOut]
    pairs: list[PairOut]


class UnknownNameOut(Schema):
    name: str
    suggestions: list[str]


class ErrorOut(Schema):
    detail: str
    unknown: list[UnknownNameOut] = []


def _substance_out(substance) -> dict:
    return {"id": substance.id, "name": substance.name, "names": list(substance.names),
            "classes": list(substance.classes), "form_of": substance.form_of}


@router.get("/substances", response=list[SubstanceOut], url_name="substances-api", auth=None,
            summary="Substances with fact sheets, searchable by any name")
def substances(request, q: str = ""):
    return [_substance_out(substance) for substance in knowledge.default().search(q[:100])]


@router.get("/substances/{substance_id}", response=SubstanceSheetOut, url_name="substance-api", auth=None,
            summary="One substance's fact sheet, with its sources")
def substance(request, substance_id: str):
    sheet = knowledge.default().substances.get(substance_id)
    if sheet is None:
        raise Http404
    groups = {name: {**getattr(sheet, name).values, "sources": [s.key for s in getattr(sheet, name).sources]}
              for name in ("timing", "dose", "risks", "safer_use", "overdose", "drug_checking")}
    return {**_substance_out(sheet), "summary": sheet.summary, "routes": list(sheet.routes), **groups,
            "sources": [source.as_dict() for source in sheet.sources]}


@router.get("/interactions", response={200: InteractionsOut, 400: ErrorOut}, url_name="interactions-api",
            auth=None, exclude_none=True,
            summary="Every pair among two or more substances: risk, direction, explanation, sources")
def interactions(request, substance: Query[list[str]] = None):
    checker = interaction_rules.default_checker()
    names = [name.strip() for name in (substance or []) if name.strip()]
    if len(names) > MAX_SUBSTANCES:
        return Status(400, {"detail": f"Check at most {MAX_SUBSTANCES} substances at once."})
    unknown = []
    for name in names:
        try:
            checker.kb.find(name)
        except UnknownSubstance as error:
            unknown.append({"name": name, "suggestions": error.suggestions})
    if unknown:
        return Status(400, {"detail": "Unknown substance name(s).", "unknown": unknown})
    found = checker.resolve(names)
    if len(found) < 2:
        return Status(400, {"detail": "Give at least two different substances: ?substance=a&substance=b"})
    pairs = [checker.pair(a, b).as_dict() for i, a in enumerate(found) for b in found[i + 1:]]
    return Status(200, {"substances": [_substance_out(s) for s in found], "pairs": pairs})
