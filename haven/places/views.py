"""Sites and areas. Who may open each page is decided by the permission matrix."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from haven.core.forms import add_action_errors
from haven.places import actions, queries
from haven.places.forms import AreaForm, SiteForm
from haven.places.models import Area


def site_list(request):
    return render(request, "places/site_list.html", {
        "sites": queries.sites_for(request.user),
        "can_manage": request.user.has_role_permission("places.manage"),
    })


def site_create(request):
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = actions.site_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Site “%(name)s” added.") % {"name": site.name})
            return redirect("sites")
    return render(request, "places/site_form.html", {"form": form, "site": None})


def site_edit(request, site_id):
    site = get_object_or_404(queries.sites_for(request.user), pk=site_id)
    form = SiteForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        try:
            actions.site_update(actor=request.user, site=site, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Site “%(name)s” saved.") % {"name": site.name})
            return redirect("sites")
    return render(request, "places/site_form.html", {"form": form, "site": site})


def area_list(request):
    return render(request, "places/area_list.html", {
        "areas": queries.areas().annotate(site_count=Count("sites")).order_by("name"),
        "can_manage": request.user.has_role_permission("places.manage"),
    })


def area_create(request):
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = actions.area_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Area “%(name)s” added.") % {"name": area.name})
            return redirect("areas")
    return render(request, "places/area_form.html", {"form": form, "area": None})


def area_edit(request, area_id):
    area = get_object_or_404(Area, pk=area_id)
    form = AreaForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            actions.area_update(actor=request.user, area=area, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Area “%(name)s” saved.") % {"name": area.name})
            return redirect("areas")
    return render(request, "places/area_form.html", {"form": form, "area": area})
