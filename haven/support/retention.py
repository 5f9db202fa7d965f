"""How long support notes are kept (haven.core.retention, docs/PRIVACY.md).

A hold names a support contact by its id ("12") or a note on a goal's progress as "progress:12".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haven.core.retention import RecordKind, integer_id, integer_ids, register
from haven.support.models import GoalProgress, SupportContact

PROGRESS = "progress:"


def _split(ids) -> tuple[list[int], list[int]]:
    contacts = integer_ids(value for value in ids if not str(value).startswith(PROGRESS))
    progress = integer_ids(str(value)[len(PROGRESS):] for value in ids if str(value).startswith(PROGRESS))
    return contacts, progress


def _moment_of(object_id: str):
    text = str(object_id).strip()
    if text.startswith(PROGRESS):
        number = integer_id(text[len(PROGRESS):])
        rows = GoalProgress.objects.filter(pk=number, note__isnull=False) if number is not None else None
        return rows.values_list("recorded_at", flat=True).first() if rows is not None else None
    number = integer_id(text)
    if number is None:
        return None
    return (SupportContact.objects.filter(pk=number, note__isnull=False)
            .values_list("occurred_at", flat=True).first())


def expire_notes(*, before, held, only=None, **_ignored) -> int:
    """Erase the notes of support contacts and goal progress before `before`. The contacts stay
    (kind, how, minutes, when, where) for the support counts; the notes are the person's story."""
    held_contacts, held_progress = _split(held)
    contacts = SupportContact.objects.filter(occurred_at__lt=before, note__isnull=False).exclude(pk__in=held_contacts)
    progress = GoalProgress.objects.filter(recorded_at__lt=before, note__isnull=False).exclude(pk__in=held_progress)
    if only is not None:
        only_contacts, only_progress = _split([only])
        contacts, progress = contacts.filter(pk__in=only_contacts), progress.filter(pk__in=only_progress)
    return (contacts.update(note=None, confirmed_flags=[]) + progress.update(note=None))


register(RecordKind(
    key="support.note", order=30,
    label=_("Support notes"),
    treatment=_("The notes of support contacts and of progress on goals are erased; the contacts themselves "
                "(kind, minutes, when) stay for the counts."),
    default_days=366, minimum_days=1,
    reason=_("No report reads a note. One day keeps today's notes for the hand-over to the next shift."),
    default_reason=_("A year of notes keeps the person's story for the yearly review of their goals; no report "
                     "needs it, so a program may choose less."),
    expire=expire_notes, moment_of=_moment_of, models=lambda: [SupportContact, GoalProgress],
))
