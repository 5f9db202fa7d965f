"""Every write to housing records: validated, transactional and audited (ids and field names only).

Holding a bed is concurrency-safe: the bed row is locked (select_for_update; on SQLite every
transaction is BEGIN IMMEDIATE) and the database allows one active hold per bed, so of two people
holding the last bed at once, one wins and the other gets BedTaken.
"""

from __future__ import annotations

import datetime
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.core.freetext import refuse_personal_details
from haven.core.models import AuditEvent
from haven.core.privacy import blind_index
from haven.housing import vocabulary
from haven.housing.models import (
    HMIS_IDENTIFIERS,
    RETENTION_MONTHS,
    Application,
    Bed,
    BedHold,
    CheckIn,
    HmisConsent,
    HousingStatus,
    Journey,
    Property,
    RetentionCheck,
    Task,
    TenancyFlag,
)

MAX_HOLD_HOURS = 48
STEPS_CODE_PURPOSE = "housing-steps-copy"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DOCUMENT_FIELDS = {"id": "id_ready_on", "income": "income_ready_on", "references": "references_ready_on"}


class BedTaken(ValidationError):
    """Someone else holds (or just held) this bed."""

    def __init__(self):
        super().__init__(_("Someone else just held this bed, or it is no longer available. Choose another one."),
                         code="bed_taken")


def _require(actor, permission):
    if actor is not None and not actor.has_role_permission(permission):
        raise PermissionDenied(permission)


def _usable(participant):
    if participant.merged_into_id is not None:
        raise ValidationError(_("This participant was merged into another one. Record housing there."))


def _date(value, field) -> datetime.date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value > timezone.localdate():
        raise ValidationError({field: [_("This date is in the future.")]})
    return value


# Housing status ---------------------------------------------------------------------------------

@transaction.atomic
def status_record(*, actor, participant, kind, living_situation, length_of_stay=None, information_date=None,
                  site=None, same_as_before=False, request=None) -> HousingStatus:
    """The person's living situation in HMIS codes, only if they choose to say (they may say they prefer not)."""
    _usable(participant)
    if kind not in HousingStatus.Kind.values:
        raise ValidationError({"kind": [_("Choose prior or current living situation.")]})
    situations = vocabulary.hmis_list("PriorLivingSituation" if kind == HousingStatus.Kind.PRIOR
                                      else "CurrentLivingSituation")
    try:
        living_situation = int(living_situation)
    except (TypeError, ValueError):
        living_situation = None
    if living_situation not in situations:
        raise ValidationError({"living_situation": [_("Choose a living situation from the list.")]})
    if length_of_stay in ("", None):
        length_of_stay = None
    else:
        length_of_stay = int(length_of_stay)
        if length_of_stay not in vocabulary.hmis_list("ResidencePriorLengthOfStay"):
            raise ValidationError({"length_of_stay": [_("Choose a length of stay from the list.")]})
    status = HousingStatus.objects.create(
        participant=participant, kind=kind, living_situation=living_situation, length_of_stay=length_of_stay,
        information_date=_date(information_date, "information_date"), recorded_by=actor, site=site,
        same_as_before=same_as_before)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=status, request=request,
                 detail={"participant": participant.pk, "fields": ["living_situation", "length_of_stay"],
                         "same_as_before": same_as_before})
    return status


def status_same_as_last(*, actor, participant, site=None, request=None) -> HousingStatus:
    """One tap: the person says nothing changed since the last time."""
    last = HousingStatus.objects.filter(participant=participant).order_by("-information_date", "-recorded_at").first()
    if last is None:
        raise ValidationError(_("There is no earlier housing status to repeat."))
    situations = vocabulary.hmis_list("CurrentLivingSituation")
    if last.living_situation not in situations:
        raise ValidationError(_("The last answer cannot be repeated as a current living situation; choose one."))
    return status_record(actor=actor, participant=participant, kind=HousingStatus.Kind.CURRENT,
                         living_situation=last.living_situation, length_of_stay=last.length_of_stay, site=site,
                         same_as_before=True, request=request)


# Properties, beds, holds -------------------------------------------------------------------------

def _clean_low_barrier(codes) -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    unknown = [code for code in codes if code not in vocabulary.LOW_BARRIER_CODES]
    if unknown:
        raise ValidationError({"low_barrier": [_("Choose low-barrier attributes from the list.")]})
    return codes


