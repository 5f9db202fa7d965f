"""Forms for sites and areas. They only read input: saving is the actions' job."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.places.actions import HOURS_IN_A_WEEK
from haven.places.models import Area, Site


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of site"), choices=Site.Kind.choices)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("No area"),
        help_text=_("The coarse area the site is in, used only for aggregate counts."),
    )
    # No min/max validators here: the action gives the clearer message for out-of-range hours.
    hours_per_week = forms.DecimalField(
        label=_("Hours open per week"),
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text=_("Leave empty if it varies. Used to compare sites fairly."),
        widget=forms.NumberInput(attrs={"min": 0, "max": HOURS_IN_A_WEEK, "step": "0.5", "inputmode": "decimal"}),
    )
    active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Inactive sites stay in past records but are not offered for new ones."),
    )

    def __init__(self, *args, site=None, **kwargs):
        if site is not None:
            kwargs.setdefault("initial", {
                "name": site.name, "kind": site.kind, "area": site.area_id,
                "hours_per_week": site.hours_per_week, "active": site.active,
            })
        super().__init__(*args, **kwargs)
        # Offer active areas, plus the site's current area even if it was deactivated since.
        areas = Area.objects.filter(active=True)
        if site is not None and site.area_id:
            areas = Area.objects.filter(active=True) | Area.objects.filter(pk=site.area_id)
        self.fields["area"].queryset = areas.order_by("name")


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of area"), choices=Area.Kind.choices)
    code = forms.CharField(
        label=_("Code"), max_length=40, required=False,
        help_text=_("Optional official code, such as a county code."),
    )
    active = forms.BooleanField(
        label=_("Active"), required=False, initial=True,
        help_text=_("Inactive areas stay in past reports but are not offered for new sites."),
    )

    def __init__(self, *args, area=None, **kwargs):
        if area is not None:
            kwargs.setdefault("initial", {
                "name": area.name, "kind": area.kind, "code": area.code, "active": area.active,
            })
        super().__init__(*args, **kwargs)
