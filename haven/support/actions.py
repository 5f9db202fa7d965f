"""Every write to support records: validated, transactional and audited.

Audit entries hold ids and field names only, never a note. Notes are screened for other people's
personal details first (screening.py): a flagged note is not saved until the worker edits it or
confirms it is fine as written.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.core.models import AuditEvent
from haven.core.privacy import blind_index
from haven.support.models import (
    SAFETY_PLAN_FIELDS,
    Assignment,
    BreakGlass,
    Disclosure,
    Goal,
    GoalProgress,
    Referral,
    SafetyPlan,
    ShareConsent,
    SupportConsent,
    SupportContact,
)
from haven.support.screening import screen_personal_details

NOTE_MAX_LENGTH = 5000
BREAK_GLASS_HOURS = 2
SHARE_CONSENT_MAX_DAYS = 366
COPY_CODE_PURPOSE = "safety-plan-copy"
COPY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECORD_KINDS = ["goals", "support_contacts", "safety_plans", "referrals"]


class PersonalDetailsFound(ValidationError):
    """A note mentions what looks like someone's phone number, e-mail address or code."""

    def __init__(self, field, findings):
        self.findings = findings
        kinds = sorted({finding.kind for finding in findings})
        super().__init__({field: [ValidationError(
            _("This looks like personal details (%(kinds)s): %(found)s. Remove them if they are someone else's, "
              "or confirm the note is fine as written."),
            code="personal_details",
            params={"kinds": ", ".join(kinds), "found": ", ".join(finding.text for finding in findings)})]})


def _clean_note(field: str, text, *, confirmed: bool, required: bool = False) -> tuple[str | None, list[str]]:
    text = (text or "").strip()
    if not text:
        if required:
            raise ValidationError({field: [_("Write this in the person's words.")]})
        return None, []
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({field: [_("Keep this to %(count)d characters.") % {"count": NOTE_MAX_LENGTH}]})
    findings = screen_personal_details(text)
    if findings and not confirmed:
        raise PersonalDetailsFound(field, findings)
    return text, sorted({finding.kind for finding in findings})


def _ensure_consent(actor, participant) -> SupportConsent:
    consent = SupportConsent.objects.filter(participant=participant, withdrawn_at__isnull=True).first()
    return consent or SupportConsent.objects.create(participant=participant, given_by=actor)


def _usable(participant):
    if participant.merged_into_id is not None:
        raise ValidationError(_("This participant was merged into another one. Record support there."))


@transaction.atomic
def assignment_add(*, actor, participant, staff, request=None) -> Assignment:
    existing = Assignment.objects.filter(participant=participant, staff=staff, ended_at__isnull=True).first()
    if existing:
        return existing
    assignment = Assignment.objects.create(participant=participant, staff=staff, assigned_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=assignment, request=request,
                 detail={"participant": participant.pk, "staff": staff.pk})
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment, request=None) -> None:
    Assignment.objects.filter(pk=assignment.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=assignment, request=request,
                 detail={"fields": ["ended_at"]})


@transaction.atomic
def goal_create(*, actor, participant, text, category="", confirmed=False, request=None) -> Goal:
    """A goal the person sets. Nothing requires one, and no goal is a condition for any service."""
    _usable(participant)
    if category and category not in Goal.Category.values:
        raise ValidationError({"category": [_("Choose a kind of goal from the list, or none.")]})
    text, _flags = _clean_note("text", text, confirmed=confirmed, required=not category)
    _ensure_consent(actor, participant)
    goal = Goal.objects.create(participant=participant, category=category, text=text, created_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=goal, request=request,
                 detail={"participant": participant.pk, "fields": ["category", "text"]})
    return goal


@transaction.atomic
def goal_progress_add(*, actor, goal, note, status="", confirmed=False, request=None) -> GoalProgress | None:
    if status and status not in Goal.Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    note, _flags = _clean_note("note", note, confirmed=confirmed, required=not status)
    progress = None
    if note:
        _ensure_consent(actor, goal.participant)
        progress = GoalProgress.objects.create(goal=goal, note=note, recorded_by=actor)
    if status and status != goal.status:
        goal.status = status
        goal.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=goal, request=request,
                 detail={"fields": [name for name, given in (("progress", note), ("status", status)) if given]})
    return progress


