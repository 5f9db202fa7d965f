"""Every write to the catalog and the stock ledger: validated, transactional and audited.

The ledger is append-only. Stock moves by adding entries (received, transferred, adjusted, disposed,
drawn at an encounter); a mistake is corrected by a new entry, never by editing an old one.

When no lot is named, taking stock follows first-expiry-first-out across the lots on hand (undated
stock last) and adding stock goes to the site's stock without a lot.

Every ledger line is written by `_ledger_add`, which moves the running balance (`StockBalance`) by
the same quantities in the same transaction; stock on hand is read from the balance.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, Q, Sum, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.inventory.models import Item, Kit, KitItem, Lot, StockBalance, StockEntry
from haven.places.models import Site

# More than this in one entry is a typing slip, not a delivery.
MAX_QUANTITY = 1_000_000
MAX_KIT_QUANTITY = 1_000
VOID_REASON = "encounter voided"
SHORTFALL_RESOLVED_REASON = "shortfall resolved"

ITEM_FIELDS = ("name", "category", "unit", "syringes_per_unit", "naloxone_doses_per_unit", "strip_target",
               "tests_per_unit", "tracks_stock", "low_stock_threshold", "active", "sort_order")
KIT_FIELDS = ("name", "active", "sort_order")

Kind = StockEntry.Kind


# ---- Validation helpers -------------------------------------------------------------------


def _quantity_problem(quantity, *, signed=False) -> str | None:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return _("Enter a whole number.")
    if signed and quantity == 0:
        return _("An adjustment of zero changes nothing. Enter how many to add (+) or remove (−).")
    if not signed and quantity <= 0:
        return _("Enter a number greater than zero.")
    if abs(quantity) > MAX_QUANTITY:
        return _("That is more than %(max)s in one entry. Check the number.") % {"max": f"{MAX_QUANTITY:,}"}
    return None


def _stock_problems(*, site, item, quantity, signed=False) -> dict[str, list[str]]:
    """Problems shared by every stock movement, all at once so a form is fixed in one go."""
    errors: dict[str, list[str]] = {}
    if not isinstance(site, Site):
        errors["site"] = [_("Choose a site.")]
    elif not site.active:
        errors["site"] = [_("This site is inactive. Reactivate it before moving stock there.")]
    if not isinstance(item, Item):
        errors["item"] = [_("Choose a supply from the catalog.")]
    elif not item.tracks_stock:
        errors["item"] = [_("This supply does not track stock. Turn on “tracks stock” in the catalog first.")]
    problem = _quantity_problem(quantity, signed=signed)
    if problem:
        errors["quantity"] = [problem]
    return errors


def _check_lot(errors, *, item, lot) -> None:
    if lot is not None and isinstance(item, Item) and lot.item_id != item.pk:
        errors["lot"] = [_("This lot belongs to another supply.")]


def _clean_reason(reason) -> str:
    return " ".join((reason or "").split())[:200]


def _lock_sites(*sites) -> None:
    """Serialise stock writers per site, so two draws never both take the last unit.

    On PostgreSQL the site rows are locked (in id order, so two transfers cannot deadlock); SQLite's
    IMMEDIATE transactions already hold the database's write lock.
    """
    if connection.vendor == "postgresql":
        ids = sorted({site.pk for site in sites})
        list(Site.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _ledger_add(entries: list[StockEntry], *, balances: dict[tuple, int] | None = None) -> list[StockEntry]:
    """Write ledger lines and move the running balance by their quantities, in one transaction.

    The only writer of `StockEntry` and `StockBalance`. Callers hold the site lock (PostgreSQL) or
    SQLite's write lock, so reading the balance rows and then writing them is safe. Three queries
    whatever the number of lines: the insert, the balance rows concerned, one UPDATE (plus one
    INSERT for balance rows seen for the first time). A caller that has just read the balance rows
    passes `balances` ({(site_id, item_id, lot_id): balance id}, complete for the lines' keys: a key
    missing from it is a new row), which saves the read.
    """
    if not entries:
        return []
    with transaction.atomic(savepoint=False):  # the callers' transaction, without a savepoint
        entries = StockEntry.objects.bulk_create(entries)
        moves: dict[tuple, list] = {}
        for entry in entries:
            key = (entry.site_id, entry.item_id, entry.lot_id)
            move = moves.setdefault(key, [0, entry.created_at])
            move[0] += entry.quantity
            move[1] = min(move[1], entry.created_at)
        if balances is None:
            match = Q()
            for site_id, item_id, lot_id in moves:
                match |= Q(site_id=site_id, item_id=item_id, lot_id=lot_id) if lot_id is not None else \
                    Q(site_id=site_id, item_id=item_id, lot__isnull=True)
            balances = {(site_id, item_id, lot_id): pk for pk, site_id, item_id, lot_id in
                        StockBalance.objects.filter(match).values_list("pk", "site_id", "item_id", "lot_id")}
        existing = {key: balances[key] for key in moves if key in balances}
        changed = {existing[key]: quantity for key, (quantity, _first) in moves.items()
                   if key in existing and quantity}
        if changed:
            StockBalance.objects.filter(pk__in=list(changed)).update(on_hand=F("on_hand") + Case(
                *(When(pk=pk, then=Value(quantity)) for pk, quantity in changed.items()), default=Value(0)))
        StockBalance.objects.bulk_create([
            StockBalance(site_id=site_id, item_id=item_id, lot_id=lot_id, on_hand=quantity, first_in=first)
            for (site_id, item_id, lot_id), (quantity, first) in moves.items()
            if (site_id, item_id, lot_id) not in existing
        ])
    return entries


BALANCE_FROM_LEDGER_SQL = """
INSERT INTO inventory_stockbalance (site_id, item_id, lot_id, on_hand, first_in)
SELECT site_id, item_id, lot_id, SUM(quantity), MIN(created_at)
FROM inventory_stockentry
GROUP BY site_id, item_id, lot_id
"""


@transaction.atomic
def stock_balance_rebuild(*, actor=None) -> int:
    """Compute the running balance again from the ledger (the record), for every site. Returns the
    number of balance rows. Only needed if `haven check` reports a mismatch."""
    _lock_sites(*Site.objects.all())
    StockBalance.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(BALANCE_FROM_LEDGER_SQL)
    count = StockBalance.objects.count()
    audit_record(actor=actor, action="balance_rebuild", object_type="inventory.stockbalance", object_id="all",
                 detail={"rows": count})
    return count


def _buckets(*, site, items) -> dict[int, list[dict]]:
    """Stock on hand per item and lot at a site, first to expire first: one query of the balance.

    Lots without an expiry and stock without a lot come last; ties go to the lot received first.
    """
    return _balances(site=site, items=items)[0]


def _balances(*, site, items) -> tuple[dict[int, list[dict]], dict[tuple, int]]:
    """`_buckets`, and the ids of the balance rows a draw may change: those with stock, and the
    rows without a lot (a shortfall goes there) whatever they hold."""
    rows = (
        StockBalance.objects.filter(Q(on_hand__gt=0) | Q(lot__isnull=True), site=site, item__in=items)
        .values("pk", "item_id", "lot_id", "lot__expires_on", "on_hand", "first_in")
        .order_by()
    )
    by_item: dict[int, list[dict]] = defaultdict(list)
    ids = {}
    for row in rows:
        ids[(site.pk, row["item_id"], row["lot_id"])] = row["pk"]
        if row["on_hand"] > 0:
            by_item[row["item_id"]].append(row)
    for lots in by_item.values():
        lots.sort(key=lambda row: (
            row["lot__expires_on"] is None,
            row["lot__expires_on"] or datetime.date.max,
            row["lot_id"] is None,  # a dated lot before stock received with no lot at all
            row["first_in"],
            row["lot_id"] or 0,
        ))
    return by_item, ids


def _allocate(buckets: list[dict], quantity: int) -> tuple[list[tuple[int | None, int]], int]:
    """Take `quantity` from the buckets in order: [(lot_id, taken)], and what could not be taken."""
    taken = []
    remaining = quantity
    for bucket in buckets:
        if remaining <= 0:
            break
        take = min(bucket["on_hand"], remaining)
        taken.append((bucket["lot_id"], take))
        remaining -= take
    return taken, remaining


def _on_hand(*, site, item, lot=None, any_lot=False) -> int:
    balances = StockBalance.objects.filter(site=site, item=item)
    if not any_lot:
        balances = balances.filter(lot=lot)
    return balances.aggregate(total=Sum("on_hand"))["total"] or 0


def _take(*, site, item, lot, quantity, errors) -> list[tuple[int | None, int]]:
    """Where `quantity` comes from: the named lot, or first-expiry-first-out. Refuses an overdraft."""
    if lot is not None:
        on_hand = _on_hand(site=site, item=item, lot=lot)
        if quantity > on_hand:
            errors["quantity"] = [_("Only %(on_hand)s of this lot are on hand at %(site)s.")
                                  % {"on_hand": max(on_hand, 0), "site": site.name}]
        return [(lot.pk, quantity)]
    taken, short = _allocate(_buckets(site=site, items=[item]).get(item.pk, []), quantity)
    if short:
        on_hand = quantity - short
        errors["quantity"] = [_("Only %(on_hand)s are on hand at %(site)s.")
                              % {"on_hand": on_hand, "site": site.name}]
    return taken


def _raise(errors) -> None:
    if errors:
        raise ValidationError(errors)


# ---- Encounters ---------------------------------------------------------------------------


@transaction.atomic(savepoint=False)  # inside encounter_record's transaction: no savepoint needed
def stock_draw_for_encounter(*, encounter, actor=None, supplies=None) -> list[StockEntry]:
    """Take what an encounter gave from its site's stock, first-expiry-first-out.

    An encounter is never refused for lack of stock: what is not on record is drawn anyway as a
    shortfall (an entry without a lot) that a coordinator is asked to look into.

    `supplies` is what the encounter gave as (item, quantity) pairs, when the caller has just
    saved those lines (`encounter_record`): they are then not read back from the database.
    """
    needed: dict[int, int] = defaultdict(int)
    if supplies is not None:
        for item, quantity in supplies:
            if item.tracks_stock and quantity > 0:
                needed[item.pk] += quantity
        if not needed:
            return []
        _lock_sites(encounter.site)
    else:
        # Reading the supplies locks the site's row on PostgreSQL (what `_lock_sites` does) in the
        # same query, and only when there is something to draw.
        lines = encounter.supplies.filter(item__tracks_stock=True, quantity__gt=0)
        if connection.vendor == "postgresql":
            lines = lines.select_related("encounter__site").select_for_update(of=("encounter__site",))
        for line in lines.only("item_id", "quantity", "encounter__site__id"):
            needed[line.item_id] += line.quantity
        if not needed:
            return []
    # Stock on hand is read after the lock, by a new statement, so it sees what a draw that held
    # the lock before has written.
    site = encounter.site
    buckets, balance_ids = _balances(site=site, items=list(needed))
    now = timezone.now()
    created_by = actor if getattr(actor, "pk", None) else None
    entries = []
    for item_id, quantity in needed.items():
        taken, short = _allocate(buckets.get(item_id, []), quantity)
        for lot_id, amount in taken:
            entries.append(StockEntry(site=site, item_id=item_id, lot_id=lot_id, quantity=-amount, kind=Kind.DRAWN,
                                      encounter=encounter, created_at=now, created_by=created_by))
        if short:
            entries.append(StockEntry(site=site, item_id=item_id, lot=None, quantity=-short, kind=Kind.DRAWN,
                                      encounter=encounter, shortfall=True, created_at=now, created_by=created_by))
    entries = _ledger_add(entries, balances=balance_ids)
    shortfalls = [entry for entry in entries if entry.shortfall]
    if shortfalls:
        audit_record(actor=created_by, action="stock_shortfall", obj=encounter,
                     detail={"entries": [entry.pk for entry in shortfalls],
                             "items": [entry.item_id for entry in shortfalls], "site": site.pk})
    return entries


@transaction.atomic(savepoint=False)  # inside the caller's transaction (a medical response record)
def stock_draw_for_care(*, site, item, quantity, reason, actor=None, request=None) -> list[StockEntry]:
    """Take supplies used in care on site (naloxone given during an overdose response) from the
    site's lots, first-expiry-first-out.

    Like a visit's draw, care is never refused for lack of stock: what is not on record is drawn as
    a shortfall for a coordinator to look into.
    """
    if quantity <= 0 or not item.tracks_stock:
        return []
    _lock_sites(site)
    buckets, balance_ids = _balances(site=site, items=[item])
    now = timezone.now()
    created_by = actor if getattr(actor, "pk", None) else None
    taken, short = _allocate(buckets.get(item.pk, []), quantity)
    entries = [StockEntry(site=site, item=item, lot_id=lot_id, quantity=-amount, kind=Kind.DRAWN, reason=reason,
                          created_at=now, created_by=created_by) for lot_id, amount in taken]
    if short:
        entries.append(StockEntry(site=site, item=item, lot=None, quantity=-short, kind=Kind.DRAWN, reason=reason,
                                  shortfall=True, created_at=now, created_by=created_by))
    entries = _ledger_add(entries, balances=balance_ids)
    audit_record(actor=created_by, action="create", obj=entries[0], request=request,
                 detail={"site": site.pk, "item": item.pk, "entries": [entry.pk for entry in entries],
                         "drawn_for": "care", "shortfall": bool(short)})
    return entries


@transaction.atomic
def stock_return_for_void(*, encounter, actor=None) -> list[StockEntry]:
    """Put back exactly what a voided encounter's draws took, lot by lot. Safe to call twice."""
    _lock_sites(encounter.site)
    drawn = list(encounter.stock_entries.filter(kind=Kind.DRAWN).select_related("resolution"))
    already = encounter.stock_entries.filter(kind=Kind.ADJUSTED, reason=VOID_REASON).exists()
    if not drawn or already:
        return []
    now = timezone.now()
    created_by = actor if getattr(actor, "pk", None) else None
    entries = []
    for entry in drawn:
        open_shortfall = entry.shortfall and not hasattr(entry, "resolution")
        entries.append(StockEntry(
            site_id=entry.site_id, item_id=entry.item_id, lot_id=entry.lot_id, quantity=-entry.quantity,
            kind=Kind.ADJUSTED, reason=VOID_REASON, encounter=encounter, created_at=now, created_by=created_by,
            resolves=entry if open_shortfall else None,
        ))
    entries = _ledger_add(entries)
    audit_record(actor=created_by, action="stock_return", obj=encounter,
                 detail={"entries": [entry.pk for entry in entries], "site": encounter.site_id})
    return entries


