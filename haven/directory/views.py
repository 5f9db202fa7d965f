"""Directory pages: the public directory (no JavaScript needed, printable), the staff view, editing,
HSDS import and export, and partner tokens. Who may open each is decided by the permission matrix."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.directory import actions, hsds, queries, vocabulary
from haven.directory.forms import AvailabilityForm, FilterForm, PackageForm, PartnerForm, ServiceForm
from haven.directory.models import Attribute, DirectoryPartner, Service


def _filters(request) -> tuple[FilterForm, queries.Filters]:
    form = FilterForm(request.GET or None, languages=queries.languages_offered())
    filters = queries.Filters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.Filters(text=data["q"].strip(), category=data["category"], low_barrier=data["needs"],
                                  language=data["language"], open_now=data["open_now"])
    return form, filters


def public_directory(request):
    form, filters = _filters(request)
    return render(request, "directory/public_directory.html", {
        "form": form, "cards": queries.service_cards(filters), "labels": vocabulary.labels(), "now": timezone.localtime(),
    })


def public_service(request, service_id):
    service = Service.objects.filter(pk=service_id, status__in=queries.PUBLIC_STATUSES).first()
    if service is None:
        raise Http404(_("This service is not in the directory any more."))
    cards = [card for card in queries.service_cards(queries.Filters()) if card.service.pk == service.pk]
    return render(request, "directory/public_service.html", {"card": cards[0] if cards else None,
                                                             "labels": vocabulary.labels()})


def export_package(request):
    tables = queries.directory_tables()
    if request.GET.get("format") == "csv":
        response = HttpResponse(hsds.csv_zip_from_tables(tables), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="hsds-directory.zip"'
        return response
    response = HttpResponse(json.dumps(hsds.json_from_tables(tables), indent=1, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hsds-directory.json"'
    return response


def staff_directory(request):
    form, filters = _filters(request)
    return render(request, "directory/staff_directory.html", {
        "form": form, "labels": vocabulary.labels(),
        "cards": queries.service_cards(filters, statuses=Service.Status.values),
        "can_edit": request.user.has_role_permission("directory.edit"),
        "can_import": request.user.has_role_permission("directory.import"),
    })


def service_edit(request, service_id=None):
    service = None
    initial = {"status": Service.Status.ACTIVE}
    if service_id is not None:
        service = Service.objects.select_related("organization").filter(pk=service_id).first()
        if service is None:
            raise Http404
        codes = set(Attribute.objects.filter(link_id=service.pk).values_list("taxonomy_term__code", flat=True))
        initial = {"organization": service.organization_id, "name": service.name, "description": service.description,
                   "status": service.status, "application_process": service.application_process,
                   "eligibility_description": service.eligibility_description,
                   "fees_description": service.fees_description, "url": service.url, "email": service.email,
                   "category": next((c for c in vocabulary.CATEGORY_CODES if c in codes), ""),
                   "low_barrier": [c for c in vocabulary.LOW_BARRIER_CODES if c in codes],
                   "languages": ", ".join(service.languages.values_list("code", flat=True))}
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = data["organization"] or actions.organization_create(
                actor=request.user, name=data["new_organization"], request=request)
            saved = actions.service_save(
                actor=request.user, service=service, organization=organization, values=data,
                low_barrier=data["low_barrier"], category=data["category"], languages=data["language_codes"],
                request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("directory-staff")
    return render(request, "directory/service_form.html", {"form": form, "service": service},
                  status=400 if form.errors else 200)


def availability(request, service_id):
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise Http404
    form = AvailabilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.availability_update(actor=request.user, service=service, beds=form.cleaned_data["beds"],
                                    slots=form.cleaned_data["slots"], request=request)
        messages.success(request, _("Availability updated."))
        return redirect("directory-staff")
    return render(request, "directory/availability_form.html", {"form": form, "service": service},
                  status=400 if form.errors else 200)


def import_package(request):
    form = PackageForm(request.POST or None, request.FILES or None)
    report = None
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            tables, report = hsds.tables_from_bytes(upload.name, upload.read())
            actions.directory_import(actor=request.user, tables=tables, report=report, request=request)
        except hsds.PackageError as error:
            problem = error.text(_)
        except ValidationError as error:
            problem = error.messages[0]
        else:
            messages.success(request, _("Imported. Nothing was left out that Haven keeps."))
    status = 400 if (form.errors or problem) else 200
    return render(request, "directory/import_form.html", {"form": form, "report": report, "problem": problem},
                  status=status)


def partners(request):
    form = PartnerForm(request.POST or None if request.POST.get("do") != "revoke" else None)
    new_token = None
    if request.method == "POST" and request.POST.get("do") == "revoke":
        partner_id = request.POST.get("partner", "")
        partner = DirectoryPartner.objects.filter(pk=int(partner_id)).first() if partner_id.isdigit() else None
        if partner is None:
            raise Http404
        actions.partner_revoke(actor=request.user, partner=partner, request=request)
        messages.success(request, _("Token revoked."))
        return redirect("directory-partners")
    if request.method == "POST" and form.is_valid():
        try:
            _partner, new_token = actions.partner_create(actor=request.user, request=request,
                                                         organization=form.cleaned_data["organization"],
                                                         label=form.cleaned_data["label"])
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "directory/partners.html", {
        "form": form, "new_token": new_token,
        "partners": DirectoryPartner.objects.select_related("organization").order_by("-created_at"),
    }, status=400 if form.errors else 200)
