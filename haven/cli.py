"""The `haven` command: run Haven, set it up and look after it.

The people who run Haven are program staff more often than Python developers, so every failure
ends in one line on stderr that says what to do, and a non-zero exit status; never a traceback
(set HAVEN_DEBUG=1 to see one for an unexpected error).

Django is set up only by the commands that need it: `haven --help` and the algorithm commands
(`haven spikes`, `haven lint-language`, ...) start quickly and work without a database.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import signal
import subprocess
import sys
import threading

# Commands that live with their own module and need no Django: name -> ("module:function", help).
# The function receives the remaining arguments and returns the exit status.
EXTERNAL_COMMANDS = {
    "spikes": ("haven.overdose.spikes.cli:main", "detect spikes in overdose counts (a CSV file)"),
    "lint-language": ("haven.language.cli:main", "check text for stigmatizing language"),
    "interactions": ("haven.education.cli:main", "check what is known about taking substances together"),
    "reagents": ("haven.drugchecking.reagents.cli:main", "rank the substances that fit reagent test colours"),
}

WORKER_STOP_SECONDS = 30
WORKER_RESTART_SECONDS = 10
PARENT_PID_VARIABLE = "HAVEN_WORKER_PARENT_PID"


class CommandError(Exception):
    """A failure the person running the command can act on; the message says how."""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in EXTERNAL_COMMANDS:
            return _run_external(argv[0], argv[1:])
        if argv and argv[0] == "manage":
            # Dispatched before argparse: its REMAINDER cannot take a leading option (`--help`).
            return _run_manage(argv[1:])
        try:
            parser = build_parser()
            args, unknown = parser.parse_known_args(argv)
            if unknown:
                # Reported by the subcommand's parser, so the usage shown is that command's.
                getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(unknown)}")
        except SystemExit as exit_:
            return _exit_status(exit_.code)
        return args.handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last line of defence: one clear line, never a traceback
        if _debug():
            import traceback

            traceback.print_exc()
        print(f"haven: {_describe(error)}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="haven",
        description="Haven: a privacy-first platform for harm reduction programs.",
        epilog="Settings come from environment variables; see docs/CONFIGURATION.md.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="run Haven (web server and background worker)")
    _add_listen_options(serve)
    serve.add_argument("--threads", type=_positive_int, default=4, help="requests served at once (default: 4)")
    serve.add_argument("--no-worker", action="store_true", help="do not start the background worker")
    serve.set_defaults(handler=command_serve, parser=serve)

    demo = commands.add_parser("demo", help="run Haven with demo places and accounts (never for real data)")
    _add_listen_options(demo)
    demo.set_defaults(handler=command_demo, parser=demo)

    worker = commands.add_parser("worker", help="run the background worker alone")
    worker.add_argument("--once", action="store_true", help="run the jobs that are due now, then exit")
    worker.set_defaults(handler=command_worker, parser=worker)

    createadmin = commands.add_parser("createadmin", help="create an admin account")
    createadmin.add_argument("--username", help="the new account's username (asked if missing)")
    createadmin.add_argument("--email", default="", help="the new account's e-mail address")
    createadmin.set_defaults(handler=command_createadmin, parser=createadmin)

    check = commands.add_parser("check", help="check the installation (settings, keys, database)")
    check.set_defaults(handler=command_check, parser=check)

    audit = commands.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", metavar="ACTION", required=True
    )
    verify = audit.add_parser("verify", help="check that no audit entry was changed or deleted")
    verify.add_argument("--expect-head", metavar="SEQ:DIGEST",
                        help="the head printed by an earlier run: detects deleted newest entries")
    verify.set_defaults(handler=command_audit_verify, parser=verify)
    protect = audit.add_parser("protect", help="put back the audit log's append-only triggers if they were removed")
    protect.set_defaults(handler=command_audit_protect, parser=protect)

    backup = commands.add_parser("backup", help="copy the database, keys and audit head into a new folder "
                                 "(safe while Haven runs)")
    backup.add_argument("destination", metavar="DEST", help="a new (or empty) folder for the backup")
    backup.add_argument("--encrypt", action="store_true", help="encrypt it with a passphrase typed twice")
    backup.add_argument("--passphrase-file", metavar="FILE",
                        help="encrypt it with the passphrase in FILE (default: HAVEN_BACKUP_PASSPHRASE_FILE)")
    backup.set_defaults(handler=command_backup, parser=backup)

    restore = commands.add_parser("restore", help="restore a backup into a new data folder (HAVEN_DATA_DIR)")
    restore.add_argument("source", metavar="SRC", help="the backup folder")
    restore.add_argument("--passphrase-file", metavar="FILE",
                         help="the passphrase of an encrypted backup (default: HAVEN_BACKUP_PASSPHRASE_FILE)")
    restore.set_defaults(handler=command_restore, parser=restore)

    keys = commands.add_parser("keys", help="the encryption keys").add_subparsers(
        dest="keys_command", metavar="ACTION", required=True
    )
    rotate = keys.add_parser("rotate", help="make a new encryption key and re-encrypt every value with it")
    rotate.add_argument("--retire-old", action="store_true",
                        help="remove the old keys once every value uses the new one")
    rotate.set_defaults(handler=command_keys_rotate, parser=rotate)

    retention = commands.add_parser("retention", help="how long identifying detail is kept; legal holds").add_subparsers(
        dest="retention_command", metavar="ACTION", required=True
    )
    show = retention.add_parser("show", help="each kind of record: its period, minimum and holds")
    show.set_defaults(handler=command_retention_show, parser=show)
    period = retention.add_parser("set", help="keep a kind of record's identifying detail for DAYS days")
    period.add_argument("kind", metavar="KIND", help="a kind from `haven retention show`, e.g. encounters.visit")
    period.add_argument("days", metavar="DAYS", help="a whole number of days, at least the kind's minimum")
    period.set_defaults(handler=command_retention_set, parser=period)
    hold = retention.add_parser("hold", help="keep one record from expiring (a legal hold)")
    hold.add_argument("kind", metavar="KIND")
    hold.add_argument("record", metavar="ID", help="the record's number, or a backup's folder name")
    hold.add_argument("--reason", required=True, help="the request or order it is held for")
    hold.set_defaults(handler=command_retention_hold, parser=hold)
    release = retention.add_parser("release", help="release a legal hold by its number")
    release.add_argument("hold", metavar="HOLD", type=int)
    release.set_defaults(handler=command_retention_release, parser=release)
    expire = retention.add_parser("run", help="expire what is past its period now (the worker does it hourly)")
    expire.set_defaults(handler=command_retention_run, parser=expire)

    # Listed for --help only: main() hands these over before argparse sees their arguments.
    manage = commands.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    for name, (_target, help_text) in EXTERNAL_COMMANDS.items():
        external = commands.add_parser(name, help=help_text, add_help=False)
        external.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def _add_listen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("a port is a number from 1 to 65535")
    return value


# The commands -----------------------------------------------------------------------------------


def command_serve(args) -> int:
    _django_setup()
    _database_prepare()
    _static_collect()
    return _serve(host=args.host, port=args.port, threads=args.threads, with_worker=not args.no_worker)


def command_demo(args) -> int:
    # Before settings load, for this process and the worker it starts: demo accounts need no
    # authenticator app.
    os.environ["HAVEN_2FA_REQUIRED_ROLES"] = ""
    _django_setup()
    _database_prepare()
    from haven.demo.data import codes_to_try, demo_load, logins_table

    logins = demo_load()
    print("Demo accounts:\n")
    print(logins_table(logins))
    print()
    print(codes_to_try())
    print()
    print(
        "WARNING: demo mode. Two-factor authentication is NOT enforced, and these passwords are public. "
        "Never enter real participant data.",
        file=sys.stderr,
    )
    _static_collect()
    return _serve(host=args.host, port=args.port, threads=4, with_worker=True)


def command_worker(args) -> int:
    _django_setup()
    _database_require_ready()
    from django.conf import settings

    from haven.core.worker import worker_run

    stop = threading.Event()
    restore = _stop_on_signals(stop)
    _stop_when_parent_exits(stop)
    try:
        worker_run(once=args.once, poll_seconds=settings.HAVEN_WORKER_POLL_SECONDS, stop=stop)
    finally:
        restore()
    return 0


def command_createadmin(args) -> int:
    _django_setup()
    _database_prepare()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from haven.accounts.actions import staff_create

    user_model = get_user_model()
    username = (args.username or _ask("Username: ")).strip()
    if not username:
        raise CommandError("Give the new admin a username with --username.")
    if user_model.objects.filter(username__iexact=username).exists():
        raise CommandError(f"An account named {username!r} already exists. Choose another username.")
    password = os.environ.get("HAVEN_ADMIN_PASSWORD") or _ask_password()
    try:
        user = staff_create(actor=None, username=username, password=password, role="admin", email=args.email)
    except ValidationError as error:
        raise CommandError(f"The account was not created. {_validation_messages(error)}") from None
    print(f"Created the admin account {user.username!r}.")
    return 0


def command_check(args) -> int:
    _django_setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=True, fail_level="ERROR")
    except SystemCheckError as error:
        print(str(error).strip(), file=sys.stderr)
        return 1
    return 0


def command_audit_verify(args) -> int:
    _django_setup()
    _database_connect()
    _migrations_require_applied()
    from haven.core.audit import audit_verify

    result = audit_verify(expect_head=args.expect_head)
    if result.ok:
        print(f"{result.checked} entries, chain intact, head {result.head_sequence}:{result.head_digest}")
        if result.anchored is None:
            print("No head anchored in the key folder yet: it is written at the next audited action.")
        else:
            print(f"Anchored head {result.anchored.sequence} ({result.anchored.anchored_at}) matches.")
        return 0
    for problem in result.problems:
        print(f"problem: {problem}")
    print(f"haven: the audit log failed verification ({len(result.problems)} problem(s) in "
          f"{result.checked} entries)", file=sys.stderr)
    return 1


def command_audit_protect(args) -> int:
    _django_setup()
    _database_connect()
    _migrations_require_applied()
    from django.db import connection

    from haven.core.anchor import audit_triggers_install, audit_triggers_missing

    missing = audit_triggers_missing(connection)
    if not missing:
        print("The audit log's append-only triggers are in place.")
        return 0
    audit_triggers_install(connection)
    print(f"Put back: {', '.join(missing)}. Run `haven audit verify` to check what changed while they were gone.")
    return 0



def _retention_ready():
    _django_setup()
    _database_connect()
    _migrations_require_applied()


def command_retention_show(args) -> int:
    _retention_ready()
    from haven.retention import queries

    for row in queries.kind_rows():
        chosen = "" if row.chosen else " (default)"
        held = f", {row.holds} held" if row.holds else ""
        print(f"{row.kind.key}: {row.days} days{chosen}; at least {row.kind.minimum_days}{held}. {row.kind.label}")
    for hold in queries.active_holds():
        print(f"hold {hold.pk}: {hold.kind} {hold.object_id} since {hold.placed_at:%Y-%m-%d}")
    return 0


def command_retention_set(args) -> int:
    _retention_ready()
    from django.core.exceptions import ValidationError

    from haven.retention.actions import retention_set

    try:
        setting = retention_set(actor=None, kind=args.kind, days=args.days)
    except ValidationError as error:
        raise CommandError(f"Not changed. {_validation_messages(error)}") from None
    print(f"{setting.kind}: identifying detail kept for {setting.days} days.")
    return 0


def command_retention_hold(args) -> int:
    _retention_ready()
    from django.core.exceptions import ValidationError

    from haven.retention.actions import hold_place

    try:
        hold = hold_place(actor=None, kind=args.kind, object_id=args.record, reason=args.reason)
    except ValidationError as error:
        raise CommandError(f"No hold placed. {_validation_messages(error)}") from None
    print(f"Hold {hold.pk} placed on {hold.kind} {hold.object_id}.")
    return 0


def command_retention_release(args) -> int:
    _retention_ready()
    from django.core.exceptions import ValidationError

    from haven.retention.actions import hold_release
    from haven.retention.models import LegalHold

    hold = LegalHold.objects.filter(pk=args.hold).first()
    if hold is None:
        raise CommandError(f"There is no hold {args.hold}. `haven retention show` lists them.")
    try:
        hold_release(actor=None, hold=hold)
    except ValidationError as error:
        raise CommandError(_validation_messages(error)) from None
    print(f"Hold {hold.pk} released.")
    return 0


def command_retention_run(args) -> int:
    _retention_ready()
    from haven.retention.actions import retention_expire

    for run in retention_expire():
        print(f"{run.kind}: {run.records} expired{f' ({run.purge})' if run.purge else ''}")
    return 0


def _backup_passphrase(args, *, ask: bool) -> str | None:
    from haven import conf
    from haven.core.backup import passphrase_from_file

    path = args.passphrase_file or conf.env_str("HAVEN_BACKUP_PASSPHRASE_FILE")
    if path:
        return passphrase_from_file(path)
    if not ask:
        return None
    if not sys.stdin.isatty():
        raise CommandError("No terminal to ask for the passphrase: use --passphrase-file.")
    import getpass

    passphrase = getpass.getpass("Backup passphrase: ")
    if getpass.getpass("Passphrase (again): ") != passphrase:
        raise CommandError("The two passphrases differ. No backup was made.")
    if len(passphrase) < 12:
        raise CommandError("Use a passphrase of at least 12 characters. No backup was made.")
    return passphrase


def command_backup(args) -> int:
    passphrase = _backup_passphrase(args, ask=args.encrypt)
    _django_setup()
    _database_require_ready()
    from pathlib import Path

    from haven.core.backup import BackupError, backup_create

    try:
        manifest = backup_create(Path(args.destination), passphrase=passphrase)
    except BackupError as error:
        raise CommandError(str(error)) from None
    head = manifest["audit_head"]
    print(f"Backup written to {Path(args.destination).expanduser().resolve()} "
          f"({'encrypted' if passphrase else 'not encrypted: keep it as safe as the data folder'}): "
          f"{manifest['database']} database, {len(manifest['files']) - 1} key and head files, "
          f"audit head {head['sequence'] if head else 0}.")
    if manifest["keys_from_environment"]:
        print(f"Not in the backup (they come from the environment): {', '.join(manifest['keys_from_environment'])}. "
              "Keep them with it.")
    return 0


def command_restore(args) -> int:
    import shutil
    from pathlib import Path

    from haven import conf
    from haven.core import backup

    target = conf.data_dir()
    if not backup.folder_is_empty(target):
        raise CommandError(f"The data folder {target} is not empty: restore into a new folder (set HAVEN_DATA_DIR "
                           "to a folder that does not exist yet). Nothing was restored.")
    source = Path(args.source).expanduser().resolve()
    try:
        manifest, file_key = backup.backup_open(source, passphrase=_backup_passphrase(args, ask=False))
    except backup.BackupError as error:
        raise CommandError(str(error)) from None
    url = conf.env_str("DATABASE_URL")
    if manifest["database"] == "sqlite" and url:
        raise CommandError("This backup holds a SQLite database, which goes into the data folder: unset "
                           "DATABASE_URL. Nothing was restored.")
    if manifest["database"] == "postgresql" and not url.startswith(("postgres://", "postgresql://")):
        raise CommandError("This backup holds a PostgreSQL database: set DATABASE_URL to a new, empty database "
                           "(e.g. `createdb haven_restored`). Nothing was restored.")
    staging = target.parent / f".{target.name}.restoring-{os.getpid()}"
    target.parent.mkdir(parents=True, exist_ok=True)
    loaded = False
    try:
        dump = backup.restore_files(source, manifest, file_key, staging)
        os.environ["HAVEN_DATA_DIR"] = str(staging)  # Django, the keys and the audit head: the restored ones
        _django_setup()
        _database_connect()
        from django.db import connection

        from haven.core.audit import audit_verify

        if dump is not None:
            if not backup.postgres_database_is_empty(connection):
                raise CommandError(f"The database {connection.settings_dict['NAME']} is not empty: restore into a "
                                   "new, empty database. Nothing was restored.")
            loaded = True
            backup.postgres_load(connection, dump)
            dump.unlink()
        result = audit_verify()
        expected = manifest["audit_head"] or {"sequence": 0, "digest": "0" * 64}
        problems = list(result.problems)
        if (result.head_sequence, result.head_digest) != (expected["sequence"], expected["digest"]) and (
                result.head_sequence or expected["sequence"]):
            problems.append(f"the restored audit head is {result.head_sequence}, the backup recorded "
                            f"{expected['sequence']}:{expected['digest']}")
        if problems:
            raise CommandError("The restored audit log does not match the backup, nothing was restored: "
                               + "; ".join(problems))
        connection.close()
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException as error:
        if loaded:
            from django.db import connection

            backup.postgres_empty_out(connection)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, backup.BackupError):
            raise CommandError(str(error)) from None
        raise
    print(f"Restored into {target}: {result.checked} audit entries verified, head {result.head_sequence}. "
          f"Start Haven with HAVEN_DATA_DIR={target}" + (" and this DATABASE_URL." if url else "."))
    return 0


def command_keys_rotate(args) -> int:
    _django_setup()
    _database_require_ready()
    from haven import conf
    from haven.core.actions import keys_rotate

    result = keys_rotate(retire_old=args.retire_old)
    print(f"New encryption key {result['key_id']}: {result['reencrypted']} values re-encrypted.")
    if result["retired"]:
        print(f"Retired keys: {', '.join(result['retired'])}.")
    print(f"Back up {conf.keys_dir()} now: older backups of it cannot read values written from now on.")
    return 0


def _run_manage(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["haven manage", *args])
    except SystemExit as exit_:
        return _exit_status(exit_.code)
    return 0


def _run_external(name: str, args: list[str]) -> int:
    module_name, _, function_name = EXTERNAL_COMMANDS[name][0].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and (module_name == error.name or module_name.startswith(error.name + ".")):
            raise CommandError(f"the {name!r} command is not available: {module_name} is missing.") from None
        raise
    try:
        return _exit_status(getattr(module, function_name)(args))
    except SystemExit as exit_:
        return _exit_status(exit_.code)


# Setting up -------------------------------------------------------------------------------------


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _database_connect() -> None:
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise CommandError(_database_error(error, connecting=True)) from None


def _migrations_pending() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _migrations_require_applied() -> None:
    if _migrations_pending():
        raise CommandError(
            "The database is not set up for this version of Haven yet: run `haven serve` once, "
            "or `haven manage migrate`."
        )


def _database_prepare() -> None:
    """Connect, migrate, then make sure the keys exist before anything encrypted is written."""
    _database_connect()
    from django.core.management import call_command

    from haven import conf
    from haven.core.actions import keys_ensure

    call_command("migrate", interactive=False, verbosity=0)
    if keys_ensure():
        print(
            f"Created new keys in {conf.keys_dir()}. Back up the data folder: without these keys, "
            "the data Haven stores cannot be read.",
            flush=True,
        )


def _database_require_ready() -> None:
    """For commands that must not set anything up: the database and keys must be there already."""
    _database_connect()
    _migrations_require_applied()
    from haven.core.actions import key_problems

    problems = key_problems()
    if problems:
        raise CommandError(problems[0])


def _static_collect() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


# Serving ----------------------------------------------------------------------------------------


def _serve(*, host: str, port: int, threads: int, with_worker: bool) -> int:
    import waitress
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    from haven.core.proxy import waitress_options

    application = get_wsgi_application()
    proxy = waitress_options(proxy_count=settings.HAVEN_PROXY_COUNT, proxy_address=settings.HAVEN_PROXY_ADDRESS)
    try:
        server = waitress.create_server(application, host=host, port=port, threads=threads, **proxy)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CommandError(
                f"Port {port} on {host} is already in use: stop the program using it, or choose another "
                "port with --port."
            ) from None
        raise CommandError(f"Cannot listen on {host}:{port}: {error.strerror or error}.") from None

    worker = _WorkerProcess() if with_worker else None
    restore = _raise_keyboard_interrupt_on_signals()
    try:
        if worker:
            worker.start()
        address = f"[{host}]" if ":" in host else host
        print(f"Haven is listening on http://{address}:{server.effective_port}/", flush=True)
        if settings.HAVEN_PROXY_COUNT:
            print(f"Trusting {settings.HAVEN_PROXY_COUNT} proxy hop(s) from {settings.HAVEN_PROXY_ADDRESS} for the "
                  "client address and scheme.", flush=True)
        if worker:
            print(f"Background worker started (process {worker.pid}).", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        server.run()  # returns once SIGINT or SIGTERM raised KeyboardInterrupt inside it
    except KeyboardInterrupt:
        pass
    finally:
        restore()
        server.close()
        if worker:
            worker.stop()
    print("Haven stopped.", flush=True)
    return 0


class _WorkerProcess:
    """The background worker as a child process, restarted if it ever stops by itself."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._process: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> None:
        self._spawn()
        threading.Thread(target=self._watch, name="haven-worker-watch", daemon=True).start()

    def _spawn(self) -> None:
        with self._lock:
            if not self._stopping.is_set():
                env = {**os.environ, PARENT_PID_VARIABLE: str(os.getpid())}
                self._process = subprocess.Popen([sys.executable, "-m", "haven", "worker"], env=env)

    def _watch(self) -> None:
        while not self._stopping.is_set():
            status = self._process.wait()
            if self._stopping.is_set():
                return
            print(f"haven: the background worker stopped (exit status {status}); restarting it in "
                  f"{WORKER_RESTART_SECONDS} s.", file=sys.stderr, flush=True)
            if self._stopping.wait(WORKER_RESTART_SECONDS):
                return
            self._spawn()

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            process = self._process
        if process is None or process.poll() is not None:
            return
        process.terminate()  # the worker finishes its current job, then exits
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _raise_keyboard_interrupt_on_signals():
    """SIGTERM (systemd, docker stop) stops the server exactly as Ctrl-C does; and Ctrl-C (SIGINT)
    does so even when the server was started with SIGINT ignored (as a shell without job control
    starts a command run in the background, and its children inherit), where Python would leave
    it ignored."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, interrupt) for signum in (signal.SIGINT, signal.SIGTERM)}

    def restore():
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


def _stop_on_signals(stop: threading.Event):
    """SIGTERM and a first Ctrl-C stop the worker after its current job; a second Ctrl-C at once."""

    def request_stop(signum, frame):
        if signum == signal.SIGINT and stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {signum: signal.signal(signum, request_stop) for signum in (signal.SIGINT, signal.SIGTERM)}

    def restore():
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


def _stop_when_parent_exits(stop: threading.Event) -> None:
    """A worker started by `haven serve` stops if serve is killed without a chance to stop it."""
    parent = os.environ.get(PARENT_PID_VARIABLE)
    if not parent or not parent.isdigit():
        return

    def watch():
        while not stop.wait(2):
            if os.getppid() != int(parent):
                stop.set()

    threading.Thread(target=watch, name="haven-parent-watch", daemon=True).start()


# Messages ---------------------------------------------------------------------------------------


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        return ""
    try:
        return input(prompt)
    except EOFError:
        return ""


def _ask_password() -> str:
    if not sys.stdin.isatty():
        raise CommandError("No terminal to ask for the password: set HAVEN_ADMIN_PASSWORD.")
    import getpass

    try:
        password = getpass.getpass("Password: ")
        again = getpass.getpass("Password (again): ")
    except EOFError:
        raise CommandError("No password given.") from None
    if password != again:
        raise CommandError("The two passwords differ. Nothing was created.")
    if not password:
        raise CommandError("No password given. Nothing was created.")
    return password


def _exit_status(code) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # SystemExit("message") means: print it, exit 1
    return 1


def _debug() -> bool:
    return os.environ.get("HAVEN_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}


def _one_line(text) -> str:
    return " ".join(str(text).split())


def _describe(error: BaseException) -> str:
    """One line for any failure: Haven's own messages as they are, the rest named plainly."""
    from haven.conf import ConfigError

    if isinstance(error, CommandError | ConfigError):
        return _one_line(error)
    django_db = sys.modules.get("django.db")
    if django_db is not None and isinstance(error, django_db.DatabaseError):
        return _database_error(error)
    django_exceptions = sys.modules.get("django.core.exceptions")
    if django_exceptions is not None:
        if isinstance(error, django_exceptions.ValidationError):
            return _validation_messages(error)
        if isinstance(error, django_exceptions.ImproperlyConfigured):
            return _one_line(error)
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror}{where}."
    hint = "" if _debug() else " (set HAVEN_DEBUG=1 to see the details)"
    return f"unexpected error: {type(error).__name__}: {_one_line(error)}{hint}"


def _validation_messages(error) -> str:
    """"password: This password is too short. ..." from a ValidationError, on one line."""
    if hasattr(error, "error_dict"):
        parts = [f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                 for field, messages in error.message_dict.items()]
        return _one_line(" ".join(parts))
    return _one_line(" ".join(error.messages))


def _database_error(error: BaseException, *, connecting: bool = False) -> str:
    from django.db import connection

    reason = _one_line(error) or type(error).__name__
    details = connection.settings_dict
    if connection.vendor == "sqlite":
        verb = "open" if connecting else "use"
        return f"Cannot {verb} the SQLite database {details.get('NAME')}: {reason}"
    where = f"{details.get('HOST') or 'localhost'}:{details.get('PORT') or 5432}"
    if connecting:
        return f"Cannot connect to the database at {where}: {reason}"
    return f"Database error (PostgreSQL at {where}): {reason}"
