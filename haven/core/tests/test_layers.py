"""The layering of docs/ARCHITECTURE.md holds: import-linter's contracts (pyproject.toml) pass, and
each algorithm package loads without Django."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ALGORITHMS = ["haven.overdose.spikes", "haven.drugchecking.reagents", "haven.language", "haven.reports.suppression",
              "haven.reports.charts", "haven.reports.pdf", "haven.branding.colours", "haven.branding.logo",
              "haven.rights.advocacy"]


def test_the_import_contracts_are_kept():
    command = shutil.which("lint-imports")
    assert command, "install the test extra: pip install -e '.[test]' (import-linter)"

    run = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=600)

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " 0 broken" in run.stdout
    assert "core imports no domain app KEPT" in run.stdout


@pytest.mark.parametrize("package", ALGORITHMS)
def test_an_algorithm_package_loads_without_django(package):
    code = (f"import sys, importlib, pkgutil; module = importlib.import_module({package!r}); "
            "[importlib.import_module(info.name) for info in pkgutil.walk_packages(getattr(module, '__path__', []), "
            f"{package!r} + '.') if '.tests' not in info.name and not info.name.endswith('__main__')]; "
            "print(sorted(name for name in sys.modules if name == 'django' or name.startswith('django.')))")

    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
