"""Staff accounts (people who work at the program, never participants) and their API tokens."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.roles import Role


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    sites = models.ManyToManyField(
        "places.Site", verbose_name=_("sites"), blank=True, related_name="staff",
        help_text=_("The sites this person works at. Staff and peers see only these sites' data."),
    )
    # A code from settings.LANGUAGES, set by the language switch and applied at sign-in; empty until
    # the person chooses, so their browser's Accept-Language decides. No choices here, so that adding
    # a language needs no migration (the action checks the code).
    language = models.CharField(_("language"), max_length=10, blank=True, default="")

    class Meta:
        ordering = ["username"]

    def has_role_permission(self, permission: str) -> bool:
        from haven.accounts.permissions import role_has_permission

        return self.is_active and role_has_permission(self.role, permission)

    @property
    def requires_two_factor(self) -> bool:
        return self.role in settings.HAVEN_2FA_REQUIRED_ROLES

    @property
    def sees_all_sites(self) -> bool:
        return self.role in {Role.ADMIN, Role.COORDINATOR}


class ApiToken(models.Model):
    """A secret for a machine client. Only its SHA-256 digest is stored; the token is shown once.

    Tokens are long random strings, so a fast hash is enough: there is nothing to brute-force.
    """

    PREFIX = "hvn"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    lookup = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.PREFIX}_{self.lookup}_…)"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def matches(self, token: str) -> bool:
        return hmac.compare_digest(self.digest, self.digest_of(token))

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now) and self.user.is_active
