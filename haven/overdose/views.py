"""Overdose reports, the public form, partner import and detection settings.

Who may open each page is decided by the permission matrix (access.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from haven.core import importing, ratelimit
from haven.core.forms import add_action_errors
from haven.core.freetext import PersonalDetailsFound
from haven.overdose import actions, detection, detection_settings, imports, public_form, queries, recording
from haven.overdose.forms import (
    DetectionSettingsForm,
    ImportConfirmForm,
    ImportUploadForm,
    OverdoseReportForm,
    PublicReportForm,
    ReportFilterForm,
)
from haven.overdose.models import DetectionSettings, OverdoseReport

PAGE_SIZE = 50


def report_list(request):
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(queries.reports(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "overdose/report_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_report": request.user.has_role_permission("overdose.report"),
        "can_import": request.user.has_role_permission("overdose.import"),
        "can_configure": request.user.has_role_permission("overdose.settings"),
    })


def report_new(request):
    form = OverdoseReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = recording.overdose_report_record(actor=request.user, request=request, **form.cleaned_data)
        except PersonalDetailsFound as found:
            # Show the text with the names and numbers taken out; nothing was saved.
            data = request.POST.copy()
            data[found.field] = found.redacted_text
            form = OverdoseReportForm(data)
            form.is_valid()
            add_action_errors(form, found)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Report saved. Thank you."))
            return redirect("overdose-report-detail", report_id=report.pk)
    return render(request, "overdose/report_form.html", {"form": form})


def report_detail(request, report_id):
    try:
        report = queries.report(report_id)
    except OverdoseReport.DoesNotExist:
        raise Http404 from None
    return render(request, "overdose/report_detail.html", {"report": report})


# ---------------------------------------------------------------------------------------------
# Public form
# ---------------------------------------------------------------------------------------------

def public_report(request):
    form = PublicReportForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            # Answer as if it worked: a bot learns nothing from the reply.
            return redirect("overdose-public-thanks")
        try:
            public_form.overdose_report_submit_public(client=ratelimit.client_of(request), **form.action_arguments())
        except ratelimit.RateLimited as limited:
            status, retry_after = 429, limited.retry_after
            if limited.scope == "overall":
                form.add_error(None, _("The form is receiving very many reports right now. Please try again in "
                                       "an hour. If someone needs help now, call emergency services."))
            else:
                form.add_error(None, _("We received several reports from this connection in the last hour. "
                                       "Please wait a while before sending another. If someone needs help now, "
                                       "call emergency services."))
        except PersonalDetailsFound as found:
            form.add_error(found.field, _("Please take out names, phone numbers and e-mail addresses. We don't "
                                          "want to know who anyone is: nothing was sent."))
        except ValidationError as error:
            if hasattr(error, "error_dict") and "occurred_at" in error.error_dict:
                error.error_dict["occurred_on"] = error.error_dict.pop("occurred_at")
            add_action_errors(form, error)
        else:
            return redirect("overdose-public-thanks")
    if form.is_bound and form.errors:
        # A fresh timestamp, so a person fixing the form is not told it was too quick or too old.
        data = form.data.copy()
        data["started"] = form.fields["started"].initial
        form.data = data
    response = render(request, "overdose/public_report.html", {"form": form}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def public_thanks(request):
    return render(request, "overdose/public_thanks.html")


# ---------------------------------------------------------------------------------------------
# Partner import
# ---------------------------------------------------------------------------------------------

def import_upload(request):
    return render(request, "overdose/import_upload.html", {"form": ImportUploadForm()})


def _preview(request, pending, *, form=None, status=200):
    source = pending.options["source"]
    schema = imports.PartnerReports(actor=request.user, source=source)
    table = importing.read_table(pending.filename, pending.content, max_bytes=schema.max_bytes,
                                 max_rows=schema.max_rows)
    check = importing.import_check(schema, table)
    confirm = form or ImportConfirmForm(initial={"digest": pending.digest})
    return render(request, "overdose/import_preview.html", {
        "check": check, "form": confirm, "source_label": dict(OverdoseReport.Source.choices)[source],
        "messages_list": [error.describe() for error in check.errors], "sample": check.rows[:20],
    }, status=status)


@importing.receive_upload(imports.PartnerReports.max_bytes)
def import_preview(request):
    if request.upload_too_large:
        form = ImportUploadForm()
        form.errors["file"] = form.error_class([importing.too_large_message(imports.PartnerReports.max_bytes)])
        return render(request, "overdose/import_upload.html", {"form": form}, status=413)
    if request.method != "POST":
        pending = importing.pending_load(request, imports.PartnerReports.name)
        return _preview(request, pending) if pending else redirect("overdose-import")
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "overdose/import_upload.html", {"form": form})
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        importing.read_table(upload.name, content, max_bytes=imports.PartnerReports.max_bytes,
                             max_rows=imports.PartnerReports.max_rows)
    except importing.ImportFileError as error:
        form.add_error("file", str(error))
        return render(request, "overdose/import_upload.html", {"form": form})
    importing.pending_save(request, imports.PartnerReports.name, filename=upload.name, content=content,
                           options={"source": form.cleaned_data["source"]})
    return _preview(request, importing.pending_load(request, imports.PartnerReports.name))


def import_confirm(request):
    if request.method != "POST":
        return redirect("overdose-import")
    pending = importing.pending_load(request, imports.PartnerReports.name)
    form = ImportConfirmForm(request.POST)
    if pending is None or not form.is_valid() or form.cleaned_data["digest"] != pending.digest:
        messages.error(request, _("The upload has expired, was already imported or changed since its preview. "
                                  "Upload the file again."))
        return redirect("overdose-import")
    try:
        outcome = actions.overdose_report_import(
            actor=request.user, request=request, content=pending.content, filename=pending.filename,
            source=pending.options["source"], skip_bad_rows=form.cleaned_data["skip_bad_rows"])
    except ValidationError:
        form.add_error(None, _("Nothing was imported: the file has problems. Fix them, or choose to skip those "
                               "rows."))
        return _preview(request, pending, form=form, status=400)
    importing.pending_discard(request, imports.PartnerReports.name)
    text = ngettext("%(count)s report imported.", "%(count)s reports imported.", outcome.created) % {
        "count": outcome.created}
    if outcome.already_imported:
        text += " " + ngettext("%(count)s row was imported before and was left as it was.",
                               "%(count)s rows were imported before and were left as they were.",
                               outcome.already_imported) % {"count": outcome.already_imported}
    if outcome.skipped_rows:
        text += " " + _("Skipped rows: %(rows)s.") % {"rows": ", ".join(map(str, outcome.skipped_rows))}
    messages.success(request, text)
    return redirect("overdose-reports")


# ---------------------------------------------------------------------------------------------
# Detection settings
# ---------------------------------------------------------------------------------------------

def settings_view(request):
    settings = DetectionSettings.current()
    form = DetectionSettingsForm(request.POST or None, settings=settings)
    if request.method == "POST" and form.is_valid():
        try:
            detection_settings.detection_settings_update(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Detection settings saved."))
            return redirect("overdose-settings")
    rows, counts = detection.method_comparison(settings)
    return render(request, "overdose/settings.html", {
        "form": form, "settings": settings, "rows": rows, "areas": len(counts.areas),
        "comparison_days": detection.COMPARISON_DAYS,
    })


@require_POST
def detect_now(request):
    outcome = detection.detection_run(actor=request.user)
    if not outcome.enabled:
        messages.warning(request, outcome.reason)
    else:
        text = ngettext("Checked %(areas)s area.", "Checked %(areas)s areas.", outcome.areas) % {"areas": outcome.areas}
        text += " " + ngettext("%(count)s area is above its usual level today.",
                               "%(count)s areas are above their usual level today.", outcome.alarms) % {
            "count": outcome.alarms}
        text += " " + ngettext("%(count)s new draft alert.", "%(count)s new draft alerts.", outcome.drafted) % {
            "count": outcome.drafted}
        if outcome.reason:
            text += " " + _("Not evaluated: %(reason)s.") % {"reason": outcome.reason}
        messages.success(request, text)
    return redirect("overdose-settings")
