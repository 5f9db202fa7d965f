"""The consumption app's scheduled work, run by `haven worker`: the remote spotting line's escalations."""

from __future__ import annotations

import datetime

from haven.core.worker import periodic

# Every 5 seconds, with a short lease: if a worker is killed while running this job, the next one
# may take it over 30 seconds later, not after the default 10 minutes. A check-in is due every
# 2-3 minutes, so a step is raised at most ~10 s late (this interval plus the worker's poll).
ESCALATE_EVERY = datetime.timedelta(seconds=5)
ESCALATE_LEASE = datetime.timedelta(seconds=30)


@periodic("consumption.spotting_escalate", every=ESCALATE_EVERY, lease=ESCALATE_LEASE)
def consumption_spotting_escalate():
    from haven.consumption.spotting import escalations_raise

    escalations_raise()
