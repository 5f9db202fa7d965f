"""The configured code recipe, in the words a person reads (translated).

codes.py knows the rules and speaks plain English; this module words them for the UI and the
API in the current language, and turns a CodeError into a ValidationError.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from haven.participants import codes

# The parts programs use most, as a question and a short label. Other parts get a plain label
# made from their name.
KNOWN_PARTS = {
    "mother_first_name": (
        gettext_lazy("Mother's first name"),
        gettext_lazy("What is your mother's first name? We use its first letters."),
    ),
    "birth_month": (
        gettext_lazy("Birth month"),
        gettext_lazy("Which month were you born in? (1 to 12)"),
    ),
    "birth_year": (
        gettext_lazy("Birth year"),
        gettext_lazy("Which year were you born? We use its last digits."),
    ),
    "birth_city": (
        gettext_lazy("Birth city"),
        gettext_lazy("Which city or town were you born in? We use its first letters."),
    ),
    "birth_day": (
        gettext_lazy("Birth day"),
        gettext_lazy("Which day of the month were you born? (1 to 31)"),
    ),
}


@functools.cache
def _parse(text: str) -> codes.Recipe:
    return codes.parse_recipe(text)


def current_recipe() -> codes.Recipe:
    return _parse(settings.HAVEN_PARTICIPANT_CODE_RECIPE)


def part_label(part: codes.Part) -> str:
    known = KNOWN_PARTS.get(part.name)
    return str(known[0]) if known else part.name.replace("_", " ").capitalize()


def part_question(part: codes.Part) -> str:
    known = KNOWN_PARTS.get(part.name)
    return str(known[1]) if known else part_label(part)


def part_shape(part: codes.Part) -> str:
    if part.kind == codes.LETTERS:
        return ngettext("%(count)d letter", "%(count)d letters", part.length) % {"count": part.length}
    return ngettext("%(count)d digit", "%(count)d digits", part.length) % {"count": part.length}


def part_rule(part: codes.Part) -> str:
    """'first 2 letters of mother's first name', '2 digits of birth month'."""
    if part.kind == codes.LETTERS:
        return ngettext("first letter of %(label)s", "first %(count)d letters of %(label)s", part.length) % {
            "count": part.length, "label": part_label(part).lower()}
    return ngettext("%(count)d digit of %(label)s", "%(count)d digits of %(label)s", part.length) % {
        "count": part.length, "label": part_label(part).lower()}


def shape_sentence(recipe: codes.Recipe | None = None) -> str:
    recipe = recipe or current_recipe()
    return _("The code should be %(shape)s, like %(example)s.") % {
        "shape": ", ".join(part_shape(part) for part in recipe.parts), "example": recipe.example()}


def how_to_build(recipe: codes.Recipe | None = None) -> list[str]:
    """One line per part, in order, for the help text beside a code box."""
    recipe = recipe or current_recipe()
    return [part_rule(part) for part in recipe.parts]


def _part_by_name(recipe: codes.Recipe, name: str) -> codes.Part | None:
    return next((part for part in recipe.parts if part.name == name), None)


def code_error_message(error: codes.CodeError, recipe: codes.Recipe | None = None) -> str:
    """The error in plain words, in the current language."""
    recipe = recipe or current_recipe()
    params = error.params
    part = _part_by_name(recipe, params.get("part", ""))
    label = part_label(part) if part else ""
    shape = shape_sentence(recipe)
    if error.reason == "empty":
        return _("Type a code.") + " " + shape
    if error.reason == "too_short":
        missing = params["expected"] - params["given"]
        return ngettext("This code is %(count)d character too short.", "This code is %(count)d characters too short.",
                        missing) % {"count": missing} + " " + shape
    if error.reason == "too_long":
        extra = params["given"] - params["expected"]
        return ngettext("This code has %(count)d character too many.", "This code has %(count)d characters too many.",
                        extra) % {"count": extra} + " " + shape
    if error.reason == "letter_expected":
        return _("Character %(position)d should be a letter (%(label)s).") % {
            "position": params["position"], "label": label.lower()} + " " + shape
    if error.reason == "digit_expected":
        return _("Character %(position)d should be a digit (%(label)s).") % {
            "position": params["position"], "label": label.lower()} + " " + shape
    if error.reason == "out_of_range":
        return _("%(value)s is not a possible %(label)s: it should be %(low)s to %(high)s.") % {
            "value": params["value"], "label": label.lower(), "low": params["low"], "high": params["high"]}
    if error.reason == "answer_missing":
        return _("Answer this question, or type the code directly.")
    if error.reason == "answer_short":
        return ngettext("This needs at least %(count)d letter.", "This needs at least %(count)d letters.",
                        params["length"]) % {"count": params["length"]}
    if error.reason == "answer_not_a_number":
        return _("Type a number.")
    return str(error)


def checked_code(text) -> str:
    """The normalised code, or a ValidationError (field "code") that says what is wrong."""
    recipe = current_recipe()
    try:
        return codes.validate_code(recipe, text)
    except codes.CodeError as error:
        raise ValidationError({"code": [code_error_message(error, recipe)]}) from None