@transaction.atomic
def support_contact_record(*, actor, participant, kind, mode, duration_minutes, note="", site=None,
                           occurred_at=None, confirmed=False, request=None) -> SupportContact:
    _usable(participant)
    if kind not in SupportContact.Kind.values or mode not in SupportContact.Mode.values:
        raise ValidationError(_("Choose the kind of support and how it happened."))
    if not (1 <= int(duration_minutes) <= 24 * 60):
        raise ValidationError({"duration_minutes": [_("Minutes from 1 to 1440.")]})
    note, flags = _clean_note("note", note, confirmed=confirmed)
    if note:
        _ensure_consent(actor, participant)
    contact = SupportContact.objects.create(
        participant=participant, kind=kind, mode=mode, duration_minutes=duration_minutes, note=note, staff=actor,
        site=site, occurred_at=occurred_at or timezone.now(), confirmed_flags=flags)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=contact, request=request,
                 detail={"participant": participant.pk, "fields": ["kind", "mode", "duration_minutes", "note"],
                         "confirmed_flags": flags})
    return contact


@transaction.atomic
def safety_plan_save(*, actor, participant, kind, values: dict, confirmed=False, request=None) -> SafetyPlan:
    _usable(participant)
    if kind not in SAFETY_PLAN_FIELDS:
        raise ValidationError(_("Choose the kind of safety plan."))
    cleaned = {}
    for name in SAFETY_PLAN_FIELDS[kind]:
        cleaned[name], _flags = _clean_note(name, values.get(name), confirmed=confirmed)
    if not any(cleaned.values()):
        raise ValidationError(_("Write at least one part of the plan."))
    _ensure_consent(actor, participant)
    plan, created = SafetyPlan.objects.get_or_create(participant=participant, kind=kind,
                                                     defaults={"updated_by": actor})
    for name, value in cleaned.items():
        setattr(plan, name, value)
    plan.updated_at, plan.updated_by = timezone.now(), actor
    plan.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, obj=plan,
                 request=request, detail={"participant": participant.pk, "fields": sorted(cleaned)})
    return plan


def copy_code_index(code: str) -> str:
    return blind_index("".join(code.split()).upper().replace("-", ""), purpose=COPY_CODE_PURPOSE)


@transaction.atomic
def safety_plan_copy_code(*, actor, plan, request=None) -> str:
    """A new code the person takes away to open their plan; only its keyed hash is kept, the old one stops."""
    raw = "".join(secrets.choice(COPY_CODE_ALPHABET) for _ in range(10))
    plan.copy_code_index = copy_code_index(raw)
    plan.save(update_fields=["copy_code_index"])
    audit_record(actor=actor, action=AuditEvent.Action.SECURITY, obj=plan, request=request,
                 detail={"copy_code": "issued"})
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def break_glass(*, actor, participant, reason, request=None) -> BreakGlass:
    """Read a person's notes without need-to-know, for a reason that coordinators will see."""
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise ValidationError({"reason": [_("Say why you need to read these notes (at least 10 characters).")]})
    entry = BreakGlass.objects.create(participant=participant, user=actor, reason=reason[:1000],
                                      expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS))
    audit_record(actor=actor, action=AuditEvent.Action.SECURITY, obj=entry, request=request,
                 detail={"participant": participant.pk, "break_glass": True})
    return entry


