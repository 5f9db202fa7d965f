"""Reads of support records that the pages, the API and the reports share, and the need-to-know rule."""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass

from django.utils import timezone

from haven.support.models import (
    Assignment,
    BreakGlass,
    Disclosure,
    Goal,
    Referral,
    SafetyPlan,
    ShareConsent,
    SupportConsent,
    SupportContact,
)

# Why someone may read a person's notes and plans; None: they must break the glass.
ASSIGNED, NEED_TO_KNOW, BROKE_THE_GLASS = "assigned", "need_to_know", "break_glass"


def notes_access(user, participant) -> str | None:
    """Staff assigned to the person and coordinators read notes; anyone else breaks the glass first."""
    if user.has_role_permission("support.need_to_know"):
        return NEED_TO_KNOW
    if Assignment.objects.filter(participant=participant, staff=user, ended_at__isnull=True).exists():
        return ASSIGNED
    if BreakGlass.objects.filter(participant=participant, user=user, expires_at__gt=timezone.now()).exists():
        return BROKE_THE_GLASS
    return None


def assignments(participant):
    return Assignment.objects.filter(participant=participant, ended_at__isnull=True).select_related("staff")


def goals(participant):
    return Goal.objects.filter(participant=participant).prefetch_related("progress")


def support_contacts(participant, *, limit=50):
    return SupportContact.objects.filter(participant=participant).select_related("staff", "site")[:limit]


def safety_plans(participant):
    return SafetyPlan.objects.filter(participant=participant)


def referrals(participant):
    return Referral.objects.filter(participant=participant).select_related("service", "made_by", "share_consent")


def share_consents(participant):
    return ShareConsent.objects.filter(participant=participant).select_related("given_by", "withdrawn_by")


def disclosures(participant):
    return Disclosure.objects.filter(participant=participant).select_related("disclosed_by", "consent")


def support_consent(participant):
    return SupportConsent.objects.filter(participant=participant).order_by("-given_at").first()


def break_glass_log(*, limit=200):
    return BreakGlass.objects.select_related("user", "participant")[:limit]


def follow_ups(user, *, today=None):
    """Referrals this worker made that are due a follow-up and still open."""
    today = today or timezone.localdate()
    return (Referral.objects.filter(made_by=user, follow_up_on__lte=today)
            .exclude(status__in=[Referral.Status.DECLINED, Referral.Status.CLOSED])
            .select_related("participant").order_by("follow_up_on"))


# Reports ---------------------------------------------------------------------------------------

@dataclass
class ReportRow:
    category: str
    offered: object
    accepted: object
    connected: object
    median_days: object


def referral_counts(start, end) -> dict[str, dict]:
    """category -> offered, accepted, connected and the days to connection, for referrals offered in [start, end)."""
    rows = Referral.objects.filter(offered_at__gte=start, offered_at__lt=end).values_list(
        "category", "offered_at", "accepted_at", "connected_at")
    found: dict[str, dict] = {}
    for category, offered_at, accepted_at, connected_at in rows:
        entry = found.setdefault(category or "other", {"offered": 0, "accepted": 0, "connected": 0, "days": []})
        entry["offered"] += 1
        entry["accepted"] += accepted_at is not None
        if connected_at is not None:
            entry["connected"] += 1
            entry["days"].append((connected_at - offered_at).total_seconds() / 86400)
    return found


def referral_report(start, end, *, exact: bool, policy=None) -> list[ReportRow]:
    """Referrals by category. Exact inside the program; otherwise small cells are suppressed
    (haven/reports/suppression.py) and a median is shown only over enough connections."""
    from haven.directory import vocabulary
    from haven.reports.suppression import DEFAULT_POLICY, suppress_table

    policy = policy or DEFAULT_POLICY
    counts = referral_counts(start, end)
    categories = [code for code in vocabulary.CATEGORY_CODES if code in counts]
    grid = [[counts[c]["offered"], counts[c]["accepted"], counts[c]["connected"]] for c in categories]
    medians = [round(statistics.median(counts[c]["days"]), 1) if counts[c]["days"] else None for c in categories]
    all_days = [day for c in categories for day in counts[c]["days"]]
    total_median = round(statistics.median(all_days), 1) if all_days else None
    if exact or not grid:
        totals = [sum(column) for column in zip(*grid, strict=True)] if grid else [0, 0, 0]
        rows = [ReportRow(c, *grid[i], medians[i]) for i, c in enumerate(categories)]
        return rows + [ReportRow("", *totals, total_median)]
    outcome = suppress_table(grid, row_totals=False, column_totals=True, grand_total=False, policy=policy)
    rows = []
    for i, category in enumerate(categories):
        cells = [cell.display for cell in outcome.cells[i]]
        connected = counts[category]["connected"]
        median = medians[i] if not policy.is_small(connected) and outcome.cells[i][2].display == connected else "–"
        rows.append(ReportRow(category, *cells, median))
    totals = [cell.display for cell in outcome.column_totals]
    connected_total = sum(counts[c]["connected"] for c in categories)
    rows.append(ReportRow("", *totals, total_median if not policy.is_small(connected_total) else "–"))
    return rows


def referral_report_csv(rows: list[ReportRow], labels: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["category", "offered", "accepted", "connected", "median_days_to_connection"])
    for row in rows:
        writer.writerow([labels.get(row.category, row.category) if row.category else "all", row.offered, row.accepted,
                         row.connected, "" if row.median_days is None else row.median_days])
    return buffer.getvalue().encode("utf-8-sig")
