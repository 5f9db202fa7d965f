"""Every write of the supervised consumption site: check-in, check, check-out, medical response.

Each action is atomic, audited, and adds one to the site's board version so every open board
sees the change on its next poll.
"""

from __future__ import annotations

import datetime
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.consumption.models import Board, Booth, ConsumptionSettings, MedicalResponse, Route, Stay, YesNo
from haven.core.audit import audit_record
from haven.drugchecking.models import Sample
from haven.inventory.actions import stock_draw_for_care
from haven.overdose.models import OverdoseReport, YesNoUnknown
from haven.overdose.recording import overdose_report_record
from haven.participants import codes
from haven.participants.actions import code_index_for
from haven.participants.queries import participant_by_code
from haven.places.models import Site

MAX_SUBSTANCES = 500
MAX_NOTE = 2000


def on_shift(user, site) -> bool:
    """On shift, kept simple: a signed-in, active account that works at this site (coordinators and
    admins work at every site)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.sees_all_sites or user.sites.filter(pk=site.pk).exists())


def _require(user, permission, site) -> None:
    if user is None or not user.has_role_permission(permission):
        raise PermissionDenied(permission)
    if not on_shift(user, site):
        raise PermissionDenied(_("Only staff working at %(site)s can do this.") % {"site": site.name})


def _bump(site, *, booth_id=None, layout=False) -> int:
    """Add one to the site's board version, in the caller's transaction, and stamp the changed booth
    with it (or the whole board, for a change to its layout): a poll is sent only what changed."""
    updated = Board.objects.filter(site=site).update(version=F("version") + 1)
    if not updated:
        Board.objects.get_or_create(site=site, defaults={"version": 0})
        Board.objects.filter(site=site).update(version=F("version") + 1)
    # The update above holds the row's lock until commit, so versions commit in order.
    version = Board.objects.filter(site=site).values_list("version", flat=True).get()
    if layout:
        Board.objects.filter(site=site).update(layout_version=version)
    if booth_id is not None:
        Booth.objects.filter(pk=booth_id).update(changed_version=version)
    return version


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _sample_for(code_text, errors) -> Sample | None:
    text = (code_text or "").strip()
    if not text:
        return None
    try:
        index = code_index_for(codes.normalise(text))
    except Exception:  # a code that is not a code at all: the same answer as an unknown one
        index = None
    sample = Sample.objects.filter(code_index=index).first() if index else None
    if sample is None:
        errors["drug_checking_sample"] = [_("No drug checking sample has this code. Check it, or leave it empty.")]
    return sample


@transaction.atomic
def stay_check_in(*, actor, booth: Booth, route, participant_code="", substances="", drug_checking_sample="",
                  now=None, request=None) -> Stay:
    """Check a person into a free booth: by their code, or anonymously when they give none."""
    site = booth.site
    _require(actor, "consumption.check_in", site)
    now = now or timezone.now()
    errors: dict = {}
    if not booth.active:
        errors["booth"] = [_("This booth is closed. Choose another.")]
    if route not in Route.values:
        errors["route"] = [_("Choose the route: injection, smoking, snorting or oral.")]
    substances = (substances or "").strip()
    if len(substances) > MAX_SUBSTANCES:
        errors["substances"] = [_("Keep this under %(n)s characters.") % {"n": MAX_SUBSTANCES}]
    participant = None
    if (participant_code or "").strip():
        participant = participant_by_code(participant_code)
        if participant is None:
            errors["participant_code"] = [_("No participant has this code. Check it, or check in anonymously.")]
    sample = _sample_for(drug_checking_sample, errors)
    # Lock the booth's row so two screens checking into it at once are served one after the other.
    Booth.objects.select_for_update().filter(pk=booth.pk).first()
    occupied = Stay.objects.filter(booth=booth, checked_out_at__isnull=True).first()
    if occupied is not None:
        errors["booth"] = [_("%(booth)s is in use (%(who)s). Choose a free booth, or check them out first.")
                           % {"booth": booth.name, "who": occupied.who}]
    if participant is not None and Stay.objects.filter(participant=participant, checked_out_at__isnull=True).exists():
        errors["participant_code"] = [_("This participant is already checked in. Check them out first.")]
    _raise(errors)
    anonymous_number = None
    if participant is None:
        day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        anonymous_number = Stay.objects.filter(site=site, participant__isnull=True,
                                               checked_in_at__gte=day_start).count() + 1
    stay = Stay(site=site, booth=booth, participant=participant, anonymous_number=anonymous_number,
                substances=substances, route=route, drug_checking_sample=sample, checked_in_at=now,
                last_check_at=now, checked_in_by=actor)
    try:
        with transaction.atomic():
            stay.save()
    except IntegrityError:
        raise ValidationError({"booth": [_("%(booth)s was just taken by someone else. Choose a free booth.")
                                         % {"booth": booth.name}]}) from None
    _bump(site, booth_id=booth.pk)
    audit_record(actor=actor, action="create", obj=stay, request=request,
                 detail={"booth": booth.pk, "participant": participant.pk if participant else None,
                         "route": route, "substances": bool(substances), "sample": sample.pk if sample else None})
    return stay


def _open_stay(stay_id) -> Stay:
    stay = Stay.objects.select_for_update().filter(pk=stay_id).select_related("site", "booth").first()
    if stay is None:
        raise ValidationError(_("There is no such check-in."))
    return stay


@transaction.atomic
def stay_acknowledge_check(*, actor, stay_id, now=None, request=None) -> Stay:
    """A staff member checked on the person: the booth's timer starts again."""
    stay = _open_stay(stay_id)
    _require(actor, "consumption.monitor", stay.site)
    if stay.checked_out_at is not None:
        raise ValidationError(_("This person has already checked out; there is nothing to check."))
    now = now or timezone.now()
    Stay.objects.filter(pk=stay.pk).update(last_check_at=now, checks=F("checks") + 1)
    stay.refresh_from_db()
    _bump(stay.site, booth_id=stay.booth_id)
    audit_record(actor=actor, action="update", obj=stay, request=request, detail={"fields": ["last_check_at"]})
    return stay


