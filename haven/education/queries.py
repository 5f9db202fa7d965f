"""Reads about edited fact sheets, shared by the editor and the public pages."""

from __future__ import annotations

import dataclasses

from django.conf import settings

from haven.education import knowledge
from haven.education.models import SheetVersion

Status = SheetVersion.Status


def published_sheet(substance_id: str, language: str = "en") -> knowledge.Substance | None:
    """The published edit of a sheet in a language, parsed; None when nobody has published one (the
    data file's sheet is then shown) or when the data files changed so that it no longer validates."""
    version = (
        SheetVersion.objects.filter(substance_id=substance_id, language=language, status=Status.PUBLISHED)
        .only("content")
        .first()
    )
    if version is None:
        return None
    try:
        return knowledge.parse_sheet(version.content, knowledge.default(), substance_id)
    except knowledge.KnowledgeError:
        return None


def sheet_for_reader(substance_id: str, language: str) -> knowledge.Substance | None:
    """The sheet a reader of a language sees, best first: the version published in the editor in that
    language (reviewed by a second person); the data files' translation (`reviewed` False: it awaits a
    native speaker's review); the English published version; the English data file (`language` "en",
    so the page says it is not yet translated). None for an unknown id."""
    language = (language or "en")[:2]
    if language != "en":
        published = published_sheet(substance_id, language)
        if published is not None:
            return dataclasses.replace(published, language=language, reviewed=True)
        seed = knowledge.default(language).substances.get(substance_id)
        if seed is not None and seed.language == language:
            return seed
    english = knowledge.default().substances.get(substance_id)
    if english is None:
        return None
    return published_sheet(substance_id, "en") or english


def versions(substance_id: str, language: str) -> list[SheetVersion]:
    return list(
        SheetVersion.objects.filter(substance_id=substance_id, language=language)
        .select_related("created_by", "reviewed_by", "published_by")
        .order_by("-number")
    )


def sheet_rows() -> list[dict]:
    """Every sheet with its latest version per language, for the editor's list; `seed` marks a language
    whose text comes from the data files' translation, not yet reviewed in the editor."""
    latest: dict[tuple[str, str], SheetVersion] = {}
    published: set[tuple[str, str]] = set()
    for version in SheetVersion.objects.only("substance_id", "language", "number", "status").order_by(
        "number"
    ):
        latest[(version.substance_id, version.language)] = version
        if version.status == Status.PUBLISHED:
            published.add((version.substance_id, version.language))
    rows = []
    for substance in knowledge.default().sorted():
        languages = []
        for code, _name in settings.LANGUAGES:
            version = latest.get((substance.id, code))
            is_published = (substance.id, code) in published
            languages.append({
                "code": code, "version": version, "published": is_published,
                "seed": code != "en" and not is_published and knowledge.has_translation(substance.id, code),
            })
        rows.append({"substance": substance, "languages": languages})
    return rows


def waiting_for_review() -> list[SheetVersion]:
    return list(
        SheetVersion.objects.filter(status=Status.IN_REVIEW)
        .select_related("created_by")
        .order_by("submitted_at")
    )
