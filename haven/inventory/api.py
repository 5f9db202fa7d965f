"""The inventory part of the JSON API (mounted under /api/stock by haven/api.py).

Staff and peers see only their own sites' stock; the catalog is the same for everyone (the
offline encounter form keeps a copy of it).
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.core.api import ID_MAX, SIGNED_IN, errors
from haven.inventory import queries

router = Router(tags=["inventory"])


class StockRowOut(Schema):
    site_id: int
    site_name: str
    item_id: int
    item_name: str
    unit: str
    lot_id: int | None
    lot_number: str
    expires_on: datetime.date | None
    quantity: int


class StockFilter(Schema):
    site: int | None = Field(None, ge=1, le=ID_MAX)


class ItemOut(Schema):
    id: int
    name: str
    category: str
    unit: str
    syringes_per_unit: int
    naloxone_doses_per_unit: int
    strip_target: str
    tests_per_unit: int
    tracks_stock: bool
    sort_order: int


class KitLineOut(Schema):
    item_id: int
    quantity: int


class KitOut(Schema):
    id: int
    name: str
    sort_order: int
    items: list[KitLineOut]


class CatalogOut(Schema):
    items: list[ItemOut]
    kits: list[KitOut]


@router.get("", response={200: list[StockRowOut], **errors(*SIGNED_IN, 404, 422)}, url_name="stock-api",
            summary="Stock on hand per site, supply and lot (your own sites, or one of them with ?site=)")
def stock(request, filters: Query[StockFilter]):
    sites = queries.stock_sites_for(request.auth)
    if filters.site is not None:
        site = sites.filter(pk=filters.site).first()
        if site is None:
            return Status(404, {"detail": _("No such site among the sites you work at.")})
        return queries.stock_on_hand(site=site)
    return queries.stock_on_hand(sites=sites)


@router.get("/catalog", response={200: CatalogOut, **errors(*SIGNED_IN)}, url_name="catalog-api",
            summary="The active supplies and kits, with what each kit holds")
def catalog(request):
    items, kits = queries.active_catalog()
    return {
        "items": list(items),
        "kits": [
            {"id": kit.pk, "name": kit.name, "sort_order": kit.sort_order,
             "items": [{"item_id": line.item_id, "quantity": line.quantity} for line in kit.items.all()]}
            for kit in kits
        ],
    }
