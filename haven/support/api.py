"""The support part of the JSON API (mounted under /api/support/ by haven/api.py).

The report leaves the program, so its small cells are suppressed. Referral lists carry statuses and
dates only, never a note.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Query, Router, Schema

from haven.core.api import SIGNED_IN, Date, errors
from haven.support import queries
from haven.support.models import Referral

router = Router(tags=["support"])


class ReportRowOut(Schema):
    category: str
    offered: int | str
    accepted: int | str
    connected: int | str
    median_days_to_connection: float | str | None


class ReferralOut(Schema):
    id: int
    category: str
    status: str
    offered_at: datetime.datetime
    connected_at: datetime.datetime | None


def _range(start: datetime.date | None, end: datetime.date | None):
    today = timezone.localdate()
    start, end = start or today.replace(day=1), end or today
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time(), tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tz))


@router.get("/referrals/report", response={200: list[ReportRowOut], **errors(*SIGNED_IN, 422)}, url_name="support-referral-report-api",
            summary="Referrals offered, accepted, connected and median days to connection by category (suppressed)")
def referral_report(request, start: Date | None = None, end: Date | None = None):
    rows = queries.referral_report(*_range(start, end), exact=False)
    return [{"category": row.category or "all", "offered": row.offered, "accepted": row.accepted,
             "connected": row.connected, "median_days_to_connection": row.median_days} for row in rows]


@router.get("/referrals", response={200: list[ReferralOut], **errors(*SIGNED_IN, 422)}, url_name="support-referrals-api",
            summary="Referrals the caller made, newest first: statuses and dates only")
def referrals(request, limit: int = Query(50, ge=1, le=200)):
    found = Referral.objects.filter(made_by=request.auth).order_by("-offered_at")[:limit]
    return [{"id": r.pk, "category": r.category, "status": r.status, "offered_at": r.offered_at,
             "connected_at": r.connected_at} for r in found]
