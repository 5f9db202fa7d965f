"""Reads of the catalog and the stock ledger that pages, the API and the home page share.

Stock on hand is read from the running balance (`StockBalance`, one row per site, item and lot,
kept by `inventory.actions._ledger_add` with the ledger lines). The ledger is the record:
`balance_mismatches()` compares the two.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haven.inventory.models import Item, Kit, KitItem, Lot, StockBalance, StockEntry
from haven.places.queries import sites_for

EXPIRING_SOON_DAYS = 60
HOME_WARNINGS_SHOWN = 8


@dataclass
class StockRow:
    site_id: int
    site_name: str
    item_id: int
    item_name: str
    unit: str
    category: str
    lot_id: int | None
    lot_number: str
    expires_on: datetime.date | None
    quantity: int

    @property
    def is_naloxone(self) -> bool:
        return self.category == Item.Category.NALOXONE

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


@dataclass
class ItemStock:
    """One supply at one site: the total and the lots it is made of."""

    item_id: int
    item_name: str
    unit: str
    category: str
    low_stock_threshold: int | None
    total: int = 0
    lots: list[StockRow] = field(default_factory=list)

    @property
    def low(self) -> bool:
        return self.low_stock_threshold is not None and self.total < self.low_stock_threshold


def _rows(balances, *, keep_zero=False) -> list[StockRow]:
    """One row per balance (site, item and lot): `balances` is a StockBalance queryset."""
    rows = (
        balances.values("site_id", "site__name", "item_id", "item__name", "item__unit", "item__category",
                        "item__sort_order", "lot_id", "lot__lot_number", "lot__expires_on", quantity=F("on_hand"))
        .order_by("site__name", "item__sort_order", "item__name", "lot__expires_on", "lot__lot_number")
    )
    return [
        StockRow(site_id=row["site_id"], site_name=row["site__name"], item_id=row["item_id"],
                 item_name=row["item__name"], unit=row["item__unit"], category=row["item__category"],
                 lot_id=row["lot_id"], lot_number=row["lot__lot_number"] or "", expires_on=row["lot__expires_on"],
                 quantity=row["quantity"])
        for row in rows
        if keep_zero or row["quantity"]
    ]


def stock_on_hand(*, site=None, item=None, sites=None) -> list[StockRow]:
    """What is on hand per site, item and lot (rows that add up to zero are left out)."""
    balances = StockBalance.objects.all()
    if site is not None:
        balances = balances.filter(site=site)
    if sites is not None:
        balances = balances.filter(site__in=sites)
    if item is not None:
        balances = balances.filter(item=item)
    return _rows(balances)


def stock_by_item_for_site(site, *, rows: list[StockRow] | None = None) -> list[ItemStock]:
    """Totals per supply at a site, each with its lots; supplies never stocked there are left out."""
    if rows is None:
        rows = _rows(StockBalance.objects.filter(site=site), keep_zero=True)
    thresholds = dict(Item.objects.filter(pk__in={row.item_id for row in rows})
                      .values_list("pk", "low_stock_threshold"))
    by_item: dict[int, ItemStock] = {}
    for row in rows:
        if row.site_id != site.pk:
            continue
        stock = by_item.setdefault(row.item_id, ItemStock(
            item_id=row.item_id, item_name=row.item_name, unit=row.unit, category=row.category,
            low_stock_threshold=thresholds.get(row.item_id)))
        stock.total += row.quantity
        if row.quantity:
            stock.lots.append(row)
    return list(by_item.values())


def stock_by_site(sites) -> list[tuple]:
    """[(site, [ItemStock])] for several sites, from one query."""
    sites = list(sites)
    rows = _rows(StockBalance.objects.filter(site__in=sites), keep_zero=True)
    return [(site, stock_by_item_for_site(site, rows=rows)) for site in sites]


def expiring_soon(*, sites, days=EXPIRING_SOON_DAYS) -> list[StockRow]:
    """Lots on hand that expire within `days` (or have expired), naloxone first, soonest first."""
    until = timezone.localdate() + datetime.timedelta(days=days)
    rows = _rows(StockBalance.objects.filter(site__in=sites, lot__expires_on__lte=until, on_hand__gt=0))
    rows.sort(key=lambda row: (not row.is_naloxone, row.expires_on, row.site_name, row.item_name))
    return rows


@dataclass
class LowStock:
    site_id: int
    site_name: str
    item_id: int
    item_name: str
    category: str
    quantity: int
    threshold: int


def low_stock(*, sites) -> list[LowStock]:
    """Supplies under their threshold at a site that has stocked them (naloxone first)."""
    rows = (
        StockBalance.objects.filter(site__in=sites, item__low_stock_threshold__isnull=False, item__active=True)
        .values("site_id", "site__name", "item_id", "item__name", "item__category", "item__low_stock_threshold")
        .annotate(quantity=Sum("on_hand"))
        .order_by()
    )
    found = [
        LowStock(site_id=row["site_id"], site_name=row["site__name"], item_id=row["item_id"],
                 item_name=row["item__name"], category=row["item__category"], quantity=row["quantity"],
                 threshold=row["item__low_stock_threshold"])
        for row in rows
        if row["quantity"] < row["item__low_stock_threshold"]
    ]
    found.sort(key=lambda row: (row.category != Item.Category.NALOXONE, row.site_name, row.item_name))
    return found


def open_shortfalls(*, sites):
    """Supplies given without stock on record that nobody has looked into yet, oldest first."""
    resolved = StockEntry.objects.filter(resolves=OuterRef("pk"))
    return (
        StockEntry.objects.filter(site__in=sites, shortfall=True)
        .exclude(Exists(resolved))
        .select_related("site", "item")
        .order_by("created_at", "pk")
    )


_MISMATCHES = """
SELECT site_id, item_id, lot_id, SUM(ledger), SUM(balance), SUM(balance_rows), MIN(ledger_first), MIN(balance_first)
FROM (
    SELECT site_id, item_id, lot_id, quantity AS ledger, 0 AS balance, 0 AS balance_rows,
           created_at AS ledger_first, NULL AS balance_first
    FROM inventory_stockentry
    UNION ALL
    SELECT site_id, item_id, lot_id, 0, on_hand, 1, NULL, first_in
    FROM inventory_stockbalance
) AS lines
GROUP BY site_id, item_id, lot_id
HAVING SUM(ledger) <> SUM(balance) OR SUM(balance_rows) <> 1 OR MIN(ledger_first) IS NULL
    OR MIN(ledger_first) <> MIN(balance_first)
