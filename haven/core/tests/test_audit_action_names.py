"""Every action that Haven's code writes into the audit log is one of the named actions, so that the
audit page shows words, not internal names."""

import re
from pathlib import Path

from haven.core.models import AuditEvent

HAVEN = Path(__file__).resolve().parents[2]
# audit_record( ... action="name" ... ) within one call; the call may span lines.
CALL = re.compile(r"audit_record\((?:[^()]|\([^()]*\))*?action=\"([a-z_]+)\"", re.S)


def test_every_audited_action_in_the_code_has_a_name():
    used = {}
    for path in HAVEN.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for name in CALL.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, str(path.relative_to(HAVEN)))
    assert used, "the scan found no audit_record calls: the pattern is out of date"
    unnamed = {name: where for name, where in used.items() if name not in AuditEvent.Action.values}
    assert not unnamed, f"add these to AuditEvent.Action: {unnamed}"


def test_every_named_action_fits_the_column():
    width = AuditEvent._meta.get_field("action").max_length
    assert all(len(value) <= width for value in AuditEvent.Action.values)