@transaction.atomic
def property_save(*, actor, site, name, kind, prop=None, address="", phone="", low_barrier=(), gender_policy="all",
                  organization=None, request=None) -> Property:
    _require(actor, "housing.manage")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Name the place.")]})
    if kind not in Property.Kind.values:
        raise ValidationError({"kind": [_("Choose the kind of place.")]})
    if gender_policy not in Property.GenderPolicy.values:
        raise ValidationError({"gender_policy": [_("Choose who can stay.")]})
    created = prop is None
    prop = prop or Property()
    prop.name, prop.kind, prop.site, prop.organization = name[:120], kind, site, organization
    prop.address, prop.phone = (address or "").strip()[:500] or None, (phone or "").strip()[:40]
    prop.low_barrier, prop.gender_policy = _clean_low_barrier(low_barrier), gender_policy
    prop.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, obj=prop,
                 request=request, detail={"fields": ["name", "kind", "site", "address", "low_barrier"]})
    return prop


@transaction.atomic
def bed_add(*, actor, prop, label, request=None) -> Bed:
    _require(actor, "housing.manage")
    label = " ".join((label or "").split())[:40]
    if not label:
        raise ValidationError({"label": [_("Name the bed or unit, for example “Bed 4” or “Unit 2B”.")]})
    if Bed.objects.filter(property=prop, label=label).exists():
        raise ValidationError({"label": [_("This place already has a bed or unit with this name.")]})
    bed = Bed.objects.create(property=prop, label=label)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=bed, request=request, detail={"property": prop.pk})
    return bed


def _expire_holds(bed_ids, now):
    BedHold.objects.filter(bed_id__in=bed_ids, active=True, expires_at__lte=now).update(
        active=False, ended_at=now, outcome=BedHold.Outcome.EXPIRED)


@transaction.atomic
def bed_status_set(*, bed, status, actor=None, partner=None, request=None) -> Bed:
    """Staff, or a partner with its own token for a place it runs, say whether a bed is free."""
    if partner is not None and (bed.property.organization_id is None
                                or bed.property.organization_id != partner.organization_id):
        raise PermissionDenied(_("A partner token may only update the beds of the places its organization runs."))
    if partner is None:
        _require(actor, "housing.record")
    if status not in Bed.Status.values:
        raise ValidationError({"status": [_("Choose available, occupied or closed.")]})
    bed = Bed.objects.select_for_update().get(pk=bed.pk)
    bed.status, bed.updated_at = status, timezone.now()
    bed.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=bed, request=request,
                 detail={"fields": ["status"], "partner": partner.pk if partner else None})
    return bed


def bed_hold(*, actor, bed, hours, participant=None, request=None) -> BedHold:
    """Hold a free bed for a person for `hours`: one action. Of two at once, one wins; the other gets BedTaken."""
    _require(actor, "housing.record")
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        hours = 0
    if not 1 <= hours <= MAX_HOLD_HOURS:
        raise ValidationError({"hours": [_("Hold a bed for 1 to %(max)d hours.") % {"max": MAX_HOLD_HOURS}]})
    if participant is not None:
        _usable(participant)
    try:
        with transaction.atomic():
            now = timezone.now()
            locked = Bed.objects.select_for_update().select_related("property").get(pk=bed.pk)
            _expire_holds([locked.pk], now)
            if (locked.status != Bed.Status.AVAILABLE or not locked.property.active
                    or BedHold.objects.filter(bed=locked, active=True).exists()):
                raise BedTaken()
            hold = BedHold.objects.create(bed=locked, participant=participant, held_by=actor, held_at=now,
                                          expires_at=now + timedelta(hours=hours))
            audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=hold, request=request,
                         detail={"bed": locked.pk, "hours": hours,
                                 "participant": participant.pk if participant else None})
    except IntegrityError as error:
        # The other transaction committed its hold between our check and our insert.
        raise BedTaken() from error
    return hold


