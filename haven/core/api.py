"""What every part of the JSON API shares: the one error body, the bounds of ids, and the statuses
an operation can answer besides its own.

Bad input must get a 4xx that the schema declares, never a 500: so every integer has bounds that
the database can hold, every string and list a maximum length, and every status that AccessMiddleware
or django-ninja can answer is declared on the operation (`errors(...)`).
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

# Ids are BigAutoField: positive and within a signed 64-bit integer.
ID_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
# Offsets beyond this are pointless and the database must still be able to hold them.
OFFSET_MAX = 10_000_000
TEXT_MAX = 200  # a name, a code, a search, a period label


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_text(pattern, example):
    """pydantic alone would also take numbers (`since=0.5` as a Unix time): the schema says ISO 8601."""

    def check(value):
        if isinstance(value, str) and pattern.match(value):
            return value
        raise ValueError(f"Use an ISO 8601 value such as {example}.")

    return check


def _aware(value: datetime.datetime) -> datetime.datetime:
    """A time without an offset is the program's local time."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


DateTime = Annotated[datetime.datetime, BeforeValidator(_iso_text(_ISO_DATE_TIME, "2026-01-31T09:30:00Z")),
                     AfterValidator(_aware)]
Date = Annotated[datetime.date, BeforeValidator(_iso_text(_ISO_DATE, "2026-01-31"))]


class Error(Schema):
    """Every error the API answers: a sentence for people, and per-field messages where there are fields."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


# 401: no token or a token that is not valid (AccessMiddleware, or ninja's own auth).
# 403: the permission matrix does not allow the caller's role.
# 400: a request body that is not JSON.  422: a parameter or body that does not fit the schema.
SIGNED_IN = (401, 403)


def errors(*statuses: int) -> dict[int, type[Error]]:
    """`response={200: Out, **errors(401, 403, 422)}`."""
    return dict.fromkeys(statuses, Error)


def _message(error: dict) -> str:
    """A short sentence for the pydantic errors that bounds and types give; pydantic's own otherwise."""
    context = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "missing":
        return _("Required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Must be a whole number.")
    if kind == "greater_than_equal":
        return _("Must be %(limit)s or more.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Must be %(limit)s or less.") % {"limit": context.get("le")}
    if kind == "string_too_long":
        return _("Must be at most %(limit)s characters.") % {"limit": context.get("max_length")}
    if kind == "string_too_short":
        return _("Must not be empty.") if context.get("min_length") == 1 else str(error.get("msg", ""))
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    if kind == "too_long":
        return _("At most %(limit)s items.") % {"limit": context.get("max_length")}
    return str(error.get("msg", ""))


def validation_error_body(ninja_errors: list[dict]) -> dict:
    """ninja's list of pydantic errors as the declared Error: a sentence and messages by field."""
    by_field: dict[str, list[str]] = {}
    for error in ninja_errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")] or ["request"]
        by_field.setdefault(".".join(location), []).append(_message(error))
    fields = ", ".join(by_field)
    return {"detail": _("The request is not valid: check %(fields)s.") % {"fields": fields}, "errors": by_field}
