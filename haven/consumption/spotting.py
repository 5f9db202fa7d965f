"""Every write of the remote spotting line: start a call, check-ins, escalations, the end of a call.

A call's timer is stored (`last_check_in_at`, the intervals copied at the start), never kept in a
process: the worker (`jobs.py`) raises each escalation step from those moments, once per step and
cycle (a unique constraint makes a second worker, or a restarted one, a no-op), so killing the
server or the worker loses no timer. What the caller says about themselves is encrypted and erased
when the call ends, unless they ask for it to be kept. These fields are not screened for personal
details as notes are: a call-back number and where to find someone are what they are for.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.consumption import timers
from haven.consumption.models import ConsumptionSettings, SpottingCall, SpottingEscalation
from haven.core.audit import audit_record

LIMITS = {"alias": 60, "callback_number": 40, "location": 500, "using": 300, "contact": 200}
PERSONAL_FIELDS = tuple(LIMITS)


def _require(user) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active or \
            not user.has_role_permission("consumption.spotting"):
        raise PermissionDenied("consumption.spotting")


def _locked_call(call_id) -> SpottingCall:
    call = SpottingCall.objects.select_for_update().filter(pk=call_id).first()
    if call is None:
        raise ValidationError(_("There is no such call."))
    return call


def _require_active(call) -> None:
    if call.ended_at is not None:
        raise ValidationError(_("This call has ended, at %(time)s.")
                              % {"time": timezone.localtime(call.ended_at).strftime("%H:%M")})


@transaction.atomic
def call_start(*, actor, alias, callback_number="", location="", using="", send=SpottingCall.Send.EMS,
               contact="", keep_details=False, now=None, request=None) -> SpottingCall:
    """A caller is on the line: their details (all optional but an alias) and the timer starts."""
    _require(actor)
    now = now or timezone.now()
    values = {"alias": alias, "callback_number": callback_number, "location": location, "using": using,
              "contact": contact}
    values = {field: (value or "").strip() for field, value in values.items()}
    errors: dict = {}
    if not values["alias"]:
        errors["alias"] = [_("Ask what to call the person: any name or word they choose.")]
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            errors[field] = [_("Keep this under %(n)s characters.") % {"n": limit}]
    if send not in SpottingCall.Send.values:
        errors["send"] = [_("Choose who to send if the person stops answering.")]
    elif send in (SpottingCall.Send.CONTACT, SpottingCall.Send.BOTH) and not values["contact"]:
        errors["contact"] = [_("Say who the named contact is and how to reach them, or choose emergency services.")]
    if errors:
        raise ValidationError(errors)
    settings = ConsumptionSettings.current()
    call = SpottingCall.objects.create(
        **values, send=send, keep_details=bool(keep_details),
        check_in_seconds=settings.spotting_check_in_minutes * 60,
        missed_after_seconds=settings.spotting_missed_after_seconds,
        send_help_after_seconds=settings.spotting_send_help_after_seconds,
        started_at=now, started_by=actor, last_check_in_at=now)
    audit_record(actor=actor, action="create", obj=call, request=request,
                 detail={"fields": sorted(field for field, value in values.items() if value), "send": send,
                         "keep_details": call.keep_details})
    return call


@transaction.atomic
def call_check_in(*, actor, call_id, now=None, request=None) -> SpottingCall:
    """The caller answered: the timer starts again, and what was open about them is settled."""
    _require(actor)
    call = _locked_call(call_id)
    _require_active(call)
    now = now or timezone.now()
    open_escalations = SpottingEscalation.objects.filter(call=call, resolved_at__isnull=True)
    settled = list(open_escalations.values_list("pk", flat=True))
    open_escalations.update(resolved_at=now, resolved_by=actor, action=SpottingEscalation.Action.ANSWERED)
    SpottingCall.objects.filter(pk=call.pk).update(last_check_in_at=now, cycle=F("cycle") + 1,
                                                   check_ins=F("check_ins") + 1)
    call.refresh_from_db()
    audit_record(actor=actor, action="update", obj=call, request=request,
                 detail={"fields": ["last_check_in_at"], "escalations_answered": settled})
    return call


@transaction.atomic
def escalation_resolve(*, actor, escalation_id, action, now=None, request=None) -> SpottingEscalation:
    """What the operator did about a missed check-in."""
    _require(actor)
    escalation = SpottingEscalation.objects.select_for_update().filter(pk=escalation_id).first()
    if escalation is None:
        raise ValidationError(_("There is no such escalation."))
    if escalation.resolved_at is not None:
        raise ValidationError(_("This was already recorded: %(action)s.")
                              % {"action": escalation.get_action_display()})
    if action not in SpottingEscalation.Action.values:
        raise ValidationError({"action": [_("Choose what was done.")]})
    now = now or timezone.now()
    escalation.resolved_at, escalation.resolved_by, escalation.action = now, actor, action
    escalation.save(update_fields=["resolved_at", "resolved_by", "action"])
    if action in (SpottingEscalation.Action.SENT_EMS, SpottingEscalation.Action.SENT_BOTH):
        SpottingCall.objects.filter(pk=escalation.call_id).update(ems_dispatched=True)
    audit_record(actor=actor, action="update", obj=escalation, request=request,
                 detail={"fields": ["resolved_at", "action"], "action": action})
    return escalation


@transaction.atomic
def call_end(*, actor, call_id, outcome, now=None, request=None) -> SpottingCall:
    """The call is over. The caller's details are erased unless they asked for them to be kept."""
    _require(actor)
    call = _locked_call(call_id)
    _require_active(call)
    if outcome not in SpottingCall.Outcome.values:
        raise ValidationError({"outcome": [_("Choose how the call ended.")]})
    now = now or timezone.now()
    call.ended_at, call.ended_by, call.outcome = now, actor, outcome
    call.call_seconds = max(int((now - call.started_at).total_seconds()), 0)
    fields = ["ended_at", "ended_by", "outcome", "call_seconds"]
    if not call.keep_details:
        for field in PERSONAL_FIELDS:
            setattr(call, field, "")
        call.details_erased_at = now
        fields += [*PERSONAL_FIELDS, "details_erased_at"]
    call.save(update_fields=fields)
    # Steps still open when the call ends stay on record as they are: what was done is in the outcome.
    audit_record(actor=actor, action="update", obj=call, request=request,
                 detail={"fields": fields, "outcome": outcome, "details_erased": not call.keep_details})
    return call


