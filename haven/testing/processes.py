"""Running `python -m haven` in a subprocess with a data folder of its own, as an operator would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "a long and unusual passphrase"


def haven_env(data_dir, **extra) -> dict:
    """This environment without Haven's settings or the test database: a new installation."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"} and not name.startswith("HAVEN_")
    }
    env.update(
        HAVEN_DATA_DIR=str(data_dir),
        PYTHONPATH=str(REPO),
        HAVEN_WORKER_POLL_SECONDS="1",
        HAVEN_ADMIN_PASSWORD=ADMIN_PASSWORD,
        **extra,
    )
    return env


def run_haven(*args, data_dir, timeout=120, **extra_env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "haven", *args],
        cwd=REPO,
        env=haven_env(data_dir, **extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
