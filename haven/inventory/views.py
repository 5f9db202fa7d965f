"""Stock on hand, the ledger, stock movements, shortfalls and the catalog.

Who may open each page is decided by the permission matrix (access.py); views scope what they
show and accept to the sites a person works at.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.core.forms import add_action_errors
from haven.inventory import actions, queries
from haven.inventory.forms import (
    AdjustForm,
    DisposeForm,
    ItemForm,
    KitForm,
    LedgerFilterForm,
    ReceiveForm,
    TransferForm,
)
from haven.inventory.models import Item, Kit, StockEntry

LEDGER_PAGE_SIZE = 50


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _chosen_site(request, sites):
    """The site named by ?site=, if it is one of the person's; None when none is named."""
    site_id = request.GET.get("site")
    if not site_id:
        return None
    return get_object_or_404(sites, pk=_int(site_id) or 0)


def _stock_url(site_id=None) -> str:
    return f"{reverse('stock')}?site={site_id}" if site_id else reverse("stock")


def stock(request):
    user = request.user
    sites = queries.stock_sites_for(user)
    chosen = _chosen_site(request, sites)
    shown = [chosen] if chosen else list(sites.filter(active=True))
    return render(request, "inventory/stock.html", {
        "stock": queries.stock_by_site(shown),
        "sites": sites,
        "chosen": chosen,
        "expiring": queries.expiring_soon(sites=shown),
        "low": queries.low_stock(sites=shown),
        "can_receive": user.has_role_permission("inventory.receive"),
        "can_manage": user.has_role_permission("inventory.manage"),
    })


def stock_ledger(request):
    sites = queries.stock_sites_for(request.user)
    form = LedgerFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = queries.ledger(sites=sites, site=filters.get("site"), item=filters.get("item"),
                             kind=filters.get("kind"))
    page = Paginator(entries, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inventory/ledger.html", {"form": form, "page": page, "query": query.urlencode()})


# Stock movements: one form page each, the same shape.

MOVEMENTS = {
    "receive": (ReceiveForm, actions.stock_receive, gettext_lazy("Receive stock"),
                gettext_lazy("Record a delivery. Stock on hand goes up at the site you choose."),
                gettext_lazy("Record the delivery")),
    "transfer": (TransferForm, actions.stock_transfer, gettext_lazy("Transfer stock"),
                 gettext_lazy("Move stock from one site to another. Both sites' stock is updated together."),
                 gettext_lazy("Transfer")),
    "adjust": (AdjustForm, actions.stock_adjust, gettext_lazy("Adjust stock"),
               gettext_lazy("Correct the record after a count. Nothing is changed or erased: the correction "
                            "is a new line in the ledger."),
               gettext_lazy("Record the adjustment")),
    "dispose": (DisposeForm, actions.stock_dispose, gettext_lazy("Dispose of stock"),
                gettext_lazy("Take expired or damaged supplies out of the count."),
                gettext_lazy("Record the disposal")),
}


def _expired_refused(error: ValidationError) -> bool:
    if not hasattr(error, "error_dict"):
        return False
    return any(item.code == "expired" for item in error.error_dict.get("expires_on", []))


def _movement(request, kind):
    form_class, action, title, intro, submit = MOVEMENTS[kind]
    sites = queries.stock_sites_for(request.user)
    initial_site = _chosen_site(request, sites)
    form = form_class(request.POST or None, user=request.user, initial_site=initial_site)
    show_confirm = bool(request.POST.get("confirm_expired"))
    if request.method == "POST" and form.is_valid():
        try:
            result = action(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            show_confirm = show_confirm or _expired_refused(error)
            add_action_errors(form, error)
        else:
            entry = result[0] if isinstance(result, list) else result
            messages.success(request, _("Saved: %(kind)s, %(item)s.") % {
                "kind": entry.get_kind_display(), "item": entry.item.name})
            site_id = form.cleaned_data.get("site", form.cleaned_data.get("from_site")).pk
            return redirect(_stock_url(site_id))
    return render(request, "inventory/stock_form.html", {
        "form": form, "title": title, "intro": intro, "submit": submit, "show_confirm": show_confirm,
        "back": _stock_url(initial_site.pk if initial_site else None),
    })


def stock_receive(request):
    return _movement(request, "receive")


def stock_transfer(request):
    return _movement(request, "transfer")


def stock_adjust(request):
    return _movement(request, "adjust")


def stock_dispose(request):
    return _movement(request, "dispose")


def stock_shortfalls(request):
    sites = queries.stock_sites_for(request.user)
    if request.method == "POST":
        entry = get_object_or_404(StockEntry.objects.filter(site__in=sites, shortfall=True).select_related("site"),
                                  pk=_int(request.POST.get("entry")) or 0)
        try:
            actions.shortfall_resolve(actor=request.user, entry=entry, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Shortfall resolved. If a count shows a different number on the shelf, "
                                        "record an adjustment."))
        return redirect("stock-shortfalls")
    return render(request, "inventory/shortfalls.html", {"shortfalls": queries.open_shortfalls(sites=sites)})


# The catalog


def catalog(request):
    items, kits = queries.catalog()
    return render(request, "inventory/catalog.html", {
        "items": items, "kits": kits, "can_manage": request.user.has_role_permission("inventory.manage"),
    })


def catalog_item_new(request):
    return _item_form(request, None)


def catalog_item_edit(request, item_id):
    return _item_form(request, get_object_or_404(Item, pk=item_id))


def _item_form(request, item):
    form = ItemForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        fields = {**form.cleaned_data, "strip_target": form.cleaned_data["strip_target"] or ""}
        try:
            if item is None:
                item = actions.item_create(actor=request.user, request=request, **fields)
            else:
                actions.item_update(actor=request.user, item=item, request=request, **fields)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Supply “%(name)s” saved.") % {"name": item.name})
            return redirect("catalog")
    return render(request, "inventory/item_form.html", {"form": form, "item": item})


def catalog_kit_new(request):
    return _kit_form(request, None)


def catalog_kit_edit(request, kit_id):
    return _kit_form(request, get_object_or_404(Kit.objects.prefetch_related("items"), pk=kit_id))


def _kit_form(request, kit):
    form = KitForm(request.POST or None, kit=kit)
    if request.method == "POST" and form.is_valid():
        try:
            if kit is None:
                kit = actions.kit_create(actor=request.user, request=request, items=form.kit_items(),
                                         **form.kit_fields())
            else:
                actions.kit_update(actor=request.user, kit=kit, request=request, items=form.kit_items(),
                                   **form.kit_fields())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Kit “%(name)s” saved.") % {"name": kit.name})
            return redirect("catalog")
    return render(request, "inventory/kit_form.html", {"form": form, "kit": kit})
