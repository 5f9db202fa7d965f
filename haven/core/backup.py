"""`haven backup` and `haven restore`: a consistent copy of everything Haven needs, and its way back.

A backup is a folder:

    manifest.json          what is in it, the audit head at the moment of the copy, SHA-256 of every file
    database.sqlite3       SQLite's online backup (a consistent snapshot, taken while Haven serves), or
    database.pgdump        pg_dump's custom format, taken inside the same snapshot as the audit head
    keys/...               the key files, and the audit head anchored for this snapshot
    branding/...           the program's logo as uploaded by an admin (haven/branding), if any

With a passphrase, every file is encrypted (AES-256-GCM in 1 MiB chunks, key from scrypt) and the
manifest carries an HMAC, so a wrong passphrase, a changed file or a file cut short is refused before
anything is written. The backup is made in a hidden folder beside the destination and renamed into
place once complete: a folder with a manifest is a whole backup.

A restore goes into an empty data folder (and, for PostgreSQL, an empty database): every checksum is
checked first, then the database is loaded, then the audit chain is verified against the head in the
manifest. Any failure removes what was written.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import struct
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from haven import conf

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
CHUNK_BYTES = 1 << 20
MAGIC = b"HAVENBK1"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
PREFIX = "haven-backup-"
# Not copied: the lock and temporary files of the key folder.
_SKIP_KEY_FILES = (".",)


class BackupError(conf.ConfigError):
    """The backup or restore cannot go on; the message says why and what to do."""


# Encryption ---------------------------------------------------------------------------------------


def _derive(passphrase: str, salt: bytes, params: dict) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    master = Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(
        passphrase.encode()
    )
    file_key = hmac.new(master, b"haven backup files", hashlib.sha256).digest()
    mac_key = hmac.new(master, b"haven backup manifest", hashlib.sha256).digest()
    return file_key, mac_key


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    # 7 random bytes per file, the chunk's number, and whether it is the last: a file cut short at a
    # chunk boundary never decrypts, because its last chunk was sealed as "not last".
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


def _encrypt_chunks(chunks: Iterable[bytes], *, key: bytes, name: str) -> Iterator[bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(key)
    prefix = os.urandom(7)
    yield MAGIC + prefix
    counter, pending = 0, None
    for chunk in chunks:
        if pending is not None:
            sealed = aead.encrypt(_nonce(prefix, counter, False), pending, name.encode())
            yield struct.pack(">I", len(sealed)) + sealed
            counter += 1
        pending = chunk
    sealed = aead.encrypt(_nonce(prefix, counter, True), pending or b"", name.encode())
    yield struct.pack(">I", len(sealed)) + sealed


def _decrypt_file(path: Path, *, key: bytes, name: str) -> Iterator[bytes]:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(key)
    with open(path, "rb") as source:
        header = source.read(len(MAGIC) + 7)
        if not header.startswith(MAGIC) or len(header) != len(MAGIC) + 7:
            raise BackupError(f"{path} is not an encrypted Haven backup file.")
        prefix, counter = header[len(MAGIC) :], 0
        while True:
            length_bytes = source.read(4)
            if len(length_bytes) != 4:
                raise BackupError(f"{path} is cut short: the backup is incomplete.")
            (length,) = struct.unpack(">I", length_bytes)
            sealed = source.read(length)
            if len(sealed) != length:
                raise BackupError(f"{path} is cut short: the backup is incomplete.")
            last = source.peek(1) == b""
            try:
                plain = aead.decrypt(_nonce(prefix, counter, last), sealed, name.encode())
            except InvalidTag:
                raise BackupError(f"{path} does not decrypt: it was changed or cut short.") from None
            yield plain
            if last:
                return
            counter += 1


# Writing ------------------------------------------------------------------------------------------


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            yield chunk


def _write(target: Path, chunks: Iterable[bytes]) -> dict:
    """Write chunks to a new private file; its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return {"sha256": digest.hexdigest(), "bytes": size}


def _sqlite_snapshot(database: str, into: Path) -> tuple[tuple[int, str] | None, int]:
    """SQLite's online backup of the live database into a new file; its audit head and entry count."""
    source = sqlite3.connect(database, timeout=20)
    target = sqlite3.connect(into)
    try:
        source.backup(target)  # one step: a consistent snapshot, while writers carry on in the WAL
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        head = target.execute(
            "SELECT sequence, digest FROM core_auditevent ORDER BY sequence DESC LIMIT 1"
        ).fetchone()
        count = target.execute("SELECT COUNT(*) FROM core_auditevent").fetchone()[0]
    finally:
        target.close()
        source.close()
    return (tuple(head) if head else None), count


def _postgres_environment(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for name, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client programs (Debian: postgresql-client)."
        )
    return found