@transaction.atomic
def share_consent_give(*, actor, participant, partner_name, scope, days, organization=None,
                       request=None) -> ShareConsent:
    partner_name = " ".join((partner_name or (organization.name if organization else "")).split())
    if not partner_name:
        raise ValidationError({"partner_name": [_("Name the partner the person agrees to share with.")]})
    if scope not in ShareConsent.Scope.values:
        raise ValidationError({"scope": [_("Choose what the partner may receive.")]})
    if not 1 <= int(days) <= SHARE_CONSENT_MAX_DAYS:
        raise ValidationError({"days": [_("Consent lasts from 1 to %(days)d days.") % {"days": SHARE_CONSENT_MAX_DAYS}]})
    consent = ShareConsent.objects.create(participant=participant, partner_name=partner_name[:300], scope=scope,
                                          organization=organization, given_by=actor,
                                          expires_at=timezone.now() + timedelta(days=int(days)))
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=consent, request=request,
                 detail={"participant": participant.pk, "scope": scope, "days": int(days)})
    return consent


@transaction.atomic
def share_consent_withdraw(*, actor, consent, request=None) -> ShareConsent:
    """Disclosures under this consent stop; referrals that relied on it say so."""
    now = timezone.now()
    ShareConsent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(withdrawn_at=now, withdrawn_by=actor)
    Referral.objects.filter(share_consent=consent, consent_withdrawn_at__isnull=True).update(consent_withdrawn_at=now)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=consent, request=request,
                 detail={"fields": ["withdrawn_at"], "participant": consent.participant_id})
    consent.refresh_from_db()
    return consent


@transaction.atomic
def disclosure_record(*, actor, consent, what, referral=None, request=None) -> Disclosure:
    """Information leaves the program: only under consent in force for this kind of information."""
    consent = ShareConsent.objects.select_for_update().get(pk=consent.pk)
    if not consent.in_force():
        raise ValidationError(_("The person's consent to share with %(partner)s is withdrawn or expired: "
                                "nothing is shared.") % {"partner": consent.partner_name})
    if what != consent.scope:
        raise ValidationError(_("The person agreed to share something else with this partner."))
    disclosure = Disclosure.objects.create(participant_id=consent.participant_id, consent=consent, referral=referral,
                                           partner_name=consent.partner_name, what=what, disclosed_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, obj=disclosure, request=request,
                 detail={"participant": consent.participant_id, "what": what, "consent": consent.pk})
    return disclosure


@transaction.atomic
def referral_make(*, actor, participant, consent_given: bool, service=None, place="", category="", wants="",
                  handoff_note="", follow_up_on=None, site=None, confirmed=False, request=None) -> Referral:
    """A referral the person agreed to, to a directory service or a place in free text."""
    from haven.directory import queries as directory_queries
    from haven.directory import vocabulary

    _usable(participant)
    if not consent_given:
        raise ValidationError({"consent_given": [_("Only refer with the person's agreement. Ask them first.")]})
    place = " ".join((place or "").split())[:300]
    if service is not None:
        current = directory_queries.referable_services().filter(pk=service.pk).first()
        if current is None:
            raise ValidationError({"service": [_("This service is no longer in the directory (closed or removed). "
                                                 "Choose another, or type the place.")]})
        service = current
        category = category or directory_queries.category_of(service)
    elif not place:
        raise ValidationError({"service": [_("Choose a service from the directory, or type the place.")]})
    if category and category not in vocabulary.CATEGORY_CODES:
        raise ValidationError({"category": [_("Choose a kind of service from the list.")]})
    wants, _flags = _clean_note("wants", wants, confirmed=confirmed)
    handoff_note, _flags = _clean_note("handoff_note", handoff_note, confirmed=confirmed)
    if wants or handoff_note:
        _ensure_consent(actor, participant)
    now = timezone.now()
    referral = Referral.objects.create(
        participant=participant, service=service, service_name=service.name if service else "", place=place,
        category=category or "other", wants=wants, handoff_note=handoff_note, consent_given_at=now,
        follow_up_on=follow_up_on, made_by=actor, site=site, offered_at=now)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=referral, request=request,
                 detail={"participant": participant.pk, "service": str(service.pk) if service else None,
                         "fields": ["category", "wants", "handoff_note", "follow_up_on"]})
    return referral


