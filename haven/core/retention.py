"""The registry of record kinds whose identifying detail expires (docs/PRIVACY.md).

Each app declares its kinds in its own `retention.py`, which the registry imports when first asked
(as the worker imports every app's `jobs.py`):

    from haven.core.retention import RecordKind, register

    register(RecordKind(
        key="rights.report", label=_("Rights reports"), treatment=_("The note is erased."),
        default_days=366, minimum_days=366, reason=_("Why that is the shortest that keeps reports working."),
        expire=expire_reports, moment_of=moment_of_report, models=lambda: [RightsReport]))

`expire(before=, held=, since=, above_id=, only=)` removes the identifying detail of every record
whose moment is before `before`, except the ids in `held` (legal holds), and returns how many
records it changed; `only` limits it to one id (a hold released after its record's time had
passed). `since` and `above_id` let a kind skip what earlier runs did: records with a moment
before `since` and an id up to `above_id` (the kind's `newest_id()` when the last run began) are
done; a record added since with an old moment (a legacy import) has a higher id. `moment_of(id)`
gives a record's moment (when its time to expire starts counting), or None when no such record
exists. The retention app (haven/retention) keeps the settings and holds, runs the kinds from the
worker and purges what they freed from the database files. Core's own kind, backups, is below.
"""

from __future__ import annotations

import datetime
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DELETED, DEIDENTIFIED = "deleted", "de-identified"


@dataclass(frozen=True)
class RecordKind:
    key: str  # "<app>.<record>", e.g. "encounters.visit"
    label: str
    treatment: str  # what expiry does, in one sentence for the admin page
    default_days: int
    minimum_days: int
    reason: str  # why the minimum is what it is: shown when a shorter period is refused
    expire: Callable[..., int]
    moment_of: Callable[[str], datetime.datetime | None]
    # The models whose tables expiry deletes or rewrites: purged afterwards (VACUUM on PostgreSQL).
    models: Callable[[], Iterable] = field(default=lambda: ())
    default_reason: str = ""  # why the default is what it is, when it is longer than the minimum
    # Records of this kind that a hold on another kind's record keeps too: {other kind: function
    # from the held ids of that kind to ids of this kind} (a held visit keeps its participant).
    held_through: dict = field(default_factory=dict)
    # The newest id of the kind's table, when `expire` uses `above_id` (see below).
    newest_id: Callable[[], int | None] | None = None
    order: int = 100  # position on the admin page


_KINDS: dict[str, RecordKind] = {}
_discovered = False


def register(kind: RecordKind) -> RecordKind:
    if kind.minimum_days > kind.default_days:
        raise ValueError(f"{kind.key}: the default ({kind.default_days} days) is shorter than the minimum.")
    _KINDS[kind.key] = kind
    return kind


def kinds() -> dict[str, RecordKind]:
    """Every registered kind, by key, in page order (each installed app's retention.py imported first)."""
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("retention")
        _discovered = True
    return dict(sorted(_KINDS.items(), key=lambda item: (item[1].order, item[0])))


def integer_ids(ids: Iterable[str]) -> list[int]:
    """The ids of a set of holds that can be a database id (holds keep ids as text)."""
    return [int(value) for value in ids if str(value).isdigit()]


def integer_id(object_id: str) -> int | None:
    text = str(object_id).strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


# Backups ---------------------------------------------------------------------------------------------


def backup_folders() -> list[Path]:
    """Complete backups Haven can see: in HAVEN_BACKUP_DIR (the worker's) and in the data folder."""
    from django.conf import settings

    from haven import conf
    from haven.core.backup import MANIFEST

    places = [conf.data_dir()]
    if settings.HAVEN_BACKUP_DIR:
        places.append(Path(settings.HAVEN_BACKUP_DIR))
    found = []
    for place in places:
        if place.is_dir():
            found += [path for path in sorted(place.iterdir()) if path.is_dir() and (path / MANIFEST).is_file()]
    return found


def backup_made_at(folder: Path) -> datetime.datetime | None:
    from haven.core.backup import MANIFEST

    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        if "haven_backup" not in manifest:
            return None
        return datetime.datetime.fromisoformat(manifest["created_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _backup_moment(object_id: str) -> datetime.datetime | None:
    for folder in backup_folders():
        if folder.name == object_id:
            return backup_made_at(folder)
    return None


def _backups_expire(*, before: datetime.datetime, held: set[str], only: str | None = None, **_ignored) -> int:
    removed = 0
    for folder in backup_folders():
        made_at = backup_made_at(folder)
        if made_at is None or made_at >= before or folder.name in held or (only is not None and folder.name != only):
            continue
        shutil.rmtree(folder)
        removed += 1
    return removed


register(RecordKind(
    key="core.backup", order=90,
    label=_("Backups"),
    treatment=_("Backup folders (in the data folder and HAVEN_BACKUP_DIR) are deleted."),
    default_days=8, minimum_days=1,
    reason=_("At least one day, so that the newest daily backup is never deleted before the next is made."),
    default_reason=_("The worker makes one backup a day and keeps seven (HAVEN_BACKUP_KEEP); eight days keeps "
                     "them all. Every backup holds the detail that expired after it was made, so a long "
                     "period here keeps expired detail for that long."),
    expire=_backups_expire, moment_of=_backup_moment,
))
