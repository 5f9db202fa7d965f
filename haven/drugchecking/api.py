"""The drug checking part of the JSON API (mounted under /api/checking/ by haven/api.py).

Access is decided by AccessMiddleware (api:drugchecking-samples-api, api:drugchecking-sample-api:
drugchecking.view); samples are scoped to the caller's sites like the pages. No sample code is
ever returned (none is stored), and no participant.
"""

from datetime import datetime

from django.http import Http404
from ninja import Path, Query, Router, Schema

from haven.core.api import ID_MAX, SIGNED_IN, TEXT_MAX, errors
from haven.drugchecking import queries, vocabulary
from haven.drugchecking.models import Sample

router = Router(tags=["drug checking"])
MAX_LIMIT = 200


class ComponentOut(Schema):
    substance: str
    name: str
    match_score: float | None = None
    percent: float | None = None
    abundance: str = ""


class AnalysisOut(Schema):
    method: str
    performed_at: datetime
    lot: str
    strip: str = ""
    strip_result: str = ""
    components: list[ComponentOut] = []
    # Reagents: what the sources say about the substances the colours fit, in the request's language.
    notes: list[str] = []


class SampleOut(Schema):
    id: int
    received_at: datetime
    site: str
    area: str | None
    expected: str
    form: str
    status: str
    classification: str
    found: list[str]


class SampleDetailOut(SampleOut):
    computed_classification: str
    contradictions: list[str]
    # What reagent colours fit (and spectra below the match threshold): presumptive, never in "found".
    colours_fit_presumptive: list[str] = []
    analyses: list[AnalysisOut]


def _sample_out(sample) -> dict:
    return {"id": sample.pk, "received_at": sample.received_at, "site": sample.site.name,
            "area": sample.area.name if sample.area else None, "expected": sample.expected, "form": sample.form,
            "status": sample.status, "classification": sample.classification, "found": list(sample.found or [])}


@router.get("/samples", response={200: list[SampleOut], **errors(*SIGNED_IN, 422)}, url_name="drugchecking-samples-api",
            summary="Samples at the caller's sites, newest first")
def samples(request, status: str = Query("", max_length=TEXT_MAX), limit: int = Query(50, ge=1, le=MAX_LIMIT)):
    queryset = queries.visible_samples(request.auth)
    if status in Sample.Status.values:
        queryset = queryset.filter(status=status)
    return [_sample_out(sample) for sample in queryset[:limit]]


@router.get("/samples/{sample_id}", response={200: SampleDetailOut, **errors(*SIGNED_IN, 404, 422)}, url_name="drugchecking-sample-api",
            summary="One sample with its tests and the combined finding")
def sample(request, sample_id: int = Path(..., ge=1, le=ID_MAX)):
    try:
        found = queries.sample_for(request.auth, sample_id)
    except Sample.DoesNotExist:
        raise Http404 from None
    analyses = list(queries.analyses_of(found))
    finding = queries.finding_for(found, analyses)
    return {**_sample_out(found), "computed_classification": finding.classification,
            "contradictions": [c.explanation for c in finding.contradictions],
            "colours_fit_presumptive": queries.possible_names(finding, analyses),
            "analyses": [{"method": a.method, "performed_at": a.performed_at, "lot": a.lot, "strip": a.strip,
                          "strip_result": a.strip_result,
                          "components": [{**c, "name": vocabulary.name_of(c["substance"])} for c in a.components],
                          "notes": queries.reagent_notes(a.interpretation) if a.method == a.Method.REAGENT else []}
                         for a in analyses]}