# Which status may follow which. Declined and closed are endings; nothing is ever "non-compliant".
NEXT_STATUSES = {
    Referral.Status.OFFERED: {Referral.Status.ACCEPTED, Referral.Status.DECLINED},
    Referral.Status.ACCEPTED: {Referral.Status.CONTACTED, Referral.Status.CONNECTED, Referral.Status.CLOSED,
                               Referral.Status.DECLINED},
    Referral.Status.CONTACTED: {Referral.Status.CONNECTED, Referral.Status.CLOSED, Referral.Status.DECLINED},
    Referral.Status.CONNECTED: {Referral.Status.CLOSED},
    Referral.Status.DECLINED: set(),
    Referral.Status.CLOSED: set(),
}


@transaction.atomic
def referral_status_set(*, actor, referral, status, outcome="", follow_up_on=None, confirmed=False,
                        request=None) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in NEXT_STATUSES.get(referral.status, set()):
        raise ValidationError({"status": [_("A referral that is “%(now)s” cannot become “%(next)s”.") % {
            "now": referral.get_status_display(), "next": dict(Referral.Status.choices).get(status, status)}]})
    outcome, _flags = _clean_note("outcome", outcome, confirmed=confirmed)
    now = timezone.now()
    referral.status = status
    setattr(referral, f"{status}_at", now)
    fields = ["status", f"{status}_at"]
    if outcome:
        referral.outcome = outcome
        fields.append("outcome")
    if follow_up_on is not None:
        referral.follow_up_on = follow_up_on
        fields.append("follow_up_on")
    referral.save(update_fields=fields)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=referral, request=request,
                 detail={"fields": fields, "status": status})
    return referral


@transaction.atomic
def referral_share_handoff(*, actor, referral, consent, request=None) -> Disclosure:
    """Send the warm hand-off note to the partner under the person's consent, and list the disclosure."""
    if not referral.handoff_note:
        raise ValidationError(_("There is no hand-off note to share."))
    if consent.participant_id != referral.participant_id:
        raise ValidationError(_("This consent is another person's."))
    disclosure = disclosure_record(actor=actor, consent=consent, what=ShareConsent.Scope.HANDOFF, referral=referral,
                                   request=request)
    Referral.objects.filter(pk=referral.pk).update(share_consent=consent)
    return disclosure


@transaction.atomic
def support_consent_withdraw(*, actor, participant, request=None) -> SupportConsent | None:
    """The person withdraws consent: their notes and plans are erased, except the kinds the program must
    keep by law (settings.HAVEN_SUPPORT_KEEP_BY_LAW); every consent to share ends with it."""
    keep = [kind for kind in getattr(settings, "HAVEN_SUPPORT_KEEP_BY_LAW", []) if kind in RECORD_KINDS]
    now = timezone.now()
    erased = []
    if "goals" not in keep:
        goals = Goal.objects.filter(participant=participant)
        GoalProgress.objects.filter(goal__in=goals).update(note=None)
        goals.update(text=None)
        erased.append("goals")
    if "support_contacts" not in keep:
        SupportContact.objects.filter(participant=participant).update(note=None)
        erased.append("support_contacts")
    if "safety_plans" not in keep:
        SafetyPlan.objects.filter(participant=participant).delete()
        erased.append("safety_plans")
    if "referrals" not in keep:
        Referral.objects.filter(participant=participant).update(wants=None, outcome=None, handoff_note=None)
        erased.append("referrals")
    for consent in ShareConsent.objects.filter(participant=participant, withdrawn_at__isnull=True):
        share_consent_withdraw(actor=actor, consent=consent, request=request)
    consent = SupportConsent.objects.filter(participant=participant, withdrawn_at__isnull=True).first()
    if consent is None:
        consent = SupportConsent.objects.create(participant=participant, given_by=actor)
    consent.withdrawn_at, consent.withdrawn_by, consent.kept_by_law = now, actor, keep
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "kept_by_law"])
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, obj=consent, request=request,
                 detail={"participant": participant.pk, "erased": erased, "kept_by_law": keep})
    return consent
