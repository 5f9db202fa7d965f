"""The starting catalog of services. Programs rename, reorder or deactivate them later.

Names are marked for translation (gettext_noop) and shown through {% translate %}, so the seeded
catalog reads in the person's language; names a program adds itself show as typed.
"""

from django.db import migrations
from django.utils.translation import gettext_noop

SERVICES = [
    # (name, kind, referral_type)
    (gettext_noop("Safer injection"), "education", ""),
    (gettext_noop("Overdose prevention and naloxone"), "education", ""),
    (gettext_noop("Drug checking"), "education", ""),
    (gettext_noop("Wound care education"), "education", ""),
    (gettext_noop("Safer smoking"), "education", ""),
    (gettext_noop("Safer sex"), "education", ""),
    (gettext_noop("Vein care"), "education", ""),
    (gettext_noop("Fentanyl and xylazine risks"), "education", ""),
    (gettext_noop("HIV test"), "testing", ""),
    (gettext_noop("HCV test"), "testing", ""),
    (gettext_noop("Wound care given"), "care", ""),
    (gettext_noop("Substance use treatment, including medications for opioid use disorder"), "referral",
     "substance_use_treatment"),
    (gettext_noop("Housing"), "referral", "housing"),
    (gettext_noop("Mental health"), "referral", "mental_health"),
    (gettext_noop("Medical care"), "referral", "medical_care"),
    (gettext_noop("Legal aid"), "referral", "legal_aid"),
]


def seed(apps, schema_editor):
    Service = apps.get_model("encounters", "Service")
    for order, (name, kind, referral_type) in enumerate(SERVICES, start=1):
        Service.objects.get_or_create(name=name, defaults={
            "kind": kind, "referral_type": referral_type, "sort_order": order * 10,
        })


class Migration(migrations.Migration):
    dependencies = [("encounters", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
