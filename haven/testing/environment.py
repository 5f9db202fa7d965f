"""Loaded by pytest before Django (`-p haven.testing.environment` in pyproject.toml).

Every test run gets its own data folder with fresh keys, so tests never touch ./var and never
depend on a developer's keys.
"""

import os
import tempfile

if "HAVEN_DATA_DIR" not in os.environ or os.environ.get("HAVEN_TEST_KEEP_DATA_DIR") != "1":
    os.environ["HAVEN_DATA_DIR"] = tempfile.mkdtemp(prefix="haven-test-")
os.environ.setdefault("HAVEN_2FA_REQUIRED_ROLES", "admin,coordinator")
os.environ.setdefault("HAVEN_STATIC_MANIFEST", "0")
for name in ("HAVEN_HTTPS", "HAVEN_DEBUG", "HAVEN_ENCRYPTION_KEYS", "HAVEN_BLIND_INDEX_KEY", "HAVEN_AUDIT_KEY"):
    os.environ.pop(name, None)

from haven.core import keys  # noqa: E402  (after the environment is set)

keys.keys_create_missing()
os.makedirs(os.path.join(os.environ["HAVEN_DATA_DIR"], "static"), exist_ok=True)
