"""Forms for signing in, the second factor, API tokens and staff accounts.

Forms only check what was typed. Writes, and the rules that need the database (the last admin,
username uniqueness, password strength), live in haven/accounts/actions.py.
"""

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from haven.accounts.roles import Role
from haven.places.models import Site


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    # One message for every failure, so that the page never says whether the username exists.
    error_messages = {
        "invalid_login": _("That username and password did not match an active account. Please check them and "
                           "try again."),
    }

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            # The request lets django-axes count failures and lock out the username+address pair.
            self.user = authenticate(request=self.request, username=username, password=password)
            if self.user is None:
                raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return cleaned


class TwoFactorCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"), max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9 ]*", "autofocus": True}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("The code is six digits, like 123456."), code="format")
        return token


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("What the token is for, so you recognise it later. For example: reporting spreadsheet."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Days until it expires"), required=False, min_value=1, max_value=3650,
        help_text=_("Leave empty for a token that works until you revoke it."),
    )


def _sites_field():
    return forms.ModelMultipleChoiceField(
        label=_("Sites"), queryset=Site.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff and peers see only their own sites. Admins and coordinators see every site."),
    )


class StaffCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        help_text=_("Letters, digits and @ . + - _ only. People sign in with it."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF)
    sites = _sites_field()
    password = forms.CharField(
        label=_("First password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Share it in person; they can change it from their account page."),
    )
    password_again = forms.CharField(
        label=_("First password, again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords are different."))
        return cleaned


class StaffEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    sites = _sites_field()
    is_active = forms.BooleanField(
        label=_("Active"), required=False,
        help_text=_("Clear this when someone leaves: they can no longer sign in, and their API tokens stop "
                    "working. Their history stays in the audit log."),
    )
