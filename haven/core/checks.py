"""Haven's own system checks, run by `haven check` beside Django's deployment checks."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


@checks.register("haven", deploy=True)
def check_keys(app_configs, **kwargs):
    from haven.core import keys
    from haven.core.actions import key_problems

    errors = []
    for path in keys.missing_key_files():
        errors.append(checks.Error(f"Key file {path} is missing.", hint="Restore it from your backup.", id="haven.E010"))
    for path, mode in keys.key_file_modes().items():
        if mode & 0o077:
            errors.append(
                checks.Error(f"Key file {path} can be read by others (mode {mode:o}).", hint=f"chmod 600 {path}",
                             id="haven.E011")
            )
    if not errors:
        try:
            for problem in key_problems():
                errors.append(checks.Error(problem, id="haven.E012"))
        except DatabaseError:
            pass  # reported by check_database
    return errors


@checks.register("haven", checks.Tags.database, deploy=True)
def check_database(app_configs, **kwargs):
    from django.db import connection

    try:
        connection.ensure_connection()
    except Exception as error:  # any driver error means the same to an operator
        return [checks.Error(f"Cannot connect to the database: {error}".strip(), id="haven.E020")]
    return []


@checks.register("haven", deploy=True)
def check_security_settings(app_configs, **kwargs):
    warnings = []
    if settings.DEBUG:
        warnings.append(checks.Warning("HAVEN_DEBUG is on: never in production.", id="haven.W001"))
    required = set(settings.HAVEN_2FA_REQUIRED_ROLES)
    if not {"admin", "coordinator"} <= required:
        warnings.append(
            checks.Warning(
                "Two-factor authentication is not required for admins and coordinators.",
                hint="Set HAVEN_2FA_REQUIRED_ROLES=admin,coordinator (the default).",
                id="haven.W002",
            )
        )
    if not settings.HAVEN_HTTPS:
        warnings.append(
            checks.Warning(
                "Haven is not set up for HTTPS (HAVEN_HTTPS=0): fine on 127.0.0.1, never on a network.",
                hint="Serve Haven behind a TLS proxy and set HAVEN_HTTPS=1.",
                id="haven.W003",
            )
        )
    if settings.HAVEN_HTTPS and not settings.HAVEN_PROXY_COUNT:
        warnings.append(
            checks.Warning(
                "HAVEN_HTTPS=1 without HAVEN_PROXY_COUNT: Haven's own server speaks plain HTTP, so it cannot tell "
                "that the proxy received HTTPS and redirects every request to HTTPS again (a redirect loop).",
                hint="Set HAVEN_PROXY_COUNT=1 for one TLS proxy in front of Haven (docs/DEPLOY.md).",
                id="haven.W004",
            )
        )
    return warnings


def _loose(path) -> int | None:
    """The file's mode if anyone but its owner may read or write it, else None."""
    import os

    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        return None
    return mode if mode & 0o077 else None


@checks.register("haven", deploy=True)
def check_file_modes(app_configs, **kwargs):
    """The data folder is its owner's alone (0700); the SQLite database and its WAL/SHM files 0600.

    (Key files are checked by check_keys.)"""
    from django.db import connection

    from haven import conf

    errors = []
    folder = conf.data_dir()
    mode = _loose(folder)
    if mode is not None:
        errors.append(checks.Error(f"The data folder {folder} can be opened by others (mode {mode:o}).",
                                   hint=f"chmod 700 {folder}", id="haven.E013"))
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict.get("NAME") or "")
        if name and name != ":memory:" and not name.startswith("file:"):
            for path in (name, f"{name}-wal", f"{name}-shm"):
                mode = _loose(path)
                if mode is not None:
                    errors.append(checks.Error(f"The database file {path} can be read by others (mode {mode:o}).",
                                               hint=f"chmod 600 {path}", id="haven.E014"))
    return errors


@checks.register("haven", checks.Tags.database, deploy=True)
def check_audit_triggers(app_configs, **kwargs):
    """The audit table's append-only triggers (migration core 0002) are in place."""
    from django.db import connection

    from haven.core.anchor import audit_triggers_missing

    try:
        missing = audit_triggers_missing(connection)
    except DatabaseError:
        return []  # reported by check_database
    if not missing:
        return []
    return [checks.Error(
        f"The audit log's append-only trigger(s) {', '.join(missing)} are missing: someone with direct "
        "database access removed them, so audit entries can be changed or deleted.",
        hint="Run `haven audit verify`, find out who removed them, then put them back with `haven audit protect`.",
        id="haven.E030")]
