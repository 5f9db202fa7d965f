"""The fast entry form. It only reads input; the actions validate limits and save.

Field names are a contract: the offline queue serialises exactly these names to the JSON API
(see docs/ENCOUNTERS.md), so rename nothing without changing both.
"""

from __future__ import annotations

import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.encounters import actions, queries
from haven.encounters.models import ReversalReport, Service, ServiceMode
from haven.inventory.models import Item
from haven.places.models import Area, Site

LINE_FIELD = re.compile(r"^(item|kit)-(\d+)$")


def count_widget(limit: int):
    attrs = {"min": 0, "max": limit, "inputmode": "numeric", "pattern": "[0-9]*"}
    return forms.NumberInput(attrs=attrs)


def count_field(label, limit: int):
    # No min/max validators: the action gives the clearer message, and the browser's own limits
    # (min/max on the input) catch most slips before the request.
    return forms.IntegerField(label=label, required=False, initial=0, widget=count_widget(limit))


class EncounterForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    participant = forms.CharField(label=_("Participant id"), required=False, max_length=20,
                                  widget=forms.HiddenInput)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.all(), empty_label=_("Choose a site"),
                                  error_messages={"invalid_choice": _("Choose one of your sites.")})
    service_mode = forms.ChoiceField(label=_("How"), choices=ServiceMode.choices)
    occurred_at = forms.DateTimeField(
        label=_("When the visit happened"), required=False,
        help_text=_("Leave empty for a visit happening now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), queryset=Service.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("A service on this form is not in the catalog.")},
    )
    syringes_returned = count_field(_("Syringes returned"), actions.MAX_SYRINGES_RETURNED)
    returns_estimated = forms.BooleanField(label=_("Estimated, not counted"), required=False)
    sharps_containers_returned = count_field(_("Sharps containers returned"),
                                             actions.MAX_SHARPS_CONTAINERS_RETURNED)
    secondary_people = count_field(_("For how many other people"), actions.MAX_SECONDARY_PEOPLE)

    def __init__(self, *args, user, defaults=None, **kwargs):
        defaults = defaults or {}
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"client_id": uuid.uuid4(), "site": defaults.get("site"),
                             "service_mode": defaults.get("service_mode"), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.user = user
        # Offer the person's own active sites; any other choice is refused by the action with a
        # clear message (and never shown).
        self.fields["site"].widget.choices = [("", _("Choose a site"))] + [
            (site.pk, site.name) for site in queries.recording_sites(user)]
        self.kits = list(queries.active_kits())
        self.catalog = queries.supply_catalog()
        self.services_by_kind = queries.service_catalog()
        self.fields["services"].queryset = Service.objects.all()
        for kit in self.kits:
            self.fields[f"kit-{kit.pk}"] = count_field(kit.name, actions.MAX_KITS_PER_LINE)
        for items in self.catalog.values():
            for item in items:
                self.fields[f"item-{item.pk}"] = count_field(item.name, actions.MAX_UNITS_PER_LINE)
        self.fields["reversal-occurred_on"] = forms.DateField(
            label=_("When it happened"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
        self.fields["reversal-naloxone_doses_used"] = forms.IntegerField(
            label=_("Naloxone doses used"), required=False, widget=count_widget(actions.MAX_DOSES_PER_REVERSAL))
        self.fields["reversal-outcome"] = forms.ChoiceField(
            label=_("Outcome"), required=False, choices=[("", _("Not known yet"))] + ReversalReport.Outcome.choices)
        self.fields["reversal-emergency_services_called"] = forms.ChoiceField(
            label=_("Emergency services came"), required=False,
            choices=[("", "—")] + ReversalReport.YesNoUnknown.choices)
        self.fields["reversal-area"] = forms.ModelChoiceField(
            label=_("Area"), required=False, queryset=Area.objects.all(), empty_label=_("Not known"),
            help_text=_("A coarse area only, never an address."))
        self.fields["reversal-area"].widget.choices = [("", _("Not known"))] + [
            (area.pk, area.name) for area in Area.objects.filter(active=True).order_by("name")]

    # ---- Groups for the template ------------------------------------------------------------

    def kit_fields(self):
        return [(kit, self[f"kit-{kit.pk}"]) for kit in self.kits]

    def supply_groups(self):
        labels = dict(Item.Category.choices)
        return [(labels[category], [(item, self[f"item-{item.pk}"]) for item in items])
                for category, items in self.catalog.items()]

    def service_groups(self):
        labels = dict(Service.Kind.choices)
        chosen = {str(value) for value in (self["services"].value() or [])}
        return [(labels[kind], [(service, str(service.pk) in chosen) for service in services])
                for kind, services in self.services_by_kind.items()]

    def reversal_fields(self):
        return [self[name] for name in self.fields if name.startswith("reversal-")]

    # ---- Cleaning ---------------------------------------------------------------------------

    def clean_participant(self):
        text = (self.cleaned_data.get("participant") or "").strip()
        if not text:
            return None
        participant = queries.participant_by_display_id(text)
        if participant is None:
            raise forms.ValidationError(_("No participant has this id. Look the person up again."))
        return participant

    def clean(self):
        cleaned = super().clean()
        # A count for a supply or kit that is not on this form (deactivated since the page was
        # opened, or never in the catalog) would be lost silently: refuse instead.
        unknown = []
        for name, value in self.data.items():
            match = LINE_FIELD.match(name)
            if match and name not in self.fields and str(value).strip() not in ("", "0"):
                unknown.append(name)
        if unknown:
            raise forms.ValidationError(
                _("Some supplies or kits on this form are no longer offered. Reload the page and enter the visit "
                  "again."), code="unknown_lines")
        return cleaned

    def action_arguments(self) -> dict:
        """The cleaned form as keyword arguments of `encounter_record`."""
        data = self.cleaned_data
        supplies = [(item, data.get(f"item-{item.pk}")) for items in self.catalog.values() for item in items
                    if data.get(f"item-{item.pk}")]
        kits = [(kit, data.get(f"kit-{kit.pk}")) for kit in self.kits if data.get(f"kit-{kit.pk}")]
        reversal = {
            "occurred_on": data.get("reversal-occurred_on"),
            "naloxone_doses_used": data.get("reversal-naloxone_doses_used"),
            "outcome": data.get("reversal-outcome") or "",
            "emergency_services_called": data.get("reversal-emergency_services_called") or "",
            "area": data.get("reversal-area"),
        }
        reported = any(value not in (None, "") for value in reversal.values())
        return {
            "client_id": data["client_id"],
            "participant": data.get("participant"),
            "site": data["site"],
            "service_mode": data["service_mode"],
            "occurred_at": data.get("occurred_at"),
            "supplies": supplies,
            "kits": kits,
            "services": list(data.get("services") or []),
            "syringes_returned": data.get("syringes_returned") or 0,
            "returns_estimated": data.get("returns_estimated", False),
            "sharps_containers_returned": data.get("sharps_containers_returned") or 0,
            "secondary_people": data.get("secondary_people") or 0,
            "reversals": [reversal] if reported else [],
        }


class CorrectionForm(EncounterForm):
    """The entry form filled in with a visit's values, the participant editable, and a reason."""

    reason = forms.CharField(label=_("Why is this visit corrected?"), max_length=actions.MAX_REASON_LENGTH,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}),
                             help_text=_("For example: wrong site, or 20 syringes, not 200. Kept with the "
                                         "visit's history."))

    def __init__(self, *args, encounter, **kwargs):
        previous = queries.repeat_of(encounter)
        initial = {
            "participant": encounter.participant.display_id if encounter.participant else "",
            "site": encounter.site_id, "service_mode": encounter.service_mode,
            "occurred_at": timezone.localtime(encounter.occurred_at),
            "services": [service.pk for service in encounter.services.all()],
            "syringes_returned": encounter.syringes_returned, "returns_estimated": encounter.returns_estimated,
            "sharps_containers_returned": encounter.sharps_containers_returned,
            "secondary_people": encounter.secondary_people,
            **{f"item-{item.pk}": quantity for item, quantity in previous["supplies"]},
            **{f"kit-{kit.pk}": count for kit, count in previous["kits"]},
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["participant"].widget = forms.TextInput(attrs={"autocomplete": "off", "class": "participant-code"})
        self.fields["participant"].help_text = _("The display id; leave empty for an anonymous visit.")
        self.fields["occurred_at"].help_text = ""

    def action_arguments(self) -> dict:
        arguments = super().action_arguments()
        arguments.pop("reversals")
        return {**arguments, "reason": self.cleaned_data["reason"]}


class VisitFilterForm(forms.Form):
    """The visits list's search and filters (GET): every field optional, a bad value is ignored
    with a message rather than an error page."""

    q = forms.CharField(label=_("Display id"), required=False, max_length=20,
                        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "participant-code",
                                                      "type": "search"}))
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False,
                                  empty_label=_("All my sites"))
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    staff = forms.ModelChoiceField(label=_("Recorded by"), queryset=None, required=False, empty_label=_("Anyone"))
    mode = forms.ChoiceField(label=_("How"), required=False, choices=[("", _("Any way"))] + ServiceMode.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Counted and voided")), ("counted", _("Counted")), ("voided", _("Voided or corrected"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = queries.visible_sites(user)
        self.fields["staff"].queryset = queries.recorders_visible_to(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is this visit voided?"), max_length=200,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}),
                             help_text=_("For example: entered twice, or entered for the wrong person."))
