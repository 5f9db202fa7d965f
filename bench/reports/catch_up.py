"""What a busy minute costs the rollup's catch-up: visits of known participants, then one refresh.

Run: HAVEN_DATA_DIR=/work/bench-data/sqlite-2m python bench/reports/catch_up.py [--visits 300] [--runs 3]
     (DATABASE_URL=... for PostgreSQL; the data set comes from bench/encounters/generate.py and
     its rollup must be built: bench/reports/rollup_build.py)

Each run logs --visits visits of participants picked at random through `encounter_record` (they
stay in the data set), then times `rollup_refresh()`, which holds the writers' lock while it adds
them: on PostgreSQL visits wait that long to commit, on SQLite to write. Then a refresh with
nothing new. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django

    django.setup()
    from django.db import connection

    from haven.accounts.models import User
    from haven.encounters.actions import encounter_record
    from haven.inventory.models import Kit
    from haven.participants.models import Participant
    from haven.reports.rollup import rollup_current, rollup_refresh

    user = User.objects.filter(username__startswith="bench-staff-").first()
    site = user.sites.first()
    kit = Kit.objects.filter(active=True).first()
    rollup_refresh()
    assert rollup_current() is not None, "build the rollup first: bench/reports/rollup_build.py"
    ids = list(Participant.objects.values_list("pk", flat=True))
    random.seed(20)
    busy, idle = [], []
    for _ in range(args.runs):
        for person in Participant.objects.filter(pk__in=random.sample(ids, args.visits)):
            encounter_record(actor=user, client_id=uuid.uuid4(), site=site, service_mode="fixed", kits=[(kit, 1)],
                             participant=person)
        started = time.perf_counter()
        rollup_refresh()
        busy.append(time.perf_counter() - started)
        started = time.perf_counter()
        rollup_refresh()
        idle.append(time.perf_counter() - started)
    print(json.dumps({"database": connection.vendor, "visits": args.visits, "runs": args.runs,
                      "catch_up_s": [round(seconds, 3) for seconds in busy],
                      "catch_up_p50_s": round(statistics.median(busy), 3),
                      "nothing_new_p50_s": round(statistics.median(idle), 4), "load_average": os.getloadavg()}))


if __name__ == "__main__":
    main()
