"""The admin's retention page: periods per kind of record, legal holds, recent expiry runs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from haven.core.forms import add_action_errors
from haven.core.retention import kinds
from haven.retention import actions, queries
from haven.retention.forms import HoldForm, PeriodForm
from haven.retention.models import LegalHold


def _labelled(records, labels):
    records = list(records)
    for record in records:
        record.kind_label = labels.get(record.kind, record.kind)
    return records


def _page(request, *, period_form=None, period_kind=None, hold_form=None, status=200):
    labels = {key: kind.label for key, kind in kinds().items()}
    return render(request, "retention/retention.html", {
        "rows": queries.kind_rows(),
        "period_form": period_form, "period_kind": period_kind,
        "hold_form": hold_form or HoldForm(),
        "holds": _labelled(queries.active_holds(), labels),
        "released": _labelled(queries.released_holds(limit=20), labels),
        "runs": _labelled(queries.recent_runs(), labels),
    }, status=status)


def retention_page(request):
    return _page(request)


@require_POST
def retention_set_view(request):
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            setting = actions.retention_set(actor=request.user, request=request, kind=form.cleaned_data["kind"],
                                            days=form.cleaned_data["days"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, ngettext("Saved: kept for %(days)s day.", "Saved: kept for %(days)s days.",
                                               setting.days) % {"days": setting.days})
            return redirect("retention")
    return _page(request, period_form=form, period_kind=request.POST.get("kind"), status=400)


@require_POST
def hold_new(request):
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            actions.hold_place(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The record is held: it will not expire until the hold is released."))
            return redirect("retention")
    return _page(request, hold_form=form, status=400)


@require_POST
def hold_release_view(request, hold_id: int):
    hold = get_object_or_404(LegalHold, pk=hold_id)
    try:
        actions.hold_release(actor=request.user, request=request, hold=hold)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Hold released. The record expires when its time has passed."))
    return redirect("retention")


@require_POST
def run_now(request):
    runs = actions.retention_expire(actor=request.user)
    total = sum(run.records for run in runs)
    messages.success(request, ngettext("Expiry ran: %(count)s record expired.", "Expiry ran: %(count)s records expired.",
                                       total) % {"count": total})
    return redirect("retention")
