"""What one poll of the booth board costs the server, in CPU time, by answer: an empty 204, one changed
booth, the whole board.

Run (SQLite in a new temporary data folder unless HAVEN_DATA_DIR / DATABASE_URL say otherwise):
    python bench/consumption/poll_cost.py [--booths 30] [--polls 300]

In this process, through Django's test client (the whole middleware stack, the session and the
view; no network): a site with `--booths` booths, two thirds of them occupied, and one signed-in
staff member. Each kind of answer is asked `--polls` times; reported is the median CPU time
(`time.process_time`) per poll, which the other work on a shared machine does not inflate the way
it does wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--booths", type=int, default=30)
    parser.add_argument("--polls", type=int, default=300)
    args = parser.parse_args(argv)
    if not os.environ.get("HAVEN_DATA_DIR"):
        os.environ["HAVEN_DATA_DIR"] = tempfile.mkdtemp(prefix="haven-bench-poll-cost-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from haven.accounts.models import User
    from haven.accounts.roles import Role
    from haven.consumption import actions
    from haven.consumption.models import Booth
    from haven.core import actions as core_actions
    from haven.places.models import Site

    call_command("migrate", verbosity=0)
    core_actions.keys_ensure()
    site = Site.objects.create(name="Poll cost site")
    booths = [Booth.objects.create(site=site, name=f"Booth {n}", sort_order=n) for n in range(1, args.booths + 1)]
    staff = User.objects.create(username="poll-cost-staff", role=Role.STAFF)
    staff.sites.set([site])
    stays = [actions.stay_check_in(actor=staff, booth=booth, route="injection")
             for booth in booths[: args.booths * 2 // 3]]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    url = reverse("consumption-board-live", args=[site.pk])

    def tag(response):
        return response.content.decode().split('data-tag="')[1].split('"')[0]

    def cost(ask, expect):
        seconds = []
        for _ in range(args.polls):
            before = time.process_time()
            response = ask()
            seconds.append(time.process_time() - before)
            if not expect(response):
                raise SystemExit(f"unexpected answer {response.status_code}")
        return round(1000 * statistics.median(seconds), 2)

    current = tag(client.get(url))
    results = {"empty_204": cost(lambda: client.get(url, {"v": current}), lambda r: r.status_code == 204)}

    # One booth changed since the screen's version: the change is made outside the timing.
    def one_changed():
        stale = tag(client.get(url))
        actions.stay_acknowledge_check(actor=staff, stay_id=stays[0].pk)
        before = time.process_time()
        response = client.get(url, {"v": stale})
        spent = time.process_time() - before
        if response.status_code != 200:
            raise SystemExit(f"unexpected answer {response.status_code}")
        answers.add("whole board" if 'id="board"' in response.content.decode() else "changed booths only")
        return spent

    answers: set[str] = set()

    results["one_booth_changed"] = round(1000 * statistics.median(one_changed() for _ in range(args.polls)), 2)
    results["one_booth_changed_was_answered_with"] = sorted(answers)
    results["whole_board"] = cost(lambda: client.get(url, {"v": "stale"}),
                                  lambda r: r.status_code == 200 and 'id="board"' in r.content.decode())
    print(json.dumps({"booths": args.booths, "occupied": len(stays), "polls_each": args.polls,
                      "cpu_ms_per_poll_median": results, "load_average_1min": os.getloadavg()[0]}, indent=2))


if __name__ == "__main__":
    main()
