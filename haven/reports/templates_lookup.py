"""Where funder templates come from: the shipped files first, then the ones coordinators added."""

from __future__ import annotations

import functools

from haven.reports.funder_templates import FunderTemplate, TemplateError, built_in_templates, parse_template
from haven.reports.models import ReportTemplate


@functools.cache
def _built_in() -> dict[str, FunderTemplate]:
    return {template.slug: template for template in built_in_templates()}


def all_templates() -> list[FunderTemplate]:
    stored = []
    for row in ReportTemplate.objects.all():
        try:
            stored.append(parse_template(row.yaml_text))
        except TemplateError:
            continue  # only valid templates are saved; an indicator removed later hides it, never crashes
    return list(_built_in().values()) + stored


def template_by_slug(slug: str) -> FunderTemplate | None:
    if slug in _built_in():
        return _built_in()[slug]
    row = ReportTemplate.objects.filter(slug=slug).first()
    if row is None:
        return None
    try:
        return parse_template(row.yaml_text)
    except TemplateError:
        return None
