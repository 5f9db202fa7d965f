"""Support pages: a person's goals, support contacts, safety plans and referrals; sharing with consent;
oversight; reports. The matrix decides who opens a page; need-to-know decides whose notes show on it."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.core.forms import add_action_errors
from haven.core.models import AuditEvent
from haven.directory.vocabulary import labels as directory_labels
from haven.participants.queries import participant_by_display_id
from haven.support import actions, queries, ratelimit
from haven.support.actions import PersonalDetailsFound
from haven.support.disclosures import accounting
from haven.support.forms import (
    AssignForm,
    BreakGlassForm,
    ContactForm,
    CopyCodeForm,
    GoalForm,
    PeriodForm,
    ProgressForm,
    ReferralForm,
    SafetyPlanForm,
    ShareConsentForm,
    StatusForm,
)
from haven.support.models import SAFETY_PLAN_FIELDS, Goal, Referral, SafetyPlan, ShareConsent


def _person(display_id):
    participant = participant_by_display_id(display_id)
    if participant is None:
        raise Http404(_("No participant has this display id."))
    return participant


def _add_errors(form, error):
    if isinstance(error, PersonalDetailsFound):
        form.flagged = True  # the form then offers "these details are fine" (confirm_details)
    add_action_errors(form, error)


def _form_page(request, template, context, form):
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


def _audit_read(request, participant, reason, what):
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=participant, request=request,
                 detail={"support": what, "access": reason})


def support_home(request):
    display_id = request.GET.get("display_id", "").strip()
    if display_id:
        participant = participant_by_display_id(display_id[:20])
        if participant is not None:
            return redirect("support-person", display_id=participant.display_id)
        messages.error(request, _("No participant has this display id."))
    return render(request, "support/home.html", {
        "follow_ups": queries.follow_ups(request.user),
        "can_oversee": request.user.has_role_permission("support.oversight"),
        "can_report": request.user.has_role_permission("reports.view"),
    })


def person(request, display_id):
    participant = _person(display_id)
    if participant.display_id != display_id:
        return redirect("support-person", display_id=participant.display_id)
    access = queries.notes_access(request.user, participant)
    context = {"participant": participant, "access": access, "assignments": queries.assignments(participant),
               "labels": directory_labels(), "break_glass_form": BreakGlassForm(),
               "can_share": request.user.has_role_permission("support.share"),
               "can_assign": request.user.has_role_permission("support.oversight"),
               "consent": queries.support_consent(participant)}
    if access:
        _audit_read(request, participant, access, "notes")
        context.update({
            "goals": queries.goals(participant), "contacts": queries.support_contacts(participant),
            "plans": queries.safety_plans(participant), "referrals": queries.referrals(participant),
            "share_consents": queries.share_consents(participant), "disclosures": accounting(participant, user=request.user),
            "plan_kinds": SafetyPlan.Kind.choices,
        })
    return render(request, "support/person.html", context)


def goal_new(request, display_id):
    participant = _person(display_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.goal_create(actor=request.user, participant=participant, text=form.cleaned_data["text"],
                                category=form.cleaned_data["category"],
                                confirmed=form.cleaned_data["confirm_details"], request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Goal saved."))
            return redirect("support-person", display_id=participant.display_id)
    return _form_page(request, "support/form.html", {"participant": participant, "title": _("A goal they set")}, form)


def goal_progress(request, display_id, goal_id):
    participant = _person(display_id)
    goal = Goal.objects.filter(pk=goal_id, participant=participant).first()
    if goal is None:
        raise Http404
    form = ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.goal_progress_add(actor=request.user, goal=goal, note=form.cleaned_data["note"],
                                      status=form.cleaned_data["status"],
                                      confirmed=form.cleaned_data["confirm_details"], request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Progress saved."))
            return redirect("support-person", display_id=participant.display_id)
    return _form_page(request, "support/form.html", {"participant": participant, "title": _("Progress on a goal")},
                      form)


def contact_new(request, display_id):
    participant = _person(display_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.support_contact_record(actor=request.user, participant=participant, kind=data["kind"],
                                           mode=data["mode"], duration_minutes=data["duration_minutes"],
                                           note=data["note"], confirmed=data["confirm_details"], request=request,
                                           site=request.user.sites.first())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Support contact saved."))
            return redirect("support-person", display_id=participant.display_id)
    return _form_page(request, "support/form.html", {"participant": participant, "title": _("A support contact")},
                      form)


def referral_new(request, display_id):
    participant = _person(display_id)
    form = ReferralForm(request.POST or None, initial={"service": request.GET.get("service", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.referral_make(actor=request.user, participant=participant, consent_given=data["consent_given"],
                                  service=data["service"], place=data["place"], category=data["category"],
                                  wants=data["wants"], handoff_note=data["handoff_note"],
                                  follow_up_on=data["follow_up_on"], confirmed=data["confirm_details"],
                                  site=request.user.sites.first(), request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Referral offered."))
            return redirect("support-person", display_id=participant.display_id)
    elif request.method == "POST" and "service" in form.errors:
        # A service id that is not in the directory any more: say so plainly.
        form.errors["service"] = form.error_class([_("This service is no longer in the directory (closed or "
                                                     "removed). Choose another, or type the place.")])
    return _form_page(request, "support/form.html", {"participant": participant, "title": _("A referral they want")},
                      form)


def _referral(participant, referral_id) -> Referral:
    referral = Referral.objects.filter(pk=referral_id, participant=participant).first()
    if referral is None:
        raise Http404
    return referral


def referral_status(request, display_id, referral_id):
    participant = _person(display_id)
    referral = _referral(participant, referral_id)
    if not queries.notes_access(request.user, participant):
        # The referral's destination is itself need-to-know (a methadone clinic, a crisis service).
        messages.error(request, _("Referrals are need-to-know: break the glass to record what happened."))
        return redirect("support-person", display_id=participant.display_id)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.referral_status_set(actor=request.user, referral=referral, status=data["status"],
                                        outcome=data["outcome"], follow_up_on=data["follow_up_on"],
                                        confirmed=data["confirm_details"], request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Referral updated."))
            return redirect("support-person", display_id=participant.display_id)
    return _form_page(request, "support/form.html", {
        "participant": participant, "referral": referral,
        "title": _("Referral to %(place)s") % {"place": referral.destination}}, form)


def referral_share(request, display_id, referral_id):
    participant = _person(display_id)
    referral = _referral(participant, referral_id)
    if not queries.notes_access(request.user, participant):
        messages.error(request, _("Sharing a hand-off note is need-to-know: break the glass first."))
        return redirect("support-person", display_id=participant.display_id)
    if request.method == "POST":
        consent = ShareConsent.objects.filter(pk=request.POST.get("consent") or 0, participant=participant).first() \
            if (request.POST.get("consent") or "").isdigit() else None
        try:
            if consent is None:
                raise ValidationError(_("Choose the person's consent to share with this partner."))
            actions.referral_share_handoff(actor=request.user, referral=referral, consent=consent, request=request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Hand-off note shared with %(partner)s; the disclosure is listed.")
                             % {"partner": consent.partner_name})
    return redirect("support-person", display_id=participant.display_id)


def safety_plan(request, display_id, kind):
    participant = _person(display_id)
    if kind not in SAFETY_PLAN_FIELDS:
        raise Http404
    access = queries.notes_access(request.user, participant)
    plan = SafetyPlan.objects.filter(participant=participant, kind=kind).first()
    initial = {name: getattr(plan, name) for name in SAFETY_PLAN_FIELDS[kind]} if (plan and access) else {}
    form = SafetyPlanForm(request.POST or None, kind=kind, initial=initial)
    copy_code = None
    if request.method == "POST" and request.POST.get("do") == "copy-code":
        if plan is None or not access:
            raise Http404
        copy_code = actions.safety_plan_copy_code(actor=request.user, plan=plan, request=request)
        form = SafetyPlanForm(None, kind=kind, initial=initial)
    elif request.method == "POST" and form.is_valid():
        if plan is not None and not access:
            # Changing a plan one may not read would mean writing over what one has not seen.
            form.add_error(None, _("Break the glass or ask someone assigned to this person to change the plan."))
        else:
            try:
                actions.safety_plan_save(actor=request.user, participant=participant, kind=kind,
                                         values=form.cleaned_data, confirmed=form.cleaned_data["confirm_details"],
                                         request=request)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Safety plan saved."))
                return redirect("support-person", display_id=participant.display_id)
    if access and plan:
        _audit_read(request, participant, access, f"safety_plan:{kind}")
    return _form_page(request, "support/safety_plan.html", {
        "participant": participant, "plan": plan, "kind": kind, "access": access, "copy_code": copy_code,
        "title": dict(SafetyPlan.Kind.choices)[kind]}, form)


def safety_plan_print(request, display_id, kind):
    participant = _person(display_id)
    access = queries.notes_access(request.user, participant)
    plan = SafetyPlan.objects.filter(participant=participant, kind=kind).first()
    if plan is None or not access:
        raise Http404
    _audit_read(request, participant, access, f"safety_plan_print:{kind}")
    return render(request, "support/plan_print.html", {"plan": plan})


def plan_copy(request):
    form = CopyCodeForm(request.POST or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        if not ratelimit.lookup_allowed(request):
            form.add_error(None, _("Too many tries. Wait ten minutes, or ask the program for your plan."))
        else:
            plan = SafetyPlan.objects.filter(copy_code_index=actions.copy_code_index(form.cleaned_data["code"])).first()
            if plan is None:
                form.add_error("code", _("No plan has this code. Check it, or ask the program for a new one."))
            else:
                audit_record(action=AuditEvent.Action.VIEW, obj=plan, request=request, detail={"via": "copy_code"})
                return render(request, "support/plan_print.html", {"plan": plan})
    return render(request, "support/plan_copy.html", {"form": form}, status=400 if form.errors else 200)


def break_glass(request, display_id):
    participant = _person(display_id)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.break_glass(actor=request.user, participant=participant, reason=form.cleaned_data["reason"],
                                request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.warning(request, _("You broke the glass. Coordinators can see that you read these notes, and why."))
            return redirect("support-person", display_id=participant.display_id)
    return _form_page(request, "support/form.html", {"participant": participant, "title": _("Break the glass")}, form)


def share(request, display_id):
    participant = _person(display_id)
    access = queries.notes_access(request.user, participant)
    if request.method == "POST" and request.POST.get("do") in ("withdraw", "disclose") and not access:
        messages.error(request, _("Consents and disclosures are need-to-know: break the glass first. To stop all "
                                  "sharing at once, the person can withdraw consent to keep notes."))
        return redirect("support-share", display_id=participant.display_id)
    form = ShareConsentForm(request.POST or None if request.POST.get("do") not in ("withdraw", "disclose") else None)
    if request.method == "POST" and request.POST.get("do") == "withdraw":
        consent = ShareConsent.objects.filter(participant=participant, pk=int(request.POST["consent"])).first() \
            if request.POST.get("consent", "").isdigit() else None
        if consent is None:
            raise Http404
        actions.share_consent_withdraw(actor=request.user, consent=consent, request=request)
        messages.success(request, _("Consent withdrawn: nothing more is shared with %(partner)s.")
                         % {"partner": consent.partner_name})
        return redirect("support-share", display_id=participant.display_id)
    if request.method == "POST" and request.POST.get("do") == "disclose":
        # Sharing something other than a referral's hand-off note (the safety plan, the referral itself).
        consent = ShareConsent.objects.filter(participant=participant, pk=int(request.POST["consent"])).first() \
            if request.POST.get("consent", "").isdigit() else None
        if consent is None:
            raise Http404
        try:
            actions.disclosure_record(actor=request.user, consent=consent, what=consent.scope, request=request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Shared with %(partner)s; the disclosure is listed.")
                             % {"partner": consent.partner_name})
        return redirect("support-share", display_id=participant.display_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.share_consent_give(actor=request.user, participant=participant, request=request,
                                       **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Consent to share recorded."))
            return redirect("support-share", display_id=participant.display_id)
    return _form_page(request, "support/share.html", {
        "participant": participant, "access": access,
        "consents": queries.share_consents(participant) if access else [],
        "disclosures": accounting(participant, user=request.user) if access else [], "now": timezone.now()}, form)


def withdraw(request, display_id):
    participant = _person(display_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        consent = actions.support_consent_withdraw(actor=request.user, participant=participant, request=request)
        messages.success(request, _("Consent withdrawn. Notes and plans were erased%(kept)s.") % {
            "kept": (_(", except what the program must keep by law: %(kinds)s") % {"kinds": ", ".join(consent.kept_by_law)})
            if consent.kept_by_law else ""})
        return redirect("support-person", display_id=participant.display_id)
    return render(request, "support/withdraw.html", {"participant": participant})


def assign(request, display_id):
    participant = _person(display_id)
    form = AssignForm(request.POST or None)
    if request.method == "POST" and request.POST.get("do") == "end":
        from haven.support.models import Assignment

        assignment = Assignment.objects.filter(participant=participant, pk=int(request.POST.get("assignment", "0"))
                                               if request.POST.get("assignment", "").isdigit() else 0).first()
        if assignment is None:
            raise Http404
        actions.assignment_end(actor=request.user, assignment=assignment, request=request)
        return redirect("support-person", display_id=participant.display_id)
    if request.method == "POST" and form.is_valid():
        actions.assignment_add(actor=request.user, participant=participant, staff=form.cleaned_data["staff"],
                               request=request)
        messages.success(request, _("Assigned."))
        return redirect("support-person", display_id=participant.display_id)
    return _form_page(request, "support/form.html", {"participant": participant, "title": _("Who works with them")},
                      form)


def oversight(request):
    return render(request, "support/oversight.html", {"break_glass": queries.break_glass_log()})


def _period(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": today.replace(day=1), "end": today})
    start, end = today.replace(day=1), today
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    tz = timezone.get_current_timezone()
    return form, start, end, (datetime.datetime.combine(start, datetime.time(), tz),
                              datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tz))


def report(request):
    form, start, end, (since, until) = _period(request)
    exact = queries.referral_report(since, until, exact=True)
    return render(request, "support/report.html", {"form": form, "rows": exact, "labels": directory_labels(),
                                                   "start": start, "end": end})


def report_csv(request):
    _form, start, end, (since, until) = _period(request)
    rows = queries.referral_report(since, until, exact=False)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="support.referral_report",
                 request=request, detail={"start": start.isoformat(), "end": end.isoformat()})
    response = HttpResponse(queries.referral_report_csv(rows, {}), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referrals-{start}-{end}.csv"'
    return response


