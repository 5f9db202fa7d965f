"""Forms for drug checking. They only read input; the actions validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.drugchecking import strips, vocabulary
from haven.drugchecking.models import Analysis, Sample
from haven.places.models import Area, Site

YES_NO_UNKNOWN = [("", _("Not asked or not known")), ("yes", _("Yes")), ("no", _("No"))]


class IntakeForm(forms.Form):
    expected = forms.ChoiceField(label=_("Sold or expected as"), choices=())
    form = forms.ChoiceField(label=_("What it looks like"), choices=Sample.Form.choices)
    colour = forms.CharField(label=_("Colour"), required=False, max_length=60)
    pill_marks = forms.CharField(label=_("Pill marks"), required=False, max_length=60,
                                 help_text=_("Letters, numbers or a logo pressed into a pill."))
    pill_weight_mg = forms.DecimalField(label=_("Pill weight (mg)"), required=False, min_value=0, max_digits=7,
                                        decimal_places=1)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    area = forms.ModelChoiceField(label=_("Area it was bought in"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("Not known or would rather not say"),
                                  help_text=_("Only the neighbourhood, never an address."))
    already_used = forms.ChoiceField(label=_("Has the person used some of it already?"), choices=YES_NO_UNKNOWN,
                                     required=False)
    effects = forms.CharField(label=_("Effects felt"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Only if the person wants to say. No names or contact details."))
    consent_publish = forms.BooleanField(
        label=_("The person agrees that the result, without anything that identifies them, may be used in "
                "public alerts and the public drug market view."), required=False)
    participant_code = forms.CharField(
        label=_("Participant code"), required=False, max_length=40,
        help_text=_("Only if the person wants the sample linked to their participant record. The code itself is "
                    "not stored with the sample."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected"].choices = [("", _("Choose"))] + vocabulary.sold_as_choices() + [
            (key, name) for key, name in vocabulary.choices() if not vocabulary.get(key).sold_as]
        sites = Site.objects.order_by("name")
        if user is not None and not user.sees_all_sites:
            sites = sites.filter(pk__in=user.sites.values("pk"))
        self.fields["site"].queryset = sites
        if sites.count() == 1:
            self.fields["site"].initial = sites.first().pk
        self.fields["area"].queryset = Area.objects.filter(active=True).order_by("name")

    def clean_already_used(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("already_used"))

    def clean_participant_code(self):
        from django.core.exceptions import ValidationError

        from haven.participants import queries
        from haven.participants.recipe import checked_code

        text = (self.cleaned_data.get("participant_code") or "").strip()
        if not text:
            return None
        try:
            code = checked_code(text)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["code"]) from None
        participant = queries.participant_by_code(code)
        if participant is None:
            raise forms.ValidationError(_("No participant has this code. Check it with the person, or leave it "
                                          "empty: a sample does not need one."))
        return participant

    def action_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["participant"] = data.pop("participant_code")
        return data


class StripForm(forms.Form):
    strip = forms.ChoiceField(label=_("Strip"), choices=strips.choices())
    result = forms.ChoiceField(label=_("Result"), choices=Analysis.StripResult.choices, widget=forms.RadioSelect)
    lot = forms.CharField(label=_("Lot number"), max_length=60, required=False)
    performed_at = forms.DateTimeField(label=_("When"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                  format="%Y-%m-%dT%H:%M"),
                                       help_text=_("Leave empty for now."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ReagentForm(forms.Form):
    lot = forms.CharField(label=_("Lot number"), max_length=60, required=False)
    performed_at = StripForm.base_fields["performed_at"]
    notes = StripForm.base_fields["notes"]

    def __init__(self, *args, reagents=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in reagents:
            self.fields[key] = forms.CharField(
                label=label, required=False, max_length=120,
                help_text=_("The colours in the order they appeared, separated by commas; “or” when unsure."))
        self.reagent_keys = [key for key, _label in reagents]

    def reagent_fields(self):
        return [self[key] for key in self.reagent_keys]

    def observations(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in self.reagent_keys}


COMPONENT_ROWS = 6


class ComponentsForm(forms.Form):
    """Spectrometry or laboratory results: one line per component."""

    method = forms.ChoiceField(label=_("Method"), choices=())
    lot = forms.CharField(label=_("Lot, batch or instrument run"), max_length=60, required=False)
    performed_at = StripForm.base_fields["performed_at"]
    components = forms.CharField(
        label=_("Components found"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: substance, then any of: match score (0 to 1), percent (with %), abundance "
                    "(major, minor, trace). For example: “fentanyl, 0.93, 4%” or “xylazine, minor”. A spectrometer's "
                    "component counts as found only with a match score of 0.80 or more; below that, or without "
                    "a score, it is shown as possible."))
    notes = StripForm.base_fields["notes"]

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m, label) for m, label in Analysis.Method.choices if m in methods]

    def parsed_components(self) -> list[dict]:
        """Lines to component dicts; the action checks them and says which line is wrong."""
        components = []
        for line in self.cleaned_data.get("components", "").splitlines():
            parts = [part.strip() for part in line.split(",") if part.strip()]
            if not parts:
                continue
            component = {"substance": parts[0]}
            for part in parts[1:]:
                if part.lower() in ("major", "minor", "trace"):
                    component["abundance"] = part
                elif part.endswith("%"):
                    component["percent"] = part
                elif "match_score" not in component:
                    component["match_score"] = part
                else:
                    component["abundance"] = part  # reported as not understood by the action
            components.append(component)
        return components


class ReviewForm(forms.Form):
    classification = forms.ChoiceField(label=_("Finding"), choices=Sample.Classification.choices,
                                       widget=forms.RadioSelect)
    advice = forms.CharField(label=_("Advice the participant will see"), widget=forms.Textarea(attrs={"rows": 8}),
                             max_length=4000)


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Your sample code"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                         "autocapitalize": "characters"}),
                           help_text=_("The code on the card you were given, like K7QM-4XPD-R2."))


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Laboratory CSV or XLSX file"), help_text=_("At most 5 MB."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))


class ImportConfirmForm(forms.Form):
    # The file waits server-side (haven.core.importing); the digest says which one was previewed.
    digest = forms.CharField(widget=forms.HiddenInput)
