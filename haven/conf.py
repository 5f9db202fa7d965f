"""Haven's environment: where its data folder is and how settings are read.

Plain Python with no Django import: settings.py and the command line both use it before Django
is set up. Every variable is documented in docs/CONFIGURATION.md.
"""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(Exception):
    """A setting is wrong; the message says which one and how to fix it."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be 1/0, true/false, yes/no or on/off, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """The folder for the SQLite database, keys, collected static files and uploads."""
    return Path(env_str("HAVEN_DATA_DIR", "var")).expanduser().resolve()


def keys_dir() -> Path:
    return data_dir() / "keys"


def data_dir_ensure() -> Path:
    """The data folder, created readable by its owner only (0700) if it does not exist yet."""
    folder = data_dir()
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)  # mkdir's mode is narrowed by the umask, never widened: be exact
    return folder


def write_private_file(path: Path, content: bytes, *, sync: bool = True) -> None:
    """Write a secret atomically with mode 0600, so no reader ever sees half a key.

    `sync=False` skips the fsync, for a file rewritten so often that a crash may lose the latest
    version (the audit head)."""
    if path.parent.parent == data_dir():
        data_dir_ensure()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    # Unique per process and thread: two threads may write the same file (the audit head).
    import threading

    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, content)
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def secret_key() -> str:
    """Django's SECRET_KEY: from HAVEN_SECRET_KEY, else a file made on first run.

    Losing this file only signs everyone out, so unlike the encryption keys it may be created
    whenever it is missing.
    """
    from_env = env_str("HAVEN_SECRET_KEY")
    if from_env:
        return from_env
    path = keys_dir() / "secret_key"
    if not path.exists():
        import secrets

        try:
            write_private_file(path, secrets.token_urlsafe(50).encode())
        except OSError as error:
            raise ConfigError(
                f"Cannot create the secret key in {path.parent} ({error.strerror}). "
                "Set HAVEN_DATA_DIR to a folder Haven may write to."
            ) from None
    return path.read_text().strip()
