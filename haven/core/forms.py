"""Form helpers every app shares."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def add_action_errors(form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: on its field when the form has one, otherwise
    at the top of the form (with `_form_errors.html`)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
