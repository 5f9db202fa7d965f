"""MonthReach: from each month of a year, how many people came first in each later month, per site
and mode, so that counting the people of months a to b of one year sums at most twelve counts per
column instead of reading a row per person; ParticipantYear loses the index those counts read. A
rollup built before has no such counts, so it is forgotten: reports count from the visits, and say
so, until the worker has built it again."""

from django.db import migrations, models


def forget_the_rollup(apps, schema_editor):
    apps.get_model("reports", "RollupState").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_participant_year_levels'),
    ]

    operations = [
        migrations.RunPython(forget_the_rollup, migrations.RunPython.noop),
        migrations.CreateModel(
            name='MonthReach',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.SmallIntegerField()),
                ('service_mode', models.CharField(max_length=20)),
                ('site_id', models.IntegerField()),
                ('start', models.SmallIntegerField()),
                ('first', models.SmallIntegerField()),
                ('people', models.IntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('year', 'start', 'service_mode', 'site_id', 'first'),
                                                        name='month_reach_once')],
            },
        ),
        migrations.RemoveIndex(
            model_name='participantyear',
            name='participant_year_count',
        ),
    ]