@transaction.atomic
def stay_check_out(*, actor, stay_id, aftercare_note="", now=None, request=None) -> Stay:
    """The person leaves the booth; how long they stayed is kept."""
    stay = _open_stay(stay_id)
    _require(actor, "consumption.check_in", stay.site)
    if stay.checked_out_at is not None:
        raise ValidationError(_("This person has already checked out, at %(time)s.")
                              % {"time": timezone.localtime(stay.checked_out_at).strftime("%H:%M")})
    note = (aftercare_note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"aftercare_note": [_("Keep this under %(n)s characters.") % {"n": MAX_NOTE}]})
    now = now or timezone.now()
    stay.checked_out_at = now
    stay.stay_seconds = max(int((now - stay.checked_in_at).total_seconds()), 0)
    stay.aftercare_note = note
    stay.checked_out_by = actor
    stay.save(update_fields=["checked_out_at", "stay_seconds", "aftercare_note", "checked_out_by"])
    _bump(stay.site, booth_id=stay.booth_id)
    audit_record(actor=actor, action="update", obj=stay, request=request,
                 detail={"fields": ["checked_out_at", "stay_seconds"] + (["aftercare_note"] if note else [])})
    return stay


def _naloxone_units(item, doses: int) -> int:
    # A kit may hold several doses (a two-dose nasal kit): an opened kit is used up.
    per_unit = item.naloxone_doses_per_unit or 1
    return math.ceil(doses / per_unit)


