from django import forms
from django.utils.translation import gettext_lazy as _

from haven.encounters.models import ServiceMode
from haven.places.models import Site
from haven.reports.funder_templates import MAX_YAML_CHARS


class ReportScopeForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=20, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.order_by("name"), required=False,
                                  empty_label=_("All sites"))
    mode = forms.ChoiceField(label=_("Service mode"), required=False,
                             choices=[("", _("All service modes")), *ServiceMode.choices])


class TemplateForm(forms.Form):
    yaml_text = forms.CharField(label=_("Template (YAML)"), required=False, max_length=MAX_YAML_CHARS,
                                widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}))
    upload = forms.FileField(label=_("Or upload a .yaml file"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > MAX_YAML_CHARS:
                raise forms.ValidationError(_("The file is too large for a template."))
            try:
                data["yaml_text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text. Save it as UTF-8 and try again.")) from None
        if not (data.get("yaml_text") or "").strip():
            raise forms.ValidationError(_("Paste a template or choose a file."))
        return data


class CoordinatorHomeForm(forms.Form):
    """The coordinator home's filters (GET). A bad value is shown as an error; the page then uses the default."""

    period = forms.ChoiceField(label=_("Trend over"), required=False, error_messages={
        "invalid_choice": _("Choose a period from the list.")})
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.order_by("name"), required=False,
                                  empty_label=_("All sites"), error_messages={
                                      "invalid_choice": _("Choose a site from the list."),
                                      "invalid_pk_value": _("Choose a site from the list.")})

    def __init__(self, *args, **kwargs):
        from haven.reports.home import PERIODS

        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(key, label) for key, (label, _count, _size) in PERIODS.items()]
