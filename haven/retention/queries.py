"""Reads of retention settings and holds, shared by the page, the CLI and other apps (the rights app's
legal-requests log asks `record_gone` and `holds_on`)."""

from __future__ import annotations

from dataclasses import dataclass

from haven.core.retention import RecordKind, kinds
from haven.retention.models import ExpiryRun, ExpiryState, LegalHold, RetentionSetting


@dataclass
class KindRow:
    kind: RecordKind
    days: int
    chosen: bool  # an admin set it (else the default)
    last_run: ExpiryRun | None  # the last run that expired anything
    checked_at: object  # when expiry last ran for this kind (None: never)
    holds: int


def days_for(key: str) -> int:
    kind = kinds()[key]
    chosen = RetentionSetting.objects.filter(kind=key).values_list("days", flat=True).first()
    return chosen if chosen is not None else kind.default_days


def kind_rows() -> list[KindRow]:
    chosen = dict(RetentionSetting.objects.values_list("kind", "days"))
    holds: dict[str, int] = {}
    for key in LegalHold.objects.filter(released_at__isnull=True).values_list("kind", flat=True):
        holds[key] = holds.get(key, 0) + 1
    checked = dict(ExpiryState.objects.values_list("kind", "checked_at"))
    rows = []
    for key, kind in kinds().items():
        rows.append(KindRow(kind=kind, days=chosen.get(key, kind.default_days), chosen=key in chosen,
                            last_run=ExpiryRun.objects.filter(kind=key).first(), checked_at=checked.get(key),
                            holds=holds.get(key, 0)))
    return rows


def held_ids(key: str) -> set[str]:
    """Ids of this kind under an active hold, and those kept by a hold on another kind's record."""
    held = set(LegalHold.objects.filter(kind=key, released_at__isnull=True).values_list("object_id", flat=True))
    for other, through in kinds()[key].held_through.items():
        others = set(LegalHold.objects.filter(kind=other, released_at__isnull=True).values_list("object_id", flat=True))
        if others:
            held |= {str(value) for value in through(others)}
    return held


def holds_on(key: str, object_id: str):
    return LegalHold.objects.filter(kind=key, object_id=str(object_id).strip())


def active_holds():
    return LegalHold.objects.filter(released_at__isnull=True).select_related("placed_by")


def released_holds(*, limit: int = 50):
    return LegalHold.objects.filter(released_at__isnull=False).select_related("placed_by", "released_by")[:limit]


def recent_runs(*, limit: int = 20):
    return ExpiryRun.objects.all()[:limit]


def record_gone(key: str, object_id: str) -> bool:
    """Has this record's identifying detail expired (or was there never such a record)?"""
    kind = kinds()[key]
    moment = kind.moment_of(str(object_id).strip())
    if moment is None:
        return True
    state = ExpiryState.objects.filter(kind=key).first()
    if state is None or state.expired_before is None or moment >= state.expired_before:
        return False
    # Before the mark: expired, unless a hold kept it (it expires when the hold is released).
    return str(object_id).strip() not in held_ids(key)