def _postgres_snapshot(connection, write) -> tuple[tuple[int, str] | None, int, dict]:
    """pg_dump inside a snapshot exported from a transaction that also reads the audit head."""
    from django.db import transaction

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute("SELECT sequence, digest FROM core_auditevent ORDER BY sequence DESC LIMIT 1")
        head = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM core_auditevent")
        count = cursor.fetchone()[0]
        process = subprocess.Popen(
            [
                _postgres_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
            ],
            env=_postgres_environment(connection.settings_dict),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

        def chunks():
            while chunk := process.stdout.read(CHUNK_BYTES):
                yield chunk

        try:
            entry = write(chunks())
        finally:
            process.stdout.close()
            error = process.stderr.read().decode(errors="replace").strip()
            status = process.wait()
        if status != 0:
            raise BackupError(f"pg_dump failed: {error or f'exit status {status}'}")
    return (tuple(head) if head else None), count, entry


def _key_files() -> list[Path]:
    folder = conf.keys_dir()
    if not folder.exists():
        return []
    from haven.core.anchor import HEAD_FILE

    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(_SKIP_KEY_FILES) and path.name != HEAD_FILE
    )


def _branding_files() -> list[Path]:
    """The program's uploaded logo files: the branding app keeps them in the data folder's branding/."""
    folder = conf.data_dir() / "branding"
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith("."))


def _plain_name(name: str, folder: str) -> bool:
    """A file directly in `folder` of a backup (no sub-folders, no '..')."""
    rest = name[len(folder) + 1:]
    return name.startswith(f"{folder}/") and "/" not in rest and rest not in ("", ".", "..")


