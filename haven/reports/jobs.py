"""The reports app's scheduled work, run by `haven worker`."""

from __future__ import annotations

import datetime

from haven.core.worker import periodic


@periodic("reports.rollup_refresh", every=datetime.timedelta(minutes=1))
def reports_rollup_refresh():
    # The only place the rollup is written (reports read it, never refresh it): a small catch-up
    # every minute, and the first build of a large history in chunks, here rather than in a request.
    from haven.reports.rollup import rollup_refresh

    rollup_refresh()
