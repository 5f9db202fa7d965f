"""Every write of the accounts app: signing in and out, two-factor, API tokens and staff accounts.

Each action writes its audit entry in the same transaction as the change. Audit details hold ids,
field names and events, never a username, password, token or code that someone typed.
"""

from __future__ import annotations

import datetime

import django_otp
from django.contrib import auth
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import ApiToken, User
from haven.accounts.roles import Role
from haven.accounts.tokens import new_token_parts
from haven.core.audit import audit_record
from haven.core.models import AuditEvent
from haven.places.models import Site

Action = AuditEvent.Action

TOKEN_MAX_DAYS = 3650
# Peers are volunteers whose time with the program ends without notice: their tokens always expire.
PEER_TOKEN_MAX_DAYS = 90


# Signing in and out


@transaction.atomic
def session_sign_in(*, request, user: User) -> None:
    """Start a session after a correct password (the second factor, if any, comes next)."""
    auth.login(request, user)
    audit_record(actor=user, action=Action.LOGIN, obj=user, request=request, detail={"step": "password"})


@transaction.atomic
def session_sign_in_refused(*, request, reason: str, user: User | None = None) -> None:
    """Record a refused sign-in. Who tried is unknown unless the password was already right."""
    audit_record(actor=user, action=Action.LOGIN_FAILED, obj=user, request=request, detail={"reason": reason})


@transaction.atomic
def session_second_factor_verify(*, request, token: str) -> bool:
    """Check a code against the person's confirmed device; mark the session verified if it matches."""
    user = request.user
    # Locked, so that two requests cannot both spend the same code.
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if device is None or not device.verify_token(token):
        session_sign_in_refused(request=request, reason="wrong two-factor code", user=user)
        return False
    django_otp.login(request, device)
    audit_record(actor=user, action=Action.LOGIN, obj=user, request=request, detail={"step": "two-factor"})
    return True


@transaction.atomic
def session_sign_out(*, request) -> None:
    user = request.user
    if user.is_authenticated:
        audit_record(actor=user, action=Action.LOGOUT, obj=user, request=request)
    auth.logout(request)


@transaction.atomic
def account_language_set(*, actor: User, language: str, request=None) -> None:
    """Remember the language a person chose, so that it follows them to any device they sign in on."""
    from django.conf import settings

    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if actor.language == language:
        return
    actor.language = language
    actor.save(update_fields=["language"])
    audit_record(actor=actor, action=Action.UPDATE, obj=actor, request=request, detail={"fields": ["language"]})


# Two-factor authentication


@transaction.atomic
def two_factor_device_prepare(*, user: User) -> TOTPDevice:
    """The person's device that is waiting for its first code: the same one on every reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm a new device with its first code and verify the session with it."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    # Adding a device next to a confirmed one would let a password alone replace the second factor.
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Two-factor authentication is already set up for this account."))
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    django_otp.login(request, device)
    audit_record(actor=user, action=Action.SECURITY, obj=user, request=request,
                 detail={"event": "two-factor enabled"})
    return True


# The person's own account


@transaction.atomic
def password_change(*, actor: User, new_password: str, request=None) -> None:
    """Set a new password (the form has checked the old one) and keep this session signed in."""
    validate_password(new_password, user=actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    if request is not None:
        auth.update_session_auth_hash(request, actor)
    audit_record(actor=actor, action=Action.SECURITY, obj=actor, request=request,
                 detail={"event": "password changed"})


@transaction.atomic
def api_token_create(*, actor: User, name: str, expires_in_days: int | None = None,
                     request=None) -> tuple[ApiToken, str]:
    """Make a token for `actor`. Returns the record and the token, which is never stored."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name, so that you recognise it later.")
    elif len(name) > 100:
        errors["name"] = _("Use at most 100 characters.")
    longest = PEER_TOKEN_MAX_DAYS if actor.role == Role.PEER else TOKEN_MAX_DAYS
    if expires_in_days is None and actor.role == Role.PEER:
        errors["expires_in_days"] = _("A peer's token must expire: choose between 1 and %(days)s days.") % {
            "days": longest}
    elif expires_in_days is not None and not 1 <= expires_in_days <= longest:
        errors["expires_in_days"] = _("Choose between 1 and %(days)s days.") % {"days": longest}
    if errors:
        raise ValidationError(errors)
    lookup, token = new_token_parts()
    expires_at = timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
    record = ApiToken.objects.create(user=actor, name=name, lookup=lookup, digest=ApiToken.digest_of(token),
                                     expires_at=expires_at)
    audit_record(actor=actor, action=Action.SECURITY, obj=record, request=request,
                 detail={"event": "api token created", "expires_in_days": expires_in_days})
    return record, token


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken, request=None) -> None:
    if token.user_id != actor.pk and not actor.has_role_permission("staff.manage"):
        raise PermissionDenied
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=Action.SECURITY, obj=token, request=request,
                 detail={"event": "api token revoked", "owner_id": token.user_id})


