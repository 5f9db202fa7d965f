"""How spikes are detected: the coordinators' settings, validated and audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.overdose.models import DetectionSettings
from haven.overdose.recording import FieldErrors
from haven.overdose.spikes import METHODS

SETTINGS_FIELDS = ("enabled", "method", "alpha", "baseline", "threshold")
MIN_BASELINE, MAX_BASELINE = 3, 28
MAX_THRESHOLD = 100


@transaction.atomic
def detection_settings_update(*, actor, request=None, **changes) -> DetectionSettings:
    if actor is None or not actor.has_role_permission("overdose.settings"):
        raise PermissionDenied("overdose.settings")
    unknown = sorted(set(changes) - set(SETTINGS_FIELDS))
    if unknown:
        raise TypeError(f"cannot change {', '.join(unknown)}")
    settings = DetectionSettings.objects.select_for_update().filter(pk=DetectionSettings.SINGLETON_PK).first() \
        or DetectionSettings(pk=DetectionSettings.SINGLETON_PK)
    errors = FieldErrors()
    method = changes.get("method", settings.method)
    alpha = changes.get("alpha", settings.alpha)
    baseline = changes.get("baseline", settings.baseline)
    threshold = changes.get("threshold", settings.threshold)
    if method not in METHODS:
        errors.add("method", _("Choose a method from the list."))
    if alpha is not None and not (0 < alpha < 0.5):
        errors.add("alpha", _("The significance level must be between 0 and 0.5, such as 0.01."))
    if baseline is None or not MIN_BASELINE <= baseline <= MAX_BASELINE:
        errors.add("baseline", _("The baseline must be between %(low)s and %(high)s days.")
                   % {"low": MIN_BASELINE, "high": MAX_BASELINE})
    if threshold is None or not 1 <= threshold <= MAX_THRESHOLD:
        errors.add("threshold", _("The threshold must be between 1 and %(high)s reports.") % {"high": MAX_THRESHOLD})
    errors.raise_if_any()
    changed = [field for field in SETTINGS_FIELDS if field in changes and getattr(settings, field) != changes[field]]
    if not changed and settings.updated_at is not None:
        return settings
    for field in changed:
        setattr(settings, field, changes[field])
    settings.updated_at = timezone.now()
    settings.updated_by = actor
    settings.save()
    audit_record(actor=actor, action="update", obj=settings, request=request, detail={"fields": changed})
    return settings