def backup_create(destination: Path, *, passphrase: str | None = None, connection=None) -> dict:
    """Make a complete backup in `destination` (a new or empty folder); return its manifest."""
    from django.db import connection as default_connection

    from haven.core.anchor import HEAD_FILE, head_document

    connection = connection or default_connection
    if connection.in_atomic_block:
        raise BackupError("A backup cannot be taken inside a transaction: it takes its own snapshot.")
    destination = Path(destination).expanduser().resolve()
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} already exists and is not an empty folder: choose a new folder.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = destination.parent / f".{destination.name}.partial-{os.getpid()}"
    staging.mkdir(mode=0o700)
    encryption, file_key, mac_key = None, None, None
    if passphrase:
        salt = os.urandom(16)
        file_key, mac_key = _derive(passphrase, salt, SCRYPT)
        encryption = {
            "cipher": "AES-256-GCM",
            "chunk_bytes": CHUNK_BYTES,
            "kdf": "scrypt",
            "salt": salt.hex(),
            **SCRYPT,
        }

    files: dict[str, dict] = {}

    def store(name: str, chunks: Iterable[bytes]) -> dict:
        stored = name + (".enc" if file_key else "")
        if file_key:
            chunks = _encrypt_chunks(chunks, key=file_key, name=name)
        files[name] = {"stored_as": stored, **_write(staging / stored, chunks)}
        return files[name]

    try:
        if connection.vendor == "sqlite":
            database = SQLITE_FILE
            # The plain snapshot stays in the data folder, beside the live database, until encrypted.
            snapshot = conf.data_dir() / f".backup-snapshot-{os.getpid()}.sqlite3"
            try:
                os.close(os.open(snapshot, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
                head, count = _sqlite_snapshot(str(connection.settings_dict["NAME"]), snapshot)
                store(SQLITE_FILE, _file_chunks(snapshot))
            finally:
                snapshot.unlink(missing_ok=True)
        elif connection.vendor == "postgresql":
            database = POSTGRES_FILE
            head, count, _entry = _postgres_snapshot(connection, lambda chunks: store(POSTGRES_FILE, chunks))
        else:
            raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
        key_files = _key_files()
        for path in key_files:
            store(f"keys/{path.name}", _file_chunks(path))
        if head:
            store(f"keys/{HEAD_FILE}", [head_document(head[0], head[1])])
        for path in _branding_files():
            store(f"branding/{path.name}", _file_chunks(path))
        from_environment = [
            name
            for name in (
                "HAVEN_ENCRYPTION_KEYS",
                "HAVEN_BLIND_INDEX_KEY",
                "HAVEN_AUDIT_KEY",
                "HAVEN_SECRET_KEY",
            )
            if conf.env_str(name)
        ]
        manifest = {
            "haven_backup": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "database_file": database,
            "audit_head": {"sequence": head[0], "digest": head[1]} if head else None,
            "audit_entries": count,
            "keys_from_environment": from_environment,
            "encryption": encryption,
            "files": files,
        }
        if mac_key:
            manifest["mac"] = _manifest_mac(manifest, mac_key)
        _write(staging / MANIFEST, [json.dumps(manifest, indent=2, sort_keys=True).encode()])
        if destination.exists():
            destination.rmdir()
        os.replace(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _manifest_mac(manifest: dict, mac_key: bytes) -> str:
    body = {key: value for key, value in manifest.items() if key != "mac"}
    return hmac.new(
        mac_key, json.dumps(body, sort_keys=True, separators=(",", ":")).encode(), hashlib.sha256
    ).hexdigest()


def backups_prune(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` complete backups made by the worker in `folder`."""
    complete = sorted(path for path in Path(folder).glob(f"{PREFIX}*") if (path / MANIFEST).is_file())
    removed = complete[:-keep] if keep > 0 else complete
    for path in removed:
        shutil.rmtree(path)
    return removed


def backup_scheduled(*, folder: Path, keep: int, passphrase: str | None) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    destination = Path(folder) / f"{PREFIX}{stamp}"
    number = 1
    while destination.exists():  # two backups within a second (sorted after the first)
        number += 1
        destination = Path(folder) / f"{PREFIX}{stamp}-{number}"
    backup_create(destination, passphrase=passphrase)
    backups_prune(folder, keep=keep)
    return destination


def passphrase_from_file(path: str | Path) -> str:
    try:
        text = Path(path).expanduser().read_text().strip()
    except OSError as error:
        raise BackupError(f"Cannot read the passphrase file {path}: {error.strerror or error}.") from None
    if not text:
        raise BackupError(f"The passphrase file {path} is empty.")
    return text


# Reading and restoring -------------------------------------------------------------------------------


def backup_open(source: Path, *, passphrase: str | None) -> tuple[dict, bytes | None]:
    """Read the manifest and check every file against it; (manifest, file key). Nothing is written."""
    source = Path(source).expanduser().resolve()
    if not source.is_dir():
        raise BackupError(f"{source} is not a backup folder.")
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(
            f"{source} has no {MANIFEST}: it is not a complete Haven backup (it was interrupted, "
            "or only part of it was copied)."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{source / MANIFEST} is damaged: it is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("haven_backup") != FORMAT:
        raise BackupError(
            f"{source} is not a Haven backup this version can read (format "
            f"{manifest.get('haven_backup') if isinstance(manifest, dict) else '?'})."
        )
    file_key = None
    encryption = manifest.get("encryption")
    if encryption:
        if not passphrase:
            raise BackupError("This backup is encrypted: give its passphrase with --passphrase-file.")
        try:
            file_key, mac_key = _derive(
                passphrase,
                bytes.fromhex(encryption["salt"]),
                {name: int(encryption[name]) for name in ("n", "r", "p")},
            )
        except (KeyError, TypeError, ValueError):
            raise BackupError(f"{source / MANIFEST} is damaged (its encryption settings).") from None
        if not hmac.compare_digest(_manifest_mac(manifest, mac_key), str(manifest.get("mac", ""))):
            raise BackupError("The passphrase is wrong, or the backup's manifest was changed.")
    files = manifest.get("files")
    if not isinstance(files, dict) or manifest.get("database_file") not in files:
        raise BackupError(f"{source / MANIFEST} lists no database: the backup is not complete.")
    problems = []
    for name, entry in files.items():
        path = (source / str(entry.get("stored_as", name))).resolve()
        if not path.is_relative_to(source):
            problems.append(f"{entry.get('stored_as')} is outside the backup folder")
            continue
        if not path.is_file():
            problems.append(f"{entry.get('stored_as', name)} is missing")
            continue
        digest = hashlib.sha256()
        for chunk in _file_chunks(path):
            digest.update(chunk)
        if path.stat().st_size != entry.get("bytes"):
            problems.append(
                f"{entry.get('stored_as', name)} has {path.stat().st_size} bytes, not {entry.get('bytes')}"
            )
        elif digest.hexdigest() != entry.get("sha256"):
            problems.append(
                f"{entry.get('stored_as', name)} does not match its checksum (changed or damaged)"
            )
    if problems:
        raise BackupError(
            f"The backup in {source} is damaged or incomplete, nothing was restored: "
            + "; ".join(problems)
            + "."
        )
    return manifest, file_key


def backup_file_chunks(source: Path, manifest: dict, name: str, file_key: bytes | None) -> Iterator[bytes]:
    path = Path(source) / manifest["files"][name].get("stored_as", name)
    if file_key:
        return _decrypt_file(path, key=file_key, name=name)
    return _file_chunks(path)


def folder_is_empty(folder: Path) -> bool:
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def restore_files(source: Path, manifest: dict, file_key: bytes | None, staging: Path) -> Path | None:
    """Write the keys, the logo files and the SQLite database (or the pg_dump file, to load) into `staging`.

    Returns the pg_dump file's path for a PostgreSQL backup (it is deleted after loading)."""
    staging.mkdir(mode=0o700, parents=True)
    os.chmod(staging, 0o700)
    dump = None
    for name in manifest["files"]:
        chunks = backup_file_chunks(source, manifest, name, file_key)
        if name == SQLITE_FILE:
            _write(staging / "haven.sqlite3", chunks)
        elif name == POSTGRES_FILE:
            dump = staging / f".restore-{os.getpid()}.pgdump"
            _write(dump, chunks)
        elif _plain_name(name, "keys") or _plain_name(name, "branding"):
            _write(staging / name, chunks)
    return dump


def postgres_database_is_empty(connection) -> bool:
    return not connection.introspection.table_names()


def postgres_load(connection, dump: Path) -> None:
    result = subprocess.run(
        [
            _postgres_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ],
        env=_postgres_environment(connection.settings_dict),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was loaded: {' '.join(result.stderr.split())[:500]}")


def postgres_empty_out(connection) -> None:
    """Remove what a failed restore loaded into the database, which was empty before it."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
