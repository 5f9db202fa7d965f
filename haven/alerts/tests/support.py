"""Helpers shared by the alerts tests (fixtures are in conftest.py)."""

from __future__ import annotations

import json
import socket

from haven.core import worker

SPIKE_CONTEXT = {
    "method": "ears-c2",
    "observed": 9,
    "baseline": 2.1,
    "upper_bound": 5.4,
    "areas": ["Northside"],
    "related_findings": ["3 samples with fentanyl sold as oxycodone"],
}
CLEAN_BODY = ("Overdoses rose sharply in Northside this week.\n\n"
              "- Do not use alone.\n- Start with a small amount.\n- Carry naloxone.")


def run_worker(**kwargs) -> int:
    """What `haven worker` does in one pass: every due periodic job and queued job."""
    return worker.run_due(worker_id="test-worker", **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def payload_of(request) -> dict:
    return json.loads(request["body"])
