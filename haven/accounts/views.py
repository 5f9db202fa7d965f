"""Signing in, the second factor, a person's own account and API tokens, and staff accounts.

AccessMiddleware has already checked the role for every view here; views only scope what they
look up to what the person may touch.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from haven.accounts import actions, forms, queries
from haven.accounts.models import ApiToken, User
from haven.accounts.roles import Role
from haven.inventory import queries as inventory_queries

# Set at sign-in and removed at sign-out. The session cookie itself is dropped as soon as an
# expired session is seen, so this is how the login page knows that a session ended by itself.
SIGNED_IN_COOKIE = "haven_signed_in"


def _safe_next(request) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _url_with_next(url_name: str, next_url: str | None) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _posted(request):
    return request.POST if request.method == "POST" else None


def _show_errors(form, error: ValidationError) -> None:
    """Put an action's ValidationError on the form fields it names, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _coordinator_home(request) -> tuple[dict, int]:
    """The numbers, trends and needs-attention list for those who see reports; a bad filter is named
    on the form (status 400) and the defaults are shown."""
    from haven.reports.forms import CoordinatorHomeForm
    from haven.reports.home import DEFAULT_PERIOD, coordinator_home

    form = CoordinatorHomeForm(request.GET or None, initial={"period": DEFAULT_PERIOD})
    period, site, status = DEFAULT_PERIOD, None, 200
    if form.is_bound and form.is_valid():
        period, site = form.cleaned_data["period"] or DEFAULT_PERIOD, form.cleaned_data["site"]
    elif form.is_bound:
        status = 400
    return {"filters": form, **coordinator_home(today=timezone.localdate(), period_key=period, site=site)}, status


def home(request):
    user = request.user
    context = {
        "cards": queries.home_cards(user),
        "role_summary": queries.ROLE_SUMMARIES.get(user.role, ""),
        "sites": queries.sites_of(user),
        "suggest_two_factor": not user.requires_two_factor and not queries.has_two_factor(user),
        "quick_actions": queries.quick_actions(user),
    }
    status = 200
    coordinator = user.has_role_permission("reports.view")
    if coordinator:
        context["coordinator"], status = _coordinator_home(request)
    context["stock_warnings"] = inventory_queries.home_warnings(user, expiring_naloxone=not coordinator)
    return render(request, "accounts/home.html", context, status=status)


# Signing in and out


@never_cache
def login(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = forms.LoginForm(_posted(request), request=request)
    if request.method == "POST":
        if form.is_valid():
            user = form.user
            actions.session_sign_in(request=request, user=user)
            if queries.has_two_factor(user):
                response = redirect(_url_with_next("two-factor-verify", next_url))
            elif user.requires_two_factor:
                response = redirect(_url_with_next("two-factor-setup", next_url))
            else:
                response = redirect(next_url or "home")
            response.set_cookie(SIGNED_IN_COOKIE, "1", httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
            return response
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            # When django-axes has locked the username, AxesMiddleware replaces this page with
            # accounts/locked_out.html (status 429).
            locked = getattr(request, "axes_locked_out", False)
            actions.session_sign_in_refused(request=request,
                                            reason="locked out" if locked else "wrong username or password")
    session_ended = request.method == "GET" and bool(next_url) and SIGNED_IN_COOKIE in request.COOKIES
    return render(request, "accounts/login.html", {"form": form, "next": next_url, "session_ended": session_ended})


def logout(request):
    if request.method != "POST":
        return render(request, "accounts/logout.html")
    actions.session_sign_out(request=request)
    messages.success(request, _("You are signed out. Thank you for your work today."))
    response = redirect("login")
    response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
    return response


# Two-factor authentication

def _throttled_message(device) -> str | None:
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return _("Too many tries too quickly. Wait a few seconds, then enter the newest code.")
    return None


@never_cache
def two_factor_verify(request):
    next_url = _safe_next(request)
    if request.user.is_verified():
        return redirect(next_url or "home")
    device = queries.confirmed_device(request.user)
    if device is None:
        return redirect(_url_with_next("two-factor-setup", next_url))
    form = forms.TwoFactorCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        problem = _throttled_message(device)
        if problem:
            form.add_error("token", problem)
        elif actions.session_second_factor_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(next_url or "home")
        else:
            form.add_error("token", _("That code did not match. Enter the newest code from your authenticator "
                                      "app, and check that your phone shows the right time."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _qr_code_svg(device) -> str:
    qr = segno.make(device.config_url, error="m")
    # segno writes the markup and escapes the title; nothing else from outside goes into it.
    return mark_safe(qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code",
                                   title=_("QR code to scan with your authenticator app")))


@never_cache
def two_factor_setup(request):
    next_url = _safe_next(request)
    if queries.has_two_factor(request.user):
        if not request.user.is_verified():
            return redirect(_url_with_next("two-factor-verify", next_url))
        messages.info(request, _("Two-factor authentication is already set up. If you lost your phone, an admin "
                                 "can reset it so that you can set it up again."))
        return redirect("account")
    device = actions.two_factor_device_prepare(user=request.user)
    form = forms.TwoFactorCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        problem = _throttled_message(device)
        if problem:
            form.add_error("token", problem)
        elif actions.two_factor_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-factor authentication is set up. From now on you will enter a code "
                                        "from your app when you sign in."))
            return redirect(next_url or "home")
        else:
            form.add_error("token", _("That code did not match. Scan the QR code again or check the key you "
                                      "typed, then enter the newest code."))
    secret = b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor_setup.html", {
        "form": form,
        "next": next_url,
        "qr_code": _qr_code_svg(device),
        "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)],
        "required": request.user.requires_two_factor,
    })


