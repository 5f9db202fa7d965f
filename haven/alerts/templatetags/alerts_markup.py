from django import template
from django.utils.safestring import mark_safe

from haven.alerts import markup

register = template.Library()


@register.filter
def alert_html(text):
    # markup.to_html escapes everything before adding its few tags.
    return mark_safe(markup.to_html(text))  # noqa: S308


SEVERITY_BADGES = {"info": "info", "warning": "warning", "urgent": "danger"}


@register.filter
def severity_badge(severity):
    return SEVERITY_BADGES.get(severity, "")


def _in_words(value) -> str:
    """A nested value in words for a reviewer: a named thing by its name, pairs as "key: value"."""
    if isinstance(value, dict):
        if "name" in value:
            return str(value["name"])
        return "; ".join(f"{str(key).replace('_', ' ')}: {_in_words(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_in_words(item) for item in value)
    return "" if value is None else str(value)


@register.filter
def context_rows(context):
    """A reviewer's context as (label, text, is_json) rows that wrap on a phone: nested values are
    put in words (a site by its name, pairs as "key: value"), never shown as raw JSON."""
    if not isinstance(context, dict):
        return []
    return [(str(key).replace("_", " "), _in_words(value), False) for key, value in context.items()]
