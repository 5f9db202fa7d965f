"""The reports app's scheduled work, run by `haven worker`."""

from __future__ import annotations

import datetime

from haven.core.worker import periodic


@periodic("reports.rollup_refresh", every=datetime.timedelta(minutes=5))
def reports_rollup_refresh():
    # Reports refresh the rollup themselves and stay exact; this keeps the catch-up small, and
    # builds the rollup of a large history in the worker rather than in someone's first request.
    from haven.reports.rollup import rollup_refresh

    rollup_refresh()
