"""Alert titles, texts, substances, reviewers' context and reasons are stored encrypted (issue 11):
existing rows are encrypted."""

from django.db import migrations, models

import haven.core.fields
from haven.core.migration_helpers import encrypt_columns

FIELDS = ["title", "body", "dismiss_reason", "language_override_reason", "substances", "context"]
JSON_FIELDS = ["substances", "context"]


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0001_initial"),
    ]

    operations = [
        # Wider first: the ciphertext of a 200-character title is longer than 200 characters.
        migrations.AlterField(model_name="alert", name="title", field=models.TextField(verbose_name="title")),
        migrations.AlterField(model_name="alert", name="substances",
                              field=models.TextField(blank=True, default="[]", verbose_name="substances")),
        migrations.AlterField(model_name="alert", name="context",
                              field=models.TextField(blank=True, default="{}", verbose_name="context")),
        encrypt_columns("alerts", "Alert", FIELDS, json_fields=JSON_FIELDS),
        migrations.AlterField(
            model_name="alert", name="title",
            field=haven.core.fields.EncryptedTextField(max_length=200, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="alert", name="body",
            field=haven.core.fields.EncryptedTextField(blank=True, verbose_name="text"),
        ),
        migrations.AlterField(
            model_name="alert", name="dismiss_reason",
            field=haven.core.fields.EncryptedTextField(blank=True, verbose_name="why it was dismissed"),
        ),
        migrations.AlterField(
            model_name="alert", name="substances",
            field=haven.core.fields.EncryptedJSONField(blank=True, default=list, verbose_name="substances"),
        ),
        migrations.AlterField(
            model_name="alert", name="context",
            field=haven.core.fields.EncryptedJSONField(blank=True, default=dict, verbose_name="context"),
        ),
        migrations.AlterField(
            model_name="alert", name="language_override_reason",
            field=haven.core.fields.EncryptedTextField(blank=True, verbose_name="language check override"),
        ),
    ]
