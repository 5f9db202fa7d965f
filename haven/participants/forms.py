"""Forms for participants. They only read input: saving is the actions' job."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.participants import codes
from haven.participants.actions import CONTACT_MAX_LENGTH, NICKNAME_MAX_LENGTH
from haven.participants.models import ContactConsent, Participant
from haven.participants.recipe import code_error_message, current_recipe, how_to_build, part_question
from haven.places.queries import sites_for

CODE_WIDGET_ATTRS = {
    "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autocorrect": "off",
    "class": "participant-code",
}


def code_field(**kwargs) -> forms.CharField:
    recipe = current_recipe()
    return forms.CharField(
        label=_("Participant code"), max_length=40,
        help_text=_("Build it from: %(parts)s. Spaces, accents and capitals do not matter.")
        % {"parts": ", ".join(how_to_build(recipe))},
        widget=forms.TextInput(attrs={**CODE_WIDGET_ATTRS, "placeholder": recipe.example()}),
        **kwargs,
    )


class EnrollForm(forms.Form):
    """Either the code typed directly, or the answers it is built from."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipe = current_recipe()
        self.fields["code"] = code_field(required=False)
        for part in self.recipe.parts:
            attrs = {"autocomplete": "off", "spellcheck": "false"}
            if part.kind == codes.DIGITS:
                attrs["inputmode"] = "numeric"
            self.fields[f"answer_{part.name}"] = forms.CharField(
                label=part_question(part), required=False, max_length=60, widget=forms.TextInput(attrs=attrs))
        sites = sites_for(user).filter(active=True) if user is not None else None
        self.fields["site"] = forms.ModelChoiceField(
            label=_("Site where they enrol"), queryset=sites, required=False, empty_label=_("Not at a site"))
        self.default_site = sites[0] if sites is not None and len(sites) == 1 else None
        if self.default_site is not None:
            self.fields["site"].initial = self.default_site.pk

    def answer_fields(self):
        return [self[f"answer_{part.name}"] for part in self.recipe.parts]

    def clean(self):
        cleaned = super().clean()
        if "site" not in self.data:
            # The lookup's one-button "Enrol with this code" sends only the code.
            cleaned["site"] = self.default_site
        typed = (cleaned.get("code") or "").strip()
        answers = {part.name: cleaned.get(f"answer_{part.name}", "") for part in self.recipe.parts}
        try:
            if typed:
                cleaned["code"] = codes.validate_code(self.recipe, typed)
            elif any(value.strip() for value in answers.values()):
                cleaned["code"] = codes.code_from_answers(self.recipe, answers)
            else:
                self.add_error("code", _("Type the code, or answer the questions below to build it."))
        except codes.CodeError as error:
            # A problem with one answer is shown beside that question; anything else beside the code.
            field = "code" if typed else f"answer_{error.params.get('part')}"
            self.add_error(field if field in self.fields else "code", code_error_message(error, self.recipe))
        return cleaned


class MergeForm(forms.Form):
    keep = forms.CharField(label=_("Keep this participant (display id)"), max_length=12,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    duplicate = forms.CharField(label=_("Merge this duplicate into it (display id)"), max_length=12,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))

    def _participant(self, name):
        display_id = codes.normalise(self.cleaned_data.get(name))
        participant = Participant.objects.filter(display_id=display_id).select_related("merged_into").first()
        if participant is None:
            raise forms.ValidationError(_("No participant has the display id %(display_id)s."),
                                        params={"display_id": display_id})
        return participant

    def clean_keep(self):
        return self._participant("keep")

    def clean_duplicate(self):
        return self._participant("duplicate")


class NicknameConsentForm(forms.Form):
    value = forms.CharField(label=_("Nickname"), max_length=NICKNAME_MAX_LENGTH,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))


class ContactConsentForm(forms.Form):
    contact_kind = forms.ChoiceField(label=_("Kind of contact"),
                                     choices=Participant._meta.get_field("contact_kind").choices)
    value = forms.CharField(label=_("Phone number, e-mail or other contact"), max_length=CONTACT_MAX_LENGTH,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))


CONSENT_FORMS = {ContactConsent.Scope.NICKNAME: NicknameConsentForm, ContactConsent.Scope.CONTACT: ContactConsentForm}
