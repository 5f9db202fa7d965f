"""Forms for overdose reports, the public form, the partner import and detection settings.

They only read input; the actions validate and save.
"""

from __future__ import annotations

import datetime
import time

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.overdose.detection import METHOD_NAMES
from haven.overdose.models import OverdoseReport, YesNoUnknown
from haven.overdose.spikes import METHODS
from haven.places.models import Area

PUBLIC_FORM_SALT = "haven.overdose.public-form"
# People who really saw an overdose take longer than this to fill the form; scripts do not.
MIN_FILL_SECONDS = 4
MAX_FILL_SECONDS = 3 * 60 * 60


def active_areas():
    return Area.objects.filter(active=True).order_by("name")


def count_widget(limit: int):
    return forms.NumberInput(attrs={"min": 0, "max": limit, "inputmode": "numeric", "pattern": "[0-9]*"})


class OverdoseReportForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("When it happened"), help_text=_("The hour is enough."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 3600}, format="%Y-%m-%dT%H:%M"),
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("Not known"),
                                  help_text=_("The neighbourhood or area, never an address."))
    kind = forms.ChoiceField(label=_("What happened"), choices=OverdoseReport.Kind.choices)
    fatal = forms.ChoiceField(label=_("Did the person die?"), choices=YesNoUnknown.choices,
                              initial=YesNoUnknown.UNKNOWN)
    naloxone_doses = forms.IntegerField(label=_("Naloxone doses given"), required=False,
                                        widget=count_widget(30), help_text=_("Leave empty if not known."))
    emergency_services_called = forms.ChoiceField(label=_("Were emergency services called?"),
                                                  choices=YesNoUnknown.choices, initial=YesNoUnknown.UNKNOWN)
    substances = forms.CharField(label=_("Substances suspected"), required=False, max_length=400,
                                 help_text=_("Separate them with commas, for example: fentanyl, xylazine."))
    drug_checking_sample = forms.CharField(label=_("Drug checking sample code"), required=False, max_length=40,
                                           help_text=_("If the substance was tested, the sample's code."))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What would help others stay safe. No names, phone numbers, addresses or descriptions of "
                    "the person."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("occurred_at", timezone.localtime().replace(minute=0, second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = active_areas()


class ReportFilterForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("All areas"))
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")


# ---------------------------------------------------------------------------------------------
# The public form
# ---------------------------------------------------------------------------------------------

def public_form_token(at: float | None = None) -> str:
    """A signed timestamp of when the form was shown; the submission must come a few seconds later."""
    return signing.dumps(int(at if at is not None else time.time()), salt=PUBLIC_FORM_SALT)


def seconds_since(token: str, *, now: float | None = None) -> float | None:
    try:
        shown = signing.loads(token, salt=PUBLIC_FORM_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(shown, int):
        return None
    return (now if now is not None else time.time()) - shown


HOUR_CHOICES = [("", _("I don't know"))] + [(str(hour), f"{hour:02d}:00") for hour in range(24)]
WHAT_HAPPENED = [
    ("overdose_survived", _("Someone overdosed and survived")),
    ("overdose_died", _("Someone overdosed and died")),
    ("overdose_unknown", _("Someone overdosed, I don't know what happened after")),
    ("bad_reaction", _("A bad reaction, not an overdose")),
]
KIND_AND_FATAL = {
    "overdose_survived": (OverdoseReport.Kind.OVERDOSE, YesNoUnknown.NO),
    "overdose_died": (OverdoseReport.Kind.OVERDOSE, YesNoUnknown.YES),
    "overdose_unknown": (OverdoseReport.Kind.OVERDOSE, YesNoUnknown.UNKNOWN),
    "bad_reaction": (OverdoseReport.Kind.BAD_REACTION, YesNoUnknown.NO),
}
PLAIN_YES_NO = [(YesNoUnknown.YES, _("Yes")), (YesNoUnknown.NO, _("No")), (YesNoUnknown.UNKNOWN, _("I don't know"))]


class PublicReportForm(forms.Form):
    occurred_on = forms.DateField(label=_("What day did it happen?"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    hour = forms.ChoiceField(label=_("About what time?"), choices=HOUR_CHOICES, required=False)
    area = forms.ModelChoiceField(label=_("In which area?"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("I don't know or I'd rather not say"),
                                  help_text=_("Only the neighbourhood. Please don't give an address."))
    what_happened = forms.ChoiceField(label=_("What happened?"), choices=WHAT_HAPPENED, widget=forms.RadioSelect)
    naloxone_used = forms.ChoiceField(label=_("Was naloxone (Narcan) used?"), choices=PLAIN_YES_NO,
                                      initial=YesNoUnknown.UNKNOWN, widget=forms.RadioSelect)
    emergency_services_called = forms.ChoiceField(label=_("Were emergency services called?"), choices=PLAIN_YES_NO,
                                                  initial=YesNoUnknown.UNKNOWN, widget=forms.RadioSelect)
    substances = forms.CharField(label=_("What substances do you think were involved?"), required=False,
                                 max_length=400, help_text=_("For example: fentanyl, xylazine, pressed pills."))
    notes = forms.CharField(
        label=_("Anything else others should know?"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what the drugs looked like. Please no names, phone numbers or addresses."),
    )
    # Bots fill every field; people never see this one (hidden from sight and from screen readers).
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = active_areas()
        self.fields["occurred_on"].initial = timezone.localdate()
        self.fields["started"].initial = public_form_token()
        self.is_spam = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.is_spam = True
        elapsed = seconds_since(cleaned.get("started") or "")
        if elapsed is None or elapsed > MAX_FILL_SECONDS:
            raise forms.ValidationError(_("This form was open too long. Please check your answers and send it "
                                          "again."), code="expired")
        if elapsed < MIN_FILL_SECONDS:
            raise forms.ValidationError(_("That was very quick. Please check your answers, then send the form "
                                          "again."), code="too_fast")
        return cleaned

    def occurred_at(self) -> datetime.datetime:
        day = self.cleaned_data["occurred_on"]
        hour = self.cleaned_data.get("hour")
        if hour not in (None, ""):
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(int(hour))))
        # Time not known: midday keeps the report on its day; today, no later than now.
        midday = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        return min(midday, timezone.now()) if day == timezone.localdate() else midday

    def action_arguments(self) -> dict:
        kind, fatal = KIND_AND_FATAL[self.cleaned_data["what_happened"]]
        return {
            "occurred_at": self.occurred_at(), "area": self.cleaned_data.get("area"), "kind": kind, "fatal": fatal,
            "naloxone_used": self.cleaned_data["naloxone_used"],
            "emergency_services_called": self.cleaned_data["emergency_services_called"],
            "substances": self.cleaned_data.get("substances", ""), "notes": self.cleaned_data.get("notes", ""),
        }


# ---------------------------------------------------------------------------------------------
# Partner import and detection settings
# ---------------------------------------------------------------------------------------------

PARTNER_CHOICES = [(source.value, source.label) for source in OverdoseReport.PARTNER_SOURCES]


class ImportUploadForm(forms.Form):
    source = forms.ChoiceField(label=_("Who the reports come from"), choices=PARTNER_CHOICES)
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("At most 5 MB. Columns: date, time (optional), area (name or code), fatal, "
                                       "naloxone doses, emergency services called, substances."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))


class ImportConfirmForm(forms.Form):
    # The file waits server-side (haven.core.importing); the digest says which one was previewed.
    digest = forms.CharField(widget=forms.HiddenInput)
    skip_bad_rows = forms.BooleanField(label=_("Skip the rows with problems and import the others"), required=False)


class DetectionSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Detect spikes and draft alerts"), required=False)
    method = forms.ChoiceField(label=_("Method"), choices=[(method, METHOD_NAMES[method]) for method in METHODS])
    alpha = forms.FloatField(
        label=_("Significance level"), required=False,
        help_text=_("Smaller means fewer alarms. Leave empty for the method's default (0.001 for EARS, 0.01 for the "
                    "others)."),
        widget=forms.NumberInput(attrs={"step": "any", "min": 0, "max": 0.5, "inputmode": "decimal"}),
    )
    baseline = forms.IntegerField(label=_("Baseline days (EARS)"),
                                  help_text=_("How many earlier days EARS compares a day with."),
                                  widget=count_widget(28))
    threshold = forms.IntegerField(label=_("Simple threshold: reports in 24 hours in one area"),
                                   help_text=_("Used by the simple threshold method."), widget=count_widget(100))

    def __init__(self, *args, settings=None, **kwargs):
        if settings is not None:
            kwargs.setdefault("initial", {"enabled": settings.enabled, "method": settings.method,
                                          "alpha": settings.alpha, "baseline": settings.baseline,
                                          "threshold": settings.threshold})
        super().__init__(*args, **kwargs)
