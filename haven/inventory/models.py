"""The supply catalog, kits, lots, the append-only stock ledger and its running balance.

The ledger is the record: a correction is a new entry. `StockBalance` keeps, per site, item and
lot, the sum of the ledger so far; it is written only with the ledger lines it sums (in
`inventory.actions._ledger_add`), in the same transaction, and `queries.balance_mismatches()`
checks it against the ledger.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Item(models.Model):
    """One kind of supply, counted in units (a syringe, a box of 10 syringes, a 2-dose naloxone kit)."""

    class Category(models.TextChoices):
        SYRINGE = "syringe", _("Syringes")
        INJECTION = "injection", _("Other injection equipment")
        SMOKING = "smoking", _("Safer smoking")
        SNORTING = "snorting", _("Safer snorting")
        NALOXONE = "naloxone", _("Naloxone")
        TEST_STRIP = "test_strip", _("Drug checking test strips")
        WOUND_CARE = "wound_care", _("Wound care")
        SEXUAL_HEALTH = "sexual_health", _("Sexual health")
        SHARPS = "sharps", _("Sharps disposal")
        OTHER = "other", _("Other")

    class StripTarget(models.TextChoices):
        FENTANYL = "fentanyl", _("Fentanyl")
        XYLAZINE = "xylazine", _("Xylazine")
        BENZODIAZEPINE = "benzodiazepine", _("Benzodiazepines")
        NITAZENE = "nitazene", _("Nitazenes")
        MEDETOMIDINE = "medetomidine", _("Medetomidine")

    name = models.CharField(_("name"), max_length=120, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=40, default="each", help_text=_("e.g. each, box of 10, kit"))
    # Indicators count syringes and naloxone doses, not units: a box of 10 is 10 syringes, a
    # two-dose nasal naloxone kit is 2 doses (naloxone is measured in doses).
    syringes_per_unit = models.PositiveIntegerField(_("syringes per unit"), default=0)
    naloxone_doses_per_unit = models.PositiveIntegerField(_("naloxone doses per unit"), default=0)
    strip_target = models.CharField(_("test strip detects"), max_length=20, choices=StripTarget.choices, blank=True)
    tests_per_unit = models.PositiveIntegerField(_("test strips per unit"), default=0)
    tracks_stock = models.BooleanField(_("tracks stock"), default=True)
    low_stock_threshold = models.PositiveIntegerField(_("warn below (units, per site)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("supply item")

    def __str__(self):
        return self.name


class Kit(models.Model):
    """A bundle that expands to its items when given (e.g. a safer injection kit)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class KitItem(models.Model):
    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kit", "item"], name="kit_item_once")]

    def __str__(self):
        return f"{self.kit}: {self.quantity} × {self.item}"


class Lot(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(_("lot number"), max_length=60)
    expires_on = models.DateField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["expires_on", "lot_number"]
        constraints = [models.UniqueConstraint(fields=["item", "lot_number"], name="lot_number_per_item")]

    def __str__(self):
        return f"{self.item} lot {self.lot_number}"


class AppendOnlyQuerySet(models.QuerySet):
    """The ledger is append-only: a correction is a new entry, so bulk edits and deletes are refused."""

    def update(self, **kwargs):
        raise TypeError("the stock ledger is append-only: record a correcting entry instead")

    def delete(self):
        raise TypeError("the stock ledger is append-only: record a correcting entry instead")


class StockEntry(models.Model):
    """One line of the append-only ledger. Quantities are signed units: + in, − out."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRANSFER_OUT = "transfer_out", _("Transferred out")
        TRANSFER_IN = "transfer_in", _("Transferred in")
        ADJUSTED = "adjusted", _("Adjusted")
        DISPOSED = "disposed", _("Disposed")
        DRAWN = "drawn", _("Given at an encounter")

    site = models.ForeignKey("places.Site", on_delete=models.PROTECT, related_name="stock_entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="stock_entries")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="stock_entries")
    quantity = models.IntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Both halves of a transfer share one id.
    transfer_id = models.UUIDField(null=True, blank=True, db_index=True)
    encounter = models.ForeignKey("encounters.Encounter", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="stock_entries")
    # Given without stock on record: the encounter is never refused; a coordinator is told.
    shortfall = models.BooleanField(default=False)
    shortfall_resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # A shortfall is closed by a new entry that offsets it (resolved, or put back when its
    # encounter is voided), never by editing it: `shortfall_resolved_at` stays empty.
    resolves = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="resolution")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["site", "item", "lot"]),
            models.Index(fields=["shortfall", "shortfall_resolved_at"]),
            # Open shortfalls per site (the coordinator's home page): a few rows among millions.
            models.Index(fields=["site", "created_at"], condition=Q(shortfall=True), name="stock_entry_shortfalls"),
        ]
        verbose_name_plural = _("stock entries")

    def __str__(self):
        return f"{self.kind} {self.quantity:+d} {self.item} at {self.site}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise TypeError("the stock ledger is append-only: record a correcting entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("the stock ledger is append-only: record a correcting entry instead")


class StockBalance(models.Model):
    """Stock on hand per site, item and lot: the running sum of the ledger (never edited by hand).

    One row per site, item and lot that has ever had a ledger line (the lot is empty for stock
    without a lot, and for shortfalls); `on_hand` may be 0, or below 0 for stock without a lot.
    `first_in` is the moment of the first ledger line of the row: first-expiry-first-out breaks
    ties between lots with the same expiry by it.
    """

    site = models.ForeignKey("places.Site", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on_hand = models.IntegerField(default=0)
    first_in = models.DateTimeField()

    class Meta:
        constraints = [
            # NULLs are distinct in a UNIQUE constraint on both databases, so the rows without a lot
            # need a constraint of their own.
            models.UniqueConstraint(fields=["site", "item", "lot"], condition=Q(lot__isnull=False),
                                    name="stock_balance_per_lot"),
            models.UniqueConstraint(fields=["site", "item"], condition=Q(lot__isnull=True),
                                    name="stock_balance_without_lot"),
        ]
        indexes = [models.Index(fields=["site", "item", "lot"], name="stock_balance_site_item")]

    def __str__(self):
        return f"{self.on_hand} {self.item} at {self.site}"
