"""Housing pages: the bed board and the "available now" list, holds, a person's housing status and
navigation journey, the person's own steps by code, the report, the funder template and the HMIS export.
The matrix decides who opens a page; addresses show only to those with housing.addresses."""

from __future__ import annotations

import csv
import datetime
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.core.audit import audit_record
from haven.core.forms import add_action_errors
from haven.core.models import AuditEvent
from haven.housing import actions, export, funder, queries, ratelimit, vocabulary
from haven.housing.forms import (
    ApplicationForm,
    BedStatusForm,
    CheckInForm,
    ConsentForm,
    DocumentForm,
    FlagForm,
    HoldForm,
    JourneyStartForm,
    LostForm,
    MatchedForm,
    MoveInForm,
    PeriodForm,
    PropertyForm,
    RetentionForm,
    StatusForm,
    StepsCodeForm,
    TaskForm,
)
from haven.housing.models import Bed, BedHold, Journey, LowBarrier, Property, Task, TenancyFlag
from haven.participants.queries import participant_by_display_id


def _person(display_id):
    participant = participant_by_display_id(display_id)
    if participant is None:
        raise Http404(_("No participant has this display id."))
    return participant


def _translated(mapping):
    # The specification's words are reference data (English); gettext lets a catalogue translate them.
    return {code: _(text) for code, text in mapping.items()}


def _labels():
    return {
        "situations": _translated(vocabulary.hmis_list("CurrentLivingSituation")
                                  | vocabulary.hmis_list("PriorLivingSituation")),
        "stays": _translated(vocabulary.hmis_list("ResidencePriorLengthOfStay")),
        "low_barrier": dict(LowBarrier.choices),
        "destinations": _translated(vocabulary.hmis_list("Destination")),
    }


def home(request):
    display_id = request.GET.get("display_id", "").strip()
    if display_id:
        participant = participant_by_display_id(display_id[:20])
        if participant is not None:
            return redirect("housing-person", display_id=participant.display_id)
        messages.error(request, _("No participant has this display id."))
    return render(request, "housing/home.html", {
        "tasks": queries.tasks_due(request.user),
        "journeys": Journey.objects.filter(navigator=request.user, closed_on__isnull=True).select_related(
            "participant")[:50],
        "can_manage": request.user.has_role_permission("housing.manage"),
        "can_report": request.user.has_role_permission("reports.view"),
        "can_export": request.user.has_role_permission("housing.hmis_export"),
    })


def board(request):
    return render(request, "housing/board.html", {
        "properties": queries.board(request.user), "labels": _labels(),
        "show_addresses": request.user.has_role_permission("housing.addresses"),
        "can_manage": request.user.has_role_permission("housing.manage"),
        "status_form": BedStatusForm(),
    })


def available(request):
    needs = [code for code in request.GET.getlist("needs") if code in vocabulary.LOW_BARRIER_CODES]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Property.Kind.values else ""
    return render(request, "housing/available.html", {
        "beds": queries.available_now(request.user, needs=needs, kind=kind), "needs": needs, "kind": kind,
        "labels": _labels(), "kinds": Property.Kind.choices, "low_barrier": LowBarrier.choices,
    })


def bed_hold(request, bed_id):
    bed = get_object_or_404(Bed.objects.select_related("property"), pk=bed_id,
                            property__in=queries.visible_properties(request.user))
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        participant = None
        if form.cleaned_data["display_id"]:
            participant = participant_by_display_id(form.cleaned_data["display_id"])
            if participant is None:
                form.add_error("display_id", _("No participant has this display id. Leave it empty to hold the bed "
                                               "without a name."))
        if not form.errors:
            try:
                hold = actions.bed_hold(actor=request.user, bed=bed, hours=form.cleaned_data["hours"],
                                        participant=participant, request=request)
            except actions.BedTaken as taken:
                messages.error(request, taken.messages[0])
                return redirect("housing-available")
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                until = timezone.localtime(hold.expires_at)
                messages.success(request, _("Held: %(place)s, %(bed)s, until %(time)s.") % {
                    "place": bed.property.name, "bed": bed.label, "time": until.strftime("%H:%M")})
                return redirect("housing-available")
    return render(request, "housing/hold.html", {"bed": bed, "form": form, "labels": _labels()},
                  status=400 if form.errors else 200)


