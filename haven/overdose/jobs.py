"""The overdose module's scheduled work, run by `haven worker`."""

from __future__ import annotations

import datetime

from haven.core.worker import periodic


@periodic("overdose.detect_spikes", every=datetime.timedelta(hours=1))
def overdose_detect_spikes():
    # Reversals reported at visits become reports first, so they count in this run.
    from haven.overdose.detection import detection_run

    detection_run()