# ---- Stock movements ----------------------------------------------------------------------


def _lot_for_receipt(*, item, lot_number, expires_on, errors) -> Lot | None:
    """The lot a delivery goes into, creating it when new. Without a lot number, stock with an
    expiry is kept as a lot named after its expiry date so first-expiry-first-out still works."""
    if not isinstance(item, Item):
        return None
    lot_number = " ".join((lot_number or "").split())
    if not lot_number and expires_on is None:
        return None
    if not lot_number:
        lot_number = f"EXP {expires_on.isoformat()}"
    if len(lot_number) > 60:
        errors["lot_number"] = [_("A lot number has at most 60 characters.")]
        return None
    lot = Lot.objects.filter(item=item, lot_number=lot_number).first()
    if lot is None:
        return Lot(item=item, lot_number=lot_number, expires_on=expires_on)
    if expires_on is not None and lot.expires_on is not None and lot.expires_on != expires_on:
        errors["expires_on"] = [_("Lot %(lot)s is already recorded as expiring on %(date)s. Check the date, "
                                  "or use another lot number.")
                                % {"lot": lot_number, "date": date_format(lot.expires_on, "DATE_FORMAT")}]
    return lot


@transaction.atomic
def stock_receive(*, actor, site, item, quantity, lot_number="", expires_on=None, confirm_expired=False,
                  request=None) -> StockEntry:
    """Record a delivery. Stock that has already expired is refused unless `confirm_expired`."""
    errors = _stock_problems(site=site, item=item, quantity=quantity)
    if expires_on is not None and not isinstance(expires_on, datetime.date):
        errors["expires_on"] = [_("Enter the expiry as a date.")]
        expires_on = None
    lot = _lot_for_receipt(item=item, lot_number=lot_number, expires_on=expires_on, errors=errors)
    expiry = expires_on or (lot.expires_on if lot is not None else None)
    if expiry is not None and expiry < timezone.localdate() and not confirm_expired and "expires_on" not in errors:
        errors["expires_on"] = [ValidationError(
            _("This stock expired on %(date)s. Check the date, or confirm that you are receiving expired stock "
              "(for example, to record it before disposing of it).") % {"date": date_format(expiry, "DATE_FORMAT")},
            code="expired",
        )]
    _raise(errors)
    _lock_sites(site)
    new_lot = lot is not None and lot.pk is None
    if new_lot:
        lot.save()
    elif lot is not None and lot.expires_on is None and expires_on is not None:
        # A lot first recorded without its date: the same lot, so the same date for all of it.
        lot.expires_on = expires_on
        lot.save(update_fields=["expires_on"])
    [entry] = _ledger_add([StockEntry(site=site, item=item, lot=lot, quantity=quantity, kind=Kind.RECEIVED,
                                      created_by=actor)])
    audit_record(actor=actor, action="stock_receive", obj=entry, request=request,
                 detail={"site": site.pk, "item": item.pk, "lot": getattr(lot, "pk", None), "new_lot": new_lot,
                         "fields": ["quantity"] + (["expires_on"] if expiry else [])})
    return entry


