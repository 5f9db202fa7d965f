"""The dashboard, funder reports, their exports and the template editor.

Who may open each page is decided by the permission matrix (access.py). Internal pages show exact
counts and say so; every download is built from the suppressed report and says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.reports import actions, exports
from haven.reports import dashboard as dashboard_data
from haven.reports.forms import ReportScopeForm, TemplateForm
from haven.reports.models import ReportTemplate
from haven.reports.periods import EXAMPLES, PeriodError, current_period, name_of, parse_period
from haven.reports.report import EXACT, SHAREABLE, build_report, kind_note
from haven.reports.suppression import SuppressionError
from haven.reports.templates_lookup import all_templates, template_by_slug

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def dashboard(request):
    return render(request, "reports/dashboard.html", dashboard_data.dashboard(timezone.localdate()))


def indicator_definitions(request):
    """Every number's definition and source, as a page (docs/INDICATORS.md holds the same for developers)."""
    from haven.reports.indicators import INDICATORS

    return render(request, "reports/indicators.html", {"indicators": INDICATORS})


def template_list(request):
    stored = {row.slug: row for row in ReportTemplate.objects.all()}
    return render(request, "reports/template_list.html", {
        "templates": all_templates(), "stored": stored,
        "can_edit": request.user.has_role_permission("reports.templates"),
        "can_export": request.user.has_role_permission("reports.export"),
    })


def _scope(request, template):
    """(form, period, site, mode, problem): a bad period gives a message, never an error page."""
    form = ReportScopeForm(request.GET or None)
    site = mode = None
    text = ""
    if form.is_bound and form.is_valid():
        site, mode, text = form.cleaned_data["site"], form.cleaned_data["mode"] or None, form.cleaned_data["period"]
    elif form.is_bound:
        return form, None, None, None, _("Choose a site and a service mode from the lists.")
    if not text:
        period = current_period(template.period, timezone.localdate(), fiscal_year_starts=template.fiscal_year_starts)
        return form, period, site, mode, None
    try:
        period = parse_period(text, template.period, fiscal_year_starts=template.fiscal_year_starts)
    except PeriodError as error:
        return form, None, site, mode, str(error)
    return form, period, site, mode, None


def _template_or_404(slug):
    template = template_by_slug(slug)
    if template is None:
        raise Http404
    return template


def report_view(request, slug):
    template = _template_or_404(slug)
    form, period, site, mode, problem = _scope(request, template)
    kind = SHAREABLE if request.GET.get("kind") == SHAREABLE else EXACT
    report = None
    if period is not None:
        try:
            report = build_report(template, period, kind=kind, site=site, mode=mode)
        except SuppressionError:
            problem = _("This table cannot be suppressed safely, so it is not shown in shareable form. "
                        "Choose a longer period or fewer columns.")
    query = request.GET.copy()
    query.pop("kind", None)
    return render(request, "reports/report.html", {
        "template": template, "form": form, "report": report, "problem": problem, "kind": kind,
        "exact": kind == EXACT, "query": query.urlencode(), "example": EXAMPLES[template.period],
        "period_name": name_of(period, template.period) if period else "",
        "can_export": request.user.has_role_permission("reports.export"),
    }, status=400 if problem and report is None else 200)


def report_export(request, slug, file_format):
    template = _template_or_404(slug)
    if file_format not in CONTENT_TYPES:
        raise Http404
    form, period, site, mode, problem = _scope(request, template)
    if problem is None:
        try:
            report = build_report(template, period, kind=SHAREABLE, site=site, mode=mode)
        except SuppressionError:
            problem = _("This table cannot be suppressed safely, so nothing was exported.")
    if problem is not None:
        messages.error(request, problem)
        return redirect("reports-report", slug=slug)
    if file_format == "csv":
        content = exports.to_csv(report)
    elif file_format == "xlsx":
        content = exports.to_xlsx(report)
    else:
        content = exports.to_pdf(report, charts=dashboard_data.report_charts(report))
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    filename = f"{template.slug}-{name_of(period, template.period)}-suppressed.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def open_data(request):
    text = (request.GET.get("period") or "").strip()
    if not text:
        return render(request, "reports/open_data.html", {"note": kind_note(SHAREABLE)})
    try:
        period = parse_period(text, "calendar_year")
    except PeriodError as error:
        return render(request, "reports/open_data.html", {"note": kind_note(SHAREABLE), "problem": str(error),
                                                          "period": text}, status=400)
    try:
        content = exports.open_data_csv(period)
    except SuppressionError:
        return render(request, "reports/open_data.html", {
            "note": kind_note(SHAREABLE), "period": text,
            "problem": _("This year cannot be suppressed safely, so nothing was exported.")}, status=400)
    response = HttpResponse(content, content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="open-data-{period.start.year}-suppressed.csv"'
    return response


def template_new(request):
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = actions.report_template_save(actor=request.user, yaml_text=form.cleaned_data["yaml_text"],
                                                  request=request)
        except ValidationError as error:
            for message in error.message_dict.get("yaml_text", error.messages):
                form.add_error(None, message)
        else:
            messages.success(request, _("Template “%(name)s” saved.") % {"name": stored.name})
            return redirect("reports-report", slug=stored.slug)
    return render(request, "reports/template_form.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def template_delete(request, slug):
    stored = ReportTemplate.objects.filter(slug=slug).first()
    if stored is None:
        raise Http404
    actions.report_template_delete(actor=request.user, template=stored, request=request)
    messages.success(request, _("Template “%(name)s” deleted.") % {"name": stored.name})
    return redirect("reports-templates")
