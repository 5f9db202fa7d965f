"""Time R's surveillance (earsC, farringtonFlexible) on the benchmark series.

Run from the repository root:  python bench/spikes/r_timing.py [AREAS]
Needs Rscript with the surveillance package (Debian: r-base-core, r-cran-surveillance).
R fits one GLM per area and week, so by default only the first 30 of the
3,000 benchmark areas are given to R (same counts as bench/spikes/run.py);
the 3,000-area time is extrapolated linearly (R loops over areas, so its
time is proportional to their number).  Elapsed (wall) seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import AREAS, DAYS, synthetic_daily_counts  # noqa: E402


def main() -> None:
    areas = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    daily = synthetic_daily_counts()[:areas]
    weeks = DAYS // 7
    weekly = daily[:, : weeks * 7].reshape(areas, weeks, 7).sum(axis=2)
    script = Path(__file__).resolve().parent / "r_timing.R"
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for name, counts in (("daily", daily), ("weekly", weekly)):
            path = os.path.join(directory, f"{name}.csv")
            header = ",".join(f"a{i}" for i in range(areas))
            np.savetxt(path, counts.T, fmt="%d", delimiter=",", header=header, comments="")
            paths.append(path)
        output = subprocess.run(["Rscript", str(script), *paths], check=True, capture_output=True, text=True).stdout
    print(output.splitlines()[0])
    print(f"{'method':20s} {'areas':>6s} {'points':>7s} {'R seconds':>10s} {'x 3000 areas':>13s}")
    for line in output.splitlines()[1:]:
        method, n, points, seconds = line.split()
        scaled = float(seconds) * AREAS / int(n)
        print(f"{method:20s} {int(n):6d} {int(points):7d} {float(seconds):10.2f} {scaled:13.1f}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
