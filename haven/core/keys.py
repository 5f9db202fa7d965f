"""Where Haven's keys come from: the environment, or files in the data folder's `keys/`.

Plain Python with no Django import. Keys are never stored in the database. The web process only
reads keys; `haven` commands create them on a new installation (`keys_ensure`), and refuse to
when the database already holds data made with keys that have since gone missing.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from haven import conf
from haven.core import crypto

ENCRYPTION_FILE = "encryption.json"
BLIND_INDEX_FILE = "blind_index.key"
AUDIT_FILE = "audit.key"


class MissingKeyError(conf.ConfigError):
    pass


def _missing(path: Path, what: str) -> MissingKeyError:
    return MissingKeyError(
        f"The {what} key file {path} is missing. Restore it from your backup of the data folder "
        "(HAVEN_DATA_DIR): without it, data that Haven has already stored cannot be read or verified."
    )


def _read_secret(env_var: str, filename: str, what: str) -> bytes:
    from_env = conf.env_str(env_var)
    if from_env:
        try:
            key = crypto.b64decode(from_env)
        except ValueError:
            raise conf.ConfigError(f"{env_var} must be a base64 (URL-safe) key.") from None
        if len(key) != crypto.KEY_BYTES:
            raise conf.ConfigError(f"{env_var} must decode to {crypto.KEY_BYTES} bytes.")
        return key
    path = conf.keys_dir() / filename
    if not path.exists():
        raise _missing(path, what)
    return crypto.b64decode(path.read_text().strip())


def _parse_keyring(document: dict, origin: str) -> crypto.Keyring:
    try:
        keys = {key_id: crypto.b64decode(value) for key_id, value in document["keys"].items()}
        return crypto.Keyring(primary=document["primary"], keys=keys)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise conf.ConfigError(f"{origin} is not a valid Haven keyring ({error}).") from None


@cache
def encryption_keyring() -> crypto.Keyring:
    from_env = conf.env_str("HAVEN_ENCRYPTION_KEYS")
    if from_env:
        # "id:base64,id:base64": the first one encrypts.
        try:
            pairs = [item.split(":", 1) for item in from_env.split(",") if item.strip()]
            document = {"primary": pairs[0][0].strip(), "keys": {k.strip(): v.strip() for k, v in pairs}}
        except (IndexError, ValueError):
            raise conf.ConfigError("HAVEN_ENCRYPTION_KEYS must look like 'id:base64key,id:base64key'.") from None
        return _parse_keyring(document, "HAVEN_ENCRYPTION_KEYS")
    path = conf.keys_dir() / ENCRYPTION_FILE
    if not path.exists():
        raise _missing(path, "encryption")
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError:
        raise conf.ConfigError(f"{path} is not valid JSON.") from None
    return _parse_keyring(document, str(path))


@cache
def blind_index_key() -> bytes:
    return _read_secret("HAVEN_BLIND_INDEX_KEY", BLIND_INDEX_FILE, "blind index")


@cache
def audit_key() -> bytes:
    return _read_secret("HAVEN_AUDIT_KEY", AUDIT_FILE, "audit")


def clear_cache() -> None:
    encryption_keyring.cache_clear()
    blind_index_key.cache_clear()
    audit_key.cache_clear()


def missing_key_files() -> list[Path]:
    """Key files that neither exist nor are replaced by an environment variable."""
    folder = conf.keys_dir()
    wanted = {
        ENCRYPTION_FILE: "HAVEN_ENCRYPTION_KEYS",
        BLIND_INDEX_FILE: "HAVEN_BLIND_INDEX_KEY",
        AUDIT_FILE: "HAVEN_AUDIT_KEY",
    }
    return [folder / name for name, var in wanted.items() if not conf.env_str(var) and not (folder / name).exists()]


def keys_create_missing() -> list[Path]:
    """Create the key files that are missing. Call only when no data depends on them yet."""
    created = []
    for path in missing_key_files():
        if path.name == ENCRYPTION_FILE:
            key_id = "k1"
            content = json.dumps({"primary": key_id, "keys": {key_id: crypto.b64encode(crypto.new_key())}}, indent=2)
        else:
            content = crypto.b64encode(crypto.new_key())
        conf.write_private_file(path, content.encode())
        created.append(path)
    clear_cache()
    return created


def keyring_add_primary() -> str:
    """Add a new encryption key and make it the primary one; old keys stay for reading."""
    if conf.env_str("HAVEN_ENCRYPTION_KEYS"):
        raise conf.ConfigError("Keys come from HAVEN_ENCRYPTION_KEYS: add the new key there, first in the list.")
    current = encryption_keyring()
    number = 1 + max((int(k[1:]) for k in current.keys if k[1:].isdigit() and k.startswith("k")), default=0)
    key_id = f"k{number}"
    keys = {k: crypto.b64encode(v) for k, v in current.keys.items()}
    keys[key_id] = crypto.b64encode(crypto.new_key())
    conf.write_private_file(conf.keys_dir() / ENCRYPTION_FILE, json.dumps({"primary": key_id, "keys": keys}, indent=2).encode())
    clear_cache()
    return key_id


def keyring_remove(key_ids: set[str]) -> None:
    current = encryption_keyring()
    if current.primary in key_ids:
        raise conf.ConfigError("The primary key cannot be removed.")
    keys = {k: crypto.b64encode(v) for k, v in current.keys.items() if k not in key_ids}
    conf.write_private_file(
        conf.keys_dir() / ENCRYPTION_FILE, json.dumps({"primary": current.primary, "keys": keys}, indent=2).encode()
    )
    clear_cache()


def key_file_modes() -> dict[Path, int]:
    folder = conf.keys_dir()
    if not folder.exists():
        return {}
    return {path: os.stat(path).st_mode & 0o777 for path in folder.iterdir() if path.is_file()}