@require_POST
def hold_end(request, hold_id):
    hold = get_object_or_404(BedHold, pk=hold_id, bed__property__in=queries.visible_properties(request.user))
    try:
        actions.hold_end(actor=request.user, hold=hold, outcome=request.POST.get("outcome", ""), request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Hold ended."))
    return redirect("housing-board")


@require_POST
def bed_status(request, bed_id):
    bed = get_object_or_404(Bed, pk=bed_id, property__in=queries.visible_properties(request.user))
    form = BedStatusForm(request.POST)
    if form.is_valid():
        actions.bed_status_set(actor=request.user, bed=bed, status=form.cleaned_data["status"], request=request)
        messages.success(request, _("Bed updated."))
    return redirect("housing-board")


def property_edit(request, property_id=None):
    prop = get_object_or_404(Property, pk=property_id) if property_id else None
    initial = {}
    if prop:
        initial = {"name": prop.name, "kind": prop.kind, "site": prop.site_id, "organization": prop.organization_id,
                   "address": prop.address or "", "phone": prop.phone, "low_barrier": prop.low_barrier,
                   "gender_policy": prop.gender_policy}
    form = PropertyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.property_save(actor=request.user, prop=prop, site=data["site"], name=data["name"],
                                          kind=data["kind"], address=data["address"], phone=data["phone"],
                                          low_barrier=data["low_barrier"], gender_policy=data["gender_policy"],
                                          organization=data["organization"], request=request)
            for label in (data["beds"] or "").splitlines():
                if label.strip():
                    actions.bed_add(actor=request.user, prop=saved, label=label, request=request)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("housing-board")
    return render(request, "housing/form.html", {"form": form, "title": prop.name if prop else _("A new place")},
                  status=400 if form.errors else 200)


def person(request, display_id):
    participant = _person(display_id)
    if participant.display_id != display_id:
        return redirect("housing-person", display_id=participant.display_id)
    journey = queries.open_journey(participant)
    referrals = []
    if journey:
        from haven.support.models import Referral

        referrals = list(Referral.objects.filter(participant=participant))
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=participant, request=request,
                 detail={"housing": "person"})
    last = queries.statuses(participant).first()
    return render(request, "housing/person.html", {
        "participant": participant, "statuses": queries.statuses(participant)[:10], "last_status": last,
        "status_form": StatusForm(initial={"living_situation": last.living_situation if last else None}),
        "journey": journey, "steps": queries.steps(journey) if journey else [],
        "past": queries.journeys(participant).exclude(pk=journey.pk if journey else None).filter(
            closed_on__isnull=False),
        "labels": _labels(), "consent": queries.hmis_consent(participant),
        "can_consent": request.user.has_role_permission("housing.consent"),
        # Each form has its own prefix: several share field names ("on") on one page.
        "forms": {"start": JourneyStartForm(initial={"assessed_on": timezone.localdate()}, prefix="start"),
                  **{what: form(prefix=what) for what, form in STEP_FORMS.items()},
                  "flag": FlagForm(referrals=referrals, prefix="flag")},
        "steps_code": request.session.pop("housing_steps_code", None),
    })


