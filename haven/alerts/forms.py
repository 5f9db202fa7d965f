"""Forms for alerts, subscriptions and webhooks. They only read input: saving is the actions' job."""

from __future__ import annotations

import time

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.alerts import links
from haven.alerts.models import Alert
from haven.places.models import Area

# A person needs a few seconds to type an address; a bot posts at once.
SUBSCRIBE_MIN_SECONDS = 3
SUBSCRIBE_MAX_AGE_SECONDS = 24 * 3600


class AlertForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("What happened and where, in a few words."))
    severity = forms.ChoiceField(label=_("Severity"), choices=Alert.Severity.choices)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What people should know and do. Plain text; a blank line starts a paragraph, “- ” starts "
                    "a list item, **two stars** make words bold. Never a sample code, a name, a phone number "
                    "or anything else that could identify a person."),
    )
    substances = forms.CharField(label=_("Substances"), required=False, max_length=600,
                                 help_text=_("Separated by commas, for example: fentanyl, xylazine."))
    areas = forms.ModelMultipleChoiceField(label=_("Areas"), queryset=Area.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Leave empty for an alert that concerns everyone."))
    expires_at = forms.DateTimeField(
        label=_("Expires"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When it comes off the public page. Leave empty to take it down by hand."),
    )

    def __init__(self, *args, alert=None, **kwargs):
        if alert is not None:
            kwargs.setdefault("initial", {
                "title": alert.title, "severity": alert.severity, "body": alert.body,
                "substances": ", ".join(alert.substances), "areas": list(alert.areas.values_list("pk", flat=True)),
                "expires_at": alert.expires_at,
            })
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(active=True)
        if alert is not None:
            areas = areas | Area.objects.filter(pk__in=alert.areas.values("pk"))
        self.fields["areas"].queryset = areas.distinct().order_by("name")


class PublishForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason to publish despite the language check"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if you keep the words on purpose, for example a quotation or a term people asked us "
                    "to use. The reason is recorded with your name."),
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why is it dismissed?"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Seen by staff only, for example: a known cluster, already handled."))


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    areas = forms.ModelMultipleChoiceField(
        label=_("Only these areas"), queryset=Area.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to receive every alert. Alerts that concern everyone always come."),
    )
    # Spam resistance without a third party: a field people never see (bots fill it in), and the
    # time the form was shown, signed so that it cannot be faked.
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("started", links.form_started_token())
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(active=True).order_by("name")
        self.looks_automated = False

    def clean(self):
        cleaned = super().clean()
        started = links.form_started_at(self.data.get("started", ""))
        elapsed = None if started is None else time.time() - started
        if cleaned.get("website") or elapsed is None or elapsed < SUBSCRIBE_MIN_SECONDS:
            # Answer as if it worked: telling a bot why it failed teaches it.
            self.looks_automated = True
        elif elapsed > SUBSCRIBE_MAX_AGE_SECONDS:
            raise forms.ValidationError(_("This form was open for too long. Please send it again."))
        return cleaned

    def fresh_copy(self):
        """The same form with a new start time, to show again after an error."""
        data = self.data.copy()
        data["started"] = links.form_started_token()
        self.data = data
        return self


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("Who receives it, for example: city outreach team."))
    url = forms.CharField(label=_("Address (URL)"), max_length=500,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}),
                          help_text=_("Haven POSTs each published alert here as signed JSON."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, webhook=None, **kwargs):
        if webhook is not None:
            kwargs.setdefault("initial", {"name": webhook.name, "url": webhook.url, "active": webhook.active})
        super().__init__(*args, **kwargs)


class WebhookEditForm(WebhookForm):
    rotate_secret = forms.BooleanField(
        label=_("Make a new signing secret"), required=False,
        help_text=_("The old secret stops working at once: give the new one to the receiver."),
    )
