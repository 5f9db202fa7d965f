"""What actions do with the personal-details screener (`haven.core.screening`): refuse the text with
a message that says what was found, and offer it back with the details taken out.

Messages show the matched words to the person who typed them (they are on their screen already);
nothing here logs or audits them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from haven.core.screening import Finding, redact, screen_personal_details


def describe(finding: Finding, text: str) -> str:
    value = finding.value_in(text)
    if finding.kind == "email":
        return _("an e-mail address (“%(text)s”)") % {"text": value}
    if finding.kind == "phone":
        return _("a phone number (“%(text)s”)") % {"text": value}
    if finding.kind == "address":
        return _("what looks like a street address (“%(text)s”)") % {"text": value}
    if finding.kind == "birth_date":
        return _("what looks like a date of birth (“%(text)s”)") % {"text": value}
    return _("what looks like a person's name (“%(text)s”)") % {"text": value}


def redacted(text: str, findings: Iterable[Finding]) -> str:
    """`text` with every finding replaced by a marker staff can see and keep."""
    return redact(text, findings, _("[removed]"))


class PersonalDetailsFound(ValidationError):
    """The text holds what looks like a name, a phone number, an e-mail or street address or a date
    of birth: nothing was saved. `redacted_text` is the text with them taken out."""

    def __init__(self, field: str, findings: list[Finding], text: str):
        self.field = field
        self.findings = findings
        self.redacted_text = redacted(text, findings)
        message = _("Remove names and contact details before saving: this text holds %(found)s. Nothing "
                    "was saved. We replaced them with “%(marker)s” below; check the text and save again.") % {
            "found": _(", ").join(describe(finding, text) for finding in findings), "marker": _("[removed]")}
        super().__init__({field: [message]})


def refuse_personal_details(fields: dict[str, str], *, allowed_words: Iterable[str] = (),
                            guess_names: bool = True) -> None:
    """Raise PersonalDetailsFound for the first field whose text holds a personal detail."""
    allowed_words = list(allowed_words)
    for field, text in fields.items():
        findings = screen_personal_details(text or "", allowed_words=allowed_words, guess_names=guess_names)
        if findings:
            raise PersonalDetailsFound(field, findings, text)
