"""How long a drug checking sample keeps what links it to a person (haven.core.retention, docs/PRIVACY.md)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haven.core.retention import RecordKind, integer_id, integer_ids, register
from haven.drugchecking.models import Analysis, Sample

EXPIRED_PREFIX = "expired-"  # a code index no keyed hash can equal (hashes are hex)


def _moment_of(object_id: str):
    number = integer_id(object_id)
    if number is None:
        return None
    return (Sample.objects.filter(pk=number).exclude(code_index__startswith=EXPIRED_PREFIX)
            .values_list("received_at", flat=True).first())


def expire_samples(*, before, held, only=None, **_ignored) -> int:
    """De-identify samples received before `before`: the one-time code stops finding the result,
    and the link to a participant, the effects the person described, staff names and analysis
    notes go. What was found, when, where and the finding stay: the market view, the alert rules
    and the counts read those."""
    samples = (Sample.objects.filter(received_at__lt=before).exclude(code_index__startswith=EXPIRED_PREFIX)
               .exclude(pk__in=integer_ids(held)))
    if only is not None:
        samples = samples.filter(pk=integer_id(only))
    changed = 0
    for sample in samples.iterator(chunk_size=500):
        with transaction.atomic():
            sample.code_index = EXPIRED_PREFIX + secrets.token_hex(28)
            sample.participant = None
            sample.effects = ""
            sample.received_by = None
            sample.reviewed_by = None
            sample.save(update_fields=["code_index", "participant", "effects", "received_by", "reviewed_by"])
            for analysis in Analysis.objects.filter(sample=sample):
                analysis.notes = ""
                analysis.performed_by = None
                analysis.save(update_fields=["notes", "performed_by"])
        changed += 1
    return changed


register(RecordKind(
    key="drugchecking.sample", order=40,
    label=_("Drug checking samples"),
    treatment=_("The sample code stops finding the result; the link to a participant, the effects they "
                "described, analysis notes and staff are erased. What was found, when and where stay for the "
                "market view and the alert rules."),
    default_days=30, minimum_days=30,
    reason=_("The person reads the result with their one-time code, and a laboratory result can take weeks "
             "to come back: thirty days lets them read it."),
    expire=expire_samples, moment_of=_moment_of, models=lambda: [Sample, Analysis],
))
