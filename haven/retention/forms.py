from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.retention import kinds
from haven.retention.actions import OBJECT_ID_MAX, REASON_MAX


def kind_choices():
    return [(key, kind.label) for key, kind in kinds().items()]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=kind_choices)
    # Text, not a number field: the action explains every bad value (letters, negative, too short).
    days = forms.CharField(label=_("Keep identifying detail for (days)"), max_length=12)


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=kind_choices)
    object_id = forms.CharField(label=_("Record"), max_length=OBJECT_ID_MAX,
                                help_text=_("Its number (a visit's, a sample's…), or a backup's folder name."))
    reason = forms.CharField(label=_("Why it is held"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The request or order, for example a subpoena's case number. Kept encrypted."))