"""


@dataclass
class BalanceMismatch:
    site_id: int
    item_id: int
    lot_id: int | None
    ledger: int
    balance: int
    balance_rows: int


def balance_mismatches() -> list[BalanceMismatch]:
    """Where the running balance and the ledger disagree (on hand, first line, or a row missing or
    extra): one GROUP BY over both tables. Empty when all is well. Reads the whole ledger."""
    with connection.cursor() as cursor:
        cursor.execute(_MISMATCHES)
        return [BalanceMismatch(site_id=row[0], item_id=row[1], lot_id=row[2], ledger=row[3] or 0,
                                balance=row[4] or 0, balance_rows=row[5] or 0)
                for row in cursor.fetchall()]


def ledger(*, sites, site=None, item=None, kind=None):
    entries = StockEntry.objects.filter(site__in=sites).select_related("site", "item", "lot", "created_by")
    if site is not None:
        entries = entries.filter(site=site)
    if item is not None:
        entries = entries.filter(item=item)
    if kind:
        entries = entries.filter(kind=kind)
    resolved = Exists(StockEntry.objects.filter(resolves=OuterRef("pk")))
    return entries.annotate(resolved=resolved).order_by("-created_at", "-pk")


def stock_sites_for(user):
    """Sites whose stock a person sees (all for admins and coordinators, their own otherwise)."""
    return sites_for(user).order_by("name")


def stock_sites_for_none():
    """An empty site list for form fields, narrowed to a person's sites when the form is made."""
    from haven.places.models import Site

    return Site.objects.none()


def active_items():
    return Item.objects.filter(active=True)


def stocked_items():
    return Item.objects.filter(active=True, tracks_stock=True)


def lots_on_record():
    lots = Lot.objects.filter(item__active=True, item__tracks_stock=True).select_related("item")
    return lots.order_by("item__sort_order", "item__name", "expires_on", "lot_number")


def catalog():
    """Every item and every kit with its contents, in three queries."""
    items = Item.objects.all()
    kits = Kit.objects.prefetch_related(
        Prefetch("items", queryset=KitItem.objects.select_related("item").order_by("item__sort_order", "item__name"))
    )
    return items, kits


def active_catalog():
    items, kits = catalog()
    return items.filter(active=True), kits.filter(active=True)


def home_warnings(user, *, expiring_naloxone: bool = True) -> list[dict]:
    """What needs attention at a person's sites: low stock, expiring lots (naloxone called out, unless
    `expiring_naloxone` is False: the coordinator's home lists it with the rest of what needs
    attention), and, for coordinators, supplies given without stock on record. [{level, message, url}]"""
    if not user.has_role_permission("inventory.view"):
        return []
    sites = list(sites_for(user).filter(active=True))
    if not sites:
        return []
    stock_url = reverse("stock")
    warnings = []
    today = timezone.localdate()
    for row in expiring_soon(sites=sites):
        if row.is_naloxone and not expiring_naloxone:
            continue
        values = {"item": row.item_name, "lot": row.lot_number, "site": row.site_name,
                  "date": date_format(row.expires_on, "DATE_FORMAT"), "count": row.quantity}
        if row.expires_on < today:
            message = _("%(item)s lot %(lot)s at %(site)s expired on %(date)s (%(count)s on hand).") % values
        else:
            message = _("%(item)s lot %(lot)s at %(site)s expires on %(date)s (%(count)s on hand).") % values
        if row.is_naloxone:
            message = _("Naloxone: %(message)s") % {"message": message}
        warnings.append({"level": "error" if row.is_naloxone else "warning", "message": message,
                         "url": f"{stock_url}?site={row.site_id}"})
    for row in low_stock(sites=sites):
        naloxone = row.category == Item.Category.NALOXONE
        message = _("Low stock: %(count)s %(item)s at %(site)s (warns below %(threshold)s).") % {
            "count": row.quantity, "item": row.item_name, "site": row.site_name, "threshold": row.threshold}
        warnings.append({"level": "error" if naloxone else "warning", "message": message,
                         "url": f"{stock_url}?site={row.site_id}"})
    # Naloxone first, then the rest in the order found.
    warnings.sort(key=lambda warning: warning["level"] != "error")
    if user.has_role_permission("inventory.manage"):
        count = open_shortfalls(sites=sites).count()
        if count:
            message = ngettext("%(count)s supply was given without stock on record. Look into it.",
                               "%(count)s supplies were given without stock on record. Look into them.",
                               count) % {"count": count}
            warnings.insert(0, {"level": "warning", "message": message, "url": reverse("stock-shortfalls")})
    if len(warnings) > HOME_WARNINGS_SHOWN:
        more = len(warnings) - HOME_WARNINGS_SHOWN + 1
        warnings = warnings[:HOME_WARNINGS_SHOWN - 1]
        warnings.append({"level": "info", "message": _("%(count)s more stock warnings.") % {"count": more},
                         "url": stock_url})
    return warnings
