"""Forms for housing. They only read input: validation that matters, saving and audit are the actions' job.

No form asks about drug use, treatment or testing (tests/test_no_conditions.py keeps it so)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.housing import vocabulary
from haven.housing.models import Journey, LowBarrier, Property, TenancyFlag
from haven.support.models import SupportContact

DATE = {"type": "date"}


def _choices(list_name, blank=None):
    # The specification's words are reference data (English); gettext lets a catalogue translate them.
    options = [(str(code), gettext(text)) for code, text in vocabulary.hmis_list(list_name).items()]
    return ([("", blank)] if blank else []) + options


class StatusForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which"), choices=[("current", _("Where they stay now")),
                                                        ("prior", _("Where they stayed before enrolment"))])
    living_situation = forms.ChoiceField(label=_("Living situation (HMIS)"), choices=())
    length_of_stay = forms.ChoiceField(label=_("How long there (HMIS)"), required=False, choices=())
    information_date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The current list is the wider one; the action checks the prior list for "prior".
        self.fields["living_situation"].choices = _choices("CurrentLivingSituation")
        self.fields["length_of_stay"].choices = _choices("ResidencePriorLengthOfStay", _("Not asked"))


class HoldForm(forms.Form):
    hours = forms.IntegerField(label=_("Hold for (hours)"), min_value=1, max_value=48, initial=4)
    display_id = forms.CharField(label=_("For (display id on their card, optional)"), required=False, max_length=20)


class BedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("available", _("Available")), ("occupied", _("Occupied")),
                                                           ("closed", _("Closed"))])


class PropertyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Property.Kind.choices)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    organization = forms.ModelChoiceField(label=_("Run by a partner (directory organization)"), queryset=None,
                                          required=False, empty_label=_("Run by the program"))
    address = forms.CharField(label=_("Address (staff only)"), required=False, max_length=500)
    phone = forms.CharField(label=_("Phone to call"), required=False, max_length=40)
    low_barrier = forms.MultipleChoiceField(label=_("Low-barrier"), required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            choices=LowBarrier.choices)
    gender_policy = forms.ChoiceField(label=_("Who can stay"), choices=Property.GenderPolicy.choices)
    beds = forms.CharField(label=_("Beds or units to add (one name per line)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from haven.directory.models import Organization
        from haven.places.models import Site

        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(active=True)
        self.fields["organization"].queryset = Organization.objects.all()


class JourneyStartForm(forms.Form):
    assessed_on = forms.DateField(label=_("Needs assessment on"), widget=forms.DateInput(attrs=DATE))


class DocumentForm(forms.Form):
    document = forms.ChoiceField(label=_("Document"), choices=[("id", _("ID")), ("income", _("Proof of income")),
                                                               ("references", _("References"))])
    on = forms.DateField(label=_("Ready on"), required=False, widget=forms.DateInput(attrs=DATE))


class ApplicationForm(forms.Form):
    where = forms.CharField(label=_("Housing program or landlord"), max_length=200)
    applied_on = forms.DateField(label=_("Applied on"), widget=forms.DateInput(attrs=DATE))


class MatchedForm(forms.Form):
    on = forms.DateField(label=_("Matched on"), widget=forms.DateInput(attrs=DATE))
    prop = forms.ModelChoiceField(label=_("Place"), queryset=Property.objects.filter(active=True), required=False,
                                  empty_label=_("Not on the board"))


class MoveInForm(forms.Form):
    moved_in_on = forms.DateField(label=_("Moved in on"), widget=forms.DateInput(attrs=DATE))


class RetentionForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Check"), coerce=int,
                                    choices=[(3, _("3 months")), (6, _("6 months")), (12, _("12 months"))])
    checked_on = forms.DateField(label=_("Checked on"), widget=forms.DateInput(attrs=DATE))
    still_housed = forms.TypedChoiceField(label=_("Still housed?"), coerce=lambda v: v == "yes",
                                          choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect)
    lost_reason = forms.ChoiceField(label=_("If not, why"), required=False,
                                    choices=[("", "—")] + Journey.LostReason.choices)


class LostForm(forms.Form):
    on = forms.DateField(label=_("Lost housing on"), widget=forms.DateInput(attrs=DATE))
    reason = forms.ChoiceField(label=_("Why"), choices=Journey.LostReason.choices)
    destination = forms.ChoiceField(label=_("Where they went (HMIS destination)"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = _choices("Destination", _("Not known"))


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What to do"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs=DATE))


class CheckInForm(forms.Form):
    mode = forms.ChoiceField(label=_("How"), choices=SupportContact.Mode.choices)
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=1440, initial=15)
    note = forms.CharField(label=_("Note (kept with support contacts)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    confirm_details = forms.BooleanField(label=_("I checked: these details are fine to keep as written"),
                                         required=False)


class FlagForm(forms.Form):
    kind = forms.ChoiceField(label=_("Flag"), choices=TenancyFlag.Kind.choices)
    referral = forms.ChoiceField(label=_("Linked referral (support)"), required=False, choices=())
    person_agreed = forms.BooleanField(label=_("The person agrees to this flag"), required=False)

    def __init__(self, *args, referrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.referrals = list(referrals)
        self.fields["referral"].choices = [("", _("None"))] + [(str(r.pk), r.destination or r.category)
                                                               for r in referrals]


class ConsentForm(forms.Form):
    first_name = forms.CharField(label=_("First name, if they agree to give it"), required=False, max_length=50)
    last_name = forms.CharField(label=_("Last name, if they agree to give it"), required=False, max_length=50)
    dob = forms.DateField(label=_("Date of birth, if they agree to give it"), required=False,
                          widget=forms.DateInput(attrs=DATE))
    person_agreed = forms.BooleanField(label=_("The person agrees that their housing records go to the HMIS"),
                                       required=True)


class StepsCodeForm(forms.Form):
    code = forms.CharField(label=_("Your code"), max_length=20)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs=DATE))
