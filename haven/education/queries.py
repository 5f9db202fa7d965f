"""Reads about edited fact sheets, shared by the editor and the public pages."""

from __future__ import annotations

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


def versions(substance_id: str, language: str) -> list[SheetVersion]:
    return list(
        SheetVersion.objects.filter(substance_id=substance_id, language=language)
        .select_related("created_by", "reviewed_by", "published_by")
        .order_by("-number")
    )


def sheet_rows() -> list[dict]:
    """Every sheet with its latest version per language, for the editor's list."""
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
            languages.append(
                {"code": code, "version": version, "published": (substance.id, code) in published}
            )
        rows.append({"substance": substance, "languages": languages})
    return rows


def waiting_for_review() -> list[SheetVersion]:
    return list(
        SheetVersion.objects.filter(status=Status.IN_REVIEW)
        .select_related("created_by")
        .order_by("submitted_at")
    )