@transaction.atomic
def stock_transfer(*, actor, from_site, to_site, item, lot=None, quantity, request=None) -> list[StockEntry]:
    """Move stock between sites: a TRANSFER_OUT and a TRANSFER_IN per lot, sharing one transfer id."""
    errors = _stock_problems(site=from_site, item=item, quantity=quantity)
    to_errors = _stock_problems(site=to_site, item=item, quantity=quantity)
    if "site" in errors:
        errors["from_site"] = errors.pop("site")
    if "site" in to_errors:
        errors["to_site"] = to_errors["site"]
    if isinstance(from_site, Site) and isinstance(to_site, Site) and from_site.pk == to_site.pk:
        errors["to_site"] = [_("Choose a different site to transfer to.")]
    _check_lot(errors, item=item, lot=lot)
    _raise(errors)
    _lock_sites(from_site, to_site)
    taken = _take(site=from_site, item=item, lot=lot, quantity=quantity, errors=errors)
    _raise(errors)
    transfer_id = uuid.uuid4()
    now = timezone.now()
    entries = []
    for lot_id, amount in taken:
        entries.append(StockEntry(site=from_site, item=item, lot_id=lot_id, quantity=-amount, kind=Kind.TRANSFER_OUT,
                                  transfer_id=transfer_id, created_at=now, created_by=actor))
        entries.append(StockEntry(site=to_site, item=item, lot_id=lot_id, quantity=amount, kind=Kind.TRANSFER_IN,
                                  transfer_id=transfer_id, created_at=now, created_by=actor))
    entries = _ledger_add(entries)
    audit_record(actor=actor, action="stock_transfer", object_type="inventory.transfer", object_id=transfer_id,
                 request=request, detail={"from_site": from_site.pk, "to_site": to_site.pk, "item": item.pk,
                                          "entries": [entry.pk for entry in entries]})
    return entries


