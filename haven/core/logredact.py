"""Keep personal data out of application logs.

Haven's own code logs ids, never values. This filter is the safety net for what other code may
log: e-mail addresses, phone numbers, API tokens and authorisation headers are replaced.
"""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    (re.compile(r"hvn_[A-Za-z0-9_\-]{8,}"), "[token]"),
    (re.compile(r"(?i)(authorization|cookie|sessionid|csrftoken)(['\"]?\s*[:=]\s*)[^\n,;]+"), r"\1\2[redacted]"),
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), "[email]"),

]
# Phone numbers: 7 to 15 digits with the usual separators, optionally international; ISO dates
# and times (2026-11-25, 00:30:15) are left alone.
_PHONE = re.compile(r"(?<![\w.:\-])\+?\(?\d[\d\s().\-]{5,}\d(?![\w.:])")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _phone(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if digits < 7 or digits > 15 or _DATE.match(text.strip()):
        return text
    return "[number]"


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _PHONE.sub(_phone, text)


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not break the request that made it
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        return True
