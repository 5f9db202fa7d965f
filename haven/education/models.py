"""Fact sheets edited in Haven: each saved edit is a version that goes through a language check and a
second person's review before it is published. The data files stay the seed (a sheet nobody has
edited is read from them) and the export format (a published version downloads as a data file)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]


class SheetVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Waiting for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved, not yet published")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Replaced by a later version")

    substance_id = models.SlugField(max_length=80)
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    number = models.PositiveIntegerField()  # 1, 2, ... per substance and language
    content = models.TextField()  # the sheet as YAML, in the data files' format
    note = models.CharField(max_length=300, blank=True)  # what changed and why
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language_findings = models.JSONField(default=list, blank=True)  # the checker's findings when last saved
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["substance_id", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["substance_id", "language", "number"], name="sheet_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["substance_id", "language"],
                condition=models.Q(status="published"),
                name="one_published_sheet_per_language",
            ),
        ]
        indexes = [
            models.Index(fields=["substance_id", "language", "status"], name="sheet_version_status_idx")
        ]

    def __str__(self):
        return f"{self.substance_id} ({self.language}) v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def blocking_findings(self) -> list[dict]:
        return [finding for finding in self.language_findings if finding.get("severity") == "error"]
