"""Field encryption and keyed hashing: the cryptography every privacy feature stands on.

Plain Python with no Django import. Keys live outside the database (haven/core/keys.py).

- Encryption is AES-256-GCM with a random 96-bit nonce per value. The associated data binds a
  ciphertext to the column it belongs to, so a value copied into another column fails to decrypt.
- A token names the key that made it, so keys can be rotated: new values use the primary key,
  old values stay readable until they are re-encrypted (`haven keys rotate`).
- Blind indexes are HMAC-SHA256 under a key of their own, with a purpose label, so the same
  value gives unrelated digests in different uses and nothing can be reversed without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TOKEN_PREFIX = "hv1"
KEY_BYTES = 32
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A ciphertext could not be read: unknown key, wrong column, or tampered data."""


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


@dataclass(frozen=True)
class Keyring:
    """The encryption keys by id; `primary` encrypts, every key decrypts."""

    primary: str
    keys: dict[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.primary not in self.keys:
            raise ValueError(f"the primary key {self.primary!r} is not in the keyring")
        for key_id, key in self.keys.items():
            if len(key) != KEY_BYTES:
                raise ValueError(f"key {key_id!r} must be {KEY_BYTES} bytes, not {len(key)}")
            if not key_id.isalnum():
                raise ValueError(f"key id {key_id!r} must be letters and digits only")

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.primary]).encrypt(
            nonce, plaintext.encode("utf-8"), context.encode("utf-8")
        )
        return f"{TOKEN_PREFIX}:{self.primary}:{b64encode(nonce + sealed)}"

    def decrypt(self, token: str, *, context: str) -> str:
        try:
            prefix, key_id, body = token.split(":", 2)
        except ValueError:
            raise DecryptionError("not an encrypted value") from None
        if prefix != TOKEN_PREFIX:
            raise DecryptionError("not an encrypted value")
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError(f"encrypted with key {key_id!r}, which is not in the keyring")
        try:
            raw = b64decode(body)
            plaintext = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
        except (InvalidTag, ValueError):
            raise DecryptionError("the value was altered or belongs to another column") from None
        return plaintext.decode("utf-8")

    @staticmethod
    def key_id_of(token: str) -> str | None:
        parts = token.split(":", 2)
        return parts[1] if len(parts) == 3 and parts[0] == TOKEN_PREFIX else None


def blind_index(value: str, *, key: bytes, purpose: str) -> str:
    """A keyed digest for finding rows by a value that is never stored (hex, 64 characters)."""
    message = purpose.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def chain_digest(previous: str, payload: bytes, *, key: bytes) -> str:
    """The audit log's link: a keyed digest of the previous link and this row's content.

    Keyed, so that someone who can edit the database but cannot read the key folder cannot
    recompute the chain after changing a row.
    """
    return hmac.new(key, previous.encode("ascii") + b"\x00" + payload, hashlib.sha256).hexdigest()


def fingerprint(key: bytes, *, purpose: str) -> str:
    """A check value that tells whether the right key is present without revealing it."""
    return hmac.new(key, b"haven key check\x00" + purpose.encode(), hashlib.sha256).hexdigest()[:16]