@transaction.atomic
def hold_end(*, actor, hold, outcome, request=None) -> BedHold:
    """The person arrived (the bed is then occupied), or the hold is released early."""
    _require(actor, "housing.record")
    if outcome not in (BedHold.Outcome.USED, BedHold.Outcome.RELEASED):
        raise ValidationError(_("Say whether the person arrived or the hold is released."))
    hold = BedHold.objects.select_for_update().get(pk=hold.pk)
    if not hold.active:
        raise ValidationError(_("This hold has already ended."))
    hold.active, hold.ended_at, hold.outcome = False, timezone.now(), outcome
    hold.save(update_fields=["active", "ended_at", "outcome"])
    if outcome == BedHold.Outcome.USED:
        Bed.objects.filter(pk=hold.bed_id).update(status=Bed.Status.OCCUPIED, updated_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=hold, request=request,
                 detail={"fields": ["outcome"], "outcome": outcome})
    return hold


# Navigation ---------------------------------------------------------------------------------------

@transaction.atomic
def journey_start(*, actor, participant, site, assessed_on=None, request=None) -> Journey:
    """Start housing navigation with a needs assessment. There is one open journey per person."""
    _require(actor, "housing.record")
    _usable(participant)
    if Journey.objects.filter(participant=participant, closed_on__isnull=True).exists():
        raise ValidationError(_("This person already has an open housing journey."))
    journey = Journey.objects.create(participant=participant, site=site, navigator=actor,
                                     assessed_on=_date(assessed_on, "assessed_on"))
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=journey, request=request,
                 detail={"participant": participant.pk, "fields": ["assessed_on"]})
    return journey


def _open(journey):
    if journey.closed_on is not None:
        raise ValidationError(_("This housing journey is closed."))


@transaction.atomic
def documents_ready(*, actor, journey, document, on=None, request=None) -> Journey:
    _require(actor, "housing.record")
    _open(journey)
    if document not in DOCUMENT_FIELDS:
        raise ValidationError({"document": [_("Choose ID, proof of income or references.")]})
    setattr(journey, DOCUMENT_FIELDS[document], _date(on, "on"))
    journey.save(update_fields=[DOCUMENT_FIELDS[document]])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=journey, request=request,
                 detail={"fields": [DOCUMENT_FIELDS[document]]})
    return journey


@transaction.atomic
def application_add(*, actor, journey, where, applied_on=None, request=None) -> Application:
    _require(actor, "housing.record")
    _open(journey)
    where = " ".join((where or "").split())[:200]
    if not where:
        raise ValidationError({"where": [_("Say which housing program or landlord.")]})
    refuse_personal_details({"where": where}, guess_names=False)  # program and landlord names are proper nouns
    applied_on = _date(applied_on, "applied_on")
    if journey.assessed_on and applied_on < journey.assessed_on:
        raise ValidationError({"applied_on": [_("The application date is before the needs assessment.")]})
    application = Application.objects.create(journey=journey, where=where, applied_on=applied_on)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=application, request=request,
                 detail={"journey": journey.pk})
    return application


