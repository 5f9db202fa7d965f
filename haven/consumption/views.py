"""The booth board, check-in, checks, check-out and medical responses.

Who may open each page is decided by the permission matrix (access.py); which sites a person sees
by `queries.visible_sites`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.consumption import actions, queries
from haven.consumption import spotting as spotting_actions
from haven.consumption.forms import (
    BoothForm,
    CallEndForm,
    CallStartForm,
    CheckInForm,
    CheckOutForm,
    EscalationForm,
    IntervalsForm,
    MedicalResponseForm,
    SpottingSettingsForm,
    add_action_errors,
)
from haven.consumption.models import Booth, ConsumptionSettings, SpottingEscalation
from haven.consumption.reports import spotting_counts


def _site(request, site_id):
    site = queries.site_for(request.user, site_id)
    if site is None:
        raise Http404
    return site


def board_index(request):
    site = queries.visible_sites(request.user).first()
    if site is None:
        return render(request, "consumption/no_site.html")
    return redirect("consumption-board", site_id=site.pk)


def _board_context(request, site, *, now=None, settings=None, versions=None):
    settings = settings or ConsumptionSettings.current()
    now = now or timezone.now()
    # The version is read first: the rows read after it are at least this new.
    version, _layout_version = versions or queries.board_versions(site)
    return {"site": site, "rows": queries.board_rows(site, now=now, settings=settings),
            "tag": queries.board_tag(site, settings=settings, version=version), "settings": settings,
            "on_shift": actions.on_shift(request.user, site), "version": version,
            "now_ms": int(now.timestamp() * 1000), "poll_ms": queries.BOARD_POLL_MILLISECONDS}


def board(request, site_id):
    site = _site(request, site_id)
    context = _board_context(request, site)
    context["sites"] = queries.visible_sites(request.user)
    context["recent"] = queries.recent_stays(site)
    context["can_manage"] = request.user.has_role_permission("consumption.manage")
    return render(request, "consumption/board.html", context)


def board_live(request, site_id):
    """Polled every 300 ms by each open board with the tag it has (`v`, "<version>.<fingerprint>").

    Nothing changed: 204, no body, nothing rendered. Some booths changed since the screen's version:
    only those, as out-of-band swaps (and the new tag). A new layout, new check intervals, a stored
    moment changed outside the actions, or a tag from another database: the whole board.
    """
    site = _site(request, site_id)
    settings, now = ConsumptionSettings.current(), timezone.now()
    version, layout_version = queries.board_versions(site)
    tag = queries.board_tag(site, settings=settings, version=version)
    sent = request.GET.get("v", "")
    sent_version, sent_intervals = queries.parse_board_tag(sent)
    if sent == tag:
        response = HttpResponse(status=204)
    elif (sent_version is not None and layout_version <= sent_version < version
          and sent_intervals == queries.board_intervals(settings)):
        response = render(request, "consumption/_board_changes.html", {
            "site": site, "tag": tag, "version": version, "now_ms": int(now.timestamp() * 1000),
            "rows": queries.board_rows(site, now=now, settings=settings, changed_since=sent_version)})
        response["HX-Reswap"] = "none"  # the board stays; only the out-of-band booths are swapped
    else:
        response = render(request, "consumption/_board.html", _board_context(
            request, site, now=now, settings=settings, versions=(version, layout_version)))
    response["Cache-Control"] = "no-store"
    return response


def check_in(request, site_id):
    site = _site(request, site_id)
    form = CheckInForm(request.POST if request.method == "POST" else None, booths=queries.free_booths(site),
                       initial={"booth": request.GET.get("booth")})
    if request.method == "POST" and form.is_valid():
        try:
            stay = actions.stay_check_in(actor=request.user, request=request, **form.cleaned_data)
        except PermissionDenied as denied:
            form.add_error(None, str(denied) or _("You are not on shift at this site."))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("%(who)s checked into %(booth)s.") % {"who": stay.who,
                                                                               "booth": stay.booth.name})
            return redirect("consumption-board", site_id=site.pk)
    return render(request, "consumption/check_in.html", {"site": site, "form": form})


@require_POST
def check(request, stay_id):
    stay = queries.stay_for(request.user, stay_id)
    if stay is None:
        raise Http404
    try:
        actions.stay_acknowledge_check(actor=request.user, stay_id=stay.pk, request=request)
    except PermissionDenied:
        messages.error(request, _("Only staff on shift at %(site)s can acknowledge a check.") % {"site": stay.site})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("consumption-board", site_id=stay.site_id)


def check_out(request, stay_id):
    stay = queries.stay_for(request.user, stay_id)
    if stay is None:
        raise Http404
    form = CheckOutForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.stay_check_out(actor=request.user, stay_id=stay.pk, request=request, **form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("Only staff on shift at %(site)s can check a person out.") % {"site": stay.site})
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("%(who)s checked out of %(booth)s.") % {"who": stay.who,
                                                                                 "booth": stay.booth.name})
            return redirect("consumption-board", site_id=stay.site_id)
    return render(request, "consumption/check_out.html", {"stay": stay, "form": form})


def response_new(request, site_id):
    site = _site(request, site_id)
    stay = queries.stay_for(request.user, request.GET.get("stay") or request.POST.get("stay") or 0)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = MedicalResponseForm(request.POST if request.method == "POST" else None, initial={"noticed_at": now, "responded_at": now})
    if request.method == "POST" and form.is_valid():
        try:
            response = actions.medical_response_record(actor=request.user, site=site, stay=stay, request=request,
                                                       **form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("Only staff on shift at %(site)s can record a response.") % {"site": site})
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Response recorded."))
            if response.overdose_report_id:
                messages.info(request, _("It is also in the overdose reports."))
            return redirect("consumption-board", site_id=site.pk)
    return render(request, "consumption/response_form.html", {"site": site, "stay": stay, "form": form})


def booths_manage(request, site_id):
    """Coordinators add a site's booths and set the check intervals of the program."""
    site = _site(request, site_id)
    settings = ConsumptionSettings.current()
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    booth_form = BoothForm(posted if which == "booth" else None)
    intervals_form = IntervalsForm(posted if which == "intervals" else None, initial={
        "amber_after_minutes": settings.amber_after_minutes, "red_after_minutes": settings.red_after_minutes})
    form = booth_form if which == "booth" else intervals_form
    if posted and form.is_valid():
        try:
            if which == "booth":
                actions.booth_create(actor=request.user, site=site, request=request, **form.cleaned_data)
                messages.success(request, _("Booth added."))
            else:
                actions.consumption_settings_update(actor=request.user, request=request, **form.cleaned_data)
                messages.success(request, _("Check intervals saved."))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("consumption-booths", site_id=site.pk)
    return render(request, "consumption/booths.html", {
        "site": site, "booths": site.booths.all(), "booth_form": booth_form, "intervals_form": intervals_form})