def _remove_or_add(*, actor, site, item, lot, quantity, kind, reason, request, action) -> list[StockEntry]:
    now = timezone.now()
    if quantity > 0:
        parts = [(getattr(lot, "pk", None), quantity)]
    else:
        errors: dict = {}
        parts = [(lot_id, -amount) for lot_id, amount in
                 _take(site=site, item=item, lot=lot, quantity=-quantity, errors=errors)]
        _raise(errors)
    entries = _ledger_add([
        StockEntry(site=site, item=item, lot_id=lot_id, quantity=amount, kind=kind, reason=reason,
                   created_at=now, created_by=actor)
        for lot_id, amount in parts
    ])
    audit_record(actor=actor, action=action, obj=entries[0], request=request,
                 detail={"site": site.pk, "item": item.pk, "entries": [entry.pk for entry in entries],
                         "fields": ["quantity", "reason"]})
    return entries


@transaction.atomic
def stock_adjust(*, actor, site, item, lot=None, quantity, reason, request=None) -> list[StockEntry]:
    """Correct the record after a count: + adds, − removes (never below what is on hand)."""
    errors = _stock_problems(site=site, item=item, quantity=quantity, signed=True)
    _check_lot(errors, item=item, lot=lot)
    reason = _clean_reason(reason)
    if not reason:
        errors["reason"] = [_("Say why the stock is adjusted, for example “count on 3 March”.")]
    _raise(errors)
    _lock_sites(site)
    return _remove_or_add(actor=actor, site=site, item=item, lot=lot, quantity=quantity, kind=Kind.ADJUSTED,
                          reason=reason, request=request, action="stock_adjust")


