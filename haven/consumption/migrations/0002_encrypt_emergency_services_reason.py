"""Why emergency services were or were not called is free text that may name a person (issue 11):
stored encrypted."""

from django.db import migrations, models

import haven.core.fields
from haven.core.migration_helpers import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ("consumption", "0001_booths_stays_and_responses"),
    ]

    operations = [
        migrations.AlterField(
            model_name="medicalresponse",
            name="emergency_services_reason",
            field=models.TextField(blank=True, max_length=200, verbose_name="why (not) called"),
        ),
        encrypt_columns("consumption", "MedicalResponse", ["emergency_services_reason"]),
        migrations.AlterField(
            model_name="medicalresponse",
            name="emergency_services_reason",
            field=haven.core.fields.EncryptedTextField(blank=True, max_length=200, verbose_name="why (not) called"),
        ),
    ]
