from django import forms
from django.utils.translation import gettext_lazy as _

from haven.consumption.models import Booth, MedicalResponse, Route, SpottingCall, SpottingEscalation, YesNo
from haven.inventory.models import Item


def add_action_errors(form, error) -> None:
    """Put an action's ValidationError on the form's fields (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class CheckInForm(forms.Form):
    booth = forms.ModelChoiceField(label=_("Booth"), queryset=None, empty_label=None)
    participant_code = forms.CharField(label=_("Participant code"), required=False, max_length=40,
                                       help_text=_("Leave empty to check in anonymously."))
    substances = forms.CharField(label=_("What the person is using, in their words"), required=False,
                                 max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, widget=forms.RadioSelect)
    drug_checking_sample = forms.CharField(label=_("Drug checking sample code"), required=False, max_length=40,
                                           help_text=_("If the substance was checked here."))

    def __init__(self, *args, booths, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booth"].queryset = booths


class CheckOutForm(forms.Form):
    aftercare_note = forms.CharField(label=_("After-care note"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 3}))


class MedicalResponseForm(forms.Form):
    noticed_at = forms.DateTimeField(label=_("Signs noticed at"))
    responded_at = forms.DateTimeField(label=_("Response began at"))
    signs = forms.CharField(label=_("Signs seen"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    overdose = forms.BooleanField(label=_("This was an overdose"), required=False, initial=True)
    naloxone_doses_intranasal = forms.IntegerField(label=_("Naloxone doses, intranasal"), min_value=0,
                                                   max_value=20, initial=0)
    naloxone_doses_intramuscular = forms.IntegerField(label=_("Naloxone doses, intramuscular"), min_value=0,
                                                      max_value=20, initial=0)
    naloxone_item = forms.ModelChoiceField(label=_("Naloxone used"), required=False,
                                           queryset=Item.objects.filter(active=True, naloxone_doses_per_unit__gt=0))
    oxygen = forms.BooleanField(label=_("Oxygen given"), required=False)
    breathing_support = forms.ChoiceField(label=_("Breathing support"),
                                          choices=MedicalResponse.BreathingSupport.choices)
    emergency_services_called = forms.ChoiceField(label=_("Emergency services called"), choices=YesNo.choices,
                                                  widget=forms.RadioSelect)
    emergency_services_reason = forms.CharField(label=_("Why (or why not)"), required=False, max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MedicalResponse.Outcome.choices)


class BoothForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=Booth.Kind.choices)


class IntervalsForm(forms.Form):
    amber_after_minutes = forms.IntegerField(label=_("Check due after (minutes)"), min_value=1, max_value=240)
    red_after_minutes = forms.IntegerField(label=_("Overdue after (minutes)"), min_value=1, max_value=240)


class CallStartForm(forms.Form):
    alias = forms.CharField(label=_("What to call the person"), max_length=60,
                            help_text=_("Any name or word they choose."))
    callback_number = forms.CharField(label=_("Call-back number"), required=False, max_length=40)
    location = forms.CharField(label=_("Where they are and how to get in"), required=False, max_length=500,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Only what the person chooses to give. Erased when the call ends."))
    using = forms.CharField(label=_("What they are using, in their words"), required=False, max_length=300)
    send = forms.ChoiceField(label=_("Who to send if they stop answering"), choices=SpottingCall.Send.choices,
                             widget=forms.RadioSelect, initial=SpottingCall.Send.EMS)
    contact = forms.CharField(label=_("Named contact and how to reach them"), required=False, max_length=200)
    keep_details = forms.BooleanField(label=_("The person asks us to keep these details after the call"),
                                      required=False)


class EscalationForm(forms.Form):
    action = forms.ChoiceField(label=_("What was done"),
                               choices=[("", _("Choose what was done")), *SpottingEscalation.Action.choices])


class CallEndForm(forms.Form):
    outcome = forms.ChoiceField(label=_("How the call ended"),
                                choices=[("", _("Choose how the call ended")), *SpottingCall.Outcome.choices])


class SpottingSettingsForm(forms.Form):
    spotting_check_in_minutes = forms.IntegerField(label=_("Callers check in every (minutes)"), min_value=1,
                                                   max_value=15)
    spotting_missed_after_seconds = forms.IntegerField(label=_("A check-in is missed after (seconds late)"),
                                                       min_value=15, max_value=600)
    spotting_send_help_after_seconds = forms.IntegerField(
        label=_("Send help after (seconds more without an answer)"), min_value=15, max_value=600)
