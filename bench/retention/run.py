"""How long expiry takes: the first run over a program's whole history, then an hourly run.

Run: python bench/retention/run.py [--scale 0.05]
     (SQLite in a new temporary data folder; the visits come from bench/encounters/generate.py)

The first run de-identifies every visit older than 92 days and every participant whose last
visit is over 366 days old, in batches; the second run (an hour later) is what the worker does
every hour. Prints seconds per kind and the total.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.05, help="share of the 2,000,000-visit program")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="haven-bench-retention-")
    env = {**os.environ, "HAVEN_DATA_DIR": data}
    subprocess.run([sys.executable, str(ROOT / "bench" / "encounters" / "generate.py"), "--scale", str(args.scale)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(HAVEN_DATA_DIR=data, DJANGO_SETTINGS_MODULE="haven.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Max

    from haven.encounters.models import Encounter
    from haven.participants.models import Participant
    from haven.retention import actions
    from haven.retention.models import ExpiryRun

    now = Encounter.objects.aggregate(last=Max("occurred_at"))["last"] + datetime.timedelta(days=1)
    result = {"visits": Encounter.objects.count(), "participants": Participant.objects.count()}
    for label, moment in (("first run", now), ("an hour later", now + datetime.timedelta(hours=1))):
        started = time.perf_counter()
        runs = actions.retention_expire(now=moment)
        total = time.perf_counter() - started
        result[label] = {"seconds": round(total, 2),
                         "records": {run.kind: run.records for run in runs if run.records},
                         "seconds_per_kind": {run.kind: round((run.finished_at - run.started_at).total_seconds(), 2)
                                              for run in ExpiryRun.objects.filter(pk__in=[r.pk for r in runs])}}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