@transaction.atomic
def stock_dispose(*, actor, site, item, lot=None, quantity, reason, request=None) -> list[StockEntry]:
    """Take expired or damaged stock out of the count."""
    errors = _stock_problems(site=site, item=item, quantity=quantity)
    _check_lot(errors, item=item, lot=lot)
    reason = _clean_reason(reason)
    if not reason:
        errors["reason"] = [_("Say why the stock is disposed of, for example “expired” or “damaged”.")]
    _raise(errors)
    _lock_sites(site)
    return _remove_or_add(actor=actor, site=site, item=item, lot=lot, quantity=-quantity, kind=Kind.DISPOSED,
                          reason=reason, request=request, action="stock_dispose")


@transaction.atomic
def shortfall_resolve(*, actor, entry, request=None) -> StockEntry:
    """Close a shortfall: the supplies came from stock that was not on record, so offset it.

    If a count then shows a different number on the shelf, that is a separate adjustment.
    """
    _lock_sites(entry.site)
    if not entry.shortfall:
        raise ValidationError(_("This entry is not a shortfall."))
    if StockEntry.objects.filter(resolves=entry).exists():
        raise ValidationError(_("This shortfall is already resolved."))
    [resolution] = _ledger_add([StockEntry(
        site_id=entry.site_id, item_id=entry.item_id, lot=None, quantity=-entry.quantity, kind=Kind.ADJUSTED,
        reason=SHORTFALL_RESOLVED_REASON, resolves=entry, encounter_id=entry.encounter_id, created_by=actor,
    )])
    audit_record(actor=actor, action="shortfall_resolve", obj=entry, request=request,
                 detail={"resolution": resolution.pk, "site": entry.site_id, "item": entry.item_id})
    return resolution


