"""The retention app's scheduled work, run by `haven worker`."""

from __future__ import annotations

import datetime

from haven.core.worker import periodic


@periodic("retention.expire", every=datetime.timedelta(hours=1), lease=datetime.timedelta(hours=2))
def retention_expire():
    # Hourly, so detail goes within an hour of its time; a run with nothing to do is a few indexed reads.
    from haven.retention.actions import retention_expire as expire

    expire()
