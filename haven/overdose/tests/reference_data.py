"""Loads the R surveillance 1.20.3 reference series copied from /work/shared/data/surveillance."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

DATA_DIRECTORY = Path(__file__).parent / "data" / "surveillance"
DAILY_FILES = ["daily_mean2", "daily_mean8", "daily_mean30"]
WEEKLY_FILES = [f"weekly_scenario{s}_m{m}" for s in range(1, 8) for m in (1, 2)]
# Detection ranges from the README (1-based t): daily 15..1095, weekly 521..624.
FIRST_EVALUATED = {"daily": 14, "weekly": 520}


def load_reference(name: str) -> dict[str, np.ndarray]:
    with open(DATA_DIRECTORY / f"{name}.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {}
    for column in rows[0]:
        columns[column] = np.array([np.nan if row[column] == "NA" else float(row[column]) for row in rows])
    return columns


def first_evaluated(name: str) -> int:
    return FIRST_EVALUATED["daily" if name.startswith("daily") else "weekly"]