@transaction.atomic
def call_start_again(*, actor, from_call_id, now=None, request=None) -> SpottingCall:
    """A caller whose details were kept calls again: a new call with the same details."""
    _require(actor)
    previous = SpottingCall.objects.filter(pk=from_call_id).first()
    if previous is None or previous.ended_at is None or not previous.keep_details:
        raise ValidationError(_("That call's details were not kept."))
    return call_start(actor=actor, alias=previous.alias, callback_number=previous.callback_number,
                      location=previous.location, using=previous.using, send=previous.send,
                      contact=previous.contact, keep_details=True, now=now, request=request)


def escalations_raise(*, now=None) -> int:
    """Raise every escalation step that has fallen due on an active call: the worker's job.

    Each call is settled in its own transaction with its row locked, so a check-in made at the same
    moment either comes first (and the step is no longer due) or after (and answers the step).
    Returns how many steps were raised.
    """
    now = now or timezone.now()
    raised = 0
    earliest = SpottingCall.objects.filter(ended_at__isnull=True).values_list("pk", "last_check_in_at",
                                                                              "check_in_seconds")
    for call_id, last_check_in_at, check_in_seconds in earliest:
        if timers.elapsed(last_check_in_at, now).total_seconds() < check_in_seconds:
            continue  # not even due: no transaction
        raised += _raise_for_call(call_id, now)
    return raised


@transaction.atomic
def _raise_for_call(call_id, now) -> int:
    call = SpottingCall.objects.select_for_update().filter(pk=call_id, ended_at__isnull=True).first()
    if call is None:
        return 0
    intervals = {"check_in_seconds": call.check_in_seconds, "missed_after_seconds": call.missed_after_seconds,
                 "send_help_after_seconds": call.send_help_after_seconds}
    moments = timers.spotting_moments(call.last_check_in_at, **intervals)
    raised = 0
    for step in timers.spotting_steps_due(call.last_check_in_at, now, **intervals):
        if SpottingEscalation.objects.filter(call=call, cycle=call.cycle, step=step).exists():
            continue
        try:
            with transaction.atomic():
                escalation = SpottingEscalation.objects.create(call=call, cycle=call.cycle, step=step,
                                                               due_at=moments[step], raised_at=now)
        except IntegrityError:
            continue  # another worker raised it a moment ago: once is enough
        audit_record(actor=None, action="create", obj=escalation,
                     detail={"call": call.pk, "cycle": call.cycle, "step": step})
        raised += 1
    return raised


@transaction.atomic
def spotting_settings_update(*, actor, spotting_check_in_minutes, spotting_missed_after_seconds,
                             spotting_send_help_after_seconds, request=None) -> ConsumptionSettings:
    """How often callers check in and how soon a missed check-in escalates (new calls)."""
    if actor is None or not actor.has_role_permission("consumption.manage"):
        raise PermissionDenied("consumption.manage")
    errors: dict = {}
    if not isinstance(spotting_check_in_minutes, int) or not 1 <= spotting_check_in_minutes <= 15:
        errors["spotting_check_in_minutes"] = [_("Give a number of minutes from 1 to 15.")]
    for field, value in (("spotting_missed_after_seconds", spotting_missed_after_seconds),
                         ("spotting_send_help_after_seconds", spotting_send_help_after_seconds)):
        if not isinstance(value, int) or not 15 <= value <= 600:
            errors[field] = [_("Give a number of seconds from 15 to 600.")]
    if errors:
        raise ValidationError(errors)
    current = ConsumptionSettings.current()
    current.spotting_check_in_minutes = spotting_check_in_minutes
    current.spotting_missed_after_seconds = spotting_missed_after_seconds
    current.spotting_send_help_after_seconds = spotting_send_help_after_seconds
    current.updated_at, current.updated_by = timezone.now(), actor
    current.save()
    audit_record(actor=actor, action="update", obj=current, request=request,
                 detail={"fields": ["spotting_check_in_minutes", "spotting_missed_after_seconds",
                                    "spotting_send_help_after_seconds"]})
    return current
