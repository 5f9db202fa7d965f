"""The effects a person felt and analysis notes are stored encrypted (issue 11): existing rows are encrypted."""

from django.db import migrations

import haven.core.fields
from haven.core.migration_helpers import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ("drugchecking", "0003_rate_limits_in_the_cache"),
    ]

    operations = [
        encrypt_columns("drugchecking", "Sample", ["effects"]),
        encrypt_columns("drugchecking", "Analysis", ["notes"]),
        migrations.AlterField(
            model_name="sample", name="effects",
            field=haven.core.fields.EncryptedTextField(blank=True, verbose_name="effects felt"),
        ),
        migrations.AlterField(
            model_name="analysis", name="notes",
            field=haven.core.fields.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
    ]
