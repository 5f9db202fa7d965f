"""Participants: people enrolled by a code they can rebuild from memory, never by name.

Only a keyed hash of the code is stored (blind index): Haven can find a participant by the code,
but a stolen database does not give codes back. Anything more (a nickname, a way to reach the
person) is optional, needs recorded consent, is encrypted, and is erased when consent is withdrawn.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import BlindIndexField, EncryptedTextField

CODE_INDEX_PURPOSE = "participant-code"


class Participant(models.Model):
    code_index = BlindIndexField(unique=True)
    # Short, random, printable; shown on the participant card. Not derived from the code.
    display_id = models.CharField(_("display id"), max_length=12, unique=True)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    enrolled_site = models.ForeignKey("places.Site", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # A duplicate merged into another participant keeps its row (its code still finds the person).
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    merged_at = models.DateTimeField(null=True, blank=True)

    # Optional, with consent (ContactConsent), encrypted.
    nickname = EncryptedTextField(_("nickname"), null=True, blank=True)
    contact = EncryptedTextField(_("contact"), null=True, blank=True)
    contact_kind = models.CharField(
        _("kind of contact"), max_length=10, blank=True,
        choices=[("phone", _("Phone")), ("email", _("E-mail")), ("other", _("Other"))],
    )

    class Meta:
        ordering = ["display_id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.display_id

    def canonical(self) -> "Participant":
        """The participant this record stands for, following merges."""
        current = self
        while current.merged_into_id is not None:
            current = current.merged_into
        return current


class ContactConsent(models.Model):
    """What a participant agreed Haven may keep, when, recorded by whom; and its withdrawal."""

    class Scope(models.TextChoices):
        NICKNAME = "nickname", _("Keep a nickname")
        CONTACT = "contact", _("Keep a way to reach me")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("consent to"), max_length=20, choices=Scope.choices)
    given_at = models.DateTimeField(default=timezone.now)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.participant} {self.scope}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
