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


@register.filter
def context_rows(context):
    """A reviewer's context as (label, text, is_json) rows that wrap on a phone."""
    import json

    if not isinstance(context, dict):
        return []
    rows = []
    for key, value in context.items():
        label = str(key).replace("_", " ")
        if isinstance(value, list) and all(not isinstance(item, dict | list) for item in value):
            rows.append((label, ", ".join(str(item) for item in value), False))
        elif isinstance(value, dict | list):
            rows.append((label, json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": ")), True))
        else:
            rows.append((label, "" if value is None else str(value), False))
    return rows
