"""Rights and harms pages: reports by staff and the public, the advocacy report and its public page,
peer warnings, and the legal requests log. The matrix decides who opens a page; views are thin."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.core import ratelimit
from haven.core.audit import audit_record
from haven.core.forms import add_action_errors
from haven.core.freetext import PersonalDetailsFound
from haven.core.models import AuditEvent
from haven.participants.queries import participant_by_display_id
from haven.rights import actions, queries
from haven.rights.forms import (
    AdvocacyForm,
    CheckForm,
    DraftAlertForm,
    LegalRequestForm,
    PeerWarningForm,
    ProductionForm,
    PublicReportForm,
    ReportForm,
    RespondForm,
)
from haven.rights.models import PeerWarning, RightsReport


def _status(form):
    return 400 if form.is_bound and form.errors else 200


def _offer_redacted(form, found: PersonalDetailsFound):
    """Put the text back with the details taken out, so the person checks it and sends it again."""
    data = form.data.copy()
    data[found.field] = found.redacted_text
    form.data = data


def _limited(form, limited: ratelimit.RateLimited):
    if limited.scope == "overall":
        form.add_error(None, _("The form is receiving very many reports right now. Please try again in an hour."))
    else:
        form.add_error(None, _("We received several reports from this connection in the last hour. Please wait a "
                               "while before sending another."))


# Staff ------------------------------------------------------------------------------------------------


def home(request):
    user = request.user
    return render(request, "rights/home.html", {
        "mine": queries.reports_recorded_by(user),
        "can_review": user.has_role_permission("rights.review"),
        "can_warn": user.has_role_permission("rights.warnings"),
        "can_report": user.has_role_permission("reports.view"),
        "can_legal": user.has_role_permission("rights.legal"),
        "to_check": queries.reports_to_check().count() if user.has_role_permission("rights.review") else 0,
        "open_warnings": queries.open_warnings().count() if user.has_role_permission("rights.warnings") else 0,
    })


def report_new(request):
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participant = None
        display_id = (data["display_id"] or "").strip()
        if display_id:
            participant = participant_by_display_id(display_id)
            if participant is None:
                form.add_error("display_id", _("No participant has this display id."))
        if not form.errors:
            try:
                actions.rights_report_record(
                    actor=request.user, source=data["source"], occurred_on=data["occurred_on"], area=data["area"],
                    events=data["events"], note=data["note"], officer_details=data["officer_details"],
                    wants_help=data["wants_help"], participant=participant, legal_service=data["legal_service"],
                    confirmed=data["confirm_details"], request=request)
            except PersonalDetailsFound as found:
                form.flagged = True
                add_action_errors(form, found)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Report saved. Thank you: it counts.") if not data["wants_help"] else
                                 _("Report saved, and a referral to legal aid is on their support page."))
                return redirect("rights-home")
    return render(request, "rights/report_form.html", {"form": form}, status=_status(form))


def reports(request):
    can_see_officers = request.user.has_role_permission("rights.officers")
    return render(request, "rights/reports.html", {
        "to_check": queries.reports_to_check(), "recent": queries.recent_reports(),
        "can_see_officers": can_see_officers})


@require_POST
def report_check(request, report_id):
    report = RightsReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404
    form = CheckForm(request.POST)
    if form.is_valid():
        actions.rights_report_check(actor=request.user, report=report, status=form.cleaned_data["status"],
                                    request=request)
        messages.success(request, _("Report counted.") if form.cleaned_data["status"] == "counted"
                         else _("Report set aside."))
    return redirect("rights-reports")


def _advocacy(request, *, exact):
    form = AdvocacyForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, queries.advocacy_report(months=data.get("months") or queries.DEFAULT_MONTHS,
                                         by=data.get("by") or queries.DEFAULT_GROUPING, exact=exact)


def advocacy(request):
    exact = request.GET.get("exact") == "1"
    form, report = _advocacy(request, exact=exact)
    return render(request, "rights/advocacy.html", {
        "form": form, "report": report,
        "public_enabled": queries.public_page_enabled(),
        "can_publish": request.user.has_role_permission("rights.publish"),
        "can_export": request.user.has_role_permission("reports.export")})


def advocacy_csv(request):
    _form, report = _advocacy(request, exact=False)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="rights.advocacy_report",
                 request=request, detail={"months": len(report.months), "by": report.by})
    response = HttpResponse(queries.advocacy_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="rights-reports-{report.months[0]:%Y-%m}-'
                                       f'{report.months[-1]:%Y-%m}.csv"')
    return response


@require_POST
def public_page_toggle(request):
    enabled = request.POST.get("enabled") == "1"
    actions.public_page_set(actor=request.user, enabled=enabled, request=request)
    messages.success(request, _("The public page is on.") if enabled else _("The public page is off."))
    return redirect("rights-advocacy")


# Public --------------------------------------------------------------------------------------------


def _public_form(request, form, template, *, submit, removed, thanks):
    """A public form of this app: a filled honeypot is answered as if it worked (a bot learns nothing);
    `submit(data)` records it, and returns where to go next (`thanks` when it returns None); too many
    tries, personal details (`removed` says what was taken out) and bad values re-show the form."""
    status, retry_after = 200, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect(thanks)
        try:
            next_page = submit(data)
        except ratelimit.RateLimited as limited:
            status, retry_after = 429, limited.retry_after
            _limited(form, limited)
        except PersonalDetailsFound as found:
            form.add_error(found.field, removed)
            _offer_redacted(form, found)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return redirect(next_page or thanks)
    response = render(request, template, {"form": form}, status=status if status != 200 else _status(form))
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def public_report(request):
    def submit(data):
        actions.rights_report_submit_public(
            occurred_on=data["occurred_on"], area=data["area"], events=data["events"], note=data["note"],
            officer_details=data["officer_details"], wants_help=data["wants_help"],
            client=ratelimit.client_of(request))
        return "rights-public-thanks" + ("-help" if data["wants_help"] else "")

    return _public_form(request, PublicReportForm(request.POST or None), "rights/public_report.html",
                        submit=submit, thanks="rights-public-thanks",
                        removed=_("We took out what looked like names or contact details (marked "
                                  "“[removed]”). We don't want to know who anyone is: nothing was sent yet. "
                                  "Check the text and send it again."))


def public_thanks(request, help=False):
    return render(request, "rights/public_thanks.html", {"help": help})


def public_thanks_help(request):
    return public_thanks(request, help=True)


PUBLIC_COUNTS_CACHE_SECONDS = 300


def public_counts(request):
    if not queries.public_page_enabled():
        raise Http404
    form = AdvocacyForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    months, by = data.get("months") or queries.DEFAULT_MONTHS, data.get("by") or queries.DEFAULT_GROUPING
    # Anyone can ask for this page as often as they like: the suppressed tables are worked out at most
    # every five minutes per choice and language (in the cache, not the database), not per request.
    report = cache.get_or_set(f"haven:rights:public-counts:{months}:{by}:{get_language()}",
                              lambda: queries.advocacy_report(months=months, by=by), PUBLIC_COUNTS_CACHE_SECONDS)
    return render(request, "rights/public_counts.html", {"form": form, "report": report})


def public_warning(request):
    def submit(data):
        actions.peer_warning_submit(kind=data["kind"], occurred_on=data["occurred_on"], area=data["area"],
                                    description=data["description"], client=ratelimit.client_of(request))

    return _public_form(request, PeerWarningForm(request.POST or None), "rights/public_warning.html",
                        submit=submit, thanks="rights-public-warning-thanks",
                        removed=_("We took out what looked like names or contact details (marked "
                                  "“[removed]”): describe, don't name. Nothing was sent yet. Check the text "
                                  "and send it again."))


def public_warning_thanks(request):
    return render(request, "rights/public_warning_thanks.html")


# Peer warnings (staff) -------------------------------------------------------------------------------


def warnings(request):
    return render(request, "rights/warnings.html", {"open": queries.open_warnings(),
                                                    "handled": queries.handled_warnings()})


def warning_detail(request, warning_id):
    warning = PeerWarning.objects.select_related("area", "alert").filter(pk=warning_id).first()
    if warning is None:
        raise Http404
    form = DraftAlertForm(request.POST or None if request.POST.get("do") != "dismiss" else None)
    if request.method == "POST" and request.POST.get("do") == "dismiss":
        try:
            actions.peer_warning_dismiss(actor=request.user, warning=warning, request=request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Warning dismissed."))
        return redirect("rights-warnings")
    if request.method == "POST" and form.is_valid():
        try:
            alert = actions.peer_warning_draft_alert(actor=request.user, warning=warning, request=request,
                                                     **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Alert drafted. Review it and publish it here."))
            return redirect("alert-edit", alert_id=alert.pk)
    return render(request, "rights/warning_detail.html", {"warning": warning, "form": form}, status=_status(form))


# Legal requests (admins; every view audited) ----------------------------------------------------------


def _audit_view(request, what, obj=None):
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=obj,
                 object_type="" if obj is not None else "rights.legal_requests", request=request,
                 detail={"view": what})


def _legal_request(request_id):
    entry = queries.legal_request(request_id)
    if entry is None:
        raise Http404
    return entry


DISPLAY_ID_SEPARATORS = re.compile(r"[\s,;]+")


def legal_list(request):
    _audit_view(request, "list")
    return render(request, "rights/legal_list.html", {"requests": queries.legal_requests()})


def legal_new(request):
    form = LegalRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participants, unknown = [], []
        for display_id in DISPLAY_ID_SEPARATORS.split(data["display_ids"].strip()):
            if display_id:
                participant = participant_by_display_id(display_id)
                (participants.append(participant) if participant else unknown.append(display_id))
        if unknown:
            form.add_error("display_ids", _("No participant has these display ids: %(ids)s.")
                           % {"ids": ", ".join(unknown)})
        else:
            try:
                entry = actions.legal_request_log(
                    actor=request.user, kind=data["kind"], received_on=data["received_on"],
                    requester=data["requester"], requested=data["requested"], legal_basis=data["legal_basis"],
                    deadline=data["deadline"], counsel=data["counsel"], participants=participants,
                    gag_order=data["gag_order"], gag_until=data["gag_until"], request=request)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Request logged."))
                return redirect("rights-legal-detail", request_id=entry.pk)
    return render(request, "rights/legal_form.html", {"form": form}, status=_status(form))


def legal_detail(request, request_id):
    entry = _legal_request(request_id)
    form = RespondForm(request.POST or None, initial={"response": entry.response, "response_note": entry.response_note})
    if request.method == "POST" and form.is_valid():
        try:
            actions.legal_request_respond(actor=request.user, legal_request=entry, request=request,
                                          **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Response recorded."))
            return redirect("rights-legal-detail", request_id=entry.pk)
    _audit_view(request, "detail", entry)
    return render(request, "rights/legal_detail.html", {
        "entry": entry, "form": form, "productions": entry.productions.prefetch_related("participants"),
        "named": entry.participants.all()}, status=_status(form))


def legal_produce(request, request_id):
    entry = _legal_request(request_id)
    named = list(entry.participants.all())
    form = ProductionForm(request.POST if request.method == "POST" else None, named=named)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            production = actions.production_make(
                actor=request.user, legal_request=entry, participants=[form.named[pk] for pk in data["participants"]],
                record_kinds=data["record_kinds"], since=data["since"], until=data["until"], request=request)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, ngettext("Produced %(rows)d record. The file is linked below.",
                                               "Produced %(rows)d records. The file is linked below.",
                                               production.rows) % {"rows": production.rows})
            return redirect("rights-legal-detail", request_id=entry.pk)
    _audit_view(request, "produce", entry)
    return render(request, "rights/legal_produce.html", {"entry": entry, "form": form}, status=_status(form))


def legal_production(request, request_id, production_id):
    entry = _legal_request(request_id)
    production = entry.productions.filter(pk=production_id).first()
    if production is None:
        raise Http404
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, obj=production, request=request,
                 detail={"view": "production file", "legal_request": entry.pk})
    response = HttpResponse(production.content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="legal-request-{entry.pk}-production-{production.pk}.csv"'
    return response
