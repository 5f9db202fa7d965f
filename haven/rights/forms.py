"""Forms for rights reports, peer warnings and legal requests. They only read input: screening,
rate limits and the rules are the actions' job."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.places.models import Area
from haven.rights.models import Category, Event, LegalRequest, PeerWarning, Production, RightsReport
from haven.rights.queries import DEFAULT_GROUPING, DEFAULT_MONTHS, MONTH_CHOICES

NOTE = {"rows": 3}
DATE = {"type": "date"}


def event_choices():
    """What happened, grouped by kind of harm (police, denial of care, discrimination)."""
    from haven.rights.models import CATEGORY_OF

    labels = dict(Event.choices)
    return [(category_label, [(event, labels[event]) for event in Event.values if CATEGORY_OF[event] == category])
            for category, category_label in Category.choices]


def active_areas():
    return Area.objects.filter(active=True).order_by("name")


class _ReportFields(forms.Form):
    occurred_on = forms.DateField(label=_("When did it happen?"), widget=forms.DateInput(attrs=DATE))
    area = forms.ModelChoiceField(label=_("In which area?"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("Not sure, or rather not say"),
                                  help_text=_("Only the neighbourhood. Never an address."))
    events = forms.MultipleChoiceField(label=_("What happened?"), choices=(), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("What happened, in your words"), required=False, max_length=3000,
                           widget=forms.Textarea(attrs=NOTE),
                           help_text=_("No names, phone numbers or addresses of anyone. Kept encrypted."))
    officer_details = forms.CharField(
        label=_("Officer names or badge numbers"), required=False, max_length=500,
        help_text=_("Only if you want to. Kept encrypted, seen only by coordinators, never published."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = active_areas()
        self.fields["events"].choices = event_choices()
        self.fields["occurred_on"].initial = timezone.localdate()


class ReportForm(_ReportFields):
    source = forms.ChoiceField(label=_("Who reports"), widget=forms.RadioSelect, initial=RightsReport.Source.STAFF,
                               choices=[(RightsReport.Source.STAFF, _("Seen or heard by staff")),
                                        (RightsReport.Source.WITH_PARTICIPANT, _("A participant, with me"))])
    wants_help = forms.BooleanField(label=_("The person wants help from legal aid"), required=False)
    display_id = forms.CharField(label=_("Their display id (for the legal aid referral only)"), required=False,
                                 max_length=20, help_text=_("Not kept with the report: the referral is theirs."))
    legal_service = forms.ModelChoiceField(label=_("Legal aid service"), queryset=None, required=False,
                                           empty_label=_("Legal aid (not in the directory)"))
    confirm_details = forms.BooleanField(
        label=_("I checked: these details are fine to keep as written (not someone else's)"), required=False)
    field_order = ["source", "occurred_on", "area", "events", "note", "officer_details", "wants_help", "display_id",
                   "legal_service", "confirm_details"]
    flagged = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from haven.rights.queries import legal_services

        self.fields["legal_service"].queryset = legal_services()


class PublicReportForm(_ReportFields):
    wants_help = forms.BooleanField(label=_("I would like help from legal aid"), required=False,
                                    help_text=_("We will show you where to find it. We don't ask who you are."))
    # Bots fill every field; people never see this one (hidden from sight and from screen readers).
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("What happened, in your words")
        self.fields["note"].help_text = _("Please no names, phone numbers or addresses, yours or anyone's. "
                                          "Officer names go in the next box.")


class CheckForm(forms.Form):
    status = forms.ChoiceField(choices=[(RightsReport.Status.COUNTED, _("Count it")),
                                        (RightsReport.Status.SET_ASIDE, _("Set it aside"))])


class AdvocacyForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Months"), coerce=int, required=False, initial=DEFAULT_MONTHS,
                                    choices=[(n, _("Last %(n)d months") % {"n": n}) for n in MONTH_CHOICES])
    by = forms.ChoiceField(label=_("Counted"), required=False, initial=DEFAULT_GROUPING, choices=[
        ("month", _("By month")), ("quarter", _("By quarter")), ("period", _("For the whole period"))])


class PeerWarningForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of warning?"), choices=PeerWarning.Kind.choices,
                             widget=forms.RadioSelect)
    occurred_on = forms.DateField(label=_("When?"), widget=forms.DateInput(attrs=DATE))
    area = forms.ModelChoiceField(label=_("In which area?"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("Not sure, or rather not say"),
                                  help_text=_("Only the neighbourhood. Never an address."))
    description = forms.CharField(
        label=_("What should others know?"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What it looked like, what happened, what to watch for. No names or phone numbers: describe, "
                    "don't name. We never ask who you are."))
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = active_areas()
        self.fields["occurred_on"].initial = timezone.localdate()


class DraftAlertForm(forms.Form):
    title = forms.CharField(label=_("Title of the warning"), max_length=200)
    body = forms.CharField(label=_("Warning, in your words"), widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Say what to watch for and how to stay safe. Nothing that could point to the "
                                       "person who reported it."))
    severity = forms.ChoiceField(label=_("Severity"), choices=[("info", _("Information")), ("warning", _("Warning")),
                                                               ("urgent", _("Urgent"))], initial="warning")


class LegalRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=LegalRequest.Kind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs=DATE))
    requester = forms.CharField(label=_("Who asked"), max_length=3000,
                                help_text=_("The agency, and the person if the request names one."))
    requested = forms.CharField(label=_("What they asked for"), max_length=3000, widget=forms.Textarea(attrs=NOTE))
    legal_basis = forms.CharField(label=_("Legal basis given"), required=False, max_length=3000,
                                  help_text=_("The statute, rule or case number, if any."))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput(attrs=DATE),
                               help_text=_("By when they expect an answer. Required: ask for it if it is not given."))
    counsel = forms.CharField(label=_("Counsel involved"), required=False, max_length=3000)
    display_ids = forms.CharField(label=_("Participants it names (display ids)"), required=False, max_length=500,
                                  help_text=_("Separated by spaces or commas."))
    gag_order = forms.BooleanField(label=_("A court ordered us not to tell the person"), required=False)
    gag_until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs=DATE),
                                help_text=_("Empty if the order gives no end date."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class RespondForm(forms.Form):
    response = forms.ChoiceField(label=_("Response"), choices=[
        choice for choice in LegalRequest.Response.choices if choice[0] != LegalRequest.Response.PENDING])
    response_note = forms.CharField(label=_("What was decided, and why"), required=False, max_length=3000,
                                    widget=forms.Textarea(attrs=NOTE))


class ProductionForm(forms.Form):
    participants = forms.MultipleChoiceField(label=_("Whose records"), widget=forms.CheckboxSelectMultiple,
                                             choices=())
    record_kinds = forms.MultipleChoiceField(label=_("Which records"), widget=forms.CheckboxSelectMultiple,
                                             choices=Production.RecordKind.choices)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs=DATE))
    until = forms.DateField(label=_("Until (inclusive)"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, named=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.named = {str(p.pk): p for p in named}
        self.fields["participants"].choices = [(str(p.pk), p.display_id) for p in named]