@transaction.atomic
def medical_response_record(*, actor, site, noticed_at, responded_at, signs, outcome, emergency_services_called,
                            emergency_services_reason="", stay=None, overdose=True, naloxone_doses_intranasal=0,
                            naloxone_doses_intramuscular=0, naloxone_item=None, oxygen=False,
                            breathing_support=MedicalResponse.BreathingSupport.NONE, request=None) -> MedicalResponse:
    """Record a response. An overdose also becomes an overdose report, and naloxone given is drawn
    from the site's stock: all of it or nothing."""
    _require(actor, "consumption.respond", site)
    now = timezone.now()
    errors: dict = {}
    signs = (signs or "").strip()
    if not signs:
        errors["signs"] = [_("Describe the signs you saw.")]
    elif len(signs) > MAX_NOTE:
        errors["signs"] = [_("Keep this under %(n)s characters.") % {"n": MAX_NOTE}]
    if noticed_at is None or responded_at is None:
        errors["noticed_at"] = [_("Say when the signs were noticed and when the response began.")]
    elif responded_at < noticed_at:
        errors["responded_at"] = [_("The response cannot begin before the signs were noticed.")]
    elif noticed_at > now + datetime.timedelta(minutes=5):
        errors["noticed_at"] = [_("This is in the future. Check the time.")]
    if outcome not in MedicalResponse.Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    if breathing_support not in MedicalResponse.BreathingSupport.values:
        errors["breathing_support"] = [_("Choose the breathing support given.")]
    if emergency_services_called not in YesNo.values:
        errors["emergency_services_called"] = [_("Say whether emergency services were called.")]
    reason = (emergency_services_reason or "").strip()
    if emergency_services_called == YesNo.NO and not reason:
        errors["emergency_services_reason"] = [_("Say why emergency services were not called.")]
    doses = (naloxone_doses_intranasal or 0) + (naloxone_doses_intramuscular or 0)
    if min(naloxone_doses_intranasal or 0, naloxone_doses_intramuscular or 0) < 0:
        errors["naloxone_doses_intranasal"] = [_("Doses cannot be negative.")]
    if doses and naloxone_item is None:
        errors["naloxone_item"] = [_("Choose the naloxone used, so the doses come out of the stock.")]
    if naloxone_item is not None and not naloxone_item.naloxone_doses_per_unit:
        errors["naloxone_item"] = [_("This item is not naloxone.")]
    if stay is not None and stay.site_id != site.pk:
        errors["stay"] = [_("This check-in is at another site.")]
    _raise(errors)
    response = MedicalResponse(
        site=site, stay=stay, noticed_at=noticed_at, responded_at=responded_at, signs=signs, overdose=overdose,
        naloxone_doses_intranasal=naloxone_doses_intranasal or 0,
        naloxone_doses_intramuscular=naloxone_doses_intramuscular or 0,
        naloxone_item=naloxone_item if doses else None, oxygen=oxygen, breathing_support=breathing_support,
        emergency_services_called=emergency_services_called, emergency_services_reason=reason, outcome=outcome,
        created_by=actor, created_at=now)
    if overdose:
        # What the overdose module counts: when (to the hour), the site's area, naloxone, EMS, outcome.
        response.overdose_report = overdose_report_record(
            actor=actor, occurred_at=noticed_at, area=site.area, kind=OverdoseReport.Kind.OVERDOSE,
            fatal=YesNoUnknown.YES if outcome == MedicalResponse.Outcome.DIED else YesNoUnknown.NO,
            naloxone_doses=doses, emergency_services_called=emergency_services_called,
            drug_checking_sample="", notes="", request=request)
    response.save()
    if doses:
        stock_draw_for_care(site=site, item=naloxone_item, quantity=_naloxone_units(naloxone_item, doses),
                            reason=_("Overdose response %(id)s") % {"id": response.pk}, actor=actor, request=request)
    _bump(site)
    audit_record(actor=actor, action="create", obj=response, request=request, detail={
        "stay": getattr(stay, "pk", None), "overdose_report": response.overdose_report_id, "naloxone_doses": doses})
    return response


