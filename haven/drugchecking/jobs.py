"""Drug checking's scheduled work, run by `haven worker`."""

from __future__ import annotations

import datetime

from haven.core.worker import periodic


@periodic("drugchecking.remove_old_lookup_attempts", every=datetime.timedelta(hours=6))
def drugchecking_remove_old_lookup_attempts():
    # The rate limit needs an hour of traces; a day is kept, then they go.
    from haven.drugchecking.actions import lookup_attempts_remove_old

    lookup_attempts_remove_old()
