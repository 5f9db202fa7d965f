"""Forms for stock movements and the catalog. They only read input: saving is the actions' job.

No min/max validators on quantities: the actions give the clearer message for a bad number.
"""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from haven.inventory import queries
from haven.inventory.models import Item, StockEntry

QUANTITY_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "step": 1})


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, lot):
        if lot.expires_on:
            return _("%(item)s · lot %(lot)s · expires %(date)s") % {
                "item": lot.item.name, "lot": lot.lot_number, "date": date_format(lot.expires_on, "DATE_FORMAT")}
        return _("%(item)s · lot %(lot)s") % {"item": lot.item.name, "lot": lot.lot_number}


def _site_field(label=None):
    return forms.ModelChoiceField(label=label or _("Site"), queryset=queries.stock_sites_for_none(), empty_label=None)


def _item_field():
    return forms.ModelChoiceField(label=_("Supply"), queryset=queries.stocked_items(),
                                  empty_label=_("Choose a supply"))


def _lot_field(help_text):
    return LotChoiceField(label=_("Lot"), queryset=queries.lots_on_record(), required=False,
                          empty_label=_("No particular lot"), help_text=help_text)


class _StockForm(forms.Form):
    site_fields = ("site",)

    def __init__(self, *args, user, initial_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        sites = queries.stock_sites_for(user).filter(active=True)
        for name in self.site_fields:
            self.fields[name].queryset = sites
        if initial_site is not None and not self.is_bound:
            self.initial.setdefault(self.site_fields[0], initial_site.pk)


class ReceiveForm(_StockForm):
    site = _site_field()
    item = _item_field()
    quantity = forms.IntegerField(label=_("How many units"), widget=QUANTITY_WIDGET,
                                  help_text=_("In the supply's own unit: a box of 10 counts as 1."))
    lot_number = forms.CharField(label=_("Lot number"), max_length=60, required=False,
                                 help_text=_("As printed on the box. Needed to track expiry by lot."))
    expires_on = forms.DateField(label=_("Expires"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    confirm_expired = forms.BooleanField(
        label=_("Yes, record this expired stock"), required=False,
        help_text=_("For example, to record stock that arrived expired before disposing of it."))


class TransferForm(_StockForm):
    site_fields = ("from_site", "to_site")
    from_site = _site_field(_("From site"))
    to_site = _site_field(_("To site"))
    item = _item_field()
    lot = _lot_field(_("Leave empty to send what expires first."))
    quantity = forms.IntegerField(label=_("How many units"), widget=QUANTITY_WIDGET)


class AdjustForm(_StockForm):
    site = _site_field()
    item = _item_field()
    lot = _lot_field(_("Leave empty to add to stock without a lot, or to remove what expires first."))
    quantity = forms.IntegerField(
        label=_("Change (+ or −)"), widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        help_text=_("For example 5 when a count found 5 more than the record, or -5 when it found 5 fewer."))
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             help_text=_("For example “count on 3 March” or “box found in storage”."))


class DisposeForm(_StockForm):
    site = _site_field()
    item = _item_field()
    lot = _lot_field(_("Leave empty to dispose of what expires first."))
    quantity = forms.IntegerField(label=_("How many units"), widget=QUANTITY_WIDGET)
    reason = forms.CharField(label=_("Reason"), max_length=200, help_text=_("For example “expired” or “damaged”."))


class LedgerFilterForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=queries.stock_sites_for_none(), required=False,
                                  empty_label=_("All your sites"))
    item = forms.ModelChoiceField(label=_("Supply"), queryset=Item.objects.all(), required=False,
                                  empty_label=_("All supplies"))
    kind = forms.ChoiceField(label=_("Kind of entry"), required=False,
                             choices=[("", _("All kinds"))] + list(StockEntry.Kind.choices))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = queries.stock_sites_for(user)


class ItemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120,
                           help_text=_("Say what it is and its size, for example “1 mL 28G 1/2\" syringe”."))
    category = forms.ChoiceField(label=_("Category"), choices=Item.Category.choices)
    unit = forms.CharField(label=_("Unit"), max_length=40, initial="each",
                           help_text=_("What one counts as: each, box of 10, kit, vial."))
    syringes_per_unit = forms.IntegerField(
        label=_("Syringes per unit"), min_value=0, initial=0,
        help_text=_("1 for a single syringe, 10 for a box of 10, 0 for anything else."))
    naloxone_doses_per_unit = forms.IntegerField(
        label=_("Naloxone doses per unit"), min_value=0, initial=0,
        help_text=_("2 for a two-dose nasal kit, 1 for a single vial, 0 for anything else."))
    strip_target = forms.ChoiceField(label=_("Test strip detects"), required=False,
                                     choices=[("", _("Not a test strip"))] + list(Item.StripTarget.choices))
    tests_per_unit = forms.IntegerField(label=_("Test strips per unit"), min_value=0, initial=0)
    low_stock_threshold = forms.IntegerField(
        label=_("Warn below (units, per site)"), min_value=0, required=False,
        help_text=_("Leave empty for no low-stock warning."))
    tracks_stock = forms.BooleanField(label=_("Tracks stock"), required=False, initial=True,
                                      help_text=_("Turn off for things the program does not count."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                help_text=_("Inactive supplies stay in past records but are not offered."))
    sort_order = forms.IntegerField(label=_("Order in lists"), min_value=0, initial=100)

    def __init__(self, *args, item=None, **kwargs):
        if item is not None:
            kwargs.setdefault("initial", {name: getattr(item, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)


class KitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("Order in lists"), min_value=0, initial=100)

    def __init__(self, *args, kit=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {}
        if kit is not None:
            current = {line.item_id: line.quantity for line in kit.items.all()}
            for name in ("name", "active", "sort_order"):
                self.initial.setdefault(name, getattr(kit, name))
        # One count per supply, so the form works without JavaScript: 0 means “not in the kit”.
        items = Item.objects.filter(active=True) | Item.objects.filter(pk__in=list(current))
        self.items = list(items.order_by("sort_order", "name"))
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.IntegerField(
                label=item.name, required=False, min_value=0, initial=current.get(item.pk, 0),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}))

    def item_fields(self):
        return [self[f"item_{item.pk}"] for item in self.items]

    def main_fields(self):
        return [self[name] for name in ("name", "active", "sort_order")]

    def kit_items(self) -> dict:
        return {item: self.cleaned_data.get(f"item_{item.pk}") or 0 for item in self.items}

    def kit_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "active", "sort_order")}