def booth_close(request, booth_id):
    """Close a booth (or, closed, reopen it): a confirmation page, then a POST."""
    booth = Booth.objects.filter(pk=booth_id, site__in=queries.visible_sites(request.user)).select_related(
        "site").first()
    if booth is None:
        raise Http404
    occupied = queries.open_stay_in(booth)
    if request.method == "POST":
        action = actions.booth_reopen if not booth.active else actions.booth_close
        try:
            action(actor=request.user, booth_id=booth.pk, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("consumption-booth-close", booth_id=booth.pk)
        if booth.active:
            messages.success(request, _("%(booth)s is closed. It is off the board until you reopen it.")
                             % {"booth": booth.name})
        else:
            messages.success(request, _("%(booth)s is open again.") % {"booth": booth.name})
        return redirect("consumption-booths", site_id=booth.site_id)
    return render(request, "consumption/booth_close.html", {"booth": booth, "occupied": occupied})


# The remote spotting line -----------------------------------------------------------------------


def _spotting_context(now=None):
    now = now or timezone.now()
    return {"calls": queries.active_calls(now=now), "tag": queries.spotting_tag(now=now),
            "poll_ms": queries.BOARD_POLL_MILLISECONDS}


def spotting(request):
    context = _spotting_context()
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    context.update(recent=queries.recent_calls(), counts=spotting_counts(since=month_start, until=timezone.now()),
                   can_manage=request.user.has_role_permission("consumption.manage"))
    return render(request, "consumption/spotting.html", context)


def spotting_live(request):
    if request.GET.get("v") == queries.spotting_tag():
        response = HttpResponse(status=204)
    else:
        response = render(request, "consumption/_spotting_calls.html", _spotting_context())
    response["Cache-Control"] = "no-store"
    return response


def spotting_new(request):
    form = CallStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            call = spotting_actions.call_start(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect("consumption-spotting-call", call_id=call.pk)
    return render(request, "consumption/spotting_new.html", {"form": form})


def _call(call_id):
    call = queries.spotting_call(call_id)
    if call is None:
        raise Http404
    return call


def _call_context(call, now=None):
    now = now or timezone.now()
    return {"row": queries.call_row(call, now=now), "call": call, "tag": queries.spotting_tag(now=now, call_id=call.pk),
            "poll_ms": queries.BOARD_POLL_MILLISECONDS, "escalation_form": EscalationForm(),
            "escalations": call.escalations.all()}


def spotting_call(request, call_id):
    call = _call(call_id)
    context = _call_context(call)
    context["end_form"] = CallEndForm()
    return render(request, "consumption/spotting_call.html", context)


def spotting_call_live(request, call_id):
    call = _call(call_id)
    if request.GET.get("v") == queries.spotting_tag(call_id=call.pk):
        response = HttpResponse(status=204)
    else:
        response = render(request, "consumption/_spotting_call.html", _call_context(call))
    response["Cache-Control"] = "no-store"
    return response


def _spotting_post(request, call_id, write, success):
    call = _call(call_id)
    try:
        write(call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if success:
            messages.success(request, success)
    return redirect("consumption-spotting-call", call_id=call.pk)


@require_POST
def spotting_check_in(request, call_id):
    return _spotting_post(request, call_id, lambda call: spotting_actions.call_check_in(
        actor=request.user, call_id=call.pk, request=request), _("Check-in recorded. The timer starts again."))


@require_POST
def spotting_escalation(request, escalation_id):
    escalation = SpottingEscalation.objects.filter(pk=escalation_id).first()
    if escalation is None:
        raise Http404
    form = EscalationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what was done."))
        return redirect("consumption-spotting-call", call_id=escalation.call_id)
    return _spotting_post(request, escalation.call_id, lambda call: spotting_actions.escalation_resolve(
        actor=request.user, escalation_id=escalation.pk, action=form.cleaned_data["action"], request=request),
        _("Recorded."))


@require_POST
def spotting_end(request, call_id):
    call = _call(call_id)
    form = CallEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the call ended."))
        return redirect("consumption-spotting-call", call_id=call.pk)
    try:
        spotting_actions.call_end(actor=request.user, call_id=call.pk, outcome=form.cleaned_data["outcome"],
                                  request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("consumption-spotting-call", call_id=call.pk)
    messages.success(request, _("Call ended.") + " " + (
        _("The caller's details are kept, as they asked.") if call.keep_details else
        _("The caller's details are erased.")))
    return redirect("consumption-spotting")


@require_POST
def spotting_again(request, call_id):
    call = _call(call_id)
    try:
        new = spotting_actions.call_start_again(actor=request.user, from_call_id=call.pk, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("consumption-spotting-call", call_id=call.pk)
    return redirect("consumption-spotting-call", call_id=new.pk)


def spotting_settings(request):
    settings = ConsumptionSettings.current()
    form = SpottingSettingsForm(request.POST if request.method == "POST" else None, initial={
        "spotting_check_in_minutes": settings.spotting_check_in_minutes,
        "spotting_missed_after_seconds": settings.spotting_missed_after_seconds,
        "spotting_send_help_after_seconds": settings.spotting_send_help_after_seconds})
    if request.method == "POST" and form.is_valid():
        try:
            spotting_actions.spotting_settings_update(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Saved. New calls use these intervals."))
            return redirect("consumption-spotting")
    return render(request, "consumption/spotting_settings.html", {"form": form})
