"""Reads shared by the alerts views, the feed and the actions: what is public, what waits for review,
and what the checks find in an alert's text."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from haven.alerts import screening
from haven.alerts.models import Alert, Subscriber, Webhook

FEED_SIZE = 50


def public_alerts(now=None):
    """Published and not past their expiry, newest first."""
    now = now or timezone.now()
    return (Alert.objects.filter(status=Alert.Status.PUBLISHED)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .prefetch_related("areas").order_by("-published_at", "-pk"))


def public_alert(alert_id: int) -> Alert | None:
    """An alert that was published (and may have expired since); never a draft or a dismissed one."""
    return (Alert.objects.filter(pk=alert_id, status__in=[Alert.Status.PUBLISHED, Alert.Status.EXPIRED])
            .prefetch_related("areas").first())


def alerts_for_review(*, severity="", source_kind="", status=""):
    """Drafts and reviewed alerts, most urgent and newest first, with who did what; optionally only
    one severity, source or status."""
    from django.db.models import Case, IntegerField, Value, When

    alerts = Alert.objects.filter(status__in=[Alert.Status.DRAFT, Alert.Status.REVIEWED])
    if severity in Alert.Severity.values:
        alerts = alerts.filter(severity=severity)
    if source_kind in Alert.SourceKind.values:
        alerts = alerts.filter(source_kind=source_kind)
    if status in (Alert.Status.DRAFT, Alert.Status.REVIEWED):
        alerts = alerts.filter(status=status)
    urgency = Case(When(severity=Alert.Severity.URGENT, then=Value(0)),
                   When(severity=Alert.Severity.WARNING, then=Value(1)), default=Value(2), output_field=IntegerField())
    return (alerts.select_related("created_by", "reviewed_by").prefetch_related("areas")
            .annotate(urgency=urgency).order_by("urgency", "-created_at"))


def recent_closed_alerts(limit: int = 20):
    return (Alert.objects.filter(status__in=[Alert.Status.PUBLISHED, Alert.Status.EXPIRED, Alert.Status.DISMISSED])
            .select_related("published_by", "dismissed_by").order_by("-updated_at")[:limit])


# The language checker -----------------------------------------------------------------------------


@functools.cache
def _checker():
    from haven.language.checker import Checker

    # Loading the rules takes a moment: once per process.
    return Checker()


@dataclass(frozen=True)
class LanguageFinding:
    where: str  # "title" or "body"
    text: str
    rule: str
    suggestions: tuple[str, ...]
    note: str


def language_findings(*, title: str, body: str) -> list[LanguageFinding]:
    checker = _checker()
    found = []
    for where, text, fmt in (("title", title, "text"), ("body", body, "markdown")):
        for finding in checker.check(text or "", fmt):
            found.append(LanguageFinding(where=where, text=finding.text, rule=finding.rule,
                                         suggestions=tuple(finding.suggestions), note=finding.note))
    return found


# Identifying details ------------------------------------------------------------------------------


def identifying_details(*, title: str, body: str, substances=()) -> list[screening.Identifying]:
    """E-mail addresses, phone numbers, code-like words and real participant display ids."""
    text = "\n".join([title or "", body or "", *[str(s) for s in substances or ()]])
    found = screening.find_identifying(text)
    candidates = screening.display_id_candidates(text) - {item.text for item in found}
    if candidates:
        from haven.participants.models import Participant

        known = set(Participant.objects.filter(display_id__in=candidates).values_list("display_id", flat=True))
        found.extend(screening.Identifying(kind="participant", text=value, start=-1, end=-1) for value in sorted(known))
    return found


# Subscribers and webhooks ---------------------------------------------------------------------------


def subscriber_counts() -> dict:
    rows = Subscriber.objects.values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return {"confirmed": counts.get(Subscriber.Status.CONFIRMED, 0),
            "pending": counts.get(Subscriber.Status.PENDING, 0)}


def subscribers_by_area() -> list[dict]:
    """How many confirmed subscribers chose each area; those who chose none receive every alert."""
    through = Subscriber.areas.through
    return list(through.objects.filter(subscriber__status=Subscriber.Status.CONFIRMED)
                .values("area__name").annotate(n=Count("pk")).order_by("area__name"))


def subscribers_without_areas() -> int:
    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, areas__isnull=True).count()


def webhooks():
    return Webhook.objects.select_related("created_by").order_by("name")