@transaction.atomic
def matched(*, actor, journey, on=None, prop=None, request=None) -> Journey:
    _require(actor, "housing.record")
    _open(journey)
    journey.matched_on, journey.matched_property = _date(on, "on"), prop
    journey.save(update_fields=["matched_on", "matched_property"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=journey, request=request,
                 detail={"fields": ["matched_on", "matched_property"]})
    return journey


@transaction.atomic
def move_in(*, actor, journey, on, request=None) -> Journey:
    """Moved in. The date cannot come before the first application or the assessment; reminders for the
    3-, 6- and 12-month retention check-ins are set."""
    _require(actor, "housing.record")
    _open(journey)
    on = _date(on, "moved_in_on")
    first = journey.applications.order_by("applied_on").first()
    if first is not None and on < first.applied_on:
        raise ValidationError({"moved_in_on": [_(
            "The move-in date (%(move_in)s) is before the application (%(applied)s). Check both dates.") % {
            "move_in": on.isoformat(), "applied": first.applied_on.isoformat()}]})
    if journey.assessed_on and on < journey.assessed_on:
        raise ValidationError({"moved_in_on": [_("The move-in date is before the needs assessment.")]})
    journey.moved_in_on = on
    journey.save(update_fields=["moved_in_on"])
    for months in RETENTION_MONTHS:
        Task.objects.create(journey=journey, title=_("Check in: still housed at %(months)d months?") % {
            "months": months}, due_on=add_months(on, months), created_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=journey, request=request,
                 detail={"fields": ["moved_in_on"]})
    return journey


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def retention_check(*, actor, journey, months, still_housed, checked_on=None, lost_reason="",
                    request=None) -> RetentionCheck:
    _require(actor, "housing.record")
    months = int(months)
    if months not in RETENTION_MONTHS:
        raise ValidationError({"months": [_("Retention is checked at 3, 6 or 12 months.")]})
    if journey.moved_in_on is None:
        raise ValidationError(_("Record the move-in first."))
    checked_on = _date(checked_on, "checked_on")
    if checked_on < journey.moved_in_on:
        raise ValidationError({"checked_on": [_("The check is before the move-in.")]})
    if RetentionCheck.objects.filter(journey=journey, months=months).exists():
        raise ValidationError({"months": [_("This retention check is already recorded.")]})
    check = RetentionCheck.objects.create(journey=journey, months=months, checked_on=checked_on,
                                          still_housed=bool(still_housed), checked_by=actor)
    Task.objects.filter(journey=journey, done_at__isnull=True, due_on=add_months(journey.moved_in_on, months)).update(
        done_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=check, request=request,
                 detail={"journey": journey.pk, "months": months})
    if not still_housed and journey.lost_on is None:
        housing_lost(actor=actor, journey=journey, on=checked_on, reason=lost_reason or Journey.LostReason.OTHER,
                     request=request)
    return check


@transaction.atomic
def housing_lost(*, actor, journey, on, reason, destination=None, request=None) -> Journey:
    """The person lost their housing, and why; the journey stays open so navigation can start again."""
    _require(actor, "housing.record")
    if journey.moved_in_on is None:
        raise ValidationError(_("Record the move-in first."))
    if reason not in Journey.LostReason.values:
        raise ValidationError({"reason": [_("Choose why from the list.")]})
    on = _date(on, "on")
    if on < journey.moved_in_on:
        raise ValidationError({"on": [_("The date is before the move-in.")]})
    if destination not in (None, ""):
        destination = int(destination)
        if destination not in vocabulary.hmis_list("Destination"):
            raise ValidationError({"destination": [_("Choose where the person went from the list.")]})
    journey.lost_on, journey.lost_reason, journey.destination = on, reason, destination or None
    journey.save(update_fields=["lost_on", "lost_reason", "destination"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=journey, request=request,
                 detail={"fields": ["lost_on", "lost_reason", "destination"]})
    return journey


@transaction.atomic
def journey_close(*, actor, journey, on=None, destination=None, request=None) -> Journey:
    _require(actor, "housing.record")
    _open(journey)
    if destination not in (None, ""):
        destination = int(destination)
        if destination not in vocabulary.hmis_list("Destination"):
            raise ValidationError({"destination": [_("Choose where the person went from the list.")]})
    journey.closed_on, journey.destination = _date(on, "on"), destination or journey.destination
    journey.save(update_fields=["closed_on", "destination"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=journey, request=request,
                 detail={"fields": ["closed_on", "destination"]})
    return journey


@transaction.atomic
def task_add(*, actor, journey, title, due_on, request=None) -> Task:
    _require(actor, "housing.record")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": [_("Say what to do.")]})
    if len(title) > 300:
        raise ValidationError({"title": [_("Keep this to 300 characters.")]})
    refuse_personal_details({"title": title})
    if due_on is None:
        raise ValidationError({"due_on": [_("Give a due date.")]})
    task = Task.objects.create(journey=journey, title=title, due_on=due_on, created_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=task, request=request,
                 detail={"journey": journey.pk, "fields": ["title", "due_on"]})
    return task


@transaction.atomic
def task_done(*, actor, task, request=None) -> Task:
    _require(actor, "housing.record")
    Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=task, request=request, detail={"fields": ["done_at"]})
    task.refresh_from_db()
    return task


def steps_code_index(code: str) -> str:
    return blind_index("".join(code.split()).upper().replace("-", ""), purpose=STEPS_CODE_PURPOSE)


@transaction.atomic
def steps_copy_code(*, actor, journey, request=None) -> str:
    """A code the person takes away to see their own steps; only its keyed hash is kept, the old one stops."""
    _require(actor, "housing.record")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    journey.steps_code_index = steps_code_index(raw)
    journey.save(update_fields=["steps_code_index"])
    audit_record(actor=actor, action=AuditEvent.Action.SECURITY, obj=journey, request=request,
                 detail={"steps_code": "issued"})
    return f"{raw[:5]}-{raw[5:]}"


# Keeping housing: check-ins and agreed flags, linked to support ------------------------------------

@transaction.atomic
def check_in(*, actor, journey, mode, duration_minutes, note="", confirmed=False, site=None, request=None) -> CheckIn:
    """A check-in after move-in, recorded as a support contact (haven/support) so support sees it too."""
    from haven.support.actions import support_contact_record
    from haven.support.models import SupportContact

    _require(actor, "housing.record")
    if journey.moved_in_on is None:
        raise ValidationError(_("Check-ins start after the move-in."))
    contact = support_contact_record(actor=actor, participant=journey.participant,
                                     kind=SupportContact.Kind.NAVIGATION, mode=mode,
                                     duration_minutes=duration_minutes, note=note, confirmed=confirmed, site=site,
                                     request=request)
    entry = CheckIn.objects.create(journey=journey, support_contact=contact, staff=actor,
                                   on=timezone.localdate())
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=entry, request=request,
                 detail={"journey": journey.pk, "support_contact": contact.pk})
    return entry


@transaction.atomic
def flag_raise(*, actor, journey, kind, person_agreed, referral=None, support_contact=None,
               request=None) -> TenancyFlag:
    """A flag the person agreed to, so that support can help keep the home; never without their agreement."""
    _require(actor, "housing.record")
    if not person_agreed:
        raise ValidationError({"person_agreed": [_("Flag this only if the person agrees.")]})
    if kind not in TenancyFlag.Kind.values:
        raise ValidationError({"kind": [_("Choose a flag from the list.")]})
    for linked in (referral, support_contact):
        if linked is not None and linked.participant_id != journey.participant_id:
            raise ValidationError(_("Link only this person's own referrals and support contacts."))
    flag = TenancyFlag.objects.create(journey=journey, kind=kind, referral=referral, support_contact=support_contact,
                                      raised_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=flag, request=request,
                 detail={"journey": journey.pk, "kind": kind, "referral": referral.pk if referral else None})
    return flag


@transaction.atomic
def flag_resolve(*, actor, flag, request=None) -> TenancyFlag:
    _require(actor, "housing.record")
    TenancyFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(resolved_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=flag, request=request,
                 detail={"fields": ["resolved_at"]})
    flag.refresh_from_db()
    return flag


# Consent to the HMIS --------------------------------------------------------------------------------

@transaction.atomic
def hmis_consent_give(*, actor, participant, identifiers: dict | None = None, request=None) -> HmisConsent:
    """The person agrees that their housing records go to the HMIS, with only the identifiers they chose."""
    _require(actor, "housing.consent")
    _usable(participant)
    identifiers = {key: " ".join(str(value).split())[:50] for key, value in (identifiers or {}).items()
                   if key in HMIS_IDENTIFIERS and value not in (None, "")}
    if "DOB" in identifiers:
        try:
            born = datetime.date.fromisoformat(identifiers["DOB"])
        except ValueError:
            raise ValidationError({"DOB": [_("Give the date of birth as YYYY-MM-DD, or leave it out.")]}) from None
        if not datetime.date(1900, 1, 1) <= born <= timezone.localdate():
            raise ValidationError({"DOB": [_("This date of birth is not possible.")]})
    HmisConsent.objects.filter(participant=participant, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=actor)
    consent = HmisConsent.objects.create(participant=participant, identifiers=identifiers, given_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=consent, request=request,
                 detail={"participant": participant.pk, "identifiers": sorted(identifiers)})
    return consent


@transaction.atomic
def hmis_consent_withdraw(*, actor, participant, request=None) -> int:
    """Withdrawn: no later export carries this person; the identifiers they gave are erased."""
    _require(actor, "housing.consent")
    count = HmisConsent.objects.filter(participant=participant, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=actor, identifiers=None)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, object_type="housing.hmisconsent",
                 object_id=participant.pk, request=request, detail={"participant": participant.pk, "withdrawn": count})
    return count
