"""Every write to edited fact sheets: save a draft, submit it, review it (a second person), publish it,
revert to an earlier version. Each is atomic and audited; the audit detail holds ids and field names."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from haven.core.audit import audit_record
from haven.education import knowledge
from haven.education.models import LANGUAGES, SheetVersion

Status = SheetVersion.Status
LANGUAGE_CODES = {code for code, _label in LANGUAGES}
_CHECKERS: dict = {}  # one language checker per language, built on first use


def sheet_check(*, substance_id: str, content: str, language: str) -> tuple[knowledge.Substance, list[dict]]:
    """The sheet parsed and validated like the data files, and the language checker's findings on its prose.
    Raises ValidationError with the loader's message when the sheet is not valid."""
    from haven.language.checker import Checker
    from haven.language.rules import LANGUAGE_RULES

    try:
        substance = knowledge.parse_sheet(content, knowledge.default(), substance_id)
    except knowledge.KnowledgeError as error:
        raise ValidationError(
            str(error).replace(f"{knowledge.EDITOR_PATH}: ", ""), code="invalid_sheet"
        ) from None
    checker = _CHECKERS.get(language)
    if checker is None:
        checker = _CHECKERS[language] = Checker(rules_paths=[LANGUAGE_RULES[language]])
    findings = [
        {
            "text": finding.text,
            "rule": finding.rule,
            "severity": finding.severity,
            "suggestions": finding.suggestions,
            "in": text[:120],
        }
        for text in knowledge.sheet_texts(substance)
        for finding in checker.check(text)
    ]
    return substance, findings


@transaction.atomic
def sheet_draft_save(
    *,
    actor,
    substance_id: str,
    language: str,
    content: str,
    note: str = "",
    version: SheetVersion | None = None,
    based_on: SheetVersion | None = None,
    request=None,
) -> SheetVersion:
    """Save a draft: a new version, or the same draft again while it is still a draft."""
    if substance_id not in knowledge.default().substances:
        raise ValidationError(f"No fact sheet has the id {substance_id!r}.", code="unknown_sheet")
    if language not in LANGUAGE_CODES:
        raise ValidationError(f"Choose a language: {', '.join(sorted(LANGUAGE_CODES))}.", code="language")
    content = content.replace("\r\n", "\n").strip() + "\n"
    _substance, findings = sheet_check(substance_id=substance_id, content=content, language=language)
    if version is not None:
        version = SheetVersion.objects.select_for_update().get(pk=version.pk)
        if not version.is_editable:
            raise ValidationError(
                "This version is no longer a draft; start a new draft from it.", code="not_draft"
            )
        version.content, version.note, version.language_findings = content, note[:300], findings
        version.status = Status.DRAFT
        version.save()
        audit_record(
            actor=actor,
            action="update",
            obj=version,
            request=request,
            detail={"fields": ["content", "note", "language_findings"], "substance": substance_id},
        )
        return version
    number = (
        SheetVersion.objects.select_for_update()
        .filter(substance_id=substance_id, language=language)
        .aggregate(top=Max("number"))["top"]
        or 0
    ) + 1
    version = SheetVersion.objects.create(
        substance_id=substance_id,
        language=language,
        number=number,
        content=content,
        note=note[:300],
        based_on=based_on,
        language_findings=findings,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="create",
        obj=version,
        request=request,
        detail={
            "fields": ["content", "note"],
            "substance": substance_id,
            "language": language,
            "number": number,
        },
    )
    return version


@transaction.atomic
def sheet_submit(*, actor, version: SheetVersion, request=None) -> SheetVersion:
    """Ask for review. A draft with language findings marked as errors cannot be submitted."""
    version = SheetVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError("Only a draft can be submitted for review.", code="not_draft")
    if version.blocking_findings:
        words = ", ".join(sorted({f["text"] for f in version.blocking_findings}))
        raise ValidationError(f"Change the words the language check flagged first: {words}.", code="language")
    version.status, version.submitted_at = Status.IN_REVIEW, timezone.now()
    version.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=version,
        request=request,
        detail={"event": "submitted", "fields": ["status", "submitted_at"]},
    )
    return version


@transaction.atomic
def sheet_review(
    *, actor, version: SheetVersion, approve: bool, note: str = "", request=None
) -> SheetVersion:
    """A second person approves the version or asks for changes (with a note saying which)."""
    version = SheetVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.IN_REVIEW:
        raise ValidationError("This version is not waiting for review.", code="not_in_review")
    if version.created_by_id == actor.pk:
        raise ValidationError("A second person must review: you wrote this version.", code="same_person")
    if not approve and not note.strip():
        raise ValidationError("Say what needs to change.", code="note_required")
    version.status = Status.APPROVED if approve else Status.CHANGES_REQUESTED
    version.reviewed_by, version.reviewed_at, version.review_note = actor, timezone.now(), note.strip()
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=version,
        request=request,
        detail={
            "event": "approved" if approve else "changes requested",
            "fields": ["status", "reviewed_by", "reviewed_at", "review_note"],
        },
    )
    return version


@transaction.atomic
def sheet_publish(*, actor, version: SheetVersion, request=None) -> SheetVersion:
    """Publish an approved version; the version published before it for that language is retired."""
    version = SheetVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.APPROVED:
        raise ValidationError("Only an approved version can be published.", code="not_approved")
    sheet_check(substance_id=version.substance_id, content=version.content, language=version.language)
    previous = list(
        SheetVersion.objects.select_for_update().filter(
            substance_id=version.substance_id, language=version.language, status=Status.PUBLISHED
        )
    )
    for old in previous:
        old.status = Status.RETIRED
        old.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=old,
            request=request,
            detail={"event": "retired", "fields": ["status"], "replaced_by": version.pk},
        )
    version.status, version.published_by, version.published_at = Status.PUBLISHED, actor, timezone.now()
    version.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=version,
        request=request,
        detail={"event": "published", "fields": ["status", "published_by", "published_at"]},
    )
    return version


@transaction.atomic
def sheet_revert(*, actor, version: SheetVersion, request=None) -> SheetVersion:
    """Start a new draft holding an earlier version's text; it is reviewed like any edit."""
    return sheet_draft_save(
        actor=actor,
        substance_id=version.substance_id,
        language=version.language,
        content=version.content,
        note=f"Back to version {version.number}",
        based_on=version,
        request=request,
    )
