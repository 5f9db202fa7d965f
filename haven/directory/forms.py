"""Forms for the directory. They only read input: saving is the actions' job."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.directory import vocabulary
from haven.directory.models import Organization, Service

MAX_PACKAGE_BYTES = 20 * 1024 * 1024


def low_barrier_choices():
    return [(term.code, gettext(term.name)) for term in vocabulary.LOW_BARRIER]


def category_choices():
    return [(term.code, gettext(term.name)) for term in vocabulary.CATEGORIES]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Kind of service"), required=False)
    needs = forms.MultipleChoiceField(label=_("Only show services that are"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any"))] + category_choices()
        self.fields["needs"].choices = low_barrier_choices()
        self.fields["language"].choices = [("", _("Any"))] + [(code, code) for code in languages]


class ServiceForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.all(),
                                          required=False, empty_label=_("A new organization (name below)"))
    new_organization = forms.CharField(label=_("New organization's name"), required=False, max_length=300)
    name = forms.CharField(label=_("Service name"), max_length=300)
    description = forms.CharField(label=_("What it offers"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=Service.Status.choices)
    category = forms.ChoiceField(label=_("Kind of service"), required=False)
    low_barrier = forms.MultipleChoiceField(label=_("Low-barrier"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    languages = forms.CharField(label=_("Languages spoken"), required=False, max_length=200,
                                help_text=_("Language codes separated by commas, like en, es, fr."))
    application_process = forms.CharField(label=_("How to get it"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    eligibility_description = forms.CharField(label=_("Who it is for"), required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))
    fees_description = forms.CharField(label=_("Fees"), required=False, max_length=500)
    url = forms.URLField(label=_("Web address"), required=False, max_length=500, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("None"))] + category_choices()
        self.fields["low_barrier"].choices = low_barrier_choices()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organization") and not (cleaned.get("new_organization") or "").strip():
            self.add_error("organization", _("Choose the organization, or type a new organization's name."))
        cleaned["language_codes"] = [code.strip().lower() for code in (cleaned.get("languages") or "").split(",")
                                     if code.strip()][:20]
        return cleaned


class AvailabilityForm(forms.Form):
    beds = forms.IntegerField(label=_("Beds free now"), required=False, min_value=0, max_value=100_000)
    slots = forms.IntegerField(label=_("Places free now"), required=False, min_value=0, max_value=100_000)


class PackageForm(forms.Form):
    package = forms.FileField(label=_("HSDS package"),
                              help_text=_("A JSON file, or a zip of HSDS CSV files (a tabular data package)."))

    def clean_package(self):
        upload = self.cleaned_data["package"]
        if upload.size > MAX_PACKAGE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class PartnerForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Partner organization"), queryset=Organization.objects.all())
    label = forms.CharField(label=_("Name for this token"), max_length=100)