@require_POST
def status_new(request, display_id):
    participant = _person(display_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.status_record(actor=request.user, participant=participant, kind=data["kind"],
                                  living_situation=data["living_situation"], length_of_stay=data["length_of_stay"],
                                  information_date=data["information_date"], site=request.user.sites.first(),
                                  request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Housing status saved."))
    else:
        messages.error(request, _("Choose a living situation from the list."))
    return redirect("housing-person", display_id=participant.display_id)


@require_POST
def status_same(request, display_id):
    participant = _person(display_id)
    try:
        actions.status_same_as_last(actor=request.user, participant=participant, site=request.user.sites.first(),
                                    request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved: same as last time."))
    return redirect("housing-person", display_id=participant.display_id)


STEP_FORMS = {"documents": DocumentForm, "application": ApplicationForm, "matched": MatchedForm, "move_in": MoveInForm,
              "retention": RetentionForm, "lost": LostForm, "task": TaskForm, "checkin": CheckInForm}


def _journey_step(request, participant, journey, what):
    """Run one navigation step from its form; return the form with errors, or None when saved."""
    data = request.POST
    if what == "start":
        form = JourneyStartForm(data, prefix="start")
        if form.is_valid():
            site = request.user.sites.first() or participant.enrolled_site
            if site is None:
                from haven.places.models import Site

                site = Site.objects.filter(active=True).first()
            actions.journey_start(actor=request.user, participant=participant, site=site,
                                  assessed_on=form.cleaned_data["assessed_on"], request=request)
        return form
    if journey is None:
        raise ValidationError(_("Start the journey with a needs assessment first."))
    if what == "flag":
        from haven.support.models import Referral

        referrals = list(Referral.objects.filter(participant=participant))
        form = FlagForm(data, referrals=referrals, prefix="flag")
    elif what in STEP_FORMS:
        form = STEP_FORMS[what](data, prefix=what)
    elif what == "code":
        request.session["housing_steps_code"] = actions.steps_copy_code(actor=request.user, journey=journey,
                                                                        request=request)
        return None
    elif what == "close":
        actions.journey_close(actor=request.user, journey=journey, request=request)
        return None
    else:
        raise Http404
    if not form.is_valid():
        return form
    c = form.cleaned_data
    common = {"actor": request.user, "journey": journey, "request": request}
    if what == "documents":
        actions.documents_ready(**common, document=c["document"], on=c["on"])
    elif what == "application":
        actions.application_add(**common, where=c["where"], applied_on=c["applied_on"])
    elif what == "matched":
        actions.matched(**common, on=c["on"], prop=c["prop"])
    elif what == "move_in":
        actions.move_in(**common, on=c["moved_in_on"])
    elif what == "retention":
        actions.retention_check(**common, months=c["months"], still_housed=c["still_housed"],
                                checked_on=c["checked_on"], lost_reason=c["lost_reason"])
    elif what == "lost":
        actions.housing_lost(**common, on=c["on"], reason=c["reason"], destination=c["destination"] or None)
    elif what == "task":
        actions.task_add(**common, title=c["title"], due_on=c["due_on"])
    elif what == "checkin":
        actions.check_in(**common, mode=c["mode"], duration_minutes=c["duration_minutes"], note=c["note"],
                         confirmed=c["confirm_details"], site=request.user.sites.first())
    elif what == "flag":
        referral = next((r for r in form.referrals if str(r.pk) == c["referral"]), None) if c["referral"] else None
        actions.flag_raise(**common, kind=c["kind"], person_agreed=c["person_agreed"], referral=referral)
    return None


@require_POST
def journey_step(request, display_id, what):
    participant = _person(display_id)
    journey = queries.open_journey(participant)
    try:
        form = _journey_step(request, participant, journey, what)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form is not None and form.errors:
            messages.error(request, " ".join(f"{form.fields[name].label if name in form.fields else ''}: {' '.join(e)}"
                                             for name, e in form.errors.items()))
        else:
            messages.success(request, _("Saved."))
    return redirect("housing-person", display_id=participant.display_id)


@require_POST
def task_done(request, display_id, task_id):
    participant = _person(display_id)
    task = get_object_or_404(Task, pk=task_id, journey__participant=participant)
    actions.task_done(actor=request.user, task=task, request=request)
    messages.success(request, _("Task done."))
    return redirect(request.POST.get("next") == "home" and "housing-home" or "housing-person",
                    **({} if request.POST.get("next") == "home" else {"display_id": participant.display_id}))


@require_POST
def flag_resolve(request, display_id, flag_id):
    participant = _person(display_id)
    flag = get_object_or_404(TenancyFlag, pk=flag_id, journey__participant=participant)
    actions.flag_resolve(actor=request.user, flag=flag, request=request)
    return redirect("housing-person", display_id=participant.display_id)


def consent(request, display_id):
    participant = _person(display_id)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and request.POST.get("do") == "withdraw":
        actions.hmis_consent_withdraw(actor=request.user, participant=participant, request=request)
        messages.success(request, _("Consent withdrawn: no later HMIS export will carry this person."))
        return redirect("housing-person", display_id=participant.display_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.hmis_consent_give(actor=request.user, participant=participant, request=request, identifiers={
                "FirstName": data["first_name"], "LastName": data["last_name"],
                "DOB": data["dob"].isoformat() if data["dob"] else ""})
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Consent to the HMIS recorded."))
            return redirect("housing-person", display_id=participant.display_id)
    return render(request, "housing/form.html", {"form": form, "participant": participant,
                                                 "title": _("Consent to send housing records to the HMIS")},
                  status=400 if form.errors else 200)


def my_steps(request):
    """The person opens their own steps with the code they took away (rate-limited, public)."""
    form = StepsCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.lookup_allowed(request):
            form.add_error(None, _("Too many tries. Wait ten minutes, or ask the program for your steps."))
            response = render(request, "housing/my_steps_code.html", {"form": form}, status=429)
            response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
            return response
        else:
            journey = Journey.objects.filter(steps_code_index=actions.steps_code_index(form.cleaned_data["code"])).first()
            if journey is None:
                form.add_error("code", _("No steps have this code. Check it, or ask the program for a new one."))
            else:
                audit_record(action=AuditEvent.Action.VIEW, obj=journey, request=request, detail={"via": "steps_code"})
                return render(request, "housing/my_steps.html", {
                    "journey": journey, "steps": queries.steps(journey),
                    "tasks": journey.tasks.filter(done_at__isnull=True).order_by("due_on")})
    return render(request, "housing/my_steps_code.html", {"form": form}, status=400 if form.errors else 200)


def _period(request):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": today.replace(month=1, day=1), "end": today})
    start, end = today.replace(month=1, day=1), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def report(request):
    form, start, end = _period(request)
    suppressed = request.GET.get("suppressed") == "1"
    rows = queries.housing_report(start, end + datetime.timedelta(days=1), exact=not suppressed)
    return render(request, "housing/report.html", {"form": form, "rows": rows, "start": start, "end": end,
                                                   "suppressed": suppressed,
                                                   "templates": funder.housing_templates()})


def report_csv(request):
    _form, start, end = _period(request)
    rows = queries.housing_report(start, end + datetime.timedelta(days=1), exact=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["site", "people_housed", "median_days_assessment_to_move_in", "due_6_months", "retained_6_months",
                     "due_12_months", "retained_12_months", "beds_offered", "beds_used"])
    for row in rows:
        writer.writerow([row.site or "all", row.housed, "" if row.median_days is None else row.median_days, row.due_6,
                         row.retained_6, row.due_12, row.retained_12, row.beds_offered, row.beds_used])
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="housing-{start}-{end}.csv"'
    return response


def funder_report(request, slug):
    template = next((t for t in funder.housing_templates() if t.slug == slug), None)
    if template is None:
        raise Http404
    if request.GET.get("start"):
        _form, start, end = _period(request)
    else:  # the template's own period rule: this quarter, this year...
        from haven.reports.periods import current_period

        period = current_period(template.period, timezone.localdate(), fiscal_year_starts=template.fiscal_year_starts)
        start, end = period.start, period.end - datetime.timedelta(days=1)
    rows = queries.housing_report(start, end + datetime.timedelta(days=1), exact=False)
    return render(request, "housing/funder.html", {"template": template, "start": start, "end": end,
                                                   "sections": funder.fill(template, rows)})


def hmis_export(request):
    texts, result = export.build_export(actor=request.user)
    if request.GET.get("download") == "1":
        audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="housing.hmis_export",
                     request=request, detail={"files": result.files, "valid": result.ok,
                                              "left_out": {k: len(v) for k, v in result.left_out.items()}})
        response = HttpResponse(export.export_zip(texts, result), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="hmis-csv-fy2026.zip"'
        return response
    return render(request, "housing/hmis_export.html", {"report": result})
