"""A void or correction reason is staff's free text and may name a person (issue 11): stored encrypted."""

from django.db import migrations, models

import haven.core.fields
from haven.core.migration_helpers import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ("encounters", "0004_encounter_replaces_for_corrections"),
    ]

    operations = [
        migrations.AlterField(
            model_name="encounter",
            name="void_reason",
            field=models.TextField(blank=True, max_length=200),
        ),
        encrypt_columns("encounters", "Encounter", ["void_reason"]),
        migrations.AlterField(
            model_name="encounter",
            name="void_reason",
            field=haven.core.fields.EncryptedTextField(blank=True, max_length=200),
        ),
    ]