@transaction.atomic
def booth_create(*, actor, site, name, kind=Booth.Kind.INJECTION, request=None) -> Booth:
    if actor is None or not actor.has_role_permission("consumption.manage"):
        raise PermissionDenied("consumption.manage")
    name = (name or "").strip()
    errors: dict = {}
    if not name:
        errors["name"] = [_("Give the booth a name, for example “Booth 3”.")]
    elif Booth.objects.filter(site=site, name=name).exists():
        errors["name"] = [_("%(site)s already has a booth with this name.") % {"site": site.name}]
    if kind not in Booth.Kind.values:
        errors["kind"] = [_("Choose injection or inhalation.")]
    _raise(errors)
    booth = Booth.objects.create(site=site, name=name, kind=kind)
    _bump(site, layout=True)
    audit_record(actor=actor, action="create", obj=booth, request=request, detail={"site": site.pk})
    return booth


@transaction.atomic
def booth_close(*, actor, booth_id, request=None) -> Booth:
    """Take a booth off the board (cleaning, repair, fewer staff); its stays stay on record."""
    if actor is None or not actor.has_role_permission("consumption.manage"):
        raise PermissionDenied("consumption.manage")
    booth = Booth.objects.select_for_update().filter(pk=booth_id).select_related("site").first()
    if booth is None:
        raise ValidationError(_("There is no such booth."))
    if not booth.active:
        raise ValidationError(_("%(booth)s is already closed.") % {"booth": booth.name})
    occupied = Stay.objects.filter(booth=booth, checked_out_at__isnull=True).first()
    if occupied is not None:
        raise ValidationError(_("%(booth)s is in use (%(who)s). Check them out before closing it.")
                              % {"booth": booth.name, "who": occupied.who})
    Booth.objects.filter(pk=booth.pk).update(active=False)
    booth.active = False
    _bump(booth.site, layout=True)
    audit_record(actor=actor, action="update", obj=booth, request=request, detail={"fields": ["active"],
                                                                                    "active": False})
    return booth


@transaction.atomic
def booth_reopen(*, actor, booth_id, request=None) -> Booth:
    if actor is None or not actor.has_role_permission("consumption.manage"):
        raise PermissionDenied("consumption.manage")
    booth = Booth.objects.select_for_update().filter(pk=booth_id).select_related("site").first()
    if booth is None:
        raise ValidationError(_("There is no such booth."))
    if booth.active:
        raise ValidationError(_("%(booth)s is already open.") % {"booth": booth.name})
    Booth.objects.filter(pk=booth.pk).update(active=True)
    booth.active = True
    _bump(booth.site, layout=True)
    audit_record(actor=actor, action="update", obj=booth, request=request, detail={"fields": ["active"],
                                                                                    "active": True})
    return booth


@transaction.atomic
def consumption_settings_update(*, actor, amber_after_minutes, red_after_minutes, request=None) -> ConsumptionSettings:
    """Set how long after the last check a booth turns amber, then red, at every site."""
    if actor is None or not actor.has_role_permission("consumption.manage"):
        raise PermissionDenied("consumption.manage")
    errors: dict = {}
    for field, value in (("amber_after_minutes", amber_after_minutes), ("red_after_minutes", red_after_minutes)):
        if not isinstance(value, int) or not 1 <= value <= 240:
            errors[field] = [_("Give a number of minutes from 1 to 240.")]
    if not errors and red_after_minutes <= amber_after_minutes:
        errors["red_after_minutes"] = [_("A booth turns red after it turns amber: give more minutes than for amber.")]
    _raise(errors)
    current = ConsumptionSettings.current()
    current.amber_after_minutes, current.red_after_minutes = amber_after_minutes, red_after_minutes
    current.updated_at, current.updated_by = timezone.now(), actor
    current.save()
    for site in Site.objects.filter(booths__isnull=False).distinct():
        _bump(site, layout=True)
    audit_record(actor=actor, action="update", obj=current, request=request,
                 detail={"fields": ["amber_after_minutes", "red_after_minutes"]})
    return current
