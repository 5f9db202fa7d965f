"""Overdose report notes and substances are stored encrypted (issue 11): existing rows are encrypted."""

from django.db import migrations, models

import haven.core.fields
from haven.core.migration_helpers import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ("overdose", "0002_rate_limits_in_the_cache"),
    ]

    operations = [
        migrations.AlterField(
            model_name="overdosereport",
            name="substances",
            field=models.TextField(blank=True, default="[]", verbose_name="substances suspected"),
        ),
        encrypt_columns("overdose", "OverdoseReport", ["notes", "substances"], json_fields=["substances"]),
        migrations.AlterField(
            model_name="overdosereport",
            name="notes",
            field=haven.core.fields.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="overdosereport",
            name="substances",
            field=haven.core.fields.EncryptedJSONField(blank=True, default=list, verbose_name="substances suspected"),
        ),
    ]
