"""Keep personal data out of application logs.

Haven's own code logs ids, never values. This filter is the safety net for what other code may
log: API tokens and authorisation headers, and every personal detail the screener finds
(`haven.core.screening`: e-mail addresses, phone numbers, names after "my name is", street
addresses, dates of birth) are replaced. Capitalised words are not taken for names here: log lines
are full of them.
"""

from __future__ import annotations

import logging
import re

from haven.core.screening import redact as redact_findings
from haven.core.screening import screen_personal_details

_PATTERNS = [
    (re.compile(r"hvn_[A-Za-z0-9_\-]{8,}"), "[token]"),
    (re.compile(r"(?i)(authorization|cookie|sessionid|csrftoken)(['\"]?\s*[:=]\s*)[^\n,;]+"), r"\1\2[redacted]"),
]
MARKERS = {"email": "[email]", "phone": "[number]", "name": "[name]", "address": "[address]",
           "birth_date": "[date of birth]"}


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return redact_findings(text, screen_personal_details(text, guess_names=False), MARKERS)


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not break the request that made it
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        return True
