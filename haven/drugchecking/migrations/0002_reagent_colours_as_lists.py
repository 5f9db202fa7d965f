"""Reagent colours stored as a list per reagent (the colour sequence, first colour first).

Rows saved earlier may hold the typed text ("purple, black" or "orange -> brown"); they become lists
here, so pages show the sequence instead of the text letter by letter. Reversible: back to text.
"""

import re

from django.db import migrations

_SEPARATORS = re.compile(r"\s*(?:,|;|->|→|=>|>|\bthen\b)\s*")


def _as_list(value):
    if isinstance(value, str):
        return [part.strip() for part in _SEPARATORS.split(value) if part and part.strip()]
    if isinstance(value, (list, tuple)):
        return [str(part) for part in value]
    return value


def to_lists(apps, schema_editor):
    Analysis = apps.get_model("drugchecking", "Analysis")
    for analysis in Analysis.objects.filter(method="reagent").only("pk", "observations").iterator():
        observations = analysis.observations or {}
        converted = {reagent: _as_list(colours) for reagent, colours in observations.items()}
        if converted != observations:
            Analysis.objects.filter(pk=analysis.pk).update(observations=converted)


def to_text(apps, schema_editor):
    Analysis = apps.get_model("drugchecking", "Analysis")
    for analysis in Analysis.objects.filter(method="reagent").only("pk", "observations").iterator():
        observations = analysis.observations or {}
        converted = {reagent: ", ".join(colours) if isinstance(colours, list) else colours
                     for reagent, colours in observations.items()}
        if converted != observations:
            Analysis.objects.filter(pk=analysis.pk).update(observations=converted)


class Migration(migrations.Migration):
    dependencies = [("drugchecking", "0001_initial")]
    operations = [migrations.RunPython(to_lists, to_text)]
