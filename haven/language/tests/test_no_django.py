"""The checker is plain Python: importing and running it never imports Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_checker_runs_without_importing_django():
    code = (
        "import sys\n"
        "from haven.language import cli, checker, prepare, report, rules\n"
        "checker.Checker().check('drug users', 'html')\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_package_init_is_free_of_django_imports():
    init = Path(__file__).resolve().parents[1] / "__init__.py"
    assert "django" not in init.read_text(encoding="utf-8").lower()
