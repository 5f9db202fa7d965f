"""The `haven` command: clear one-line errors, safe start-up, and a server that stops cleanly.

Most tests call `haven.cli.main` in this process. The few that must start Haven from scratch run
`python -m haven` in a subprocess with a data folder (and SQLite database) of their own.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from haven import cli
from haven.accounts.models import User
from haven.core import keys
from haven.core.audit import audit_record
from haven.core.fields import EncryptedTextField

REPO = Path(__file__).resolve().parents[3]
ADMIN_PASSWORD = "a long and unusual passphrase"


def fake_command(argv):
    print("fake command got", argv)
    return 3


# Usage --------------------------------------------------------------------------------------------


def test_an_unknown_option_is_a_usage_error(capsys):
    assert cli.main(["serve", "--colour", "blue"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: haven serve")
    assert "unrecognized arguments: --colour blue" in err


def test_an_unknown_command_is_a_usage_error(capsys):
    assert cli.main(["launch"]) == 2
    assert "invalid choice: 'launch'" in capsys.readouterr().err


def test_help_lists_every_command(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("serve", "demo", "worker", "createadmin", "check", "audit", "keys", "manage", "spikes",
                    "lint-language"):
        assert command in out


def test_an_external_command_gets_its_arguments_and_returns_its_status(monkeypatch, capsys):
    monkeypatch.setitem(cli.EXTERNAL_COMMANDS, "fake", (f"{__name__}:fake_command", "a test command"))
    assert cli.main(["fake", "--help", "data.csv"]) == 3
    assert "fake command got ['--help', 'data.csv']" in capsys.readouterr().out


def test_an_external_command_that_is_not_installed_says_so(monkeypatch, capsys):
    monkeypatch.setitem(cli.EXTERNAL_COMMANDS, "ghost", ("haven.no_such_module.cli:main", "missing"))
    assert cli.main(["ghost", "x"]) == 1
    err = capsys.readouterr().err
    assert err == "haven: the 'ghost' command is not available: haven.no_such_module.cli is missing.\n"


def test_manage_passes_options_through_to_django(capsys):
    assert cli.main(["manage", "help", "--commands"]) == 0
    assert "migrate" in capsys.readouterr().out.split()


def test_help_and_algorithm_commands_do_not_set_up_django(tmp_path):
    code = (
        "import sys; from haven.cli import main; "
        "main(['--help']); main(['spikes', '--help']); "
        "import django.apps; print('django ready:', django.apps.apps.ready)"
    )
    result = run_haven_python(code, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "django ready: False" in result.stdout


# Audit and keys (in this process, so on SQLite and PostgreSQL alike) ------------------------------


@pytest.mark.django_db
def test_audit_verify_passes_on_an_intact_log_and_fails_after_tampering(capsys):
    for n in range(3):
        audit_record(action="security", object_type="core.test", object_id=n, detail={"event": "test"})
    assert cli.main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 entries, chain intact, head 3:")
    head = out.splitlines()[0].split("head ")[1].strip()
    assert cli.main(["audit", "verify", "--expect-head", head]) == 0
    capsys.readouterr()

    with connection.cursor() as cursor:  # what an attacker with database access would do
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER core_auditevent_append_only ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
        cursor.execute("UPDATE core_auditevent SET actor_label = 'nobody' WHERE sequence = 2")
    assert cli.main(["audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert "problem: entry 2 was changed after it was written" in captured.out
    assert captured.err.startswith("haven: the audit log failed verification")


@pytest.fixture
def own_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path))
    keys.clear_cache()
    keys.keys_create_missing()
    yield tmp_path
    monkeypatch.undo()
    keys.clear_cache()


def test_keys_rotate_reencrypts_every_value(own_keys, transactional_db, monkeypatch, capsys):
    with isolate_apps("haven.core"):

        class Note(models.Model):
            text = EncryptedTextField(null=True)

            class Meta:
                app_label = "core"
                db_table = "core_test_cli_note"

            def __str__(self):
                return f"note {self.pk}"

        with connection.schema_editor() as editor:
            editor.create_model(Note)
        try:
            Note.objects.bulk_create([Note(text=f"note {n}") for n in range(3)] + [Note(text=None)])
            monkeypatch.setattr("haven.core.actions.encrypted_fields", lambda: [(Note, Note._meta.get_field("text"))])
            assert cli.main(["keys", "rotate", "--retire-old"]) == 0
            out = capsys.readouterr().out
            assert "New encryption key k2: 3 values re-encrypted." in out
            assert "Retired keys: k1." in out
            with connection.cursor() as cursor:
                cursor.execute("SELECT text FROM core_test_cli_note WHERE text IS NOT NULL")
                assert all(row[0].startswith("hv1:k2:") for row in cursor.fetchall())
            assert sorted(note.text for note in Note.objects.exclude(text__isnull=True)) == ["note 0", "note 1", "note 2"]
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Note)


# Accounts and demo --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_createadmin_takes_the_password_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("HAVEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
    assert cli.main(["createadmin", "--username", "alice", "--email", "alice@example.org"]) == 0
    assert "Created the admin account 'alice'." in capsys.readouterr().out
    alice = User.objects.get(username="alice")
    assert alice.role == "admin" and alice.check_password(ADMIN_PASSWORD)


@pytest.mark.django_db
def test_createadmin_refuses_a_username_that_exists(alice, monkeypatch, capsys):
    monkeypatch.setenv("HAVEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
    assert cli.main(["createadmin", "--username", "ALICE"]) == 1
    assert capsys.readouterr().err == "haven: An account named 'ALICE' already exists. Choose another username.\n"


@pytest.mark.django_db
def test_createadmin_shows_why_a_weak_password_is_refused(monkeypatch, capsys):
    monkeypatch.setenv("HAVEN_ADMIN_PASSWORD", "password")
    assert cli.main(["createadmin", "--username", "dana"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("haven: The account was not created. password: This password is too short.")
    assert "This password is too common." in err
    assert err.count("\n") == 1
    assert not User.objects.filter(username="dana").exists()


@pytest.mark.django_db
def test_demo_loads_accounts_prints_logins_and_warns_that_two_factor_is_off(monkeypatch, capsys):
    monkeypatch.setenv("HAVEN_2FA_REQUIRED_ROLES", os.environ.get("HAVEN_2FA_REQUIRED_ROLES", ""))
    monkeypatch.setattr(cli, "_static_collect", lambda: None)
    served = {}
    monkeypatch.setattr(cli, "_serve", lambda **kwargs: served.update(kwargs) or 0)
    assert cli.main(["demo", "--port", "8123"]) == 0
    assert os.environ["HAVEN_2FA_REQUIRED_ROLES"] == ""
    captured = capsys.readouterr()
    assert "demo-carol-2026" in captured.out and "coordinator" in captured.out
    assert "Two-factor authentication is NOT enforced" in captured.err
    assert served == {"host": "127.0.0.1", "port": 8123, "threads": 4, "with_worker": True}


# Start-up failures (subprocesses: settings are read once per process) ----------------------------


def haven_env(data_dir, **extra):
    env = {name: value for name, value in os.environ.items()
           if name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"} and not name.startswith("HAVEN_")}
    env.update(HAVEN_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO), HAVEN_WORKER_POLL_SECONDS="1", **extra)
    return env


def run_haven(*args, data_dir, timeout=60, **extra_env):
    return subprocess.run([sys.executable, "-m", "haven", *args], cwd=data_dir, env=haven_env(data_dir, **extra_env),
                          capture_output=True, text=True, timeout=timeout)


def run_haven_python(code, *, data_dir):
    return subprocess.run([sys.executable, "-c", code], cwd=data_dir, env=haven_env(data_dir),
                          capture_output=True, text=True, timeout=60)


def assert_one_clear_line(result, *fragments):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("haven: ") and result.stderr.count("\n") == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.mark.parametrize(
    "url, message",
    [
        ("mysql://x", "DATABASE_URL must name a PostgreSQL"),
        ("postgres://", "DATABASE_URL names no database"),
        ("not a url", "DATABASE_URL is not a valid database URL"),
    ],
)
def test_a_malformed_database_url_is_a_clear_error(tmp_path, url, message):
    assert_one_clear_line(run_haven("check", data_dir=tmp_path, DATABASE_URL=url), message)


def test_an_unreachable_database_is_a_clear_error(tmp_path):
    result = run_haven("serve", data_dir=tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/haven")
    assert_one_clear_line(result, "Cannot connect to the database at 127.0.0.1:1:")


def test_a_missing_key_file_stops_haven_and_is_never_silently_replaced(tmp_path):
    created = run_haven("createadmin", "--username", "alice", data_dir=tmp_path, HAVEN_ADMIN_PASSWORD=ADMIN_PASSWORD)
    assert created.returncode == 0, created.stderr
    audit_key = tmp_path / "keys" / "audit.key"
    audit_key.unlink()

    check = run_haven("check", data_dir=tmp_path)
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    assert f"Key file {audit_key} is missing." in check.stderr

    serve = run_haven("serve", "--port", str(free_port()), data_dir=tmp_path)
    assert_one_clear_line(serve, f"The key file {audit_key} is missing, but this database holds data made with it.")
    assert not audit_key.exists()


# Serving ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(port, path) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def start_serving(data_dir, port, log_name, *, sigint=signal.SIG_DFL):
    """`haven serve` with SIGINT as `sigint` at its start: as a terminal starts it (the default,
    whatever this test run inherited), or ignored, as a shell starts a command in the background."""
    log = (data_dir / log_name).open("w")
    process = subprocess.Popen([sys.executable, "-m", "haven", "serve", "--port", str(port)], cwd=data_dir,
                               env=haven_env(data_dir), stdout=log, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, sigint))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, (data_dir / log_name).read_text()
        try:
            if http_status(port, "/healthz") == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("haven serve did not answer within 60 s")
    # The worker's process id is printed before the server starts answering.
    output = (data_dir / log_name).read_text()
    worker_pid = int(output.split("Background worker started (process ")[1].split(")")[0])
    return process, worker_pid


def assert_stops_cleanly(process, worker_pid, stop_signal):
    process.send_signal(stop_signal)
    try:
        assert process.wait(timeout=45) == 0
    finally:
        if process.poll() is None:  # it did not stop: leave no server (and its worker) behind
            process.kill()
            os.kill(worker_pid, signal.SIGKILL)
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)


def test_serve_answers_serves_static_files_and_stops_cleanly(tmp_path):
    port = free_port()
    process, worker_pid = start_serving(tmp_path, port, "first.log")
    try:
        assert http_status(port, "/healthz") == 200
        assert http_status(port, "/") == 302
        assert http_status(port, "/login/") == 200
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["haven/haven.css"]
        assert hashed != "haven/haven.css"
        assert http_status(port, f"/static/{hashed}") == 200

        busy = run_haven("serve", "--port", str(port), data_dir=tmp_path)
        assert_one_clear_line(busy, f"Port {port} on 127.0.0.1 is already in use")
    finally:
        if process.poll() is None:
            assert_stops_cleanly(process, worker_pid, signal.SIGINT)
    assert "Haven is listening on http://127.0.0.1:" in (tmp_path / "first.log").read_text()

    process, worker_pid = start_serving(tmp_path, port, "second.log")
    assert_stops_cleanly(process, worker_pid, signal.SIGTERM)

    # Started in the background by a shell without job control, which ignores SIGINT for it.
    process, worker_pid = start_serving(tmp_path, port, "third.log", sigint=signal.SIG_IGN)
    assert_stops_cleanly(process, worker_pid, signal.SIGINT)
