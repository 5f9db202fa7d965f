"""Reads shared by the account pages: staff lists, two-factor status, and the home page's cards."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import ApiToken, User
from haven.accounts.navigation import NAVIGATION
from haven.accounts.roles import Role

# What each home card says, by URL name. An entry without a description still gets a card.
CARD_DESCRIPTIONS = {
    "sites": _("Where the program works: fixed sites, vans, outreach and partners."),
    "areas": _("The neighbourhoods and districts used for counts, never for where someone lives."),
    "staff": _("Add people, set their role and sites, and help someone who lost their phone."),
    "audit-log": _("Who did what, and when. Entries cannot be changed afterwards."),
    "account": _("Your password, two-factor authentication and API tokens."),
}

ROLE_SUMMARIES = {
    Role.ADMIN: _("You look after staff accounts, security and the audit log, and you see every site."),
    Role.COORDINATOR: _("You see every site, and you keep sites, areas and reports up to date."),
    Role.STAFF: _("You work with participants at your sites and record what the program provides."),
    Role.PEER: _("You bring your own experience to support participants at your sites. Thank you."),
}


def _confirmed_devices(user_ref):
    return TOTPDevice.objects.filter(user=user_ref, confirmed=True)


def has_two_factor(user) -> bool:
    return _confirmed_devices(user).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return _confirmed_devices(user).order_by("pk").first()


def staff_list():
    """Every account, with its sites and two-factor status in three queries in all."""
    return (
        User.objects.prefetch_related("sites")
        .annotate(has_two_factor=Exists(_confirmed_devices(OuterRef("pk"))))
        .order_by("-is_active", "username")
    )


def api_tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def sites_of(user):
    """The sites named on a person's own pages (admins and coordinators see all of them anyway)."""
    return user.sites.order_by("name")


# The front desk's first taps, in big buttons at the top of the home page: (label, URL name, permission).
QUICK_ACTIONS = [
    (_("Scan a card"), "participant-scan", "participants.view"),
    (_("Log a visit"), "encounter-new", "encounters.record"),
    (_("Find a participant"), "participants", "participants.view"),
]


def quick_actions(user) -> list[dict]:
    """The big buttons a person who records visits starts from; none for anyone else."""
    if not user.has_role_permission("encounters.record"):
        return []
    actions = []
    for label, url_name, permission in QUICK_ACTIONS:
        if not user.has_role_permission(permission):
            continue
        try:
            actions.append({"label": label, "url": reverse(url_name), "name": url_name})
        except NoReverseMatch:
            continue
    return actions


def home_cards(user) -> list[dict]:
    """The features this person's role can use, in navigation order, without the home page itself."""
    cards = []
    for label, url_name, permission in NAVIGATION:
        if url_name == "home" or not user.has_role_permission(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        cards.append({"label": label, "url": url, "description": CARD_DESCRIPTIONS.get(url_name, "")})
    return cards


def locked_accounts() -> list[dict]:
    """Sign-ins locked out now (django-axes), newest first: whose, how many failed tries, since
    when, from which address, and when the lock lifts by itself."""
    import datetime

    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    cooloff = datetime.timedelta(hours=float(settings.AXES_COOLOFF_TIME or 0))
    now = timezone.now()
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if cooloff:
        attempts = attempts.filter(attempt_time__gte=now - cooloff)
    known = set(User.objects.filter(username__in=attempts.values("username")).values_list("username", flat=True))
    return [{"username": attempt.username, "failures": attempt.failures_since_start,
             "since": attempt.attempt_time, "address": attempt.ip_address,
             "lifts_at": attempt.attempt_time + cooloff if cooloff else None,
             "is_staff_account": attempt.username in known}
            for attempt in attempts.order_by("-attempt_time")]