# ---- Catalog ------------------------------------------------------------------------------


def _validate_item(item: Item) -> None:
    errors: dict[str, list] = {}
    item.name = " ".join((item.name or "").split())
    item.unit = " ".join((item.unit or "").split()) or "each"
    if not item.name:
        errors["name"] = [_("Give the supply a name.")]
    elif Item.objects.filter(name__iexact=item.name).exclude(pk=item.pk).exists():
        errors["name"] = [_("A supply with this name already exists. Choose another name.")]
    if item.category == Item.Category.SYRINGE and not item.syringes_per_unit:
        errors["syringes_per_unit"] = [_("Say how many syringes one unit holds (1 for a single syringe).")]
    if item.category == Item.Category.NALOXONE and not item.naloxone_doses_per_unit:
        errors["naloxone_doses_per_unit"] = [_("Say how many naloxone doses one unit holds (2 for a two-dose kit).")]
    if item.category == Item.Category.TEST_STRIP:
        if not item.strip_target:
            errors["strip_target"] = [_("Say what the test strip detects.")]
        if not item.tests_per_unit:
            errors["tests_per_unit"] = [_("Say how many test strips one unit holds.")]
    elif item.strip_target:
        errors["strip_target"] = [_("Only test strips detect a substance. Choose the test strip category.")]
    for field in ("syringes_per_unit", "naloxone_doses_per_unit", "tests_per_unit", "low_stock_threshold"):
        value = getattr(item, field)
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_QUANTITY:
            errors.setdefault(field, []).append(_("That number is too large. Check it."))
    try:
        item.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _apply(obj, changes: dict, allowed, validate) -> list[str]:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise TypeError(f"cannot change {', '.join(unknown)}")
    original = {field: getattr(obj, field) for field in allowed}
    for field, value in changes.items():
        setattr(obj, field, value)
    try:
        validate(obj)
    except ValidationError:
        for field, value in original.items():
            setattr(obj, field, value)
        raise
    return [field for field in allowed if getattr(obj, field) != original[field]]


