"""How long sign-in records and ended sessions are kept (haven.core.retention, docs/PRIVACY.md).

They hold usernames, addresses and browsers, and none of it is in the audit log (which keeps its
own entries: docs/SECURITY.md). A hold names a sign-in ("log:12"), a failed attempt
("failure:12") or a lock-out counter ("attempt:12").
"""

from __future__ import annotations

import math

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.retention import RecordKind, integer_id, integer_ids, register


def _models() -> dict:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return {"log": AccessLog, "failure": AccessFailureLog, "attempt": AccessAttempt}


def _split(object_id: str):
    prefix, _sep, number = str(object_id).strip().partition(":")
    return _models().get(prefix), integer_id(number)


def _moment_of(object_id: str):
    model, number = _split(object_id)
    if model is None or number is None:
        return None
    return model.objects.filter(pk=number).values_list("attempt_time", flat=True).first()


def expire_login_records(*, before, held, only=None, **_ignored) -> int:
    """Delete sign-in records before `before`, and sessions that have ended."""
    from django.contrib.sessions.models import Session

    removed = 0
    for prefix, model in _models().items():
        rows = model.objects.filter(attempt_time__lt=before).exclude(
            pk__in=integer_ids(value.partition(":")[2] for value in held if value.startswith(prefix + ":")))
        if only is not None:
            only_model, number = _split(only)
            if only_model is not model:
                continue
            rows = rows.filter(pk=number)
        removed += rows.delete()[0]
    if only is None and settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        removed += Session.objects.filter(expire_date__lt=timezone.now()).delete()[0]
    return removed


def _session_models():
    from django.contrib.sessions.models import Session

    return [*_models().values(), Session]


# django-axes counts failed sign-ins within the lock-out period; its records must outlive it.
_LOCKOUT_DAYS = max(1, math.ceil(float(settings.AXES_COOLOFF_TIME) / 24))

register(RecordKind(
    key="accounts.login", order=60,
    label=_("Sign-in records and sessions"),
    treatment=_("Sign-ins, failed attempts and lock-out counters (username, address, browser) are deleted, "
                "and sessions that have ended."),
    default_days=30, minimum_days=_LOCKOUT_DAYS,
    reason=_("Failed sign-ins lock an account for the lock-out period (HAVEN_LOGIN_LOCKOUT_MINUTES); deleting "
             "them sooner would unlock an account under attack."),
    default_reason=_("A month to look back at a lock-out or a strange sign-in: the period Haven kept them for "
                     "before it had retention settings."),
    expire=expire_login_records, moment_of=_moment_of, models=_session_models,
))
