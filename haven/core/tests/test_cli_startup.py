"""The command line starts quickly because it loads only what a command needs.

Timings are measured in bench/cli/run.py (docs/PERFORMANCE.md); these tests pin what makes them
possible, without timing anything: which heavy libraries a command imports.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from haven.overdose.tests.reference_data import DATA_DIRECTORY

REPOSITORY = Path(__file__).resolve().parents[3]
HEAVY = ("numpy", "scipy", "django", "yaml", "fpdf")


def modules_after(argv: list[str], tmp_path) -> set[str]:
    """The top-level modules imported by `haven ARGV`, run in a fresh interpreter."""
    code = (
        "import sys, io, contextlib\n"
        "from haven.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    status = main({argv!r})\n"
        "print(status)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPOSITORY, capture_output=True, text=True,
                            timeout=120, env={"PATH": "/usr/bin:/bin", "HAVEN_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    status, modules = result.stdout.splitlines()[-2:]
    assert status == "0", result.stdout
    return set(modules.split())


@pytest.mark.parametrize("argv", [
    ["--help"], ["spikes", "--help"], ["reagents", "--help"], ["interactions", "--help"],
    ["lint-language", "--help"],
])
def test_help_loads_no_heavy_library(argv, tmp_path):
    loaded = {name.split(".")[0] for name in modules_after(argv, tmp_path)}
    # lint-language and reagents describe their options from modules that read YAML (with libyaml: quick).
    heavy = set(HEAVY) - ({"yaml"} if argv[0] in ("lint-language", "reagents") else set())
    assert not loaded & heavy


def test_spikes_loads_neither_django_nor_scipy_stats_nor_scipy_signal(tmp_path):
    loaded = modules_after(["spikes", str(DATA_DIRECTORY / "daily_mean8.csv"), "--method", "all"], tmp_path)
    assert "numpy" in loaded
    assert not {"django", "scipy.stats", "scipy.signal"} & loaded


@pytest.mark.parametrize("method", ["ears-c1", "ears-c3", "ewma", "regression", "switch"])
def test_spikes_with_default_parameters_needs_no_scipy(method, tmp_path):
    loaded = modules_after(["spikes", str(DATA_DIRECTORY / "daily_mean8.csv"), "--method", method], tmp_path)
    assert "scipy" not in loaded
