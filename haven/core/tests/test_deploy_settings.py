"""Under production settings (HTTPS on), Django's and Haven's deployment checks are clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_checks(tmp_path, **extra_env):
    # Only what a real deployment would have: no test-only switches from other fixtures.
    left_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "HAVEN_STATIC_MANIFEST"}
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(HAVEN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="haven.settings", **extra_env)
    env.pop("HAVEN_2FA_REQUIRED_ROLES", None)
    prepare = "from haven.core import keys; keys.keys_create_missing()"
    subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=True)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_every_deployment_check(tmp_path):
    result = run_checks(tmp_path, HAVEN_HTTPS="1", HAVEN_PROXY_COUNT="1", HAVEN_ALLOWED_HOSTS="haven.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_https_the_checks_say_so(tmp_path):
    result = run_checks(tmp_path)
    assert result.returncode != 0
    assert "haven.W003" in result.stderr + result.stdout


def test_https_without_a_trusted_proxy_is_flagged_as_a_redirect_loop(tmp_path):
    result = run_checks(tmp_path, HAVEN_HTTPS="1", HAVEN_ALLOWED_HOSTS="haven.example.org")
    assert result.returncode != 0
    assert "haven.W004" in result.stderr + result.stdout
