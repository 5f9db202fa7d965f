"""Drug checking pages: intake, tests, review, laboratory import, and the public lookup and market view.

Who may open each page is decided by the permission matrix (access.py); lookups of a sample are
scoped to the sites the person works at (queries.visible_samples).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haven.core import importing, ratelimit
from haven.core.forms import add_action_errors
from haven.drugchecking import actions, findings, queries, strips, vocabulary
from haven.drugchecking.forms import (
    ComponentsForm,
    ImportConfirmForm,
    ImportUploadForm,
    IntakeForm,
    LookupForm,
    ReagentForm,
    ReviewForm,
    StripForm,
)
from haven.drugchecking.imports import LaboratoryResults
from haven.drugchecking.models import Analysis, Sample

PAGE_SIZE = 50
HANDOVER_SESSION_KEY = "drugchecking-handover"
SPECTROMETRY = (Analysis.Method.FTIR, Analysis.Method.RAMAN)
LABORATORY = (Analysis.Method.GCMS, Analysis.Method.LCMS, Analysis.Method.NMR)

# The file format's own words: column names stay in English whatever the page's language.
LABORATORY_CSV_EXAMPLE = """sample,method,substance,abundance,percent,lot,date
12,GC-MS,fentanyl,major,,LAB-0312,2026-03-02
12,GC-MS,xylazine,minor,,LAB-0312,2026-03-02"""


def _sample_or_404(request, sample_id) -> Sample:
    try:
        return queries.sample_for(request.user, sample_id)
    except Sample.DoesNotExist:
        raise Http404 from None


def sample_list(request):
    samples = queries.visible_samples(request.user)
    status = request.GET.get("status", "")
    if status in Sample.Status.values:
        samples = samples.filter(status=status)
    page = Paginator(samples, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "drugchecking/sample_list.html", {
        "page": page, "status": status, "statuses": Sample.Status.choices,
        "can_import": request.user.has_role_permission("drugchecking.manage"),
    })


def sample_new(request):
    form = IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sample, code = actions.sample_intake(actor=request.user, request=request, **form.action_arguments())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            # Shown once on the next page and then gone: only its keyed hash is stored.
            request.session[HANDOVER_SESSION_KEY] = {"sample": sample.pk, "code": code}
            return redirect("drugchecking-handover", sample_id=sample.pk)
    return render(request, "drugchecking/intake_form.html", {"form": form})


def sample_handover(request, sample_id):
    import segno

    sample = _sample_or_404(request, sample_id)
    handover = request.session.get(HANDOVER_SESSION_KEY) or {}
    code = handover.get("code") if handover.get("sample") == sample.pk else None
    if code is None:
        messages.info(request, _("The sample code was shown once, when the sample was taken in. It is not stored, "
                                 "so it cannot be shown again."))
        return redirect("drugchecking-sample", sample_id=sample.pk)
    del request.session[HANDOVER_SESSION_KEY]
    # The QR code opens the result page with the code filled in. The code rides in the fragment
    # ("#code=..."), which browsers never send to the server, so it stays out of access logs.
    result_page = request.build_absolute_uri(reverse("drugchecking-result"))
    result_url = f"{result_page}#code={code}"
    qr_svg = segno.make(result_url, micro=False).svg_inline(scale=4, border=2, dark="#000", light="#fff",
                                                           svgclass="sample-qr", omitsize=False)
    return render(request, "drugchecking/handover.html", {
        "sample": sample, "code": code, "qr_svg": qr_svg, "result_url": result_url, "result_page": result_page})


def sample_detail(request, sample_id):
    sample = _sample_or_404(request, sample_id)
    analyses = list(queries.analyses_of(sample))
    finding = queries.finding_for(sample, analyses)
    user = request.user
    # Four eyes: whoever recorded a test leaves the review to someone else (unless the program allows it).
    tested_it = any(analysis.performed_by_id == user.pk for analysis in analyses)
    others_review = tested_it and not settings.HAVEN_DRUGCHECKING_SELF_REVIEW
    return render(request, "drugchecking/sample_detail.html", {
        "sample": sample, "analyses": queries.analysis_views(analyses), "finding": finding,
        "possible_names": queries.possible_names(finding, analyses),
        "classification_label": dict(Sample.Classification.choices).get(finding.classification),
        "can_test": user.has_role_permission("drugchecking.test"),
        "can_review": user.has_role_permission("drugchecking.review") and bool(analyses) and not others_review,
        "others_review": others_review and user.has_role_permission("drugchecking.review"),
    })


def _test_page(request, sample, form, template, extra=None, action=None):
    if request.method == "POST" and form.is_valid():
        try:
            action(form)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Result saved."))
            return redirect("drugchecking-sample", sample_id=sample.pk)
    return render(request, template, {"sample": sample, "form": form, **(extra or {})},
                  status=400 if form.is_bound and form.errors else 200)


def strip_new(request, sample_id):
    sample = _sample_or_404(request, sample_id)
    form = StripForm(request.POST or None)
    return _test_page(request, sample, form, "drugchecking/strip_form.html", {"strips": strips.STRIPS.values()},
                      lambda form: actions.strip_record(actor=request.user, request=request, sample=sample,
                                                        **form.cleaned_data))


def reagent_new(request, sample_id):
    from haven.drugchecking import reagents

    sample = _sample_or_404(request, sample_id)
    form = ReagentForm(request.POST or None, reagents=reagents.reagent_choices())

    def record(form):
        data = {key: form.cleaned_data[key] for key in ("lot", "performed_at", "notes")}
        actions.reagent_record(actor=request.user, request=request, sample=sample,
                               observations=form.observations(), **data)

    return _test_page(request, sample, form, "drugchecking/reagent_form.html",
                      {"colours": reagents.colour_choices()}, record)


def _components_new(request, sample_id, methods, title):
    sample = _sample_or_404(request, sample_id)
    form = ComponentsForm(request.POST or None, methods=methods)

    def record(form):
        data = {key: form.cleaned_data[key] for key in ("method", "lot", "performed_at", "notes")}
        actions.components_record(actor=request.user, request=request, sample=sample,
                                  components=form.parsed_components(), **data)

    return _test_page(request, sample, form, "drugchecking/components_form.html", {"title": title}, record)


def spectrometry_new(request, sample_id):
    return _components_new(request, sample_id, SPECTROMETRY, _("Record a spectrometry result"))


def laboratory_new(request, sample_id):
    return _components_new(request, sample_id, LABORATORY, _("Record a laboratory result"))


def sample_review(request, sample_id):
    sample = _sample_or_404(request, sample_id)
    analyses = list(queries.analyses_of(sample))
    finding = queries.finding_for(sample, analyses)
    advice = findings.draft_advice(finding)
    initial = {"classification": sample.classification or finding.classification,
               "advice": sample.advice or findings.advice_text(advice)}
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sample, drafted = actions.sample_review(actor=request.user, request=request, sample=sample,
                                                    **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            text = _("Reviewed: the participant can now see the result with their code.")
            if drafted:
                text += " " + ngettext("%(count)s alert drafted for review.", "%(count)s alerts drafted for review.",
                                       len(drafted)) % {"count": len(drafted)}
            messages.success(request, text)
            return redirect("drugchecking-sample", sample_id=sample.pk)
    return render(request, "drugchecking/review_form.html", {
        "sample": sample, "form": form, "finding": finding, "advice": advice,
        "possible_names": queries.possible_names(finding, analyses),
        "analyses": queries.analysis_views(analyses),
        "classification_label": dict(Sample.Classification.choices).get(finding.classification),
    })


# ---------------------------------------------------------------------------------------------
# Laboratory import
# ---------------------------------------------------------------------------------------------

@importing.receive_upload(LaboratoryResults.max_bytes)
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.upload_too_large:
        form = ImportUploadForm()
        form.errors["file"] = form.error_class([importing.too_large_message(LaboratoryResults.max_bytes)])
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            importing.read_table(upload.name, content, max_bytes=LaboratoryResults.max_bytes,
                                 max_rows=LaboratoryResults.max_rows)
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            importing.pending_save(request, LaboratoryResults.name, filename=upload.name, content=content)
            return _import_preview(request, importing.pending_load(request, LaboratoryResults.name))
    status = 413 if request.upload_too_large else 400 if form.is_bound and form.errors else 200
    return render(request, "drugchecking/import_upload.html", {"form": form, "example_csv": LABORATORY_CSV_EXAMPLE},
                  status=status)


def _import_preview(request, pending, *, status=None, error=""):
    table = importing.read_table(pending.filename, pending.content, max_bytes=LaboratoryResults.max_bytes,
                                 max_rows=LaboratoryResults.max_rows)
    check = importing.import_check(LaboratoryResults(actor=request.user), table)
    return render(request, "drugchecking/import_preview.html", {
        "check": check, "form": ImportConfirmForm(initial={"digest": pending.digest}), "error": error,
        "rows": check.rows[:50], "messages_list": importing.describe_by_row(check.errors),
    }, status=status or (200 if check.ok else 400))


def import_confirm(request):
    if request.method != "POST":
        return redirect("drugchecking-import")
    pending = importing.pending_load(request, LaboratoryResults.name)
    form = ImportConfirmForm(request.POST)
    if pending is None or not form.is_valid() or form.cleaned_data["digest"] != pending.digest:
        messages.error(request, _("The upload has expired, was already imported or changed since its preview. "
                                  "Upload the file again."))
        return redirect("drugchecking-import")
    table = importing.read_table(pending.filename, pending.content, max_bytes=LaboratoryResults.max_bytes,
                                 max_rows=LaboratoryResults.max_rows)
    try:
        result = importing.import_commit(LaboratoryResults(actor=request.user), table, request=request)
    except importing.ImportRefused:
        return _import_preview(request, pending, status=400,
                               error=_("Nothing was imported: the file has problems. Fix them and upload it again."))
    importing.pending_discard(request, LaboratoryResults.name)
    text = ngettext("%(count)s laboratory result imported.", "%(count)s laboratory results imported.",
                    result.created) % {"count": result.created}
    if result.already_imported:
        text += " " + ngettext("%(count)s result was imported before and was left as it was.",
                               "%(count)s results were imported before and were left as they were.",
                               result.already_imported) % {"count": result.already_imported}
    messages.success(request, text)
    return redirect("drugchecking-samples")


# ---------------------------------------------------------------------------------------------
# Public pages
# ---------------------------------------------------------------------------------------------

def public_lookup(request):
    form = LookupForm(request.POST or None)
    context, status = {"form": form}, 200
    if request.method == "POST" and form.is_valid():
        try:
            sample = actions.result_lookup(code=form.cleaned_data["code"], client=ratelimit.client_of(request))
        except ratelimit.RateLimited as limited:
            status = 429
            retry_after = limited.retry_after
            if limited.scope == "overall":
                form.add_error(None, _("Too many lookups in the last hour. Please try again in an hour, or ask "
                                       "the staff who took your sample."))
            else:
                form.add_error(None, _("Too many lookups from this connection in the last hour. Please wait a "
                                       "while and try again, or ask the staff who took your sample."))
        else:
            context["looked_up"] = True
            if sample is not None:
                context["result"] = {
                    "classification": sample.get_classification_display(),
                    "found": [findings.Detected(key).name for key in sample.found],
                    "sold_as": vocabulary.name_of(sample.expected),
                    "advice": sample.advice,
                    "methods": queries.participant_methods(sample),
                }
            # Same page and words for an unknown code and a result not reviewed yet.
            form = LookupForm()
            context["form"] = form
    response = render(request, "drugchecking/public_lookup.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    # Not "no-referrer": browsers then send "Origin: null" with the form, and CSRF checks refuse it.
    response["Referrer-Policy"] = "same-origin"
    return response


def public_market(request):
    return render(request, "drugchecking/public_market.html", {"tables": queries.market_tables()})
