"""The public education API: fact sheets and the interaction checker, mounted at /api/education.

Anyone may call it (the matrix maps these endpoints to PUBLIC); `auth=None` keeps the OpenAPI
schema honest about that.
"""

from __future__ import annotations

from typing import Annotated

from django.http import Http404
from django.utils.translation import get_language
from ninja import Field, Path, Query, Router, Schema, Status

from haven import commandline
from haven.core.api import TEXT_MAX, Error, errors
from haven.education import interactions as interaction_rules
from haven.education import knowledge, queries

router = Router(tags=["education"])
MAX_SUBSTANCES = interaction_rules.MAX_SUBSTANCES
MAX_NAMES = 50  # more than this is not a question about interactions; it is refused by the schema
MAX_FREE_TEXT = 1000
Name = Annotated[str, Field(max_length=TEXT_MAX)]
NAMES = Query(None, max_length=MAX_NAMES)
LANGUAGE = Query("", max_length=8, description="en, es or fr; by default the request's language (Accept-Language)")


def _language(language: str) -> str:
    return commandline.language_code(language or get_language())


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
    language: str  # the language of the text: the one asked for, or "en" when the sheet is not yet translated
    translation_reviewed: bool  # False for a translation no native speaker has reviewed yet
    untranslated: list[str]  # fields shown in English because the translation lacks them


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
    origin: str | None = None  # haven (Haven's own rule) or tripsit (TripSit's chart); absent when unknown
    sources: list[SourceOut]


class SubjectOut(SubstanceOut):
    is_class: bool = False  # a whole class asked about ("benzos")


class WarningOut(Schema):
    text: str
    substances: list[str]
    sources: list[SourceOut]


class InteractionsOut(Schema):
    substances: list[SubjectOut]
    pairs: list[PairOut]
    warnings: list[WarningOut]


class UnknownNameOut(Schema):
    name: str
    suggestions: list[str]


class InteractionsError(Error):
    unknown: list[UnknownNameOut] = []


def _substance_out(substance) -> dict:
    return {"id": substance.id, "name": substance.name, "names": list(substance.names),
            "classes": list(substance.classes), "form_of": substance.form_of}


# 401 only for a token that is not valid: these work without one.
@router.get("/substances", response={200: list[SubstanceOut], **errors(401, 422)}, url_name="substances-api",
            auth=None, summary="Substances with fact sheets, searchable by any name")
def substances(request, q: str = Query("", max_length=TEXT_MAX), language: str = LANGUAGE):
    return [_substance_out(substance) for substance in knowledge.default(_language(language)).search(q[:100])]


@router.get("/substances/{substance_id}", response={200: SubstanceSheetOut, **errors(401, 404, 422)},
            url_name="substance-api", auth=None, summary="One substance's fact sheet, with its sources")
def substance(request, substance_id: str = Path(..., max_length=TEXT_MAX), language: str = LANGUAGE):
    sheet = queries.sheet_for_reader(substance_id, _language(language))
    if sheet is None:
        raise Http404
    groups = {name: {**getattr(sheet, name).values, "sources": [s.key for s in getattr(sheet, name).sources]}
              for name in ("timing", "dose", "risks", "safer_use", "overdose", "drug_checking")}
    return {**_substance_out(sheet), "summary": sheet.summary, "routes": list(sheet.routes), **groups,
            "sources": [source.as_dict() for source in sheet.sources], "language": sheet.language,
            "translation_reviewed": sheet.reviewed, "untranslated": list(sheet.untranslated)}


@router.get("/interactions", response={200: InteractionsOut, 400: InteractionsError, **errors(401, 422)},
            url_name="interactions-api", auth=None, exclude_none=True,
            summary="Every pair among two or more substances: risk, direction, explanation, sources")
def interactions(request, substance: list[Name] = NAMES, q: str = Query("", max_length=MAX_FREE_TEXT),
                 language: str = LANGUAGE):
    """`?substance=a&substance=b` or `?q=benzos, alcohol` (free text, as on the page); both may be combined.
    Names and explanations come in the request's language where translated (`language` to choose)."""
    checker = interaction_rules.default_checker(_language(language))
    names = interaction_rules.split_names([q, *(substance or [])], checker)
    try:
        answer = interaction_rules.ask(checker, names)
    except interaction_rules.CheckError as error:
        if error.unknown:
            return Status(400, {"detail": "Unknown substance name(s).", "unknown": [
                {"name": name, "suggestions": suggestions} for name, suggestions in error.unknown]})
        if len(names) < 2:
            return Status(400, {"detail": "Give at least two different substances: ?substance=a&substance=b "
                                          "or ?q=a, b"})
        return Status(400, {"detail": str(error)})
    return Status(200, answer.as_dict())


@router.get("/interactions/names", response={200: list[str], **errors(401, 422)}, url_name="interaction-names-api",
            auth=None, summary="Every name the interaction checker knows (substances, classes, street and brand names)")
def interaction_names(request, q: str = Query("", max_length=TEXT_MAX)):
    checker = interaction_rules.default_checker(get_language() or "en")
    names = checker.names_for_suggestions()
    wanted = knowledge.name_key(q[:100])
    return [name for name in names if not wanted or knowledge.name_key(name).startswith(wanted)]
