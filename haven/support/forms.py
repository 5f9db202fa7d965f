"""Forms for support records. They only read input: saving, screening and consent are the actions' job."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.directory.forms import category_choices
from haven.directory.queries import referable_services
from haven.support.models import SAFETY_PLAN_FIELDS, Goal, Referral, SafetyPlan, ShareConsent, SupportContact

NOTE = {"rows": 3}


class ScreenedForm(forms.Form):
    """A form with notes: shows the "keep as written" box only after the screener flagged something."""

    confirm_details = forms.BooleanField(
        label=_("I checked: these details are fine to keep as written (not someone else's)"), required=False)
    flagged = False


class GoalForm(ScreenedForm):
    category = forms.ChoiceField(label=_("Kind of goal"), required=False,
                                 choices=[("", _("None, in their words only"))] + Goal.Category.choices)
    text = forms.CharField(label=_("The goal, in their words"), required=False, widget=forms.Textarea(attrs=NOTE))
    field_order = ["category", "text", "confirm_details"]


class ProgressForm(ScreenedForm):
    note = forms.CharField(label=_("How it is going, in their words"), required=False, widget=forms.Textarea(attrs=NOTE))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Unchanged"))] + Goal.Status.choices)
    field_order = ["note", "status", "confirm_details"]


class ContactForm(ScreenedForm):
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportContact.Kind.choices)
    mode = forms.ChoiceField(label=_("How"), choices=SupportContact.Mode.choices, widget=forms.RadioSelect)
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=1440, initial=15)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=NOTE),
                           help_text=_("What the person wants remembered. No diagnoses; no one else's details."))
    field_order = ["kind", "mode", "duration_minutes", "note", "confirm_details"]


class ReferralForm(ScreenedForm):
    service = forms.ModelChoiceField(label=_("Service from the directory"), queryset=None, required=False,
                                     empty_label=_("Not in the directory"))
    place = forms.CharField(label=_("Or a place not in the directory"), required=False, max_length=300)
    category = forms.ChoiceField(label=_("Kind of service"), required=False)
    wants = forms.CharField(label=_("What they want from it, in their words"), required=False,
                            widget=forms.Textarea(attrs=NOTE))
    handoff_note = forms.CharField(label=_("Warm hand-off note they agree to share"), required=False,
                                   widget=forms.Textarea(attrs=NOTE))
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    consent_given = forms.BooleanField(label=_("The person wants this referral"), required=False)
    field_order = ["service", "place", "category", "wants", "handoff_note", "follow_up_on", "consent_given",
                   "confirm_details"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any service id is accepted here; the action says clearly when it is no longer referable.
        from haven.directory.models import Service

        self.fields["service"].queryset = Service.objects.all()
        self.fields["service"].choices = [("", _("Not in the directory"))] + [
            (service.pk, f"{service.name} · {service.organization.name}") for service in referable_services()]
        self.fields["category"].choices = [("", _("From the service"))] + category_choices()


class StatusForm(ScreenedForm):
    status = forms.ChoiceField(label=_("What happened"), choices=Referral.Status.choices)
    outcome = forms.CharField(label=_("Outcome, in their words"), required=False, widget=forms.Textarea(attrs=NOTE))
    follow_up_on = forms.DateField(label=_("Next follow-up"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    field_order = ["status", "outcome", "follow_up_on", "confirm_details"]


class SafetyPlanForm(ScreenedForm):
    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SAFETY_PLAN_FIELDS[kind]:
            self.fields[name] = forms.CharField(label=SafetyPlan._meta.get_field(name).verbose_name, required=False,
                                                widget=forms.Textarea(attrs=NOTE))
        self.order_fields([*SAFETY_PLAN_FIELDS[kind], "confirm_details"])


class BreakGlassForm(forms.Form):
    reason = forms.CharField(label=_("Why you need to read these notes now"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Coordinators see who read what, when and why."))


class ShareConsentForm(forms.Form):
    partner_name = forms.CharField(label=_("Partner"), max_length=300)
    scope = forms.ChoiceField(label=_("May receive"), choices=ShareConsent.Scope.choices)
    days = forms.IntegerField(label=_("For how many days"), min_value=1, max_value=366, initial=30)


class AssignForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Worker"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from haven.accounts.models import User

        self.fields["staff"].queryset = User.objects.filter(is_active=True).order_by("username")


class CopyCodeForm(forms.Form):
    code = forms.CharField(label=_("The code you took away"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))
