"""ParticipantYear gains rows per site (every mode), per mode (every site) and program-wide
(reports.rollup: ALL_MODES, ALL_SITES), and indexes that hold what the people counts read. A rollup
built before has none of the new rows, so it is forgotten: reports count from the visits, and say
so, until the worker has built it again."""

from django.db import migrations, models


def forget_the_rollup(apps, schema_editor):
    apps.get_model("reports", "RollupState").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_rollup_built_in_chunks'),
    ]

    operations = [
        migrations.RunPython(forget_the_rollup, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='firstvisit',
            name='occurred_at',
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name='firstvisit',
            index=models.Index(fields=['occurred_at', 'site_id', 'service_mode'], name='first_visit_cover'),
        ),
        migrations.AddIndex(
            model_name='participantyear',
            index=models.Index(fields=['year', 'service_mode', 'site_id', 'months'], name='participant_year_count'),
        ),
    ]