# The person's own account


def account(request):
    user = request.user
    return render(request, "accounts/account.html", {
        "sites": queries.sites_of(user),
        "has_two_factor": queries.has_two_factor(user),
        "tokens": queries.api_tokens_of(user),
        "token_form": forms.ApiTokenCreateForm(),
        "now": timezone.now(),
    })


def password_change(request):
    form = PasswordChangeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.password_change(actor=request.user, new_password=form.cleaned_data["new_password1"],
                                    request=request)
        except ValidationError as error:
            form.add_error("new_password2", error)
        else:
            messages.success(request, _("Your password is changed. Use the new one next time you sign in."))
            return redirect("account")
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
def api_token_create(request):
    form = forms.ApiTokenCreateForm(_posted(request))
    if request.user.role == Role.PEER:
        expiry = form.fields["expires_in_days"]
        expiry.required, expiry.max_value = True, actions.PEER_TOKEN_MAX_DAYS
        expiry.initial = actions.PEER_TOKEN_MAX_DAYS
        expiry.help_text = _("A peer's token always expires, after at most %(days)s days.") % {
            "days": actions.PEER_TOKEN_MAX_DAYS}
    if request.method == "POST" and form.is_valid():
        try:
            record, token = actions.api_token_create(
                actor=request.user, name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"], request=request,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            # Rendered, not redirected: the token must never be kept anywhere to show it later.
            return render(request, "accounts/api_token_created.html", {"record": record, "token": token})
    return render(request, "accounts/api_token_create.html", {"form": form})


@require_POST
def api_token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    actions.api_token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("The token “%(name)s” is revoked. Programs that used it can no longer "
                                "connect.") % {"name": token.name})
    return redirect("account")


# Staff accounts (admins)


def staff_list(request):
    return render(request, "accounts/staff_list.html", {"people": queries.staff_list(),
                                                        "locked": queries.locked_accounts()})


@require_POST
def staff_unlock(request):
    try:
        actions.staff_unlock(actor=request.user, username=request.POST.get("username", ""), request=request)
    except ValidationError:
        messages.error(request, _("Say whose account to unlock."))
    else:
        messages.success(request, _("%(username)s can sign in again.") % {"username": request.POST["username"]})
    return redirect("staff")


def staff_create(request):
    form = forms.StaffCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.staff_create(
                actor=request.user, username=data["username"], password=data["password"], role=data["role"],
                sites=data["sites"], email=data["email"], first_name=data["first_name"],
                last_name=data["last_name"], request=request,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The account for %(username)s is ready. Share the first password in "
                                        "person.") % {"username": person.username})
            return redirect("staff")
    return render(request, "accounts/staff_create.html", {"form": form})


def staff_edit(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    initial = {"role": person.role, "sites": list(person.sites.all()), "is_active": person.is_active}
    form = forms.StaffEditForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.staff_update(actor=request.user, user=person, role=data["role"], sites=data["sites"],
                                 is_active=data["is_active"], request=request)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Changes to %(username)s are saved.") % {"username": person.username})
            # An admin who just stepped down can no longer open the staff list.
            stepped_down = person.pk == request.user.pk and not person.has_role_permission("staff.manage")
            return redirect("home" if stepped_down else "staff")
    return render(request, "accounts/staff_edit.html", {
        "person": person,
        "form": form,
        "has_two_factor": queries.has_two_factor(person),
        "is_self": person.pk == request.user.pk,
    })


def staff_reset_two_factor(request, user_id):
    person = get_object_or_404(User, pk=user_id)
    if request.method != "POST":
        return render(request, "accounts/staff_reset_two_factor.html", {
            "person": person, "has_two_factor": queries.has_two_factor(person),
        })
    actions.staff_reset_two_factor(actor=request.user, user=person, request=request)
    messages.success(request, _("Two-factor authentication is reset for %(username)s. They can now set it "
                                "up again with their new phone.") % {"username": person.username})
    return redirect("staff-edit", user_id=person.pk)