# Staff accounts (admins)


def _site_ids(sites) -> list[int]:
    """Site ids from Site objects or ids; refuses ids that name no site."""
    ids = sorted({getattr(site, "pk", site) for site in sites})
    if ids and Site.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"sites": _("One of the chosen sites no longer exists.")})
    return ids


@transaction.atomic
def staff_create(*, actor: User | None, username: str, password: str, role: str, sites=(), email: str = "",
                 first_name: str = "", last_name: str = "", request=None) -> User:
    """Create a staff account. `actor` is None when an operator runs it from the command line."""
    user = User(username=User.normalize_username((username or "").strip()), email=(email or "").strip(),
                first_name=(first_name or "").strip(), last_name=(last_name or "").strip(), role=role)
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if "username" not in errors and User.objects.filter(username__iexact=user.username).exists():
        # Usernames differing only in case would be too easy to mix up at a front desk.
        errors["username"] = [_("Someone already has that username. Choose another one.")]
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors["password"] = error.messages
    try:
        site_ids = _site_ids(sites)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    user.sites.set(site_ids)
    audit_record(actor=actor, action=Action.CREATE, obj=user, request=request,
                 detail={"role": user.role, "sites": site_ids})
    return user


@transaction.atomic
def staff_update(*, actor: User | None, user: User, role: str, sites, is_active: bool, request=None) -> User:
    """Change someone's role, sites or whether they can sign in. Never leaves the program without an admin."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})
    site_ids = _site_ids(sites)
    # Lock every active admin, so that two admins demoting each other at once cannot both succeed.
    active_admins = set(
        User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True).values_list("pk", flat=True)
    )
    if user.pk in active_admins and not (role == Role.ADMIN and is_active) and active_admins == {user.pk}:
        if actor is not None and actor.pk == user.pk:
            message = _("You are the only active admin. Make another person an admin before you change your "
                        "own role or deactivate your account, so that someone can always manage staff accounts.")
        else:
            message = _("This is the only active admin. Make another person an admin first, so that someone "
                        "can always manage staff accounts.")
        raise ValidationError(message, code="last_admin")
    changed, detail = [], {}
    if user.role != role:
        changed.append("role")
        detail["role"] = {"from": user.role, "to": role}
    if user.is_active != is_active:
        changed.append("is_active")
    old_site_ids = sorted(user.sites.values_list("pk", flat=True))
    if old_site_ids != site_ids:
        changed.append("sites")
        detail["sites"] = site_ids
    if not changed:
        return user
    user.role, user.is_active = role, is_active
    user.save(update_fields=["role", "is_active"])
    user.sites.set(site_ids)
    audit_record(actor=actor, action=Action.UPDATE, obj=user, request=request, detail={"fields": changed, **detail})
    return user


@transaction.atomic
def staff_reset_two_factor(*, actor: User | None, user: User, request=None) -> int:
    """Remove someone's two-factor devices (a lost phone). They set up a new one at their next sign-in."""
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action=Action.SECURITY, obj=user, request=request,
                 detail={"event": "two-factor reset", "devices_removed": removed})
    return removed


@transaction.atomic
def staff_unlock(*, actor: User | None, username: str, request=None) -> int:
    """Lift a sign-in lockout now (django-axes' failed attempts for this username, from every
    address) instead of waiting for it to expire; returns how many records were removed."""
    from axes.utils import reset

    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": [_("Say whose account to unlock.")]})
    removed = reset(username=username)
    person = User.objects.filter(username=username).first()
    audit_record(actor=actor, action=Action.SECURITY, obj=person, object_type="accounts.user",
                 object_id=person.pk if person else "", request=request,
                 detail={"event": "lockout lifted", "attempts_removed": removed})
    return removed