@transaction.atomic
def item_create(*, actor, request=None, **fields) -> Item:
    item = Item()
    _apply(item, fields, ITEM_FIELDS, _validate_item)
    item.save()
    audit_record(actor=actor, action="create", obj=item, request=request, detail={"fields": sorted(fields)})
    return item


@transaction.atomic
def item_update(*, actor, item, request=None, **changes) -> Item:
    changed = _apply(item, changes, ITEM_FIELDS, _validate_item)
    if changed:
        item.save(update_fields=changed)
        audit_record(actor=actor, action="update", obj=item, request=request, detail={"fields": changed})
    return item


def _kit_lines(items) -> tuple[dict[int, tuple[Item, int]], list[str]]:
    """Normalise kit contents given as {item: quantity} or [(item, quantity)]; zero means “not in the kit”."""
    pairs = items.items() if isinstance(items, dict) else items
    lines: dict[int, tuple[Item, int]] = {}
    problems = []
    for item, quantity in pairs:
        if not isinstance(item, Item):
            problems.append(_("Choose supplies from the catalog."))
            continue
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            problems.append(_("Enter a whole number of %(item)s, or 0.") % {"item": item.name})
            continue
        if quantity > MAX_KIT_QUANTITY:
            problems.append(_("A kit holds at most %(max)s of one supply.") % {"max": MAX_KIT_QUANTITY})
            continue
        if quantity:
            previous = lines.get(item.pk, (item, 0))[1]
            lines[item.pk] = (item, previous + quantity)
    if not lines and not problems:
        problems.append(_("A kit needs at least one supply."))
    return lines, problems


def _validate_kit(kit: Kit, problems: list[str]) -> None:
    errors: dict[str, list] = {}
    kit.name = " ".join((kit.name or "").split())
    if not kit.name:
        errors["name"] = [_("Give the kit a name.")]
    elif Kit.objects.filter(name__iexact=kit.name).exclude(pk=kit.pk).exists():
        errors["name"] = [_("A kit with this name already exists. Choose another name.")]
    if problems:
        errors["items"] = problems
    try:
        kit.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _set_kit_items(kit: Kit, lines: dict[int, tuple[Item, int]]) -> bool:
    current = {line.item_id: line for line in kit.items.all()}
    changed = False
    for item_id, line in current.items():
        if item_id not in lines:
            line.delete()
            changed = True
    for item_id, (item, quantity) in lines.items():
        line = current.get(item_id)
        if line is None:
            KitItem.objects.create(kit=kit, item=item, quantity=quantity)
            changed = True
        elif line.quantity != quantity:
            line.quantity = quantity
            line.save(update_fields=["quantity"])
            changed = True
    return changed


@transaction.atomic
def kit_create(*, actor, name, items, active=True, sort_order=100, request=None) -> Kit:
    """A kit and what it holds: `items` is {item: quantity} or [(item, quantity)]."""
    lines, problems = _kit_lines(items)
    kit = Kit(name=name, active=active, sort_order=sort_order)
    _validate_kit(kit, problems)
    kit.save()
    _set_kit_items(kit, lines)
    audit_record(actor=actor, action="create", obj=kit, request=request,
                 detail={"fields": list(KIT_FIELDS) + ["items"], "items": sorted(lines)})
    return kit


@transaction.atomic
def kit_update(*, actor, kit, items=None, request=None, **changes) -> Kit:
    lines, problems = _kit_lines(items) if items is not None else (None, [])
    changed = _apply(kit, changes, KIT_FIELDS, lambda obj: _validate_kit(obj, problems))
    if changed:
        kit.save(update_fields=changed)
    if lines is not None and _set_kit_items(kit, lines):
        changed.append("items")
    if changed:
        audit_record(actor=actor, action="update", obj=kit, request=request, detail={"fields": changed})
    return kit
